"""Insecure cookie: an Express auth cookie (`res.cookie`) or session cookie (express-session,
cookie-session) sent without `secure` or `httpOnly`.

## What it finds
- `res.cookie(name, value, options)` for a cookie whose name says it carries a session,
  token or login, with `secure`/`httpOnly` set to false or left out (Express defaults both
  off), or `sameSite: 'none'` without `secure`;
- `session({ cookie: { secure: false } })`, `httpOnly: false`, or session middleware whose
  cookie options never turn `secure` on.

## Why it matters
Without Secure the cookie also travels over plain HTTP, where anyone on the network copies it
and takes over the session; without HttpOnly any XSS reads it from `document.cookie`.

## Example
```js
res.cookie('session', token);
```
Use instead:
```js
res.cookie('session', token, { secure: true, httpOnly: true, sameSite: 'lax' });
```

## Fix
Set `secure: true, httpOnly: true, sameSite: 'lax'` on every cookie that authenticates a user,
and `cookie: { secure: true }` on the session middleware (with `app.set('trust proxy', 1)`
behind a TLS-terminating proxy).

## Known problems
Options passed in a variable or with a spread are assumed set; cookies whose name gives no hint
of a session are reported only when Secure is turned off explicitly.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.javascript._node import (
    NamedCall, const_str, has_spread, is_false, is_true, knowledge, location, named_calls, option,
)
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope

_AUTH_COOKIE = re.compile(r"(?i)(session|sess_?id|\bsid\b|auth|token|jwt|login|remember|access|refresh|"
                          r"credential|api_?key|identity|user_?id|connect\.sid)")
_CSRF = re.compile(r"(?i)csrf|xsrf")
_SAFE_OPTIONS = "{ secure: true, httpOnly: true, sameSite: 'lax' }"


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    known = knowledge()
    for named in named_calls(module, scope):
        found = None
        if named.name in known.session_middlewares:
            found = _session(named)
        elif isinstance(named.call.func, ir.Attr) and named.call.func.attr in known.cookie_calls \
                and len(named.call.args) >= 2:
            found = next(_cookie(module, named.call), None)
        if found is None:
            continue
        title, confidence, code = found
        yield make_finding(
            "insecure-cookie", location(module, named.call), title,
            "A session or auth cookie without Secure is also sent over plain HTTP, where anyone on the network "
            "can copy it and take over the session; without HttpOnly any XSS can read it from document.cookie.",
            confidence=confidence, severity=Severity.MEDIUM,
            fix=Fix("Send authentication cookies with secure, httpOnly and sameSite set.", code, "javascript"),
            rule=RULE.id, key=title,
        )


def _session(named: NamedCall) -> tuple[str, Confidence, str] | None:
    config = named.call.args[0] if named.call.args else None
    if not isinstance(config, ir.DictExpr) or has_spread(config):
        return None
    cookie = option(config, "cookie")
    fix = f"cookie: {_SAFE_OPTIONS},"
    if cookie is not None and not isinstance(cookie, ir.DictExpr) or has_spread(cookie):
        return None  # built elsewhere
    secure, httponly = option(cookie, "secure"), option(cookie, "httpOnly")
    if is_false(httponly):
        return f"`{named.name}` cookie set with httpOnly turned off", Confidence.HIGH, fix
    if is_false(secure):
        return f"`{named.name}` cookie set with secure turned off", Confidence.HIGH, fix
    if secure is None:
        return f"`{named.name}` cookie is sent without secure", Confidence.MEDIUM, fix
    return None


def _cookie(module: ir.Module, call: ir.Call) -> Iterator[tuple[str, Confidence, str]]:
    name = const_str(call.args[0]) or ""
    value = call.args[1]
    if isinstance(value, ir.Const) and not value.value:
        return  # clearing the cookie at logout
    options = call.args[2] if len(call.args) > 2 else None
    if options is not None and (not isinstance(options, ir.DictExpr) or has_spread(options)):
        return
    auth = bool(_AUTH_COOKIE.search(name)) and not _CSRF.search(name)
    secure, httponly = option(options, "secure"), option(options, "httpOnly")
    label = f'cookie "{name}"' if name else "cookie"
    fixed = _fixed(module, call)
    if (const_str(option(options, "sameSite")) or "").lower() == "none" and not is_true(secure):
        yield f"{label} set with sameSite 'none' but without secure", Confidence.HIGH, fixed
        return
    if not auth:
        if is_false(secure):
            yield f"{label} set with secure turned off", Confidence.MEDIUM, fixed
        return
    off = [flag for flag, expr in (("secure", secure), ("httpOnly", httponly)) if is_false(expr)]
    missing = [flag for flag, expr in (("secure", secure), ("httpOnly", httponly)) if expr is None]
    if off:
        yield f"Auth {label} set with {' and '.join(off)} turned off", Confidence.HIGH, fixed
    elif missing:
        yield f"Probable auth {label} set without {' and '.join(missing)}", Confidence.MEDIUM, fixed


def _fixed(module: ir.Module, call: ir.Call) -> str:
    """The same `res.cookie(name, value, ...)` with the three flags as its options."""
    raw = module.line_text(call.line)
    if call.end_line not in (0, call.line) or len(call.args) > 3:
        return ""
    func = ir.dotted_name(call.func) or "res.cookie"
    start = raw.find(func + "(")
    if start < 0:
        return ""
    first_args = raw[start + len(func) + 1:]
    depth, cut = 0, -1
    commas = 0
    for index, char in enumerate(first_args):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                cut = index
                break
            depth -= 1
        elif char == "," and depth == 0:
            commas += 1
            if commas == 2:
                cut = index
                break
    if cut < 0:
        return ""
    return f"{raw[:start]}{func}({first_args[:cut]}, {_SAFE_OPTIONS});"


RULE = Rule("js-insecure-cookie", frozenset({"insecure-cookie"}), "javascript", check,
            requires=("cookie", "session"))
