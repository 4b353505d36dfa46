"""Sign-ins: handlers that check the password they are sent, as opposed to routes that check their caller.

A handler authenticates its caller when it checks a credential the caller presents with this
request (the `Authorization` or API-key header, a bearer token, the session, a signature over the
body) and refuses the request otherwise. A handler that checks a password the client sends and
then issues a session or a token is how a caller *gets* such a credential: a sign-in, public by
design, whatever its helpers are called (`verify_password`, a project's `verify_user`). Telling
the two apart by the helper's name (verify, authenticate) marked sign-ins "required", which hid
what only matters on an open sign-in (attempt limits, account enumeration) and misdescribed it.

The handler's body is read together with the helpers of its module it calls, two calls deep (the
same reach as python_handlers' own credential check).
"""
from __future__ import annotations

import re
from typing import Iterator, Mapping

from servicelens import ir
from servicelens.rules.python import _access as access
from servicelens.rules.python._common import words

# header names a caller presents a credential in, lower-cased
PRESENTED_HEADERS = frozenset({"authorization", "x-api-key", "x-auth-token", "api-key", "http_authorization"})
_PASSWORD = re.compile(r"(?i)pass_?words?|passwd|passphrase|pwd")
# calls that create an account with the password they are handed: a sign-up or set-up, not a sign-in
_CREATES = frozenset({"create", "register", "signup", "add", "insert", "new"})
# and calls that transform a password for storing it (`encrypt_user_password(...)`): no check either
_TRANSFORMS = frozenset({"encrypt", "hash"})
# calls that store a new password rather than check one (a sign-up or reset also handles a password)
_SETS_PASSWORD = re.compile(r"(?i)^(set_password|make_password|hash_password|get_password_hash|generate_password_hash|"
                            r"hash|encrypt_password)$")
# what a sign-in hands back: a session (`login_user(user)`, `session["uid"] = ...`) or a token
_SIGN_IN_WORDS = frozenset({"login", "signin", "logon"})
_ISSUED = frozenset({"token", "tokens", "session", "jwt", "cookie"})
_ISSUING_VERBS = frozenset({"create", "issue", "generate", "new", "make", "encode", "start", "mint", "sign", "grant",
                            "obtain", "set", "build"})
_TOKEN_KEY = re.compile(r"(?i)^(access_?token|refresh_?token|auth_?token|id_?token|token|jwt|session_?(id|key|token)?)$")
# checks of a credential presented with the request: a token or a signature verified
_PRESENTED = frozenset({"token", "jwt", "signature", "hmac", "signed", "apikey", "api_key", "bearer"})
_CHECKING_VERBS = frozenset({"verify", "check", "validate", "decode", "authenticate", "unsign", "loads"})
_DEPTH = 2


def signs_in(function: ir.Function, local: Mapping[str, ir.Function]) -> bool:
    """The handler checks a password the client sent and issues a session or token, and checks
    no credential presented with the request (a header, a token, the session's caller)."""
    bodies = list(_bodies(function, local))
    return _checks_password(bodies) and _issues_credential(bodies) and not _creates_account(bodies) \
        and not _checks_presented(bodies)


def _bodies(function: ir.Function, local: Mapping[str, ir.Function], depth: int = 0,
            seen: frozenset[int] = frozenset()) -> Iterator[ir.Function]:
    """The handler, and the functions of its module it calls by name or through `self`, two deep."""
    yield function
    if depth >= _DEPTH:
        return
    seen = seen | {id(function)}
    for helper in access.called_helpers(function, local):
        if id(helper) not in seen:
            yield from _bodies(helper, local, depth + 1, seen | {id(helper)})


def _calls(bodies: list[ir.Function]) -> Iterator[ir.Call]:
    for function in bodies:
        for stmt in ir.walk_stmts(function.body):
            for expr in ir.stmt_exprs(stmt):
                yield from (node for node in ir.walk_expr(expr) if isinstance(node, ir.Call))


def _checks_password(bodies: list[ir.Function]) -> bool:
    """Some call is handed a password (`verify_user(form.username.data, form.password.data)`,
    `authenticate(username=..., password=...)`) or a parameter typed as the credentials form
    (`data: CredentialsRequestForm = Depends()`, `OAuth2PasswordRequestForm`), other than a call
    that stores a new password."""
    forms = {p.name for f in bodies for p in f.params if _credentials_form(p)}
    return any(_handed_password(call, forms) for call in _calls(bodies)
               if not _SETS_PASSWORD.match(_last(call.func)) and not _stores(call)
               and not _transforms(call))


def _transforms(call: ir.Call) -> bool:
    """`encrypt_user_password(password)`, `hash(password)`; not `check_password_hash(...)`, a check."""
    said = set(words(_last(call.func)))
    return bool(said & _TRANSFORMS) and not said & _CHECKING_VERBS


def _creates_account(bodies: list[ir.Function]) -> bool:
    """A password is handed to a call that creates an account (`create_superuser(email, password)`) and then,
    in the same block, checked: the sign-up or set-up logging the new account in. A sign-in that only
    creates the first account on a branch of its own (`if no users yet: create_subscriber(...)`) stays one."""
    forms: frozenset[str] = frozenset()
    for function in bodies:
        for block in _blocks(function.body):
            for i, stmt in enumerate(block):
                if any(_stores(c) and _handed_password(c, forms) for c in _own_calls(stmt)) \
                        and _checks_password_in(block[i + 1:]):
                    return True
    return False


def _checks_password_in(block: tuple[ir.Stmt, ...]) -> bool:
    return any(_handed_password(call, frozenset()) and not _SETS_PASSWORD.match(_last(call.func))
               and not _stores(call) and not _transforms(call)
               for stmt in ir.walk_stmts(block) for call in _own_calls(stmt))


def _blocks(body: tuple[ir.Stmt, ...]) -> Iterator[tuple[ir.Stmt, ...]]:
    """The body and every statement list nested in it."""
    yield body
    for stmt in ir.walk_stmts(body):
        for name in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, name, ())
            if inner and isinstance(inner, tuple) and not isinstance(stmt, ir.Function):
                yield inner
        for handler in getattr(stmt, "handlers", ()) if isinstance(stmt, ir.Try) else ():
            yield handler.body


def _own_calls(stmt: ir.Stmt) -> Iterator[ir.Call]:
    for expr in ir.stmt_exprs(stmt):
        yield from (node for node in ir.walk_expr(expr) if isinstance(node, ir.Call))


def _stores(call: ir.Call) -> bool:
    return bool(set(_joined(words(_last(call.func)))) & _CREATES)


def _handed_password(call: ir.Call, forms: set[str] | frozenset[str]) -> bool:
    handed = [*call.args, *(kw.value for kw in call.kwargs)]
    return any(kw.name and _PASSWORD.search(kw.name) for kw in call.kwargs) or any(_names_password(a) for a in handed) \
        or any(isinstance(n, ir.Name) and n.id in forms for a in handed for n in ir.walk_expr(a))


# what the type of a parameter carrying a sign-in's fields is called: `OAuth2PasswordRequestForm`,
# `CredentialsRequestForm`, `LoginForm`, `SignInPayload`
_CREDENTIAL_FORM_WORDS = frozenset({"password", "credentials", "credential", "login", "signin"})


def _credentials_form(param: ir.Param) -> bool:
    names = [ir.dotted_name(n) or "" for e in (param.annotation, param.default) if e is not None
             for n in ir.walk_expr(e) if isinstance(n, (ir.Name, ir.Attr))]
    return any(set(_joined(words(name.rsplit(".", 1)[-1]))) & _CREDENTIAL_FORM_WORDS for name in names)


def _names_password(expr: ir.Expr) -> bool:
    """The argument reads a password: a name or attribute named for one (`password`, `form.password.data`,
    `data.old_password.get_secret_value()`) or a field read by that key (`request.form["password"]`,
    `body.get("password")`). A dict being written (`{"password": get_password_hash(email)}`) checks none."""
    if isinstance(expr, ir.Await):
        return _names_password(expr.value)
    if isinstance(expr, (ir.Name, ir.Attr)):
        return any(_PASSWORD.search(part) for part in (ir.dotted_name(expr) or "").split("."))
    if isinstance(expr, ir.Subscript):
        return _password_key(expr.index) or _names_password(expr.value)
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and not _SETS_PASSWORD.match(expr.func.attr):
        return expr.func.attr == "get" and bool(expr.args) and _password_key(expr.args[0]) \
            or _names_password(expr.func.value)
    return False


def _password_key(key: ir.Expr) -> bool:
    return isinstance(key, ir.Const) and isinstance(key.value, str) and bool(_PASSWORD.search(key.value))


def _issues_credential(bodies: list[ir.Function]) -> bool:
    """`login_user(user)`, `login(request, user)`, `create_access_token(...)`, `jwt.encode(...)`,
    `response.set_cookie(...)`, `session["user_id"] = user.id`, `return {"access_token": ...}`."""
    for call in _calls(bodies):
        said = set(_joined(words(_last(call.func))))
        if said & _SIGN_IN_WORDS or said & _ISSUED and said & _ISSUING_VERBS or _last(call.func) == "set_cookie":
            return True
    for function in bodies:
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Assign) and any(_session_slot(t) for t in stmt.targets):
                return True
            if isinstance(stmt, ir.Return) and stmt.value is not None and _returns_token(stmt.value):
                return True
    return False


def _session_slot(target: ir.Expr) -> bool:
    return isinstance(target, ir.Subscript) and (ir.dotted_name(target.value) or "").rsplit(".", 1)[-1] == "session"


def _returns_token(value: ir.Expr) -> bool:
    for node in ir.walk_expr(value):
        if isinstance(node, ir.DictExpr) and any(isinstance(k, ir.Const) and isinstance(k.value, str)
                                                 and _TOKEN_KEY.match(k.value) for k in node.keys):
            return True
        if isinstance(node, ir.Call) and any(kw.name and _TOKEN_KEY.match(kw.name) for kw in node.kwargs):
            return True
    return False


def _checks_presented(bodies: list[ir.Function]) -> bool:
    """A credential presented with the request is read: an auth header, the caller the framework
    or the session holds (`request.user`, `current_user`, `session["user_id"]`), or a token or
    signature verified. A sign-in page that sends a caller already signed in elsewhere
    (`if current_user.is_authenticated: return redirect(...)`) checks nothing of theirs."""
    injected = _injected_params(bodies[0])
    for function in bodies:
        shortcut = {id(n) for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.If)
                    and _already_signed_in(stmt.test) for n in ir.walk_expr(stmt.test)}
        for stmt in ir.walk_stmts(function.body):
            targets = {id(n) for t in (stmt.targets if isinstance(stmt, ir.Assign) else ())
                       for n in ir.walk_expr(t)}
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if id(node) in shortcut or id(node) in targets:
                        continue
                    if _presented(node) or _identity_of(node, injected):
                        return True
    return False


# what an identity is read as: `context.email`, `ctx.user_id`, `auth.account`
_IDENTITY_WORDS = frozenset({"user", "email", "username", "account", "uid", "tenant", "principal", "identity"})


def _injected_params(function: ir.Function) -> frozenset[str]:
    """Parameters a framework fills from a dependency (`context: CurrentContext = Depends(OR_context)`),
    besides the credentials form the client sends."""
    return frozenset(p.name for p in function.params if not _credentials_form(p) and any(
        (ir.dotted_name(n) or "").rsplit(".", 1)[-1] in ("Depends", "Security")
        for e in (p.default, p.annotation) if e is not None for n in ir.walk_expr(e)))


def _identity_of(node: ir.Expr, injected: frozenset[str]) -> bool:
    """`context.email` of an injected `context`: whose account it is comes from the server (the
    caller a dependency resolved), not from what the client typed: a re-confirmation, not a sign-in."""
    return isinstance(node, ir.Attr) and isinstance(node.value, ir.Name) and node.value.id in injected \
        and bool(set(words(node.attr)) & _IDENTITY_WORDS)


def _presented(node: ir.Expr) -> bool:
    if isinstance(node, ir.Const) and isinstance(node.value, str) and node.value.lower() in PRESENTED_HEADERS:
        return True
    if isinstance(node, ir.Attr) and node.attr == "authorization":
        return True
    if isinstance(node, ir.Call):
        said = set(words(_last(node.func)))
        if said & _CHECKING_VERBS and said & _PRESENTED and not said & _ISSUING_VERBS:
            return True
    return access.is_principal_node(node, frozenset())


def _already_signed_in(test: ir.Expr) -> bool:
    """`if current_user.is_authenticated:` / `if request.user.is_authenticated:` (not negated)."""
    return isinstance(test, ir.Attr) and test.attr == "is_authenticated"


def _joined(parts: list[str]) -> list[str]:
    """`log`, `in` -> also `login`; `sign`, `in` -> also `signin`."""
    pairs = {("log", "in"): "login", ("sign", "in"): "signin", ("log", "on"): "logon", ("sign", "up"): "signup"}
    return parts + [pairs[pair] for pair in zip(parts, parts[1:]) if pair in pairs]


def _last(func: ir.Expr) -> str:
    return (ir.dotted_name(func) or "").rsplit(".", 1)[-1]
