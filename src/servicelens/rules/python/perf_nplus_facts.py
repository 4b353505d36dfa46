"""Per-file facts for the N+1 rule: loops over query results and what their bodies touch,
what each function touches on its parameters, DRF serializers and list views.

The per-item access often lives in another file than the loop (a helper, a serializer), so
the rule collects these small facts in every file and joins them in `combine`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.rules.python._common import const_str
from servicelens.rules.python._loop_bounds import bounded_iterable
from servicelens.rules.python.perf_common import FunctionView, Loop, PerfContext, method_of, project_callee
from servicelens.rules.python.perf_eager_lists import EagerFacts, collect_eager
from servicelens.rules.python.perf_models import ModelFact, shared_models
from servicelens.rules.python.perf_orm import Query, chain_loaded, django_loaded, query_of
from servicelens.taint.scope import ModuleScope

Access = tuple[str, str, int]  # (relation attribute, what is done with it, line)
_UNWRAP = frozenset({"enumerate", "list", "sorted", "reversed", "tuple", "iter"})
_MANY_FIELDS = frozenset({"PrimaryKeyRelatedField", "StringRelatedField", "SlugRelatedField",
                          "HyperlinkedRelatedField"})


@dataclass(frozen=True, slots=True)
class LoopFact:
    path: str
    line: int
    query: Query
    accesses: tuple[Access, ...]
    calls: tuple[tuple[str, int, int], ...]  # (callee, argument position, line)
    end_line: int = 0
    # a loop over a project helper's result: the queries its positional arguments are, for a
    # helper that hands back the rows of the query it is given (`for i in chunked(qs)`)
    arguments: tuple[Query | None, ...] = ()
    # a loop over a parameter's related rows (`for rel in obj.tags.all()` in `get_tags(self, obj)`):
    # the function and the parameter's position (as in `params`); "" when the owner is no parameter
    owner: tuple[str, int] = ("", 0)


@dataclass(frozen=True, slots=True)
class SerializerFact:
    qualname: str
    model: str
    relations: tuple[Access, ...]  # ("customer", "deref" | "all", line)
    methods: tuple[str, ...]  # qualified get_<field> methods (obj is their first parameter)
    path: str


@dataclass(frozen=True, slots=True)
class ViewFact:
    qualname: str
    path: str
    line: int
    serializer: str
    query: Query | None
    extra_loaded: frozenset[str]  # relations loaded anywhere in get_queryset
    pagination: str  # "" not set here, "set", "none" (explicitly disabled)
    is_list: bool
    bases: tuple[str, ...]
    # derives directly from one of Django's own generic views (`ListView`): pages only by its
    # `paginate_by`, whatever REST framework's settings say
    django_generic: bool = False
    # the class `get_serializer_class()` returns for `self.action == "list"` ("" none): only what
    # it reads too is read per listed row
    list_serializer: str = ""


@dataclass(frozen=True, slots=True)
class NPlusOneFacts:
    models: tuple[ModelFact, ...]
    loops: tuple[LoopFact, ...]
    params: tuple[tuple[str, str, tuple[tuple[int, str, str, int], ...]], ...]  # (function, path, (pos, attr, sub, line))
    serializers: tuple[SerializerFact, ...]
    views: tuple[ViewFact, ...]
    serializer_calls: tuple[tuple[str, Query, str, int], ...]  # (serializer, query, path, line)
    # functions and methods that return a query's rows (repositories, services): qualname -> query
    helpers: tuple[tuple[str, Query], ...] = ()
    # functions that return the rows of the query handed at a position (`return qs.iterator()`)
    passthroughs: tuple[tuple[str, int], ...] = ()
    # eager-loading lists classes declare, the methods applying them, and who calls those (perf_eager_lists)
    eager: EagerFacts | None = None


def collect_facts(module: ir.Module, scope: ModuleScope) -> NPlusOneFacts:
    ctx = PerfContext.shared(module, scope)
    loops: list[LoopFact] = []
    params = []
    calls: list[tuple[str, Query, str, int]] = []
    for function, view in ctx.bodies():
        outer: list[tuple[Loop, frozenset[str]]] = []  # enclosing loops and what their rows have loaded
        for loop in view.loops:
            fact = _loop_fact(module, scope, function, view, loop)
            if fact is not None:
                fact = _with_outer_prefetch(fact, [paths for o, paths in outer
                                                   if o.line <= loop.line <= max(o.end_line, o.line)])
                loops.append(fact)
            # a loop over rows the rule does not follow (a queryset handed in as a parameter) still
            # prefetches for the loops inside it: `queryset.prefetch_related("tasks__owner")`
            outer.append((loop, fact.query.loaded if fact is not None
                          else frozenset(chain_loaded(loop.iter, module, view)) if loop.iter is not None
                          else frozenset()))
        if function is not None:
            accessed = _param_accesses(function, view)
            if accessed:
                params.append((f"{module.module_name}.{function.qualname}", module.path, accessed))
        calls.extend(_serializer_calls(module, scope, function, view))
    serializers, views = view_classes(module, scope, ctx)
    return NPlusOneFacts(shared_models(module, scope), tuple(loops), tuple(params), serializers, views, tuple(calls),
                         tuple(_query_helpers(module, scope, ctx)), tuple(_passthrough_helpers(module, scope)),
                         collect_eager(module, scope))


# what a query still is after these: the same rows, no relation loaded on the way
_SAME_ROWS = frozenset({"iterator", "all", "filter", "exclude", "order_by", "distinct", "using", "reverse"})


def _passthrough_helpers(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[str, int]]:
    """`def queryset_iterator(queryset, chunksize=100): return queryset.iterator(chunk_size=chunksize)`:
    a module-level function whose every return hands back the rows of a parameter, unchanged or
    narrowed; a loop over its result iterates the query it was given, in whichever file."""
    for function in module.functions:
        if function.class_name is not None or function.parent is not None:
            continue
        positions = {p.name: i for i, p in enumerate(function.params) if p.kind == "positional"}
        returned = {_rows_of(stmt.value) for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.Return)}
        if len(returned) == 1 and (name := next(iter(returned))) in positions:
            yield f"{scope.name}.{function.qualname}", positions[name]


def _rows_of(expr: ir.Expr | None) -> str:
    """The parameter a returned expression is the rows of (`qs`, `qs.iterator()`, `qs.filter(...)`), or ""."""
    while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr in _SAME_ROWS:
        expr = expr.func.value
    return expr.id if isinstance(expr, ir.Name) else ""


HELPER_PREFIX = "helper:"


def _query_helpers(module: ir.Module, scope: ModuleScope, ctx: PerfContext) -> Iterator[tuple[str, Query]]:
    """`def recent_orders(self, customer_id): return self.session.query(Order)...all()`: a loop over
    what it returns iterates that query's rows, in whichever file the loop is."""
    for function in module.functions:
        if "<locals>" in function.qualname:
            continue
        view = ctx.view(function)
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Return) and stmt.value is not None:
                query = query_of(stmt.value, view, scope, function, module)
                if query is not None and query.model not in ("", "self") and not query.model.startswith("related:"):
                    yield f"{scope.name}.{function.qualname}", query
                    break


def _loop_fact(module: ir.Module, scope: ModuleScope, function: ir.Function | None, view: FunctionView,
               loop: Loop) -> LoopFact | None:
    if loop.iter is None or not loop.targets:
        return None
    if bounded_iterable(loop.iter, module, function, index=file_index(module, scope), one_objects_rows=False):
        return None  # a query filtered to one primary key: one row, one lazy load
    source = loop.iter
    if isinstance(source, ir.Call) and ir.dotted_name(source.func) in _UNWRAP and source.args:
        source = source.args[0]
    query = query_of(source, view, scope, function, module)
    if query is None and isinstance(source, ir.Name) and isinstance(view.assigns.get(source.id), (ir.Call, ir.Await)):
        source = view.assigns[source.id]  # `rows = repo.recent_transfers(...)` then `for t in rows`
    if query is None and isinstance(source, ir.Await):
        source = source.value  # `for trip in await self.trips.active(...)`
    if query is None and isinstance(source, ir.Call) and function is not None:
        callee = project_callee(source, view, scope, function)  # `for t in repo.recent_transfers(...)`
        if callee is None:
            return None
        # what the loop's chain loads on top of the helper's rows (`qs = rows_of(p); qs = qs.prefetch_related(...)`)
        query = Query("helper", HELPER_PREFIX + callee, frozenset(chain_loaded(loop.iter, module, view)), False,
                      source.line, "")
        arguments = tuple(query_of(arg, view, scope, function, module) for arg in source.args)
    else:
        arguments = ()
    if query is None:
        return None
    var = sorted(loop.targets)[0] if len(loop.targets) == 1 else _last_target(loop)
    inside = _inside(loop)
    accesses = tuple(_accesses_of(view, {var: 0}, inside))
    out_calls = []
    for site in view.sites:
        if not inside(site.call.line):
            continue
        method = _row_method(site.call, var)
        if method:
            out_calls.append((ROW_METHOD_PREFIX + method, SELF_POSITION, site.call.line))
        for position, arg in enumerate(site.call.args):
            if isinstance(arg, ir.Name) and arg.id == var:
                callee = scope.qualify(ir.dotted_name(site.call.func) or "", function, set())
                if callee:
                    out_calls.append((callee, position, site.call.line))
    return LoopFact(module.path, loop.line, query, tuple((a, s, line) for _, a, s, line in accesses), tuple(out_calls),
                    loop.end_line, arguments, _parameter_owner(module, function, query, source))


def _parameter_owner(module: ir.Module, function: ir.Function | None, query: Query,
                     source: ir.Expr) -> tuple[str, int]:
    """`obj.tags.all()` with `obj` a parameter of the function: (function, position), positions
    counted as `_param_accesses` counts them (`self`/`cls` left out)."""
    if function is None or not query.model.startswith("related:"):
        return ("", 0)
    node = source
    while isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
        node = node.func.value
    if not (isinstance(node, ir.Attr) and isinstance(node.value, ir.Name)):
        return ("", 0)
    names = [p.name for p in function.params if p.kind == "positional"]
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    if node.value.id not in names:
        return ("", 0)
    return (f"{module.module_name}.{function.qualname}", names.index(node.value.id))


def _with_outer_prefetch(fact: LoopFact, enclosing: list[frozenset[str]]) -> LoopFact:
    """`for line in qs.prefetch_related("allocations__stock")` then `for a in line.allocations.all()`:
    the inner rows already have `stock` loaded by the outer query's prefetch path."""
    if not fact.query.model.startswith("related:"):
        return fact
    relation = fact.query.model.split(":", 1)[1] + "__"
    extra = {p[len(relation):] for paths in enclosing for p in paths if p.startswith(relation)}
    if not extra:
        return fact
    q = fact.query
    return LoopFact(fact.path, fact.line, Query(q.orm, q.model, q.loaded | extra, q.limited, q.line, q.text),
                    fact.accesses, fact.calls, fact.end_line, fact.arguments, fact.owner)


# a method of the row's own model called per row (`order.total()`, `Order.total(order)`): what it
# does to `self` is done once per row; the model is known in `combine`, from the loop's query
ROW_METHOD_PREFIX = "row-method:"
SELF_POSITION = -1


def _row_method(call: ir.Call, var: str) -> str:
    func = call.func
    if not isinstance(func, ir.Attr) or func.attr.startswith("__"):
        return ""
    if isinstance(func.value, ir.Name) and func.value.id == var:
        return func.attr
    first = call.args[0] if call.args else None
    if isinstance(first, ir.Name) and first.id == var and isinstance(func.value, ir.Name) \
            and func.value.id[:1].isupper():
        return func.attr  # `Book.json(book)`: the method called through its class
    return ""


def _last_target(loop: Loop) -> str:
    return sorted(loop.targets)[-1]


def _inside(loop: Loop):  # type: ignore[no-untyped-def]
    return lambda line: loop.line <= line <= max(loop.end_line, loop.line)


def _accesses_of(view: FunctionView, names: dict[str, int], inside) -> list[tuple[int, str, str, int]]:  # type: ignore[no-untyped-def]
    """`name.rel.sub` accesses (and `for x in name.rel`) as (position, rel, sub, line)."""
    out = []
    # `counterparty = transfer.destination` then `counterparty.owner`: the alias stands for the relation
    aliases = {alias: (names[value.value.id], value.attr) for alias, value in view.assigns.items()
               if isinstance(value, ir.Attr) and isinstance(value.value, ir.Name) and value.value.id in names
               and alias.isidentifier() and alias not in names and not value.attr.startswith("_")}
    for attr, _loop in view.attrs:
        inner = attr.value
        if isinstance(inner, ir.Attr) and inner.attr == "awaitable_attrs" and isinstance(inner.value, ir.Name) \
                and inner.value.id in names and inside(attr.line):
            out.append((names[inner.value.id], attr.attr, "", attr.line))  # `await trip.awaitable_attrs.vehicle`
        elif isinstance(inner, ir.Attr) and isinstance(inner.value, ir.Name) and inner.value.id in names \
                and inside(attr.line) and not inner.attr.startswith("_"):
            out.append((names[inner.value.id], inner.attr, attr.attr, attr.line))
        elif isinstance(inner, ir.Name) and inner.id in aliases and inside(attr.line):
            position, relation = aliases[inner.id]
            out.append((position, relation, attr.attr, attr.line))
    for loop in view.loops:
        it = loop.iter
        if isinstance(it, ir.Attr) and isinstance(it.value, ir.Name) and it.value.id in names and inside(loop.line):
            out.append((names[it.value.id], it.attr, "__iter__", loop.line))
    for site in view.sites:  # `len(shelf.books)`, `sorted(order.lines)`: the whole collection is loaded
        call = site.call
        first = call.args[0] if call.args else None
        if isinstance(call.func, ir.Name) and call.func.id in _CONSUMERS and isinstance(first, ir.Attr) \
                and isinstance(first.value, ir.Name) and first.value.id in names and inside(call.line) \
                and not first.attr.startswith("_"):
            out.append((names[first.value.id], first.attr, "__iter__", call.line))
    return out


_CONSUMERS = frozenset({"len", "list", "tuple", "set", "sorted", "sum", "max", "min", "any", "all", "bool"})


def _param_accesses(function: ir.Function, view: FunctionView) -> tuple[tuple[int, str, str, int], ...]:
    names = [p.name for p in function.params if p.kind == "positional"]
    own = names[0] == "self" and function.class_name is not None if names else False
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    index = {name: i for i, name in enumerate(names) if name not in ("request", "info", "args", "kwargs")}
    if own:
        index["self"] = SELF_POSITION  # for calls of the method on a row of its model
    if not index:
        return ()
    return tuple(_accesses_of(view, index, lambda line: True))


VIEW_SERIALIZER_PREFIX = "view:"


def _serializer_calls(module: ir.Module, scope: ModuleScope, function: ir.Function | None,
                      view: FunctionView) -> list[tuple[str, Query, str, int]]:
    """`OrderSerializer(qs, many=True)`, and in a view's method `self.get_serializer(qs, many=True)`
    (the view's `serializer_class`, `view:<view>` until `combine` knows it): reported where the
    query is built, the line that gets the `prefetch_related`, like a view's own queryset."""
    out = []
    for site in view.sites:
        call = site.call
        name = ir.dotted_name(call.func) or ""
        own = name == "self.get_serializer" and function is not None and function.class_name is not None
        if not (name.endswith("Serializer") or own) or not _is_true(call.kwarg("many")):
            continue
        data = call.arg(0, "instance")
        query = query_of(data, view, scope, function, module) if data is not None else None
        if query is None:
            continue
        if own:
            out.append((f"{VIEW_SERIALIZER_PREFIX}{module.module_name}.{function.class_name}", query, module.path,
                        query.line or call.line))
        else:
            out.append((scope.qualify(name, function, set()) or name, query, module.path, call.line))
    return out


def view_classes(module: ir.Module, scope: ModuleScope, ctx: PerfContext) -> tuple[tuple[SerializerFact, ...], tuple[ViewFact, ...]]:
    serializers, views = [], []
    by_name = {c.qualname: c for c in module.classes}
    functions = {f.qualname: f for f in module.functions}
    for cls in module.classes:
        attrs = {t.id: s for s in cls.body if isinstance(s, ir.Assign) and s.value is not None
                 for t in s.targets if isinstance(t, ir.Name)}
        bases = " ".join(ir.dotted_name(b) or "" for b in cls.bases)
        qualname = f"{module.module_name}.{cls.qualname}"
        if "Serializer" in bases:
            serializers.append(_serializer(module, scope, cls, by_name.get(f"{cls.qualname}.Meta"), qualname))
        if "serializer_class" in attrs or "queryset" in attrs or "pagination_class" in attrs or "View" in bases \
                or "paginate_by" in attrs:
            views.append(_view_fact(module, scope, cls, attrs, functions, qualname, ctx))
    return tuple(serializers), tuple(views)


def _serializer(module: ir.Module, scope: ModuleScope, cls: ir.ClassDef, meta: ir.ClassDef | None,
                qualname: str) -> SerializerFact:
    model = ""
    for stmt in meta.body if meta else ():
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == "model" for t in stmt.targets):
            model = scope.qualify(ir.dotted_name(stmt.value) or "", None, set()) or "" if stmt.value else ""
    relations, methods = [], []
    for stmt in cls.body:
        if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Call) or not stmt.targets:
            continue
        field = getattr(stmt.targets[0], "id", "")
        call = stmt.value
        kind = (ir.dotted_name(call.func) or "").rsplit(".", 1)[-1]
        source = const_str(call.kwarg("source")) or ""
        if kind == "SerializerMethodField":
            method = const_str(call.arg(0, "method_name")) or f"get_{field}"
            methods.append(f"{module.module_name}.{cls.qualname}.{method}")
        elif _reads_key_column(kind, call, source):
            continue
        elif kind.endswith("Serializer") or kind in _MANY_FIELDS:
            relations.append((source.split(".")[0] or field, "all" if _is_true(call.kwarg("many")) else "deref", stmt.line))
        elif "." in source and source != "*":
            relations.append((source.split(".")[0], "deref", stmt.line))
    return SerializerFact(qualname, model, tuple(relations), tuple(methods), module.path)


def _reads_key_column(kind: str, call: ir.Call, source: str) -> bool:
    """DRF serialises a single primary-key (or pk-hyperlinked) related field from the row's own
    `<field>_id` column (`use_pk_only_optimization`): no query per row. `many=True` reads the
    related rows, and a dotted `source` dereferences the relations on its way."""
    if _is_true(call.kwarg("many")) or "." in source:
        return False
    if kind == "PrimaryKeyRelatedField":
        return True
    return kind == "HyperlinkedRelatedField" and (const_str(call.kwarg("lookup_field")) or "pk") == "pk"


def _view_fact(module: ir.Module, scope: ModuleScope, cls: ir.ClassDef, attrs: dict[str, ir.Assign],
               functions: dict[str, ir.Function], qualname: str, ctx: PerfContext) -> ViewFact:
    serializer = ""
    if "serializer_class" in attrs and attrs["serializer_class"].value is not None:
        raw = ir.dotted_name(attrs["serializer_class"].value) or ""
        serializer = scope.qualify(raw, None, set()) or raw
    chooser = functions.get(f"{cls.qualname}.get_serializer_class")
    listed = _list_action_serializer(chooser) if chooser is not None else ""
    listed = (scope.qualify(listed, chooser, set()) or listed) if listed and chooser is not None else ""
    query, line, extra = None, cls.line, set()
    if "queryset" in attrs and attrs["queryset"].value is not None:
        query = query_of(attrs["queryset"].value, None, scope, None, module)
        line = attrs["queryset"].line
    getter = functions.get(f"{cls.qualname}.get_queryset")
    if getter is not None:
        view = ctx.view(getter)
        declared_loads = frozenset(chain_loaded(attrs["queryset"].value, module, None)) \
            if "queryset" in attrs and attrs["queryset"].value is not None else frozenset()
        query, line = _getter_query(module, scope, getter, view, query, line, declared_loads)
        for site in view.sites:
            if method_of(site.call) in ("select_related", "prefetch_related"):
                extra.update(django_loaded(site.call, module, view=view) - {"*"})
    bases = tuple(scope.qualify(ir.dotted_name(b) or "", None, set()) or (ir.dotted_name(b) or "") for b in cls.bases)
    names = " ".join(bases)
    own_list = functions.get(f"{cls.qualname}.list")
    # a `list()` of its own that builds its own queryset leaves `queryset`/`get_queryset()` to the
    # single-object actions (retrieve, update, destroy): its serializer call is judged instead
    is_list = ("List" in names or "ModelViewSet" in names or own_list is not None) \
        and (own_list is None or _serves_view_queryset(own_list))
    return ViewFact(qualname, module.path, line, serializer, query, frozenset(extra),
                    _pagination(attrs, f"{cls.qualname}.get_paginate_by" in functions), is_list, bases,
                    any(b.startswith(_DJANGO_GENERIC) for b in bases), listed)


def _list_action_serializer(chooser: ir.Function) -> str:
    """`get_serializer_class()` answering `if self.action == "list": return ListSerializer` (also
    `self.action in ("list", ...)`): the class DRF serialises the list with, whatever
    `serializer_class` says for the other actions."""
    for stmt in ir.walk_stmts(chooser.body):
        if isinstance(stmt, ir.If) and _names_list_action(stmt.test):
            for inner in stmt.body:
                if isinstance(inner, ir.Return) and isinstance(inner.value, (ir.Name, ir.Attr)):
                    return ir.dotted_name(inner.value) or ""
    return ""


def _names_list_action(test: ir.Expr) -> bool:
    if not (isinstance(test, ir.Compare) and len(test.ops) == 1 and ir.dotted_name(test.left) == "self.action"):
        return False
    right = test.comparators[0]
    if test.ops[0] == "==":
        return isinstance(right, ir.Const) and right.value == "list"
    return test.ops[0] == "in" and isinstance(right, ir.Seq) and any(
        isinstance(e, ir.Const) and e.value == "list" for e in right.elts)


def _getter_query(module: ir.Module, scope: ModuleScope, getter: ir.Function, view: FunctionView,
                  declared: Query | None, line: int, declared_loads: frozenset[str] = frozenset()
                  ) -> tuple[Query | None, int]:
    """What `get_queryset()` hands the list: its last return, reported there. A return built on
    `super().get_queryset()` or `self.queryset` keeps what the class's `queryset` loads; an empty
    queryset (`.none()`, the fallback for a missing parameter) serves no rows and decides nothing."""
    found: list[Query] = []
    for stmt in ir.walk_stmts(getter.body):
        if isinstance(stmt, ir.Return) and stmt.value is not None:
            query = query_of(stmt.value, view, scope, getter, module)
            line = stmt.line
            if query is None or _empty_rows(stmt.value, view):
                continue
            if query.model == "self" and declared is not None:
                query = Query(declared.orm, declared.model, declared.loaded | query.loaded,
                              declared.limited or query.limited, query.line, query.text, declared.shape)
            elif query.model == "self":  # a class queryset whose model is spelt `models.Comment`: its loads still hold
                query = Query(query.orm, query.model, query.loaded | declared_loads, query.limited, query.line,
                              query.text, query.shape)
            found.append(query)
    return (found[-1] if found else declared), line


def _empty_rows(expr: ir.Expr, view: FunctionView) -> bool:
    """`Model.objects.none()` (directly or through a local): a queryset of no rows."""
    node = view.assigns.get(expr.id, expr) if isinstance(expr, ir.Name) else expr
    return isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "none"


_DJANGO_GENERIC = "django.views.generic."
# a page size that disables paging: Django's `paginate_by = None` (its default) or 0
_NO_PAGE_SIZE = (None, 0)


def _pagination(attrs: dict[str, ir.Assign], page_size_method: bool) -> str:
    """How the class body pages: DRF's `pagination_class` (`None` disables it), Django's
    `paginate_by` (a literal or a settings value; `None` or 0 disables it) or its
    `get_paginate_by()` override; "" when the body says nothing (a base may)."""
    if "pagination_class" in attrs:
        return "none" if isinstance(attrs["pagination_class"].value, ir.Const) else "set"
    if "paginate_by" in attrs:
        value = attrs["paginate_by"].value
        return "none" if isinstance(value, ir.Const) and value.value in _NO_PAGE_SIZE else "set"
    return "set" if page_size_method else ""


# what a list() calls to serve the view's own queryset (directly, filtered, or DRF's list())
_VIEW_QUERYSET_CALLS = frozenset({"self.get_queryset", "self.filter_queryset"})


def _serves_view_queryset(method: ir.Function) -> bool:
    """The method reads the view's queryset: `self.get_queryset()`, `self.filter_queryset(...)`,
    `self.queryset`, or hands over to DRF's `super().list(...)`."""
    for node in (n for stmt in ir.walk_stmts(method.body) for e in ir.stmt_exprs(stmt) for n in ir.walk_expr(e)):
        if isinstance(node, ir.Call):
            name = ir.dotted_name(node.func) or ""
            if name in _VIEW_QUERYSET_CALLS or (isinstance(node.func, ir.Attr) and node.func.attr == "list"
                                                and isinstance(node.func.value, ir.Call)
                                                and ir.dotted_name(node.func.value.func) == "super"):
                return True
        elif isinstance(node, ir.Attr) and ir.dotted_name(node) == "self.queryset":
            return True
    return False


def _is_true(expr: ir.Expr | None) -> bool:
    return isinstance(expr, ir.Const) and expr.value is True
