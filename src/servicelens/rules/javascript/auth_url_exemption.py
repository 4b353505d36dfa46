r"""Authentication skipped by a URL substring: an auth middleware that lets a request through when
its URL merely contains (or ends with) an open path.

## What it finds
An Express/Connect middleware that checks the caller's credential and refuses otherwise (judged
by frameworks/express_auth.py) whose early `return next()` is taken when the request's URL
*contains* a path: `req.originalUrl.includes('/invitation/')`, `req.url.indexOf('/public') !== -1`,
`req.originalUrl.endsWith('/callback')`, `/\/webhooks\//.test(req.url)`, `req.path.includes(...)`.
`req.url` and `req.originalUrl` carry the query string, so any protected route answers
`GET /api/v1/admin/users?x=/invitation/` without a credential; `req.path` keeps the substring
test open to every route whose path can hold it (`/api/v1/users/x/invitation/`, a route
parameter). Tests that pin the start of the path (`req.path.startsWith('/invite/')`, `===`,
an anchored regular expression) are left alone: that is how open paths are written.

## Why it matters
The middleware guards every route mounted behind it; one substring test opens all of them to
anyone who appends the magic text to the URL (CWE-288, authentication bypass by an alternate path).

## Example
```js
function isLoggedIn(req, res, next) {
  if (req.originalUrl.includes('/invitation/')) return next();
  return req.user ? next() : next(createError(401));
}
```
Use instead:
```js
  if (req.path.startsWith('/invitation/')) return next();
```

## Fix
Match the path, not the URL, from its start (`req.path.startsWith(prefix)` or exact routes), or
mount the open routes before the middleware.

## Known problems
Only a test written in the middleware itself is read (not one in a helper it calls); `req.path`
substrings are reported with medium confidence: whether a protected route can hold the text
depends on its patterns.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from servicelens import ir
from servicelens.endpoints.principals import GUARD
from servicelens.frameworks.express_auth import family_of, judge
from servicelens.frameworks.express_knowledge import middleware_knowledge
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.javascript._node import location
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope

_WHOLE_URL = frozenset({"url", "originalUrl"})  # the query string included
_PATH = frozenset({"path", "pathname"})
_SUBSTRING = frozenset({"includes", "indexOf", "endsWith", "search", "match", "lastIndexOf"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    knowledge = middleware_knowledge()
    for function in module.functions:
        if len(function.params) < 3 or ".<locals>." in function.qualname:
            continue
        request, nexts = function.params[0].name, function.params[-1].name
        family = family_of(function, module.functions)
        exemptions = list(_substring_exemptions(function, request, nexts, _url_locals(function, request)))
        if not exemptions or judge(family, knowledge).verdict != GUARD:
            continue
        stmt, what, whole = exemptions[0]
        yield make_finding(
            "missing-authentication", location(module, stmt),
            f"`{function.name}` skips authentication for any request whose {what} contains a path",
            f"`{function.name}` checks the caller's credential, but lets the request through first when "
            + ("the URL (query string included) contains an open path: any protected route is reached "
               "without a credential by adding that text to its query string." if whole else
               "the path contains an open path anywhere: any protected route whose path can hold that text "
               "(a parameter, a trailing segment) is reached without a credential."),
            severity=Severity.HIGH, confidence=Confidence.HIGH if whole else Confidence.MEDIUM,
            fix=Fix("Match the open paths from the start of `req.path` (or exactly), never a substring of the URL; "
                    "or mount the open routes before this middleware.",
                    "if (OPEN_PREFIXES.some((prefix) => req.path.startsWith(prefix))) return next();",
                    "javascript"),
            rule=RULE.id, key=f"{function.qualname}|{what}",
        )


def _url_locals(function: ir.Function, request: str) -> dict[str, bool]:
    """Locals holding the URL or path: `const fullPath = req.originalUrl || req.url` -> whole URL."""
    found: dict[str, bool] = {}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            kinds = [_url_kind(n, request, {}) for n in ir.walk_expr(stmt.value)]
            if any(k is not None for k in kinds):
                whole = any(k for k in kinds if k is not None)
                found.update({t.id: whole for t in stmt.targets if isinstance(t, ir.Name)})
    return found


def _url_kind(expr: ir.Expr, request: str, names: dict[str, bool]) -> bool | None:
    """True: the whole URL; False: the path; None: neither."""
    if isinstance(expr, ir.Name) and expr.id in names:
        return names[expr.id]
    if isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Name) and expr.value.id == request:
        if expr.attr in _WHOLE_URL:
            return True
        if expr.attr in _PATH:
            return False
    return None


def _substring_exemptions(function: ir.Function, request: str, nexts: str,
                          names: dict[str, bool]) -> Iterator[tuple[ir.Stmt, str, bool]]:
    """`if (<substring test of the URL>) return next();` (also inside `||`)."""
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.If) or not _passes_on(stmt.body, nexts):
            continue
        tested = [kind for node in ir.walk_expr(stmt.test) if (kind := _substring_test(node, request, names)) is not None]
        if tested:
            whole = any(tested)
            yield stmt, "URL" if whole else "path", whole


def _substring_test(node: ir.Expr, request: str, names: dict[str, bool]) -> bool | None:
    if not isinstance(node, ir.Call) or not isinstance(node.func, ir.Attr):
        return None
    if node.func.attr in _SUBSTRING:
        return _url_kind(node.func.value, request, names)
    if node.func.attr == "test" and node.args and isinstance(node.func.value, ir.Const) \
            and isinstance(node.func.value.value, str) and not node.func.value.value.startswith("^"):
        return _url_kind(node.args[0], request, names)  # an unanchored regular expression
    return None


def _passes_on(body: tuple[ir.Stmt, ...], nexts: str) -> bool:
    """The branch hands the request on unchecked: `return next()` / `next(); return;`."""
    first = body[0] if body else None
    value = first.value if isinstance(first, (ir.Return, ir.ExprStmt)) else None
    return isinstance(value, ir.Call) and isinstance(value.func, ir.Name) and value.func.id == nexts and not value.args


RULE = Rule("js-auth-url-exemption", frozenset({"missing-authentication"}), "javascript", check,
            requires=("next",))
