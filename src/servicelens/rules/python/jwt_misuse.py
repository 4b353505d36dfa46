"""JWT misuse: tokens whose signature, algorithm or lifetime is not enforced (PyJWT, python-jose).

## What it finds
- `jwt.decode(...)` with `options={"verify_signature": False}` or `verify=False`;
- `algorithms=[..., "none"]` on decode, `algorithm="none"` on encode;
- `jwt.decode(token, key)` with no `algorithms=`, or with algorithms read from the token's own
  unverified header (`algorithms=[jwt.get_unverified_header(token)["alg"]]`): the token picks;
- python-jose's `jwt.get_unverified_claims(token)` where the claims decide who the caller is
  (the same test as an unverified decode);
- authlib's `jwt.decode(token, key)` whose claims are used without `claims.validate()`: authlib
  checks the signature in `decode` but `exp`, `nbf` and `iat` only in `validate`;
- `options={"verify_exp": False}` (expired tokens accepted);
- `jwt.encode(payload, ...)` where the payload is a dict literal visible in the function and
  no `exp` claim is ever set;
- a string literal (or a module constant holding one) as the signing/verification key;
- a JWT library switched off in its configuration (models/vocabulary/jwt_settings.yaml):
  Flask-JWT-Extended's `JWT_ACCESS_TOKEN_EXPIRES = False` (tokens that never expire),
  djangorestframework-jwt's `JWT_AUTH = {"JWT_VERIFY": False}` or `"JWT_VERIFY_EXPIRATION": False`,
  in a config class, a settings module, `app.config[...] = False` or `app.config.update(...)`;
- a hand-written verifier that checks expiry only when the token has an `exp` claim
  (`if "exp" in payload and payload["exp"] < time.time(): ...`).

## Why it matters
An unverified or `none`-algorithm token is just base64 the client wrote: anyone can claim
`{"user_id": 1, "is_admin": true}`. Without pinned algorithms an RS256 public key can be
used as an HS256 secret (algorithm confusion). A token with no expiry stays valid forever
once stolen, and a key in the source lets anyone who read the repository mint tokens.

## Example
```python
claims = jwt.decode(token, options={"verify_signature": False})
```
Use instead:
```python
claims = jwt.decode(token, settings.JWT_PUBLIC_KEY, algorithms=["RS256"], audience="api")
```

## Fix
Always pass the key and an explicit `algorithms=[...]` allow-list, keep `exp` verification
on, set `exp` (and `iat`) when issuing, and load keys from configuration.

## Known problems
Unverified decoding used only to read the header or issuer before a verified decode in
the same function is not reported. Payloads built by helpers or `dict(...)` are not
checked for `exp`. Wrappers around PyJWT are not followed.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.python._common import (
    const_str, is_const, is_dev_path, is_secret_name, is_test_path, location, module_constants,
)
from servicelens.rules.python._purpose import vocabulary_file
from servicelens.rules.python._secrets import looks_like_secret
from servicelens.taint.scope import ModuleScope

_DECODE = frozenset({"jwt.decode", "jwt.api_jwt.decode", "jose.jwt.decode", "jwt.decode_complete"})
_ENCODE = frozenset({"jwt.encode", "jwt.api_jwt.encode", "jose.jwt.encode"})
# python-jose's reader of the payload that skips the signature, like PyJWT's verify_signature=False
_UNVERIFIED_CLAIMS = frozenset({"jose.jwt.get_unverified_claims", "jose.jws.get_unverified_claims"})
# readers of a token's header before verification: what they return is the client's
_HEADER_READERS = ("get_unverified_header", "get_unverified_headers")
_AUTHLIB_DECODE = frozenset({"authlib.jose.jwt.decode"})
_AUTHLIB_FACTORIES = frozenset({"authlib.jose.JsonWebToken", "authlib.jose.rfc7519.JsonWebToken"})
_PEEK = ("unverified", "unsafe", "peek", "header", "insecure", "inspect", "issuer")

Issue = tuple[ir.Call, str, str, Confidence, str]  # call, title, why, confidence, fix


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path):
        return
    constants = module_constants(module)
    index = file_index(module, scope)
    disabled = _disabled_settings()
    # a test or development configuration switches checks off on purpose
    dev = is_dev_path(module.path)
    dev_bodies = {id(c.body) for c in module.classes if _DEV_CONFIG.search(c.name)}
    for function, body in all_bodies(module):
        for node, setting in () if dev or id(body) in dev_bodies else _settings_set_false(body, disabled):
            yield make_finding(
                "jwt-misuse", location(module, node), f"JWT check switched off in configuration (`{setting}`)",
                f"`{setting} = False`: {disabled[setting]}, so a stolen or forged token keeps working.",
                confidence=Confidence.HIGH, severity=Severity.HIGH,
                fix=Fix("Keep the library's check on; give access tokens a short lifetime.",
                        f"{setting} = timedelta(minutes=15)" if "EXPIRES" in setting else f"# remove {setting}",
                        "python"),
                rule=RULE.id, key=f"setting:{setting}",
            )
        for test in _optional_expiry_tests(body):
            yield make_finding(
                "jwt-misuse", location(module, test), "Token expiry is checked only when the token carries one",
                "The verifier rejects an expired `exp` but accepts a token with no `exp` at all, so a token "
                "minted (or leaked) without one never expires.", confidence=Confidence.MEDIUM,
                severity=Severity.MEDIUM,
                fix=Fix("Require the claim: reject a token whose `exp` is missing, then compare it with the "
                        "current time.", 'exp = payload.get("exp")\nif exp is None or exp < time.time():\n'
                        '    raise ValueError("expired or missing exp")', "python"),
                rule=RULE.id, key="optional-exp",
            )
        calls = [(c, scope.qualify(ir.dotted_name(c.func) or "", function, set()) or "")
                 for c in index.block_of_kind(body, ir.Call)]
        decodes = [c for c, name in calls if name in _DECODE]
        for call, name in calls:
            issues: Iterator[Issue]
            if name in _DECODE:
                issues = _decode_issues(call, name, function, len(decodes) > 1, body)
            elif name in _UNVERIFIED_CLAIMS:
                issues = _unverified_claims_issues(call, function, bool(decodes))
            elif _is_authlib_decode(call, name, scope, function, constants):
                issues = _authlib_issues(call, body)
            elif name in _ENCODE:
                issues = _encode_issues(call, name, function, body)
            else:
                continue
            issues = _chain(issues, _key_issue(call, name, constants))
            for node, title, why, confidence, fix in issues:
                yield make_finding(
                    "jwt-misuse", location(module, node), title, why, confidence=confidence,
                    severity=Severity.HIGH if confidence is Confidence.HIGH else Severity.MEDIUM,
                    fix=Fix(fix, _fix_code(node, title), "python"),
                    rule=RULE.id, key=title,
                )


_DEV_CONFIG = re.compile(r"(?i)test|dev|local|debug")


@lru_cache(maxsize=1)
def _disabled_settings() -> Mapping[str, str]:
    return dict(vocabulary_file("jwt_settings.yaml")["disabled_when_false"])


def _settings_set_false(body: tuple[ir.Stmt, ...], disabled: Mapping[str, str]) -> Iterator[tuple[ir.Expr | ir.Stmt, str]]:
    """`JWT_ACCESS_TOKEN_EXPIRES = False` (a config class or module), `app.config["JWT_VERIFY"] = False`,
    `app.config.update(JWT_ACCESS_TOKEN_EXPIRES=False)`, `{"JWT_VERIFY_EXPIRATION": False}`."""
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and is_const(stmt.value, False):
            for target in stmt.targets:
                name = target.id if isinstance(target, ir.Name) else \
                    const_str(target.index) if isinstance(target, ir.Subscript) else None
                if name in disabled:
                    yield stmt, name
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.DictExpr):
                    for key, value in zip(node.keys, node.values):
                        if key is not None and const_str(key) in disabled and is_const(value, False):
                            yield value, str(const_str(key))
                elif isinstance(node, ir.Call) and ir.last_name(node.func) in ("update", "from_mapping", "dict"):
                    for kw in node.kwargs:
                        if kw.name in disabled and is_const(kw.value, False):
                            yield kw.value, kw.name


def _optional_expiry_tests(body: tuple[ir.Stmt, ...]) -> Iterator[ir.Expr]:
    """`if "exp" in payload and payload["exp"] < time.time(): raise ...`: a hand-written verifier
    whose expiry check is skipped when the claim is absent."""
    for stmt in ir.walk_stmts(body):
        test = stmt.test if isinstance(stmt, ir.If) else None
        if isinstance(test, ir.BoolOp) and test.op == "and" and any(_has_exp(v) for v in test.values) \
                and any(isinstance(v, ir.Compare) and v.ops[0] in ("<", "<=", ">", ">=") and
                        any(_reads_exp(side) for side in (v.left, *v.comparators)) for v in test.values):
            yield test


def _has_exp(expr: ir.Expr) -> bool:
    """`"exp" in claims` or a bare `claims.get("exp")` / `claims["exp"]` truth test."""
    if isinstance(expr, ir.Compare) and expr.ops == ("in",) and const_str(expr.left) == "exp":
        return True
    return _reads_exp(expr) and not isinstance(expr, ir.Compare)


def _reads_exp(expr: ir.Expr) -> bool:
    if isinstance(expr, ir.Subscript):
        return const_str(expr.index) == "exp"
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr == "get" and expr.args:
        return const_str(expr.args[0]) == "exp"
    return False


def _chain(*parts: Iterable[Issue]) -> Iterator[Issue]:
    for part in parts:
        yield from part


def _peek_only(function: ir.Function | None) -> bool:
    """A helper that only peeks at claims (routing, logging) is fine; one that decides whether a
    caller is authenticated (`*verify*`, `*auth*`) is not, whatever its name says."""
    deciding = function is not None and any(w in function.name.lower() for w in ("verify", "auth", "valid", "check", "login"))
    return function is not None and not deciding and (any(word in function.name.lower() for word in _PEEK)
                                                      or _bool_predicate(function))


_UNVERIFIED_ISSUE = ("JWT decoded without verifying its signature",
                     "With signature verification off, the claims are whatever the client wrote: anyone can "
                     "forge a token for any user or role.", Confidence.HIGH,
                     "Pass the verification key and an explicit algorithms list; never trust claims from an "
                     "unverified decode.")


def _decode_issues(call: ir.Call, name: str, function: ir.Function | None, verified_elsewhere: bool,
                   body: tuple[ir.Stmt, ...] = ()) -> Iterator[Issue]:
    options = _dict_items(call.kwarg("options"))
    unverified = is_const(options.get("verify_signature"), False) or is_const(call.kwarg("verify"), False)
    if unverified:
        if not (_peek_only(function) or verified_elsewhere):
            yield (call, *_UNVERIFIED_ISSUE)
        return
    algorithms = call.arg(2, "algorithms")  # PyJWT and python-jose take it third: decode(token, key, ["HS256"])
    if algorithms is not None and _from_token_header(algorithms, body):
        yield (call, "JWT algorithm taken from the token's own header",
               "The allow-list is read from the unverified header, so the client chooses the algorithm: "
               "`none`, or HS256 keyed with the public RSA key (algorithm confusion), passes.",
               Confidence.HIGH, "Pin the algorithm you issue tokens with: algorithms=[\"RS256\"]; use the "
               "header only to pick a key by `kid`.")
    if algorithms is None and call.arg(1, "key") is not None:
        yield (call, "Probable algorithm confusion: JWT decoded without an algorithms allow-list",
               "Without `algorithms=[...]` the token's own header chooses the algorithm, so a token signed "
               "with HS256 using the public RSA key, or an older library accepting `none`, passes.",
               Confidence.MEDIUM, "Pin the algorithm you issue tokens with: algorithms=[\"HS256\"] (or RS256).")
    if _has_none(algorithms):
        yield (call, "JWT decode accepts the \"none\" algorithm",
               "A token with `alg: none` carries no signature; accepting it lets anyone forge claims.",
               Confidence.HIGH, "Remove \"none\" from algorithms and list only the algorithm you sign with.")
    if is_const(options.get("verify_exp"), False):
        yield (call, "JWT expiry is not checked",
               "`verify_exp: False` accepts expired tokens, so a leaked token works forever.",
               Confidence.HIGH, "Keep expiry verification on (drop verify_exp) and issue short-lived tokens.")


def _unverified_claims_issues(call: ir.Call, function: ir.Function | None, verified_elsewhere: bool
                              ) -> Iterator[Issue]:
    """python-jose's `get_unverified_claims(token)`: judged as an unverified decode is."""
    if not (_peek_only(function) or verified_elsewhere):
        yield (call, *_UNVERIFIED_ISSUE)


def _from_token_header(algorithms: ir.Expr, body: tuple[ir.Stmt, ...]) -> bool:
    """`[header["alg"]]` with `header = jwt.get_unverified_header(token)`, or the reader's call
    inline: the algorithm list is whatever the token says."""
    headers = {ir.dotted_name(t) for s in ir.walk_stmts(body) if isinstance(s, ir.Assign) and _reads_header(s.value)
               for t in s.targets if isinstance(t, ir.Name)}
    return _reads_header(algorithms) or any(isinstance(n, ir.Name) and n.id in headers for n in ir.walk_expr(algorithms))


def _reads_header(expr: ir.Expr | None) -> bool:
    return expr is not None and any(isinstance(n, ir.Call) and (ir.dotted_name(n.func) or "").endswith(_HEADER_READERS)
                                    for n in ir.walk_expr(expr))


def _is_authlib_decode(call: ir.Call, name: str, scope: ModuleScope, function: ir.Function | None,
                       constants: dict[str, ir.Assign]) -> bool:
    """`jwt.decode(...)` on authlib's module object or on a `JsonWebToken([...])` instance."""
    if name in _AUTHLIB_DECODE:
        return True
    func = call.func
    if not isinstance(func, ir.Attr) or func.attr != "decode" or not isinstance(func.value, ir.Name):
        return False
    built = constants.get(func.value.id)
    value = built.value if built is not None else None
    return isinstance(value, ir.Call) and \
        (scope.qualify(ir.dotted_name(value.func) or "", function, set()) or "") in _AUTHLIB_FACTORIES


def _authlib_issues(call: ir.Call, body: tuple[ir.Stmt, ...]) -> Iterator[Issue]:
    """authlib verifies the signature in `decode` and the time claims only in `claims.validate()`:
    claims bound to a name, read in the function and never validated, were never checked for
    expiry. Claims handed back unread (`return claims`) are the caller's to validate."""
    names = {t.id for s in ir.walk_stmts(body) if isinstance(s, ir.Assign) and s.value is call
             for t in s.targets if isinstance(t, ir.Name)}
    if not names:
        return
    validated = returned = used = False
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Name) and stmt.value.id in names:
            returned = True
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "validate" \
                        and isinstance(node.func.value, ir.Name) and node.func.value.id in names:
                    validated = True
                elif isinstance(node, ir.Name) and node.id in names and not (isinstance(stmt, ir.Assign) and stmt.value is call):
                    used = True
    if used and not validated and not returned:
        yield (call, "JWT claims used without validation (authlib)",
               "authlib's `decode` checks the signature only; `exp`, `nbf` and `iat` are checked by "
               "`claims.validate()`, which is never called, so an expired token is accepted forever.",
               Confidence.HIGH, "Call `claims.validate()` (with the leeway you allow) before using the claims.")


def _bool_predicate(function: ir.Function) -> bool:
    """`def is_our_token(t): ... return True/False`: unverified claims used only to route the token
    to the right verifier, never returned to the caller."""
    returns = [s for s in ir.walk_stmts(function.body) if isinstance(s, ir.Return)]
    return bool(returns) and all(isinstance(s.value, ir.Const) and isinstance(s.value.value, bool) for s in returns)


def _encode_issues(call: ir.Call, name: str, function: ir.Function | None, body: tuple[ir.Stmt, ...]
                   ) -> Iterator[Issue]:
    algorithm = const_str(call.arg(2, "algorithm"))
    if algorithm is not None and algorithm.lower() == "none":
        yield (call, "JWT issued with the \"none\" algorithm",
               "An unsigned token can be altered by anyone who holds it.", Confidence.HIGH,
               "Sign with HS256 (shared secret) or RS256/ES256 (key pair).")
    payload = call.arg(0, "claims" if name.startswith("jose.") else "payload")
    keys = _payload_keys(payload, body) if function is not None else None
    if keys is not None and "exp" not in keys:
        yield (call, "JWT issued without an expiry (exp) claim",
               "A token without `exp` never expires: once leaked (logs, browser storage, a proxy) it grants "
               "access until the signing key is rotated.", Confidence.MEDIUM,
               "Add an `exp` claim, e.g. \"exp\": datetime.now(timezone.utc) + timedelta(minutes=15).")


def _key_issue(call: ir.Call, name: str, constants: dict[str, ir.Assign]) -> Iterator[Issue]:
    key = call.arg(1, "key")
    literal = const_str(key)
    if literal is None and isinstance(key, ir.Name) and key.id in constants:
        value = constants[key.id].value
        literal = const_str(value)
        if literal is not None and is_secret_name(key.id, strict=True) and looks_like_secret(literal):
            return  # the hard-coded secret rule reports the assignment itself
    if literal is None or literal.startswith("-----BEGIN PUBLIC KEY") or not literal:
        return
    yield (call, "JWT key is hard-coded",
           "Anyone who can read the source (or guess a short key) can mint valid tokens for any user.",
           Confidence.HIGH, "Load the signing key from configuration or a secret manager and rotate it.")


def _dict_items(expr: ir.Expr | None) -> dict[str, ir.Expr]:
    if not isinstance(expr, ir.DictExpr):
        return {}
    return {k.value: v for k, v in zip(expr.keys, expr.values)
            if isinstance(k, ir.Const) and isinstance(k.value, str)}


def _has_none(expr: ir.Expr | None) -> bool:
    if expr is None:
        return False
    return any(isinstance(n, ir.Const) and isinstance(n.value, str) and n.value.lower() == "none"
               for n in ir.walk_expr(expr))


def _payload_keys(payload: ir.Expr | None, body: tuple[ir.Stmt, ...]) -> set[str] | None:
    """The claim names of a payload built in view, or None when it cannot be known."""
    if isinstance(payload, ir.DictExpr):
        return _literal_keys(payload)
    if not isinstance(payload, ir.Name):
        return None
    keys: set[str] | None = None
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign):
            for target in stmt.targets:
                if isinstance(target, ir.Name) and target.id == payload.id:
                    keys = _literal_keys(stmt.value) if isinstance(stmt.value, ir.DictExpr) else None
                    if keys is None:
                        return None
                elif isinstance(target, ir.Subscript) and ir.dotted_name(target.value) == payload.id:
                    index = const_str(target.index)
                    if index is None:
                        return None
                    keys = (keys or set()) | {index}
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) \
                        and ir.dotted_name(node.func.value) == payload.id and node.func.attr in ("update", "setdefault"):
                    return None
    return keys


def _literal_keys(expr: ir.DictExpr) -> set[str] | None:
    if any(k is None for k in expr.keys):
        return None  # `**other` may carry exp
    return {str(k.value) for k in expr.keys if isinstance(k, ir.Const)}


def _fix_code(call: ir.Call, title: str) -> str:
    """The offending call rewritten with the caller's own token, key and payload names."""
    func = ir.dotted_name(call.func) or "jwt.decode"
    module = func.rsplit(".", 1)[0] if "." in func else "jwt"
    first = ir.dotted_name(call.args[0]) if call.args else None
    key = call.arg(1, "key")
    key_name = ir.dotted_name(key) if key is not None and const_str(key) is None else None
    key_name = key_name or "settings.JWT_SECRET"
    if "issued" in title or (func.endswith("encode") and "hard-coded" in title):
        payload = first or "payload"
        return (f'{payload}["exp"] = datetime.now(timezone.utc) + timedelta(minutes=15)\n'
                f'token = {module}.encode({payload}, {key_name}, algorithm="HS256")')
    token = first or "token"
    if "authlib" in title:
        return f"claims = {func}({token}, {key_name})\nclaims.validate()"
    return f'claims = {module}.decode({token}, {key_name}, algorithms=["HS256"])'


RULE = Rule("py-jwt-misuse", frozenset({"jwt-misuse"}), "python", check, requires=("jwt", "jose"))
