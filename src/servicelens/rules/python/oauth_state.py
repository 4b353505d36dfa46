"""OAuth `state` that is a constant: the authorization request carries a value every visitor
shares, so the callback cannot tell its own login from one an attacker started.

## What it finds
The parameters of an OAuth 2.0 / OpenID Connect authorization request (a dict literal or a
`dict(...)`/`urlencode(...)` call naming `state` beside at least two of `client_id`,
`redirect_uri`, `response_type` and `scope`) whose `state` is a string literal, or a local or
module constant every binding of which is the same string literal
(`state = "some_random_string_or_csrf_token"`), reported where that literal is written.

## Why it matters
`state` is the CSRF token of the OAuth redirect dance (RFC 6749 10.12): the client makes a fresh,
unguessable value per login, keeps it in the user's session and refuses a callback whose `state`
differs. A constant is known to everyone, so an attacker can start a login with their own account,
stop before the callback and send the victim the callback URL: the victim's browser completes the
login into the attacker's account (login CSRF), or links the attacker's identity to the victim's
account, and everything the victim then saves is the attacker's to read.

## Example
```python
params = {"client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI, "scope": "read:user",
          "state": "some_random_string_or_csrf_token"}
```
Use instead:
```python
state = secrets.token_urlsafe(32)
request.session["oauth_state"] = state
params = {"client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI, "scope": "read:user", "state": state}
```

## Fix
Generate `state` per login with `secrets.token_urlsafe()`, keep it in the session (or a signed,
short-lived cookie) and compare it with `hmac.compare_digest` in the callback before exchanging
the code; or use the OAuth library's own client (Authlib, requests-oauthlib), which does both.

## Known problems
Only literals are read: a `state` built from other constants (`PREFIX + "x"`), or computed
from something guessable (a user id, a timestamp), is not reported (false negative). Whether
the callback checks `state` is not read: a constant cannot be checked meaningfully either way.
"""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.python._common import is_test_path
from servicelens.taint.scope import ModuleScope

# the other parameters of an authorization request (RFC 6749 4.1.1): two of them make the
# mapping an authorization request rather than any dict with a `state` key
_AUTHORIZATION_KEYS = frozenset({"client_id", "redirect_uri", "response_type", "scope"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path):
        return
    index = file_index(module, scope)
    if len(_AUTHORIZATION_KEYS.intersection(index.named("consts"))
           | _AUTHORIZATION_KEYS.intersection(index.named("keywords"))) < 2:
        return  # an authorization request names two of them, as dict keys or keywords
    constants = _literal_names(module.body)
    seen: set[int] = set()
    for function, body in all_bodies(module):
        local = _literal_names(function.body) if function is not None else constants
        for node in index.block_nodes(body):  # every statement's nodes, in walk order
            state = _state_of(node)
            if state is None or state.line in seen:
                continue
            found = _literal(state, local, constants, function)
            if found is not None and found[1] not in seen:
                seen.add(found[1])
                yield _finding(module, found[1], found[0], state.id if isinstance(state, ir.Name) else "state")


def _state_of(node: ir.Expr) -> ir.Expr | None:
    """The `state` value of an authorization request's parameters, else None."""
    if isinstance(node, ir.DictExpr):
        pairs = [(k.value, v) for k, v in zip(node.keys, node.values)
                 if isinstance(k, ir.Const) and isinstance(k.value, str)]
    elif isinstance(node, ir.Call) and ir.last_name(node.func) in ("dict", "urlencode", "build_url", "add_params"):
        pairs = [(kw.name, kw.value) for kw in node.kwargs if kw.name is not None]
    else:
        return None
    names = {name for name, _ in pairs}
    if len(names & _AUTHORIZATION_KEYS) < 2:
        return None
    return next((value for name, value in pairs if name == "state"), None)


def _literal(value: ir.Expr, local: dict[str, tuple[str, int] | None], constants: dict[str, tuple[str, int] | None],
             function: ir.Function | None) -> tuple[str, int] | None:
    """(the string the value always is, the line that writes it): a literal, or a name every
    binding of which is that literal (the line of its binding: what the fix changes)."""
    if isinstance(value, ir.Const) and isinstance(value.value, str) and value.value:
        return value.value, value.line
    if not isinstance(value, ir.Name):
        return None
    if function is not None and any(p.name == value.id for p in function.params):
        return None
    if value.id in local:
        return local[value.id]
    return constants.get(value.id) if function is not None else None


def _literal_names(body: tuple[ir.Stmt, ...]) -> dict[str, tuple[str, int] | None]:
    """Names bound in `body` (nested blocks too): (the literal string, its first binding's line),
    when every binding is the same non-empty literal, else None."""
    found: dict[str, tuple[str, int] | None] = {}
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, (ir.For, ir.With)) or (isinstance(stmt, ir.Assign) and stmt.op is not None):
            for name in ir.assigned_names((stmt,)):
                found[name] = None
            continue
        if not isinstance(stmt, ir.Assign):
            continue
        for target in stmt.targets:
            if not isinstance(target, ir.Name):
                for name in ir.assigned_names((stmt,)):
                    found[name] = None
                continue
            value = stmt.value
            text = (value.value, stmt.line) if isinstance(value, ir.Const) and isinstance(value.value, str) \
                and value.value else None
            if target.id not in found:
                found[target.id] = text
            elif found[target.id] is None or text is None or found[target.id][0] != text[0]:
                found[target.id] = None
    return found


def _finding(module: ir.Module, line: int, literal: str, name: str) -> Finding:
    """`name`: what holds the state where the literal is written (the local or constant), the name
    the fix binds to a fresh value."""
    shown = literal if len(literal) <= 40 else literal[:37] + "..."
    return make_finding(
        "csrf", Location(module.path, line, line),
        f"OAuth `state` is the constant \"{shown}\": the login callback cannot tell its own request from an attacker's",
        "The `state` of an authorization request is its CSRF token: a fresh, unguessable value per login, kept in "
        "the user's session and compared in the callback. This one is the same for everyone, so an attacker can "
        "start a login with their own account and have the victim's browser finish it (login CSRF), linking the "
        "attacker's identity to the victim or the victim's session to the attacker's account.",
        severity=Severity.MEDIUM, confidence=Confidence.HIGH,
        fix=Fix("Generate `state` per login, keep it in the session and compare it in the callback "
                "(`hmac.compare_digest`) before exchanging the code.",
                f"{name} = secrets.token_urlsafe(32)  # per login, not a constant\n"
                f"request.session[\"oauth_state\"] = {name}  # compare it in the callback",
                "python"),
        rule=RULE.id, key=f"state:{literal}",
    )


RULE = Rule("py-oauth-constant-state", frozenset({"csrf"}), "python", check, requires=("state",))
