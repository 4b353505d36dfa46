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
`if slot["booked"]: return` then `UPDATE slots SET booked = true`); an UPDATE whose WHERE tests a
column it sets checks the current value itself (a compare-and-set: `SET status = 'failed', worker =
NULL WHERE id = %s AND status = 'running'`), so only one of two racers changes the row, and none of
the columns it sets is reported. A held quantity (`accounts.balance`, `stock.on_hand`) or a count of
attempts at a secret is high confidence, a state set after a check medium, a tally (`pages.hits`) low.

## Known problems
Only statements written as constant SQL text are matched, in the same function or, for the
read, in a function or method of the same module that returns what its one SELECT read
(`balance = await credit_balance(conn, org_id)`); queries built elsewhere or run through helpers
of other modules are not followed. Serializable isolation set on
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
from servicelens.rules.python._race_stakes import Stakes, is_text_name, stakes
from servicelens.rules.python.rel_shared import is_script_path
from servicelens.taint.scope import ModuleScope

_EXECUTE = frozenset({"execute", "fetchrow", "fetchval", "fetch", "fetchone"})
_SELECT = re.compile(r"(?is)^\s*select\s+(?P<cols>.+?)\s+from\s+(?P<table>[\w.\"]+)")
_UPDATE = re.compile(r"(?is)^\s*update\s+(?P<table>[\w.\"]+)\s+set\s+(?P<sets>.+?)(\s+where\s+(?P<where>.*))?$")
_ASSIGN = re.compile(r"(?i)(\w+)\s*=\s*([^,]+)")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path) or is_script_path(module.path) or "execute" not in "\n".join(module.lines):
        return
    index = file_index(module, scope)
    getters = _getters(module, index)
    for function in module.functions:
        yield from _check_function(module, function, index, getters)


def _unlocked_reads(sql: str) -> list[tuple[str, str]]:
    select = _SELECT.match(sql)
    if not select or re.search(r"(?i)\bfor\s+(no\s+key\s+)?update\b", sql):
        return []
    return [(_table(select.group("table")), column) for column in _columns(select.group("cols"))]


def _getters(module: ir.Module, index: FileIndex) -> dict[str, list[tuple[str, str]]]:
    """Functions and methods of this module that return what one unlocked SELECT read
    (`async def credit_balance(conn, org_id): return await conn.fetchval("SELECT credits ...")`):
    a caller that writes back a value computed from their result read those columns."""
    out: dict[str, list[tuple[str, str]]] = {}
    for function in module.functions:
        returns = [s for s in ir.walk_stmts(function.body) if isinstance(s, ir.Return) and s.value is not None]
        if len(returns) != 1:
            continue
        value = returns[0].value
        while True:  # `cur.execute(sql).fetchone()[0]`, `(await conn.fetchrow(sql))["n"]`: that statement's result
            if isinstance(value, (ir.Await, ir.Subscript)):
                value = value.value
            elif isinstance(value, ir.Call) and isinstance(value.func, ir.Attr) and isinstance(value.func.value, ir.Call) \
                    and value.func.attr in ("fetchone", "fetchall", "scalar", "scalar_one", "first", "one"):
                value = value.func.value
            else:
                break
        sql = _sql_text(value) if isinstance(value, ir.Call) else None
        reads = _unlocked_reads(sql) if sql else []
        if reads:
            out[function.qualname] = reads
    return out


def _getter_of(call: ir.Call, function: ir.Function, getters: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """What a call of one of the module's getters reads: `credit_balance(conn, id)`, `self._balance(id)`."""
    if isinstance(call.func, ir.Name):
        return getters.get(call.func.id, [])
    if isinstance(call.func, ir.Attr) and isinstance(call.func.value, ir.Name) and call.func.value.id in ("self", "cls") \
            and function.class_name:
        return getters.get(f"{function.class_name}.{call.func.attr}", [])
    return []


def _check_function(module: ir.Module, function: ir.Function, index: FileIndex,
                    getters: dict[str, list[tuple[str, str]]] | None = None) -> Iterable[Finding]:
    reads: dict[tuple[str, str], int] = {}  # (table, column) -> line of the unlocked SELECT
    checked = _checked_rows(function)  # line of a SELECT * whose row an `if` tests -> that `if`'s line
    for call in index.block_of_kind(function.body, ir.Call):
        for key in _getter_of(call, function, getters or {}):
            reads.setdefault(key, call.line)
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
        assigns = _ASSIGN.findall(update.group("sets"))
        if any(_guarded_where(column.lower(), update.group("where")) for column, _ in assigns):
            continue  # a compare-and-set: only one of two racers still matches the WHERE, for every column set
        for column, expression in assigns:
            column = column.lower()
            read_line = reads.get((table, column)) or reads.get((table, "*"))
            if read_line is None or _atomic(column, expression) or is_text_name(column):
                continue  # `label = %s` rewritten from the label read: text, no quantity to lose
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
        confidence=_confidence(stakes((column, table), (function.name,)), checked),
        evidence=(TraceStep(Location(module.path, read_line), f"`{column}` read without FOR UPDATE",
                            module.line_text(read_line)),
                  TraceStep(Location(module.path, call.line), f"`{column}` overwritten with a value computed in Python",
                            module.line_text(call.line))),
        fix=Fix("Do the arithmetic and the check in one UPDATE and check the row count (or SELECT ... FOR UPDATE "
                "inside the transaction).", fix, "python"),
        rule=RULE.id, key=f"{table}.{column}",
    )


def _confidence(at_stake: Stakes, checked: bool) -> Confidence:
    """High for a held quantity (`accounts.balance`, `stock.on_hand`) or a count of attempts at a
    secret; a state a check-then-act sets (`slots.booked`) is medium; a tally drifting by one is low."""
    if at_stake is not Stakes.TALLY:
        return Confidence.HIGH
    return Confidence.MEDIUM if checked else Confidence.LOW


def _sql_text(call: ir.Call) -> str | None:
    if not isinstance(call.func, ir.Attr) or call.func.attr not in _EXECUTE or not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ir.Call) and ir.dotted_name(first.func) in _TEXT_WRAPPERS and len(first.args) == 1:
        first = first.args[0]  # SQLAlchemy's `text("...")` only marks the string as SQL
    return first.value if isinstance(first, ir.Const) and isinstance(first.value, str) else None


_TEXT_WRAPPERS = frozenset({"text", "sqlalchemy.text", "sa.text"})


def _columns(text: str) -> list[str]:
    """`t.id, name AS n, count(*)` -> the last word of each selected item (`id`, `n`, `count(*)`);
    an item with no word after its last dot (`1.`, `'x.'`) names no column."""
    columns = []
    for item in text.split(","):
        words = item.strip().split(".")[-1].split()
        if words and item.strip() != "*" and re.search(r"\w", words[-1]):
            columns.append(words[-1].lower())
    return columns


def _table(name: str) -> str:
    return name.strip('"').split(".")[-1].lower()


def _atomic(column: str, expression: str) -> bool:
    """`balance = balance - %s` lets the database compute from the current value."""
    return re.search(rf"(?i)\b{re.escape(column)}\b", expression) is not None


RULE = Rule("py-race-sql-read-modify-write", frozenset({"race-condition"}), "python", check)
