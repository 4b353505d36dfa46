"""Which project method a call on an ORM-loaded model instance runs, for the call graph (reach).

The taint engine already types a receiver a project class's constructor built, an annotation
declares, `__init__` stored in `self.attr`, or a function declared to return a project class. A
model instance is mostly none of these: the ORM hands it back (`order = Order.objects.get(pk=pk)`,
`for o in Order.objects.filter(...)`, `session.query(Order).first()`, `session.get(Order, id)`),
or a relation field reaches it (`order.buyer.notify()`). Without the edge a model method that only
a nightly command calls has no reach at all, and the command's reach does not carry over.

What an ORM call returns is data (models/vocabulary/orm_results.yaml), not code here. A local is
typed only when every binding of its name agrees (one `x = Order.objects.get(...)` and one
`x = pick()` leave `x` untyped), and a receiver chosen at run time (`getattr`, a mapping lookup)
is never typed: no edge is better than a guessed one, since a wrong edge can turn job code into
request-path code. A relation is followed only where the model writes its target
(`ForeignKey(Customer)`, `ForeignKey("shop.Customer")`, a to-one SQLAlchemy `relationship`).

A project function every `return` of which hands back one model's instance (`return
Order.objects.get(pk=pk)`) types its call's result the same way (`returned_models`).

A module-level name bound once to a class's call (`erp = ErpClient()`) is that class's instance
wherever another module imports it (`module_instances`): for reach only, taint is unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Mapping, Sequence

from servicelens import ir
from servicelens.analysis.file_index import FileIndex
from servicelens.packaged_yaml import packaged_yaml
from servicelens.taint.scope import ModuleScope

_MAX_THROUGH = 2  # relation fields followed from a typed value (`a.b.c.m()`)
ONE, ROWS, PAIR, CLASS = "one", "rows", "pair", "class"
RETURNED = "="  # prefix of a class name standing for what a project function returns


@dataclass(frozen=True, slots=True)
class InstanceCall:
    """`x.m()` in `caller` where `x` is an instance of model `cls` (qualified as its module names
    it), reached from it through the relation fields `through` (`order.buyer.m()`: ("buyer",))."""

    caller: str  # the calling function's qualname in its module
    cls: str
    through: tuple[str, ...]
    method: str


@dataclass(frozen=True, slots=True)
class Relation:
    """A model field holding one row of another model: `owner.field` is a `target`."""

    owner: str  # class key (module.qualname)
    field: str
    target: str  # qualified as the module names it, or as a string names it ("shop.Customer")
    by_name: bool  # written as a string (or not importable here): found by its last name project-wide


@dataclass(frozen=True, slots=True)
class OrmResults:
    managers: frozenset[str]
    rows: frozenset[str]
    one: frozenset[str]
    pairs: frozenset[str]
    model_rows: frozenset[str]
    model_one: frozenset[str]
    model_many: frozenset[str]
    statement_rows: frozenset[str]
    statement_one: frozenset[str]
    to_one_fields: frozenset[str]
    relationships: frozenset[str]


@lru_cache(maxsize=1)
def orm_results() -> OrmResults:
    data = packaged_yaml(resources.files("servicelens.models").joinpath("vocabulary", "orm_results.yaml").read_text("utf-8"))
    model, statement = data["model_argument"], data["statement_argument"]
    return OrmResults(frozenset(data["managers"]), frozenset(data["rows"]), frozenset(data["one"]),
                      frozenset(data["pairs"]), frozenset(model["rows"]), frozenset(model["one"]),
                      frozenset(model["many"]), frozenset(statement["rows"]), frozenset(statement["one"]),
                      frozenset(data["to_one_fields"]), frozenset(data["relationships"]))


# a value's type: (kind, class as qualified here, relation fields followed from it)
_Type = tuple[str, str, tuple[str, ...]]


class _Typer:
    """Types expressions of one function from its locals' agreed types."""

    def __init__(self, scope: ModuleScope, function: ir.Function, local_names: set[str],
                 orm: OrmResults) -> None:
        self.scope, self.function, self.local_names, self.orm = scope, function, local_names, orm
        self.env: dict[str, _Type] = {}

    def of(self, expr: ir.Expr | None) -> _Type | None:
        if isinstance(expr, ir.Await):
            return self.of(expr.value)
        if isinstance(expr, ir.Name):
            if expr.id in self.local_names:
                return self.env.get(expr.id)
            return self._class(expr)
        if isinstance(expr, ir.Attr):
            if isinstance(expr.value, ir.Name) and expr.value.id == "self" and self.function.class_name \
                    and "self" not in self.env:
                return (ONE, f"{self.scope.name}.{self.function.class_name}", (expr.attr,))
            base = self.of(expr.value)
            if base is None:
                return self._class(expr)
            if base[0] == CLASS and expr.attr in self.orm.managers:
                return (ROWS, base[1], ())
            if base[0] == ONE and len(base[2]) < _MAX_THROUGH:
                return (ONE, base[1], base[2] + (expr.attr,))  # a relation field, if the model says so
            return None
        if isinstance(expr, ir.Subscript):
            base = self.of(expr.value)
            if base is not None and base[0] in (PAIR, ROWS) and isinstance(expr.index, ir.Const) \
                    and isinstance(expr.index.value, int) and not isinstance(expr.index.value, bool) \
                    and (base[0] == ROWS or expr.index.value == 0):
                return (ONE, base[1], ())
            return None
        if isinstance(expr, ir.Call):
            return self._call(expr)
        return None

    def _class(self, expr: ir.Expr) -> _Type | None:
        dotted = ir.dotted_name(expr)
        if not dotted:
            return None
        qualified = self.scope.qualify(dotted, self.function, self.local_names)
        last = (qualified or "").rsplit(".", 1)[-1]
        if qualified and "." in qualified and last[:1].isupper() and not last.isupper():
            return (CLASS, qualified, ())
        return None

    def _call(self, call: ir.Call) -> _Type | None:
        orm = self.orm
        name = ir.last_name(call.func)
        if isinstance(call.func, ir.Attr):
            receiver = self.of(call.func.value)
            if receiver is not None and receiver[0] == ROWS and not receiver[2]:
                if name in orm.rows:
                    return receiver
                if name in orm.one:
                    return (ONE, receiver[1], ())
                if name in orm.pairs:
                    return (PAIR, receiver[1], ())
                return None
            if receiver is not None and receiver[0] == ONE and not receiver[2]:
                return None  # a method of a model instance: what it returns is not known here
        first = self.of(call.args[0]) if call.args else None
        if first is None or first[2]:
            return self._returned(call)
        if first[0] == CLASS:
            if name in orm.model_rows or name in orm.model_many:
                return (ROWS, first[1], ())
            if name in orm.model_one:
                return (ONE, first[1], ())
        elif first[0] == ROWS:
            if name in orm.statement_rows:
                return first
            if name in orm.statement_one:
                return (ONE, first[1], ())
        return self._returned(call)

    def _returned(self, call: ir.Call) -> _Type | None:
        """What a project function returns, when the call graph learns it returns one model's instance
        (`order = load_order(pk)`): marked `=function` here, resolved project-wide (instance_callees)."""
        dotted = ir.dotted_name(call.func)
        qualified = self.scope.qualify(dotted, self.function, self.local_names) if dotted else None
        last = (qualified or "").rsplit(".", 1)[-1]
        if qualified and "." in qualified and last[:1].islower():
            return (ONE, f"{RETURNED}{qualified}", ())
        return None

    def element(self, expr: ir.Expr) -> _Type | None:
        """What iterating `expr` yields: an instance of the rows' model."""
        found = self.of(expr)
        return (ONE, found[1], ()) if found is not None and found[0] == ROWS and not found[2] else None


def instance_facts(module: ir.Module, scope: ModuleScope,
                   index: FileIndex) -> tuple[tuple[InstanceCall, ...], tuple[tuple[str, str], ...]]:
    """Every method call in the module's functions on a value typed as a model instance, and
    (function qualname, model class) for each function every `return` of which hands back an
    instance of that one model (`return Order.objects.get(pk=pk)`) and that is no generator."""
    orm = orm_results()
    out: list[InstanceCall] = []
    returned: list[tuple[str, str]] = []
    for function in module.functions:
        body = function.body
        calls = [node for node in index.block_of_kind(body, ir.Call) if isinstance(node.func, ir.Attr)]
        statements = index.walk_stmts(body)
        returns = [stmt.value for stmt in statements if isinstance(stmt, ir.Return)]
        returns_one = bool(returns) and all(value is not None for value in returns) \
            and not any(node.kind == "yield" for node in index.block_of_kind(body, ir.Opaque))
        if not calls and not returns_one:
            continue
        # only names a member is read from (`x.m()`, `x.buyer`), or that are returned, can matter
        wanted = {_root(node) for node in index.block_of_kind(body, ir.Attr)} | \
            {value.id for value in returns if isinstance(value, ir.Name)}
        typer = _typer(scope, function, statements, orm, wanted,
                       _comprehension_names(index.block_of_kind(body, ir.Comprehension)))
        found = set()
        for call in calls:
            method = call.func.attr  # type: ignore[union-attr]
            receiver = typer.of(call.func.value)  # type: ignore[union-attr]
            if receiver is None or receiver[0] != ONE or method.startswith("__"):
                continue
            if isinstance(call.func.value, ir.Name) and call.func.value.id == "self":  # type: ignore[union-attr]
                continue  # the resolver follows `self.m()` itself
            found.add(InstanceCall(function.qualname, receiver[1], receiver[2], method))
        out.extend(sorted(found, key=lambda c: (c.cls, c.through, c.method)))
        if returns_one:
            kinds = {typer.of(value) for value in returns}
            if len(kinds) == 1 and (only := kinds.pop()) is not None and only[0] == ONE and not only[2] \
                    and not only[1].startswith(RETURNED):
                returned.append((function.qualname, only[1]))
    return tuple(out), tuple(returned)


def _root(expr: ir.Expr) -> str:
    """The name an attribute chain starts from (`x` of `x.buyer.notify`), "" for another start."""
    while isinstance(expr, (ir.Attr, ir.Call, ir.Subscript, ir.Await)):
        expr = expr.func if isinstance(expr, ir.Call) else expr.value
    return expr.id if isinstance(expr, ir.Name) else ""


def _typer(scope: ModuleScope, function: ir.Function, statements: tuple[ir.Stmt, ...], orm: OrmResults,
           wanted: set[str], comprehended: set[str]) -> _Typer:
    """The function's typer, with each local typed where every binding of it agrees (only the
    `wanted` names and the names their bindings read from are typed: nothing else is asked)."""
    params = {p.name for p in function.params}
    local_names = ir.assigned_names(statements) | params | comprehended
    typer = _Typer(scope, function, local_names, orm)
    bindings: dict[str, list[tuple[str, object]]] = {}
    for param in function.params:
        bindings.setdefault(param.name, []).append(("annotation", param.annotation))
    for stmt in statements:
        if isinstance(stmt, ir.Assign) and stmt.op is None and stmt.value is not None:
            for target in stmt.targets:
                _bind(target, ("value", stmt.value), bindings)
        elif isinstance(stmt, ir.For):
            _bind(stmt.target, ("element", stmt.iter), bindings)
        elif isinstance(stmt, (ir.Assign, ir.With, ir.Global, ir.Delete)) or _binds_otherwise(stmt):
            for name in ir.assigned_names((stmt,)) | _other_bound(stmt):
                bindings.setdefault(name, []).append(("unknown", None))
    for name in local_names - bindings.keys():
        bindings[name] = [("unknown", None)]
    bindings = _needed(bindings, wanted)
    for _ in range(3):  # locals typed from other locals: a few rounds reach the fixed point
        typed: dict[str, _Type] = {}
        for name, bound in bindings.items():
            kinds = {_bound_type(typer, how, what) for how, what in bound}
            if len(kinds) == 1 and (only := kinds.pop()) is not None:
                typed[name] = only
        if typed == typer.env:
            break
        typer.env = typed
    return typer


def _needed(bindings: dict[str, list[tuple[str, object]]], wanted: set[str]) -> dict[str, list[tuple[str, object]]]:
    """The bindings of the wanted names and, transitively, of the names their values start from."""
    needed: set[str] = set()
    pending = [name for name in wanted if name in bindings]
    while pending:
        name = pending.pop()
        if name in needed:
            continue
        needed.add(name)
        for _, what in bindings[name]:
            if isinstance(what, (ir.Attr, ir.Call, ir.Subscript, ir.Await, ir.Name)):
                root = _root(what)
                if root in bindings and root not in needed:
                    pending.append(root)
            if isinstance(what, ir.Call):
                pending.extend(_root(arg) for arg in what.args[:1] if _root(arg) in bindings)
    return {name: bindings[name] for name in needed}


def _bound_type(typer: _Typer, how: str, what: object) -> _Type | None:
    if how == "value":
        return typer.of(what)  # type: ignore[arg-type]
    if how == "element":
        return typer.element(what)  # type: ignore[arg-type]
    if how == "first":
        found = typer.of(what)  # type: ignore[arg-type]
        return (ONE, found[1], ()) if found is not None and found[0] == PAIR else None
    if how == "annotation" and what is not None:
        found = typer._class(what)  # type: ignore[arg-type]
        return (ONE, found[1], ()) if found is not None else None
    return None


def _bind(target: ir.Expr, value: tuple[str, object], bindings: dict[str, list[tuple[str, object]]]) -> None:
    if isinstance(target, ir.Name):
        bindings.setdefault(target.id, []).append(value)
    elif isinstance(target, ir.Seq) and value[0] == "value" and target.elts and isinstance(target.elts[0], ir.Name):
        # `order, created = Order.objects.get_or_create(...)`: the first member of a pair
        bindings.setdefault(target.elts[0].id, []).append(("first", value[1]))
        for name in ir.assigned_names((ir.Assign(0, 0, target.elts[1:], None),)):
            bindings.setdefault(name, []).append(("unknown", None))
    else:
        for name in ir.assigned_names((ir.Assign(0, 0, (target,), None),)):
            bindings.setdefault(name, []).append(("unknown", None))


def _binds_otherwise(stmt: ir.Stmt) -> bool:
    return isinstance(stmt, (ir.Try, ir.Def))


def _other_bound(stmt: ir.Stmt) -> set[str]:
    """Names bound other than by assignment: `except E as e`, a nested def or class's name,
    `global`/`nonlocal` names (rebound elsewhere)."""
    if isinstance(stmt, ir.Try):
        return {h.name for h in stmt.handlers if h.name}
    if isinstance(stmt, ir.Def):
        return {stmt.qualname.rsplit(".", 1)[-1]}
    if isinstance(stmt, ir.Global):
        return set(stmt.names)
    return set()


def _comprehension_names(comprehensions: Sequence[ir.Comprehension]) -> set[str]:
    """Names the function's comprehensions bind: never typed (their element is not followed)."""
    return {name for node in comprehensions for target in node.targets
            for name in ir.assigned_names((ir.Assign(0, 0, (target,), None),))}


def relations(module: ir.Module, scope: ModuleScope) -> tuple[Relation, ...]:
    """The to-one relation fields the module's classes declare, with the class each holds."""
    orm = orm_results()
    out: list[Relation] = []
    for cls in module.classes:
        owner = f"{module.module_name}.{cls.qualname}"
        assigned = {t.id for stmt in cls.body if isinstance(stmt, ir.Assign) for t in stmt.targets
                    if isinstance(t, ir.Name)}
        for stmt in cls.body:
            if not (isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name)
                    and isinstance(stmt.value, ir.Call)):
                continue
            field, call = stmt.targets[0].id, stmt.value
            kind = ir.last_name(call.func)
            target: ir.Expr | None = call.args[0] if call.args else _keyword(call, "to")
            if kind in orm.relationships:
                target = call.args[0] if call.args else _keyword(call, "argument")
                mapped = _mapped_target(stmt.annotation)
                uselist = _keyword(call, "uselist")
                if isinstance(uselist, ir.Const) and uselist.value is True:
                    continue
                one = (isinstance(uselist, ir.Const) and uselist.value is False) or mapped is not None \
                    or f"{field}_id" in assigned
                if not one:
                    continue
                target = target if target is not None else mapped
            elif kind not in orm.to_one_fields:
                continue
            found = _target(target, owner, scope)
            if found is not None:
                out.append(Relation(owner, field, *found))
    return tuple(out)


def _keyword(call: ir.Call, name: str) -> ir.Expr | None:
    return next((kw.value for kw in call.kwargs if kw.name == name), None)


def _mapped_target(annotation: ir.Expr | None) -> ir.Expr | None:
    """`Mapped["Customer"]` or `Mapped[Customer]` (not `Mapped[list[...]]`, not Optional's union)."""
    if isinstance(annotation, ir.Subscript) and ir.last_name(annotation.value) == "Mapped" \
            and isinstance(annotation.index, (ir.Name, ir.Attr, ir.Const)):
        return annotation.index
    return None


def _target(expr: ir.Expr | None, owner: str, scope: ModuleScope) -> tuple[str, bool] | None:
    if isinstance(expr, ir.Const) and isinstance(expr.value, str) and expr.value:
        text = expr.value
        if text == "self":
            return owner, False
        return (text, True) if all(part.isidentifier() for part in text.split(".")) else None
    dotted = ir.dotted_name(expr) if expr is not None else None
    if not dotted:
        return None
    qualified = scope.qualify(dotted, None, set())
    return (qualified, False) if qualified else (dotted, True)


def module_instances(module: ir.Module, scope: ModuleScope) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(`module.name`, (its class,)) for a module-level name bound once, to a call of a class
    (`erp = ErpClient(settings.ERP_URL)`): another module's `erp.push()` runs `ErpClient.push`.
    A name bound again anywhere in the module, or rebound by a function (`global erp`), is left out."""
    statements = tuple(ir.walk_stmts(module.body))
    counts: dict[str, int] = {}
    for stmt in statements:
        for name in ir.assigned_names((stmt,)) | _other_bound(stmt):
            counts[name] = counts.get(name, 0) + 1
    rebound = {name for function in module.functions for stmt in ir.walk_stmts(function.body)
               if isinstance(stmt, ir.Global) for name in stmt.names}
    out: list[tuple[str, tuple[str, ...]]] = []
    for stmt in module.body:
        if not (isinstance(stmt, ir.Assign) and stmt.op is None and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ir.Name) and isinstance(stmt.value, ir.Call)):
            continue
        name = stmt.targets[0].id
        dotted = ir.dotted_name(stmt.value.func)
        qualified = scope.qualify(dotted, None, set()) if dotted else None
        last = (qualified or "").rsplit(".", 1)[-1]
        if counts.get(name) == 1 and name not in rebound and qualified and "." in qualified \
                and last[:1].isupper() and not last.isupper():
            out.append((f"{module.module_name}.{name}", (qualified,)))
    return tuple(out)


# ------------------------------------------------------------------ project-wide


def instance_callees(calls: Iterable[tuple[str, InstanceCall]], found_relations: Iterable[Relation],
                     class_bases: Mapping[str, Sequence[str]],
                     returned: Mapping[str, str] | None = None) -> dict[str, tuple[str, ...]]:
    """Caller key -> the methods (as `class.method` names for the resolver) its typed calls run.
    `calls`: (the caller's module, the call). A call through relation fields is kept only when
    each field is a relation the model (or one of its project bases) declares. `returned`:
    function key -> the model class it returns (`returned_models`), for `=function` receivers."""
    index = _Classes(class_bases, found_relations)
    functions = _Returns(returned or {})
    out: dict[str, set[str]] = {}
    for module, call in calls:
        cls = call.cls
        if cls.startswith(RETURNED):
            found = functions.model(cls[len(RETURNED):])
            if not found:
                continue
            cls = found
        if call.through:
            key = index.key(cls, False)
            for field in call.through:
                key = index.follow(key, field) if key else None
            if not key:
                continue
            cls = key
        out.setdefault(f"{module}.{call.caller}", set()).add(f"{cls}.{call.method}")
    return {caller: tuple(sorted(names)) for caller, names in out.items()}


class _Classes:
    """The project's classes by key and by last name, and their relation fields."""

    def __init__(self, class_bases: Mapping[str, Sequence[str]], found: Iterable[Relation]) -> None:
        self.bases = class_bases
        self.fields: dict[tuple[str, str], tuple[str, bool]] = {}
        keys = set(class_bases)
        for relation in found:
            self.fields.setdefault((relation.owner, relation.field), (relation.target, relation.by_name))
            keys.add(relation.owner)
        self.by_last: dict[str, list[str]] = {}
        for key in sorted(keys):
            self.by_last.setdefault(key.rsplit(".", 1)[-1], []).append(key)

    def key(self, name: str, by_name: bool) -> str | None:
        """The class key a name means: itself, the one class of that name inside the package it
        names (a re-export), or, for a name a string wrote (`"shop.Customer"`), the one project
        class of that name (in the app it names, when there are several)."""
        candidates = self.by_last.get(name.rsplit(".", 1)[-1], [])
        if name in candidates:
            return name
        package = name.rpartition(".")[0]
        if by_name:
            if len(candidates) == 1:
                return candidates[0]
            inside = [k for k in candidates if package and (k.startswith(f"{package}.") or f".{package}." in k)]
            return inside[0] if len(inside) == 1 else None
        inside = [k for k in candidates if package and k.startswith(f"{package}.")]
        return inside[0] if len(inside) == 1 else None

    def follow(self, owner: str, field: str, depth: int = 0) -> str | None:
        """The class `owner.field` holds, looking in the owner's project bases too."""
        found = self.fields.get((owner, field))
        if found is not None:
            return self.key(*found)
        if depth >= 5:
            return None
        for base in self.bases.get(owner, ()):
            base_key = self.key(base, False)
            if base_key and base_key != owner:
                held = self.follow(base_key, field, depth + 1)
                if held:
                    return held
        return None


class _Returns:
    """The project functions known to return one model's instance, by key and by last name."""

    def __init__(self, returned: Mapping[str, str]) -> None:
        self.returned = returned
        self.by_last: dict[str, list[str]] = {}
        for key in sorted(returned):
            self.by_last.setdefault(key.rsplit(".", 1)[-1], []).append(key)

    def model(self, name: str) -> str | None:
        """The model `name` (a function as the caller's module names it) returns: the function of
        that key, or the one of that name inside the package it names (a re-export)."""
        if name in self.returned:
            return self.returned[name]
        package = name.rpartition(".")[0]
        inside = [k for k in self.by_last.get(name.rsplit(".", 1)[-1], []) if package and k.startswith(f"{package}.")]
        return self.returned[inside[0]] if len(inside) == 1 else None
