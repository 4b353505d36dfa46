"""What an expression queries: Django querysets and SQLAlchemy/SQLModel selects, read off the IR.

The perf rules ask the same questions of a query expression: which model does it return
rows of, which relations did it load eagerly (select_related/prefetch_related,
joinedload/selectinload), is it sliced or limited, does it return model rows at all
(`.values()` returns dicts, `.get()` one object). Answers are plain frozen data so they
can travel from the per-file phase to `combine` in the cache.
"""
from __future__ import annotations

from dataclasses import dataclass

from servicelens import ir
from servicelens.endpoints.request_path_exemptions import module_strings
from servicelens.rules.python.perf_common import FunctionView
from servicelens.taint.scope import ModuleScope

# queryset methods that keep returning model rows
DJANGO_CHAIN = frozenset({"all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "annotate",
                          "distinct", "only", "defer", "using", "reverse", "select_for_update", "alias", "iterator",
                          "union", "none", "active", "visible", "published", "for_user"})
DJANGO_LOAD = frozenset({"select_related", "prefetch_related"})
SA_CHAIN = frozenset({"all", "filter", "filter_by", "where", "order_by", "options", "join", "outerjoin", "scalars",
                      "unique", "group_by", "distinct", "execution_options", "select_from", "params"})
SA_LOAD = frozenset({"joinedload", "selectinload", "subqueryload", "contains_eager", "immediateload"})
LIMITS = frozenset({"limit", "paginate", "first", "one", "one_or_none", "scalar", "scalar_one", "get", "slice",
                    "fetchone", "fetchmany", "offset", "page", "scalar_one_or_none"})
RELATED_ROWS = frozenset({"all", "filter", "exclude", "order_by", "select_related", "prefetch_related"})


@dataclass(frozen=True, slots=True)
class Shape:
    """How a query narrows its rows, for judging how many can come back once the model is known:
    fields compared with one value (`filter(user=u)`; `Model.page_id == pid`, kept as `Model.page`
    since a join may compare another model's column), fields matched
    against a collection written in code (`name__in=Setting.NAMES`), a range closed at both ends
    (`day__range=(a, b)`), and whether the rows come back in an order (`order_by`)."""

    equal: tuple[str, ...] = ()
    keys_in: tuple[str, ...] = ()
    ranged: bool = False
    ordered: bool = False

    def merged(self, other: "Shape") -> "Shape":
        return Shape(tuple(dict.fromkeys(self.equal + other.equal)), tuple(dict.fromkeys(self.keys_in + other.keys_in)),
                     self.ranged or other.ranged, self.ordered or other.ordered)


NO_SHAPE = Shape()


@dataclass(frozen=True, slots=True)
class Query:
    """Rows of `model` (qualified when imports allow; `self` = the view's own queryset;
    `related:<attr>` = the related manager `<x>.<attr>`)."""

    orm: str  # "django" | "sqlalchemy"
    model: str
    loaded: frozenset[str]  # relation paths loaded eagerly; "*" = select_related() with no args
    limited: bool  # sliced, .limit(), paginated
    line: int
    text: str  # the source of the query expression, for fixes
    shape: Shape = NO_SHAPE


def query_of(expr: ir.Expr, view: FunctionView | None, scope: ModuleScope, function: ir.Function | None,
             module: ir.Module, depth: int = 0, as_values: bool = False, class_queries: bool = False) -> Query | None:
    """The query whose rows `expr` evaluates to, or None if it is not a recognised query.
    `as_values`: Django's `.values(...)` / `.values_list(...)` count as the same rows (as dicts or
    tuples): how many rows come back is asked, not whether they are model objects; a count or
    existence check (`.count()`, `.exists()`) then returns no rows at all. `class_queries`:
    a query started on the model class itself (Tortoise `Device.all()`, peewee `Note.select()`)
    counts too; asked only where the number of rows matters, not what a row can lazily load."""
    loaded: set[str] = set()
    limited = False
    methods: list[str] = []
    shape = NO_SHAPE
    node = expr.value if isinstance(expr, ir.Await) else expr
    while True:
        if isinstance(node, ir.Subscript):
            limited = True
            node = node.value
        elif isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in PAGE_OF \
                and _paged_rows(node) is not None:
            limited = True  # one page of the rows handed to the paginator
            node = _paged_rows(node)  # type: ignore[assignment]
        elif as_values and isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) \
                and node.func.attr in VALUE_ROWS:
            node = node.func.value
        elif isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
            method = node.func.attr
            if as_values and method in AGGREGATES:
                return None  # a number, not rows (`Teams.query.count()`, `qs.exists()`): asked with how many rows
            methods.append(method)
            shape = shape.merged(shape_of(node))
            own = scope.queryset_methods.get(method)
            if own is not None:  # the project's `for_seller(s)`: the filter its body writes (frameworks.queryset_methods)
                shape = shape.merged(Shape(own[0], (), own[2], own[1]))
                loaded.update(own[3])  # and what it loads (`return self.prefetch_related("tags")`)
            if method in DJANGO_LOAD:
                loaded.update(django_loaded(node, module, view=view))
            elif method == "options":
                loaded.update(_sa_loaded(node))
            elif method in LIMITS:
                limited = True
            elif method in ("filter", "filter_by", "get_queryset") and any(
                    kw.name in ("id", "pk", "id__in", "pk__in", "uuid", "slug") for kw in node.kwargs):
                limited = True  # bounded by the ids the caller passed
            elif method == "none":
                limited = True  # Django's empty queryset: no row at all
            base = _base(node, method, scope, function, view, loaded) or \
                (_class_query(node, method, scope, function) if class_queries else None)
            if base is not None:
                orm, model, select_limited = base
                if model.startswith(_RELATED) and function is not None:
                    loaded.update(_prefetched_below(node, function, module))
                limited = limited or select_limited
                if orm == "django" and not all(m in DJANGO_CHAIN or m in LIMITS or m == "get_queryset"
                                               or m in scope.queryset_methods for m in methods):
                    return None
                if method in ("execute", "scalars", "exec") and node.args:  # `select(M).where(...)`: its own shape
                    shape = shape.merged(_statement_shape(node.args[0], view, function))
                return Query(orm, model, frozenset(loaded), limited, expr.line, source_of(module, expr), shape)
            if method not in DJANGO_CHAIN and method not in SA_CHAIN and method not in LIMITS \
                    and method not in scope.queryset_methods:  # the project's own (frameworks.queryset_methods)
                return None
            node = node.func.value
        elif isinstance(node, ir.Await):
            node = node.value
        elif isinstance(node, ir.Call) and isinstance(node.func, ir.Name) and node.func.id in ("list", "tuple") \
                and len(node.args) == 1 and not node.kwargs:
            node = node.args[0]  # `list(session.scalars(stmt))`: the same rows, materialised
        elif isinstance(node, ir.Attr) and node.attr == "queryset" and ir.dotted_name(node.value) == "self":
            return Query("django", "self", frozenset(loaded), limited, expr.line, source_of(module, expr), shape)
        elif isinstance(node, ir.Name) and view is not None and depth < 3 and node.id in view.assigns:
            inner = query_of(view.assigns[node.id], view, scope, function, module, depth + 1, as_values,
                             class_queries)
            if inner is None:
                return None
            return Query(inner.orm, inner.model, inner.loaded | loaded, inner.limited or limited, inner.line, inner.text,
                         inner.shape.merged(shape))
        else:
            return None


# methods answering a number or a yes/no about the rows, not the rows
AGGREGATES = frozenset({"count", "exists", "aggregate", "acount", "aexists", "aaggregate"})
# Django lookups that still compare the field itself with one value (`user__exact`, `user__id`, `user__pk`)
_EQUAL_LOOKUPS = frozenset({"exact", "id", "pk"})
_LOWER = frozenset({"gt", "gte"})
_UPPER = frozenset({"lt", "lte"})


def shape_of(call: ir.Call) -> Shape:
    """What one call of a query chain says about its rows (see `Shape`)."""
    method = call.func.attr if isinstance(call.func, ir.Attr) else ""
    if method == "order_by":
        return Shape(ordered=True)
    if method not in ("filter", "filter_by", "where", "get_queryset"):
        return NO_SHAPE
    equal: list[str] = []
    keys_in: list[str] = []
    bounds: dict[str, set[str]] = {}
    for kw in call.kwargs:
        if not kw.name:
            continue
        parts = kw.name.split("__")
        if len(parts) == 1 or (len(parts) == 2 and parts[1] in _EQUAL_LOOKUPS):
            equal.append(_column(parts[0]))
        elif len(parts) == 2 and parts[1] == "in" and _written_in_code(kw.value):
            keys_in.append(parts[0])
        elif len(parts) == 2 and parts[1] == "range":
            bounds[parts[0]] = {"gt", "lt"}
        elif len(parts) == 2 and parts[1] in _LOWER | _UPPER:
            bounds.setdefault(parts[0], set()).add("gt" if parts[1] in _LOWER else "lt")
    for arg in call.args:
        for test in _conjuncts(arg):
            if isinstance(test, ir.Compare) and test.ops == ("==",) and isinstance(test.left, ir.Attr) \
                    and isinstance(test.left.value, ir.Name) and test.left.value.id[:1].isupper():
                equal.append(f"{test.left.value.id}.{_column(test.left.attr)}")  # `Booking.property_id == pid`
    ranged = any(ends == {"gt", "lt"} for ends in bounds.values())
    return Shape(tuple(equal), tuple(keys_in), ranged)


def _column(name: str) -> str:
    return name[:-3] if name.endswith("_id") else name


def _conjuncts(expr: ir.Expr) -> list[ir.Expr]:
    """The tests a filter argument requires together: `a == 1`, `and_(a == 1, b == 2)`, `a & b`."""
    if isinstance(expr, ir.BoolOp) and expr.op == "and":
        return [t for value in expr.values for t in _conjuncts(value)]
    if isinstance(expr, ir.Call) and (ir.dotted_name(expr.func) or "").rsplit(".", 1)[-1] == "and_":
        return [t for arg in expr.args for t in _conjuncts(arg)]
    return [expr]


def _written_in_code(expr: ir.Expr) -> bool:
    """A collection fixed in the source: a literal of constants, or a constant by name
    (`AVAILABLE_NAMES`, `Setting.AVAILABLE_NAMES`)."""
    if isinstance(expr, ir.Seq):
        return all(isinstance(e, ir.Const) for e in expr.elts)
    last = expr.attr if isinstance(expr, ir.Attr) else expr.id if isinstance(expr, ir.Name) else ""
    return last.isupper() and any(c.isalpha() for c in last)


def _statement_shape(statement: ir.Expr, view: FunctionView | None, function: ir.Function | None) -> Shape:
    """The shape of a `select(M).where(...).order_by(...)` statement run by `execute`/`scalars`."""
    shape = NO_SHAPE
    for part in statement_parts(statement, view, function):
        node = part
        while isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
            shape = shape.merged(shape_of(node))
            node = node.func.value
    return shape


def statement_parts(statement: ir.Expr, view: FunctionView | None, function: ir.Function | None
                    ) -> tuple[ir.Expr, ...]:
    """The expressions a statement run by `execute`/`scalars` is built from: its own chain and, when
    that chain starts at a local, what the local holds. A statement built in steps (`stmt =
    select(M).where(...)`, then `if since: stmt = stmt.where(...)`, then `scalars(stmt.order_by(...))`)
    is every binding of the local, down to the one that starts it."""
    parts = [statement]
    root = _chain_root(statement)
    if not (isinstance(root, ir.Name) and view is not None and root.id in view.assigns):
        return tuple(parts)
    last = view.assigns[root.id]
    if _chain_root(last) is not root and not _same_name(_chain_root(last), root.id):
        return (statement, last)
    if function is None:
        return (statement, last)
    parts.extend(stmt.value for stmt in ir.walk_stmts(function.body)
                 if isinstance(stmt, ir.Assign) and stmt.value is not None and stmt.op is None
                 and any(isinstance(t, ir.Name) and t.id == root.id for t in stmt.targets))
    return tuple(parts)


def _chain_root(expr: ir.Expr) -> ir.Expr:
    node = expr
    while isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
        node = node.func.value
    return node


def _same_name(expr: ir.Expr, name: str) -> bool:
    return isinstance(expr, ir.Name) and expr.id == name


# Django queryset methods returning the same rows as dicts or tuples
VALUE_ROWS = frozenset({"values", "values_list"})
# calls that hand back one page of the rows they are given: DRF's `self.paginate_queryset(qs)`
# (and a paginator's `paginate_queryset(qs, request)`), Django's `Paginator(qs, 25).get_page(n)`
PAGE_OF = frozenset({"paginate_queryset", "get_page", "page"})


def _paged_rows(call: ir.Call) -> ir.Expr | None:
    """The rows a pagination call pages through, or None when it is not one."""
    method = call.func.attr if isinstance(call.func, ir.Attr) else ""
    if method == "paginate_queryset" and call.args:
        return call.args[0]
    paginator = call.func.value if isinstance(call.func, ir.Attr) else None
    if method in ("get_page", "page") and isinstance(paginator, ir.Call) and paginator.args \
            and ir.last_name(paginator.func).endswith("Paginator"):
        return paginator.args[0]
    return None


def _base(call: ir.Call, method: str, scope: ModuleScope, function: ir.Function | None,
          view: FunctionView | None, extra: set[str]) -> tuple[str, str, bool] | None:
    """Is this call where a query chain starts? -> (orm, model, limited inside a select())."""
    recv = call.func.value if isinstance(call.func, ir.Attr) else None
    if isinstance(recv, ir.Name) and recv.id == "self" and function is not None and function.class_name \
            and (method in DJANGO_CHAIN or method in LIMITS or method == "get_queryset"):
        model = managed_model(function.class_name, scope)
        if model is not None:
            return "django", model, False
    if isinstance(recv, ir.Attr) and recv.attr in ("objects", "_default_manager", "all_objects") \
            and isinstance(recv.value, ir.Name) and recv.value.id[:1].isupper():
        return "django", _qualified(recv.value.id, scope, function), False
    if method == "get_queryset" and isinstance(recv, (ir.Name, ir.Call)) and \
            (ir.dotted_name(recv) == "self" or (isinstance(recv, ir.Call) and ir.dotted_name(recv.func) == "super")):
        return "django", "self", False
    if method in RELATED_ROWS and isinstance(recv, ir.Attr) and isinstance(recv.value, (ir.Name, ir.Attr)) \
            and not recv.attr.startswith("_") and recv.attr not in ("objects", "query", "session"):
        if recv.attr[:1].islower() and ir.dotted_name(recv.value) not in (None, "self", "cls", "request"):
            return "django", f"related:{recv.attr}", False
    if method == "query" and call.args and isinstance(call.args[0], ir.Name) and call.args[0].id[:1].isupper():
        return "sqlalchemy", _qualified(call.args[0].id, scope, function), False
    if method in ("execute", "scalars", "exec") and call.args:
        parts = statement_parts(call.args[0], view, function)
        model = next((m for m in (_select_model(part, scope, function) for part in parts) if m), None)
        limited = False
        for node in (n for part in parts for n in ir.walk_expr(part)):
            if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
                limited = limited or node.func.attr in LIMITS or _by_keys(node)
                if node.func.attr == "options":
                    extra.update(_sa_loaded(node))
        return ("sqlalchemy", model, limited) if model else None
    if isinstance(recv, ir.Attr) and recv.attr == "query" and isinstance(recv.value, ir.Name) \
            and recv.value.id[:1].isupper():
        return "sqlalchemy", _qualified(recv.value.id, scope, function), False  # Flask-SQLAlchemy Model.query
    return None


# what Django's managers and querysets derive from: inside their methods `self` is the queryset
DJANGO_QUERY_BASES = frozenset({"django.db.models.Manager", "django.db.models.QuerySet",
                                "django.db.models.manager.Manager", "django.db.models.manager.BaseManager",
                                "django.db.models.query.QuerySet"})


def managed_model(class_name: str, scope: ModuleScope) -> str | None:
    """The model a custom manager or queryset class of this module serves, or None.

    Django gives the class its model where a model attaches it (`objects = Manager()`,
    `QuerySet.as_manager()`, `Manager.from_queryset(QuerySet)()`); a class attached by no model
    of this module, or not derived from Django's bases, is not known to query anything."""
    if not is_query_class(class_name, scope):
        return None
    for model in scope.module.classes:
        for stmt in model.body:
            if isinstance(stmt, ir.Assign) and stmt.value is not None and any(
                    isinstance(node, ir.Name) and node.id == class_name for node in ir.walk_expr(stmt.value)):
                return _qualified(model.name, scope, None)
    return None


def is_query_class(class_name: str, scope: ModuleScope) -> bool:
    """A class of this module derived from Django's Manager or QuerySet: its `self.get(...)`,
    `self.filter(...)` are queries, wherever its model is declared."""
    return _derives_from_queries(class_name, {c.name: c for c in scope.module.classes}, scope, 0)


def _derives_from_queries(name: str, classes: dict[str, ir.ClassDef], scope: ModuleScope, depth: int) -> bool:
    cls = classes.get(name)
    if cls is None or depth > 3:
        return False
    for base in cls.bases:
        dotted = ir.dotted_name(base) or ""
        if (scope.qualify(dotted, None, set()) or dotted) in DJANGO_QUERY_BASES \
                or _derives_from_queries(dotted, classes, scope, depth + 1):
            return True
    return False


def _by_keys(call: ir.Call) -> bool:
    """`Vehicle.id.in_(ids)`: bounded by the keys the caller passed, like Django's `pk__in`."""
    func = call.func
    return isinstance(func, ir.Attr) and func.attr == "in_" and isinstance(func.value, ir.Attr) \
        and func.value.attr in ("id", "pk", "uuid")


# active-record ORMs start a query on the model class: Tortoise `Model.all()`/`filter()`/`exclude()`,
# peewee `Model.select()`
CLASS_QUERIES = frozenset({"all", "filter", "exclude", "select"})


def _class_query(call: ir.Call, method: str, scope: ModuleScope, function: ir.Function | None
                 ) -> tuple[str, str, bool] | None:
    recv = call.func.value if isinstance(call.func, ir.Attr) else None
    if method in CLASS_QUERIES and isinstance(recv, ir.Name) and recv.id[:1].isupper() and not recv.id.isupper():
        return "active-record", _qualified(recv.id, scope, function), False
    return _generic_query(call, method, recv, function)


def _generic_query(call: ir.Call, method: str, recv: ir.Expr | None, function: ir.Function | None
                   ) -> tuple[str, str, bool] | None:
    """A query over whatever model the caller passes (`def tenant_query(model): return
    db.session.query(model).filter(...)`, `model.objects.filter(org=...)`): a query all the same, whose
    rows are the caller's model's; asked only where the number of rows matters."""
    params = {p.name for p in function.params} if function is not None else set()
    if method == "query" and call.args and isinstance(call.args[0], ir.Name) and call.args[0].id in params:
        return "sqlalchemy", f"param:{call.args[0].id}", False
    if isinstance(recv, ir.Attr) and recv.attr in ("objects", "_default_manager") and isinstance(recv.value, ir.Name) \
            and recv.value.id in params and method in DJANGO_CHAIN:
        return "django", f"param:{recv.value.id}", False
    return None


def _select_model(expr: ir.Expr, scope: ModuleScope, function: ir.Function | None) -> str | None:
    node = expr
    while isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr != "select":
        node = node.func.value  # down the chain to `select(M)`, `db.select(M)` (Flask-SQLAlchemy 3)
    if isinstance(node, ir.Call) and (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1] == "select" \
            and node.args and isinstance(node.args[0], ir.Name):
        return _qualified(node.args[0].id, scope, function)
    return None


def _qualified(name: str, scope: ModuleScope, function: ir.Function | None) -> str:
    return scope.qualify(name, function, set()) or name


def django_loaded(call: ir.Call, module: ir.Module, args: tuple[ir.Expr, ...] | None = None,
                  view: FunctionView | None = None) -> set[str]:
    """The relation paths one `select_related(...)`/`prefetch_related(...)` call loads."""
    if not call.args and not call.kwargs and isinstance(call.func, ir.Attr) and call.func.attr == "select_related":
        return {"*"}
    out: set[str] = set()
    for arg in call.args if args is None else args:
        out.update(relation_lookups(arg, module, view, 0))
    return out


def relation_lookups(arg: ir.Expr, module: ir.Module, view: FunctionView | None, depth: int) -> set[str]:
    """What one argument of a loading call names: a lookup string, a `Prefetch(...)` object
    (written there or bound to a local first), or `*LOOKUPS`, a module constant."""
    if isinstance(arg, ir.Const) and isinstance(arg.value, str):
        return {arg.value}
    if isinstance(arg, ir.Call) and arg.args and isinstance(arg.args[0], ir.Const):
        return _prefetch_object(arg, str(arg.args[0].value), module, view, depth)
    if isinstance(arg, ir.Starred) and isinstance(arg.value, ir.Name):
        return set(module_strings(module).get(arg.value.id, ()))  # `*PREFETCH_LOOKUPS`, a module constant
    if isinstance(arg, ir.Name) and view is not None and depth < 2 and arg.id in view.assigns:
        return relation_lookups(view.assigns[arg.id], module, view, depth + 1)  # `p = Prefetch(...)`, then `prefetch_related(p)`
    return set()


def _prefetch_object(call: ir.Call, lookup: str, module: ir.Module, view: FunctionView | None, depth: int) -> set[str]:
    """`Prefetch("lines", queryset=Line.objects.select_related("product"), to_attr="line_list")`:
    the lookup, what its queryset loads below it (`lines__product`), and the attribute the rows land on."""
    out = {lookup}
    to_attr = call.kwarg("to_attr")
    if isinstance(to_attr, ir.Const) and isinstance(to_attr.value, str):
        out.add(to_attr.value)
    inner = call.kwarg("queryset") or (call.args[1] if len(call.args) > 1 else None)
    if inner is not None and depth < 3:
        below = chain_loaded(inner, module, view, depth + 1) - {"*"}
        out.update(f"{lookup}__{path}" for path in below)
        if to_attr is not None and isinstance(to_attr, ir.Const):
            out.update(f"{to_attr.value}__{path}" for path in below)
    return out


def chain_loaded(expr: ir.Expr, module: ir.Module, view: FunctionView | None, depth: int = 0) -> set[str]:
    """Every relation path a queryset chain loads, whatever it starts from (a parameter, a helper's
    result): `queryset.prefetch_related("tasks")`, also through earlier bindings of a local
    (`qs = qs.select_related(...)`, kept as one chain by FunctionView)."""
    out: set[str] = set()
    node = expr
    while True:
        if isinstance(node, ir.Subscript):
            node = node.value
        elif isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
            if node.func.attr in DJANGO_LOAD:
                out.update(django_loaded(node, module, view=view))
            node = node.func.value
        elif isinstance(node, ir.Call) and isinstance(node.func, ir.Name) and node.func.id in ("list", "sorted") \
                and node.args:
            node = node.args[0]
        elif isinstance(node, ir.Name) and view is not None and depth < 3 and node.id in view.assigns:
            node, depth = view.assigns[node.id], depth + 1
        else:
            return out


_RELATED = "related:"
_PREFETCH_OBJECTS = "prefetch_related_objects"  # django.db.models: prefetch lookups onto instances in hand


def _prefetched_below(call: ir.Call, function: ir.Function, module: ir.Module) -> set[str]:
    """`prefetch_related_objects([evaluation], "contributions__questionnaires")` earlier in the
    function, then `evaluation.contributions.all()`: the related rows come from the prefetch cache
    with `questionnaires` loaded too (the lookups below the relation, as `prefetch_related` paths)."""
    manager = call.func.value if isinstance(call.func, ir.Attr) else None
    if not isinstance(manager, ir.Attr) or not isinstance(manager.value, ir.Name):
        return set()
    owner, prefix = manager.value.id, manager.attr
    found: set[str] = set()
    for node in _prefetch_calls(function, module):
        if node.line > call.line or not node.args or not _names_instance(node.args[0], owner):
            continue
        found.update(path[len(prefix) + 2:] for path in django_loaded(node, module, node.args[1:])
                     if path.startswith(prefix + "__"))
    return found


def _prefetch_calls(function: ir.Function, module: ir.Module) -> list[ir.Call]:
    """The function's `prefetch_related_objects(...)` calls; none without reading it when the
    module never spells the name (most modules)."""
    spelled = module.derived.get(_PREFETCH_OBJECTS)
    if spelled is None:
        spelled = module.derived[_PREFETCH_OBJECTS] = _PREFETCH_OBJECTS in "\n".join(module.lines)
    if not spelled:
        return []
    return [node for stmt in ir.walk_stmts(function.body) for expr in ir.stmt_exprs(stmt)
            for node in ir.walk_expr(expr) if isinstance(node, ir.Call)
            and (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1] == _PREFETCH_OBJECTS]


def _names_instance(expr: ir.Expr, name: str) -> bool:
    """`[evaluation]`, `(evaluation,)` or `evaluation` handed to `prefetch_related_objects`."""
    items = expr.elts if isinstance(expr, ir.Seq) else (expr,)
    return any(isinstance(item, ir.Name) and item.id == name for item in items)


def _sa_loaded(call: ir.Call) -> set[str]:
    out = set()
    for arg in call.args:
        node = arg
        while isinstance(node, ir.Call):
            name = (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1]
            if name in SA_LOAD and node.args:
                target = node.args[0]
                if isinstance(target, ir.Call) and isinstance(target.func, ir.Attr) and target.func.attr == "and_":
                    target = target.func.value  # `selectinload(Model.rel.and_(criteria))`: the same relation, filtered
                out.add(target.attr if isinstance(target, ir.Attr) else str(getattr(target, "value", "")))
            node = node.func.value if isinstance(node.func, ir.Attr) else ir.Const(0, 0, None)
    return out


def source_of(module: ir.Module, expr: ir.Expr) -> str:
    """The source text of a one-line expression (up to its balanced end)."""
    raw = module.lines[expr.line - 1] if 0 < expr.line <= len(module.lines) else ""
    depth = 0
    for index in range(expr.col, len(raw)):
        char = raw[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                return raw[expr.col:index].strip()
            depth -= 1
        elif depth == 0 and (char in ":,#" or raw.startswith(" for ", index) or raw.startswith(" if ", index)):
            return raw[expr.col:index].strip()
    return raw[expr.col:].strip()

