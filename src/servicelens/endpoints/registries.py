"""Handlers a project's own registry decorator stores in a table that a dispatcher looks up by name.

    # api/registry.py
    class Registry:
        _handlers = {}
        @classmethod
        def add(cls, entry): cls._handlers[entry.name] = entry      # stores what it is handed
        @classmethod
        def find(cls, name): return cls._handlers.get(name)          # looks a request value up

    def handler(name, authorize=True):                               # the registry decorator
        def wrap(fn):
            Registry.add(Entry(name=name, func=fn, authorize=authorize))
            return fn
        return wrap

    # api/services/reports.py
    @handler("reports.get_all")                                      # an endpoint "/reports.get_all"
    def get_all(call): ...

No framework route names `get_all`: the request reaches it because a dispatcher (a route, a
request hook) takes the name from the request and looks it up in the table. Per file: the
functions that store one of their parameters (or a value built with it) in a module-level or
class-level mapping (`stores`), the decorators that store the function they decorate there or
hand it to such a function (`decorators`), the mappings read by a key that is not a literal
(`lookups`), and every function decorated by a call with a literal first argument (`uses`).
Project-wide, a use of a decorator whose table some function looks up by a computed key is an
endpoint, its path the registry key. A key the dispatcher is handed as a parameter must be handed
a value by some caller (`find(call.endpoint_name)`): a table every caller looks up by a name written
in the code (`emit("order_created", order)`) is an event bus, and its listeners are no endpoints. Who may call it is decided by the dispatcher, which is not
the handler's own code: it stays `unknown` unless the dispatcher's chain is read elsewhere, and
an entry the decorator's literal options switch out of the dispatcher's credential check (an
option the decorator stores and the dispatcher tests before refusing) is said so.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Iterator, Mapping, Sequence

from servicelens import ir
from servicelens.endpoints.principals import qualify
from servicelens.endpoints.route import RouteFact
from servicelens.taint.summary import CallRecord

if TYPE_CHECKING:  # the per-file phase imports this module before the facts it fills
    from servicelens.analysis.facts import FileFacts
    from servicelens.analysis.file_index import FileIndex

REGISTRY = "registry"  # the framework of an endpoint found only through a project registry
_RECEIVERS = frozenset({"self", "cls"})
_STORING_METHODS = frozenset({"append", "add", "insert"})  # `table[key].append(entry)`
_TABLE_METHODS = _STORING_METHODS | {"setdefault", "update"}  # the calls `_stored_tables` finds a table by
_CALLER_DEPTH = 6  # calls followed up from a dispatcher to the route or request hook that starts it
_UNDECIDED = "dispatched by name from the `{table}` table ({dispatcher}); who may call it is decided there, not judged"


@dataclass(frozen=True, slots=True)
class RegistryDecorator:
    """A decorator that registers the function it decorates: itself (`@register`) or through
    the closure a factory returns (`@handler("name")`)."""

    name: str  # project-wide name
    factory: bool  # called with the registry key (`@handler("a.b")`) rather than applied bare
    tables: tuple[str, ...]  # the mappings it stores the function in itself
    handed_to: tuple[str, ...]  # project-wide names of the calls it hands the function (or an entry built with it) to


@dataclass(frozen=True, slots=True)
class RegistryUse:
    """A function decorated by a call with a literal first argument, or by a bare project name."""

    qualname: str
    decorator: str  # project-wide name as written
    key: str  # the literal first argument; the function's own name for a bare decorator
    line: int
    bare: bool


@dataclass(frozen=True, slots=True)
class RegistryFacts:
    stores: tuple[tuple[str, str], ...] = ()  # (function, mapping): the function stores a parameter's value there
    decorators: tuple[RegistryDecorator, ...] = ()
    # (function, mapping, parameters the key is read from) of a mapping read by a computed key there
    lookups: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    uses: tuple[RegistryUse, ...] = ()


def registry_facts(module: ir.Module, imports: Mapping[str, str], index: FileIndex) -> RegistryFacts:
    """What the module stores in, reads of and registers with mapping tables (see the module doc).
    Every function is read, so each walk is a slice of the file's index."""
    classes = {cls.name for cls in module.classes}
    tables = _module_mappings(module)
    stores: list[tuple[str, str]] = []
    lookups: list[tuple[str, str, tuple[str, ...]]] = []
    for function in module.functions:
        key = f"{module.module_name}.{function.qualname}"
        name_table = _table_namer(module, imports, function, classes, tables)
        stored = _stored_tables(function, _carried(function, _own_params(function), index), name_table, index)
        stores.extend((key, table) for table in stored)
        lookups.extend((key, table, params) for table, params in _looked_up(function, name_table, index))
    decorators = tuple(found for function in module.functions
                       if function.parent is None and function.class_name is None
                       for found in [_registering(function, module, imports, classes, tables, index)] if found)
    return RegistryFacts(tuple(dict.fromkeys(stores)), decorators, tuple(dict.fromkeys(lookups)),
                         tuple(_uses(module, imports)))


def _own_params(function: ir.Function) -> set[str]:
    return {p.name for p in function.params if p.name not in _RECEIVERS}


def _carried(function: ir.Function, seeds: set[str], index: FileIndex) -> set[str]:
    """The seeds and every local assigned from an expression naming one (`func = f`,
    `entry = Entry(func=func)`), in statement order."""
    carried = set(seeds)
    if not carried:  # nothing can name a carried name, so nothing is added
        return carried
    for stmt in index.walk_stmts(function.body):
        if type(stmt) is ir.Assign and stmt.value is not None and _names(stmt.value, index) & carried:
            carried.update(t.id for t in stmt.targets if type(t) is ir.Name)
    return carried


def _names(expr: ir.Expr, index: FileIndex) -> set[str]:
    return {node.id for node in index.under(expr, ir.Name)}


def _module_mappings(module: ir.Module) -> frozenset[str]:
    """Module-level names bound to a dict (`HANDLERS = {}`, `dict()`, `defaultdict(list)`)."""
    return frozenset(t.id for stmt in module.body if isinstance(stmt, ir.Assign) and _is_mapping(stmt.value)
                     for t in stmt.targets if isinstance(t, ir.Name))


def _is_mapping(expr: ir.Expr | None) -> bool:
    return isinstance(expr, ir.DictExpr) or isinstance(expr, ir.Call) and ir.last_name(expr.func) in (
        "dict", "defaultdict", "OrderedDict")


def _table_namer(module: ir.Module, imports: Mapping[str, str], function: ir.Function, classes: set[str],
                 tables: frozenset[str]) -> Callable[[ir.Expr], str]:
    """Project-wide name of a mapping as the function writes it: `cls._table` / `self._table` in a
    method, `Registry._table` of a class of the module, `HANDLERS` of the module or imported; ""
    for anything else (a local, a parameter's attribute)."""
    locals_ = _own_params(function) | ir.assigned_names(function.body)

    def name(expr: ir.Expr) -> str:
        if isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Name):
            owner = expr.value.id
            if owner in _RECEIVERS and function.class_name:
                return f"{module.module_name}.{function.class_name}.{expr.attr}"
            if owner in classes and owner not in locals_:
                return f"{module.module_name}.{owner}.{expr.attr}"
            if owner in imports and owner not in locals_:
                return f"{imports[owner]}.{expr.attr}"
            return ""
        if isinstance(expr, ir.Name) and expr.id not in locals_:
            if expr.id in tables:
                return f"{module.module_name}.{expr.id}"
            return qualify(expr.id, module, imports) if expr.id in imports else ""
        return ""

    return name


def _stored_tables(function: ir.Function, carried: set[str], name: Callable[[ir.Expr], str],
                   index: FileIndex) -> list[str]:
    """`table[key] = value`, `table[key].append(value)`, `table.setdefault(key, []).append(value)`,
    `table.setdefault(key, value)`, `table.update({key: value})` with a value naming a carried name."""
    found: list[str] = []
    if not carried:  # every store below hands over a value naming a carried name
        return found
    for stmt in index.walk_stmts(function.body):
        if type(stmt) is ir.Assign and stmt.value is not None \
                and any(type(t) is ir.Subscript for t in stmt.targets) and _names(stmt.value, index) & carried:
            found.extend(table for t in stmt.targets if isinstance(t, ir.Subscript) and (table := name(t.value)))
    for call in index.block_of_kind(function.body, ir.Call):
        # the method's name first: only these can find a table, and most calls are none of them
        if not isinstance(call.func, ir.Attr) or call.func.attr not in _TABLE_METHODS \
                or not any(_names(arg, index) & carried for arg in call.args):
            continue
        holder = call.func.value
        if call.func.attr in _STORING_METHODS and isinstance(holder, ir.Subscript):
            table = name(holder.value)
        elif call.func.attr in _STORING_METHODS and isinstance(holder, ir.Call) and isinstance(holder.func, ir.Attr) \
                and holder.func.attr == "setdefault":
            table = name(holder.func.value)
        elif call.func.attr in ("setdefault", "update"):
            table = name(holder)
        else:
            table = ""
        if table:
            found.append(table)
    return found


def _looked_up(function: ir.Function, name: Callable[[ir.Expr], str],
               index: FileIndex) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Mappings read by a key that is not a literal: `table.get(name)`, `table[name]` read; each with
    the function's parameters the key names (`name`, `call` of `call.endpoint_name`), if any."""
    params = _own_params(function)
    written = {id(t) for stmt in index.walk_stmts(function.body) if type(stmt) is ir.Assign for t in stmt.targets}
    for node in index.block_nodes(function.body):  # every statement's expressions, in walk order
        kind = type(node)
        if kind is ir.Call and isinstance(node.func, ir.Attr) and node.func.attr == "get" \
                and node.args and not isinstance(node.args[0], ir.Const):
            table, key = name(node.func.value), node.args[0]
        elif kind is ir.Subscript and id(node) not in written and not isinstance(node.index, ir.Const):
            table, key = name(node.value), node.index
        else:
            continue
        if table:
            yield table, tuple(sorted(_names(key, index) & params))


def _registering(function: ir.Function, module: ir.Module, imports: Mapping[str, str], classes: set[str],
                 tables: frozenset[str], index: FileIndex) -> RegistryDecorator | None:
    """A module-level function that, itself or through a closure it defines and returns, takes a
    function, stores it (or hands it, or an entry built with it, to a call) and returns it."""
    closures = [f for f in module.functions if f.parent == function.qualname]
    returned = {stmt.value.id for stmt in ir.walk_stmts(function.body)
                if isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Name)}
    candidates = [(c, True) for c in closures if c.name in returned] + [(function, False)]
    for closure, factory in candidates:
        params = [p.name for p in closure.params if p.name not in _RECEIVERS]
        if len(params) != 1 or closure.class_name is not None:
            continue
        carried = _carried(closure, {params[0]}, index)
        if not _returns_any(closure, carried):
            continue
        name = _table_namer(module, imports, closure, classes, tables)
        stored = tuple(dict.fromkeys(_stored_tables(closure, carried, name, index)))
        handed = tuple(dict.fromkeys(target for call in ir.calls_in_body(closure.body)
                                     if any(_names(arg, index) & carried for arg in _arguments(call))
                                     for target in [qualify(ir.dotted_name(call.func) or "", module, imports)]
                                     if target))
        if stored or handed:
            return RegistryDecorator(f"{module.module_name}.{function.qualname}", factory, stored, handed)
    return None


def _returns_any(function: ir.Function, names: set[str]) -> bool:
    return any(isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Name) and stmt.value.id in names
               for stmt in ir.walk_stmts(function.body))


def _arguments(call: ir.Call) -> tuple[ir.Expr, ...]:
    return call.args + tuple(kw.value for kw in call.kwargs)


def _uses(module: ir.Module, imports: Mapping[str, str]) -> Iterator[RegistryUse]:
    for function in module.functions:
        if function.parent is not None:
            continue
        for decorator in function.decorators:
            if isinstance(decorator, ir.Call) and isinstance(decorator.func, (ir.Name, ir.Attr)):
                key = decorator.args[0] if decorator.args else None
                target = qualify(ir.dotted_name(decorator.func) or "", module, imports)
                if isinstance(key, ir.Const) and isinstance(key.value, str) and key.value and target:
                    yield RegistryUse(function.qualname, target, key.value, function.line, False)
            elif isinstance(decorator, (ir.Name, ir.Attr)) and function.class_name is None:
                target = qualify(ir.dotted_name(decorator) or "", module, imports)
                if target:
                    yield RegistryUse(function.qualname, target, function.name, function.line, True)


def with_registry_routes(facts: Sequence["FileFacts"], same: Callable[[str, str], bool]) -> list["FileFacts"]:
    """Each use of a registry decorator whose table a dispatcher looks up: an endpoint of the
    decorated function's module, at `/<key>`, its auth left to the dispatcher."""
    decorators = [d for fact in facts for d in fact.registries.decorators]
    if not decorators:
        return list(facts)
    stores: dict[str, list[str]] = {}
    for fact in facts:
        for function, table in fact.registries.stores:
            stores.setdefault(function.rsplit(".", 1)[-1], []).append(f"{function}\0{table}")
    storing = {entry for fact in facts for entry in fact.registries.stores}
    # a function storing into the table may read it first (`if table.get(name): ...`): no dispatcher
    lookups = [(function, table, params) for fact in facts for function, table, params in fact.registries.lookups
               if (function, table) not in storing]
    served = _request_reached(facts, same)
    handed = _handed_a_value(facts, same)
    dispatched: list[tuple[RegistryDecorator, str, str]] = []  # (decorator, table, dispatcher)
    for decorator in decorators:
        tables = list(decorator.tables) + [entry.split("\0", 1)[1] for target in decorator.handed_to
                                           for entry in stores.get(target.rsplit(".", 1)[-1], ())
                                           if same(entry.split("\0", 1)[0], target)]
        for table in dict.fromkeys(tables):
            dispatcher = next((function for function, read, params in lookups if same(read, table)
                               and served(function) and (not params or handed(function, params))), "")
            if dispatcher:
                dispatched.append((decorator, table, dispatcher))
                break
    if not dispatched:
        return list(facts)
    out = []
    for fact in facts:
        known = {route.qualname for route in fact.routes if route.registered}
        added = tuple(_route(use, found[1], found[2]) for use in fact.registries.uses if use.qualname not in known
                      for found in [_matching(use, dispatched, same)] if found)
        out.append(replace(fact, routes=fact.routes + tuple(dict.fromkeys(added))) if added else fact)
    return out


def _request_reached(facts: Sequence["FileFacts"], same: Callable[[str, str], bool]) -> Callable[[str], bool]:
    """Is a function a route handler or request hook, or called by one (followed up the calls the
    functions' summaries record)? A table a command or a start-up step looks up serves no request."""
    roots = [f"{fact.module_name}.{route.qualname}" for fact in facts for route in fact.routes if route.registered]
    roots += [hook.refs[0] for fact in facts for hook in fact.request_hooks if hook.refs]
    roots += [hook for fact in facts for hook, _ in fact.framework.request_hooks]
    by_last: dict[str, list[str]] = {}
    for root in roots:
        by_last.setdefault(root.rsplit(".", 1)[-1], []).append(root)
    callers: dict[str, list[tuple[str, str]]] = {}
    for fact in facts:
        for summary in fact.summaries:
            for call in summary.calls:
                callers.setdefault(call.callee.rsplit(".", 1)[-1], []).append((summary.key, call.callee))
    memo: dict[str, bool] = {}

    def reached(function: str) -> bool:
        if function not in memo:
            memo[function] = False
            seen, frontier = {function}, [function]
            for _ in range(_CALLER_DEPTH):
                if any(_calls(root, node, same) for node in frontier
                       for root in by_last.get(node.rsplit(".", 1)[-1], ())):
                    memo[function] = True
                    break
                frontier = [caller for node in frontier for caller, callee in callers.get(node.rsplit(".", 1)[-1], ())
                            if caller not in seen and _calls(node, callee, same) and not seen.add(caller)]
                if not frontier:
                    break
        return memo[function]

    return reached


def _handed_a_value(facts: Sequence["FileFacts"], same: Callable[[str, str], bool]
                    ) -> Callable[[str, tuple[str, ...]], bool]:
    """Is one of these parameters of a function handed a value by some caller: a parameter's, a
    request's or a call's, not a name written in the code? A route handler or request hook is
    handed its parameters by the framework."""
    roots = {f"{fact.module_name}.{route.qualname}" for fact in facts for route in fact.routes if route.registered}
    roots |= {hook.refs[0] for fact in facts for hook in fact.request_hooks if hook.refs}
    roots |= {hook for fact in facts for hook, _ in fact.framework.request_hooks}
    # positions as the call's arguments count them: the receiver (`self.find(x)`, `Registry.find(x)`) is none
    params = {summary.key: tuple(p for p in summary.params if p not in _RECEIVERS)
              for fact in facts for summary in fact.summaries}
    records: dict[str, list[CallRecord]] = {}
    for fact in facts:
        for summary in fact.summaries:
            for call in summary.calls:
                records.setdefault(call.callee.rsplit(".", 1)[-1], []).append(call)

    def handed(function: str, names: tuple[str, ...]) -> bool:
        if function in roots:
            return True
        order = params.get(function, ())
        for call in records.get(function.rsplit(".", 1)[-1], ()):
            if not _calls(function, call.callee, same):
                continue
            given = dict(call.kwargs)
            for name in names:
                position = order.index(name) if name in order else -1
                taint = call.args[position] if 0 <= position < len(call.args) else given.get(name, frozenset())
                if taint:
                    return True
        return False

    return handed


def _calls(key: str, callee: str, same: Callable[[str, str], bool]) -> bool:
    """Does a recorded callee (`Registry.find`, `cls.find` read as the class's) name the function `key`?"""
    return same(key, callee) or key.rsplit(".", 2)[-2:] == callee.rsplit(".", 2)[-2:]


def _matching(use: RegistryUse, dispatched: Sequence[tuple[RegistryDecorator, str, str]],
              same: Callable[[str, str], bool]) -> tuple[RegistryDecorator, str, str] | None:
    return next((found for found in dispatched if found[0].factory != use.bare and same(found[0].name, use.decorator)),
                None)


def _route(use: RegistryUse, table: str, dispatcher: str) -> RouteFact:
    shown_table = table.rsplit(".", 1)[-1]
    shown_dispatcher = ".".join(dispatcher.rsplit(".", 2)[-2:])
    return RouteFact(use.qualname, REGISTRY, ("*",), "/" + use.key.lstrip("/"), use.line, "unknown",
                     _UNDECIDED.format(table=shown_table, dispatcher=shown_dispatcher),
                     declared_refs=(use.decorator,))
