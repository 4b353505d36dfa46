"""Account enumeration: a sign-in or password reset tells an unknown account from a known one.

## What it finds
In a sign-in, token or password-reset function, the branch for a missing account (`if (!user)`)
answering with a message that says so ("This user does not exist", "No account with that e-mail").
Also two branches of the same `if`/`else if` chain that both answer the client (`res.json`,
`res.render`, `res.send`, `reply.send`, a thrown error) with different literal messages,
where one branch's condition is about the account (`!user`, `err.noSuchUser`,
`userNotFound`) and the other's about the password (`!validPassword`, `err.invalidPassword`,
`!(await bcrypt.compare(...))`). Messages held in local constants are compared by value.
Only where a client names the account: not in a command-line program (it imports an argument
parser or prompt, or reads `process.argv`), and not for the signed-in caller's own record, a
record found by its ids, or one found by what an OAuth provider or a token exchange answered
(rules/javascript/_account_keys.py).

## Why it matters
An attacker learns which e-mail addresses or user names have accounts, then aims password
guessing, phishing and credential stuffing at exactly those.

## Example
```js
if (!user) return res.status(401).json({ error: 'No account with that e-mail' });
if (!(await bcrypt.compare(password, user.hash))) return res.status(401).json({ error: 'Wrong password' });
```
Use instead:
```js
if (!user || !(await bcrypt.compare(password, user.hash))) {
  return res.status(401).json({ error: 'Invalid e-mail or password' });
}
```

## Fix
Answer both failures with one message and one status (and comparable timing: compare against a
dummy hash when the user does not exist).

## Known problems
Messages built at run time or looked up from translation files are not compared; different
status codes with the same message are not reported.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.analysis.javascript_side import command_line_side
from servicelens.rules.javascript._account_keys import named_by_client
from servicelens.rules.javascript._node import location
from servicelens.rules.javascript._password_checks import assignments, checks_password
from servicelens.rules.python._common import is_dev_path, words
from servicelens.rules.python.account_enumeration import AUTH_FUNCTION, REVEALING
from servicelens.taint.scope import ModuleScope

_ACCOUNT = frozenset({"user", "username", "account", "email", "member", "login", "nosuchuser", "found", "exists",
                      "exist"})
_PASSWORD = frozenset({"password", "passwd", "pwd", "pass", "credentials", "hash", "compare", "match", "valid"})
_ANSWERS = frozenset({"json", "send", "render", "end", "code"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path) or command_line_side(module):
        return  # a command an operator runs answers no client over the network
    for function in module.functions:
        constants = _constants(function)
        assigned = assignments(function)
        paired = False
        for stmt in ir.walk_stmts(function.body):
            if not isinstance(stmt, ir.If):
                continue
            branches = list(_chain(stmt)) + list(_following(function.body, stmt))
            answered = list(_answered(branches, constants))
            # the wrong-password failure: a check of the submitted password, not a field left empty,
            # a length limit or a name that merely holds a password-like word (_password_checks.py)
            password = [(b, m) for test, b, m in answered if checks_password(test, assigned)
                        and not _presence_test(test)]
            # the record whose password is checked (`operator.passwordHash`) is the account
            holders = {n.value.id for test, _, _ in answered if checks_password(test, assigned)
                       for n in ir.walk_expr(test) if isinstance(n, ir.Attr) and isinstance(n.value, ir.Name)}
            account = [(b, m) for test, b, m in answered if not _identifier_missing(test)
                       and (_missing_account(test, _ACCOUNT | holders) or _absent(test, holders))]
            pair = next(((a, p) for a in account for p in password if a[1][0] != p[1][0] and a[0] is not p[0]), None)
            if pair is None or not named_by_client(function, holders | _ACCOUNT_VARIABLES, scope):
                continue
            (_, (first, answer)), (_, (second, _)) = pair
            paired = True
            yield make_finding(
                "account-enumeration", location(module, answer),
                f"Sign-in answers an unknown account (\"{first}\") differently from a wrong password (\"{second}\")",
                "An attacker learns which accounts exist and aims password guessing and phishing at them.",
                severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
                fix=Fix("Answer both failures with the same message and status.",
                        "return res.status(401).json({ error: 'Invalid user name or password' });", "javascript"),
                rule=RULE.id, key=f"{function.qualname}|{first}|{second}",
            )
            break
        if not paired:
            yield from _revealing(module, scope, function, constants)


def _revealing(module: ir.Module, scope: ModuleScope, function: ir.Function, constants: dict[str, str]
               ) -> Iterator[Finding]:
    """A sign-in or password-reset function whose branch for a missing account says so outright
    (`if (!user) return res.status(404).json({ error: 'This user does not exist' })`): the reset
    form tells anyone which e-mail addresses have accounts."""
    if not AUTH_FUNCTION.search(function.qualname) or _SIGN_UP.search(function.qualname):
        return
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.If) or not _absent(stmt.test, set(_ACCOUNT_VARIABLES)):
            continue
        said = _message(stmt.body, constants)
        if said is None or not REVEALING.search(said[0]) or not named_by_client(function, _ACCOUNT_VARIABLES, scope):
            continue
        yield make_finding(
            "account-enumeration", location(module, said[1]),
            f"An unknown account is answered with \"{said[0]}\"",
            "Whoever submits an e-mail address or user name learns whether it has an account, and aims "
            "password guessing and phishing at the ones that do.",
            severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
            fix=Fix("Answer the same whether or not the account exists (for a reset: \"if an account exists, "
                    "we sent an e-mail\"), and do the work for a real account out of band.",
                    "return res.status(200).json({ message: 'If an account exists for this address, we sent an e-mail.' });",
                    "javascript"),
            rule=RULE.id, key=f"{function.qualname}|{said[0]}",
        )
        return


def _chain(stmt: ir.If) -> Iterator[tuple[ir.Expr, tuple[ir.Stmt, ...]]]:
    """`if (a) {...} else if (b) {...}`: (condition, block) per branch."""
    node: ir.Stmt | None = stmt
    while isinstance(node, ir.If):
        yield node.test, node.body
        node = node.orelse[0] if len(node.orelse) == 1 and isinstance(node.orelse[0], ir.If) else None


def _following(body: tuple[ir.Stmt, ...], stmt: ir.If) -> Iterator[tuple[ir.Expr, tuple[ir.Stmt, ...]]]:
    """`if (!user) return ...; if (!ok) return ...;`: guard clauses in the same block."""
    for block in [body, *[b for s in ir.walk_stmts(body) for b in ir.child_blocks(s)]]:
        if stmt in block:
            for later in block[block.index(stmt) + 1:]:
                if isinstance(later, ir.If):
                    yield later.test, later.body
            return


def _answered(branches: list[tuple[ir.Expr, tuple[ir.Stmt, ...]]], constants: dict[str, str]
              ) -> Iterator[tuple[ir.Expr, tuple[ir.Stmt, ...], tuple[str, ir.Call]]]:
    for test, block in branches:
        message = _message(block, constants)
        if message is not None:
            yield test, block, message


def _message(block: tuple[ir.Stmt, ...], constants: dict[str, str]) -> tuple[str, ir.Call] | None:
    """The literal message a branch answers or throws with, and the call that answers."""
    for stmt in ir.walk_stmts(block):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if not isinstance(node, ir.Call) or not (ir.last_name(node.func) in _ANSWERS or isinstance(stmt, ir.Raise)):
                    continue
                for arg in node.args:
                    for inner in ir.walk_expr(arg):
                        if isinstance(inner, ir.Const) and isinstance(inner.value, str) and " " in inner.value:
                            return inner.value, node
                        if isinstance(inner, ir.Name) and inner.id in constants:
                            return constants[inner.id], node
    return None


def _about(test: ir.Expr, wanted: frozenset[str], unwanted: Iterable[str]) -> bool:
    said = {w for node in ir.walk_expr(test) for w in _names(node)}
    return bool(said & wanted) and not said & frozenset(unwanted)


# names of an input field that carries a password, not the result of checking one
_FIELD_WORDS = frozenset({"password", "passwd", "pwd", "pass", "confirm", "current", "old", "new", "repeat",
                          "dto", "body", "input", "data", "params", "payload", "args"})
_ACCOUNT_VARIABLES = frozenset({"user", "account", "member", "operator", "admin"})
_SIGN_UP = re.compile(r"(?i)regist|sign_?up")


# words of a name saying the account was not found (`userNotFound`, `err.noSuchUser`, `accountExists`)
_EXISTENCE = frozenset({"no", "not", "found", "exists", "exist", "unknown", "missing", "none", "nosuchuser"})


def _missing_account(test: ir.Expr, accounts: frozenset[str] | set[str]) -> bool:
    """The condition says the account does not exist: `!user`, `account == null`, `userNotFound`,
    `err.noSuchUser`; not merely a test mentioning it (`isEmailRateLimited`, `user.isLocked`)."""
    if isinstance(test, ir.BoolOp):
        return any(_missing_account(value, accounts) for value in test.values)
    operand = test.operand if isinstance(test, ir.Unary) and test.op == "not" else \
        test.left if isinstance(test, ir.Compare) and len(test.comparators) == 1 and _nothing(test.comparators[0]) \
        else None
    if isinstance(operand, (ir.Name, ir.Attr)):
        said = set(_names(operand))
        return bool(said & accounts) and not said & _PASSWORD
    if isinstance(test, (ir.Name, ir.Attr)):
        said = set(_names(test))
        return bool(said & accounts) and bool(said & _EXISTENCE)
    return False


def _nothing(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Const) and expr.value is None or isinstance(expr, ir.Name) and expr.id == "undefined"


def _key_check(test: ir.Expr) -> bool:
    """`'password' in user`: whether the object has the field at all."""
    return isinstance(test, ir.Compare) and test.ops == ("in",) and isinstance(test.left, ir.Const)


def _presence_test(test: ir.Expr) -> bool:
    """`!dto.password`, `!confirmPassword`, `'password' in user && !user.password`: the request left a
    field empty (input validation), not a wrong password."""
    if isinstance(test, ir.BoolOp):
        tests = [v for v in test.values if not _key_check(v)]
        return bool(tests) and all(_presence_test(v) for v in tests)
    if not (isinstance(test, ir.Unary) and test.op == "not"):
        return False
    operand = test.operand
    if isinstance(operand, ir.Attr):
        return set(words(operand.attr)) <= _FIELD_WORDS and bool(set(words(operand.attr)) & _PASSWORD)
    if isinstance(operand, ir.Name):
        return set(words(operand.id)) <= _FIELD_WORDS and bool(set(words(operand.id)) & _PASSWORD)
    return False


# what a client types to name an account: a test that one of these is empty is input validation
_IDENTIFIER_FIELDS = frozenset({"username", "email", "login", "phone", "name", "mail", "handle"})


def _identifier_missing(test: ir.Expr) -> bool:
    """`!username && !email`, `!body.email`: the request left the identifier empty, before any
    account was looked up."""
    if isinstance(test, ir.BoolOp):
        tests = [v for v in test.values if not _key_check(v)]
        return bool(tests) and all(_identifier_missing(v) for v in tests)
    if not (isinstance(test, ir.Unary) and test.op == "not"):
        return False
    name = test.operand.id if isinstance(test.operand, ir.Name) else \
        test.operand.attr if isinstance(test.operand, ir.Attr) else ""
    return bool(name) and bool({w.lower() for w in words(name)} & _IDENTIFIER_FIELDS)


def _absent(test: ir.Expr, holders: set[str]) -> bool:
    """`!operator`: the record looked up is missing."""
    names = [n.id for n in ir.walk_expr(test) if isinstance(n, ir.Name)]
    return len(names) == 1 and names[0] in holders


def _names(node: ir.Expr) -> list[str]:
    if isinstance(node, ir.Name):
        return words(node.id)
    if isinstance(node, ir.Attr):
        return words(node.attr)
    return []


def _constants(function: ir.Function) -> dict[str, str]:
    return {t.id: s.value.value for s in ir.walk_stmts(function.body) if isinstance(s, ir.Assign)
            and isinstance(s.value, ir.Const) and isinstance(s.value.value, str) for t in s.targets
            if isinstance(t, ir.Name)}


RULE = Rule("js-account-enumeration", frozenset({"account-enumeration"}), "javascript", check,
            requires=("password",))
