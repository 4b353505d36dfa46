"""Password stored in plain text: a record with a `password` field written to the database
from the password itself, in a function that hashes nothing.

## What it finds
An object literal with a `password` (or `passwd`, `pwd`) key whose value is the password
variable itself (`{ email, password }`, `password: req.body.password`), in a function that
also inserts with a raw driver call (`insertOne`, `insertMany`, `insert`, `put`), callbacks
included, and calls no password hash (`bcrypt.hash`, `argon2.hash`, `crypto.scrypt`,
`pbkdf2`, any `*hash*`).

## Why it matters
Anyone who reads the table, a backup or a log of the query has every user's password, and
with it their accounts on other sites where they reused it.

## Example
```js
await users.insertOne({ email, password });
```
Use instead:
```js
await users.insertOne({ email, password: await bcrypt.hash(password, 12) });
```

## Fix
Store only a slow salted hash (bcrypt, scrypt, argon2) and compare with the library's own
`compare`/`verify`.

## Known problems
ORM `create`/`save`/`update` calls are not judged: models often hash in a hook (a Mongoose
`pre('save')`, a Sequelize `beforeCreate`) in another file.
"""
from __future__ import annotations

import re
from typing import Iterable

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, iter_calls
from servicelens.rules.javascript._node import location
from servicelens.rules.python._common import is_dev_path, words
from servicelens.taint.scope import ModuleScope

_PASSWORD_KEYS = frozenset({"password", "passwd", "pwd"})
# raw driver inserts: ORM creates and updates often hash in a model hook the rule cannot see
_RAW_INSERTS = frozenset({"insertOne", "insertMany", "insert", "put"})
_HASHING = re.compile(r"(?i)hash|bcrypt|argon|scrypt|pbkdf2|encrypt|digest")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    writes = _RAW_INSERTS
    for function in module.functions:
        family = [f for f in module.functions
                  if f.qualname == function.qualname or f.qualname.startswith(function.qualname + ".<locals>.")]
        calls = [c for member in family for c in iter_calls(member.body)]  # callbacks write for it too
        if not any(isinstance(c.func, ir.Attr) and c.func.attr in writes for c in calls):
            continue
        if any(_HASHING.search(ir.dotted_name(c.func) or "") for c in calls) or _hook_hashes(module):
            continue
        for stmt in ir.walk_stmts(function.body):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if not isinstance(node, ir.DictExpr):
                        continue
                    for key, value in zip(node.keys, node.values):
                        if isinstance(key, ir.Const) and key.value in _PASSWORD_KEYS and _is_password(value):
                            yield make_finding(
                                "weak-password-hash", location(module, value), "Password stored in plain text",
                                "Anyone who reads the table, a backup or a query log has every user's password, and "
                                "their accounts elsewhere where they reused it.",
                                severity=Severity.HIGH, confidence=Confidence.MEDIUM,
                                fix=Fix("Store a slow salted hash and compare with the library's compare.",
                                        f"{key.value}: await bcrypt.hash({ir.dotted_name(value)}, 12),", "javascript"),
                                rule=RULE.id, key=f"{function.qualname}|{key.value}",
                            )


def _is_password(value: ir.Expr) -> bool:
    dotted = ir.dotted_name(value) or ""
    parts = words(dotted.rsplit(".", 1)[-1])
    return bool(parts) and parts[-1] in _PASSWORD_KEYS and not {"hash", "hashed", "digest", "encrypted"} & set(parts)


def _hook_hashes(module: ir.Module) -> bool:
    """A schema hook in this module (`schema.pre('save', ...)`) that hashes: the model does it."""
    return any(_HASHING.search(ir.dotted_name(c.func) or "") for f in module.functions for c in iter_calls(f.body)
               if f.name != "<module>") and any(isinstance(c.func, ir.Attr) and c.func.attr == "pre"
                                                 for c in iter_calls(module.body))


RULE = Rule("js-plaintext-password", frozenset({"weak-password-hash"}), "javascript", check,
            requires=("password", "passwd", "pwd"))
