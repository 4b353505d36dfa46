"""Account enumeration: login or password-reset answers that reveal whether an account exists.

## What it finds
In a login, sign-in, token or password-reset function:
- the branch taken when the user lookup finds nothing (`if user is None:`, `if not user:`,
  `except User.DoesNotExist:`) answers differently (another message or status code) from the
  branch taken when the password check fails (`if not user.check_password(pw):`,
  `if not check_password_hash(...)`);
- or the unknown-user answer says so outright ("user not found", "no account with that
  email", "email is not registered").
Not for a function only a signed-in caller reaches (a login decorator, a FastAPI parameter filled
with the caller), nor for a user looked up by a verified token's value or by its record key only
(`filter_by(id=user_id)`): a row id says nothing about which people have accounts.

## Why it matters
An attacker can test a list of e-mail addresses and learn which are customers, then focus
password spraying and phishing on real accounts, or expose that a person uses a sensitive
service.

## Example
```python
if user is None:
    return jsonify({"error": "No account with that email"}), 404
if not user.check_password(password):
    return jsonify({"error": "Wrong password"}), 401
```
Use instead:
```python
if user is None or not user.check_password(password):
    return jsonify({"error": "Invalid email or password"}), 401
```

## Fix
Answer both cases with the same message and status code (and similar timing: hash a dummy
password when the user does not exist). For resets, always say "if an account exists, we
sent an e-mail".

## Known problems
Only the first return/raise of each branch is compared, and only inside one function.
Registration ("username taken") is not reported: it usually cannot be avoided without
changing the sign-up flow. Different response timing is not detected.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix
from servicelens.rules.base import Rule
from servicelens.rules.python._access import VERIFIED_WORDS, injected_principal
from servicelens.rules.python._common import is_test_path, location, words
from servicelens.taint.lookups import key_field
from servicelens.taint.scope import ModuleScope

AUTH_FUNCTION = re.compile(r"(?i)(log_?in|sign_?in|authenticat|auth|token|reset|forgot|recover|otp|password)")
_USERISH = frozenset({"user", "account", "member", "customer", "usr", "u", "profile", "admin", "login", "person"})
_PASSWORD_CHECKS = re.compile(r"(?i)(check_?password|verify_?password|verify|checkpw|check_password_hash|"
                              r"compare_digest|authenticate|password_matches|is_valid_password|validate_password)")
# an answer that says the account does not exist (shared with the JavaScript rule)
REVEALING = re.compile(r"(?i)(not found|does not exist|doesn'?t exist|no (such )?(user|account)|"
                        r"not registered|unknown (user|email|account)|no user|user .*not exist|"
                        r"invalid (username|email)\b(?! or)|(username|email|user|account) (is )?(incorrect|wrong))")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path):
        return
    for function in module.functions:
        if not AUTH_FUNCTION.search(function.qualname) or re.search(r"(?i)regist|signup|sign_up", function.name):
            continue
        if _requires_login(function):
            continue  # only signed-in (often admin) callers see the answer
        answers = list(_user_missing_answers(function))
        if not answers:
            continue  # no unknown-user answer: what the body binds and how it answers a wrong password do not matter
        assigned = _assigned(function)
        missing = [(stmt, answer) for stmt, answer, looked_up in answers
                   if not _from_verified_token(looked_up, assigned) and not _looked_up_by_key(looked_up, assigned)]
        wrong = list(_password_wrong_answers(function))
        for stmt, answer in missing:
            reason = _reason(answer, wrong)
            if reason is None:
                continue
            confidence = Confidence.HIGH if wrong else Confidence.MEDIUM
            yield make_finding(
                "account-enumeration", location(module, stmt),
                ("Account" if confidence is Confidence.HIGH else "Probable account") + f" enumeration: {reason}",
                "An attacker can submit a list of e-mail addresses or usernames and learn which ones have "
                "accounts, then target them with password spraying and phishing.",
                confidence=confidence,
                fix=Fix("Give the unknown-user and wrong-password cases the same message and status code.",
                        _fix_code(module.line_text(stmt.line)), "python"),
                rule=RULE.id, key=reason,
            )


Answer = tuple[frozenset[str], frozenset[int]]  # messages, status codes


_PRIVILEGED = re.compile(r"(?i)(superuser|admin|staff|current_user|current_active|login_required|permission|"
                         r"IsAuthenticated|requires_auth|jwt_required|auth_required)")


def _requires_login(function: ir.Function) -> bool:
    """A decorator or parameter that says so, or a parameter FastAPI fills with the caller
    (`current_user: CurrentUser`, `Depends(get_current_user)`: _access.injected_principal)."""
    if any(injected_principal(p) for p in function.params):
        return True
    exprs = list(function.decorators) + [e for p in function.params for e in (p.default, p.annotation) if e]
    return any(isinstance(n, (ir.Name, ir.Attr)) and _PRIVILEGED.search(ir.dotted_name(n) or "")
               for e in exprs for n in ir.walk_expr(e))


def _user_missing_answers(function: ir.Function) -> Iterator[tuple[ir.Stmt, Answer, tuple[ir.Expr, ...]]]:
    """Each unknown-user answer, with what the user was looked up by (the tested names, or the
    `try` body whose lookup raised)."""
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.If) and _tests_missing_user(stmt.test):
            found = _first_answer(stmt.body)
            if found is not None:
                yield found[0], found[1], (stmt.test,)
        elif isinstance(stmt, ir.Try):
            for handler in stmt.handlers:
                name = ir.dotted_name(handler.types) if handler.types is not None else ""
                if name and re.search(r"DoesNotExist|NoResultFound|UserNotFound|NotFound", name):
                    found = _first_answer(handler.body)
                    if found is not None:
                        yield found[0], found[1], tuple(e for s in stmt.body for e in ir.stmt_exprs(s))


# a value a verifier produced: `id_token = tokens.decode_id_token()`, `decrypt_message(key)`,
# `signing.loads(...)` is not chosen by the client, so nothing about other accounts is learnt
_TOKEN_WORDS = frozenset({"token", "jwt", "claims"})  # `validated_token`: validated *data* is still the client's
_FOLLOWED_ASSIGNMENTS = 6


def _assigned(function: ir.Function) -> dict[str, list[ir.Expr]]:
    found: dict[str, list[ir.Expr]] = {}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            for target in stmt.targets:
                for node in ir.walk_expr(target):
                    if isinstance(node, ir.Name):
                        found.setdefault(node.id, []).append(stmt.value)
    return found


def _from_verified_token(exprs: tuple[ir.Expr, ...], assigned: dict[str, list[ir.Expr]]) -> bool:
    """The user was looked up by a value a token verifier produced, followed back through the
    function's assignments (`user_email = id_token_decoded["email"]`)."""
    pending, seen = list(exprs), set()
    for _ in range(_FOLLOWED_ASSIGNMENTS):
        following = []
        for expr in pending:
            for node in ir.walk_expr(expr):
                name = ir.dotted_name(node.func) if isinstance(node, ir.Call) else \
                    node.id if isinstance(node, ir.Name) else None
                said = {w for part in name.split(".") for w in words(part)} if name else set()
                if said & VERIFIED_WORDS or "validated" in said and said & _TOKEN_WORDS:
                    return True
                if isinstance(node, ir.Name) and node.id not in seen:
                    seen.add(node.id)
                    following.extend(assigned.get(node.id, ()))
        pending = following
    return False


def _looked_up_by_key(exprs: tuple[ir.Expr, ...], assigned: dict[str, list[ir.Expr]]) -> bool:
    """The tested user was loaded by its record key only (`select(User).filter_by(id=user_id)`,
    `User.objects.get(pk=claims["sub"])`): a row id, not an e-mail address or a user name, so a
    miss tells nobody which people have accounts."""
    for name in {n.id for e in exprs for n in ir.walk_expr(e) if isinstance(n, ir.Name)}:
        for value in assigned.get(name, ()):
            fields = [kw.name for n in ir.walk_expr(value) if isinstance(n, ir.Call) for kw in n.kwargs
                      if kw.name and not isinstance(kw.value, ir.Const)]
            if fields and all(key_field(f) for f in fields):
                return True
    return False


def _password_wrong_answers(function: ir.Function) -> Iterator[Answer]:
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.If) and _tests_password(stmt.test):
            found = _first_answer(stmt.body)
            if found is not None:
                yield found[1]


def _tests_missing_user(test: ir.Expr) -> bool:
    """`not user`, `user is None`, `user == None`, `not user.exists()`: about a user object only."""
    if isinstance(test, ir.Unary) and test.op == "not":
        return _userish(test.operand)
    if isinstance(test, ir.Compare) and test.ops in (("is",), ("==",)) and \
            isinstance(test.comparators[0], ir.Const) and test.comparators[0].value is None:
        return _userish(test.left)
    return False


def _userish(expr: ir.Expr) -> bool:
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr in ("exists", "first"):
        expr = expr.func.value
    name = ir.dotted_name(expr)
    return bool(name) and bool(_USERISH & set(words(name.rsplit(".", 1)[-1])))  # type: ignore[union-attr]


def _tests_password(test: ir.Expr) -> bool:
    for node in ir.walk_expr(test):
        if isinstance(node, ir.Call) and _PASSWORD_CHECKS.search(ir.dotted_name(node.func) or ""):
            return True
        if isinstance(node, ir.Compare) and any("password" in (ir.dotted_name(e) or "").lower()
                                                for e in (node.left, *node.comparators)):
            return True
    return False


def _first_answer(body: tuple[ir.Stmt, ...]) -> tuple[ir.Stmt, Answer] | None:
    for stmt in body:
        value = stmt.value if isinstance(stmt, ir.Return) else stmt.exc if isinstance(stmt, ir.Raise) else None
        if isinstance(stmt, (ir.Return, ir.Raise)):
            return (stmt, _answer(value)) if value is not None else None
    return None


def _answer(expr: ir.Expr) -> Answer:
    messages: set[str] = set()
    codes: set[int] = set()
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Const) and isinstance(node.value, str) and " " in node.value.strip():
            messages.add(node.value.strip().lower())
        elif isinstance(node, ir.Const) and isinstance(node.value, int) and 400 <= node.value < 600:
            codes.add(node.value)
        elif isinstance(node, ir.Attr) and re.search(r"HTTP_(\d{3})", node.attr):
            codes.add(int(re.search(r"HTTP_(\d{3})", node.attr).group(1)))  # type: ignore[union-attr]
    return frozenset(messages), frozenset(codes)


def _reason(missing: Answer, wrong: list[Answer]) -> str | None:
    messages, codes = missing
    if any(REVEALING.search(m) for m in messages):
        return "the unknown-user answer says the account does not exist"
    for other_messages, other_codes in wrong:
        if messages and other_messages and messages != other_messages:
            return "unknown user and wrong password get different messages"
        if codes and other_codes and codes != other_codes:
            return f"unknown user and wrong password get different status codes ({min(codes)} vs {min(other_codes)})"
    return None


def _fix_code(line: str) -> str:
    if "jsonify" in line:
        return 'return jsonify({"error": "Invalid email or password"}), 401'
    if "HTTPException" in line:
        return 'raise HTTPException(status_code=401, detail="Invalid email or password")'
    if "Response(" in line:
        return 'return Response({"detail": "Invalid email or password"}, status=status.HTTP_401_UNAUTHORIZED)'
    return 'return JsonResponse({"error": "Invalid email or password"}, status=401)'


RULE = Rule("py-account-enumeration", frozenset({"account-enumeration"}), "python", check)
