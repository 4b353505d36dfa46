"""Which route handlers a module serves only on the loopback interface.

Not a rule. A module that starts its own server for its app and binds it to `127.0.0.1`
(`uvicorn.run(studio_api, host="127.0.0.1")` in a CLI command, a `uvicorn.Config(app=app,
host="127.0.0.1")` run on a thread) serves only the machine it runs on: a developer's local
tool, a viewer for the one user of a sandbox. A handler that blocks its event loop there delays
that one user's next click, not a service's other clients, so performance rules grade it low.
The host is a loopback literal, or a parameter of the starting function whose default is one
(`host: str = typer.Option("127.0.0.1")`). A server bound to `0.0.0.0`, a host read from
settings, or an app the module does not start itself (the usual `uvicorn app.main:app` from a
Dockerfile) is a served one.
"""
from __future__ import annotations

from dataclasses import replace

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.model.finding import Confidence, Finding, Location, TraceStep
from servicelens.rules.python.perf_common import call_name
from servicelens.taint.scope import ModuleScope

_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_STARTS = frozenset({"uvicorn.run", "uvicorn.Config", "hypercorn.config.Config"})
_ROUTE_VERBS = frozenset({"get", "post", "put", "patch", "delete", "route", "api_route", "websocket"})


def loopback_apps(module: ir.Module, scope: ModuleScope) -> frozenset[tuple[str, str]]:
    """(qualname of the function that builds the app, "" at module level; the app's name there) of
    every app the module serves on loopback only."""
    index = file_index(module, scope)
    if not index.calls_named("run") and not index.calls_named("Config"):
        return frozenset()  # most modules start no server
    found: set[tuple[str, str]] = set()
    for function in (None, *module.functions):
        body = module.body if function is None else function.body
        for call in (*index.calls_named("run", body), *index.calls_named("Config", body)):
            if call_name(call, scope, function) not in _STARTS:
                continue
            app, host = call.arg(0, "app"), call.kwarg("host")
            if isinstance(app, ir.Name) and host is not None and _loopback(host, function):
                found.add(_builder(app.id, function, body, module))
    return frozenset(found)


def serves_on_loopback(function: ir.Function, apps: frozenset[tuple[str, str]]) -> bool:
    """`function` is a route handler (`@app.get(...)`) of an app the module serves on loopback only."""
    if not apps:
        return False
    for decorator in function.decorators:
        target = decorator.func if isinstance(decorator, ir.Call) else decorator
        if isinstance(target, ir.Attr) and target.attr in _ROUTE_VERBS and isinstance(target.value, ir.Name):
            if (function.parent or "", target.value.id) in apps:
                return True
    return False


def _loopback(host: ir.Expr, function: ir.Function | None) -> bool:
    if isinstance(host, ir.Const):
        return host.value in _LOOPBACK
    if isinstance(host, ir.Name) and function is not None:
        param = next((p for p in function.params if p.name == host.id), None)
        default = param.default if param is not None else None
        if isinstance(default, ir.Call) and default.args:  # `typer.Option("127.0.0.1", ...)`, `click.option`
            default = default.args[0]
        return isinstance(default, ir.Const) and default.value in _LOOPBACK
    return False


def _builder(name: str, function: ir.Function | None, body: tuple[ir.Stmt, ...],
             module: ir.Module) -> tuple[str, str]:
    """Where the served app's handlers are declared: the module level for a module-level app, or
    the factory a local was built by (`app = create_app()`: the handlers nested in `create_app`)."""
    if function is None or any(p.name == name for p in function.params):
        return "", name
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == name for t in stmt.targets):
            if isinstance(stmt.value, ir.Call) and isinstance(stmt.value.func, ir.Name):
                factory = next((f for f in module.functions if f.qualname == stmt.value.func.id), None)
                if factory is not None:
                    returned = next((s.value.id for s in ir.walk_stmts(factory.body)
                                     if isinstance(s, ir.Return) and isinstance(s.value, ir.Name)), "")
                    return factory.qualname, returned
            return function.qualname, name
    return "", name


def mark_loopback(finding: Finding, loopback: bool) -> Finding:
    """The finding graded low, with the loopback server as its last evidence step."""
    if not loopback:
        return finding
    step = TraceStep(Location(finding.location.path, finding.location.start_line),
                     "its app is served on the loopback interface only (127.0.0.1): one local user waits, "
                     "not a service's clients")
    return replace(finding, confidence=Confidence.LOW, evidence=finding.evidence + (step,))
