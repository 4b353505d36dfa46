"""Race condition: a record read, checked and changed in application memory, then saved, with
nothing stopping a second request doing the same in between.

## What it finds
In one function, a document or row loaded by a lookup (`Model.findById(id)`, `findOne`,
`findByPk`, `repo.findOneBy(...)`, Prisma `findUnique`, Knex `.first()`: `record_lookups` in
models/node/rules.yaml), a condition on one of its fields that refuses the operation
(`if (product.stock < qty) throw ...`), the same field then changed from its own old value
(`product.stock -= qty`, `account.balance = account.balance - amount`) and the record saved
(`product.save()`, `repo.save(product)`), or the new value computed in memory and written by an
update (`prisma.coupon.update({ where, data: { used: coupon.used + 1 } })`,
`db('accounts').where({ id }).update({ balance: account.balance - amount })`; with decimals, a decimal
library's `wallet.balance.minus(amount)` checked by `wallet.balance.lt(amount)`). Reported at the change. A lookup or
save inside a transaction or with a row lock (`transaction`, `session`, `lock` options, a
`SELECT ... FOR UPDATE`) is left alone, and so is an atomic update (`$inc` with a guard in the
filter, `UPDATE ... SET stock = stock - $1 WHERE stock >= $1`), which never reads first.

## Why it matters
Two requests read stock 1 at the same moment, both pass the check and both save 0: the item
is sold twice. The same shape oversells seats, double-spends balances and lets a coupon be
used twice; it shows up under load, never in tests.

## Example
```js
const product = await Product.findById(id);
if (product.stock < qty) throw createError(409, 'out of stock');
product.stock -= qty;
await product.save();
```
Use instead:
```js
const product = await Product.findOneAndUpdate(
  { _id: id, stock: { $gte: qty } }, { $inc: { stock: -qty } }, { new: true });
if (!product) throw createError(409, 'out of stock');
```

## Fix
Let the database check and change in one statement (a conditional update with `$inc`, or
`UPDATE ... WHERE stock >= $1`), or read the row with a lock inside a transaction
(`SELECT ... FOR UPDATE`, Sequelize `lock: true`, a mongoose session) before changing it.

A record loaded and checked by a helper of the same module that returns it (`const promo =
await loadPromo(code)`) counts as loaded and checked where the helper is called. A record
returned by a project function in another module (`await walletRepository.forUser(id)`, an
injected `this.catalog.get(id)`, a service handing on its repository's `byId`) counts as loaded
when that function returns a record it looked up (followed two calls deep); a value another
function builds in memory does not.

## Known problems
Versioned documents (mongoose `optimisticConcurrency`, a `version` column the save checks) are
safe and not recognised; a lock taken by the caller of the function is not seen.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.rules.javascript._lock_guards import holds_guard
from servicelens.model.concerns import make_finding
from servicelens.config.settings import Settings
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, contribution
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript._node import knowledge, location
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope




def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    return (finding for finding, via in _candidates(module, scope) if not via)


def collect(module: ir.Module, scope: ModuleScope) -> calls.ReturnedFacts | None:
    if is_dev_path(module.path):
        return None
    lookups = knowledge().record_lookups
    pending = ((via, finding) for finding, via in _candidates(module, scope) if via)
    facts = calls.returned_facts(module, scope, pending, lambda f: _returns_lookup(f, lookups))
    return contribution(facts, calls.ReturnedFacts((), ()))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    return calls.confirmed(per_file)


def _returns_lookup(function: ir.Function, lookups: frozenset[str]) -> bool:
    """`byId(id) { return this.repo.findOneBy({ id }) }`, `const w = await db('wallets').where({ id
    }).first(); return w`: the function hands its caller a record it looked up."""
    loaded = {name for name, _, _, _ in _loaded_records(function, lookups, {})}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Return) and stmt.value is not None:
            value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
            if isinstance(value, ir.Name) and value.id in loaded:
                return True
            if isinstance(value, ir.Call) and isinstance(value.func, ir.Attr) and value.func.attr in lookups:
                return True
    return False


def _candidates(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[Finding, str]]:
    """(finding, '' or the project function that loaded the record): a record another module's
    function returns is a lookup's only if that function looks one up, known once every file is read."""
    if is_dev_path(module.path):
        return
    known = knowledge()
    guards = known.transaction_calls | known.lock_options
    writes = known.row_writes | _SAVES
    loaders = _loaders(module, known.record_lookups)
    for function in module.functions:
        if holds_guard(function, guards, _for_update):
            continue

        def foreign(call: ir.Call, function: ir.Function = function) -> str:
            return calls.callee(module, scope, function, call)

        for name, stmts, checked, via in _loaded_records(function, known.record_lookups, loaders, foreign):
            found = _checked_then_changed(name, stmts, writes, checked)
            if found is None:
                continue
            change, field = found
            yield make_finding(
                "race-condition", location(module, change),
                f"`{name}.{field}` is checked, changed in memory and saved: two requests can both pass the check",
                "Concurrent requests read the same value, both pass the check and both save: stock is oversold, a "
                "balance spent twice.",
                severity=Severity.HIGH, confidence=Confidence.MEDIUM,
                fix=Fix("Check and change in one atomic update (a conditional update with `$inc`, or UPDATE ... "
                        "WHERE), or lock the row inside a transaction before reading it.",
                        f"const updated = await Model.findOneAndUpdate(\n  {{ _id: id, {field}: {{ $gte: amount }} }},\n"
                        f"  {{ $inc: {{ {field}: -amount }} }},\n  {{ new: true }},\n);\n"
                        "if (!updated) throw createError(409, 'conflict');", "javascript"),
                rule=RULE.id, key=f"{function.qualname}|{name}.{field}",
            ), via


def _for_update(node: ir.Expr) -> bool:
    """A string literal asking for a row lock (`SELECT ... FOR UPDATE`)."""
    return isinstance(node, ir.Const) and isinstance(node.value, str) and "for update" in node.value.lower()


def _loaded_records(function: ir.Function, lookups: frozenset[str], loaders: dict[str, frozenset[str]],
                    foreign: Callable[[ir.Call], str] | None = None
                    ) -> Iterator[tuple[str, list[ir.Stmt], frozenset[str], str]]:
    """(variable, the statements after it, fields already checked, '' or the project function that
    loaded it) for each record loaded by a lookup, by a function of the module that looks it up,
    checks it and returns it (`const promo = await loadPromo(code)`, whose checks count as made
    here), or, with `foreign`, by another project function (`await this.wallets.byId(id)`), which
    `combine` keeps only if that function returns a record it looked up."""
    stmts = list(ir.walk_stmts(function.body))
    for index, stmt in enumerate(stmts):
        if not isinstance(stmt, ir.Assign) or stmt.value is None or stmt.op is not None:
            continue
        value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
        if not isinstance(value, ir.Call):
            continue
        via = ""
        if isinstance(value.func, ir.Attr) and value.func.attr in lookups:
            checked: frozenset[str] = frozenset()
        elif isinstance(value.func, ir.Name) and value.func.id in loaders:
            checked = loaders[value.func.id]
        elif isinstance(value.func, ir.Attr) and ir.dotted_name(value.func.value) == "self" and function.class_name \
                and f"{function.class_name}.{value.func.attr}" in loaders:  # `await this.loadCoupon(code)`
            checked = loaders[f"{function.class_name}.{value.func.attr}"]
        elif foreign is not None and foreign(value):
            checked, via = frozenset(), foreign(value)
        else:
            continue
        for target in stmt.targets:
            if isinstance(target, ir.Name):
                yield target.id, stmts[index + 1:], checked, via


def _loaders(module: ir.Module, lookups: frozenset[str]) -> dict[str, frozenset[str]]:
    """Module functions that load a record, refuse on some of its fields and return it:
    function name -> the fields checked (`if (promo.uses >= promo.max_uses) throw ...`)."""
    found: dict[str, frozenset[str]] = {}
    for function in module.functions:
        if ".<locals>." in function.qualname:
            continue
        for name, after, _, _ in _loaded_records(function, lookups, {}):
            if not any(isinstance(s, ir.Return) and isinstance(s.value, ir.Name) and s.value.id == name for s in after):
                continue
            checked = frozenset(f for s in after if isinstance(s, ir.If) and _refuses(s)
                                for f in _fields_read(s.test, name))
            if checked:
                found[function.qualname] = checked
    return found


def _checked_then_changed(name: str, after: list[ir.Stmt], writes: frozenset[str],
                          prechecked: frozenset[str] = frozenset()) -> tuple[ir.Stmt, str] | None:
    """The first change of a checked field from its old value that is then written: in memory and
    saved (`doc.stock -= n; await doc.save()`), or computed into the data of an update
    (`update({ where, data: { used: coupon.used + 1 } })`, directly or through a local)."""
    checked: set[str] = set(prechecked)
    derived: dict[str, str] = {}  # local -> the checked field it was computed from
    change: tuple[ir.Stmt, str] | None = None
    for stmt in after:
        if isinstance(stmt, ir.If) and _refuses(stmt):
            checked |= _fields_read(stmt.test, name)
            continue
        if change is None:
            field = _written_from_old(stmt, name, checked, derived, writes)
            if field:
                return stmt, field
        if isinstance(stmt, ir.Assign) and change is None:
            field = _self_relative_change(stmt, name)
            if field and field in checked:
                change = (stmt, field)
            elif stmt.value is not None and (isinstance(stmt.value, ir.BinOp) or _additive(stmt.value)):
                from_old = _fields_read(stmt.value, name) & checked
                for target in stmt.targets:
                    if isinstance(target, ir.Name) and from_old:
                        derived[target.id] = min(from_old)
        elif change is not None and _saves(stmt, name):
            return change
    return None


def _written_from_old(stmt: ir.Stmt, name: str, checked: set[str], derived: dict[str, str],
                      writes: frozenset[str]) -> str:
    """A write call (not the record's own `save`) whose arguments hold a new value computed in
    memory from a checked field: `coupon.used + 1`, or a local computed so."""
    if not checked:
        return ""
    for root in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(root):
            if not (isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in writes):
                continue
            for arg in (*node.args, *(k.value for k in node.kwargs)):
                for inner in ir.walk_expr(arg):
                    if _additive(inner):
                        fields = _fields_read(inner, name) & checked
                        if fields:
                            return sorted(fields)[0]
                    if isinstance(inner, ir.Name) and inner.id in derived:
                        return derived[inner.id]
    return ""


def _additive(expr: ir.Expr) -> bool:
    """`a + b`, `a - b`, or a decimal library's `a.plus(b)` / `a.minus(b)` (Prisma.Decimal, decimal.js,
    big.js: models/node/rules.yaml `additive_methods`)."""
    if isinstance(expr, ir.BinOp):
        return expr.op in ("+", "-")
    return isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) \
        and expr.func.attr in knowledge().additive_methods


def _refuses(stmt: ir.If) -> bool:
    return any(isinstance(s, (ir.Raise, ir.Return)) for s in stmt.body)


def _fields_read(expr: ir.Expr, name: str) -> set[str]:
    return {node.attr for node in ir.walk_expr(expr)
            if isinstance(node, ir.Attr) and isinstance(node.value, ir.Name) and node.value.id == name}


def _self_relative_change(stmt: ir.Assign, name: str) -> str:
    """`doc.f -= x`, `doc.f = doc.f - x`: the field, else ''."""
    for target in stmt.targets:
        if isinstance(target, ir.Attr) and isinstance(target.value, ir.Name) and target.value.id == name:
            if stmt.op in ("+", "-") or (stmt.value is not None and target.attr in _fields_read(stmt.value, name)):
                return target.attr
    return ""


def _saves(stmt: ir.Stmt, name: str) -> bool:
    """`doc.save()` or `repo.save(doc)`."""
    for root in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(root):
            if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _SAVES_OR_UPDATE:
                if ir.dotted_name(node.func.value) == name or any(
                        isinstance(a, ir.Name) and a.id == name for a in node.args):
                    return True
    return False


_SAVES = frozenset({"save", "persist"})  # the record's own save (`doc.save()`, `repo.save(doc)`, `em.persist(doc)`)
_SAVES_OR_UPDATE = _SAVES | {"update"}  # ...or an update handed the record

# no `requires`: a repository that only looks records up (`byId`) is what makes a service's
# read-check-save of its result a race
RULE = Rule("js-race-condition", frozenset({"race-condition"}), "javascript", check, collect=collect,
            combine=combine)
