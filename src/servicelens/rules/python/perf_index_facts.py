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
from servicelens.rules.python._common import const_str
from servicelens.rules.python.perf_common import FunctionView, Site, method_of
from servicelens.rules.python.perf_migrations import Covered, is_migration, migration_indexes
from servicelens.rules.python.perf_models import ModelFact, models_of
from servicelens.rules.python.perf_orm import query_of
from servicelens.taint.scope import ModuleScope

_DJANGO_FILTERS = frozenset({"filter", "exclude", "get", "get_or_create", "update_or_create"})
_SA_FILTERS = frozenset({"where", "filter", "join", "outerjoin", "having"})
_NARROWING = _DJANGO_FILTERS | _SA_FILTERS | frozenset({"filter_by", "get_queryset", "none"})
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


@dataclass(frozen=True, slots=True)
class IndexFacts:
    models: tuple[ModelFact, ...]
    covered: tuple[Covered, ...]  # from migrations / SQL in this file
    sites: tuple[QuerySite, ...]
    entries: tuple[str, ...]  # functions the framework calls per request or per job
    edges: tuple[tuple[str, tuple[str, ...]], ...]  # function -> project functions it calls


def collect_index_facts(module: ir.Module, scope: ModuleScope, views: Iterator[tuple[ir.Function | None, FunctionView]],
                        report_sites: bool) -> IndexFacts:
    if is_migration(module):
        return IndexFacts((), migration_indexes(module), (), (), ())
    sites: list[QuerySite] = []
    entries: list[str] = []
    edges: list[tuple[str, tuple[str, ...]]] = []
    for function, view in views:
        qualified = f"{module.module_name}.{function.qualname}" if function is not None else ""
        hot = _entry_kind(function, scope)
        if hot and function is not None:
            entries.append(qualified)
        if report_sites:
            for site in view.sites:
                sites.extend(_sites_of(site, view, scope, function, module, qualified, hot))
        if function is not None:
            callees = {scope.qualify(ir.dotted_name(s.call.func) or "", function, set()) for s in view.sites}
            kept = tuple(sorted(c for c in callees if c and c != qualified and scope.is_project_candidate(c)))
            if kept:
                edges.append((qualified, kept))
    return IndexFacts(models_of(module, scope), (), tuple(sites), tuple(entries), tuple(edges))


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
    call, method = site.call, method_of(site.call)
    if site.loop is not None and not hot:
        hot = "loop"
    text = module.line_text(call.line)

    def row(model: str, column: str, lookup: str, how: str) -> QuerySite:
        return QuerySite(model, column, lookup, how, module.path, call.line, qualified, hot, text)

    if method in _DJANGO_FILTERS or method == "filter_by":
        query = query_of(call, view, scope, function, module) if _kwarg_filters(call) else None
        if query is not None and not query.model.startswith(("related:", "self")):
            for name in _kwarg_filters(call):
                column, _, lookup = name.partition("__")
                yield row(query.model, column, lookup, "filter")
    if method in _SA_FILTERS:
        for model, column, lookup in _sa_columns(call.args):
            yield row(_qualified(model, scope, function), column, lookup, "join" if "join" in method else "filter")
    if method == "order_by" and _unfiltered(call):
        yield from _order_sites(call, view, scope, function, module, row)


def _kwarg_filters(call: ir.Call) -> list[str]:
    """Column lookups in keyword filters, including those inside `Q(...)` arguments."""
    names = [kw.name for kw in call.kwargs if kw.name and kw.name not in ("defaults", "create_defaults")]
    for arg in call.args:
        for node in ir.walk_expr(arg):
            if isinstance(node, ir.Call) and (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1] == "Q":
                names.extend(kw.name for kw in node.kwargs if kw.name)
    return names


def _sa_columns(args: tuple[ir.Expr, ...]) -> Iterator[tuple[str, str, str]]:
    """`Model.col == x`, `Model.col.in_(...)`, `func.lower(Model.col) == x` in where/filter/join clauses."""
    for arg in args:
        for node in ir.walk_expr(arg):
            if isinstance(node, ir.Compare) and len(node.ops) == 1 and node.ops[0] in _SA_COMPARE:
                for side in (node.left, node.comparators[0]):
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


def _unfiltered(call: ir.Call) -> bool:
    """An `order_by` whose chain starts at the model with no filter: the sort covers the whole table."""
    node: ir.Expr = call.func.value if isinstance(call.func, ir.Attr) else call
    while True:
        if isinstance(node, ir.Subscript):
            node = node.value
        elif isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
            if node.func.attr in _NARROWING:
                return False
            node = node.func.value
        elif isinstance(node, ir.Call):
            return (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1] == "select"
        elif isinstance(node, ir.Attr):
            return node.attr in ("objects", "query")
        else:
            return False


def _order_sites(call: ir.Call, view: FunctionView, scope: ModuleScope, function: ir.Function | None,
                 module: ir.Module, row) -> Iterator[QuerySite]:  # type: ignore[no-untyped-def]
    query = None
    for arg in call.args:
        text = const_str(arg)
        if text:
            query = query or query_of(call, view, scope, function, module)
            if query is not None and query.orm == "django" and not query.model.startswith(("related:", "self")):
                yield row(query.model, text.lstrip("-?"), "", "order")
            continue
        node = arg.func.value if isinstance(arg, ir.Call) and method_of(arg) in ("desc", "asc") else arg
        if isinstance(arg, ir.Call) and (ir.dotted_name(arg.func) or "") in ("desc", "asc", "sa.desc") and arg.args:
            node = arg.args[0]
        found = _model_column(node)
        if found:
            yield row(_qualified(found[0], scope, function), found[1], "", "order")


def _qualified(name: str, scope: ModuleScope, function: ir.Function | None) -> str:
    return scope.qualify(name, function, set()) or name
