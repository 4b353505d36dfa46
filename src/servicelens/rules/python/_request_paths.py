"""One Python file's part of the request-path view (analysis/request_paths.py).

Not a rule (it defines no RULE). Records the file's request entry points with what each holds
throughout (an `@atomic` decorator: a transaction; an idempotency-key parameter) and every call
any of its functions makes that may land in a project function (`_project_calls.callee_name`,
the resolution every cross-module rule uses), with what holds at that call in the caller: inside a
transaction it opened (`with transaction.atomic():`, `async with session.begin():`), after it read
an idempotency key or deduplicated (`idempotency_key`, `get_or_create`, `ON CONFLICT`, not a key
made new at the call), under a lock (`with lock:`, `async with self._lock:`), after checking the
record's state (inside `if payment.status == "pending":`, or below `if order.paid: return`): a retry
after success finds the state changed and stops there; where the caller keeps what the call returns
(a lazy singleton, a cached factory: `_kept_values`): what the callee builds is built once.
"""
from __future__ import annotations

from typing import Iterator

from servicelens import ir
from servicelens.analysis.dispatch_tables import calls_through_tables
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.analysis.request_paths import IDEMPOTENCY, KEPT, LOCK, STATE, TRANSACTION, Entry, PathFacts, Step
from servicelens.rules.python._common import is_test_path
from servicelens.rules.python._fresh_values import fresh_values, key_tokens
from servicelens.rules.python._kept_values import is_cached_function, kept_values
from servicelens.rules.python._project_calls import callee_name, class_bases, function_key
from servicelens.rules.python.rel_shared import atomic_spans, chain, file_mentions, inside, is_atomic_function, \
    is_entry_point
from servicelens.taint.scope import ModuleScope

# a key or a write that lands a repeated request on the same row
KEYED = ("idempot", "get_or_create", "update_or_create", "on_conflict")
_LOCK_WORDS = ("lock", "mutex", "semaphore")
_NO_GUARDS: frozenset[str] = frozenset()
# attributes whose test decides by the record's state; an early exit on one (`if order.paid: return`)
# takes the narrower set, since `if not user.is_active: return` says nothing about the record
_STATE_WORDS = ("can_", "is_", "status", "state", "paid", "captured", "charged", "refunded", "already", "exists")
_EXIT_STATE_WORDS = ("status", "state", "paid", "captured", "charged", "refunded", "already", "processed",
                     "completed", "cancelled", "canceled", "settled")


def path_facts(module: ir.Module, scope: ModuleScope) -> PathFacts:
    """The file's entries and steps; test code contributes none (a function only tests call is
    no request's)."""
    if is_test_path(module.path):
        return PathFacts()
    return scope.memo("request-path-facts", lambda: _path_facts(module, scope))


def _path_facts(module: ir.Module, scope: ModuleScope) -> PathFacts:
    keyed_file = file_mentions(module, scope, *KEYED)
    entries: list[Entry] = []
    steps: list[Step] = []
    interned: dict[frozenset[str], frozenset[str]] = {}
    held: list[tuple[str, frozenset[str]]] = []
    for function in module.functions:
        key = function_key(scope, function)
        throughout = _held_throughout(function)
        if throughout:
            held.append((function.qualname, throughout))
        if is_entry_point(function, scope):
            handler = scope.handlers.get(function.qualname)
            entries.append(Entry(key, module.path, function.line, function.qualname,
                                 tuple(handler.methods) if handler else (), throughout))
        for line, callee, guards in _calls(module, scope, function, keyed_file):
            steps.append(Step(key, callee, line, interned.setdefault(guards, guards)))
    return PathFacts(tuple(entries), tuple(steps), class_bases(module, scope), tuple(held))


def _held_throughout(function: ir.Function) -> frozenset[str]:
    held = set()
    if is_atomic_function(function):
        held.add(TRANSACTION)
    if any("idempot" in p.name.lower() for p in function.params):
        held.add(IDEMPOTENCY)
    return frozenset(held)


def _calls(module: ir.Module, scope: ModuleScope, function: ir.Function, keyed_file: bool
           ) -> Iterator[tuple[int, str, frozenset[str]]]:
    index = file_index(module, scope)
    found = [(call, name[0]) for call in index.block_of_kind(function.body, ir.Call)
             if (name := callee_name(call, scope, function)) is not None]
    # `HANDLERS[kind](...)`: each function of the module's dispatch table (analysis/dispatch_tables.py)
    found.extend(calls_through_tables(function, scope, index))
    if not found:
        return
    throughout = _held_throughout(function)
    atomic = atomic_spans(function, index)
    locks = [(stmt.line, stmt.end_line) for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.With)
             and any(any(w in n.lower() for n in chain(item.context) for w in _LOCK_WORDS) for item in stmt.items)]
    keyed_from = _keyed_from(function, index, scope) if keyed_file and IDEMPOTENCY not in throughout else None
    checked = _state_spans(function)
    kept = None if is_cached_function(function) else kept_values(function, index)
    for call, callee in found:
        guards = set(throughout)
        if inside(call.line, atomic):
            guards.add(TRANSACTION)
        if inside(call.line, checked):
            guards.add(STATE)
        if inside(call.line, locks):
            guards.add(LOCK)
        if keyed_from is not None and call.line >= keyed_from:
            guards.add(IDEMPOTENCY)
        if kept is None or kept.keeps(call):
            guards.add(KEPT)
        yield call.line, callee, frozenset(guards) if guards else _NO_GUARDS


def _state_spans(function: ir.Function) -> list[tuple[int, int]]:
    """Lines that run only after the function checked a record's state: the body of an `if` testing
    it (`if payment.can_capture():`), and what follows an early exit on it (`if order.paid: return`)."""
    spans = []
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.If):
            continue
        attrs = [node.attr.lower() for node in ir.walk_expr(stmt.test) if isinstance(node, ir.Attr)]
        if any(w in attr for attr in attrs for w in _STATE_WORDS):
            spans.append((stmt.line, stmt.end_line))
        if stmt.body and isinstance(stmt.body[-1], (ir.Raise, ir.Return)) and not stmt.orelse \
                and any(w in attr for attr in attrs for w in _EXIT_STATE_WORDS):
            spans.append((stmt.end_line + 1, function.end_line))
    return spans


def _keyed_from(function: ir.Function, index: FileIndex, scope: ModuleScope) -> int | None:
    """The first line at which the function has read an idempotency key or deduplicated, a key made
    new for every attempt (`str(uuid.uuid4())`) not counting; None when it never does."""
    fresh = fresh_values(function, scope)
    for stmt in index.walk_stmts(function.body):
        tops = list(ir.stmt_exprs(stmt))
        if isinstance(stmt, ir.Try):
            tops += [handler.types for handler in stmt.handlers if handler.types is not None]
        if any(needle in token for top in tops for token in key_tokens(top, fresh, "idempot") for needle in KEYED):
            return stmt.line
    return None
