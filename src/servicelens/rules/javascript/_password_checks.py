"""Whether an `if` condition is the outcome of checking a submitted password against the stored one.

Account enumeration compares a sign-in's answer for a missing account with its answer for a wrong
password. A condition only mentioning a password-like word is not that second failure: a field left
empty (`!env.adminPassword`), a length limit (`password.length > 72`), a validity check of something
else (`!isEmailValid(email)`, `!isValidPID(pid)`) or a name that merely contains the word
(`hashIndex === 0`) answers the same whether or not the account exists. What counts:

  - a call that compares or verifies, on a password or its hash (`bcrypt.compare(pw, user.hash)`,
    `argon2.verify(...)`, `user.comparePassword(pw)`, `verifyAccountPassword(did, pw)`);
  - a name holding such a call's result (`const ok = await bcrypt.compare(...)`; `if (!ok)`), or one
    naming the outcome itself (`passwordOk`, `validPassword`, `err.invalidPassword`);
  - a comparison of two computed values that both read a password or hash (`user.hash !== digest(pw)`).
"""
from __future__ import annotations

from servicelens import ir
from servicelens.rules.python._common import words

# what a password or its stored form is called
_SECRET_NOUNS = frozenset({"password", "passwd", "pwd", "pw", "pass", "passphrase", "credentials", "hash", "hashed"})
# what a function checking one is called
_CHECK_VERBS = frozenset({"compare", "verify", "check", "match", "matches", "validate", "valid", "authenticate",
                          "checkpw", "equals"})
# what a variable holding the outcome is called
_OUTCOMES = frozenset({"ok", "valid", "invalid", "match", "matches", "matched", "correct", "incorrect", "wrong",
                       "verified", "mismatch", "result"})
_MAX_HOPS = 3


def assignments(function: ir.Function) -> dict[str, ir.Expr]:
    """Each local name's last assigned value in the function (`const ok = await compare(...)`)."""
    found: dict[str, ir.Expr] = {}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and stmt.op is None:
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    found[target.id] = stmt.value
    return found


def checks_password(test: ir.Expr, assigned: dict[str, ir.Expr], hops: int = 0) -> bool:
    """The condition is (a negation or combination of) a password check's outcome."""
    if isinstance(test, (ir.Unary, ir.Await)):
        inner = test.operand if isinstance(test, ir.Unary) else test.value
        return checks_password(inner, assigned, hops)
    if isinstance(test, ir.BoolOp):
        return any(checks_password(value, assigned, hops) for value in test.values)
    if isinstance(test, ir.Call):
        return _verifying_call(test)
    if isinstance(test, ir.Compare):
        operands = (test.left, *test.comparators)
        return not any(_fixed(o) for o in operands) and sum(map(_mentions, operands)) >= 2
    if isinstance(test, (ir.Name, ir.Attr)):
        said = set(_words(test))
        if said & _SECRET_NOUNS and said & (_OUTCOMES | _CHECK_VERBS):
            return True
        value = assigned.get(test.id) if isinstance(test, ir.Name) else None
        return value is not None and hops < _MAX_HOPS and checks_password(value, assigned, hops + 1)
    return False


def _verifying_call(call: ir.Call) -> bool:
    callee = set(_words(call.func))
    if not callee & _CHECK_VERBS:
        return False
    return bool(callee & _SECRET_NOUNS) or any(_mentions(arg) for arg in call.args)


def _fixed(expr: ir.Expr) -> bool:
    """A literal (`0`, `-1`, `null`) or a size (`password.length`): a limit, not a comparison with the stored secret."""
    if isinstance(expr, ir.Unary):
        expr = expr.operand
    return isinstance(expr, ir.Const) or (isinstance(expr, ir.Attr) and expr.attr in ("length", "size"))


def _mentions(expr: ir.Expr) -> bool:
    """A password or hash appears among the names the expression reads."""
    return any(set(_words(node)) & _SECRET_NOUNS for node in ir.walk_expr(expr) if isinstance(node, (ir.Name, ir.Attr)))


def _words(expr: ir.Expr) -> list[str]:
    """The words of a name (`user.passwordHash` -> user, password, hash); an attribute of a call
    result (`(await db.find()).hash`) by its own name."""
    name = ir.dotted_name(expr) or (expr.attr if isinstance(expr, ir.Attr) else "")
    return [w.lower() for part in name.split(".") for w in words(part)]
