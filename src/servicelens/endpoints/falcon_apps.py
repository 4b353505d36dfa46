"""Who may call a Falcon responder: its hooks, its application's middleware, its own code.

    class Items:                                     app = falcon.App(middleware=[AuthMiddleware()])
        @falcon.before(require_user)                 app.add_middleware(TimingMiddleware())
        def on_post(self, req, resp): ...            app.add_route("/items", Items())
        def on_get_detail(self, req, resp, id): ...  app.add_route("/items/{id}", Items(), suffix="detail")

Falcon runs, before a responder, the `process_request` / `process_resource` of every middleware
of the application the route is added to, then the resource's class-level and the responder's
own `@falcon.before(hook)` hooks; any of them refuses the caller by raising (`HTTPUnauthorized`).
Per file this module reads the hooks a responder declares and the applications a module builds
(with their middleware classes); `decide_falcon` then judges the middleware classes project-wide
by the bodies of their per-request methods (endpoints.principals): one that refuses makes the
route authenticated, unless it lets the route's path (or resources by an attribute it reads)
through; when every hook and middleware is read and none refuses, the route is open. A hook or
middleware the review cannot read leaves it undecided.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from servicelens import ir
from servicelens.endpoints.aiohttp_apps import app_name
from servicelens.endpoints.falcon_gates import ResourceGate, passes, read_attributes
from servicelens.endpoints.principals import Principal, qualify

FALCON_UNDECIDED = "Falcon apps usually authenticate in middleware or hooks; not judged"
# the calls that build an application; middleware is given to them or added afterwards
_APP_CLASSES = frozenset({"falcon.App", "falcon.API", "falcon.asgi.App", "falcon.app.App", "falcon.asgi.app.App"})
_BEFORE = frozenset({"falcon.before", "falcon.hooks.before"})
_AFTER = frozenset({"falcon.after", "falcon.hooks.after"})  # run after the responder: they refuse nobody
# a middleware's methods that run before the responder and may answer instead of it
_REQUEST_METHODS = ("process_request", "process_resource")
_ASYNC_METHODS = ("process_request_async", "process_resource_async")
# every method Falcon calls on a middleware: a class defining one is known to the review as a middleware
_MIDDLEWARE_METHODS = frozenset({f"{name}{tail}" for name in ("process_startup", "process_shutdown", "process_request",
                                                              "process_resource", "process_response")
                                 for tail in ("", "_async")})


def _falcon_own(name: str) -> bool:
    """Falcon itself ships no authentication: its middleware (`CORSMiddleware`) answers for origins
    and its decorators (`media.validators.jsonschema.validate`) for the body, never for the caller."""
    return name.startswith("falcon.")


UNREAD = ""  # a hook or middleware the review cannot name


@dataclass(frozen=True, slots=True)
class FalconApp:
    """An application a module builds: its project-wide name (the one `add_route` calls are
    tied to, endpoints.aiohttp_apps) and its middleware classes as project-wide dotted names
    (UNREAD for one the file cannot name, such as a list built elsewhere)."""

    name: str
    middlewares: tuple[str, ...]
    line: int


def responder(name: str) -> tuple[str, str] | None:
    """(HTTP verb, suffix) of a responder method: `on_get` -> ("GET", ""), `on_get_detail` ->
    ("GET", "detail"); None for any other method."""
    if not name.startswith("on_"):
        return None
    verb, _, suffix = name[3:].partition("_")
    return (verb.upper(), suffix) if verb in _VERBS else None


_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})


def hook_refs(function: ir.Function, cls: ir.ClassDef | None, module: ir.Module,
              imports: Mapping[str, str]) -> tuple[str, ...]:
    """The `@falcon.before(...)` hooks that run before `function`: its own and its class's, as
    project-wide names (a callable instance's `__call__`); UNREAD for one not named here."""
    decorators = list(function.decorators) + list(cls.decorators if cls is not None else ())
    found: list[str] = []
    for decorator in decorators:
        if not isinstance(decorator, ir.Call) or \
                qualify(ir.dotted_name(decorator.func) or "", module, imports) not in _BEFORE:
            continue
        action = decorator.arg(0, "action")
        if isinstance(action, ir.Call):  # `@falcon.before(RequireRole("admin"))`
            name = qualify(ir.dotted_name(action.func) or "", module, imports)
            found.append(f"{name}.__call__" if name else UNREAD)
        else:
            found.append(qualify(ir.dotted_name(action) or "", module, imports) if action is not None else UNREAD)
    return tuple(found)


def is_hook_decorator(name: str) -> bool:
    """`falcon.before` / `falcon.after` themselves: they apply the hook, they decide nothing."""
    return name in _BEFORE or name in _AFTER


def applications(module: ir.Module, imports: Mapping[str, str], target: Callable[[ir.Expr], str],
                 instances: Mapping[str, str]) -> tuple[FalconApp, ...]:
    """The Falcon applications `module` builds and the middleware each is given: the
    `middleware=` of `falcon.App(...)` (a list, one instance, or a list the same body assigns)
    and every `app.add_middleware(...)`."""
    apps: dict[str, FalconApp] = {}
    for function, statements in ir.body_statements(module):  # the module's one shared walk
        body = module.body if function is None else function.body
        lists = _assigned_lists(statements)
        for stmt in statements:
            for call in _calls_of(stmt):
                built = qualify(ir.dotted_name(call.func) or "", module, imports) in _APP_CLASSES
                if built:
                    name = _built_name(stmt, call, module, imports, function, body)
                    apps[name] = FalconApp(name, _middlewares(call.kwarg("middleware"), lists, target, instances),
                                           call.line)
                elif isinstance(call.func, ir.Attr) and call.func.attr == "add_middleware" and call.args:
                    name = app_name(call.func.value, module, imports, function, body)
                    if name in apps:
                        added = _middlewares(call.args[0], lists, target, instances)
                        apps[name] = replace(apps[name], middlewares=apps[name].middlewares + added)
    return tuple(apps.values())


def _built_name(stmt: ir.Stmt, call: ir.Call, module: ir.Module, imports: Mapping[str, str],
                function: ir.Function | None, body: tuple[ir.Stmt, ...]) -> str:
    """`app = falcon.App(...)`: the name `add_route` calls on `app` are tied to; an application
    built where it is returned is the function's result."""
    if isinstance(stmt, ir.Assign) and stmt.value is call and len(stmt.targets) == 1:
        return app_name(stmt.targets[0], module, imports, function, body)
    return f"{module.module_name}.{function.qualname}()" if function is not None else f"{module.module_name}.<app>"


def _middlewares(listed: ir.Expr | None, lists: Mapping[str, ir.Seq], target: Callable[[ir.Expr], str],
                 instances: Mapping[str, str]) -> tuple[str, ...]:
    if listed is None:
        return ()
    if isinstance(listed, ir.Name) and listed.id in lists:
        listed = lists[listed.id]
    items = listed.elts if isinstance(listed, ir.Seq) else (listed,)
    found = []
    for item in items:
        if isinstance(item, ir.Call):
            name = target(item.func)
        elif isinstance(item, ir.Name) and item.id in instances:  # `auth = AuthMiddleware(...)`
            name = instances[item.id]
        else:
            name = UNREAD
        found.append(name if name and not name.startswith("*.") else UNREAD)
    return tuple(found)


def _assigned_lists(statements: tuple[ir.Stmt, ...]) -> dict[str, ir.Seq]:
    """Names a body's statements bind to a list or tuple written out."""
    found: dict[str, ir.Seq] = {}
    for stmt in statements:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Seq):
            found.update({t.id: stmt.value for t in stmt.targets if isinstance(t, ir.Name)})
    return found


def _calls_of(stmt: ir.Stmt) -> Iterator[ir.Call]:
    """The calls a statement makes itself (its nested blocks are statements of their own)."""
    for expr in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(expr):
            if isinstance(node, ir.Call):
                yield node


def middleware_classes(functions: Iterable[str]) -> list[str]:
    """The classes, among the project's functions and methods (dotted keys), that define a
    middleware method: known to the project even when they have no base class."""
    return list(dict.fromkeys(key.rsplit(".", 1)[0] for key in functions
                              if key.rsplit(".", 1)[-1] in _MIDDLEWARE_METHODS))


@dataclass(frozen=True, slots=True)
class Judge:
    """What `decide_falcon` asks of the project: a principal by name, the evidence that one
    refuses the caller (endpoints.inventory), the ancestry of a class, the middleware methods
    that let resources through by what they declare, and what a resource class declares
    (endpoints.falcon_gates)."""

    find: Callable[[str], Principal | None]
    guard: Callable[[str], str]
    ancestors: Callable[[str], Sequence[str]]  # the class itself first; [] when not the project's
    bases_read: Callable[[str], bool]  # every base of the class is the project's or `object`
    exempted: Callable[[str, Sequence[tuple[str, str]]], str]
    gates: Mapping[str, ResourceGate]
    # a resource class's class-level attributes over its ancestry, None when some class of it is not read
    declared: Callable[[str], Mapping[str, ir.Expr | None] | None]


@dataclass(frozen=True, slots=True)
class Resource:
    """The resource class (project-wide key) a route's responder belongs to and its HTTP method."""

    key: str
    method: str


def verdict(path: str, hooks: Sequence[str], middlewares: Sequence[str] | None, judge: Judge,
            resource: Resource | None = None) -> tuple[str, str] | None:
    """("required" | "none", evidence) for a Falcon route undecided by its own code, or None to
    leave it so. `middlewares` is None when the application the route is added to is not known;
    a middleware that lets resources through by what they declare is judged for `resource`."""
    unread = [h for h in hooks if h == UNREAD or judge.find(h) is None and not _falcon_own(h)]
    if middlewares is None:
        return None
    exempted: list[str] = []  # what lets the route through a middleware that checks the others
    undecided = False
    for cls in middlewares:
        if _falcon_own(cls):
            continue
        chain = judge.ancestors(cls) if cls != UNREAD else []
        if not chain or not judge.bases_read(cls):
            unread.append(cls or "a middleware")
            continue
        for key in (f"{owner}.{method}" for owner in chain for method in _REQUEST_METHODS + _ASYNC_METHODS):
            found = judge.find(key)
            evidence = judge.guard(key) if found is not None and found.key == key else ""
            if not evidence:
                continue
            shown = cls.rsplit(".", 1)[-1]
            let: bool | None = False
            if key in judge.gates:  # it lets some resources through by what they declare
                let = passes(judge.gates[key], judge.declared(resource.key), resource.method) \
                    if resource is not None else None
            if let is None:
                undecided = True
            elif let:
                exempted.append(_declared_exemption(shown, judge.gates[key], judge, resource))  # type: ignore[arg-type]
            elif exempt := judge.exempted(path, found.exempt_paths):
                exempted.append(f"middleware `{shown}` lets {exempt} through unchecked")
            else:
                return "required", f"middleware `{shown}` ({key.rsplit('.', 1)[-1]}): {evidence}"
            break  # the middleware's first refusing method decides it (another would refuse alike)
    if unread or undecided:
        return None
    if exempted:
        return "none", "; ".join(exempted)
    shown = ", ".join(m.rsplit(".", 1)[-1] for m in middlewares) or "none"
    return "none", f"no hook of the resource and no middleware of the Falcon app ({shown}) checks the caller"


def _declared_exemption(shown: str, gate: ResourceGate, judge: Judge, resource: Resource) -> str:
    return (f"middleware `{shown}` lets `{resource.key.rsplit('.', 1)[-1]}` through unchecked for {resource.method} "
            f"by what the resource declares ({_declared_names(gate, judge.declared(resource.key) or {})})")


def _declared_names(gate: ResourceGate, declared: Mapping[str, ir.Expr | None]) -> str:
    """`auth_required`: the attributes the gate reads that the resource declares, else what it reads."""
    read = read_attributes(gate)
    named = [name for name in read if name in declared] or list(read)
    return ", ".join(f"`{name}`" for name in named) or "its attributes"
