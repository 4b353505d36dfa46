"""Statements a driver runs: a call that hands SQL text to a statement-running method.

Not a rule (it defines no RULE). Drivers differ in how the handle is obtained (`cursor()`,
an asyncpg pool stored in the application, `pool.acquire()`, a `databases.Database`, a
connection a repository was given) but not in what the call looks like: a method that runs
a statement (`execute`, `fetch`, `fetchrow`, `fetch_all`, ...) with the statement's text as
its first argument. The two together are the signal; neither the receiver's name nor its
type is needed, so the handle may come from anywhere. A statement is recognised by its
leading SQL verb, in a literal, an f-string's leading text, `text("...")`, or a local bound
to one of those.
"""
from __future__ import annotations

import re
from typing import Mapping

from servicelens import ir

# methods that send one statement and wait for its result (DB-API, asyncpg, aiosqlite,
# databases, psycopg 3, SQLAlchemy connections); `executemany` runs its one statement once per
# parameter set (a write many rows long)
RUNNERS = frozenset({"execute", "executemany", "fetch", "fetchrow", "fetchval", "fetch_one", "fetch_all", "fetch_val",
                     "exec_driver_sql"})
# runners whose result is every row the statement selects
ROW_RUNNERS = frozenset({"fetch", "fetch_all"})
_VERB = re.compile(r"(?is)^\s*(\(\s*)?(select|insert|update|delete|with|merge|upsert|replace)\b")


def leading_text(expr: ir.Expr | None, assigns: Mapping[str, ir.Expr] | None = None, depth: int = 0,
                 whole: bool = False) -> str | None:
    """The text a statement argument starts with: a literal, the literal head of an f-string or
    of a `+` concatenation, `text("...")`, or what a local was bound to. With `whole`, only text
    known in full (no interpolated part that could add a clause)."""
    if expr is None or depth > 3:
        return None
    if isinstance(expr, ir.Const):
        return expr.value if isinstance(expr.value, str) else None
    if whole and not isinstance(expr, (ir.Call, ir.Name)):
        return None
    if isinstance(expr, ir.FormattedString):
        return "".join(p.value for p in expr.parts if isinstance(p, ir.Const) and isinstance(p.value, str)) or None
    if isinstance(expr, ir.BinOp) and expr.op in ("+", "%"):
        return leading_text(expr.left, assigns, depth + 1)
    if isinstance(expr, ir.Call) and len(expr.args) == 1 and (ir.last_name(expr.func) or "") == "text":
        return leading_text(expr.args[0], assigns, depth + 1, whole)
    if isinstance(expr, ir.Name) and assigns is not None and expr.id in assigns:
        return leading_text(assigns[expr.id], assigns, depth + 1, whole)
    return None


def statement(call: ir.Call, assigns: Mapping[str, ir.Expr] | None = None, whole: bool = False) -> str | None:
    """The SQL text `call` runs, when it is a statement runner handed SQL text; else None. With
    `whole`, only a statement whose text is known in full."""
    if not isinstance(call.func, ir.Attr) or call.func.attr not in RUNNERS:
        return None
    first = call.args[0] if call.args else next((k.value for k in call.kwargs if k.name in ("query", "sql")), None)
    text = leading_text(first, assigns, whole=whole)
    return text if text is not None and _VERB.match(text) else None


def selects_rows(call: ir.Call, assigns: Mapping[str, ir.Expr] | None = None, whole: bool = False) -> bool:
    """A runner that returns every row of a SELECT (`await pool.fetch("SELECT ...")`)."""
    text = statement(call, assigns, whole)
    return text is not None and call.func.attr in ROW_RUNNERS \
        and re.match(r"(?is)^\s*(\(\s*)?(select|with)\b", text) is not None  # type: ignore[union-attr]
