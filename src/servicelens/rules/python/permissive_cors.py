"""Permissive CORS: any web site may send credentialed requests and read the answers.

## What it finds
- flask-cors: `CORS(app, supports_credentials=True)` or `@cross_origin(supports_credentials=True)`
  with no origins or with `origins="*"` (flask-cors then echoes the caller's Origin);
- django-cors-headers: `CORS_ALLOW_ALL_ORIGINS = True` / `CORS_ORIGIN_ALLOW_ALL = True`, or an
  origin regex matching everything, together with `CORS_ALLOW_CREDENTIALS = True`;
- Starlette / FastAPI: `add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)`
  (or `allow_origin_regex=".*"`);
- a handler copying the request's `Origin` header into `Access-Control-Allow-Origin`
  without checking it, while allowing credentials.

## Why it matters
With credentials allowed for every origin, a page on any site the victim visits can call the
API with the victim's cookies and read the response: account data, CSRF tokens, API keys.
It is cross-site request forgery with the response thrown in.

## Example
```python
CORS(app, supports_credentials=True)
```
Use instead:
```python
CORS(app, origins=["https://app.example.com"], supports_credentials=True)
```

## Fix
List the exact front-end origins that need credentialed access, or drop credentials for a
public API that only needs a wildcard.

## Inherited configuration
flask-cors fills every option a `CORS(app)` call or a `@cross_origin(...)` decorator leaves out
from the application's configuration (`CORS_ORIGINS`, read from a settings module, a config
object or `app.config[...]`). A call that allows credentials without naming origins therefore
allows exactly the origins the project configures: when the project sets `CORS_ORIGINS` and no
value it sets matches every origin, the call is not reported.

```python
# settings.py
CORS_ORIGINS = ["https://tickets.example.com"]
# views.py
@cross_origin(supports_credentials=True)   # inherits the allow-list above: fine
```
A `CORS_ORIGINS` whose value (or default) is `"*"` keeps the finding; the fix is to list the
front-end origins there.

## Known problems
A wildcard without credentials is not reported (it is correct for public, token-authenticated
APIs). Origins built at run time from something other than a literal are taken as an
allow-list, and an allow-list check done in a
helper function before the reflecting line is recognised only when it mentions the variable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.python._common import (
    call_name, const_str, is_const, is_dev_path, is_settings_module, module_constants, target_name,
)
from servicelens.taint.scope import ModuleScope

_FLASK_CORS = frozenset({"flask_cors.CORS", "flask_cors.cross_origin"})
_ALL = re.compile(r"^\^?(\.\*|\.\+|\*|https?://\.\*|\(\.\*\))\$?$")

Issue = tuple[int, str, str, str]  # line, title, framework, fix code


_INHERITS = "inherits"  # the issue's origins come from the app's CORS_ORIGINS when it is set


@dataclass(frozen=True, slots=True)
class InheritedCall:
    """A flask-cors call allowing credentials without naming origins: decided once the whole
    project's configuration is known."""
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class CorsFacts:
    inherited: tuple[InheritedCall, ...]
    # one entry per `CORS_ORIGINS` the file sets: True when that value admits every origin
    origins_admit_all: tuple[bool, ...]


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    seen: set[int] = set()
    for line, title, framework, code in _issues(module, scope):
        if line in seen or framework == _INHERITS:
            continue
        seen.add(line)
        yield _finding(module.path, line, title, framework, code)


def collect(module: ir.Module, scope: ModuleScope) -> CorsFacts | None:
    inherited = () if is_dev_path(module.path) else tuple(
        InheritedCall(module.path, line) for line, _t, framework, _c in _issues(module, scope) if framework == _INHERITS)
    configured = tuple(_configured_origins(module))
    return CorsFacts(inherited, configured) if inherited or configured else None


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for f in per_file.values() if isinstance(f, CorsFacts)]
    configured = [admits_all for f in facts for admits_all in f.origins_admit_all]
    if configured and not any(configured):
        return  # every call without origins inherits the project's allow-list
    for fact in facts:
        for call in sorted(set(fact.inherited), key=lambda c: c.line):
            yield _finding(call.path, call.line, _ECHOES, "flask-cors", _FLASK_FIX)


_ECHOES = "CORS allows credentials from any origin (flask-cors echoes the Origin header)"
_FLASK_FIX = 'CORS(app, origins=["https://app.example.com"], supports_credentials=True)'


def _finding(path: str, line: int, title: str, framework: str, code: str) -> Finding:
    return make_finding(
        "permissive-cors", Location(path, line, line), title,
        "Credentials are allowed for every origin, so a page on any site the user visits can call this "
        "API with the user's cookies and read the response (profile data, CSRF tokens, API keys).",
        severity=Severity.HIGH, confidence=Confidence.HIGH if "Probable" not in title else Confidence.MEDIUM,
        fix=Fix(f"Allow credentials only for an explicit list of trusted origins ({framework}).", code, "python"),
        rule=RULE.id, key=title,
    )


def _issues(module: ir.Module, scope: ModuleScope) -> Iterator[Issue]:
    if is_settings_module(module):
        yield from _django(module)
    index = file_index(module, scope)
    for function, body in all_bodies(module):
        for call in index.block_of_kind(body, ir.Call):
            yield from _call_issue(call, call_name(call, scope, function))
        if function is not None:
            yield from _reflected(function)
    for function in module.functions:
        for decorator in function.decorators:
            if isinstance(decorator, ir.Call):
                yield from _call_issue(decorator, call_name(decorator, scope, None))


def _configured_origins(module: ir.Module) -> Iterator[bool]:
    """Each value this file gives flask-cors's `CORS_ORIGINS` setting (a module constant read by
    `app.config.from_object`/`from_pyfile`, `app.config["CORS_ORIGINS"] = ...`, or
    `app.config.update(CORS_ORIGINS=...)`): True when it admits every origin."""
    for stmt in ir.walk_stmts(module.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and any(
                target_name(t) == "CORS_ORIGINS" for t in stmt.targets):
            yield _matches_all(stmt.value)
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "update":
                    value = node.kwarg("CORS_ORIGINS")
                    if value is not None:
                        yield _matches_all(value)


def _call_issue(call: ir.Call, name: str) -> Iterator[Issue]:
    if name in _FLASK_CORS and is_const(call.kwarg("supports_credentials"), True):
        origins = call.kwarg("origins")
        resources = call.kwarg("resources")
        if origins is None and resources is None:
            yield call.line, _ECHOES, _INHERITS, _FLASK_FIX
        elif _matches_all(origins) or (resources is not None and _matches_all(resources)):
            yield call.line, _ECHOES, "flask-cors", _FLASK_FIX
    elif name.endswith("add_middleware") and call.args and \
            (ir.dotted_name(call.args[0]) or "").endswith("CORSMiddleware"):
        if is_const(call.kwarg("allow_credentials"), True) and (
                _matches_all(call.kwarg("allow_origins")) or _matches_all(call.kwarg("allow_origin_regex"))):
            yield (call.line, "CORSMiddleware allows credentials from any origin", "Starlette/FastAPI",
                   'app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"],\n'
                   '                   allow_credentials=True, allow_methods=["*"], allow_headers=["*"])')


def _django(module: ir.Module) -> Iterator[Issue]:
    constants = module_constants(module)
    credentials = constants.get("CORS_ALLOW_CREDENTIALS")
    if credentials is None or not is_const(credentials.value, True):
        return
    for name in ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"):
        stmt = constants.get(name)
        if stmt is not None and is_const(stmt.value, True):
            yield (stmt.line, f"{name} = True with CORS_ALLOW_CREDENTIALS = True", "django-cors-headers",
                   'CORS_ALLOW_ALL_ORIGINS = False\nCORS_ALLOWED_ORIGINS = ["https://app.example.com"]\n'
                   "CORS_ALLOW_CREDENTIALS = True")
    for name in ("CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST"):
        stmt = constants.get(name)
        if stmt is not None and stmt.value is not None and _matches_all(stmt.value):
            yield (stmt.line, f"{name} matches every origin while credentials are allowed", "django-cors-headers",
                   'CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://([a-z0-9-]+\\.)?example\\.com$"]')


def _matches_all(expr: ir.Expr | None) -> bool:
    if expr is None:
        return False
    return any(isinstance(n, ir.Const) and isinstance(n.value, str) and bool(_ALL.match(n.value))
               for n in ir.walk_expr(expr))


def _reflected(function: ir.Function) -> Iterator[Issue]:
    """`resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")` with credentials."""
    origin_vars = {t.id for s in ir.walk_stmts(function.body) if isinstance(s, ir.Assign) and s.value is not None
                   and _reads_origin(s.value) for t in s.targets if isinstance(t, ir.Name)}
    checked = _checked_names(function, origin_vars)
    credentials = False
    reflect_line = 0
    for stmt in ir.walk_stmts(function.body):
        for header, value in _header_writes(stmt):
            if header == "access-control-allow-credentials" and (const_str(value) or "").lower() == "true":
                credentials = True
            elif header == "access-control-allow-origin" and (
                    _reads_origin(value) or (isinstance(value, ir.Name) and value.id in origin_vars
                                             and value.id not in checked)):
                reflect_line = reflect_line or stmt.line
    if reflect_line and credentials:
        yield (reflect_line, "Request Origin reflected into Access-Control-Allow-Origin with credentials",
               "hand-written CORS", 'if origin in ALLOWED_ORIGINS:\n'
               '    response.headers["Access-Control-Allow-Origin"] = origin\n'
               '    response.headers["Vary"] = "Origin"')


def _reads_origin(expr: ir.Expr) -> bool:
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Call) and node.args and (const_str(node.args[0]) or "").lower() in (
                "origin", "http_origin"):
            return True
        if isinstance(node, ir.Subscript) and (const_str(node.index) or "").lower() in ("origin", "http_origin"):
            return True
    return False


def _checked_names(function: ir.Function, names: set[str]) -> set[str]:
    """Origin variables that appear in a comparison or a call (an allow-list check)."""
    out: set[str] = set()
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, (ir.If, ir.While)) or isinstance(stmt, (ir.Return, ir.Assign)):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if isinstance(node, ir.Compare):
                        out.update(n.id for e in (node.left, *node.comparators)
                                   for n in ir.walk_expr(e) if isinstance(n, ir.Name) and n.id in names)
    return out


def _header_writes(stmt: ir.Stmt) -> Iterator[tuple[str, ir.Expr]]:
    if isinstance(stmt, ir.Assign) and stmt.value is not None:
        for target in stmt.targets:
            if isinstance(target, ir.Subscript) and const_str(target.index) is not None:
                yield str(const_str(target.index)).lower(), stmt.value
    for expr in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(expr):
            if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in (
                    "set", "add", "__setitem__", "setdefault") and len(node.args) >= 2 and const_str(node.args[0]):
                yield str(const_str(node.args[0])).lower(), node.args[1]
            elif isinstance(node, ir.DictExpr):
                for key, value in zip(node.keys, node.values):
                    if key is not None and const_str(key):
                        yield str(const_str(key)).lower(), value


RULE = Rule("py-permissive-cors", frozenset({"permissive-cors"}), "python", check, collect=collect, combine=combine,
            requires=("cors", "access-control-allow-origin"))
