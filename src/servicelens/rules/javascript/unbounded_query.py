"""Unbounded query: a list query awaited without any limit, so it returns every matching row.

## What it finds
An awaited `repo.find()`, `Model.findAll({...})`, `prisma.x.findMany({...})` or Mongoose/MongoDB
`find(filter)` with no row limit: no `take`/`limit` option and no chained `.limit()` (names in
models/node/rules.yaml). A filter on the primary key (`id`, `_id`) is bounded by the key given,
and one matching a field against a list the code holds (`{ _key: { $in: keys } }`,
`{ [Op.in]: ids }`, Sequelize's `where: { userId: users.map(...) }`, a parameter typed
`string[]`) by the keys listed: the caller decides how many rows come back, so neither is
reported. A literal list (`{ status: { $in: ['open', 'held'] } }`) bounds nothing. The MongoDB
driver's `collection(c).find(q)` without `.toArray()` (and a Mongoose `.cursor()`) is a cursor
read in batches, not the rows.

A filter on one parent row's reference column (`where: { projectId }`, `{ userId: req.user.id }`)
lists that parent's children, bounded by what one parent holds (one user's tokens, one
employee's skills), and is not reported; nor is a filter holding one period closed at both ends
(`Between(from, to)`, `{ gte: start, lt: end }`, knex `.whereBetween`). One parent's children
asked for in an order (`orderBy`, `order`, `sort`) are that parent's history (a user's orders
newest first, a meter's readings), which grows with every day of use. Outside a handler such a
history is a list only if a route answers with it: the query is reported when its rows are what
its function returns and a route sends that function's result to the client (`res.json(await
tasks.tasksOf(id))`, a NestJS method returning `this.comments.forPost(id)`), followed through the
services and repositories that hand the rows on (`rules/javascript/_answers.py`). Rows a service
only counts, checks or walks through to change stay its own. A Knex instance held by a repository
(`this.db('shipments').where(...)`) starts a builder chain as `db('shipments')` does;
`.whereIn(column, keys)` with a list the code holds is bounded by the keys listed.

A builder a class's method returns unawaited (`private active() { return this.db('rules').where(...) }`)
is a query its callers finish: when every call of it in the class chains a bound on it
(`this.active().count(...)`, `.limit(1)`), it lists nothing and is not reported.

## Why it matters
The table grows; the query does not stop. One request loads every row into memory, serialises
it and holds a connection meanwhile: latency and memory grow with the data until the process
falls over, and a client can ask for it again and again.

## Example
```js
router.get('/orders', requireAuth, async (req, res) => {
  res.json(await Order.find({ userId: req.user.id }).sort({ _id: -1 }));
});
```
Use instead:
```js
router.get('/orders', requireAuth, async (req, res) => {
  const limit = Math.min(Number(req.query.limit) || 50, 100);
  res.json(await Order.find({ userId: req.user.id }).sort({ _id: -1 }).limit(limit));
});
```

## Fix
Page the results: a `take`/`limit` with a maximum, and a cursor or offset the client passes.

A list-named call of a method or function the project defines (`this.findAll()`, an injected
service's `this.apiKeys.findAll()`, `query.domain.find(match)` through an index module gathering
the query modules) is the project's own function, judged by its body: one returning a list it
holds in memory, or one row (`.first()`), queries no list, and one that queries is reported there.

## Known problems
Judged by the call alone: a table known to stay small (a few settings rows) is reported; a
limit applied later in memory is not seen. A reference column is known by its name (`userId`,
`owner_id`), not read from the schema; a parent's history asked for in no order (a meter's
readings, unsorted) is taken for a bounded set. A filter pinning fields a Prisma schema makes
unique (`@id`, `@unique`, every field of an `@@unique([...])`) to one value each returns at most
one row and is not reported (`prisma.instance.findMany({ where: { name } })` on a unique `name`);
other ORMs' unique columns are not read.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, all_bodies, contribution
from servicelens.rules.javascript import _answers
from servicelens.rules.javascript import _prisma_schema as prisma_schema
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript._node import handler_functions, knowledge, location
from servicelens.rules.javascript.excessive_data_exposure import model_name
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope

_KEYS = frozenset({"id", "_id", "pk", "uuid"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    return (finding for finding, _, scoped, via, pinned in _candidates(module, scope)
            if not scoped and not via and not pinned[1])


# (model, the fields a query's `where` pins to one value each): decided against the schema in `combine`
Pinned = tuple[str, tuple[str, ...]]
_UNPINNED: Pinned = ("", ())


@dataclass(frozen=True, slots=True)
class Facts:
    """Queries of one parent row's children in functions that are not handlers (`pending`, with
    the key of the function holding each), and what this file's functions answer and return:
    such a query is reported once a route is known to send what its function returns. List-named
    calls of project functions another file may define (`wrapped`: callee, key, scoped, finding)
    wait for the project's functions (`defined`): a project function is judged by its own body."""

    pending: tuple[tuple[str, Finding], ...]
    answers: _answers.AnswerFacts
    wrapped: tuple[tuple[str, str, bool, Finding, Pinned], ...] = ()
    defined: tuple[str, ...] = ()
    members: tuple[tuple[str, str], ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    # a list query pinning fields to one value each: reported unless the schema makes them unique
    pinned: tuple[tuple[Pinned, Finding], ...] = ()


def collect(module: ir.Module, scope: ModuleScope) -> Facts | None:
    if is_dev_path(module.path):
        return None
    candidates = list(_candidates(module, scope))
    pending = tuple((key, finding) for finding, key, scoped, via, _ in candidates if scoped and not via)
    wrapped = tuple((via, key, scoped, finding, pins) for finding, key, scoped, via, pins in candidates if via)
    pinned = tuple((pins, finding) for finding, _, scoped, via, pins in candidates if not scoped and not via and pins[1])
    return contribution(Facts(pending, _answers.collect(module, scope), wrapped,
                              tuple(_defined(module)),
                              tuple(calls.members(module, scope)),
                              tuple(calls.aliases(module)) + tuple(calls.exported_modules(module, scope)), pinned),
                        Facts((), _answers.AnswerFacts(())))


def combine(per_file: Mapping[str, object], settings: Settings,
            documents: Mapping[str, str] | None = None) -> Iterable[Finding]:
    facts = [f for f in per_file.values() if isinstance(f, Facts)]
    unique = _unique_keys(documents or {})
    for f in facts:
        for pins, finding in f.pinned:
            if not _one_row(pins, unique):
                yield finding  # no unique key among the pinned fields: as many rows as share the values
    answered = _answers.answered(f.answers for f in facts)
    defined = {key for f in facts for key in f.defined}
    held = {member: owner for f in facts for member, owner in f.members}
    names = {alias: key for f in facts for alias, key in f.aliases}
    for f in facts:
        for key, finding in f.pending:
            if key in answered:
                yield replace(finding, why=finding.why + " A route sends what this function returns to the client.")
        for via, key, scoped, finding, pins in f.wrapped:
            if calls.dealiased(calls.resolved(via, held), names) in defined:
                continue  # the project's own method (`apiKeys.findAll()` returning a list it holds): its body decides
            if _one_row(pins, unique):
                continue
            if not scoped:
                yield finding
            elif key in answered:
                yield replace(finding, why=finding.why + " A route sends what this function returns to the client.")


def _unique_keys(documents: Mapping[str, str]) -> dict[str, list[frozenset[str]]]:
    """Each model's unique field sets in the project's Prisma schemas, by the name its client is
    spelled with (`Instance` -> `instance`, as `prisma.instance` reads)."""
    out: dict[str, list[frozenset[str]]] = {}
    for text in documents.values():
        for model, fields in prisma_schema.unique_keys(text):
            out.setdefault(model_name(ir.Name(0, 0, model)), []).append(fields)
    return out


def _one_row(pins: Pinned, unique: Mapping[str, list[frozenset[str]]]) -> bool:
    """The filter pins every field of one of its model's unique keys: at most one row."""
    model, fields = pins
    return bool(fields) and any(key <= set(fields) for key in unique.get(model, ()))


def _pinned(call: ir.Call) -> Pinned:
    """The model a list call reads (`prisma.instance.findMany(...)` -> instance) and the fields its
    `where` compares with one value each (`{ name: instanceName }`, `{ name: { equals: n } }`)."""
    if not isinstance(call.func, ir.Attr) or not call.args or not isinstance(call.args[0], ir.DictExpr):
        return _UNPINNED
    where = next((v for k, v in zip(call.args[0].keys, call.args[0].values)
                  if isinstance(k, ir.Const) and k.value == "where"), None)
    if not isinstance(where, ir.DictExpr):
        return _UNPINNED
    fields = tuple(str(k.value) for k, v in zip(where.keys, where.values)
                   if isinstance(k, ir.Const) and isinstance(k.value, str) and _one_value(v))
    model = model_name(call.func.value)
    return (model, fields) if model and fields else _UNPINNED


def _one_value(value: ir.Expr) -> bool:
    """A field compared with one value: the value itself, or Prisma's `{ equals: v }`."""
    if isinstance(value, ir.DictExpr):
        return len(value.keys) == 1 and isinstance(value.keys[0], ir.Const) and value.keys[0].value == "equals"
    return not isinstance(value, (ir.Seq, ir.Lambda))


def _candidates(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[Finding, str, bool, str, Pinned]]:
    """(finding, key of its function, whether it waits for a route answering the function's
    result, the project method the list call may be, the fields its filter pins to one value): a
    query of one parent row's children outside a handler is a list only a route that answers with
    it makes a list endpoint."""
    if is_dev_path(module.path):
        return
    known = knowledge()
    handlers = frozenset(f.qualname for f in handler_functions(module, scope))
    local = frozenset(_defined(module))
    extended: dict[tuple[str, str], list[frozenset[str]]] | None = None  # made on first use
    for function, body in all_bodies(module):
        if function is None:
            continue
        returned_builders = {id(s.value) for s in ir.walk_stmts(body) if isinstance(s, ir.Return)
                             and isinstance(s.value, ir.Call)}
        lists = _list_names(function, body)
        answers = function.qualname in handlers
        sent, returned = _answers.carried(body, lambda call: frozenset({id(call)}))
        for query in _queries(body):
            if any(isinstance(c.func, ir.Attr) and c.func.attr in known.row_writes for c in _chain(query)):
                continue  # `bulk.find(q).upsert().updateOne(...)`: a find that selects rows to write, not a read
            call = _unbounded(query, known.list_queries, known.limit_options, known.limit_calls, lists) \
                or _unbounded_builder(query, known.builder_methods, known.builder_bounds)
            if call is None:
                continue
            if id(query) in returned_builders and function.class_name and not answers:
                extended = _caller_chains(module) if extended is None else extended
                callers = extended.get((function.class_name, function.name), [])
                if callers and all(chain & known.builder_bounds for chain in callers):
                    continue  # a builder helper every caller bounds (`this.active().count().limit(1)`): judged there
            parent = any(_scoped_to_parent(c) for c in _chain(query))
            if (parent and not _ordered(query)) or any(_closed_range(c) for c in _chain(query)):
                continue  # one parent's children (a user's tokens), or one closed period: bounded
            # one parent's children in an order are its history: a list once a route answers with it;
            # a function that sends the rows itself (`res.json(rows)`) answers with them wherever it is registered
            scoped = not answers and id(query) not in sent and parent
            if scoped and id(query) not in returned:
                continue  # the rows stay in the function (counted, checked, deleted): no list is answered
            shown = ir.dotted_name(call.func) or getattr(call.func, "attr", "") or "query"
            if (isinstance(call.func, ir.Name) or _member_table(call)) and call.args \
                    and isinstance(call.args[0], ir.Const):
                shown = f"{ir.last_name(call.func)}('{call.args[0].value}')"  # a builder on a table
            via = _project_method(module, scope, function, call)
            if via in local:
                continue  # this module's own method: its body holds the query, if any, judged there
            yield make_finding(
                "unbounded-query", location(module, call), f"`{shown}` returns every matching row",
                "Nothing limits how many rows come back: memory, latency and the connection held grow "
                "with the table.",
                severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
                fix=Fix("Page the query: a `take`/`limit` with a maximum and a cursor or offset.",
                        "const limit = Math.min(Number(req.query.limit) || 50, 100);\n"
                        "const rows = await repo.find({ where, order: { id: 'DESC' }, take: limit });",
                        "javascript"),
                rule=RULE.id, key=f"{function.qualname}|{shown}",
            ), f"{module.module_name}.{function.qualname}", scoped, via, _pinned(call)


def _defined(module: ir.Module) -> Iterator[str]:
    """Project-wide names of the functions this module defines that a list-named call may be: its
    classes' methods and its top-level functions (`async function find(match)` of a queries module)."""
    for function in module.functions:
        if ".<locals>." not in function.qualname and (function.class_name or function.parent is None):
            yield f"{module.module_name}.{function.qualname}"


def _project_method(module: ir.Module, scope: ModuleScope, function: ir.Function, call: ir.Call) -> str:
    """The project-wide name of a method the list call may be (`this.findAll()`, an injected
    service's `this.keys.findAll()`, an imported object's `keys.findAll()`, a parameter declared
    with a project class), '' for a call on
    what no project class holds (a library's model, a query builder)."""
    if not isinstance(call.func, ir.Attr) or isinstance(call.func.value, ir.Call):
        return ""
    named = calls.callee(module, scope, function, call)
    if not named and isinstance(call.func.value, ir.Name):  # `store.findAll()`, `store: KeyStore` a parameter
        declared = calls.declared_member(module, scope, call.func.value.id)
        named = f"{declared}.{call.func.attr}" if declared else ""
    return named


def _queries(body: tuple[ir.Stmt, ...]) -> Iterator[ir.Expr]:
    """What runs as a query: every awaited expression, and what a function returns without
    awaiting (`return prisma.order.findMany()` hands the caller the same rows)."""
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Call):
            yield stmt.value
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Await):
                    yield node.value


def _unbounded(expr: ir.Expr, lists: frozenset[str], options: frozenset[str],
               limits: frozenset[str], list_names: frozenset[str] = frozenset()) -> ir.Call | None:
    """The list call of an awaited chain when nothing in the chain (before or after it) bounds it:
    `Order.find(q).limit(20)`, `new Query(T).limit(1).find()`."""
    chain: list[ir.Call] = []
    while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr):
        chain.append(expr)
        expr = expr.func.value
    if any(call.func.attr in limits for call in chain):  # type: ignore[union-attr]
        return None
    if _cursor(chain):
        return None
    listing = next((call for call in chain if call.func.attr in lists), None)  # type: ignore[union-attr]
    if listing is None or any(_bounded(arg, options, list_names) for arg in listing.args):
        return None
    return listing


def _cursor(chain: list[ir.Call]) -> bool:
    """What the awaited chain returns is a cursor that streams rows in batches, not the rows:
    the MongoDB driver's `db.collection(c).find(q)` until `.toArray()` is called, and a
    Mongoose `.cursor()` / `.stream()`. (A Mongoose query awaited returns every document.)"""
    methods = [call.func.attr for call in chain]  # type: ignore[union-attr]
    if methods and methods[0] in _STREAMS:
        return True
    return "collection" in methods and "toArray" not in methods


_STREAMS = frozenset({"cursor", "stream"})


def _bounded(arg: ir.Expr, options: frozenset[str], list_names: frozenset[str] = frozenset()) -> bool:
    """Options with a limit, or a filter on the primary key (one row) or on a list of keys."""
    if not isinstance(arg, ir.DictExpr):
        return True  # a variable or a builder: what it holds is not visible here
    for key, value in zip(arg.keys, arg.values):
        if key is None:
            return True  # `{...options}`
        if isinstance(key, ir.Const) and (key.value in options or key.value in _KEYS):
            return True
        if isinstance(key, ir.Const) and key.value == "where" and _bounded_where(value, list_names):
            return True
        if _listed_keys(value, list_names):  # a MongoDB filter: `find({ _key: { $in: keys } })`
            return True
    return False


def _bounded_where(where: ir.Expr, list_names: frozenset[str] = frozenset()) -> bool:
    if not isinstance(where, ir.DictExpr):
        return True
    return any(isinstance(k, ir.Const) and k.value in _KEYS for k in where.keys) or any(
        _listed_keys(v, list_names, implicit=True) for v in where.values)


_IN_OPERATORS = frozenset({"$in", "Op.in", "in"})
# methods and functions whose result is an array built from data the code holds
_ARRAY_METHODS = frozenset({"map", "filter", "slice", "concat", "flat", "flatMap"})
_ARRAY_BUILDERS = frozenset({"Array.from", "Object.keys", "Object.values", "_.uniq", "uniq", "compact", "_.compact"})


def _listed_keys(value: ir.Expr, list_names: frozenset[str], implicit: bool = False) -> bool:
    """A field matched against a list the code holds: `{ $in: keys }`, `{ [Op.in]: ids }`, either
    branch of `keys.length === 1 ? keys[0] : { $in: keys }`; with `implicit` (Sequelize and
    Prisma read `where: { field: array }` as IN) also the array itself."""
    if isinstance(value, ir.IfExp):
        return _listed_keys(value.body, list_names, implicit) or _listed_keys(value.orelse, list_names, implicit)
    if isinstance(value, ir.DictExpr):
        return any(_in_key(k) and _held_list(v, list_names, operand=True) for k, v in zip(value.keys, value.values))
    return implicit and _held_list(value, list_names)


def _in_key(key: ir.Expr | None) -> bool:
    name = key.value if isinstance(key, ir.Const) else ir.dotted_name(key) if key is not None else None
    return isinstance(name, str) and name in _IN_OPERATORS


def _held_list(value: ir.Expr, list_names: frozenset[str], operand: bool = False) -> bool:
    """An array of values the code computed or was handed (not a literal list of constants):
    what an `$in` takes is always one, a bare field value only when known to be an array."""
    if isinstance(value, ir.Seq):
        return not all(isinstance(e, ir.Const) for e in value.elts)
    if isinstance(value, ir.Name):
        return operand or value.id in list_names
    return _builds_array(value) or (operand and isinstance(value, (ir.Attr, ir.Call)))


def _builds_array(value: ir.Expr) -> bool:
    if not isinstance(value, ir.Call):
        return False
    if isinstance(value.func, ir.Attr) and value.func.attr in _ARRAY_METHODS:
        return True
    return (ir.dotted_name(value.func) or "") in _ARRAY_BUILDERS


def _list_names(function: ir.Function, body: tuple[ir.Stmt, ...]) -> frozenset[str]:
    """Names that hold an array in the function: parameters typed `T[]` / `Array<T>`, and
    variables assigned one (`const ids = users.map(...)`)."""
    names = {p.name for p in function.params if _array_type(p.annotation)}
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and (
                _builds_array(stmt.value) or _array_type(stmt.annotation)
                or (isinstance(stmt.value, ir.Seq) and stmt.value.kind == "list")):
            names.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return frozenset(names)


def _array_type(annotation: ir.Expr | None) -> bool:
    if isinstance(annotation, ir.Opaque):
        if annotation.kind == "array_type":
            return True
        if annotation.kind == "generic_type" and annotation.children:
            return ir.dotted_name(annotation.children[0]) in ("Array", "ReadonlyArray")
    return False


def _chain(expr: ir.Expr) -> Iterator[ir.Call]:
    """The calls of a method chain, outermost first, down to the call it starts from."""
    while isinstance(expr, ir.Call):
        yield expr
        if not isinstance(expr.func, ir.Attr):
            return
        expr = expr.func.value


def _unbounded_builder(expr: ir.Expr, methods: frozenset[str], bounds: frozenset[str]) -> ir.Call | None:
    """A query-builder chain started on a table (`knex('orders').where(...).orderBy(...)`,
    `db('orders')`): rows until a bound (`first`, `limit`, an aggregate, a write) or a filter on
    the key. The table call alone is not enough to call it a query: the chain must use the
    builder's own methods (models/node/rules.yaml `builder_methods`)."""
    chain: list[ir.Call] = []
    while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and not _member_table(expr):
        chain.append(expr)
        expr = expr.func.value
    if not (isinstance(expr, ir.Call) and isinstance(expr.func, (ir.Name, ir.Attr)) and len(expr.args) == 1
            and isinstance(expr.args[0], ir.Const) and isinstance(expr.args[0].value, str) and not expr.kwargs):
        return None
    names = [call.func.attr for call in chain]  # type: ignore[union-attr]
    if not names or any(name not in methods for name in names) or any(name in bounds for name in names):
        return None
    if any(_keyed_where(call) for call in chain if call.func.attr.startswith(("where", "andWhere"))):  # type: ignore[union-attr]
        return None
    if any(call.func.attr in ("whereIn", "andWhereIn") and len(call.args) == 2  # type: ignore[union-attr]
           and _held_list(call.args[1], frozenset(), operand=True) for call in chain):
        return None  # `.whereIn('order_id', orders.map((o) => o.id))`: the keys listed bound the rows
    return expr


def _member_table(call: ir.Call) -> bool:
    """`this.db('shipments')`: a table call on a builder an object holds (a repository handed the
    Knex instance), where the chain starts as `db('shipments')` does."""
    return isinstance(call.func, ir.Attr) and ir.dotted_name(call.func.value) == "self" and len(call.args) == 1 \
        and isinstance(call.args[0], ir.Const) and isinstance(call.args[0].value, str) and not call.kwargs


def _keyed_where(call: ir.Call) -> bool:
    """`.where('id', id)`, `.where('orders.id', id)`, `.where({ id })`: one row."""
    if not call.args:
        return False
    first = call.args[0]
    if isinstance(first, ir.DictExpr):
        return any(isinstance(k, ir.Const) and k.value in _KEYS for k in first.keys)
    column = first.value if isinstance(first, ir.Const) and isinstance(first.value, str) else ""
    return column.rpartition(".")[2] in _KEYS


def _scoped_to_parent(call: ir.Call) -> bool:
    """The filter matches one parent row's children: an equality on a reference column
    (`teamId`, `owner_id`, `collectionID`) or a relation (`{ team: { id } }`) against a value the
    code holds. The code that asks for one parent's rows needs all of them (to export, check or
    delete them); only a handler answering a client with them is a list endpoint to page."""
    filters: list[tuple[ir.Expr | None, ir.Expr]] = []
    for arg in call.args:
        if isinstance(arg, ir.DictExpr):
            where = next((v for k, v in zip(arg.keys, arg.values) if isinstance(k, ir.Const) and k.value == "where"),
                         None)
            source = where if isinstance(where, ir.DictExpr) else arg
            filters.extend(zip(source.keys, source.values))
    if isinstance(call.func, ir.Attr) and call.func.attr.startswith(("where", "andWhere")) and len(call.args) == 2:
        filters.append((call.args[0], call.args[1]))
    return any(_parent_filter(key, value) for key, value in filters)


def _caller_chains(module: ir.Module) -> dict[tuple[str, str], list[frozenset[str]]]:
    """For each method of a class called on `this` (`this.activeStrategies()`), the methods each
    call site chains onto what it returns (`.select(...).count(...).limit(1)`)."""
    out: dict[tuple[str, str], list[frozenset[str]]] = {}
    for function, body in all_bodies(module):
        if function is None or not function.class_name:
            continue
        calls = [node for stmt in ir.walk_stmts(body) for root in ir.stmt_exprs(stmt) for node in ir.walk_expr(root)
                 if isinstance(node, ir.Call)]
        inner = {id(c.func.value) for c in calls if isinstance(c.func, ir.Attr)}
        for outer in calls:
            if id(outer) in inner:
                continue  # part of a longer chain, seen from its outermost call
            chain = list(_chain(outer))
            start = chain[-1]
            if isinstance(start.func, ir.Attr) and ir.dotted_name(start.func.value) == "self":
                out.setdefault((function.class_name, start.func.attr), []).append(
                    frozenset(c.func.attr for c in chain[:-1] if isinstance(c.func, ir.Attr)))
    return out


def _ordered(query: ir.Expr) -> bool:
    """The rows come back in an order: an `orderBy`/`order`/`sort` option, or a chained
    `.orderBy()`/`.sort()` (knex, Mongoose)."""
    for call in _chain(query):
        if isinstance(call.func, ir.Attr) and call.func.attr in _ORDER_CALLS:
            return True
        if any(isinstance(arg, ir.DictExpr) and any(isinstance(k, ir.Const) and k.value in _ORDER_OPTIONS
                                                     for k in arg.keys) for arg in call.args):
            return True
    return False


_ORDER_CALLS = frozenset({"orderBy", "orderByRaw", "sort", "order"})
_ORDER_OPTIONS = frozenset({"orderBy", "order", "sort"})


def _closed_range(call: ir.Call) -> bool:
    """A filter holding one period closed at both ends: TypeORM `Between(a, b)`, a
    `{ gte: a, lte: b }` / `{ $gte: a, $lt: b }` / `{ [Op.between]: [a, b] }` condition, knex
    `.whereBetween(column, [a, b])`."""
    if isinstance(call.func, ir.Attr) and call.func.attr in ("whereBetween", "andWhereBetween"):
        return True
    values: list[ir.Expr] = []
    for arg in call.args:
        if isinstance(arg, ir.DictExpr):
            where = next((v for k, v in zip(arg.keys, arg.values) if isinstance(k, ir.Const) and k.value == "where"),
                         None)
            source = where if isinstance(where, ir.DictExpr) else arg
            values.extend(source.values)
    return any(_range_value(v) for v in values)


def _range_value(value: ir.Expr) -> bool:
    if isinstance(value, ir.Call):
        return ir.last_name(value.func) == "Between" and len(value.args) == 2
    if not isinstance(value, ir.DictExpr):
        return False
    names = {(k.value if isinstance(k, ir.Const) else ir.dotted_name(k) or "").lstrip("$").rpartition(".")[2]
             for k in value.keys if k is not None}
    return "between" in names or bool(names & {"gt", "gte"}) and bool(names & {"lt", "lte"})


_RELATION_QUANTIFIERS = frozenset({"some", "every", "is"})


def _parent_filter(key: ir.Expr | None, value: ir.Expr) -> bool:
    """`teamId: teamId`; a relation matched by its key, whatever the relation is called
    (`{ resource: { id: resourceId } }`); a to-many relation holding such a match (Prisma
    `{ versions: { some: { commitId } } }`)."""
    if isinstance(key, ir.Const) and key.value == "AND" and isinstance(value, (ir.DictExpr, ir.Seq)):
        parts = value.elts if isinstance(value, ir.Seq) else (value,)  # Prisma's `AND: {...}` / `AND: [{...}]`
        return any(_parent_filter(k, v) for part in parts if isinstance(part, ir.DictExpr)
                   for k, v in zip(part.keys, part.values))
    if _reference(key) and (_held_value(value) or _listed_keys(value, frozenset())):
        return True  # one parent, or the parents whose keys the code lists (`{ projectId: { in: ids } }`)
    if not isinstance(value, ir.DictExpr):
        return False
    if any(isinstance(k, ir.Const) and k.value in _KEYS and _held_value(v) for k, v in zip(value.keys, value.values)):
        return True
    return any(isinstance(k, ir.Const) and k.value in _RELATION_QUANTIFIERS and isinstance(v, ir.DictExpr)
               and any(_parent_filter(k2, v2) for k2, v2 in zip(v.keys, v.values))
               for k, v in zip(value.keys, value.values))


def _reference(key: ir.Expr | None) -> bool:
    name = key.value if isinstance(key, ir.Const) and isinstance(key.value, str) else ""
    name = name.rpartition(".")[2]
    if name in _KEYS or not name:
        return False
    return name.endswith(("Id", "_id", "ID", "Uid", "_uid", "UID"))


def _held_value(value: ir.Expr) -> bool:
    """A value the code holds (a variable, a field, a call's result), not a written-out constant
    or an operator object (`{ [Op.in]: [...] }`)."""
    if isinstance(value, ir.DictExpr):
        return any(isinstance(k, ir.Const) and k.value in _KEYS and _held_value(v)
                   for k, v in zip(value.keys, value.values))
    return isinstance(value, (ir.Name, ir.Attr, ir.Call, ir.Subscript, ir.Await))


# no `requires`: a controller that only calls a service (`res.json(await svc.list(id))`) holds no query
# words, and its answer is what makes the service's query a list endpoint
RULE = Rule("js-unbounded-query", frozenset({"unbounded-query"}), "javascript", check, collect=collect,
            combine=combine, documents=frozenset({"prisma"}))
