"""List endpoint that returns every row: no limit, slice or pagination.

## What it finds
- A request handler (Django view, Flask/FastAPI route, a DRF view's own `list()` or action) that
  returns, serialises (`Serializer(qs, many=True)`, `self.get_serializer(qs, many=True)`, `jsonify`,
  `JsonResponse`, `render`) or lists a Django
  queryset (also as dicts or tuples: `.values(...)`, `.values_list(...)`), SQLAlchemy/SQLModel
  query (Flask-SQLAlchemy 3's `db.select(M)` included) or active-record query started on the model
  class (Tortoise `Device.all()`, peewee `Note.select()`) with no slice, `.limit()`, `.paginate()`
  or paginator;
- a `cursor.fetchall()` (or asyncpg `fetch`, `databases` `fetch_all`, `db.execute(sql).fetchall()`)
  in a handler after a constant `SELECT` with no `LIMIT`, no key pinned in its `WHERE` and no
  single aggregate, when it has no `WHERE` or its `WHERE` is scoped to the caller (their user or
  organisation: the caller's whole history); one parent's children (`WHERE sailing_id = $1` from
  the URL) are bounded by the parent;
- DRF list views (`ListAPIView`, `ModelViewSet`, ...) with no `pagination_class` (on the view
  or a base class) when the project's `REST_FRAMEWORK` settings set no
  `DEFAULT_PAGINATION_CLASS`, or with `pagination_class = None`;
- Django's generic list views (`ListView`) with no `paginate_by` (on the view or a base, a literal
  or a settings value; a `get_paginate_by()` override counts) or with `paginate_by = None`: they
  page only by it, whatever REST framework's settings say.

What the model bounds is left out, judged in `combine` against the project's model definitions
(`rules/python/_row_bounds.py`): a filter on a unique column (`filter(slug=s)` with
`unique=True`, the primary key) returns one row, and one on keys written in the code
(`key__in=Preference.KNOWN_KEYS` on a unique `key`) that many; a filter comparing a foreign key
with one value (`filter(owner=request.user)`, `Token.user_id == uid`, `project.members.all()`)
lists one parent's children, bounded by what one parent holds (one user's tokens, one page's
versions); a range closed at both ends (`day__range=(first, last)`) one period. One parent's
children listed in an order (`account.entries.order_by("-booked_at")`) are that parent's
history, which grows with every day of use, and stay reported. A count or existence check
(`Entry.objects.count()`, `.exists()`) returns no rows.

## Why it matters
The response grows with the table: 200 rows in staging, 2 million in production. One
request then loads every row into memory, serialises it for seconds and holds a database
connection the whole time; a client or crawler paging through it takes the service down.

## Example
```python
@app.get("/orders")
def list_orders(db: Session = Depends(get_db)):
    return db.query(Order).all()
```

## Fix
```python
@app.get("/orders")
def list_orders(skip: int = 0, limit: int = Query(50, le=200), db: Session = Depends(get_db)):
    return db.query(Order).order_by(Order.id).offset(skip).limit(limit).all()
```
DRF: `pagination_class = LimitOffsetPagination` or `DEFAULT_PAGINATION_CLASS` in settings;
Django views: `Paginator(qs, 50)`; Flask-SQLAlchemy: `.paginate(page=..., per_page=50)`.

## Known problems
A handler that returns what a repository, service or CRUD function of the project gave it
(`return repo.bookings_for_property(session, property_id)`, `repo.entries_for(account)` with
`repo = LedgerRepository()`) is reported once at the function's query (the line to change),
with every handler that returns its rows as evidence (a caller that only counts them is not
one), when the function returns every row (`.all()`, `list(session.scalars(...))`) and
takes no limit, offset, page or cursor parameter. One end of a time window taken as an option
(`history(vehicle_id, since=None)`) bounds nothing when the call leaves it empty (left out, `None`,
a request parameter the client may omit, `request.args.get("since")`): such a helper is reported
through those calls only; one the helper fills itself (`since = since or week_ago()`), or a caller
fills with a value it computes, bounds the rows, and so do both ends required. A statement built
in steps (`stmt = select(M)...`, `if since: stmt = stmt.where(...)`) is read as one query. A helper is found through a declared or
injected object (`svc: TripService`), a method the repository only inherits, and a member such an
object declares (`svc.positions.history(vehicle_id)` where `VehicleService.__init__` keeps
`positions: PositionRepository`); one reached through a variable of unknown type is not followed
(false negative). A helper that hands back the query itself, unsliced (a selector returning
`Book.objects.filter(author=a)`, a builder returning `Ticket.query.filter_by(...)`), bounds nothing
and reads nothing: the handler decides. When a handler reads every row of it (iterates the result or
a local bound to exactly it, `list(...)`, `Serializer(..., many=True)`) and hands them out, the finding
is at the handler's call; a handler that slices it, limits it or only counts it is not reported.
Plain functions imported from a project module are followed like methods (`low_stock(account)`).
A queryset method of the project's own (`LedgerEntry.objects.for_seller(seller).order_by(...)`, defined
in any module on a custom QuerySet or Manager returning `self.filter(...)`-style rows,
frameworks/queryset_methods.py) continues the query with the filter its body writes: one parent's
children stay bounded by the parent, the caller's own history does not.
A helper generic in its model (`def tenant_query(model): return db.session.query(model).filter(...)`,
`model.objects.filter(...)`) hands back a query too, and a handler chaining on the call up to `.all()`
(`tenant_query(Event).order_by(...).all()`, with no limit, page or count on the way) reads all of it.
A list built row by row from a query (`data = [to_dict(i) for i in invoices]`, or a helper's
`return [Book.json(b) for b in Book.query.all()]`) is judged by that query, and reported at the
query when the list is built away from it.
Small reference tables (countries, currencies) are bounded in practice and still reported
at medium confidence. A model's default ordering (`Meta.ordering`) does not make its children
a history: only an `order_by` in the query does. A parent's children reached through two
relations (`filter(stock_item__warehouse=w)`) are not read as one parent's. When no DRF settings are in the reviewed tree, DRF views are not
judged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Hashable, Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.fixcode.paging import bounded, paginated_view
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.report import OpenQuestion
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.base import Rule, contribution, no_findings
from servicelens.rules.python._row_bounds import ModelIndex
from servicelens.rules.python.perf_models import ModelFact, shared_models
from servicelens.rules.python import _raw_sql as raw_sql
from servicelens.rules.python._common import const_str
from servicelens.rules.python._window_params import WINDOW_ENDS, Passed, optional_window, passed
from servicelens.rules.python.perf_common import PerfContext, method_of, project_callee, reviewable
from servicelens.rules.python.perf_common import FunctionView
from servicelens.rules.python.perf_nplus_facts import ViewFact, view_classes
from servicelens.rules.python._access import bound_values, flow_origins, is_principal_node, principal_params
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.rules.python._project_calls import CalleeIndex, class_bases
from servicelens.rules.python.perf_orm import Query, query_of
from servicelens.taint.scope import ModuleScope

_RESPONDERS = re.compile(r"(^|\.)(jsonify|JsonResponse|Response|render|render_template|TemplateResponse|list|dict)$")
_PAGING = re.compile(r"(?i)paginat|paginator|page_size|per_page")
_SQL_LIMITED = re.compile(r"(?i)\b(limit|fetch\s+(first|next)|top)\b")
# a WHERE that pins a key (`id = $1`, `t.uuid = %s`, `id IN (...)`) or matches a list the caller
# holds (`ticket_id = ANY($1)`, `IN %s`): the rows the caller named, as Django's `filter(pk=...)` /
# `__in`; a WHERE on another column is judged by where its value comes from (`_caller_scoped`)
_SQL_KEYED = re.compile(r"(?is)\bwhere\b.*?((^|[^\w.]|\.)(id|pk|uuid)\s*(=|\bin\b)"
                        r"|=\s*any\s*\(|\bin\s*\(?\s*(\$\d|%s|%\(|\?|:\w))")
_SQL_ONE_ROW = re.compile(r"(?is)^\s*select\s+(count|sum|min|max|avg|exists)\s*\(")
_WHY = ("The response grows with the table: fine with 200 rows in staging, a multi-second, memory-hungry request "
        "with 2 million in production. Each call loads and serialises every row while holding a database "
        "connection; a client paging through it, or a crawler, can take the service down.")


@dataclass(frozen=True, slots=True)
class ListHelper:
    """A repository/service function that returns every row of a query (no limit parameter)."""
    qualname: str  # module.Class.method or module.function
    path: str
    line: int
    query: Query
    name: str
    lazy: bool = False  # hands back the query itself (a Django queryset): its caller decides how much it reads
    # its optional window ends (`since=None`), as (argument position, name): it returns every row
    # only through a call leaving them all empty (rules/python/_window_params.py)
    window: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class HelperCall:
    """A handler returning what a project function gave it: `return repo.bookings_for(session, pid)`."""
    callee: str  # qualified candidate name
    handler: str
    path: str
    line: int
    whole: bool = False  # the handler reads every row the call returns (iterates it, `list()`, `many=True`)
    passed: Passed = Passed()  # which arguments may be `None` (an optional window left empty)


@dataclass(frozen=True, slots=True)
class Forwarder:
    """A service function that returns what another project function gave it and takes nothing
    that could bound it (`def open_tickets(self): return self.repo.all_open()`): a layer between
    the handler and the query, which hands on every row its callee loads."""
    qualname: str
    callee: str  # qualified candidate name
    passed: Passed = Passed()


@dataclass(frozen=True, slots=True)
class UnboundedFacts:
    views: tuple[ViewFact, ...]
    default_pagination: bool | None  # None: this file has no REST_FRAMEWORK settings
    helpers: tuple[ListHelper, ...] = ()
    calls: tuple[HelperCall, ...] = ()
    forwarders: tuple[Forwarder, ...] = ()
    direct: tuple[tuple[Finding, Query], ...] = ()  # handlers returning a query's rows themselves
    models: tuple[ModelFact, ...] = ()
    # classes of a models module declaring no field of their own (a proxy, a subclass adding
    # methods): (qualified name, class name, qualified bases), standing for the model they derive from
    derived: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    # each class's bases and each typed member's class (_project_calls.class_bases): a helper the
    # handler reaches as an inherited method, or through a member of an injected service
    # (`svc.positions.history(...)`), is found where it is defined
    bases: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _direct(module: ir.Module, scope: ModuleScope, ctx: PerfContext) -> Iterator[tuple[Finding, Query]]:
    """Handlers returning a query's rows themselves, each with its query: whether the model
    bounds the rows is decided in `combine`, where every model of the project is known."""
    if not scope.handlers:
        return
    for function in module.functions:
        if function.qualname not in scope.handlers or _mentions_paging(function, module):
            continue
        for line, query in _returned_queries(module, scope, function, ctx.view(function)):
            framework = scope.handlers[function.qualname].framework
            code = bounded(_query_line(module, function, query), query.text, query.orm, framework)
            yield _finding(module.path, line, query, function.name, Confidence.MEDIUM, code=code or ""), query


def _mentions_paging(function: ir.Function, module: ir.Module) -> bool:
    text = "\n".join(module.lines[function.line - 1:function.end_line])
    return bool(_PAGING.search(text))


def _returned_queries(module: ir.Module, scope: ModuleScope, function: ir.Function,
                      view: FunctionView) -> Iterator[tuple[int, Query]]:
    seen: set[int] = set()
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Return) and stmt.value is not None:
            candidates = [stmt.value]
            if isinstance(stmt.value, ir.Call):
                candidates.extend(_response_args(stmt.value))
            elif isinstance(stmt.value, ir.Comprehension) and stmt.value.iters:
                candidates.append(stmt.value.iters[0])  # `return [to_dict(o) for o in rows]`
            for expr in candidates:
                rows = _listed_rows(expr, view)
                query = query_of(rows, view, scope, function, module, as_values=True, class_queries=True)
                if query is not None and not query.limited and query.model != "self" and query.line not in seen:
                    seen.add(query.line)
                    # a list built row by row far from its query is reported where the bound belongs
                    yield (query.line if rows is not expr else stmt.line), query
    for site in view.sites:
        call = site.call
        if method_of(call) in ("fetchall", "fetch", "fetch_all") and site.loop is None:
            query = _raw_select(view, call, function)
            if query is not None:
                yield call.line, query
        name = ir.dotted_name(call.func) or ""
        # `self.get_serializer(qs, many=True)` in a DRF view's own list() or action: the view's serializer
        own = name == "self.get_serializer" and function.class_name is not None
        if (name.endswith("Serializer") or own) and getattr(call.kwarg("many"), "value", None) is True and call.args:
            query = query_of(call.args[0], view, scope, function, module, as_values=True, class_queries=True)
            # the view's own queryset (`self.get_queryset()`) is judged with the view (DRF list views below)
            if query is not None and not query.limited and query.line not in seen and not (own and query.model == "self"):
                seen.add(query.line)
                yield call.line, query


def _listed_rows(expr: ir.Expr, view: FunctionView) -> ir.Expr:
    """What a list built row by row iterates: `data = [to_dict(i) for i in invoices]` returns as
    many items as `invoices` holds, so the bound (or its absence) is that query's."""
    node = expr
    if isinstance(node, ir.Name) and isinstance(view.assigns.get(node.id), ir.Comprehension):
        node = view.assigns[node.id]
    if isinstance(node, ir.Comprehension) and node.iters and node.kind == "list":
        return node.iters[0]
    return expr


def _response_args(call: ir.Call) -> Iterator[ir.Expr]:
    """Arguments of a response/serialiser call that become the body: values of context dicts too."""
    if not _RESPONDERS.search(ir.dotted_name(call.func) or ""):
        return
    for arg in list(call.args) + [kw.value for kw in call.kwargs]:
        if isinstance(arg, ir.DictExpr):
            yield from arg.values
        elif isinstance(arg, ir.Comprehension) and arg.iters:
            yield arg.iters[0]
        elif isinstance(arg, ir.Call) and ir.dotted_name(arg.func) == "list" and arg.args:
            yield arg.args[0]
        else:
            yield arg


def _sql_bounded(sql: str) -> bool:
    """The statement bounds its rows: a LIMIT (or FETCH FIRST / TOP), a key pinned in the WHERE,
    or an aggregate with no GROUP BY (one row)."""
    if _SQL_LIMITED.search(sql) or _SQL_KEYED.search(sql):
        return True
    return bool(_SQL_ONE_ROW.match(sql)) and not re.search(r"(?i)\bgroup\s+by\b", sql)


def _raw_select(view: FunctionView, fetch: ir.Call, handler: ir.Function | None = None) -> Query | None:
    """An unbounded constant SELECT whose every row this call reads: a DB-API `fetchall()` after
    `execute(sql)`, or asyncpg's `fetch(sql, *args)`, which runs the statement and returns all rows.
    A WHERE on a column other than a key bounds the rows to one group: that group is one parent's
    children (a sailing's passengers, bounded by what the parent is) unless the handler scopes it
    to the caller (`WHERE org_id = $1` with the caller's organisation), which is the caller's whole
    history and grows with every day of use."""
    if method_of(fetch) in raw_sql.ROW_RUNNERS:  # asyncpg `fetch`, databases `fetch_all`: rows of their statement
        sql = raw_sql.statement(fetch, view.assigns, whole=True) if raw_sql.selects_rows(fetch, view.assigns, True) \
            else None
    elif isinstance(fetch.func, ir.Attr) and isinstance(fetch.func.value, ir.Call):  # `db.execute(sql).fetchall()`
        sql = raw_sql.statement(fetch.func.value, view.assigns, whole=True)
        sql = sql if sql and sql.lstrip().lower().startswith("select") else None
    else:
        sql = _executed_sql(view, fetch)
    if sql is None or _sql_bounded(sql):
        return None
    if re.search(r"(?i)\bwhere\b", sql) and not _caller_scoped(view, fetch, handler):
        return None
    return Query("dbapi", "", frozenset(), False, fetch.line, sql)


def _caller_scoped(view: FunctionView, fetch: ir.Call, handler: ir.Function | None) -> bool:
    """A value bound into the statement reads the caller (`request["user"]["org_id"]`,
    `request.user.id`, a local holding it), in the handler running it."""
    if handler is None:
        return False
    # locals bound to the caller or a field of it (`user = request["user"]`, `org_id = user["org_id"]`)
    names: set[str] = set(principal_params(handler))
    for _ in range(2):
        names |= {n for n, v in view.assigns.items() if _is_caller(v, names)}
    bound = [a for a in fetch.args[1:]] + [k.value for k in fetch.kwargs]
    if isinstance(fetch.func, ir.Attr) and isinstance(fetch.func.value, ir.Call):  # `db.execute(sql, args).fetchall()`
        bound += list(fetch.func.value.args[1:]) + [k.value for k in fetch.func.value.kwargs]
    for site in view.sites:  # DB-API: the arguments of the execute that ran the statement
        if method_of(site.call) == "execute" and site.call.line <= fetch.line:
            bound += list(site.call.args[1:])
    flat: list[ir.Expr] = []
    for value in bound:  # `(current_user.id,)`, `values={"tid": user.tenant_id}`
        flat.extend(value.elts if isinstance(value, ir.Seq) else value.values if isinstance(value, ir.DictExpr)
                    else (value,))
    return any(_is_caller(value, names) for value in flat)


def _is_caller(expr: ir.Expr, names: set[str]) -> bool:
    """`expr` is the caller or a field of it (`request["user"]["org_id"]`, `request.user.id`,
    `user["org_id"]` with `user` one of `names`), not merely computed with it."""
    node = expr
    while True:
        if is_principal_node(node, frozenset()) or (isinstance(node, ir.Name) and node.id in names):
            return True
        if isinstance(node, (ir.Subscript, ir.Attr)):
            node = node.value
        elif isinstance(node, ir.Call) and isinstance(node.func, ir.Name) and node.func.id in ("int", "str") \
                and len(node.args) == 1:
            node = node.args[0]
        else:
            return False


def _executed_sql(view, fetch: ir.Call) -> str | None:  # type: ignore[no-untyped-def]
    cursor = ir.dotted_name(fetch.func.value) if isinstance(fetch.func, ir.Attr) else None
    for site in view.sites:
        call = site.call
        if method_of(call) == "execute" and call.line <= fetch.line and call.args and \
                ir.dotted_name(call.func.value) == cursor:  # type: ignore[union-attr]
            sql = const_str(call.args[0])
            if sql and sql.lstrip().lower().startswith("select"):
                return sql
    return None


_NOTHING = UnboundedFacts((), None)  # what a file that adds nothing to `combine` collects


def collect(module: ir.Module, scope: ModuleScope) -> UnboundedFacts | None:
    return contribution(_collect(module, scope), _NOTHING)


def _collect(module: ir.Module, scope: ModuleScope) -> UnboundedFacts | None:
    if not reviewable(module):
        return None
    ctx = PerfContext.shared(module, scope)
    _serializers, views = view_classes(module, scope, ctx)
    # a base that only sets the page size (a paging mixin) is kept for the list views deriving from it
    return UnboundedFacts(tuple(v for v in views if v.is_list or v.pagination), _drf_default(module),
                          tuple(_list_helpers(module, scope, ctx)), tuple(_helper_calls(module, scope, ctx)),
                          tuple(_forwarders(module, scope, ctx)), tuple(_direct(module, scope, ctx)),
                          *_models_and_derived(module, scope), class_bases(module, scope))


def _models_and_derived(module: ir.Module, scope: ModuleScope
                        ) -> tuple[tuple[ModelFact, ...], tuple[tuple[str, str, tuple[str, ...]], ...]]:
    models = shared_models(module, scope) if module.classes else ()
    known = {m.name for m in models}
    nested = {c.qualname for c in module.classes}
    # a class of a models module, or one with a `Meta` of its own (a proxy model declared apart:
    # `class UserToken(Token): class Meta: proxy = True`)
    derived = tuple((f"{module.module_name}.{cls.qualname}", cls.name,
                     tuple(scope.qualify(ir.dotted_name(b) or "", None, set()) or (ir.dotted_name(b) or "")
                           for b in cls.bases))
                    for cls in module.classes if cls.name not in known and cls.qualname == cls.name and cls.bases
                    and (models or f"{cls.qualname}.Meta" in nested))
    return models, derived


# a page size, a position or the keys to read: the caller bounds the rows (window ends: `_window_params`)
_BOUND_PARAMS = re.compile(r"(?i)^(limit|offset|page|page_size|per_page|size|count|max_\w+|top|n|first|cursor|"
                           r"ids|\w+_ids)$")


def _list_helpers(module: ir.Module, scope: ModuleScope, ctx: PerfContext) -> Iterator[ListHelper]:
    """Functions outside the handlers (repositories, services, CRUD modules) that return every row
    of a query and take nothing that could bound it."""
    for function in module.functions:
        if function.qualname in scope.handlers or "<locals>" in function.qualname or \
                any(_BOUND_PARAMS.match(p.name) for p in function.params) or _mentions_paging(function, module):
            continue
        view = ctx.view(function)
        window = optional_window(function, view.assigns)
        if window is None:
            continue
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Return) and stmt.value is not None:
                rows = _listed_rows(stmt.value, view)
                query = query_of(rows, view, scope, function, module, as_values=True, class_queries=True) or _returned_select(rows, view)
                if query is None or query.limited or (query.model in ("self", "") and query.orm != "dbapi"):
                    continue
                if _all_rows(rows, view) or rows is stmt.value:  # the rows, or the lazy query itself
                    yield ListHelper(f"{scope.name}.{function.qualname}", module.path, query.line, query,
                                     function.name, lazy=not _all_rows(rows, view), window=window)
                    break


def _returned_select(rows: ir.Expr, view: FunctionView) -> Query | None:
    """`return await conn.fetch("SELECT ...")` (or the rows of it held in a local): raw SQL rows."""
    node = rows.value if isinstance(rows, ir.Await) else rows
    if isinstance(node, ir.Name) and node.id in view.assigns:
        node = view.assigns[node.id]
        node = node.value if isinstance(node, ir.Await) else node
    if isinstance(node, ir.Call) and method_of(node) in ("fetch", "fetchall", "fetch_all"):
        return _raw_select(view, node)
    return None


def _all_rows(expr: ir.Expr, view: FunctionView) -> bool:
    """The value is a list of rows: `.all()`, `.scalars().all()`, `list(...)`, not a lazy query the
    caller may still slice or paginate."""
    node = expr.value if isinstance(expr, ir.Await) else expr
    if isinstance(node, ir.Name) and node.id in view.assigns:
        node = view.assigns[node.id]
        node = node.value if isinstance(node, ir.Await) else node
    return isinstance(node, ir.Call) and (method_of(node) in ("all", "fetchall", "fetch", "fetch_all")
                                          or ir.dotted_name(node.func) == "list")


def _forwarders(module: ir.Module, scope: ModuleScope, ctx: PerfContext) -> Iterator[Forwarder]:
    """Functions outside the handlers, with nothing that could bound what they return, that
    return what one project function gave them (see `Forwarder`)."""
    for function in module.functions:
        if function.qualname in scope.handlers or "<locals>" in function.qualname or \
                any(_BOUND_PARAMS.match(p.name) or WINDOW_ENDS.match(p.name) for p in function.params) \
                or _mentions_paging(function, module):
            continue
        view = ctx.view(function)
        for callee, call in _handed_out_callees(function, scope, view):
            yield Forwarder(f"{scope.name}.{function.qualname}", callee, passed(call, function, view.assigns))


def _helper_calls(module: ir.Module, scope: ModuleScope, ctx: PerfContext) -> Iterator[HelperCall]:
    """Calls in handlers whose result the handler returns (directly or through locals)."""
    for function in module.functions:
        if function.qualname not in scope.handlers or _mentions_paging(function, module):
            continue
        view = ctx.view(function)
        for callee, call in _handed_out_callees(function, scope, view):
            yield HelperCall(callee, function.name, module.path, call.line,
                             _read_whole(function, view, call, file_index(module, scope)),
                             passed(call, function, view.assigns))


def _handed_out_callees(function: ir.Function, scope: ModuleScope, view: FunctionView) -> Iterator[tuple[str, ir.Call]]:
    """Project functions called outside loops whose result the function returns, with the call."""
    index = file_index(scope.module, scope)
    returned = [s.value for s in index.walk_stmts(function.body) if type(s) is ir.Return and s.value is not None]
    if not returned:
        return  # hands nothing out: no call's flow to follow
    direct: set[int] | None = None  # what the returned values carry themselves, made on first use
    bound: set[int] | None = None  # calls inside a value some name is bound from, made on first use
    holders: dict[str, set[Hashable]] | None = None  # local name -> the bound calls whose value it holds
    for site in view.sites:
        if site.loop is not None:
            continue
        callee = project_callee(site.call, view, scope, function)
        if callee is None:
            continue
        # a call returned as it is needs no data flow (`_hands_out` only grows with `held`)
        if direct is None:
            direct = _handed_out_nodes(returned, index)
        if id(site.call) in direct:
            yield callee, site.call
            continue
        if bound is None:
            bound = {id(n) for value in bound_values(function.body) for n in index.under(value, ir.Call)}
        if id(site.call) not in bound:
            continue  # no name is bound from it: `flow_names` would hold nothing
        if holders is None:  # every bound call's flow in one walk: `flow_names(body, set(), is that call)` each
            holders = flow_origins(function.body, sources={key: key for key in bound}, index=index)
        held = {name for name, calls in holders.items() if id(site.call) in calls}
        if any(_hands_out(r, site.call, held, index) for r in returned):
            yield callee, site.call


def _read_whole(function: ir.Function, view: FunctionView, call: ir.Call, index: FileIndex) -> bool:
    """Does the handler read every row `call` returns? It iterates the result itself or a local bound
    to exactly it (a comprehension, a `for`, `list(...)`, `Serializer(..., many=True)`, a method chain
    ending in `.all()`: `clinic_query(Event).order_by(...).all()`), not a slice
    of it (`rows[:50]`) nor only its size (`len(rows)`, `.count()`)."""
    names = {name for name, value in view.assigns.items()
             if (value.value if isinstance(value, ir.Await) else value) is call}

    def rows(expr: ir.Expr | None) -> bool:
        node = expr.value if isinstance(expr, ir.Await) else expr
        return node is call or (isinstance(node, ir.Name) and node.id in names)

    for stmt in index.walk_stmts(function.body):
        if isinstance(stmt, ir.For) and rows(stmt.iter):
            return True
        for node in index.stmt_nodes(stmt):
            if isinstance(node, ir.Comprehension) and node.iters and rows(node.iters[0]):
                return True
            if isinstance(node, ir.Call) and node.args and _unbounded_chain(node.args[0], rows) and (
                    ir.dotted_name(node.func) in ("list", "tuple")
                    or getattr(node.kwarg("many"), "value", None) is True):
                return True
            if isinstance(node, ir.Call) and method_of(node) == "all" and isinstance(node.func, ir.Attr) \
                    and _unbounded_chain(node.func.value, rows):
                return True
    return False


# methods that bound what a query chain reads (a page, one row, a count)
_BOUNDING = frozenset({"limit", "offset", "slice", "paginate", "first", "one", "one_or_none", "get", "count",
                       "exists", "scalar", "first_or_404", "one_or_404", "get_or_404", "fetchmany"})


def _unbounded_chain(current: ir.Expr, rows) -> bool:  # type: ignore[no-untyped-def]
    """`helper(M).filter(...).order_by(...)` (then `.all()`, or inside `list(...)`): the call's rows
    themselves, or a method chain on the call with nothing in it that bounds the rows."""
    while True:
        if rows(current):
            return True
        if isinstance(current, ir.Await):
            current = current.value
        elif isinstance(current, ir.Call) and isinstance(current.func, ir.Attr) \
                and current.func.attr not in _BOUNDING:
            current = current.func.value
        else:
            return False


_AGGREGATES = frozenset({"len", "bool", "sum", "any", "all", "min", "max", "count"})


def _hands_out(expr: ir.Expr, call: ir.Call, held: set[str], index: FileIndex) -> bool:
    """Does the returned value carry the rows, not just their count (`len(rows)`, `bool(rows)`)?
    (`expr` is a returned value: its nodes are a slice of the file index.)"""
    hidden = _hidden(expr, index)
    return any(id(n) not in hidden and (n is call or isinstance(n, ir.Name) and n.id in held)
               for n in index.walk(expr))


def _hidden(expr: ir.Expr, index: FileIndex) -> set[int]:
    """The nodes of `expr` only counted or tested (inside `len(...)`, `bool(...)`), by id."""
    return {id(n) for node in index.under(expr, ir.Call)
            if (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1] in _AGGREGATES
            for arg in node.args for n in ir.walk_expr(arg)}


def _handed_out_nodes(returned: list[ir.Expr], index: FileIndex) -> set[int]:
    """The nodes, by id, some returned value carries and does not only count: `_hands_out(r, call,
    no names)` holds for some `r` exactly when the call is one of them (asked of every call of a body)."""
    out: set[int] = set()
    for expr in returned:
        hidden = _hidden(expr, index)
        out.update(id(n) for n in index.walk(expr) if id(n) not in hidden)
    return out



def _drf_default(module: ir.Module) -> bool | None:
    for stmt in module.body:
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == "REST_FRAMEWORK" for t in stmt.targets) \
                and isinstance(stmt.value, ir.DictExpr):
            return any(const_str(k) == "DEFAULT_PAGINATION_CLASS" for k in stmt.value.keys)
    return None


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding | OpenQuestion]:
    facts = [f for f in per_file.values() if isinstance(f, UnboundedFacts)]
    defaults = {f.default_pagination for f in facts if f.default_pagination is not None}
    models = ModelIndex.of((m for f in facts for m in f.models), [d for f in facts for d in f.derived])
    for fact in facts:
        for finding, query in fact.direct:
            if not models.bounds(query):
                yield finding
    views = {v.qualname: v for f in facts for v in f.views}
    bases = {key: value for f in facts for key, value in f.bases}
    helpers = _through_layers({h.qualname: h for f in facts for h in f.helpers},
                              [w for f in facts for w in f.forwarders], bases)
    # one finding per unlimited query, at the query (the line to change), with every handler that
    # returns its rows as evidence: the helper may also serve callers that only count its rows,
    # and those are not listed
    handed_out: dict[str, list[HelperCall]] = {}
    index = CalleeIndex(helpers.items(), bases)
    for fact in facts:
        for call in fact.calls:
            helper = index.get(call.callee)
            # a helper with an optional window returns every row only to a call leaving it empty
            if helper is not None and call.passed.leaves_open(helper.window) \
                    and all((c.path, c.line) != (call.path, call.line) for c in handed_out.get(helper.qualname, ())):
                handed_out.setdefault(helper.qualname, []).append(call)
    by_query = {h.qualname: h for h in helpers.values()}
    for qualname, calls in sorted(handed_out.items()):
        helper = by_query[qualname]
        if models.bounds(helper.query):
            continue
        if helper.lazy:  # the helper bounds nothing and reads nothing: the handler that reads it all is the line
            for call in sorted((c for c in calls if c.whole), key=lambda c: (c.path, c.line)):
                yield _finding(call.path, call.line, helper.query, helper.name, Confidence.MEDIUM, helper=helper,
                               handlers=(call,), lazy=True)
            continue
        yield _finding(helper.path, helper.line, helper.query, helper.name, Confidence.MEDIUM, helper=helper,
                       handlers=tuple(sorted(calls, key=lambda c: (c.path, c.line))))
    undecided = 0
    for view in views.values():
        if not view.is_list:
            continue
        pagination = _inherited(view, views, lambda v: v.pagination)
        query = _inherited(view, views, lambda v: v.query if v.query and v.query.model != "self" else None)
        if query is None or query.limited or models.bounds(query):
            continue
        # Django's generic list views page only by their own `paginate_by`: REST framework's
        # default pagination class never applies to them
        django = bool(_inherited(view, views, lambda v: v.django_generic))
        if pagination == "none" or (pagination is None and (django or defaults == {False})):
            name = view.qualname.rsplit(".", 1)[-1]
            bases = ", ".join(b.rsplit(".", 1)[-1] for b in view.bases)
            code = paginated_view(f"class {name}({bases}):" if bases else f"class {name}:", query.text, django) \
                if query.text else ""
            yield _finding(view.path, view.line, query, name, Confidence.HIGH, drf=not django, code=code,
                           generic=django)
        elif pagination is None and not defaults:
            undecided += 1
    if undecided and settings.enabled("unbounded-query"):
        yield OpenQuestion(
            f"{undecided} REST framework list view(s) set no pagination_class and no REST_FRAMEWORK settings "
            "were found in the reviewed tree: is DEFAULT_PAGINATION_CLASS set elsewhere?",
            "These views were not reported as unbounded; if no default pagination exists they return every row.",
            "unbounded-query")


def _through_layers(helpers: dict[str, ListHelper], forwarders: list[Forwarder],
                    bases: Mapping[str, tuple[str, ...]]) -> dict[str, ListHelper]:
    """`helpers` plus every service function that hands on a helper's rows, however many layers
    deep (handler -> service -> repository): each stands for the query it forwards."""
    out = dict(helpers)
    changed = True
    while changed:
        changed = False
        index = CalleeIndex(out.items(), bases)
        for forwarder in forwarders:
            found = index.get(forwarder.callee)
            # a forwarder takes no window of its own: what it leaves empty stays empty for every caller
            if forwarder.qualname not in out and found is not None and forwarder.passed.leaves_open(found.window):
                out[forwarder.qualname] = replace(found, window=())
                changed = True
    return out


def _inherited(view: ViewFact, views: Mapping[str, ViewFact], get):  # type: ignore[no-untyped-def]
    current, depth = view, 0
    while current is not None and depth < 6:
        value = get(current)
        if value:
            return value
        current = next((views[b] for b in current.bases if b in views), None)
        depth += 1
    return None


def _query_line(module: ir.Module, function: ir.Function, query: Query) -> str:
    """The line that runs the query: its own, or for raw SQL the `execute` holding the text."""
    if query.orm != "dbapi":
        return module.lines[query.line - 1] if query.line else ""
    for number in range(query.line - 1, function.line - 1, -1):
        text = module.lines[number - 1]
        if "execute(" in text and query.text in text:
            return text
    return ""


def _finding(path: str, line: int, query: Query, where: str, confidence: Confidence, drf: bool = False,
             code: str = "", helper: ListHelper | None = None, handlers: tuple[HelperCall, ...] = (),
             lazy: bool = False, generic: bool = False) -> Finding:
    if generic:
        description = "Set `paginate_by` on the view (a bounded page size); the template reads `page_obj`."
    elif drf:
        description = "Paginate the view (or set DEFAULT_PAGINATION_CLASS and PAGE_SIZE in REST_FRAMEWORK)."
    elif query.orm == "sqlalchemy":
        description = "Take limit/offset parameters with an upper bound and apply them."
    elif query.orm == "dbapi":
        description = "Add ORDER BY ... LIMIT %s OFFSET %s (or keyset pagination) with a bounded page size."
    elif query.orm == "active-record":
        description = ("Take a bounded page from the request and apply it: `.limit(n).offset(k)` (Tortoise), "
                       "`.paginate(page, n)` (peewee).")
    else:
        description = "Paginate: Paginator(qs, 50).get_page(request.GET.get('page')), or slice with a bounded limit."
    fix = Fix(description, code, "python" if code else "")
    model = query.model.removeprefix("related:").rsplit(".", 1)[-1]
    rows = "row" if model.startswith("param:") else f"`{model}` row" if model else "row of the query"
    if helper is None:
        return make_finding(
            "unbounded-query", Location(path, line), f"{where} returns every {rows}, with no limit or pagination",
            _WHY, confidence=confidence, fix=fix, rule=RULE.id, key=f"{where}:{query.model}")
    if lazy:
        handler = handlers[0].handler
        return make_finding(
            "unbounded-query", Location(path, line),
            f"`{handler}` reads every {rows} `{helper.name}` selects, with no limit or pagination",
            f"`{helper.name}` hands back its query unsliced and `{handler}` iterates all of it into the response: "
            + _WHY, confidence=confidence, fix=fix,
            evidence=(TraceStep(Location(helper.path, helper.line), f"`{helper.name}` selects with no limit",
                                helper.query.text),),
            rule=RULE.id, key=f"{handler}:{helper.name}:{query.model}")
    evidence = tuple(TraceStep(Location(call.path, call.line), f"`{call.handler}` returns what `{helper.name}` gives it")
                     for call in handlers)
    names = ", ".join(dict.fromkeys(f"`{call.handler}`" for call in handlers))
    return make_finding(
        "unbounded-query", Location(path, line),
        f"`{helper.name}` loads every {rows} with no limit, and {names} return{'s' if len(handlers) == 1 else ''} "
        "them to the client",
        f"`{helper.name}` takes no limit, offset or page, and {names} hand{'s' if len(handlers) == 1 else ''} "
        "its rows to the response: " + _WHY,
        confidence=confidence, fix=fix, evidence=evidence, rule=RULE.id, key=f"{helper.name}:{query.model}",
    )


RULE = Rule("py-perf-unbounded-query", frozenset({"unbounded-query"}), "python", no_findings,
            collect=collect, combine=combine)
