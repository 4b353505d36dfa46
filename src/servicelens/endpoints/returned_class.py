"""The class of what a function returns, when its code says it: what a dependency hands a handler."""
from __future__ import annotations

from servicelens import ir


def returned_class(function: ir.Function) -> str:
    """`-> Authentication`, or the one class its only `return` builds (`return Authentication(...)`),
    as written; "" when neither (a value read from the request state says nothing of its class)."""
    annotation = ir.dotted_name(function.returns) if function.returns is not None else None
    if annotation and _class_like(annotation):
        return annotation
    returns = [stmt for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.Return)]
    if len(returns) == 1 and isinstance(returns[0].value, ir.Call):
        built = ir.dotted_name(returns[0].value.func) or ""
        return built if _class_like(built) else ""
    return ""


def _class_like(name: str) -> bool:
    return name.rsplit(".", 1)[-1][:1].isupper()
