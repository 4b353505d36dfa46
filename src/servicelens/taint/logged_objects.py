"""Which arguments of a Node console call are written through util.inspect.

`console.log('query', query)` formats every argument that is not a string with util.inspect,
which quotes the strings inside an object and escapes their control characters (`'a\\nb'`), so
an object cannot forge a log line; a string argument is written as it is. An argument is an
object when it is written as one (`{ id }`, `[a, b]`), when it is a parameter whose declared type
is a class or an interface (`@Query() query: TagQueryDto`), or when it is a request's parsed
part as a whole (`req.query`, `req.body`: the engine tags a request part it read as
`request-data`).
"""
from __future__ import annotations

from servicelens import ir
from servicelens.taint.values import Value

# parts of a request that a framework hands over parsed, as an object
_OBJECT_PARTS = frozenset({"query", "body", "params", "headers", "cookies", "signedCookies"})
# declared types that are text, or say nothing (`any`), whatever their spelling
_TEXT_TYPES = frozenset({"string", "String", "any", "unknown", "object", "Object"})


def logged_as_object(expr: ir.Expr, value: Value, function: ir.Function | None) -> bool:
    """The argument is an object util.inspect writes, not a string written raw."""
    if isinstance(expr, ir.DictExpr) or (isinstance(expr, ir.Seq) and expr.kind == "list"):
        return True
    if isinstance(expr, ir.Attr) and expr.attr in _OBJECT_PARTS and "request-data" in value.tags:
        return True
    if isinstance(expr, ir.Name) and function is not None:
        for param in function.params:
            if param.name == expr.id and param.annotation is not None:
                declared = ir.dotted_name(param.annotation) or ""
                last = declared.rsplit(".", 1)[-1]
                return bool(last) and last[:1].isupper() and last not in _TEXT_TYPES
    return False
