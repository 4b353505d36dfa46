"""Functions a framework runs once, when the process starts, and never per request.

A Django `AppConfig.ready()`, a FastAPI/Starlette start-up handler or lifespan, an aiohttp
`on_startup`/`cleanup_ctx` hook, Flask's `before_first_request`: what they do costs the
process one pause at boot, watched by whoever deploys it. A slow loop or an outbound call
without a timeout there is a nit where the same line in a handler is not. Each hook is
recognised by the framework contract that registers it (the base class, the decorator, the
keyword or the list it is appended to), never by the function's own name.
"""
from __future__ import annotations

from typing import Iterator

from servicelens import ir
from servicelens.rules.base import all_bodies, iter_calls

STARTUP = "startup"
# events a framework fires once at boot (Starlette/FastAPI `on_event`/`add_event_handler`)
_BOOT_EVENTS = frozenset({"startup"})
# decorators that make a function run once before the first request (Flask < 2.3, Quart)
_ONCE_DECORATORS = frozenset({"before_first_request", "before_serving"})
# keyword arguments of an application constructor naming what runs at boot
_BOOT_KEYWORDS = frozenset({"lifespan", "on_startup"})
# lists of an aiohttp application whose callables run at boot (`app.on_startup.append(fn)`)
_BOOT_LISTS = frozenset({"on_startup", "cleanup_ctx"})
# calls that start serving HTTP in the calling process (qualified through the module's imports):
# what the function making one does before it is set up once per process, whoever calls it
_SERVE_CALLS = frozenset({"uvicorn.run", "uvicorn.Server", "hypercorn.asyncio.serve", "hypercorn.trio.serve",
                          "aiohttp.web.run_app", "waitress.serve", "werkzeug.serving.run_simple",
                          "wsgiref.simple_server.make_server", "gunicorn.app.base.BaseApplication"})
_SERVE_PACKAGES = frozenset(call.partition(".")[0] for call in _SERVE_CALLS)
# methods that start serving whatever holds them, in a module importing a server package:
# asyncio's `loop.create_server(runner.server, host, port)` (an aiohttp AppRunner's low-level start)
_SERVE_METHODS = frozenset({"create_server", "serve_forever"})
# each registration below spells one of these identifiers in the source (an identifier never
# spans lines): a module without any registers no hook, and its calls need not be looked at
_REGISTRATION_WORDS = tuple(sorted(_BOOT_KEYWORDS | _BOOT_LISTS | {"add_event_handler"}))


def startup_hooks(module: ir.Module, names: frozenset[str]) -> dict[str, str]:
    """The functions of `module` (qualnames in `names`) a framework runs once at start-up, each
    with what registers it."""
    found: dict[str, str] = {}
    for cls in module.classes:
        if f"{cls.qualname}.ready" in cls.methods and _is_app_config(cls):
            found[f"{cls.qualname}.ready"] = f"`{cls.name}.ready()` (Django runs it once at start-up)"
    for function in module.functions:
        evidence = _decorated_hook(function)
        if evidence:
            found.setdefault(function.qualname, evidence)
    for name, evidence in _registered_hooks(module):
        if name in names:
            found.setdefault(name, evidence)
    return found


def _is_app_config(cls: ir.ClassDef) -> bool:
    return any((ir.dotted_name(base) or "").rpartition(".")[2] == "AppConfig" for base in cls.bases)


def _decorated_hook(function: ir.Function) -> str:
    for decorator in function.decorators:
        target = decorator.func if isinstance(decorator, ir.Call) else decorator
        dotted = ir.dotted_name(target) or ""
        last = dotted.rpartition(".")[2]
        if last in _ONCE_DECORATORS and "." in dotted:
            return f"`@{dotted}` (runs once, before the first request)"
        if last == "on_event" and isinstance(decorator, ir.Call) and _event_name(decorator.arg(0, "event_type")):
            return f"`@{dotted}(\"startup\")`"
    return ""


def _event_name(expr: ir.Expr | None) -> bool:
    return isinstance(expr, ir.Const) and expr.value in _BOOT_EVENTS


def _registered_hooks(module: ir.Module) -> Iterator[tuple[str, str]]:
    """(function name, how it is registered) for hooks handed to the framework by a call:
    `FastAPI(lifespan=lifespan)`, `Starlette(on_startup=[boot])`,
    `app.add_event_handler("startup", boot)`, `app.on_startup.append(boot)`."""
    text = "\n".join(module.lines)
    if not any(word in text for word in _REGISTRATION_WORDS):
        return
    for call in _calls(module):
        for keyword in call.kwargs:
            if keyword.name in _BOOT_KEYWORDS:
                for name in _function_names(keyword.value):
                    yield name, f"`{keyword.name}=` of `{ir.dotted_name(call.func) or 'the application'}(...)`"
        func = call.func
        if not isinstance(func, ir.Attr):
            continue
        if func.attr == "add_event_handler" and _event_name(call.arg(0, "event_type")):
            for name in _function_names(call.arg(1, "func")):
                yield name, "`add_event_handler(\"startup\", ...)`"
        elif func.attr in ("append", "insert") and isinstance(func.value, ir.Attr) and func.value.attr in _BOOT_LISTS:
            for value in call.args:
                for name in _function_names(value):
                    yield name, f"`.{func.value.attr}.{func.attr}(...)`"


def _function_names(expr: ir.Expr | None) -> Iterator[str]:
    if isinstance(expr, ir.Name):
        yield expr.id
    elif isinstance(expr, ir.Seq):
        for element in expr.elts:
            yield from _function_names(element)


def _calls(module: ir.Module) -> Iterator[ir.Call]:
    for _, body in all_bodies(module):
        yield from iter_calls(body)


def serving_starters(module: ir.Module, imports: dict[str, str]) -> dict[str, str]:
    """Functions that start the web server in their own body (`uvicorn.run(app)`,
    `server = uvicorn.Server(config)`, `web.run_app(app)`, `loop.create_server(runner.server, host,
    port)`): a process's main routine. What it
    calls on its way there (loading a catalogue, a migration, a probe of a dependency) runs
    once per process, before the first request, like a start-up hook; the routes it serves are
    request paths and the tasks it starts are jobs, each found from its own root."""
    if not any(target.partition(".")[0] in _SERVE_PACKAGES for target in imports.values()):
        return {}  # most modules import no server: their calls need not be looked at
    found: dict[str, str] = {}
    for function in module.functions:
        for call in iter_calls(function.body):
            dotted = ir.dotted_name(call.func) or ""
            head, _, rest = dotted.partition(".")
            qualified = imports.get(head, head) + (f".{rest}" if rest else "")
            if qualified in _SERVE_CALLS or (rest and dotted.rpartition(".")[2] in _SERVE_METHODS):
                found[function.qualname] = (f"`{function.name}` starts the web server (`{dotted}(...)` at line "
                                            f"{call.line}): what it runs before serving runs once per process")
                break
    return found

