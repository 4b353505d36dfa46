"""Related writes split across helpers that each commit on their own: no transaction around them.

## What it finds
A request handler, or a function a handler calls, that calls two or more project functions
(in any module) which each write and commit their own transaction
(`with engine.begin() as conn: conn.execute(update(...))`, `with transaction.atomic(): ...`,
`session.add(x); session.commit()`), one after the other on one execution path, with no
transaction of its own around the calls, when one that runs before the last changes rows that
already exist (an UPDATE: a balance, a stock level, a status). Reported at the first of those
calls, with each helper's write in the evidence.

## Why it matters
Each helper commits before the next one starts, so a failure in the second (a constraint, a
timeout, the worker killed by a deploy) leaves the first committed: a balance debited with
no payout row, an order without its ledger entry. An outer transaction does not help either
when a helper opens its own connection (`engine.begin()`): its commit is final.

## Example
```python
def create_payout(merchant, amount):
    repo.debit_balance(merchant.id, amount)       # commits
    payout_id = repo.insert_payout(merchant.id, amount)  # commits separately
```
Use instead:
```python
def create_payout(merchant, amount):
    with engine.begin() as conn:  # one transaction; the helpers take the connection
        repo.debit_balance(conn, merchant.id, amount)
        repo.insert_payout(conn, merchant.id, amount)
```

## Fix
Open the transaction in the caller and pass the connection or session down, so the helpers
write without committing.

## Known problems
Helpers that only insert are not reported together (a failure leaves visible, partial rows
rather than a changed balance with no record of why). Helpers are matched by their imported or declared name (`repo.debit_balance`,
`self.ledger.add` with `self.ledger` declared); calls through objects of undeclared type are
not followed. Helpers whose only writes are deletes are left out (a repeated request
repairs them). A helper that commits on a connection its caller passes in is taken at its
word: the caller's transaction ends there too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.base import Ask, Rule, contribution, no_findings
from servicelens.rules.python._common import is_test_path
from servicelens.rules.python._flow import paths
from servicelens.rules.python._project_calls import CalleeIndex, callee_name, function_key
from servicelens.rules.python.rel_shared import atomic_spans, chain, declines_commit, inside, is_entry_point, is_script_path
from servicelens.taint.scope import ModuleScope

_SQL_WRITE = re.compile(r"(?is)^\s*(insert|update|merge)\b")
_BUILDERS = frozenset({"insert", "update"})
_ORM_WRITES = frozenset({"add", "add_all", "merge", "save", "create", "bulk_create", "update", "bulk_update",
                         "acreate", "asave", "aupdate"})


@dataclass(frozen=True, slots=True)
class Unit:
    """A function that writes and commits on its own: its key and the line of its write."""

    key: str
    path: str
    line: int
    code: str
    changes_rows: bool  # it UPDATEs rows that exist (a balance, a stock level, a status), not only inserts


@dataclass(frozen=True, slots=True)
class Caller:
    """A function's calls to project functions outside its own transactions, by execution path."""

    key: str
    name: str
    entry: bool
    path: str
    calls: tuple[tuple[int, str], ...]  # (line, candidate callee)
    # one per execution path: bit i set when calls[i] is on it. Asked on demand (`revisit`): only
    # a caller on a request path with two self-committing callees needs them (3 of saleor's 3,203)
    paths: tuple[int, ...] = ()
    # each call's source line, for the evidence: asked with the paths, since only a caller that
    # `revisit` answers can be reported (the first pass's 3,203 callers shipped ~0.5 MB of lines)
    code: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Facts:
    units: tuple[Unit, ...]
    callers: tuple[Caller, ...]
    module: str = ""  # the module's name when it has callers


_NOTHING = _Facts((), ())  # what a file that adds nothing to `combine` collects


def collect(module: ir.Module, scope: ModuleScope) -> _Facts | None:
    return contribution(_collect(module, scope), _NOTHING)


def _collect(module: ir.Module, scope: ModuleScope) -> _Facts:
    if is_test_path(module.path) or is_script_path(module.path):
        return _Facts((), ())
    index = file_index(module, scope)
    units = tuple(u for f in module.functions if (u := _unit(module, scope, f, index)) is not None)
    callers = tuple(c for f in module.functions if (c := _caller(module, scope, f, index, False)) is not None)
    return _Facts(units, callers, scope.name if callers else "")


def revisit(module: ir.Module, scope: ModuleScope, qualnames: frozenset[str]) -> tuple[Caller, ...]:
    """The functions `qualnames` as callers, with their execution paths."""
    index = file_index(module, scope)
    return tuple(c for f in module.functions
                 if f.qualname in qualnames and (c := _caller(module, scope, f, index, True)) is not None)


def _unit(module: ir.Module, scope: ModuleScope, function: ir.Function, index: FileIndex) -> Unit | None:
    """The first write that commits before the function returns: inside a transaction the function
    opens itself, or followed by a `commit()`."""
    calls = index.block_of_kind(function.body, ir.Call)
    writes = [call for call in calls if _writes(call)]
    if not writes:
        return None
    commits = [c.line for c in calls if (chain(c) or [""])[-1] == "commit"]
    spans = _transaction_spans(function, index)
    committed = [call for call in writes if inside(call.line, spans) or any(line > call.line for line in commits)]
    if not committed:
        return None
    return Unit(function_key(scope, function), module.path, committed[0].line, module.line_text(committed[0].line),
                any(_updates(call) for call in committed))


def _transaction_spans(function: ir.Function, index: FileIndex) -> list[tuple[int, int]]:
    """Where the function runs in a transaction of its own: `atomic()`, `begin()`, or any context
    manager named for a transaction (`transaction_with_commit_on_errors()`)."""
    return atomic_spans(function, index) + [
        (stmt.line, stmt.end_line) for stmt in index.walk_stmts(function.body) if type(stmt) is ir.With
        and any(isinstance(item.context, ir.Call) and "transaction" in (chain(item.context) or [""])[-1].lower()
                for item in stmt.items)]


def _updates(call: ir.Call) -> bool:
    """An UPDATE of existing rows: SQL text, SQLAlchemy's `update(...)`, a queryset `.update()`."""
    names = chain(call)
    if names and names[-1] in ("update", "bulk_update", "aupdate") and "objects" in names:
        return True
    statement = call.args[0] if call.args else None
    if isinstance(statement, ir.Call) and (chain(statement) or [""])[-1] == "text" and statement.args:
        statement = statement.args[0]
    if isinstance(statement, ir.Const) and isinstance(statement.value, str):
        return statement.value.lstrip().lower().startswith("update")
    return statement is not None and any(isinstance(n, ir.Call) and (chain(n) or [""])[-1] == "update" and n.args
                                         for n in ir.walk_expr(statement))


def _writes(call: ir.Call) -> bool:
    """A write that adds or changes rows: an INSERT/UPDATE statement executed, or an ORM save."""
    names = chain(call)
    if not names:
        return False
    if names[-1] in ("execute", "exec_driver_sql") and call.args:
        statement = call.args[0]
        if isinstance(statement, ir.Call) and (chain(statement) or [""])[-1] == "text" and statement.args:
            statement = statement.args[0]
        if isinstance(statement, ir.Const) and isinstance(statement.value, str):
            return bool(_SQL_WRITE.match(statement.value))
        return any(isinstance(n, ir.Call) and (chain(n) or [""])[-1] in _BUILDERS and n.args
                   for n in ir.walk_expr(statement))
    if names[-1] in ("add", "add_all", "merge"):
        return len(names) >= 2 and bool(call.args)
    return names[-1] in _ORM_WRITES and ("objects" in names or names[-1] in ("save", "asave")) \
        and not any(kw.name == "commit" for kw in call.kwargs)


def _caller(module: ir.Module, scope: ModuleScope, function: ir.Function, index: FileIndex,
            with_paths: bool) -> Caller | None:
    spans = _transaction_spans(function, index)
    calls = []
    for call in index.block_of_kind(function.body, ir.Call):
        if inside(call.line, spans):
            continue
        callee = callee_name(call, scope, function)
        if callee is not None and not declines_commit(call):  # `commit=False`: staged for the caller's commit
            calls.append((call.line, callee[0]))
    entry = is_entry_point(function, scope)
    if len(calls) < (1 if entry else 2):
        return None  # a handler with one call is still a root: what it calls is on a request path
    if not with_paths:
        return Caller(function_key(scope, function), function.name, entry, module.path, tuple(calls))
    per_path = paths(function.body, [line for line, _ in calls]) or [frozenset(line for line, _ in calls)]
    masks = tuple(sum(1 << i for i, (line, _) in enumerate(calls) if line in path) for path in per_path)
    return Caller(function_key(scope, function), function.name, entry, module.path, tuple(calls), masks,
                  tuple(module.line_text(line) for line, _ in calls))


def combine(per_file: Mapping[str, object], settings: Settings, ask: Ask) -> Iterable[Finding]:
    by_path = {rel: f for rel, f in sorted(per_file.items()) if isinstance(f, _Facts)}
    facts = list(by_path.values())
    units: CalleeIndex[Unit] = CalleeIndex((u.key, u) for f in facts for u in f.units)
    callers = [c for f in facts for c in f.callers]
    functions: CalleeIndex[Caller] = CalleeIndex((c.key, c) for c in callers)
    served = {key for c in callers if c.entry for _, callee in c.calls if (key := functions.key_of(callee))}
    # not on a request path: a command or a start-up routine is a nit; fewer than two
    # self-committing callees: nothing to split, on any path
    judged = [c for c in callers if (c.entry or c.key in served) and _self_committing(c, units) >= 2]
    wanted: dict[str, set[str]] = {}
    for caller in judged:
        wanted.setdefault(caller.path, set()).add(caller.key[len(by_path[caller.path].module) + 1:])
    answers = ask({rel: frozenset(names) for rel, names in wanted.items()}) if wanted else {}
    with_paths = {(c.key, c.calls): c for answer in answers.values() for c in answer}  # type: ignore[attr-defined]
    for caller in judged:
        found = _split_units(with_paths.get((caller.key, caller.calls), caller), units)
        if found:
            yield _finding(caller, found)


def _self_committing(caller: Caller, units: CalleeIndex[Unit]) -> int:
    """How many distinct functions that commit on their own the caller calls."""
    return len({unit.key for _, callee in caller.calls
                if (unit := units.get(callee)) is not None and unit.key != caller.key})


def _split_units(caller: Caller, units: CalleeIndex[Unit]) -> list[tuple[int, str, Unit]]:
    """The calls into distinct self-committing functions on the path that has most of them (none
    for a caller `revisit` did not answer: it has no paths)."""
    resolved = [(line, code, unit, 1 << i) for i, ((line, callee), code) in enumerate(zip(caller.calls, caller.code))
                if (unit := units.get(callee)) is not None and unit.key != caller.key]
    best: list[tuple[int, str, Unit]] = []
    for path in caller.paths:
        on_path: dict[str, tuple[int, str, Unit]] = {}
        for line, code, unit, bit in sorted(resolved, key=lambda r: r[0]):
            if path & bit:
                on_path.setdefault(unit.key, (line, code, unit))
        if len(on_path) > len(best):
            best = sorted(on_path.values(), key=lambda r: r[0])
    # only an earlier unit that changed existing rows leaves damage behind when a later one fails:
    # a balance debited or a status moved with nothing recording why; inserts leave visible rows
    return best if len(best) >= 2 and any(unit.changes_rows for _, _, unit in best[:-1]) else []


def _finding(caller: Caller, found: list[tuple[int, str, Unit]]) -> Finding:
    names = [unit.key.rsplit(".", 1)[-1] for _, _, unit in found]
    evidence: list[TraceStep] = []
    for line, code, unit in found[:4]:
        evidence.append(TraceStep(Location(caller.path, line), f"calls `{unit.key.rsplit('.', 1)[-1]}()`", code))
        evidence.append(TraceStep(Location(unit.path, unit.line), "which writes and commits on its own", unit.code))
    first, last = found[0][0], found[-1][0]
    listed = ", ".join(f"`{n}()`" for n in names)
    return make_finding(
        "missing-transaction", Location(caller.path, first, last),
        f"`{caller.name}` runs {len(found)} writes that each commit on their own ({listed})",
        f"{listed} each open and commit their own transaction, so if a later one fails (constraint, timeout, "
        "worker killed mid-request) the earlier writes stay committed and the records disagree: money taken with "
        "nothing to show for it, or a row without its counterpart.",
        confidence=Confidence.MEDIUM, evidence=tuple(evidence),
        fix=Fix("Open one transaction in the caller and pass its connection or session to the helpers, which then "
                "write without committing.", "", ""),
        rule=RULE.id, key=f"helpers:{caller.key}",
    )


RULE = Rule("py-missing-transaction-helpers", frozenset({"missing-transaction"}), "python", no_findings,
            collect=collect, combine=combine, revisit=revisit)
