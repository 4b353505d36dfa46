"""Lost update: a row is read, changed in Python and written back without a lock.

## What it finds
A function that loads one row (`Account.objects.get(...)`, `get_object_or_404(...)`,
`session.get(Account, id)`, `db.query(Account)...first()`, `session.scalars(select(Account)...).one()`,
Flask-SQLAlchemy's `db.get_or_404(Account, id)`, an active-record ORM's class getter such as
peewee's `Account.get_by_id(id)` or Tortoise's `await Account.get(id=...)`), changes a numeric
field from its own old value (`account.balance -= amount`, `stock.quantity = stock.quantity + n`,
or an `update(balance=account.balance - amount)` whose value was computed from the row read) and
saves it (`account.save()`, `session.commit()`, or the end of a `with Session.begin():` block, which
commits), with no row lock (`select_for_update()` / `with_for_update()`, also as
`session.get(..., with_for_update=True)`), no atomic `UPDATE` (`F()`,
`update(...).values(x=X.x - n)`), no optimistic version check and no explicit lock. Text fields
(`title = title + suffix`) are not quantities and are left alone.

Check-then-set on such a row is reported too: `if coupon.redeemed: raise ...` (any `if` on the
field that raises or returns) followed by `coupon.redeemed = True` and the save, when the function
also does what the check was meant to allow once (creates a row or moves money) and the field says
a one-time resource or a state (`redeemed`, `used`, `booked`, `status`, ...); two requests both pass
the check (a coupon credited twice, an order paid twice). Setting a flag with nothing else to repeat
(`invite.accepted = True`) or an account state (`verified`, `suspended_at`) is left alone.

How sure the finding is follows what the value is (`_race_stakes`): a held quantity (balance,
credits, stock, seats, quota, leave days, points) debited, or changed after a check on it, and a
count of attempts at a secret (`failed_login_count`, `login_attempts`, an activation code's `tries`)
are high; a credit of a held quantity without a check is medium; a tally (`views`, `repeats`,
`document_count`, `request_count`) or a list appended to (`emails += [email]`) is low: one count too
few is no damage a reviewer would file. Whatever its name, a count the function refuses to change
past a bound (`if slot.booked_count >= slot.capacity: raise SlotFull()` then `slot.booked_count += 1`)
is held against that limit: two requests that both pass the check exceed it (high).

## Why it matters
Between the read and the write another request can do the same read. Two concurrent
$80 withdrawals from a $100 balance both pass `balance >= amount`; both save 20, so
$160 leaves an account that held $100 and one debit is lost. The same race oversells
stock and drops counter increments. `transaction.atomic()` alone does not help: under
READ COMMITTED both transactions still read the old value.

## Example
```python
account = Account.objects.get(pk=account_id)
if account.balance >= amount:
    account.balance -= amount
    account.save()
```

## Fix
Let the database do the arithmetic and the check in one statement:
`Account.objects.filter(pk=account_id, balance__gte=amount).update(balance=F("balance") - amount)`
(0 rows updated means insufficient funds), or lock the row:
`Account.objects.select_for_update().get(pk=account_id)` inside `transaction.atomic()`.

## Known problems
In a method of a custom manager or queryset (derived, in its module, from Django's `Manager` or
`QuerySet`), `self.get(...)` loads a row as `Model.objects.get(...)` does; a class derived from a
project base declared in another module is not recognised (false negative).
Rows loaded in the same function are judged; so are rows it obtains from a project helper or
repository (`card = cards.for_driver(org, driver)`) or through a relation of a row it was given
(`program = application.program`), but only for a debit after a check on the same field (directly,
or on a local computed from it: `available = wallet.balance + user.credit_limit; if available < amount:`), and
not when the helper is a function of the same module that locks (one in another module that
locks is not seen: false positive). Rows passed in as a parameter named after a
model (`account`) when the function's module loads that model only through unlocked getters and
never locks it (a repository or service whose `get_account` is `session.get(Account, id)`): the
caller can only have an unlocked row. Such a parameter is reported for decrements and for
changes after a check on the field (a credit without a check is left alone), and not when the
caller locks the row in another module (false positive). A parameter declared with a class of
the project (`user: User`, `wallet: Wallet`) in a module that takes no row lock is such a row too,
wherever its getter lives, and is reported for a debit after a check on the same field. A function that takes any lock
(`select_for_update`, `with_for_update`, a `lock` context manager, a `version` check)
anywhere is trusted as a whole, which can hide a race on a second, unlocked row.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.analysis.needs import needs
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.base import Rule
from servicelens.rules.python._common import is_test_path, words
from servicelens.rules.python._race_stakes import Stakes, is_text_name, stakes
from servicelens.rules.python._refusals import refuses
from servicelens.rules.python.perf_orm import DJANGO_CHAIN, is_query_class
from servicelens.rules.python.rel_shared import LOCK_CHAIN, chain, is_script_path, render
from servicelens.taint.scope import ModuleScope

_DJANGO_GETS = frozenset({"get", "first", "last", "earliest", "latest", "aget", "afirst"})
_SA_GETS = frozenset({"first", "one", "one_or_none", "scalar_one", "scalar_one_or_none", "scalar", "get",
                      "get_or_404", "first_or_404", "one_or_404"})
_SESSIONS = frozenset({"session", "db", "db_session", "dbsession", "s", "sess", "conn"})
# dispatch by name (analysis.needs): every finding writes its change with a call whose chain ends in
# one of these (`_saved_after`: row.save() / session.commit(); `_committing_block`: `with
# session.begin()`; `_update_from_read`: `.update(...)` / `.values(...)`), as a callee or attribute
_SAVES = ("save", "asave", "commit", "flush", "add")
_WRITES_SAVED = needs(calls=_SAVES, attrs=_SAVES)
_WRITES = needs(calls=(*_SAVES, "begin", "update", "values", "aupdate"), attrs=(*_SAVES, "begin", "update", "values", "aupdate"))


@dataclass(frozen=True, slots=True)
class _Load:
    line: int
    orm: str  # "django" | "sqlalchemy"
    model: str
    call: ir.Call | None  # None: a row reached through a relation (`application.program`)
    direct: bool = True  # False: returned by a project helper or a relation, lock unknown


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path) or is_script_path(module.path):
        return
    index = file_index(module, scope)
    for function in module.functions:
        if not index.holds(_WRITES, function.body):
            continue  # nothing in it writes a change: no lost update to report
        loads: dict[str, _Load] = {}
        locals_: dict[str, ir.Expr] = {}  # what each local was last bound to, in statement order
        for stmt in index.walk_stmts(function.body):
            if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name) \
                    and stmt.value is not None and stmt.op is None:
                load = _as_load(stmt.value, stmt.line) or _own_queryset_load(stmt.value, stmt.line, function, scope) \
                    or _indirect_load(stmt.value, stmt.line, function)
                if load is not None:
                    loads[stmt.targets[0].id] = load
                else:
                    loads.pop(stmt.targets[0].id, None)
                    locals_[stmt.targets[0].id] = stmt.value
                continue
            written = _update_from_read(stmt, loads)
            if written is not None and loads[written[0]].direct and not _is_guarded(function, index):
                var, field, op, delta, call = written
                yield _finding(module, function, loads[var], stmt, var, field, op, delta, call, index)
                loads.pop(var)
                continue
            flag = _flag_set(stmt, loads, function, index)
            if flag is not None and (loads[flag[0]].direct or loads[flag[0]].model not in _locking_functions(
                    module, index)) and not _is_guarded(function, index) \
                    and _effect_once(function, flag[0], loads[flag[0]], index):
                save = _saved_after(function, flag[0], stmt.line, index, own=loads[flag[0]].orm == "active-record") \
                    or _committing_block(function, stmt.line, index)
                if save is not None:
                    yield _flag_finding(module, function, loads[flag[0]], stmt, *flag, save)
                    loads.pop(flag[0])
                    continue
            change = _self_change(stmt, loads, locals_)
            if change is None or _textual(change[1], change[3]):
                continue
            var, field, op, delta = change
            if not loads[var].direct and (op != "-" or _guard_test(function, var, field, index) is None
                                          or loads[var].model in _locking_functions(module, index)):
                continue  # a row of unknown provenance: only a checked debit is a sure lost update
            save = _saved_after(function, var, stmt.line, index, own=loads[var].orm == "active-record") \
                or _committing_block(function, stmt.line, index)
            if save is not None and not _is_guarded(function, index):
                yield _finding(module, function, loads[var], stmt, var, field, op, delta, save, index)
                loads.pop(var)
    yield from _parameter_rows(module, index, scope)


def _parameter_rows(module: ir.Module, index: FileIndex, scope: ModuleScope) -> Iterable[Finding]:
    """Repository style: `def debit(self, account, amount): if account.balance < amount: raise ...;
    account.balance -= amount; self.session.commit()`. The row is a parameter, but the only way this
    module offers to load that model is an unlocked getter (`session.get(Account, id)`) and nothing
    in the module locks it, so the caller handed in a row read without a lock."""
    if any(LOCK_CHAIN & set(chain(call)) for function in module.functions
           for call in index.block_of_kind(function.body, ir.Call)):
        return
    getters = _unlocked_getters(module, index)
    for function in module.functions:
        if not index.holds(_WRITES_SAVED, function.body):
            continue  # `_saved_after` finds nothing in it
        rows = {p.name: getters[_model_key(p.name)] for p in function.params
                if p.name not in ("self", "cls") and _model_key(p.name) in getters}
        typed = {name: load for name, load in _typed_rows(function, scope).items() if name not in rows}
        rows.update(typed)
        if not rows or _is_guarded(function, index):
            continue
        for stmt in index.walk_stmts(function.body):
            change = _self_change(stmt, rows)
            if change is None:
                continue
            var, field, op, delta = change
            save = _saved_after(function, var, stmt.line, index)
            checked = _guard_test(function, var, field, index) is not None
            if var in typed and not (op == "-" and checked):
                continue  # a row declared by its type only: a checked debit is the sure lost update
            if save is not None and (op == "-" or checked):
                yield _finding(module, function, rows[var], stmt, var, field, op, delta, save, index)
                rows.pop(var)


def _typed_rows(function: ir.Function, scope: ModuleScope) -> dict[str, _Load]:
    """Parameters declared with a class of the project (`user: User`, `invoice: Invoice`) in a module
    that takes no row lock anywhere: the row was read by the caller, and nothing on this side locks it
    (the module's getters may live in a repository module of their own)."""
    out = {}
    for param in function.params:
        annotation = param.annotation
        if param.name in ("self", "cls") or not isinstance(annotation, ir.Name) or not annotation.id[:1].isupper():
            continue
        qualified = scope.qualify(annotation.id, function, frozenset())
        if qualified and "." in qualified and scope.is_project_candidate(qualified):
            out[param.name] = _Load(function.line, "", annotation.id, None, direct=False)
    return out


def _indirect_load(value: ir.Expr, line: int, function: ir.Function) -> _Load | None:
    """A row this function did not load itself: returned by a project helper or repository
    (`card = FuelCardRepository(session).for_driver(org, driver)`, `get_card(session, id)`), or
    reached through a relation of one it was given (`program = application.program`). Whether
    it was locked is unknown, so the caller only trusts a checked debit (see `check`)."""
    call = value.value if isinstance(value, ir.Await) else value
    if isinstance(call, ir.Attr) and isinstance(call.value, ir.Name) and call.value.id != "self" \
            and call.value.id in {p.name for p in function.params}:
        return _Load(line, "", call.attr, None, direct=False)
    if not isinstance(call, ir.Call):
        return None
    names = chain(call)
    if names[-1:] == ["get"] and _repository_get(call, names):
        return _Load(line, "", names[-2], call, direct=False)
    if not names or names[-1][:1].isupper() or names[-1] in _NOT_ROWS:
        return None  # a constructor builds a new object; builtins and containers are not rows
    return _Load(line, "", names[-1], call, direct=False)


# receivers whose `.get(...)` reads a mapping (request data, settings, a cache), never a row
_MAPPINGS = frozenset({"args", "form", "headers", "environ", "cookies", "json", "data", "kwargs", "params",
                       "session", "meta", "META", "GET", "POST", "query_params", "config", "settings", "cache",
                       "os", "dict", "cleaned_data", "validated_data", "context", "state", "request"})


def _repository_get(call: ir.Call, names: list[str]) -> bool:
    """`await self.vehicles.get(vehicle_id)`, `repo.get(id)`: a repository's getter by key, not a
    mapping's (`request.args.get("page")`, `data.get(key)` on request data, `settings.get(...)`)."""
    return len(names) >= 2 and names[-2] not in _MAPPINGS and bool(call.args) \
        and not (isinstance(call.args[0], ir.Const) and isinstance(call.args[0].value, str)) \
        and not any(word in ("data", "dict", "map", "mapping", "cache", "params", "headers", "payload", "body")
                    for word in words(names[-2]))


_NOT_ROWS = frozenset({"dict", "list", "get", "pop", "setdefault", "copy", "deepcopy", "json", "loads",
                       "load", "cleaned_data", "validated_data", "model_dump", "dict", "parse_obj",
                       "model_validate", "get_json", "from_dict", "namedtuple", "SimpleNamespace"})


def _locking_functions(module: ir.Module, index: FileIndex) -> frozenset[str]:
    """Names of this module's functions that take a row lock: a row they return may be locked."""
    return frozenset(function.name for function in module.functions
                     if any(LOCK_CHAIN & set(chain(call)) for call in index.block_of_kind(function.body, ir.Call)))


def _unlocked_getters(module: ir.Module, index: FileIndex) -> dict[str, _Load]:
    """model (lower case) -> the first single-row load of it in this module."""
    found: dict[str, _Load] = {}
    for function in module.functions:
        for stmt in index.walk_stmts(function.body):
            value = stmt.value if isinstance(stmt, (ir.Assign, ir.Return)) else None
            load = _as_load(value, stmt.line) if value is not None else None
            if load is not None:
                found.setdefault(_model_key(load.model), load)
    return found


def _model_key(name: str) -> str:
    return name.replace("_", "").lower()


# `redis_lock(...)`, `acquire_lock`, `with self.lock:`; a word, so `block.save()` is no lock
_LOCK_WORDS = frozenset({"lock", "locks", "locked", "locking", "rlock", "mutex", "semaphore"})


def _is_guarded(function: ir.Function, index: FileIndex) -> bool:
    """Any lock, F() expression or version check in the function: trust it (precision first)."""
    for call in index.block_of_kind(function.body, ir.Call):
        names = chain(call)
        if LOCK_CHAIN & set(names) or names == ["F"] or any(_LOCK_WORDS & set(words(n)) for n in names):
            return True
        if any(kw.name and ("version" in kw.name or kw.name in LOCK_CHAIN) for kw in call.kwargs):
            return True  # `session.get(Account, id, with_for_update=True)` locks as `.with_for_update()` does
    return False


def _as_load(value: ir.Expr, line: int) -> _Load | None:
    call = value.value if isinstance(value, ir.Await) else value
    if not isinstance(call, ir.Call):
        return None
    names = chain(call)
    if not names:
        return None
    if names[-1] == "get_object_or_404" and call.args:
        return _Load(line, "django", render(call.args[0]), call)
    if "objects" in names and names[-1] in _DJANGO_GETS and names.index("objects") > 0:
        return _Load(line, "django", names[names.index("objects") - 1], call)
    if names[-1] == "get" and len(names) in (2, 3) and names[-2] in _SESSIONS and names[0] in _SESSIONS | {"self"} \
            and call.args \
            and isinstance(call.args[0], ir.Name) and call.args[0].id[:1].isupper():
        return _Load(line, "sqlalchemy", call.args[0].id, call)
    if names[-1] in _SA_GETS and ("query" in names or "execute" in names or "exec" in names or "scalars" in names
                                  or _select_argument(call)):
        model = _sqlalchemy_model(call)
        if model:
            return _Load(line, "sqlalchemy", model, call)
    if names[-1] in ("get_or_404", "first_or_404", "one_or_404") and len(names) == 2 and call.args \
            and isinstance(call.args[0], ir.Name) and call.args[0].id[:1].isupper():
        return _Load(line, "sqlalchemy", call.args[0].id, call)  # Flask-SQLAlchemy 3: `db.get_or_404(Item, id)`
    return _active_record_load(call, names, line)


# single-row getters of active-record ORMs, called on the model class: peewee `Model.get(...)` /
# `get_by_id` / `get_or_none`, Tortoise `await Model.get(...)`, `Model.filter(...).first()`,
# mongoengine `Model.objects(...).first()`
_ACTIVE_RECORD_GETS = frozenset({"get", "get_by_id", "get_or_none", "first", "get_or_404"})
_ACTIVE_RECORD_FILTERS = frozenset({"filter", "where", "select", "objects", "get_queryset"})


def _active_record_load(call: ir.Call, names: list[str], line: int) -> _Load | None:
    """A row loaded through a method of the model class itself; only a class name (capitalised)
    with a getter, directly or after a filter. Its change counts only when the row's own `save()`
    follows (see `check`), so a dict-like `Config.get(key)` is never taken for a row."""
    if names[-1] not in _ACTIVE_RECORD_GETS or not names[0][:1].isupper() or names[0].isupper() \
            or any(name not in _ACTIVE_RECORD_FILTERS for name in names[1:-1]) or not (call.args or call.kwargs) \
            and len(names) == 2:
        return None
    return _Load(line, "active-record", names[0], call)


def _select_argument(call: ir.Call) -> bool:
    """`db.one_or_404(db.select(Item).filter_by(id=id))`, `session.scalar(select(Item)...)`: the
    statement handed in is an ORM select."""
    return any(isinstance(inner, ir.Call) and (chain(inner) or [""])[-1] == "select"
               for arg in call.args for inner in ir.walk_expr(arg))


def _own_queryset_load(value: ir.Expr, line: int, function: ir.Function, scope: ModuleScope) -> _Load | None:
    """`self.get(pk=...)` in a method of a custom manager or queryset: one row, as
    `Model.objects.get(...)` loads it (`self` stands for the manager in the fix)."""
    call = value.value if isinstance(value, ir.Await) else value
    names = chain(call) if isinstance(call, ir.Call) else []
    if len(names) < 2 or names[0] != "self" or names[-1] not in _DJANGO_GETS or function.class_name is None \
            or any(name not in DJANGO_CHAIN for name in names[1:-1]) or not is_query_class(function.class_name, scope):
        return None
    return _Load(line, "django", "self", call)  # type: ignore[arg-type]


def _sqlalchemy_model(call: ir.Call) -> str:
    names = chain(call)
    if len(names) >= 3 and names[1] == "query" and names[0][:1].isupper():
        return names[0]  # Flask-SQLAlchemy `Coupon.query.get(id)`, `Coupon.query.filter_by(...).first()`
    for inner in (n for n in ir.walk_expr(call) if isinstance(n, ir.Call)):
        names = chain(inner)
        if names and names[-1] in ("query", "select") and inner.args and isinstance(inner.args[0], ir.Name):
            return inner.args[0].id
    return ""


def _self_change(stmt: ir.Stmt, loads: dict[str, _Load], locals_: dict[str, ir.Expr] | None = None
                 ) -> tuple[str, str, str, ir.Expr] | None:
    """(variable, field, "+"/"-", delta) for `v.f += d` or `v.f = v.f - d`, also when the new value
    or the old one went through a local first (`slot = box.used + 1; box.used = slot`,
    `left = card.credit; card.credit = left - cost`)."""
    if not isinstance(stmt, ir.Assign) or len(stmt.targets) != 1 or stmt.value is None:
        return None
    target = stmt.targets[0]
    if not (isinstance(target, ir.Attr) and isinstance(target.value, ir.Name) and target.value.id in loads):
        return None
    var, field = target.value.id, target.attr
    if stmt.op in ("+", "-"):
        return var, field, stmt.op, stmt.value
    bound = locals_ or {}
    value = stmt.value
    if isinstance(value, ir.Name) and value.id in bound:
        value = bound[value.id]
    if stmt.op is None and isinstance(value, ir.BinOp) and value.op in ("+", "-"):
        for own, delta in ((value.left, value.right), (value.right, value.left)):
            if isinstance(own, ir.Name) and own.id in bound:
                own = bound[own.id]
            if isinstance(own, ir.Attr) and own.attr == field and isinstance(own.value, ir.Name) \
                    and own.value.id == var and (value.op == "+" or own is value.left or own is bound.get(
                        getattr(value.left, "id", ""))):
                return var, field, value.op, delta
    return None


def _saved_after(function: ir.Function, var: str, line: int, index: FileIndex, own: bool = False) -> ir.Call | None:
    """The call that writes the change: the row's own `save()`, or (unless `own`: an active-record
    row is written only by its `save()`) the session's `commit()`/`flush()`/`add(row)`."""
    for stmt in index.walk_stmts(function.body):
        if stmt.line <= line:
            continue
        for call in index.stmt_of_kind(stmt, ir.Call):
            names = chain(call)
            if names[:1] == [var] and names[-1] in ("save", "asave"):
                return call
            if own:
                continue
            if names[-1] in ("commit", "flush") or (names[-1] == "add" and _session_like(names[:-1]) and any(
                    isinstance(a, ir.Name) and a.id == var for a in call.args)):
                return call
    return None


def _session_like(receiver: list[str]) -> bool:
    """`session.add(row)`, `db.session.add(row)`, `self.session.add(row)`: a session stages the row; a
    set's `add` (`events_to_skip.add(event)`) writes nothing."""
    last = receiver[-1] if receiver else ""
    return last in _SESSIONS or "session" in words(last)


def _flag_set(stmt: ir.Stmt, loads: dict[str, _Load], function: ir.Function, index: FileIndex
              ) -> tuple[str, str, ir.If] | None:
    """Check-then-set: `coupon.redeemed = True` (a constant) after an earlier `if` on the same field
    that leaves the function (`if coupon.redeemed: raise ...`, `if order.status != "pending": return`).
    Two concurrent requests both pass the test before either writes."""
    if not isinstance(stmt, ir.Assign) or stmt.op is not None or len(stmt.targets) != 1 \
            or not isinstance(stmt.value, ir.Const):
        return None
    target = stmt.targets[0]
    if not (isinstance(target, ir.Attr) and isinstance(target.value, ir.Name) and target.value.id in loads):
        return None
    var, field = target.value.id, target.attr
    if not _ONCE_FIELDS & set(words(field)):
        return None
    for guard in index.walk_stmts(function.body):
        if isinstance(guard, ir.If) and guard.line < stmt.line and not guard.line <= stmt.line <= guard.end_line \
                and any(isinstance(s, (ir.Raise, ir.Return)) for s in guard.body) \
                and any(isinstance(n, ir.Attr) and n.attr == field and isinstance(n.value, ir.Name) and n.value.id == var
                        for n in ir.walk_expr(guard.test)):
            return var, field, guard
    return None


# calls whose effect the check is there to allow once: money moved or a row created (a second e-mail
# or log line from a doubled request is noise, not damage)
_ONCE_EFFECTS = frozenset({"create", "acreate", "add", "add_all", "bulk_create", "insert", "charge", "capture",
                           "credit", "debit", "transfer", "refund", "payout", "pay", "grant", "issue"})
# fields that say a one-time resource is taken or a state moved on: a coupon `redeemed`, a seat
# `booked`, an order's `status`; account states (`verified`, `active`, `suspended_at`) set twice
# are the same state
_ONCE_FIELDS = frozenset({"redeemed", "used", "consumed", "claimed", "paid", "status", "state", "available",
                          "booked", "reserved", "processed", "refunded", "charged", "settled", "fulfilled",
                          "shipped", "allocated", "assigned", "taken", "sold", "spent", "locked", "stage"})


def _effect_once(function: ir.Function, var: str, load: _Load, index: FileIndex) -> bool:
    """The function does something besides setting the flag that the check meant to allow once:
    `Credit.objects.create(...)`, `session.add(Payment(...))`, `stripe.Charge.create`, `send_mail`.
    Without such an effect two requests that both pass only write the same value twice."""
    for call in index.block_of_kind(function.body, ir.Call):
        if call is load.call:
            continue
        names = chain(call)
        if names[:1] == [var] or any(isinstance(a, ir.Name) and a.id == var for a in call.args):
            continue  # the row's own save(), `session.add(row)`
        if names and _ONCE_EFFECTS & set(words(names[-1])):
            return True
    return False


def _flag_finding(module: ir.Module, function: ir.Function, load: _Load, stmt: ir.Stmt, var: str, field: str,
                  guard: ir.If, save: ir.Call) -> Finding:
    new = render(stmt.value) if isinstance(stmt, ir.Assign) else "..."
    rows = f"{load.model}.objects" if load.orm == "django" else load.model
    where = f"{rows}.filter(pk={var}.pk, ...)" if load.orm == "django" else f"update({load.model}).where(...)"
    code = (f"claimed = {rows}.filter(pk={var}.pk).exclude({field}={new}).update({field}={new})\n"
            "if not claimed:\n    ...  # someone else got there first: reject\n") if load.orm == "django" else \
        (f"result = session.execute(\n    update({load.model})\n    .where({load.model}.id == {var}.id, "
         f"{load.model}.{field} != {new})\n    .values({field}={new})\n)\nif result.rowcount == 0:\n"
         "    ...  # someone else got there first: reject\n")
    return make_finding(
        "race-condition", Location(module.path, stmt.line, stmt.end_line),
        f"Check-then-set: `{var}.{field}` is tested, then set to {new} without a lock",
        f"Two concurrent requests both read `{var}.{field}`, both pass the test at line {guard.line} and both "
        f"write {new}: a one-time coupon is redeemed twice, an order is paid or shipped twice, whatever follows "
        "the check runs once per request instead of once.",
        confidence=Confidence.MEDIUM,
        evidence=(TraceStep(Location(module.path, load.line), f"`{var}` is read without a row lock",
                            module.line_text(load.line)),
                  TraceStep(Location(module.path, guard.line), "the check runs on the value read",
                            module.line_text(guard.line)),
                  TraceStep(Location(module.path, stmt.line), f"`{field}` is set", module.line_text(stmt.line)),
                  TraceStep(Location(module.path, save.line), "and written back", module.line_text(save.line))),
        fix=Fix(f"Make the check part of the write: a conditional UPDATE ({where} with the old value in its "
                "WHERE) and look at the row count, or load the row with a lock (`select_for_update()` / "
                "`with_for_update()`) inside the transaction.", code, "python"),
        rule=RULE.id, key=f"{function.qualname}:{var}.{field}",
    )


def _committing_block(function: ir.Function, line: int, index: FileIndex) -> ir.Call | None:
    """`with Session.begin() as session:` / `async with session.begin():` commits when the block
    ends (SQLAlchemy documents the form): a change made inside it is written without a commit() call."""
    for stmt in index.walk_stmts(function.body):
        if isinstance(stmt, ir.With) and stmt.line < line <= stmt.end_line:
            for item in stmt.items:
                context = item.context.value if isinstance(item.context, ir.Await) else item.context
                if isinstance(context, ir.Call) and (chain(context) or [""])[-1] == "begin":
                    return context
    return None


def _textual(field: str, delta: ir.Expr) -> bool:
    """A change that appends text, judged by the field's last word or the appended value's form
    (a string literal or an f-string): a lost update on text is not a lost debit or count."""
    if isinstance(delta, ir.FormattedString) or isinstance(delta, ir.Const) and isinstance(delta.value, str):
        return True
    return is_text_name(field)


def _update_from_read(stmt: ir.Stmt, loads: dict[str, _Load]) -> tuple[str, str, str, ir.Expr, ir.Call] | None:
    """`Wallet.objects.filter(pk=id).update(balance=wallet.balance - amount)` or
    `update(Wallet).values(balance=wallet.balance - amount)`: the UPDATE runs in the database, but
    the value it writes was computed in Python from the row read earlier, so it overwrites any
    change made in between as `save()` would."""
    for top in ir.stmt_exprs(stmt):
        for call in (n for n in ir.walk_expr(top) if isinstance(n, ir.Call)):
            if (chain(call) or [""])[-1] not in ("update", "values", "aupdate"):
                continue
            for kw in call.kwargs:
                value = kw.value
                if not (kw.name and isinstance(value, ir.BinOp) and value.op in ("+", "-")):
                    continue
                for own, delta in ((value.left, value.right), (value.right, value.left)):
                    if isinstance(own, ir.Attr) and own.attr == kw.name and isinstance(own.value, ir.Name) \
                            and own.value.id in loads and (value.op == "+" or own is value.left) \
                            and not _textual(kw.name, delta):
                        return own.value.id, kw.name, value.op, delta, call
    return None


def _guard_test(function: ir.Function, var: str, field: str, index: FileIndex) -> ir.If | None:
    """The `if` that checks the field before it changes: on the field itself (`if wallet.balance < n:`)
    or on a local computed from it (`available = wallet.balance + user.credit_limit` then
    `if available < amount:`), as authors often name the quantity they compare."""
    derived: set[str] = set()
    for stmt in index.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name) \
                and stmt.value is not None:
            name = stmt.targets[0].id
            if _reads_field(stmt.value, var, field, derived):
                derived.add(name)
            else:
                derived.discard(name)
        elif isinstance(stmt, ir.If) and _reads_field(stmt.test, var, field, derived):
            return stmt
    return None


_ORDERING = frozenset({"<", "<=", ">", ">="})


def _limit_check(guard: ir.If, var: str, field: str) -> bool:
    """The check orders the field against a bound that is not zero (`if slot.booked_count >=
    slot.capacity: raise Full()`, `if user.failed >= MAX_TRIES: return 429`) and refuses there: the
    count is held against that limit, and two requests that both pass the check exceed it. A tally
    is never refused past a bound before it grows."""
    return (refuses(guard.body) or refuses(guard.orelse)) and any(
        isinstance(node, ir.Compare) and len(node.ops) == 1 and node.ops[0] in _ORDERING
        and any(isinstance(side, ir.Attr) and side.attr == field and isinstance(side.value, ir.Name)
                and side.value.id == var for side in (node.left, node.comparators[0]))
        and not any(isinstance(side, ir.Const) and side.value in (0, None) for side in (node.left, node.comparators[0]))
        for node in ir.walk_expr(guard.test))


def _reads_field(expr: ir.Expr, var: str, field: str, derived: set[str]) -> bool:
    """`var.field`, or a local already computed from it, appears in the expression."""
    return any(isinstance(n, ir.Attr) and n.attr == field and isinstance(n.value, ir.Name) and n.value.id == var
               or isinstance(n, ir.Name) and n.id in derived for n in ir.walk_expr(expr))


def _finding(module: ir.Module, function: ir.Function, load: _Load, stmt: ir.Stmt, var: str, field: str,
             op: str, delta: ir.Expr, save: ir.Call, index: FileIndex) -> Finding:
    guard = _guard_test(function, var, field, index)
    amount = render(delta)
    at_stake = stakes((field,), (function.name, var, load.model, *_branch_names(function, stmt, index))) \
        if _quantity(delta) else Stakes.TALLY
    if at_stake is Stakes.TALLY and _quantity(delta) and guard is not None and _limit_check(guard, var, field):
        at_stake = Stakes.HELD  # whatever it is called, a count refused past a limit is held against it
    if at_stake is Stakes.TALLY:
        consequence = (f"Two concurrent requests both read `{var}.{field}` and both write back their own change: "
                       "one change is lost and the value drifts from what happened.")
    elif op == "-":
        consequence = (f"Two concurrent requests both read `{var}.{field}` (say 100), both pass the check and each "
                       f"subtract {amount} (say 80): both write 20, so 160 was taken from 100 and one debit is lost."
                       if guard else
                       f"Two concurrent requests both read `{var}.{field}` = 100 and each subtract {amount} (say 10): "
                       "both write 90 instead of 80, so one decrement is lost.")
    elif guard is not None and at_stake is Stakes.HELD:
        consequence = (f"Two concurrent requests both read `{var}.{field}` one short of the limit the check enforces, "
                       f"both pass it and each add {amount}: both write, so the limit is exceeded (one booking, "
                       "seat or unit too many) and one change is lost.")
    else:
        consequence = (f"Two concurrent requests both read `{var}.{field}` = 10 and each add {amount} (say 1): both "
                       "write 11 instead of 12, so one increment is silently lost; under load the counter drifts.")
    read = f"`{var}` is read without a row lock" if load.direct else \
        f"`{var}` is obtained (`{load.model}`) and nothing here locks its row"
    evidence = [TraceStep(Location(module.path, load.line), read, module.line_text(load.line))]
    if guard is not None:
        evidence.append(TraceStep(Location(module.path, guard.line), "the check runs on the value read",
                                  module.line_text(guard.line)))
    evidence += [TraceStep(Location(module.path, stmt.line), f"`{field}` is recomputed in Python", module.line_text(stmt.line)),
                 TraceStep(Location(module.path, save.line), "and written back, overwriting concurrent changes",
                           module.line_text(save.line))]
    return make_finding(
        "race-condition", Location(module.path, stmt.line, stmt.end_line),
        f"Lost update: `{var}.{field}` is read, changed in Python and saved without a lock",
        consequence + " `transaction.atomic()` alone does not prevent this under READ COMMITTED.",
        confidence=_confidence(at_stake, guard is not None or op == "-"),
        evidence=tuple(evidence), fix=_fix(load, var, field, op, amount, guard is not None and op == "-"),
        rule=RULE.id, key=f"{function.qualname}:{var}.{field}",
    )


def _confidence(at_stake: Stakes, debit_or_checked: bool) -> Confidence:
    """High where a principal engineer would file it: a held quantity (money, stock, quota) debited
    or changed after a check on it, or a counter of attempts at a secret; a tally (views, repeats, a
    document count) that drifts by one is low."""
    if at_stake is Stakes.GUESSES or at_stake is Stakes.HELD and debit_or_checked:
        return Confidence.HIGH
    return Confidence.MEDIUM if at_stake is Stakes.HELD else Confidence.LOW


def _branch_names(function: ir.Function, stmt: ir.Stmt, index: FileIndex) -> list[str]:
    """Names the tests of the `if`s around the change read: `if presented != org.shared_secret:` says
    the counter below counts failed attempts at a secret."""
    out: list[str] = []
    for branch in index.walk_stmts(function.body):
        if isinstance(branch, ir.If) and branch.line < stmt.line <= branch.end_line:
            out.extend(n.id if isinstance(n, ir.Name) else n.attr for n in ir.walk_expr(branch.test)
                       if isinstance(n, (ir.Name, ir.Attr)))
    return out


def _quantity(delta: ir.Expr) -> bool:
    """A number is added or taken away, not a list or set of items appended (`emails += [email]`)."""
    return not isinstance(delta, (ir.Seq, ir.DictExpr))


def _fix(load: _Load, var: str, field: str, op: str, amount: str, checked: bool) -> Fix:
    if not load.direct or load.orm == "active-record":
        return Fix(f"Do the check and the change in one conditional UPDATE (`... SET {field} = {field} {op} :n "
                   f"WHERE id = :id AND {field} >= :n`, 0 rows meaning the check failed), or load `{var}` with a "
                   "row lock (`select_for_update()` / `.with_for_update()`) inside the transaction that saves it.",
                   "", "")
    lookups = [f"{k.name}={render(k.value)}" for k in load.call.kwargs if k.name] if load.call else []
    if load.orm == "django":
        where = ", ".join(lookups + ([f"{field}__gte={amount}"] if checked else [])) or "pk=..."
        rows = "self" if load.model == "self" else f"{load.model}.objects"
        code = (f"from django.db.models import F\n\nupdated = {rows}.filter({where}).update(\n"
                f"    {field}=F(\"{field}\") {op} {amount}\n)\n")
        if checked:
            code += "if not updated:\n    raise InsufficientFunds()  # the row changed or the check failed\n"
        return Fix(f"Do the read-modify-write in one UPDATE with an F() expression (or load `{var}` with "
                   f"`{rows}.select_for_update()` inside `transaction.atomic()`).", code, "python")
    cond = f", {load.model}.{field} >= {amount}" if checked else ""
    code = (f"from sqlalchemy import update\n\nresult = session.execute(\n    update({load.model})\n"
            f"    .where({load.model}.id == {var}_id{cond})\n    .values({field}={load.model}.{field} {op} {amount})\n)\n"
            "if result.rowcount == 0:\n    raise InsufficientFunds()\nsession.commit()\n")
    return Fix(f"Do the change in one UPDATE ... SET {field} = {field} {op} :n (or load the row with "
               "`.with_for_update()`).", code, "python")


RULE = Rule("py-race-lost-update", frozenset({"race-condition"}), "python", check)
