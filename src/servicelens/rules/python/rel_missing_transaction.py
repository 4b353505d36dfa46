"""Related writes of one request that can half-succeed: no transaction around them.

## What it finds
A request entry point (a routed handler, a Django view, a GraphQL mutation's
`perform_mutation`/`mutate`) that writes two or more different tables or rows through the
ORM (`Order.objects.create(...)`, `payment.save()`, `Stock.objects.filter(...).update(...)`)
outside `transaction.atomic()`, when the project does not set `ATOMIC_REQUESTS` (in a settings
module, as a constant, a key of a `DATABASES` entry in any branch that picks the engine, or by item:
`DATABASES["default"]["ATOMIC_REQUESTS"] = True`) nor has a middleware that runs the rest of the
request in one (`with transaction.atomic(): return self.get_response(request)`); and
SQLAlchemy code that commits several times in one request (`db.commit()` after the order, a
Query's bulk write `Lease.query.filter_by(id=i).update({...})` or `.delete()` counted as a write,
Flask-SQLAlchemy's `db.session.commit()`, a session on an object or on `flask.g`,
again after the payment; a write statement run on the session or connection,
`conn.execute(text("UPDATE ..."))`, counts as a write), in a handler or in a module-level service
function handed the session (`def place_order(db, ...)`) that a request handler calls outside a
transaction; and write statements an async driver runs one by one outside a
transaction block (`await conn.execute("UPDATE ...")` then `await conn.execute("INSERT ...")` on
asyncpg, aiopg or `databases`, `executemany` included, which commit each statement as it finishes)
in a function that
never calls `commit()`: a handler, or a repository or service method (`await self.pool.execute(...)`
twice in `BookingRepository.book`) that a request reaches with no transaction held on the way.

A half-done request is only reported when repeating it does not repair it: a failure can only
leave behind writes committed before the one that failed, so when every write but the last
converges (`purge expired states; insert the new one`) nothing is left to repair; a path whose writes
all converge (deletes, `get_or_create`/`update_or_create`, `bulk_create(ignore_conflicts=True)`)
ends in the same state however often it runs, so a failed request is fixed by sending it again.
A write that is the only one inside a `try` whose handler records the error and carries on
was meant to fail on its own (per-row partial success), and `form.save(commit=False)` writes
nothing.

## Why it matters
Django runs in autocommit: each write commits on its own. If the second write fails (a
constraint, a timeout, a deploy killing the worker) the first stays: an order without its
lines, a payment recorded against an order still marked unpaid, stock taken for an
order that does not exist. At 1,000 orders a day a 0.1% failure rate leaves one
inconsistent order every day for support to repair by hand.

## Example
```python
def checkout(request):
    order = Order.objects.create(user=request.user, total=cart.total)
    Payment.objects.create(order=order, amount=cart.total)
```

Not reported, because a retry repairs it:
```python
def purge_sensor(request, sensor_id):
    Reading.objects.filter(sensor_id=sensor_id).delete()
    Alert.objects.filter(sensor_id=sensor_id).delete()
```

## Fix
Wrap the writes in one transaction: `with transaction.atomic(): ...` (Django),
`with session.begin(): ...` or a single `commit()` at the end (SQLAlchemy).

## Known problems
Writes are counted per execution path, not per function: writes in different
`if`/`elif`/`else` branches or `match` cases, or after an early `return`, never run in one
request and are not reported together. Sibling `if` blocks testing the same subject
against different constants (`action == "a"` / `action == "b"`, `"delete" in request.POST`
/ `"rename" in request.POST`, incompatible `startswith` prefixes) count as alternatives,
assuming the subject does not change in between; a loop body counts as one path.
Writes done inside helper functions are not seen from the handler; instead a service function or
method (in any module or class) that writes two or more tables, or commits more than once, outside a
transaction of its own is reported itself, when a request reaches it (the handler calling it, or
through services between, up to four layers: analysis/request_paths.py, which follows a service
built by a class method, `OrderService.from_app(app)`, and a class its package re-exports) with no
transaction opened
on the way, and no caller anywhere calls it inside one (`with transaction.atomic():` around the
call, an `@atomic` caller; module-level helpers are also matched by function name). A helper only a
command, a job or a test calls is not reported. Also, in a class (a repository or service),
a call to a sibling method that writes and commits on its own (`self.debit(...)` whose body
ends in `self.session.commit()`) counts as a write and a commit, and a method that commits
more than once that way is reported wherever it is called from. A sibling told not to commit
(`self._delete_labels(..., commit=False)`, `do_commit=False`) stages its writes for the caller's
commit, and a sibling whose own commit follows writes the function staged (`session.add(task);
self.save()`) commits them together: one commit, not two. A transaction opened by a caller or middleware other
than ATOMIC_REQUESTS is not seen; declare it or suppress the finding with a reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.analysis.needs import Needs
from servicelens.analysis.request_paths import EMPTY, TRANSACTION, RequestPaths
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.base import Rule, contribution, no_findings
from servicelens.rules.python import _raw_sql as raw_sql
from servicelens.rules.python._common import is_test_path, module_constants
from servicelens.rules.python._flow import paths as flow_paths
from servicelens.rules.python._project_calls import function_key
from servicelens.rules.python._write_units import builds_without_writing, converges_on_retry, standalone_writes
from servicelens.rules.python.rel_shared import (assigned_names, atomic_spans, chain, declines_commit, inside,
                                                  is_entry_point, is_script_path, stmt_calls)
from servicelens.taint.scope import ModuleScope

_MANAGER_WRITES = frozenset({"create", "bulk_create", "update", "delete", "bulk_update", "get_or_create",
                             "update_or_create", "acreate", "abulk_create", "aupdate", "adelete"})
_SA_WRITES = frozenset({"add", "add_all", "delete", "merge", "bulk_save_objects", "bulk_insert_mappings"})
# dispatch by name (analysis.needs): every write `_django_writes` counts and every statement
# `_sa_kind` follows is a call whose chain ends in one of these attributes (`Order.objects.create`,
# `order.save`, `session.add`, `db.commit`, `conn.execute`); a body holding none has nothing to follow
_DJANGO_WRITE_ATTRS = _MANAGER_WRITES | {"save", "delete"}
_SA_STATEMENT_ATTRS = _SA_WRITES | {"commit", "execute", "exec_driver_sql", "update"}


@dataclass(frozen=True, slots=True)
class _Write:
    line: int
    target: str
    code: str
    converges: bool = False  # a repeated request re-applies it without adding anything
    in_loop: bool = False  # inside a loop: later iterations run after it, whatever its line
    removes: bool = False  # only deletes rows


@dataclass(frozen=True, slots=True)
class _Facts:
    atomic_requests: bool
    candidates: tuple[Finding, ...]
    # module-level helpers that write several tables without a transaction, by name; judged in
    # `combine` against their call sites, since the caller may hold the transaction
    # (name, function key, module-level, finding): a service function or method, judged by how
    # requests reach it (analysis/request_paths.py) and, for a module-level one, by name as well
    helpers: tuple[tuple[str, str, bool, Finding], ...] = ()
    called_in_transaction: frozenset[str] = frozenset()
    called_outside_transaction: frozenset[str] = frozenset()


_NOTHING = _Facts(False, ())  # what a file that adds nothing to `combine` collects


def collect(module: ir.Module, scope: ModuleScope) -> _Facts | None:
    return contribution(_collect(module, scope), _NOTHING)


def _collect(module: ir.Module, scope: ModuleScope) -> _Facts:
    flag = atomic_requests(module) or _atomic_middleware(module)
    if is_test_path(module.path):
        return _Facts(flag, ())
    helpers: list[tuple[str, str, bool, Finding]] = []
    atomic_classes = {c.name for c in module.classes if any("atomic" in str(ir.dotted_name(n) or "")
                      for d in c.decorators for n in ir.walk_expr(d))}
    found: list[Finding] = []
    index = file_index(module, scope)
    committers = _committing_methods(module, index)
    writers = _writing_functions(module, index)
    for function in module.functions:
        if function.class_name in atomic_classes:
            continue
        if not is_entry_point(function, scope):
            if function.parent is None and not is_script_path(module.path) and not atomic_spans(function, index):
                key, alone = function_key(scope, function), function.class_name is None
                writes = _django_writes(function, module, index, writers)
                worst = _worst_path(function, writes, _weight) if writes else []
                several = len({w.target for w in worst}) >= 2 and _leaves_damage(worst)
                raw = [] if several else _raw_autocommits(function, module, index)
                commits = [] if several or raw else _worst_commits(function, module, index, committers)
                commits = commits if _leaves_damage(commits) else []
                if several:
                    helpers.append((function.name, key, alone, _finding(module, function, worst, "django")))
                elif raw:
                    # a repository or service method whose async driver commits each statement as it
                    # runs (`await self.pool.execute("INSERT ...")` twice): reported like a service
                    # function, when a request reaches it with no transaction held on the way
                    helpers.append((function.name, key, alone, _finding(module, function, raw, "raw")))
                elif len(commits) >= 2 and not alone and any(w.target.startswith("self.") for w in commits):
                    # a repository or service method that commits its own write and then calls sibling
                    # methods that commit theirs: the request that calls it can half-succeed just the same
                    found.append(_finding(module, function, commits, "sqlalchemy"))
                elif len(commits) >= 2:
                    # a service function handed the session (`def place_order(db, ...)`) that commits
                    # one write and then another: whoever calls it can be left with the first alone
                    helpers.append((function.name, key, alone, _finding(module, function, commits, "sqlalchemy")))
            continue
        spans = atomic_spans(function, index)
        django = [w for w in _django_writes(function, module, index, writers) if not inside(w.line, spans)]
        if len({w.target for w in django}) >= 2:
            worst = _worst_path(function, django, _weight)
            if len({w.target for w in worst}) >= 2 and _leaves_damage(worst):
                found.append(_finding(module, function, worst, "django"))
                continue
        if spans:
            continue
        raw = _raw_autocommits(function, module, index)
        if raw:
            found.append(_finding(module, function, raw, "raw"))
            continue
        commits = _worst_commits(function, module, index, committers)
        if len(commits) >= 2 and _leaves_damage(commits):
            found.append(_finding(module, function, commits, "sqlalchemy"))
    wrapped, bare = _call_sites(module, scope, index, frozenset(atomic_classes))
    return _Facts(flag, tuple(found), tuple(helpers), wrapped, bare)


def atomic_requests(module: ir.Module) -> bool:
    """The settings module turns on Django's ATOMIC_REQUESTS (every view one transaction): a module
    constant `ATOMIC_REQUESTS = True`, the key set to True in a database dict (`DATABASES = {"default":
    {"ATOMIC_REQUESTS": True}}`, in any `if`/`else` branch choosing the engine), or set by item
    (`DATABASES["default"]["ATOMIC_REQUESTS"] = True`)."""
    setting = module_constants(module).get("ATOMIC_REQUESTS")
    if setting is not None and isinstance(setting.value, ir.Const) and setting.value.value is True:
        return True
    for stmt in _module_level(module.body):
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        for node in ir.walk_expr(stmt.value):
            if isinstance(node, ir.DictExpr) and any(
                    isinstance(k, ir.Const) and k.value == "ATOMIC_REQUESTS" and isinstance(v, ir.Const)
                    and v.value is True for k, v in zip(node.keys, node.values)):
                return True
        if isinstance(stmt.value, ir.Const) and stmt.value.value is True and any(
                isinstance(t, ir.Subscript) and isinstance(t.index, ir.Const) and t.index.value == "ATOMIC_REQUESTS"
                for t in stmt.targets):
            return True
    return False


def _atomic_middleware(module: ir.Module) -> bool:
    """A Django middleware that runs the rest of the request inside one transaction (`with
    transaction.atomic(): return self.get_response(request)` in `__call__`, or a `process_view` that
    calls the view there): every view then runs as with ATOMIC_REQUESTS."""
    if is_test_path(module.path):
        return False
    for function in module.functions:
        if function.class_name is None or function.name not in ("__call__", "__acall__", "process_view"):
            continue
        spans = atomic_spans(function)
        if spans and any(inside(call.line, spans) for stmt in ir.walk_stmts(function.body) for call in stmt_calls(stmt)
                         if (chain(call) or [""])[-1] in ("get_response", "view_func", "callback")):
            return True
    return False


def _module_level(body: Iterable[ir.Stmt]) -> Iterable[ir.Stmt]:
    """The module's own statements, inside `if`/`else`/`try` blocks too, not inside functions or classes."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ir.If):
            yield from _module_level(stmt.body)
            yield from _module_level(stmt.orelse)
        elif isinstance(stmt, ir.Try):
            yield from _module_level(stmt.body)
            for handler in stmt.handlers:
                yield from _module_level(handler.body)
            yield from _module_level(stmt.orelse)
            yield from _module_level(stmt.finalbody)


def combine(per_file: Mapping[str, object], settings: Settings, paths: RequestPaths = EMPTY) -> Iterable[Finding]:
    facts = [f for f in per_file.values() if isinstance(f, _Facts)]
    atomic_requests = any(f.atomic_requests for f in facts)
    wrapped = frozenset().union(*(f.called_in_transaction for f in facts))
    bare = frozenset().union(*(f.called_outside_transaction for f in facts))
    for fact in facts:
        for finding in fact.candidates:
            if atomic_requests and finding.key.startswith("django:"):
                continue  # every view already runs in one transaction
            yield finding
        if atomic_requests:
            continue
        for name, key, alone, finding in fact.helpers:
            # a service function's writes run together whoever calls it; reported when a request
            # reaches it with no transaction held on the way (a handler calling it, or a service
            # between, outside `atomic()`), and no caller anywhere wraps it in one
            if name in wrapped or paths.guarded_somewhere(key, TRANSACTION):
                continue
            if alone and name in bare or paths.unguarded(key, TRANSACTION) is not None:
                yield finding


def _call_sites(module: ir.Module, scope: ModuleScope, index: FileIndex, atomic_classes: frozenset[str]
                ) -> tuple[frozenset[str], frozenset[str]]:
    """Names of functions this module calls inside a transaction (from any function), and those its
    request handlers call outside one (`services.approve(...)` counts as `approve`)."""
    wrapped: set[str] = set()
    bare: set[str] = set()
    for function in module.functions:
        spans = atomic_spans(function, index)
        whole = function.class_name in atomic_classes
        entry = is_entry_point(function, scope)
        if not (whole or spans or entry):
            continue  # its calls are neither inside a transaction nor a request's own
        for call in index.block_of_kind(function.body, ir.Call):
            name = ir.last_name(call.func)
            if not name:
                continue
            if whole or inside(call.line, spans):
                wrapped.add(name)
            elif entry:
                bare.add(name)
    return frozenset(wrapped), frozenset(bare)


def _writing_functions(module: ir.Module, index: FileIndex) -> frozenset[str]:
    """Module-level functions of this file that write through the ORM themselves: a call to one
    is a write (it commits its part on return, inside its own `atomic()` or not)."""
    return frozenset(f.name for f in module.functions if f.class_name is None and f.parent is None
                     and _django_writes(f, module, index))


def _hands_data(call: ir.Call) -> bool:
    """A sibling writer called with data of the unit (`consume(sample.pk, n)`), not only with the
    request (`_refresh_last_active_date(request)`: bookkeeping about the caller, no part of it)."""
    values = [*call.args, *(k.value for k in call.kwargs)]
    return any(not (isinstance(v, ir.Name) and v.id in ("request", "self", "cls")) for v in values)


def _django_writes(function: ir.Function, module: ir.Module, index: FileIndex,
                   writers: frozenset[str] = frozenset()) -> list[_Write]:
    """ORM writes keyed by model: `order = Order.objects.create(); order.save()` is one target;
    a call to a sibling function in `writers` (`consume_volume(...)`) is one too."""
    if not index.holds(Needs(calls=writers, attrs=_DJANGO_WRITE_ATTRS), function.body):
        return []
    writes: list[_Write] = []
    models: dict[str, str] = {}  # local variable -> model it holds
    for stmt in index.walk_stmts(function.body):
        for call in index.stmt_of_kind(stmt, ir.Call):
            names = chain(call)
            if isinstance(call.func, ir.Name) and call.func.id in writers and call.func.id != function.name:
                if _hands_data(call):
                    writes.append(_Write(stmt.line, f"{call.func.id}()", module.line_text(stmt.line)))
            elif "objects" in names and names.index("objects") > 0:
                model = names[names.index("objects") - 1]
                for var in assigned_names(stmt):
                    models[var] = model
                if names[-1] in _MANAGER_WRITES:
                    writes.append(_Write(stmt.line, model, module.line_text(stmt.line),
                                         converges_on_retry(call, names[-1]),
                                         removes=names[-1] in ("delete", "adelete")))
            elif len(names) == 2 and names[1] in ("save", "delete") and not call.args \
                    and names[0] not in ("self", "cls", "super", "form", "serializer", "super()") \
                    and not builds_without_writing(call):
                writes.append(_Write(stmt.line, models.get(names[0], names[0]), module.line_text(stmt.line),
                                     names[1] == "delete", removes=names[1] == "delete"))
    alone = standalone_writes(function.body, frozenset(w.line for w in writes))
    loops = _loop_spans(function)
    return [replace(w, in_loop=inside(w.line, loops)) for w in writes if w.line not in alone]


def _loop_spans(function: ir.Function) -> list[tuple[int, int]]:
    return [(s.line, s.end_line) for s in ir.walk_stmts(function.body) if isinstance(s, (ir.For, ir.While))]


def _weight(writes: list[_Write]) -> tuple[bool, int]:
    """Prefer the path a failure can leave damaged, then the one touching most tables."""
    return _leaves_damage(writes), len({w.target for w in writes})


def _leaves_damage(writes: list[_Write]) -> bool:
    """A failure part-way leaves something a repeated request does not repair: a write that adds
    or changes data rather than converging (deletes, upserts, inserts that skip existing rows end
    in the same state however often they run). When every write before the last only deletes rows
    (and no loop runs the last again), a failure leaves nothing but rows that had to go: `purge
    expired states; insert the new one` is repaired by sending the request again. An earlier
    `UPDATE ... SET status = 'paid'` is not: a retry may stop at the changed status."""
    if all(w.converges for w in writes):
        return False
    return not (writes[-1].in_loop is False and all(w.removes for w in writes[:-1]))


def _worst_path(function: ir.Function, writes: list[_Write], weight) -> list[_Write]:
    """The writes of the one execution path with the most distinct targets: writes in
    `if`/`else` branches, different `match` cases or after an early `return` never run together."""
    lines = {w.line for w in writes}
    per_path = flow_paths(function.body, lines) or [frozenset(lines)]
    return max(([w for w in writes if w.line in path] for path in per_path), key=weight, default=[])


_SESSION_NAMES = frozenset({"session", "db", "db_session", "dbsession", "sess", "s", "conn", "connection",
                            "uow", "unit_of_work"})


def _session_receiver(names: list[str]) -> bool:
    """`session.add`, `db.commit`; a session kept on an object or an extension: `self.session.add`,
    Flask-SQLAlchemy's `db.session.commit()`, `g.db.commit()`."""
    return len(names) == 2 or (len(names) == 3 and names[1] in _SESSION_NAMES and names[0] != "request")


def _sa_call(names: list[str]) -> str | None:
    """"write" / "commit" for `session.add(x)`, `db.commit()`, `self.session.commit()`, `db.session.commit()`."""
    if _session_receiver(names):
        if names[-1] in _SA_WRITES:
            return "write"
        if names[-1] == "commit":
            return "commit"
    return None


def _worst_commits(function: ir.Function, module: ir.Module, index: FileIndex,
                   committers: frozenset[tuple[str, str]]) -> list[_Write]:
    """The commits that each follow a write, on the execution path with the most of them."""
    everything = _sa_statements(function, index, committers)
    if not everything:
        return []  # no statement to follow: no commit on any path
    per_path = flow_paths(function.body, everything) or [frozenset(everything)]
    return max((_commit_groups(function, module, index, path, committers) for path in per_path), key=len, default=[])


def _sa_kind(call: ir.Call, names: list[str]) -> str | None:
    """`_sa_call`, and a statement run on the session or connection that writes rows:
    `conn.execute(text("UPDATE ..."))`, `session.execute(update(Seat).values(...))`."""
    kind = _sa_call(names)
    if kind is None and names and names[-1] in ("execute", "exec_driver_sql") and _session_receiver(names) \
            and call.args and _writes_rows(call.args[0]):
        return "write"
    if kind is None and _query_bulk_write(names):
        return "write"
    return kind


def _query_bulk_write(names: list[str]) -> bool:
    """A SQLAlchemy Query's bulk UPDATE or DELETE, run on the session when called:
    `Lease.query.filter_by(id=i).update({...})` (Flask-SQLAlchemy), `session.query(Seat).filter(...).delete()`."""
    return len(names) >= 3 and names[-1] in ("update", "delete") and "query" in names[1:-1]


def _writes_rows(statement: ir.Expr) -> bool:
    """SQL text that inserts, updates or deletes, or a Core/ORM `insert(...)`/`update(...)`/`delete(...)`."""
    text = raw_sql.leading_text(statement)
    if text is not None:
        return _SQL_TARGET.match(text) is not None
    node = statement
    while isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and isinstance(node.func.value, ir.Call):
        node = node.func.value
    return isinstance(node, ir.Call) and ir.last_name(node.func) in ("insert", "update", "delete") and bool(node.args)


def _write_target(call: ir.Call, names: list[str]) -> str:
    """What a write touches, for the evidence: the added object, or the table a statement names."""
    text = raw_sql.leading_text(call.args[0])
    match = _SQL_TARGET.match(text) if text is not None else None
    return match.group(2) if match else (ir.dotted_name(call.args[0]) or names[-1])


def _self_call(call: ir.Call, names: list[str], committers: frozenset[tuple[str, str]], cls: str | None) -> bool:
    """A call to a sibling method that commits on its own, unless the call tells it not to commit."""
    return cls is not None and len(names) == 2 and names[0] == "self" and (cls, names[1]) in committers \
        and not declines_commit(call)



def _committing_methods(module: ir.Module, index: FileIndex) -> frozenset[tuple[str, str]]:
    """(class, method) pairs whose body writes and commits on its own (`def debit(self, ...):
    ... self.session.add(entry); self.session.commit()`)."""
    found: set[tuple[str, str]] = set()
    statements = Needs(attrs=_SA_STATEMENT_ATTRS)
    for function in module.functions:
        if function.class_name is None or not index.holds(statements, function.body):
            continue
        kinds = [_sa_kind(call, chain(call)) for call in index.block_of_kind(function.body, ir.Call)]
        if "write" in kinds and "commit" in kinds[kinds.index("write"):]:
            found.add((function.class_name, function.name))
    return frozenset(found)


def _sa_statements(function: ir.Function, index: FileIndex,
                   committers: frozenset[tuple[str, str]] = frozenset()) -> set[int]:
    if not index.holds(Needs(attrs=_SA_STATEMENT_ATTRS | {method for _, method in committers}), function.body):
        return set()  # `self.debit()` of a committing method is an attribute too
    return {stmt.line for stmt in index.walk_stmts(function.body) for call in index.stmt_of_kind(stmt, ir.Call)
            if (names := chain(call)) and (_sa_kind(call, names) or _self_call(call, names, committers, function.class_name))}


def _commit_groups(function: ir.Function, module: ir.Module, index: FileIndex, path: frozenset[int],
                   committers: frozenset[tuple[str, str]] = frozenset()) -> list[_Write]:
    """One entry per commit on `path` that follows at least one write since the previous commit;
    a call to a sibling method that commits (`self.debit(...)`) is a write and a commit of its own."""
    groups: list[_Write] = []
    pending: str | None = None
    deletes_only = True  # every write staged since the last commit deletes rows
    loops = _loop_spans(function)
    for stmt in index.walk_stmts(function.body):
        if stmt.line not in path:
            continue
        for call in index.stmt_of_kind(stmt, ir.Call):
            names = chain(call)
            kind = _sa_kind(call, names)
            if kind == "write" and _query_bulk_write(names):
                pending = pending or (names[0] if names[1] == "query" else "query")  # the model the query reads
                deletes_only = deletes_only and names[-1] == "delete"
            elif kind == "write" and call.args:
                pending = pending or _write_target(call, names)
                deletes_only = deletes_only and _deletes(call, names)
            elif kind == "commit" and pending:
                groups.append(_Write(stmt.line, pending, module.line_text(stmt.line), deletes_only,
                                     inside(stmt.line, loops), deletes_only))
                pending, deletes_only = None, True
            elif _self_call(call, names, committers, function.class_name):
                # the sibling's own commit also commits what this function staged before it: one commit
                target = f"self.{names[1]}()" if pending is None else f"{pending} + self.{names[1]}()"
                groups.append(_Write(stmt.line, target, module.line_text(stmt.line), False, inside(stmt.line, loops)))
                pending, deletes_only = None, True
    return groups


def _deletes(call: ir.Call, names: list[str]) -> bool:
    """`session.delete(obj)`, `session.execute(delete(Model).where(...))`, `conn.execute(text("DELETE ..."))`."""
    if names[-1] == "delete":
        return True
    statement = call.args[0] if call.args else None
    text = raw_sql.leading_text(statement) if statement is not None else None
    if text is not None:
        return text.lstrip().lower().startswith("delete")
    node = statement
    while isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and isinstance(node.func.value, ir.Call):
        node = node.func.value
    return isinstance(node, ir.Call) and ir.last_name(node.func) == "delete"


_SQL_TARGET = re.compile(r'(?is)^\s*(insert\s+into|update|delete\s+from|merge\s+into|upsert\s+into|replace\s+into)'
                         r'\s+([\w."]+)')


def _raw_autocommits(function: ir.Function, module: ir.Module, index: FileIndex) -> list[_Write]:
    """Write statements an async driver runs one by one (`await conn.execute("UPDATE ...")`,
    `await pool.fetchrow("INSERT ... RETURNING id")`, `await database.execute(query=...)`), on the
    worst path, when the function never commits: asyncpg, aiopg and `databases` commit each
    statement run outside a transaction block as it finishes. A function that calls `commit()`
    holds its writes in the driver's implicit transaction instead (the commit-count check judges it)."""
    awaited = {id(e.value) for e in index.block_of_kind(function.body, ir.Await)}
    calls = index.block_of_kind(function.body, ir.Call)
    if any(method == "commit" or (method in raw_sql.RUNNERS and re.match(r"(?i)\s*(begin|start\s+transaction)\b",
                                                                         raw_sql.leading_text(c.args[0]) or "")
                                  if c.args else False)
           for c in calls for method in (ir.last_name(c.func),)):
        return []
    writes: list[_Write] = []
    loops = _loop_spans(function)
    for call in calls:
        if id(call) not in awaited:
            continue
        target = _SQL_TARGET.match(raw_sql.statement(call) or "")
        if target is not None:
            text = raw_sql.statement(call) or ""
            writes.append(_Write(call.line, target.group(2).strip('"').lower(), module.line_text(call.line),
                                 _sql_converges(target.group(1), text), inside(call.line, loops),
                                 target.group(1).lower().startswith("delete")))
    if len({w.target for w in writes}) < 2:
        return []
    worst = _worst_path(function, writes, _weight)
    return worst if len({w.target for w in worst}) >= 2 and _leaves_damage(worst) else []


def _sql_converges(verb: str, text: str) -> bool:
    """Running the statement again ends in the same state: a delete, an upsert, an UPDATE that sets
    values rather than adding to them. A plain INSERT or `SET n = n + 1` adds again."""
    verb = verb.lower()
    if verb.startswith("delete"):
        return True
    if verb.startswith("insert"):
        return bool(re.search(r"(?i)\bon\s+conflict\b|\bon\s+duplicate\s+key\b|\binsert\s+or\s+(ignore|replace)\b",
                              text))
    if verb == "update":
        return not re.search(r"(?i)\b(\w+)\s*=\s*(\w+\.)?\1\s*[-+]", text)
    return True


def _finding(module: ir.Module, function: ir.Function, writes: list[_Write], orm: str) -> Finding:
    first, last = writes[0], writes[-1]
    evidence = tuple(TraceStep(Location(module.path, w.line), f"writes `{w.target}` and commits on its own",
                               w.code) for w in writes[:5])
    targets = ", ".join(dict.fromkeys(w.target for w in writes))
    if orm == "django":
        body = "\n".join("    " + w.code for w in writes[:4])
        fix = Fix("Run the related writes in one transaction so they commit or roll back together.",
                  f"from django.db import transaction\n\nwith transaction.atomic():\n{body}\n", "python")
        title = f"`{function.name}` writes {targets} in separate autocommits"
    elif orm == "raw":
        fix = Fix("Run the related statements in one transaction block so they commit or roll back together.",
                  "async with conn.transaction():  # asyncpg; `async with database.transaction():` with databases\n"
                  + "\n".join(f"    await conn.execute(...)  # write {w.target}" for w in writes[:4]) + "\n", "python")
        title = f"`{function.name}` runs {len(writes)} writes ({targets}) that each commit on their own"
    else:
        fix = Fix("Commit once, after every related write, or use `with session.begin():`.",
                  "with session.begin():  # one commit, rollback on any error\n"
                  + "\n".join(f"    ...  # write {w.target}" for w in writes[:4]) + "\n", "python")
        title = f"`{function.name}` commits {len(writes)} times: related writes ({targets}) can half-succeed"
    return make_finding(
        "missing-transaction", Location(module.path, first.line, last.line), title,
        f"Each write commits on its own. If a later one fails (constraint, timeout, worker killed mid-request) "
        f"the earlier ones stay: {targets} disagree and someone repairs the data by hand. At 1,000 requests a "
        "day, a 0.1% failure rate is one inconsistent record a day.",
        confidence=Confidence.MEDIUM, evidence=evidence, fix=fix,
        rule=RULE.id, key=f"{orm}:{function.qualname}",
    )


RULE = Rule("py-missing-transaction", frozenset({"missing-transaction"}), "python", no_findings,
            collect=collect, combine=combine, paths=True)
