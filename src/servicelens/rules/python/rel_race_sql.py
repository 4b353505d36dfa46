"""Lost update through raw SQL: a value is SELECTed, changed in Python, and written back.

## What it finds
In one function, `SELECT balance FROM accounts WHERE id = %s` (no `FOR UPDATE`) followed by
`UPDATE accounts SET balance = %s WHERE id = %s` whose new value was computed in Python,
on DB-API cursors and connections (psycopg, sqlite3, pymysql, asyncpg) and SQLAlchemy connections
(`conn.execute(text("SELECT ..."))`).

## Why it matters
Two requests that run at the same time both read the old value: two $80 withdrawals from
a $100 balance both pass the check and both write $20, so $160 leaves an account that had
$100 and one debit is lost. Under load this is not rare: it happens whenever two requests
for the same row overlap by a few milliseconds.

## Example
```python
cur.execute("SELECT balance FROM accounts WHERE id = %s", (account_id,))
balance = cur.fetchone()[0]
cur.execute("UPDATE accounts SET balance = %s WHERE id = %s", (balance - amount, account_id))
```

## Fix
Let the database do the arithmetic and the check in one statement, and look at the row
count: `UPDATE accounts SET balance = balance - %s WHERE id = %s AND balance >= %s`.
Or lock the row first: `SELECT ... FOR UPDATE` inside the transaction.

A row read with `SELECT *` counts when an `if` tests it before the write (check, then act:
`if slot["booked"]: return` then `UPDATE slots SET booked = true`); an UPDATE whose WHERE tests the
column it sets checks the current value itself and is not reported.

## Known problems
Only statements written as constant SQL text in the same function are matched; queries
built elsewhere or run through helpers are not followed. Serializable isolation set on
the connection elsewhere is not seen.
"""
from __future__ import annotations

import re
from typing import Iterable

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.base import Rule
from servicelens.rules.python._common import is_test_path
from servicelens.taint.scope import ModuleScope

_EXECUTE = frozenset({"execute", "fetchrow", "fetchval", "fetch", "fetchone"})
_SELECT = re.compile(r"(?is)^\s*select\s+(?P<cols>.+?)\s+from\s+(?P<table>[\w.\"]+)")
_UPDATE = re.compile(r"(?is)^\s*update\s+(?P<table>[\w.\"]+)\s+set\s+(?P<sets>.+?)(\s+where\s+(?P<where>.*))?$")
_ASSIGN = re.compile(r"(?i)(\w+)\s*=\s*([^,]+)")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path) or "execute" not in "\n".join(module.lines):
        return
    index = file_index(module, scope)
    for function in module.functions:
        yield from _check_function(module, function, index)


def _check_function(module: ir.Module, function: ir.Function, index: FileIndex) -> Iterable[Finding]:
    reads: dict[tuple[str, str], int] = {}  # (table, column) -> line of the unlocked SELECT
    checked = _checked_rows(function)  # line of a SELECT * whose row an `if` tests -> that `if`'s line
    for call in index.block_of_kind(function.body, ir.Call):
        sql = _sql_text(call)
        if sql is None:
            continue
        select = _SELECT.match(sql)
        if select and not re.search(r"(?i)\bfor\s+(no\s+key\s+)?update\b", sql):
            for column in _columns(select.group("cols")):
                reads.setdefault((_table(select.group("table")), column), call.line)
            if select.group("cols").strip() == "*" and call.line in checked:
                # `row = fetchrow("SELECT * ...")` then `if row["booked"]: ...`: every column was read
                reads.setdefault((_table(select.group("table")), "*"), call.line)
            continue
        update = _UPDATE.match(sql)
        if not update:
            continue
        table = _table(update.group("table"))
        for column, expression in _ASSIGN.findall(update.group("sets")):
            column = column.lower()
            read_line = reads.get((table, column)) or reads.get((table, "*"))
            if read_line is None or _atomic(column, expression) or _guarded_where(column, update.group("where")):
                continue
            yield _finding(module, function, call, table, column, read_line,
                           checked=(table, column) not in reads)


def _checked_rows(function: ir.Function) -> set[int]:
    """Lines of statements that bind a row which a later `if` in the function tests: the code
    decides on what it read (check), then writes (act)."""
    bound: dict[str, int] = {}
    lines: set[int] = set()
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            for name in ir.assigned_names((stmt,)):
                bound[name] = stmt.line
        elif isinstance(stmt, ir.If):
            lines.update(bound[n.id] for n in ir.walk_expr(stmt.test) if isinstance(n, ir.Name) and n.id in bound)
    return lines


def _guarded_where(column: str, where: str | None) -> bool:
    """`UPDATE slots SET booked = true WHERE id = $1 AND NOT booked`: the statement checks the
    current value itself, so only one of two racing requests changes the row."""
    return where is not None and re.search(rf"(?i)\b{re.escape(column)}\b", where) is not None


def _finding(module: ir.Module, function: ir.Function, call: ir.Call, table: str, column: str,
             read_line: int, checked: bool = False) -> Finding:
    fix = (f'cur.execute(\n    "UPDATE {table} SET {column} = {column} - %s WHERE id = %s AND {column} >= %s",\n'
           f"    (amount, row_id, amount),\n)\nif cur.rowcount == 0:\n    ...  # not enough {column}: reject, nothing changed")
    title = (f"Check-then-act: a `{table}` row is read and tested, then `{column}` is written without a lock"
             if checked else f"Lost update: `{table}.{column}` is read, changed in Python and written back without a lock")
    return make_finding(
        "race-condition", Location(module.path, call.line, call.end_line or call.line), title,
        f"`{function.name}` reads `{column}` at line {read_line} and writes a value computed from it at line "
        f"{call.line}. Two concurrent requests both read the old {column}: two $80 debits from $100 both pass "
        f"and both write $20, so one debit is lost (and any balance check is bypassed).",
        confidence=Confidence.HIGH,
        evidence=(TraceStep(Location(module.path, read_line), f"`{column}` read without FOR UPDATE",
                            module.line_text(read_line)),
                  TraceStep(Location(module.path, call.line), f"`{column}` overwritten with a value computed in Python",
                            module.line_text(call.line))),
        fix=Fix("Do the arithmetic and the check in one UPDATE and check the row count (or SELECT ... FOR UPDATE "
                "inside the transaction).", fix, "python"),
        rule=RULE.id, key=f"{table}.{column}",
    )


def _sql_text(call: ir.Call) -> str | None:
    if not isinstance(call.func, ir.Attr) or call.func.attr not in _EXECUTE or not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ir.Call) and ir.dotted_name(first.func) in _TEXT_WRAPPERS and len(first.args) == 1:
        first = first.args[0]  # SQLAlchemy's `text("...")` only marks the string as SQL
    return first.value if isinstance(first, ir.Const) and isinstance(first.value, str) else None


_TEXT_WRAPPERS = frozenset({"text", "sqlalchemy.text", "sa.text"})


def _columns(text: str) -> list[str]:
    return [c.strip().split(".")[-1].split()[-1].lower() for c in text.split(",") if c.strip() and c.strip() != "*"]


def _table(name: str) -> str:
    return name.strip('"').split(".")[-1].lower()


def _atomic(column: str, expression: str) -> bool:
    """`balance = balance - %s` lets the database compute from the current value."""
    return re.search(rf"(?i)\b{re.escape(column)}\b", expression) is not None


RULE = Rule("py-race-sql-read-modify-write", frozenset({"race-condition"}), "python", check)
