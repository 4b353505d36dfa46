"""Which top-level statements of a settings module run in production.

Settings files often switch on the environment: `if ENV == "development": DEBUG = True
else: DEBUG = ...`. A flag set in the development branch is a local override; the same flag
in the `else` branch (or under `if ENV == "production":`) is what the deployed service runs
with, and deserves the same scrutiny as an unconditional top-level assignment.
"""
from __future__ import annotations

import re
from typing import Iterator

from servicelens import ir

_DEV = re.compile(r"(?i)^(dev|devel|develop|development|local|localhost|test|tests|testing|ci|debug|demo)$")
_PROD = re.compile(r"(?i)^(prod|production|live|release|staging)$")
_DEV_FLAGS = frozenset({"DEBUG", "TESTING", "DEVELOPMENT", "LOCAL", "DEV"})


def deployed_statements(body: tuple[ir.Stmt, ...]) -> Iterator[ir.Stmt]:
    """Statements of `body` that run in production: the top level itself, the branch of an
    `if` that selects production, and the `else` of one that selects development. Branches on
    anything else stay unknown and are left out."""
    for stmt in body:
        if not isinstance(stmt, ir.If):
            yield stmt
            continue
        selects = _selects(stmt.test)
        if selects == "production":
            yield from deployed_statements(stmt.body)
        elif selects == "development":
            yield from deployed_statements(stmt.orelse)


def _selects(test: ir.Expr) -> str | None:
    """"development" / "production" when the test picks that environment, else None."""
    if isinstance(test, ir.Unary) and test.op == "not":
        inner = _selects(test.operand)
        return {"development": "production", "production": "development"}.get(inner or "")
    if isinstance(test, ir.Name) and test.id in _DEV_FLAGS:
        return "development"
    if not (isinstance(test, ir.Compare) and len(test.ops) == 1):
        return None
    words = [_const(e) for side in (test.left, test.comparators[0])
             for e in (side.elts if isinstance(side, ir.Seq) else (side,))]
    texts = [w for w in words if w is not None]
    if not texts:
        return None
    if all(_DEV.match(w) for w in texts):
        chosen = "development"
    elif all(_PROD.match(w) for w in texts):
        chosen = "production"
    else:
        return None
    if test.ops[0] in ("==", "in", "is"):
        return chosen
    if test.ops[0] in ("!=", "not in", "is not"):
        return "production" if chosen == "development" else "development"
    return None


def _const(expr: ir.Expr) -> str | None:
    return expr.value.strip() if isinstance(expr, ir.Const) and isinstance(expr.value, str) else None
