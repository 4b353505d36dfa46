"""Related writes handed to repository functions on one connection, outside a transaction.

## What it finds
A function that takes a connection from an async driver's pool (`async with pool.acquire() as
conn:`) and passes it to two or more project functions (repository or service methods, in any
module) that each run a write statement on it (`await conn.execute("UPDATE ...")`,
`await conn.fetchval("INSERT ... RETURNING id")`), with no `conn.transaction()` block around the
calls: `insert_refund(conn, ...)`, then `set_status(conn, ...)`, then `release_seats(conn, ...)`.

## Why it matters
asyncpg, aiopg and `databases` commit every statement run outside a transaction block as soon as it
finishes. The writes look grouped (one connection, one `async with`), but each is its own
transaction: if the second raises, or the worker is killed between them, the refund is recorded
while the booking stays confirmed and the seats stay taken, and a retry repeats the first write.

## Example
```python
async with self.pool.acquire() as conn:
    refund_id = await self.bookings.insert_refund(conn, booking_id, amount)
    await self.bookings.set_status(conn, booking_id, "cancelled")
```

## Fix
```python
async with self.pool.acquire() as conn:
    async with conn.transaction():
        refund_id = await self.bookings.insert_refund(conn, booking_id, amount)
        await self.bookings.set_status(conn, booking_id, "cancelled")
```

## Known problems
Only a connection bound by `acquire()` (a pool) and handed on as an argument is followed, one call
deep; the callee must run the write on that parameter itself. Writes that converge on a retry
(deletes, upserts, `SET x = value`) do not count. A transaction opened by the caller's caller is not
seen (false positive: suppress with the reason).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.analysis.file_index import file_index
from servicelens.rules.base import Rule, contribution, iter_calls, no_findings
from servicelens.rules.python import _raw_sql as raw_sql
from servicelens.rules.python._common import is_test_path
from servicelens.rules.python._project_calls import CalleeIndex, callee_name, function_key
from servicelens.rules.python.rel_shared import chain, is_script_path
from servicelens.rules.python.rel_missing_transaction import _SQL_TARGET, _sql_converges
from servicelens.taint.scope import ModuleScope


@dataclass(frozen=True, slots=True)
class Writer:
    """A function that runs a write statement on its parameter `param` (at `index`)."""
    key: str
    param: str
    index: int
    table: str
    converges: bool
    path: str
    line: int
    code: str


@dataclass(frozen=True, slots=True)
class Handoff:
    """A call handing a pooled connection to a project function, outside a transaction block."""
    caller: str
    callee: str
    index: int  # the argument's parameter index in the callee (`self` counted)
    keyword: str  # or the keyword it is passed as
    path: str
    line: int
    code: str


@dataclass(frozen=True, slots=True)
class RelayFacts:
    writers: tuple[Writer, ...]
    handoffs: tuple[Handoff, ...]


_NOTHING = RelayFacts((), ())


def collect(module: ir.Module, scope: ModuleScope) -> RelayFacts | None:
    if is_test_path(module.path) or is_script_path(module.path):
        return None
    writers: list[Writer] = []
    handoffs: list[Handoff] = []
    for function in module.functions:
        writer = _writer(module, scope, function)
        if writer is not None:
            writers.append(writer)
        handoffs.extend(_handoffs(module, scope, function))
    return contribution(RelayFacts(tuple(writers), tuple(handoffs)), _NOTHING)


def _writer(module: ir.Module, scope: ModuleScope, function: ir.Function) -> Writer | None:
    params = [p.name for p in function.params]
    for call in file_index(module, scope).block_of_kind(function.body, ir.Call):
        receiver = chain(call.func.value) if isinstance(call.func, ir.Attr) else []
        if len(receiver) != 1 or receiver[0] not in params or receiver[0] in ("self", "cls"):
            continue
        text = raw_sql.statement(call) or ""
        target = _SQL_TARGET.match(text)
        if target is not None:
            return Writer(function_key(scope, function), receiver[0], params.index(receiver[0]),
                          target.group(2).strip('"').lower(), _sql_converges(target.group(1), text),
                          module.path, call.line, module.line_text(call.line))
    return None


def _pooled(function: ir.Function) -> dict[str, tuple[int, int]]:
    """Connections taken from a pool in `async with x.acquire() as conn:` -> the block's lines."""
    found: dict[str, tuple[int, int]] = {}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.With):
            for item in stmt.items:
                context = item.context.value if isinstance(item.context, ir.Await) else item.context
                if isinstance(context, ir.Call) and ir.last_name(context.func) == "acquire" \
                        and isinstance(item.target, ir.Name):
                    found[item.target.id] = (stmt.line, stmt.end_line)
    return found


def _transaction_spans(function: ir.Function, conn: str) -> list[tuple[int, int]]:
    """`async with conn.transaction():` / `conn.begin()` blocks on this connection."""
    spans = []
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.With) and any(
                isinstance(item.context, ir.Call) and chain(item.context)[:1] == [conn]
                and ir.last_name(item.context.func) in ("transaction", "begin") for item in stmt.items):
            spans.append((stmt.line, stmt.end_line))
    return spans


def _begins(function: ir.Function, conn: str) -> bool:
    """`conn.execute("BEGIN")` / `tx = conn.transaction(); await tx.start()`: a transaction by hand."""
    for call in iter_calls(function.body):
        names = chain(call)
        if names[:1] == [conn] and names[-1] in ("transaction", "begin"):
            return True
        if names[:1] == [conn] and re.match(r"(?i)\s*(begin|start\s+transaction)\b",
                                            raw_sql.leading_text(call.args[0]) or "" if call.args else ""):
            return True
    return False


def _handoffs(module: ir.Module, scope: ModuleScope, function: ir.Function) -> Iterable[Handoff]:
    for conn, (start, end) in _pooled(function).items():
        if _begins(function, conn) and not _transaction_spans(function, conn):
            continue
        spans = _transaction_spans(function, conn)
        for call in iter_calls(function.body):
            if not start <= call.line <= end or any(a <= call.line <= b for a, b in spans):
                continue
            position = next((i for i, a in enumerate(call.args) if isinstance(a, ir.Name) and a.id == conn), None)
            keyword = next((k.name for k in call.kwargs if k.name and isinstance(k.value, ir.Name)
                            and k.value.id == conn), "")
            if position is None and not keyword:
                continue
            found = callee_name(call, scope, function)
            if found is not None:
                yield Handoff(function_key(scope, function), found[0],
                              found[1] + position if position is not None else -1, keyword,
                              module.path, call.line, module.line_text(call.line))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, RelayFacts)]
    writers: CalleeIndex[Writer] = CalleeIndex((w.key, w) for f in facts for w in f.writers)
    by_caller: dict[str, list[tuple[Handoff, Writer]]] = {}
    for fact in facts:
        for handoff in fact.handoffs:
            writer = writers.get(handoff.callee)
            if writer is not None and (handoff.index == writer.index or handoff.keyword == writer.param):
                by_caller.setdefault(handoff.caller, []).append((handoff, writer))
    for caller, writes in sorted(by_caller.items()):
        if len({w.table for _, w in writes}) >= 2 and not all(w.converges for _, w in writes):
            yield _finding(caller, writes)


def _finding(caller: str, writes: list[tuple[Handoff, Writer]]) -> Finding:
    first = writes[0][0]
    name = caller.rsplit(".", 1)[-1]
    evidence = []
    for handoff, writer in writes:
        evidence.append(TraceStep(Location(handoff.path, handoff.line), "the connection is handed on", handoff.code))
        evidence.append(TraceStep(Location(writer.path, writer.line), f"which writes `{writer.table}` on it, "
                                  "committed at once outside a transaction block", writer.code))
    tables = ", ".join(dict.fromkeys(w.table for _, w in writes))
    return make_finding(
        "missing-transaction", Location(first.path, first.line),
        f"`{name}` writes {tables} through {len(writes)} calls on one pooled connection, outside a transaction",
        "Each statement run outside `conn.transaction()` commits as it finishes: if a later write fails or the "
        "worker stops between them, the earlier ones stay (a refund recorded for a booking still confirmed), and "
        "a retry repeats them.",
        confidence=Confidence.MEDIUM, evidence=tuple(evidence),
        fix=Fix("Open one transaction on the connection around the calls.",
                "async with conn.transaction():\n    ...  # the writes handed the connection\n", "python"),
        rule=RULE.id, key=f"relay:{caller}",
    )


RULE = Rule("py-missing-transaction-passed-connection", frozenset({"missing-transaction"}), "python", no_findings,
            collect=collect, combine=combine, requires=("acquire", "execute", "fetch"))
