"""Is a loop's iterable small and fixed by the code, so a query per iteration stays cheap?

A query inside a loop costs one round trip per item; that matters only when the item count
grows with the data or the caller. Some iterables cannot grow: a literal tuple/list/set/dict
written in the code, a module-level constant collection, the members of an enum (or a Django
`TextChoices`), a model field's `choices`, `range(<small constant>)`, the `.items()`/`.keys()`/
`.values()` of one of those, `zip`/`enumerate`/`sorted`/`reversed` of them, a local list built
only from literals, the rows of a queryset filtered to one primary key, a model's own fields
(`Model._meta.get_fields()`: a few dozen, fixed by its class), and the related rows of one
object (`document.notes.all()`, `self.members.filter(...)`) and a collection stored inside one row
(`self.statuses` where the model declares `statuses = JSONField(...)` or an array column):
bounded by that object, whose
children a request or job handles together, unlike a loop over a table. The object must be
one object: a row of an enclosing loop (`for day in plan.days.all(): for s in day.slots.all()`)
makes the inner set per row, and the enclosing loop decides. Everything else is "hot" (the
default): querysets and other ORM results, request data, parameters of unknown size.

Uploaded files (`request.FILES.getlist(...)`) stay hot: the client chooses how many it sends.
"""
from __future__ import annotations

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, build_index

SMALL_RANGE = 20
_WRAPPERS = frozenset({"zip", "enumerate", "sorted", "reversed", "list", "tuple", "set", "frozenset", "dict",
                       "itertools.product", "product", "itertools.chain", "chain"})
_DICT_VIEWS = frozenset({"items", "keys", "values"})
_ENUM_BASES = frozenset({"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "TextChoices", "IntegerChoices", "Choices"})
_MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "__setitem__"})
_ONE_ROW_KEYS = frozenset({"pk", "id", "uuid"})


def bounded_iterable(expr: ir.Expr | None, module: ir.Module, function: ir.Function | None, depth: int = 0,
                     *, index: FileIndex | None = None, one_objects_rows: bool = True) -> bool:
    """True when iterating `expr` runs a small number of times fixed by the code (see module doc).
    Rules pass the file's `index`; without one, one is built for this question.
    `one_objects_rows=False` does not count one object's related rows as bounded: n-plus-one
    asks that, because a lazy load per child is the defect whatever the parent (measured: on the
    triage corpus the parents of its true findings were a status with thousands of stories, a
    routine whose days each load their slots, products serialised in bulk webhooks)."""
    if expr is None or depth > 4:
        return False
    known = index if index is not None else build_index(module)

    def again(inner: ir.Expr | None) -> bool:
        return bounded_iterable(inner, module, function, depth + 1, index=known, one_objects_rows=one_objects_rows)

    if isinstance(expr, ir.Seq):
        return all(again(e.value) if isinstance(e, ir.Starred) else True for e in expr.elts)
    if isinstance(expr, ir.DictExpr):
        return all(k is not None for k in expr.keys)
    if isinstance(expr, ir.Const):
        return isinstance(expr.value, (str, bytes))  # iterating a literal string: its characters
    if isinstance(expr, ir.Call):
        name = ir.dotted_name(expr.func) or ""
        if name == "range":
            return _small_range(expr)
        if name in _WRAPPERS:
            return bool(expr.args) and all(again(a) for a in expr.args)
        if isinstance(expr.func, ir.Attr) and expr.func.attr in _DICT_VIEWS and not expr.args:
            return again(expr.func.value)
        if _model_fields(expr) or (one_objects_rows and _one_objects_related_rows(expr, function, known)):
            return True
        return _one_row_query(expr, function, known)
    if isinstance(expr, ir.Attr):
        if _model_fields(expr) or _own_document_column(expr, module, function):
            return True
        if _constant_name(expr.attr):
            return True  # `settings.LANGUAGES`, `Order.STATUS_CHOICES`: constants by convention
        if expr.attr == "__members__":
            return True
        # `Status.choices` (a class), `Model._meta.get_field("x").choices`; not `question.choices`,
        # which may be a relation of a row
        owner = expr.value
        return expr.attr == "choices" and (ir.last_name(owner)[:1].isupper() or (
            isinstance(owner, ir.Call) and ir.last_name(owner.func) == "get_field"))
    if isinstance(expr, ir.Name):
        if function is not None and _one_row_name(expr.id, function, known):
            return True
        local = _local_value(expr.id, function, known)
        if local is not None:
            value, mutated = local
            if mutated or value is None:
                return False
            if isinstance(value, (ir.Seq, ir.DictExpr)) and not _has_items(value):
                return False  # `rows = []` filled later: not fixed
            return again(value)
        if function is not None and any(p.name == expr.id for p in function.params):
            return False
        if _enum_class(expr.id, module):
            return True
        value = _module_value(expr.id, module)
        if value is not None:
            return _has_items(value) and again(value)
        if _constant_name(expr.id):
            return True  # an imported ALL_CAPS constant
        # an imported CapWords name iterated directly is a class, and only enums iterate as classes
        return expr.id[:1].isupper() and _imported(expr.id, module)
    return False


# columns that hold a whole collection inside one row
_DOCUMENT_COLUMNS = frozenset({"JSONField", "ArrayField", "HStoreField", "JSON", "JSONB", "ARRAY"})


def _own_document_column(expr: ir.Attr, module: ir.Module, function: ir.Function | None) -> bool:
    """`self.statuses` in a method of a model whose class declares `statuses = JSONField(...)`
    (or an array column): a list stored inside this one row, as long as that row holds, not a
    table that grows with use."""
    if not (isinstance(expr.value, ir.Name) and expr.value.id == "self" and function is not None
            and function.class_name):
        return False
    owner = next((c for c in module.classes if function.class_name in (c.qualname, c.name)), None)
    if owner is None:
        return False
    for stmt in owner.body:
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == expr.attr for t in stmt.targets):
            value = stmt.value
            if isinstance(value, ir.Call) and ir.last_name(value.func) in ("mapped_column", "Column") and value.args:
                value = value.args[0]  # SQLAlchemy: `Column(JSON)`, `mapped_column(ARRAY(String))`
            spelled = value.func if isinstance(value, ir.Call) else value
            return spelled is not None and ir.last_name(spelled) in _DOCUMENT_COLUMNS
    return False


_META_FIELDS = frozenset({"get_fields", "fields", "concrete_fields", "local_fields", "many_to_many",
                          "related_objects", "private_fields"})
# related-manager methods that keep returning rows of the same relation
_RELATED_ROWS = frozenset({"all", "filter", "exclude", "order_by", "select_related", "prefetch_related",
                           "only", "defer", "distinct", "values", "values_list"})
# attributes that name a manager or query of a whole table, not one object's relation
_TABLE_ATTRS = frozenset({"objects", "query", "queryset", "session", "_default_manager", "all_objects", "_base_manager"})


def _model_fields(expr: ir.Expr) -> bool:
    """`Model._meta.get_fields()`, `instance._meta.fields`: the fields a model class declares."""
    node = expr.func if isinstance(expr, ir.Call) else expr
    return isinstance(node, ir.Attr) and node.attr in _META_FIELDS and isinstance(node.value, ir.Attr) \
        and node.value.attr == "_meta"


def _one_objects_related_rows(call: ir.Call, function: ir.Function | None, index: FileIndex) -> bool:
    """`document.notes.all()`, `self.members.filter(active=True)`: one object's related rows."""
    node: ir.Expr = call
    while isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _RELATED_ROWS:
        node = node.func.value
    if node is call or not isinstance(node, ir.Attr) or node.attr in _TABLE_ATTRS or node.attr.startswith("__") \
            or not node.attr[:1].islower():
        return False
    owner = node.value
    if isinstance(owner, ir.Name):
        if owner.id in ("cls", "request") or owner.id[:1].isupper():
            return False  # `Order.lines`: a class attribute, not one row's relation
        return function is None or not _loop_target(owner.id, function, index)
    dotted = ir.dotted_name(owner) or ""
    root = dotted.partition(".")[0]
    # `request.user.notes`, `self.object.members`: one object reached through attributes
    return bool(root) and "." in dotted and not root[:1].isupper() and root != "cls" and (
        function is None or not _loop_target(root, function, index))


def _loop_target(name: str, function: ir.Function, index: FileIndex) -> bool:
    """Is `name` bound per row by a loop or comprehension in `function`?"""
    for stmt in index.walk_stmts(function.body):
        if isinstance(stmt, ir.For) and name in ir.assigned_names([stmt]):
            return True
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Comprehension) and any(
                        isinstance(bound, ir.Name) and bound.id == name
                        for target in node.targets for bound in ir.walk_expr(target)):
                    return True
    return False


def _small_range(call: ir.Call) -> bool:
    values = [a.value for a in call.args if isinstance(a, ir.Const) and isinstance(a.value, int)
              and not isinstance(a.value, bool)]
    if len(values) != len(call.args) or not values:
        return False
    start, stop = (0, values[0]) if len(values) == 1 else (values[0], values[1])
    return stop - start <= SMALL_RANGE


def _constant_name(name: str) -> bool:
    letters = name.strip("_")
    return len(letters) > 1 and letters.isupper()


def _has_items(value: ir.Expr) -> bool:
    if isinstance(value, ir.Seq):
        return bool(value.elts)
    if isinstance(value, ir.DictExpr):
        return bool(value.keys)
    return True


def _local_value(name: str, function: ir.Function | None, index: FileIndex) -> tuple[ir.Expr | None, bool] | None:
    """(the value `name` was last assigned in `function`, is it mutated there), or None if not assigned.
    A name assigned more than once, or by a loop/with, has no single value."""
    if function is None:
        return None
    values: list[ir.Expr | None] = []
    for stmt in index.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign):
            if any(isinstance(t, ir.Name) and t.id == name for t in stmt.targets):
                values.append(None if stmt.op is not None else stmt.value)
            elif name in ir.assigned_names([stmt]):
                values.append(None)  # `a, b = ...`: no single value
        elif isinstance(stmt, (ir.For, ir.With)) and name in ir.assigned_names([stmt]):
            values.append(None)
    mutated = any(isinstance(node.func, ir.Attr) and isinstance(node.func.value, ir.Name)
                  and node.func.value.id == name
                  for method in _MUTATORS for node in index.calls_named(method, function.body))
    if not values:
        return None
    return (values[0] if len(values) == 1 else None), mutated


def _module_value(name: str, module: ir.Module) -> ir.Expr | None:
    found = None
    for stmt in module.body:
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == name for t in stmt.targets):
            if found is not None or stmt.op is not None:
                return None
            found = stmt.value
    return found


def _enum_class(name: str, module: ir.Module) -> bool:
    for cls in module.classes:
        if cls.name == name:
            return any(ir.last_name(b) in _ENUM_BASES for b in cls.bases)
    return False


def _one_row_query(call: ir.Call, function: ir.Function | None, index: FileIndex) -> bool:
    """`Model.objects.filter(pk=x)` and chains on it: at most one row."""
    filtered, base = _filters_one_row(call)
    if filtered:
        return True
    if isinstance(base, ir.Name) and function is not None:
        return _one_row_name(base.id, function, index)
    return False


def _filters_one_row(call: ir.Expr) -> tuple[bool, ir.Expr]:
    """Walk a call chain down to its base: (a `filter(pk|id|uuid=...)` was on the way, the base)."""
    node = call
    while isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
        if node.func.attr == "filter" and any(kw.name in _ONE_ROW_KEYS for kw in node.kwargs):
            return True, node
        node = node.func.value
    return False, node


def _one_row_name(name: str, function: ir.Function, index: FileIndex) -> bool:
    """`qs = Model.objects.filter(pk=x)`, then `qs = qs.select_related(...)` / `qs = helper(qs)`: every
    later assignment derives from the name itself, so the rows stay the one-row filter's."""
    first: ir.Expr | None = None
    for stmt in index.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == name for t in stmt.targets):
            if stmt.value is None or stmt.op is not None:
                return False
            if first is None:
                first = stmt.value
                continue
            if not _derived(stmt.value, name):
                return False
        elif isinstance(stmt, (ir.For, ir.With)) and name in ir.assigned_names([stmt]):
            return False
    return isinstance(first, ir.Call) and _filters_one_row(first)[0]


def _imported(name: str, module: ir.Module) -> bool:
    return any(i.local == name for i in module.imports)


def _derived(value: ir.Expr, name: str) -> bool:
    """`qs.select_related(...)` or `helper(qs)`: the same rows, maybe annotated; not `qs | other`."""
    node = value
    while isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
        node = node.func.value
    if isinstance(node, ir.Name) and node.id == name:
        return True
    return isinstance(value, ir.Call) and any(isinstance(a, ir.Name) and a.id == name for a in value.args)
