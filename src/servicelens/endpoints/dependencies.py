"""FastAPI dependencies: functions whose parameters FastAPI fills from the request.

    def target(host: str = Query(...)) -> str: return host       # deps.py
    @router.get("/ping")
    def ping(host: str = Depends(target)): run("ping " + host)   # routes.py

FastAPI resolves a dependency's parameters exactly as a path operation's (query, path, header,
cookie, body), and passes its return value as the handler's argument; a class dependency
(`filters: OrderFilters = Depends()`, `Depends(OrderFilters)`) is called the same way, its
`__init__` parameters filled from the request. So the client's text
reaches `ping` through `target`: the dependency's parameters are request sources, and the
handler's parameter is the value of calling it. A file cannot see which functions other files
name in `Depends(...)`, so the names are read from every Python file's text first, as
`depends:<name>` entries (like the registration names of endpoints.bound_names).
"""
from __future__ import annotations

import re
from typing import Iterable

from servicelens import ir

PREFIX = "depends:"
_DEPENDS = re.compile(r"\b(?:Depends|Security)\(\s*(?:dependency\s*=\s*)?(?P<target>[A-Za-z_][\w.]*)\s*[,)]")
# `filters: OrderFilters = Depends()`: FastAPI calls the annotation's class
_BARE = re.compile(r":\s*(?P<target>[A-Za-z_][\w.]*)\s*=\s*Depends\(\s*\)")
_MARKERS = frozenset({"Depends", "Security"})


def dependency_entries(texts: Iterable[str]) -> frozenset[str]:
    """`depends:<name>` for the last name of each function a `Depends(...)`/`Security(...)` names."""
    found: set[str] = set()
    for text in texts:
        if "Depends(" not in text and "Security(" not in text:
            continue
        found.update(PREFIX + m.group("target").rsplit(".", 1)[-1] for m in _DEPENDS.finditer(text))
        found.update(PREFIX + m.group("target").rsplit(".", 1)[-1] for m in _BARE.finditer(text))
    return frozenset(found)


def dependency_names(entries: Iterable[str]) -> frozenset[str]:
    return frozenset(entry[len(PREFIX):] for entry in entries if entry.startswith(PREFIX))


def dependency_call(param: ir.Param) -> ir.Call | None:
    """`p: T = Depends(target)` or `p: Annotated[T, Depends(target)]`: the call `target()` FastAPI
    makes for the request (`p: Filters = Depends()`: the annotation's class); None for anything else."""
    candidates = [param.default] if isinstance(param.default, ir.Call) else []
    default = param.default
    if isinstance(default, ir.Call) and (ir.dotted_name(default.func) or "").rsplit(".", 1)[-1] == "Depends" \
            and not default.args and not default.kwargs and isinstance(param.annotation, (ir.Name, ir.Attr)):
        return ir.Call(line=param.line, col=0, func=param.annotation, args=(), kwargs=(), end_line=param.line)
    if param.annotation is not None:
        candidates += [node for node in ir.walk_expr(param.annotation) if isinstance(node, ir.Call)]
    for call in candidates:
        if (ir.dotted_name(call.func) or "").rsplit(".", 1)[-1] not in _MARKERS:
            continue
        target = call.arg(0, "dependency")
        if not isinstance(target, (ir.Name, ir.Attr)):
            continue
        declared = _declared_type(param.annotation)
        named = (ir.dotted_name(target) or "").rsplit(".", 1)[-1]
        if declared and declared != {named} and not declared <= _TEXT_TYPES:
            # `tenant: Tenant = Depends(get_current_tenant)`: the dependency hands a record it looked
            # up (by the client's key, perhaps), not the client's text
            return None
        return ir.Call(line=param.line, col=0, func=target, args=(), kwargs=(), end_line=param.line)
    return None


# what a dependency handing the client's values on is declared to return
_TEXT_TYPES = frozenset({"str", "bytes", "dict", "Dict", "list", "List", "tuple", "Tuple", "set", "Set", "Any",
                         "Optional", "Union", "None", "Mapping", "Sequence", "Path", "PurePath", "SecretStr",
                         "AnyUrl", "HttpUrl", "AnyHttpUrl", "EmailStr"})


def _declared_type(annotation: ir.Expr | None) -> set[str]:
    """The last names of what a parameter is declared as (`Annotated[T, ...]`: T's), {} when undeclared."""
    if annotation is None:
        return set()
    if isinstance(annotation, ir.Subscript) and (ir.dotted_name(annotation.value) or "").rsplit(".", 1)[-1] == "Annotated":
        index = annotation.index
        annotation = index.elts[0] if isinstance(index, ir.Seq) and index.elts else index
    names: set[str] = set()
    pending = [annotation]
    while pending:
        node = pending.pop()
        if isinstance(node, (ir.Name, ir.Attr)):
            names.add((ir.dotted_name(node) or "").rsplit(".", 1)[-1])  # `typing.Optional`: Optional
        elif isinstance(node, ir.Subscript):
            pending += [node.value, node.index]
        elif isinstance(node, ir.Seq):
            pending += list(node.elts)
        elif isinstance(node, ir.BinOp):  # `str | None`
            pending += [node.left, node.right]
    return names - {""}
