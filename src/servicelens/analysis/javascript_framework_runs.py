"""What a NestJS application runs itself, by the contract of the package a decorator comes from
(models/node/framework_runs.yaml).

The call graph holds the calls a project writes; Nest also calls project code it is only handed:
a `@Cron(...)` method runs on a timer and a `@Processor` class's `process` per queued job (a
background task's code), `onModuleInit` once at start-up (as does the function that calls
`NestFactory.create`, and what only it calls), and a `@CommandHandler(CreateOrder)`
class's `execute` wherever a bus is handed a `new CreateOrder(...)`. The first two are entry points
(analysis/reach.py roots offline code at them); the last is a call edge from each function that
hands a bus the message to the handler, so a handler reached from a route is request-path code.
Outside Nest too, a function handed to a server's `connection` event (socket.io, ws, net) runs
for each client that connects, as a route handler runs for each request: a request-path root.
Messages are matched by class name: a project may import them through barrels and aliases, and
@nestjs/cqrs itself dispatches by the class's name.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterator, Mapping, Sequence

import yaml

from servicelens import ir
from servicelens.analysis.entry_points import EntryPoint
from servicelens.analysis.startup_hooks import STARTUP
from servicelens.lang.javascript.modules import imported_name
from servicelens.rules.base import all_bodies, iter_calls

_NESTED = ".<locals>."
_NEST = "@nestjs/"


@dataclass(frozen=True, slots=True)
class Knowledge:
    method_decorators: Mapping[str, str]  # import path -> entry kind
    class_decorators: Mapping[str, Mapping[str, str]]  # import path -> method -> entry kind
    lifecycle: Mapping[str, str]  # method -> when the container calls it
    message_handlers: Mapping[str, str]  # import path -> the method that handles the message
    dispatch_methods: frozenset[str]
    bootstraps: frozenset[str]  # import paths of the calls that build and start an application


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    data = yaml.safe_load(resources.files("servicelens.models").joinpath("node/framework_runs.yaml")
                          .read_text("utf-8"))
    return Knowledge(dict(data["method_decorators"]), {k: dict(v) for k, v in data["class_decorators"].items()},
                     dict(data["lifecycle"]), dict(data["message_handlers"]), frozenset(data["dispatch_methods"]),
                     frozenset(data["bootstraps"]))


@dataclass(frozen=True, slots=True)
class FrameworkRuns:
    entries: tuple[EntryPoint, ...] = ()
    handlers: tuple[tuple[str, str], ...] = ()  # (message class name, qualname of the method handling it)
    sends: tuple[tuple[str, str], ...] = ()  # (qualname of a function, message class name it hands a bus)
    # functions a server runs for each client connection (socket.io, ws, net): what a client starts
    connections: tuple[str, ...] = ()


def framework_runs(module: ir.Module, imports: Mapping[str, str]) -> FrameworkRuns:
    connections = tuple(_connection_handlers(module))
    if not any(target.startswith(_NEST) for target in imports.values()):
        return FrameworkRuns(connections=connections)
    return _nest_runs(module, imports, connections)


# what a server's per-connection handler calls its first parameter: the client's socket (socket.io's
# `io.on('connection', (socket) => ...)`, ws's `(ws, req) => ...`, net's `(socket) => ...`); a
# database pool's `connection` event hands its own connection (`(connection) => ...`) and is not one
_CLIENT_SOCKETS = frozenset({"socket", "ws", "client", "sock", "websocket", "conn"})


def _connection_handlers(module: ir.Module) -> Iterator[str]:
    """`X.on('connection', handler)`: the handler runs for every client that connects, and what it
    registers on the socket (`socket.on('add', ...)`) for every message the client sends."""
    functions = {f.qualname: f for f in module.functions}
    for scope, body in all_bodies(module):
        for call in iter_calls(body):
            if not (isinstance(call.func, ir.Attr) and call.func.attr == "on" and len(call.args) == 2
                    and isinstance(call.args[0], ir.Const) and call.args[0].value == "connection"
                    and isinstance(call.args[1], ir.Name)):
                continue
            name = call.args[1].id
            nested = f"{scope.qualname}{_NESTED}{name}" if scope is not None else ""
            handler = functions.get(nested) or functions.get(name)
            if handler is not None and handler.params and handler.params[0].name in _CLIENT_SOCKETS:
                yield handler.qualname


def _nest_runs(module: ir.Module, imports: Mapping[str, str], connections: tuple[str, ...]) -> FrameworkRuns:
    known = knowledge()
    entries: dict[str, EntryPoint] = {}
    handlers: list[tuple[str, str]] = []
    for function in module.functions:
        if _NESTED in function.qualname or not function.class_name:
            continue
        for decorator in function.decorators:
            path = _decorator_path(decorator, imports)
            if path in known.method_decorators:
                entries.setdefault(function.qualname, EntryPoint(
                    function.qualname, known.method_decorators[path], f"run by `@{path.rpartition('.')[2]}` of "
                    f"{path.rpartition('.')[0]}, not by a request"))
        when = known.lifecycle.get(function.name)
        if when is not None:
            entries.setdefault(function.qualname, EntryPoint(function.qualname, STARTUP,
                                                             f"the Nest container calls `{function.name}` {when}"))
    for function in module.functions:
        started = next((path for call in iter_calls(function.body)
                        if (path := imported_name(call.func, imports)) in known.bootstraps), "")
        if started:
            entries.setdefault(function.qualname, EntryPoint(function.qualname, STARTUP,
                                                             f"it starts the application (`{started.rpartition('/')[2]}`)"))
    for cls in module.classes:
        methods = {qualname.rpartition(".")[2]: qualname for qualname in cls.methods}
        for decorator in cls.decorators:
            path = _decorator_path(decorator, imports)
            for method, kind in known.class_decorators.get(path, {}).items():
                if method in methods:
                    entries.setdefault(methods[method], EntryPoint(
                        methods[method], kind, f"`{method}` of a `@{path.rpartition('.')[2]}` class, run by "
                        f"{path.rpartition('.')[0]} for each job"))
            method = known.message_handlers.get(path)
            message = _first_class_argument(decorator)
            if method in methods and message:
                handlers.append((message, methods[method]))
    return FrameworkRuns(tuple(entries.values()), tuple(handlers), tuple(_sends(module, known.dispatch_methods)),
                         connections)


def with_message_edges(handlers: Sequence[tuple[str, str]], sends: Sequence[tuple[str, str]],
                       graph: Mapping[str, frozenset[str]]) -> Mapping[str, frozenset[str]]:
    """The call graph plus an edge from each function that hands a bus a message to every handler
    of that message class (`handlers`, `sends`: project-wide, as call-graph keys)."""
    by_message: dict[str, set[str]] = {}
    for message, handler in handlers:
        by_message.setdefault(message, set()).add(handler)
    extra: dict[str, set[str]] = {}
    for sender, message in sends:
        for handler in by_message.get(message, ()):
            if handler != sender:
                extra.setdefault(sender, set()).add(handler)
    if not extra:
        return graph
    return {**graph, **{key: graph.get(key, frozenset()) | frozenset(keys) for key, keys in extra.items()}}


def _sends(module: ir.Module, dispatch: frozenset[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for function in module.functions:
        for call in iter_calls(function.body):
            if isinstance(call.func, ir.Attr) and call.func.attr in dispatch and call.args:
                message = _constructed_class(call.args[0])
                if message:
                    found.append((function.qualname, message))
    return list(dict.fromkeys(found))


def _constructed_class(expr: ir.Expr) -> str:
    """`new CreateOrder(dto)` -> `CreateOrder` (a capitalised class name, maybe `commands.CreateOrder`)."""
    if isinstance(expr, ir.Await):
        expr = expr.value
    if not isinstance(expr, ir.Call):
        return ""
    name = (ir.dotted_name(expr.func) or "").rpartition(".")[2]
    return name if name[:1].isupper() else ""


def _first_class_argument(decorator: ir.Expr) -> str:
    if isinstance(decorator, ir.Call) and decorator.args:
        name = (ir.dotted_name(decorator.args[0]) or "").rpartition(".")[2]
        return name if name[:1].isupper() else ""
    return ""


def _decorator_path(decorator: ir.Expr, imports: Mapping[str, str]) -> str:
    return imported_name(decorator.func if isinstance(decorator, ir.Call) else decorator, imports)
