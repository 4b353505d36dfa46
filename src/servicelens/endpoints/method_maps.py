"""Class views that route by a literal method map, registered by a looping helper of the class.

    class NodeView(View):
        operations = {"obj": [{"get": "properties", "delete": "delete"}, {"get": "list", "post": "create"}],
                      "sql": [{"get": "sql"}]}

        @classmethod
        def register_node_view(cls, blueprint):
            for command in cls.generate_ops():                  # a loop over the map
                blueprint.add_url_rule(f"/{command['cmd']}...", view_func=cls.as_view(...),
                                       methods=command["methods"])

    class ServerView(NodeView):
        operations = {"obj": [{"get": "properties", "put": "update"}], "connect": [{"post": "connect"}]}

    ServerView.register_node_view(blueprint)                    # in the module that serves it

The map says which method answers which verb under which URL part; the classmethod registers the
class once per part, and the class's dispatch calls the mapped method. So each mapped method of the
registered class (its own map, else the nearest base's) is an endpoint with the map's verbs, at the
part the map keys it under (what the helper appends at run time, the object ids, is not read), on
the router the helper was handed. A map is a class attribute whose keys are strings and whose
values are verb -> method-name dicts (or lists of them) naming only HTTP verbs; the helper is a
classmethod that calls `add_url_rule` with `view_func=cls.as_view(...)` inside a loop. A class
with a map registered by no such helper binds nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Iterator, Mapping, Sequence

from servicelens import ir
from servicelens.endpoints.inherited_routes import class_resolver
from servicelens.endpoints.registrations import HTTP_VERBS, Registration, router_prefixes
from servicelens.endpoints.route import RouteFact

if TYPE_CHECKING:
    from servicelens.analysis.facts import FileFacts

_FRAMEWORK = "flask"
_DEPTH = 8  # base chains followed this deep


@dataclass(frozen=True, slots=True)
class MapUse:
    """`ServerView.register_node_view(blueprint)`: the class as written (project-wide), the
    classmethod called, the router handed to it."""

    target: str
    registrar: str
    router: str
    prefix: str  # the router's URL prefix, when the module declares it (`Blueprint(url_prefix=...)`)
    line: int


@dataclass(frozen=True, slots=True)
class MethodMaps:
    """One file's part: its classes' literal maps, its looping registrars, its registering calls."""

    maps: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = ()  # (class key, (part, VERB, method))
    registrars: tuple[str, ...] = ()  # class key + "." + classmethod name
    uses: tuple[MapUse, ...] = ()


def class_maps(module: ir.Module) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Class qualname -> its literal method map's rows, for the classes of the module that declare one."""
    found: dict[str, tuple[tuple[str, str, str], ...]] = {}
    for cls in module.classes:
        for stmt in cls.body:
            if isinstance(stmt, ir.Assign) and stmt.value is not None and (rows := _map_rows(stmt.value)):
                found[cls.qualname] = rows
    return found


def _map_rows(expr: ir.Expr) -> tuple[tuple[str, str, str], ...]:
    """`{"obj": [{"get": "properties"}, ...], ...}` (or `dict({...})`) -> (part, VERB, method) rows;
    () when any key or value is not of that shape."""
    if isinstance(expr, ir.Call) and (ir.dotted_name(expr.func) or "") == "dict" and len(expr.args) == 1 \
            and not expr.kwargs:
        expr = expr.args[0]
    if not isinstance(expr, ir.DictExpr) or not expr.keys:
        return ()
    rows: list[tuple[str, str, str]] = []
    for key, value in zip(expr.keys, expr.values):
        if not (isinstance(key, ir.Const) and isinstance(key.value, str)):
            return ()
        verb_maps = value.elts if isinstance(value, ir.Seq) else (value,)
        for verb_map in verb_maps:
            if not isinstance(verb_map, ir.DictExpr):
                return ()
            for verb, method in zip(verb_map.keys, verb_map.values):
                if not (isinstance(verb, ir.Const) and isinstance(verb.value, str) and verb.value.lower() in HTTP_VERBS
                        and isinstance(method, ir.Const) and isinstance(method.value, str)):
                    return ()
                rows.append((key.value, verb.value.upper(), method.value))
    return tuple(dict.fromkeys(rows))


def mapped_route(function: ir.Function, maps: Mapping[str, tuple[tuple[str, str, str], ...]]) -> RouteFact | None:
    """A method its class's map names: a handler once a registration binds it (the verbs are the map's)."""
    rows = maps.get(function.class_name or "")
    verbs = tuple(dict.fromkeys(verb for _part, verb, method in rows or () if method == function.name))
    if not verbs:
        return None
    return RouteFact(function.qualname, _FRAMEWORK, verbs, "", function.line, "none", "", registered=False)


def method_maps(module: ir.Module, imports: Mapping[str, str]) -> MethodMaps | None:
    """The file's maps, looping registrars and registering calls; None when it has none."""
    maps = class_maps(module)
    registrars = tuple(f"{module.module_name}.{f.class_name}.{f.name}" for f in module.functions
                       if f.class_name and _is_classmethod(f) and _registers_in_loop(f))
    uses = tuple(_uses(module, imports))
    if not maps and not registrars and not uses:
        return None
    return MethodMaps(tuple((f"{module.module_name}.{name}", rows) for name, rows in maps.items()), registrars, uses)


def _is_classmethod(function: ir.Function) -> bool:
    return any(ir.dotted_name(d) == "classmethod" for d in function.decorators) and bool(function.params)


def _registers_in_loop(function: ir.Function) -> bool:
    """A `for` of the body calls `add_url_rule(..., view_func=cls.as_view(...))`."""
    cls = function.params[0].name
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.For):
            continue
        for inner in ir.walk_stmts(stmt.body):
            for expr in ir.stmt_exprs(inner):
                for node in ir.walk_expr(expr):
                    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "add_url_rule":
                        view = node.kwarg("view_func")
                        if isinstance(view, ir.Call) and (ir.dotted_name(view.func) or "") == f"{cls}.as_view":
                            return True
    return False


def _uses(module: ir.Module, imports: Mapping[str, str]) -> Iterator[MapUse]:
    """Module-level `Class.helper(router)` calls whose class is capitalised: candidates the project
    phase keeps when `helper` is a looping registrar of the class or a base."""
    local_classes = {cls.name for cls in module.classes}
    prefixes = router_prefixes(module)
    for stmt in module.body:
        if not isinstance(stmt, ir.ExprStmt) or not isinstance(stmt.value, ir.Call):
            continue
        call = stmt.value
        if not isinstance(call.func, ir.Attr) or len(call.args) != 1 or call.kwargs:
            continue
        owner = ir.dotted_name(call.func.value) or ""
        if not owner or not owner.rsplit(".", 1)[-1][:1].isupper():
            continue
        head, _, rest = owner.partition(".")
        target = f"{imports[head]}{'.' + rest if rest else ''}" if head in imports \
            else f"{module.module_name}.{owner}" if head in local_classes else ""
        router = ir.dotted_name(call.args[0]) or ""
        prefix = prefixes.get(router, "")
        if target and router:
            rhead, _, rrest = router.partition(".")
            router = f"{imports[rhead]}{'.' + rrest if rrest else ''}" if rhead in imports \
                else f"{module.module_name}.{router}"
            yield MapUse(target, call.func.attr, router, prefix, call.line)


def with_map_registrations(facts: Sequence["FileFacts"]) -> list["FileFacts"]:
    """Each registering call of a class with a map (its own or a base's) through a looping
    registrar of the class or a base: one registration per mapped (part, verb, method), of the
    nearest class along the bases that defines the method, added to the calling file."""
    parts = [(fact, fact.method_maps) for fact in facts if fact.method_maps is not None]
    if not any(m.uses for _f, m in parts) or not any(m.registrars for _f, m in parts):
        return list(facts)
    maps = {key: rows for _f, m in parts for key, rows in m.maps}
    registrars = {key for _f, m in parts for key in m.registrars}
    bases = {key: value for fact in facts for key, value in fact.class_bases}
    candidates = {f"{fact.module_name}.{route.qualname}" for fact in facts for route in fact.routes
                  if not route.registered and route.framework == _FRAMEWORK and "." in route.qualname}
    resolve = class_resolver(set(bases) | set(maps) | {c.rsplit(".", 1)[0] for c in candidates}
                             | {r.rsplit(".", 1)[0] for r in registrars}, _same)
    out = []
    for fact in facts:
        added: list[Registration] = []
        for use in fact.method_maps.uses if fact.method_maps is not None else ():
            start = resolve(use.target)
            chain = _linear(start, bases, resolve) if start else []
            if not any(f"{cls}.{use.registrar}" in registrars for cls in chain):
                continue
            rows = next((maps[cls] for cls in chain if cls in maps), ())
            for part, verb, method in rows:
                owner = next((cls for cls in chain if f"{cls}.{method}" in candidates), "")
                if owner:
                    added.append(Registration(f"{owner}.{method}", f"{use.prefix}/{part}", (verb,), _FRAMEWORK, use.line,
                                              fact.module_name, router=use.router))
        out.append(replace(fact, registrations=fact.registrations + tuple(added)) if added else fact)
    return out


def _linear(start: str, bases: Mapping[str, tuple[str, ...]], resolve: Callable[[str], str | None]) -> list[str]:
    """The class and its bases, nearest first (breadth first, as written)."""
    order: list[str] = []
    pending = [(start, 0)]
    while pending:
        cls, depth = pending.pop(0)
        if cls in order or depth > _DEPTH:
            continue
        order.append(cls)
        pending.extend((key, depth + 1) for base in bases.get(cls, ()) if (key := resolve(base)) is not None)
    return order


def _same(key: str, target: str) -> bool:
    return key == target or key.endswith("." + target) or target.endswith("." + key)
