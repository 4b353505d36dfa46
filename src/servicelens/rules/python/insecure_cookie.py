"""Insecure cookie: a session or auth cookie sent without Secure / HttpOnly, or SameSite=None
without Secure.

## What it finds
- `response.set_cookie(...)` / `set_signed_cookie(...)` (Flask, Django, Starlette/FastAPI) for a
  cookie whose name or value says it carries a session, token or login, with `secure=False`
  (any cookie with `secure=False` explicitly, at medium confidence),
  `httponly=False`, or those flags left out (every one of these frameworks defaults them to off);
  `samesite="None"` without `secure=True`;
- Django settings and Flask config: `SESSION_COOKIE_SECURE = False`, `CSRF_COOKIE_SECURE = False`,
  `SESSION_COOKIE_HTTPONLY = False`, `REMEMBER_COOKIE_SECURE = False`, ... in a module or config
  class that is not dev/test-only, at the top level or in the production branch of an
  environment switch (`else:` after `if ENV == "development":`).

## Why it matters
Without Secure the cookie also travels over plain HTTP, where anyone on the network reads
it and takes over the session. Without HttpOnly any XSS in the site can read it with
`document.cookie` and send it away.

## Example
```python
resp.set_cookie("session_token", token)
```
Use instead:
```python
resp.set_cookie("session_token", token, secure=True, httponly=True, samesite="Lax")
```

## Fix
Set `secure=True, httponly=True, samesite="Lax"` (or "Strict") on every cookie that
authenticates a user, and keep the framework's session cookie settings on in production.

## Known problems
Cookies whose name and value give no hint of a session or token are not reported when the
flags are merely missing, and flags passed through `**kwargs` are assumed set. Django's
defaults (`SESSION_COOKIE_SECURE` unset) are left to `manage.py check --deploy`.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.python._deployed import deployed_statements
from servicelens.rules.python._common import (
    const_str, dev_class, expr_name, is_const, is_dev_path, location, target_name, words,
)
from servicelens.taint.scope import ModuleScope
from servicelens.fixcode import strip_comment

_AUTH_COOKIE = re.compile(r"(?i)(session|sess_?id|\bsid\b|auth|token|jwt|login|remember|access|refresh|"
                          r"credential|api_?key|identity|user_?id)")
_CSRF_COOKIE = re.compile(r"(?i)csrf|xsrf")
_SETTINGS = frozenset({
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "REMEMBER_COOKIE_SECURE",
    "REMEMBER_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SECURE", "JWT_COOKIE_SECURE", "JWT_AUTH_COOKIE_SECURE",
})

Issue = tuple[int, str, Confidence, str]  # line, title, confidence, fix code


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    seen: set[int] = set()
    for line, title, confidence, code in _issues(module, file_index(module, scope)):
        if line in seen or dev_class(module, line):
            continue
        seen.add(line)
        yield make_finding(
            "insecure-cookie", location(module, ir.Const(line, 0, None)), title,
            "A session or auth cookie without Secure is also sent over plain HTTP, where anyone on the network "
            "can copy it and take over the session; without HttpOnly any XSS can read it from document.cookie.",
            confidence=confidence, severity=Severity.MEDIUM,
            fix=Fix("Send authentication cookies with Secure, HttpOnly and SameSite.", code, "python"),
            rule=RULE.id, key=title,
        )


def _issues(module: ir.Module, index: FileIndex) -> Iterator[Issue]:
    for _function, body in all_bodies(module):
        # top level, and the branches that run in production: a False under `if DEBUG:` is a dev override
        for stmt in deployed_statements(body):
            if isinstance(stmt, ir.Assign) and is_const(stmt.value, False):
                for target in stmt.targets:
                    name = target_name(target)
                    if name in _SETTINGS:
                        yield (stmt.line, f"{name} = False", Confidence.HIGH,
                               strip_comment(module.line_text(stmt.line)).replace("False", "True"))
        for call in index.block_of_kind(body, ir.Call):
            if isinstance(call.func, ir.Attr) and call.func.attr in ("set_cookie", "set_signed_cookie"):
                yield from _set_cookie(module, call)
            elif isinstance(call.func, ir.Attr) and call.func.attr == "update" and \
                    (ir.dotted_name(call.func.value) or "").endswith("config"):
                for kw in call.kwargs:
                    if kw.name in _SETTINGS and is_const(kw.value, False):
                        yield call.line, f"{kw.name}=False", Confidence.HIGH, f"app.config.update({kw.name}=True)"


def _set_cookie(module: ir.Module, call: ir.Call) -> Iterator[Issue]:
    if any(kw.name is None for kw in call.kwargs):
        return  # flags may come from **kwargs
    name_expr, value_expr = call.arg(0, "key"), call.arg(1, "value")
    if isinstance(value_expr, ir.Const) and not value_expr.value:
        return  # set_cookie("session", "") / None clears the cookie at logout
    cookie = const_str(name_expr) or (expr_name(name_expr) if name_expr is not None else None) or ""
    value = (expr_name(value_expr) if value_expr is not None else None) or ""
    auth = bool(_AUTH_COOKIE.search(cookie)) or bool(value and _AUTH_COOKIE.search("_".join(words(value))))
    if _CSRF_COOKIE.search(cookie):
        auth = False  # a double-submit CSRF token must be readable by the page's JavaScript: no HttpOnly
    secure, httponly, samesite = call.kwarg("secure"), call.kwarg("httponly"), call.kwarg("samesite")
    fixed = _fixed_call(strip_comment(module.line_text(call.line)))
    label = f'cookie "{cookie}"' if cookie else "cookie"
    if (const_str(samesite) or "").lower() == "none" and not is_const(secure, True):
        yield call.line, f"{label} set with SameSite=None but without Secure", Confidence.HIGH, fixed
        return
    explicit = [flag for flag, expr in (("Secure", secure), ("HttpOnly", httponly)) if is_const(expr, False)]
    if not auth:
        if is_const(secure, False):  # turning Secure off on purpose is a decision worth a second look
            yield call.line, f"{label} set with Secure turned off", Confidence.MEDIUM, fixed
        return
    missing = [flag for flag, expr in (("Secure", secure), ("HttpOnly", httponly)) if expr is None]
    if explicit:
        yield call.line, f"Auth {label} set with {' and '.join(explicit)} turned off", Confidence.HIGH, fixed
    elif missing:
        yield (call.line, f"Probable auth {label} set without {' and '.join(missing)}", Confidence.MEDIUM, fixed)


def _fixed_call(line: str) -> str:
    """The offending call with the three flags set, keeping the caller's arguments."""
    cleaned = re.sub(r",\s*(secure|httponly|samesite)\s*=\s*[^,)]+", "", line)
    match = re.search(r"\)\s*$", cleaned)
    if match is None or "set_cookie" not in cleaned and "set_signed_cookie" not in cleaned:
        return 'response.set_cookie("session", token, secure=True, httponly=True, samesite="Lax")'
    return cleaned[:match.start()] + ', secure=True, httponly=True, samesite="Lax")' + cleaned[match.end():]


RULE = Rule("py-insecure-cookie", frozenset({"insecure-cookie"}), "python", check, requires=("cookie",))
