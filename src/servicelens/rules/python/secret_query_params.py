"""A password taken as a query parameter: the secret travels in the URL, and URLs are logged.

## What it finds
A FastAPI path operation that changes state (POST, PUT, PATCH, DELETE) and declares a
password-named parameter (`password`, `new_password`, `passphrase`) as a plain scalar
(`new_password: str`, `Optional[str]`, `Annotated[str, Query()]`) that is not in the path: FastAPI
reads such a parameter from the query string, so the client must send
`POST /reset-password?new_password=...`.

## Why it matters
The query string is part of the URL, and URLs are written to the access logs of every reverse
proxy, load balancer and web server on the way, to browser history and to monitoring tools,
which keep them for months with far weaker access control than the user table. A password in a
URL is a password in the logs (CWE-598).

## Example
```python
@router.post("/reset-password")
async def reset_password(token: str, new_password: str): ...
```
Use instead:
```python
@router.post("/reset-password")
async def reset_password(token: Annotated[str, Form()], new_password: Annotated[str, Form()]): ...
```

## Fix
Take secrets in the request body: a Pydantic model, `Body()` or `Form()`.

## Known problems
Only FastAPI, whose rule that a scalar parameter outside the path is a query parameter the
review can read from the signature; a Flask or Django view reading `request.args["password"]`
is not judged. A parameter with a `Body()`, `Form()`, `Header()`, `Cookie()`, `File()` or
dependency default or marker is not in the URL. A read (GET) route is not judged: a link that
carries a one-time token is the usual design there, and a password in it is rare.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from servicelens import ir
from servicelens.frameworks.validated_types import generic_parts
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity, TraceStep
from servicelens.rules.base import Rule
from servicelens.rules.python._common import is_test_path
from servicelens.taint.scope import HandlerInfo, ModuleScope

_PASSWORD = re.compile(r"(?i)(^|_)(password|passwd|passphrase)($|_)")
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_SCALARS = frozenset({"str", "SecretStr"})
# markers that take the value from somewhere other than the query string
_NOT_QUERY = frozenset({"Body", "Form", "File", "Header", "Cookie", "Path", "Depends", "Security", "UploadFile"})
_QUERY = "Query"


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path):
        return
    for function in module.functions:
        handler = scope.handlers.get(function.qualname)
        if handler is None or handler.framework != "fastapi" or not set(handler.methods) & _WRITES:
            continue
        for param in _query_passwords(function, handler):
            yield _finding(module, function, handler, param)


def _query_passwords(function: ir.Function, handler: HandlerInfo) -> Iterator[ir.Param]:
    """Password-named parameters FastAPI reads from the query string."""
    for param in function.params:
        if not _PASSWORD.search(param.name) or _in_path(param.name, handler.path):
            continue
        if _scalar(param.annotation) and _query_default(param.default):
            yield param


def _in_path(name: str, path: str) -> bool:
    """`{name}` or `{name:converter}` in the route's path: FastAPI fills the parameter from the path.
    A longer placeholder (`{password_id}` for `password`) is another parameter."""
    return re.search(r"\{" + re.escape(name) + r"(?::[^}]*)?\}", path) is not None


def _scalar(annotation: ir.Expr | None) -> bool:
    """`str`, `Optional[str]`, `str | None`, `Annotated[str, Query(...)]`: one text value, which
    FastAPI takes from the query string unless a marker says otherwise."""
    if annotation is None:
        return False
    if isinstance(annotation, (ir.Name, ir.Attr)):
        return ir.last_name(annotation) in _SCALARS
    if isinstance(annotation, ir.BinOp) and annotation.op == "|":
        return _scalar(annotation.left) and _none_or_scalar(annotation.right) \
            or _scalar(annotation.right) and _none_or_scalar(annotation.left)
    outer, parts = generic_parts(annotation) or ("", ())
    if outer == "Optional" and len(parts) == 1:
        return _scalar(parts[0])
    if outer == "Annotated" and parts:
        markers = [ir.last_name(p.func) for p in parts[1:] if isinstance(p, ir.Call)]
        return _scalar(parts[0]) and not any(m in _NOT_QUERY for m in markers)
    return False


def _none_or_scalar(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Const) and expr.value is None or _scalar(expr)


def _query_default(default: ir.Expr | None) -> bool:
    """No default, a literal one, or `Query(...)`; `Body()`, `Form()` or `Depends()` read elsewhere."""
    if default is None or isinstance(default, ir.Const):
        return True
    return isinstance(default, ir.Call) and ir.last_name(default.func) == _QUERY


def _finding(module: ir.Module, function: ir.Function, handler: HandlerInfo, param: ir.Param) -> Finding:
    methods = "/".join(m for m in handler.methods if m in _WRITES)
    return make_finding(
        "sensitive-data-logged", Location(module.path, param.line, param.line),
        f"`{param.name}` is sent in the URL of `{function.name}`",
        f"`{function.name}` ({methods} {handler.path}) declares `{param.name}` as a plain query parameter, so "
        "clients send the password in the query string, which every proxy, load balancer and web server "
        "on the way writes to its access log (CWE-598).",
        severity=Severity.MEDIUM, confidence=Confidence.HIGH,
        evidence=(TraceStep(Location(module.path, function.line), f"path operation `{function.name}` ({methods})",
                            module.line_text(function.line)),
                  TraceStep(Location(module.path, param.line), "a scalar outside the path: FastAPI reads it "
                            "from the query string", module.line_text(param.line))),
        fix=Fix("Take the password in the request body (a Pydantic model, `Body()` or `Form()`).",
                f"{param.name}: Annotated[str, Form()]", "python"),
        rule=RULE.id, key=f"{function.qualname}:{param.name}:query-secret",
    )


RULE = Rule("py-secret-query-params", frozenset({"sensitive-data-logged"}), "python", check,
            requires=("password", "passwd", "passphrase"))
