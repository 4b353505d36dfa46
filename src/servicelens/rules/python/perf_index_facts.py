"""Per-file facts for the missing-index rule: which columns the code filters, joins or
orders on, where, and whether that code runs per request (or per item, or in a task).

The model that declares a column usually lives in another file than the query, and the
handler that makes the query hot may call it through a helper in a third; so the facts
are small frozen rows joined in `combine`: query sites, entry points and call edges.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from servicelens import ir
from servicelens.analysis.dispatch_tables import dispatched
from servicelens.analysis.file_index import file_index
from servicelens.rules.python._common import const_str
from servicelens.rules.python._project_calls import callee_name
from servicelens.rules.python.perf_common import FunctionView, Site, method_of
from servicelens.rules.python.perf_migrations import Covered, is_migration, migration_indexes
from servicelens.rules.python.perf_dialect import configured_dialects
from servicelens.rules.python.perf_models import ModelFact, shared_models
from servicelens.rules.python.perf_orm import query_of
from servicelens.taint.scope import ModuleScope

_DJANGO_FILTERS = frozenset({"filter", "exclude", "get", "get_or_create", "update_or_create"})
_SA_FILTERS = frozenset({"where", "filter", "join", "outerjoin", "having"})
_QUERY_METHODS = _DJANGO_FILTERS | _SA_FILTERS | frozenset({
    "filter_by", "order_by", "first", "last", "exists", "count", "update", "delete", "values", "values_list",
    "all", "one", "one_or_none", "scalar", "scalar_one", "scalar_one_or_none", "limit", "offset", "select_related",
    "prefetch_related", "only", "defer", "using", "distinct", "iterator", "annotate", "select_for_update", "options",
    "exec", "execute", "scalars", "in_bulk", "aggregate",
    # SQLAlchemy's row lock and per-statement options end a select as often as a filter does
    "with_for_update", "execution_options"})
# methods that end a query with a row (or none), not a query another call can narrow further
_ROW_METHODS = frozenset({"first", "last", "get", "one", "one_or_none", "scalar", "scalar_one", "scalar_one_or_none",
                          "get_or_none", "earliest", "latest", "first_or_404", "get_or_404", "one_or_404"})
_SA_COMPARE = frozenset({"==", "<", "<=", ">", ">=", "in"})
_SA_METHODS = frozenset({"in_", "between", "startswith"})
_TASK_DECORATORS = ("task", "shared_task", "actor", "periodic_task", "job", "cron")
_ENTRY_NAMES = frozenset({"perform_mutation", "clean_input", "mutate", "batch_load", "get_queryset", "get_object",
                          "validate", "to_representation", "has_permission", "has_object_permission", "dispatch"})


@dataclass(frozen=True, slots=True)
class QuerySite:
    """A column a query filters (`filter`), joins (`join`) or sorts (`order`) on."""

    model: str  # qualified through imports when possible, else the class name as written
    column: str
    lookup: str  # Django lookup after the column ("iexact", "in", "customer__email" -> "email"); "upper" for lower(x)
    how: str  # filter | join | order
    path: str
    line: int
    function: str  # qualified name of the enclosing function ("" at module level)
    hot: str  # handler | loop | task | "" (decided by reachability in combine)
    text: str  # the source line, for evidence
    peers: tuple[str, ...] = ()  # every "model.column" the same query narrows on: one indexed peer is enough


@dataclass(frozen=True, slots=True)
class IndexFacts:
    models: tuple[ModelFact, ...]
    covered: tuple[Covered, ...]  # from migrations / SQL in this file
    sites: tuple[QuerySite, ...]
    entries: tuple[tuple[str, str], ...]  # (function, "handler" | "task"): run per request or per job
    edges: tuple[tuple[str, tuple[str, ...]], ...]  # function -> project functions it calls
    dialects: frozenset[str] = frozenset()  # databases this module configures a connection for (perf_dialect)


def collect_index_facts(module: ir.Module, scope: ModuleScope, views: Iterator[tuple[ir.Function | None, FunctionView]],
                        report_sites: bool) -> IndexFacts:
    if is_migration(module):
        return IndexFacts((), migration_indexes(module, file_index(module, scope)), (), (), ())
    sites: list[QuerySite] = []
    entries: list[tuple[str, str]] = []
    edges: list[tuple[str, tuple[str, ...]]] = []
    project: dict[str, bool] = {}  # package prefix -> could be project code (memo for this module)
    for function, view in views:
        # one object per name (servicelens.names): the summaries and other rules' facts name the same
        # functions, and a shared object is pickled once per batch
        qualified = scope.names(f"{module.module_name}.{function.qualname}") if function is not None else ""
        hot = _entry_kind(function, scope)
        if hot and function is not None:
            entries.append((qualified, hot))
        if report_sites:
            for site in chain_heads(view):
                sites.extend(_sites_of(site, view, scope, function, module, qualified, hot))
        if function is not None:
            kept = _callees(view, scope, function, qualified, project)
            if kept:
                edges.append((qualified, kept))
    return IndexFacts(shared_models(module, scope), (), tuple(sites), tuple(entries), tuple(edges),
                      configured_dialects(module, file_index(module, scope)))


def _callees(view: FunctionView, scope: ModuleScope, function: ir.Function, qualified: str,
             project: dict[str, bool]) -> tuple[str, ...]:
    """Project functions this one calls: `helper()`, `module.helper()`, `self.method()`. Longer
    chains (`X.objects.filter`, `a.b.c.d()`) are library calls and are skipped to stay cheap."""
    raw = {d for s in view.sites if (d := _short_callee(s.call.func))}
    out = set()
    for name in raw:
        callee = scope.qualify(name, function, set())
        if not callee or callee == qualified:
            continue
        prefix = ".".join(callee.split(".")[:2])
        if prefix not in project:
            project[prefix] = scope.is_project_candidate(callee)
        if project[prefix]:
            out.add(scope.names(callee))
    # `self.trips.history(...)` with `self.trips` declared a `PositionRepository`, `svc.board(...)`
    # with `svc: TripService`: the declared type names the method (as the taint engine resolves it);
    # `PaymentRepository(session).by_charge(ref)`: a project class built for this one call
    for site in view.sites:
        receiver = site.call.func.value if isinstance(site.call.func, ir.Attr) else None
        if isinstance(receiver, (ir.Attr, ir.Call)) or isinstance(receiver, ir.Name) and receiver.id not in ("self", "cls"):
            declared = callee_name(site.call, scope, function)
            if declared is not None and declared[1] == 1 and declared[0] != qualified:
                out.add(declared[0])
        # `HANDLERS.get(kind)(session, data)`: every function of the module's dispatch table
        out.update(dispatched(site.call, scope, function, view.assigns))
    return tuple(sorted(out))


def _short_callee(func: ir.Expr) -> str | None:
    if isinstance(func, ir.Name):
        return func.id
    if isinstance(func, ir.Attr) and isinstance(func.value, ir.Name):
        return f"{func.value.id}.{func.attr}"
    return None


def _entry_kind(function: ir.Function | None, scope: ModuleScope) -> str:
    """Is this function run by the framework per request ("handler") or by a job queue ("task")?"""
    if function is None:
        return ""
    if function.qualname in scope.handlers:
        return "handler"
    for decorator in function.decorators:
        name = ir.dotted_name(decorator.func if isinstance(decorator, ir.Call) else decorator) or ""
        if name.rsplit(".", 1)[-1] in _TASK_DECORATORS:
            return "task"
    params = {p.name for p in function.params}
    if function.name in _ENTRY_NAMES or function.name.startswith(("resolve_", "clean_", "validate_")) \
            or params & {"request", "info"}:
        return "handler"
    return ""


def _sites_of(site: Site, view: FunctionView, scope: ModuleScope, function: ir.Function | None, module: ir.Module,
              qualified: str, hot: str) -> Iterator[QuerySite]:
    """The columns one query chain (`X.objects.filter(a=1).exclude(b=2).order_by("c")`) narrows or sorts on."""
    call = site.call
    if site.loop is not None and not hot:
        hot = "loop"
    links = list(_chain(call, view))
    if not links:
        return
    filters: list[tuple[str, str, str, str, int]] = []  # (model, column, lookup, how, line)
    django_call = next((c for c in reversed(links) if method_of(c) in _DJANGO_FILTERS | {"filter_by", "order_by"}), None)
    query = query_of(django_call, view, scope, function, module) if django_call is not None else None
    django_model = query.model if query is not None and not query.model.startswith(("related:", "self")) else ""
    is_django = query is not None and query.orm == "django"
    if is_django and any(_opaque_narrowing(c) or method_of(c) in scope.queryset_methods for c in links):
        # Exists(...)/expressions narrow the rows in ways not judged here; so does a queryset method of
        # the project's (`Payout.objects.for_seller(s)`, frameworks.queryset_methods), whose filter an
        # index of the model may cover with the column sorted on
        return
    for link in links:
        method = method_of(link)
        if django_model and (method == "filter_by" or (is_django and method in _DJANGO_FILTERS)):
            filters.extend((django_model, column, lookup, "filter", link.line)
                           for column, lookup in _kwarg_filters(link))
        if method in _SA_FILTERS:
            how = "join" if "join" in method else "filter"
            filters.extend((_qualified(m, scope, function), c, lk, how, link.line) for m, c, lk in _sa_columns(link.args))
    peers = tuple(dict.fromkeys(f"{m}.{c}" for m, c, _lk, _h, _l in filters))
    for model, column, lookup, how, line in filters:
        yield QuerySite(model, column, lookup, how, module.path, line, qualified, hot, module.line_text(line), peers)
    if not filters and _unfiltered(links[-1]):
        for link in links:
            if method_of(link) == "order_by":
                for model, column in _order_columns(link, django_model, scope, function):
                    yield QuerySite(model, column, "", "order", module.path, link.line, qualified, hot,
                                    module.line_text(link.line), ())


def _chain(call: ir.Call, view: FunctionView, depth: int = 0) -> Iterator[ir.Call]:
    """The method calls of the query chain `call` ends, outermost first; through one variable
    (`qs = X.objects.filter(...)`; `qs.filter(...)`) so narrowing done earlier is seen."""
    node: ir.Expr = call
    while True:
        if isinstance(node, ir.Subscript):
            node = node.value
        elif isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
            yield node
            node = node.func.value
        elif isinstance(node, ir.Name) and depth < 3 and node.id in view.assigns:
            yield from _chain_expr(view.assigns[node.id], view, depth + 1)
            return
        else:
            return


def _chain_expr(expr: ir.Expr, view: FunctionView, depth: int) -> Iterator[ir.Call]:
    if isinstance(expr, ir.Call):
        yield from _chain(expr, view, depth)


def chain_heads(view: FunctionView) -> Iterator[Site]:
    """Call sites that end a method chain (not the receiver of another call in the chain), leaving
    out a query stored in a variable that a later chain continues (that chain covers it)."""
    inner = {id(s.call.func.value) for s in view.sites if isinstance(s.call.func, ir.Attr)}
    # a stored query a later query method continues (`qs.filter(...)`); not a row the query returned
    # (`ticket = X.objects.filter(code=c).first()` then `ticket.save()`: the lookup stands on its own)
    continued = {id(stored) for s in view.sites if isinstance(r := s.call.func, ir.Attr)
                 and isinstance(r.value, ir.Name) and (stored := view.assigns.get(r.value.id)) is not None
                 and method_of(s.call) in _QUERY_METHODS
                 and not (isinstance(stored, ir.Call) and method_of(stored) in _ROW_METHODS)}
    for site in view.sites:
        if id(site.call) not in inner and id(site.call) not in continued and method_of(site.call) in _QUERY_METHODS:
            yield site


def _opaque_narrowing(call: ir.Call) -> bool:
    if method_of(call) not in _DJANGO_FILTERS:
        return False
    return any(kw.name is None for kw in call.kwargs) or any(not (isinstance(a, ir.Call) and (ir.dotted_name(a.func) or "").rsplit(".", 1)[-1] == "Q")
               for a in call.args)


def _kwarg_filters(call: ir.Call) -> list[tuple[str, str]]:
    """(column, lookup) of keyword filters, including those inside `Q(...)` arguments; filters an
    index cannot serve (against another column `F()`, `None`, a numeric threshold) are left out."""
    keywords = [kw for kw in call.kwargs if kw.name and kw.name not in ("defaults", "create_defaults")]
    for arg in call.args:
        for node in ir.walk_expr(arg):
            if isinstance(node, ir.Call) and (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1] == "Q":
                keywords.extend(kw for kw in node.kwargs if kw.name)
    out = []
    for kw in keywords:
        column, _, lookup = (kw.name or "").partition("__")
        if not _unselective(kw.value, lookup):
            out.append((column, lookup))
    return out


def _unselective(value: ir.Expr, lookup: str) -> bool:
    if isinstance(value, (ir.DictExpr, ir.Seq)) and lookup != "in":
        return True  # JSON / array containment: not a B-tree lookup
    if isinstance(value, ir.Const):  # None, True, 0: a status-like constant matches many rows
        return value.value is None or isinstance(value.value, (bool, int, float))
    return isinstance(value, ir.Call) and (ir.dotted_name(value.func) or "").rsplit(".", 1)[-1] in (
        "F", "ExpressionWrapper", "Coalesce", "Sum", "Count")


def _sa_columns(args: tuple[ir.Expr, ...]) -> Iterator[tuple[str, str, str]]:
    """`Model.col == x`, `Model.col.in_(...)`, `func.lower(Model.col) == x` in where/filter/join clauses."""
    for arg in args:
        for node in ir.walk_expr(arg):
            if isinstance(node, ir.Compare) and len(node.ops) == 1 and node.ops[0] in _SA_COMPARE:
                other = node.comparators[0]
                if _unselective(other, {"<": "lt", ">": "gt", "<=": "lte", ">=": "gte"}.get(node.ops[0], "")):
                    continue
                for side in (node.left, other):
                    found = _model_column(side)
                    if found:
                        yield found
            elif isinstance(node, ir.Call) and method_of(node) in _SA_METHODS:
                found = _model_column(node.func.value)  # type: ignore[union-attr]
                if found:
                    yield found


def _model_column(expr: ir.Expr) -> tuple[str, str, str] | None:
    lookup = ""
    if isinstance(expr, ir.Call) and (ir.dotted_name(expr.func) or "").rsplit(".", 1)[-1] in ("lower", "upper") \
            and expr.args:
        expr, lookup = expr.args[0], "upper"
    if isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Name) and expr.value.id[:1].isupper() \
            and not expr.attr.startswith("_") and expr.attr[:1].islower():
        return expr.value.id, expr.attr, lookup
    return None


def _unfiltered(innermost: ir.Call) -> bool:
    """Does the chain start at the model itself (`X.objects...`, `select(X)`, `X.query`)? Then an
    unfiltered `order_by` sorts the whole table."""
    node = innermost.func.value if isinstance(innermost.func, ir.Attr) else innermost
    if isinstance(node, ir.Call):
        return (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1] == "select"
    return isinstance(node, ir.Attr) and node.attr in ("objects", "query")


def _order_columns(call: ir.Call, django_model: str, scope: ModuleScope,
                   function: ir.Function | None) -> Iterator[tuple[str, str]]:
    for arg in call.args:
        text = const_str(arg)
        if text:
            if django_model and "__" not in text:
                yield django_model, text.lstrip("-?")
            continue
        node = arg.func.value if isinstance(arg, ir.Call) and method_of(arg) in ("desc", "asc") else arg
        if isinstance(arg, ir.Call) and (ir.dotted_name(arg.func) or "").rsplit(".", 1)[-1] in ("desc", "asc") \
                and arg.args:
            node = arg.args[0]
        found = _model_column(node)
        if found:
            yield _qualified(found[0], scope, function), found[1]


def _qualified(name: str, scope: ModuleScope, function: ir.Function | None) -> str:
    return scope.qualify(name, function, set()) or name
