"""Where routes are declared apart from the handler: registration calls and class decorators.

    api.add_resource(OrderResource, "/orders/<int:id>")          flask-restful / flask-restx
    app.add_url_rule("/p", view_func=OrderView.as_view("o"))      Flask (a class or a function)
    @ns.route("/p") / @api.route / @blp.route  class Resource     flask-restx / flask-smorest
    app.router.add_get("/p", handler), add_route("GET", "/p", h)  aiohttp (also through an alias)
    app.add_routes([web.get("/p", handler), web.view("/p", V)])   aiohttp
    @routes.view("/p")  class OrderView(web.View)                 aiohttp

One file at a time: a Registration names its target as a project-wide dotted name, or as
`*.attr` when the handler is a method of an object the file cannot type (`h.index` with `h`
a parameter). `endpoints.inventory` joins registrations with the handlers they name.
"""
from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass, replace
from typing import Callable, Iterator, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, callee_last_name, unindexed
from servicelens.endpoints.aiohttp_apps import route_apps
from servicelens.endpoints.falcon_apps import FalconApp
from servicelens.endpoints.falcon_apps import applications as falcon_apps
from servicelens.endpoints.falcon_routes import literal_tables, looped_calls
from servicelens.endpoints.asgi_routes import ASGI_PACKAGES, asgi_registrations, route_dependencies
from servicelens.endpoints.per_request import is_http_middleware
from servicelens.endpoints.route_helpers import RouteHelper, helper_routes, route_helpers
from servicelens.endpoints.route_tables import decorator_names, table_uses

HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
FLASK_FAMILY = frozenset({"flask", "flask_restful", "flask_restx", "flask_restplus", "flask_smorest", "quart"})
_AIOHTTP_ADDERS = {f"add_{verb}": verb.upper() for verb in HTTP_VERBS}
_ROUTE_DEF_CALLS = {**{verb: verb.upper() for verb in HTTP_VERBS}, "view": "", "route": ""}
UNRESOLVED = "*."  # prefix of a target that is a method of an object of unknown class


@dataclass(frozen=True, slots=True)
class Registration:
    target: str  # dotted handler function or class, or "*.name"
    path: str
    methods: tuple[str, ...]  # () when the target class's own methods decide; ("*",) any method
    framework: str  # flask | aiohttp
    line: int
    scope: str  # the registering module: resolves "*.name" to the nearest handler of that name
    # project-wide name of the flask-restx Namespace / Blueprint the route is declared on, so
    # a mount in another module (`api.add_namespace(ns)`) can put its prefix in front
    router: str = ""
    # project-wide names of what wraps the view where it is registered (`view_func=
    # login_required(V.as_view("v"))`, a helper's `decorators=[...]`): decided like its own decorators
    decorators: tuple[str, ...] = ()
    # a dependency the registration declares that the review cannot name (`dependencies=
    # [Security(auth)]` with `auth` read off an object): the route's auth is not known to be open
    unread_dependency: str = ""
    # Falcon's `add_route(..., suffix="detail")`: only the resource's `on_<verb>_detail` responders answer
    responder_suffix: str = ""


@dataclass(frozen=True, slots=True)
class Application:
    """`web.Application(middlewares=[...])`, or a FastAPI/Starlette app's middlewares: every route
    of the app passes them."""

    module: str
    middlewares: tuple[str, ...]  # project-wide dotted names ("" for one the file cannot name)
    line: int


def applications(module: ir.Module, imports: Mapping[str, str],
                 index: FileIndex | None = None) -> tuple[Application, ...]:
    tops = {target.split(".")[0] for target in imports.values()}
    found = list(_asgi_application(module, imports, index)) if tops & _ASGI else []
    if "aiohttp" not in tops:
        return tuple(found)
    names = _Names(module, imports)
    for body, _, _ in _bodies(module):
        for call in _calls(body):
            dotted = ir.dotted_name(call.func) or ""
            head, _, attr = dotted.rpartition(".")
            if attr == "Application" and imports.get(head.split(".")[0], head).startswith("aiohttp"):
                listed = call.kwarg("middlewares")
                items = listed.elts if isinstance(listed, ir.Seq) else (listed,) if listed is not None else ()
                middlewares = tuple(names.target(item.func if isinstance(item, ir.Call) else item) for item in items)
                found.append(Application(module.module_name, middlewares, call.line))
    return tuple(found)


def falcon_applications(module: ir.Module, imports: Mapping[str, str]) -> tuple[FalconApp, ...]:
    """The Falcon applications the module builds, their middleware named as registrations name handlers."""
    if "falcon" not in {target.split(".")[0] for target in imports.values()}:
        return ()
    names = _Names(module, imports)
    return falcon_apps(module, imports, names.target, names.instances)


_ASGI = frozenset({"fastapi", "starlette"})
# what runs for each request in a middleware class: BaseHTTPMiddleware's hook. A plain ASGI
# middleware's `__call__` is not judged: it wraps the whole app (`try: await self.app(...)
# except ...: raise`), and the principal analysis cannot yet tell its error handling, or an
# identity it attaches while letting anonymous callers through, from a refusal
_ASGI_MIDDLEWARE_HOOKS = ("dispatch",)


def _asgi_application(module: ir.Module, imports: Mapping[str, str],
                      index: FileIndex | None) -> Iterator[Application]:
    """The middlewares a FastAPI/Starlette module puts in front of its app's routes: the app is
    usually built in a factory, so registrations anywhere in the module count.

        app.add_middleware(CheckTokenMiddleware, ...)       the class's `dispatch`
        FastAPI(middleware=[Middleware(CheckToken)])        the same, declared up front
        @app.middleware("http") async def check(request, call_next): ...
        app.middleware("http")(check)                      the same, applied by hand
    """
    names = _Names(module, imports)
    nodes = index if index is not None else unindexed()
    middlewares: list[str] = []
    line = 0
    for body, _, _ in _bodies(module):
        for call in nodes.block_of_kind(body, ir.Call):  # the file's one traversal, not another walk
            classes: list[ir.Expr] = []
            if isinstance(call.func, ir.Attr) and call.func.attr == "add_middleware" and call.args:
                classes.append(call.args[0])
            listed = call.kwarg("middleware")
            for item in listed.elts if isinstance(listed, ir.Seq) else ():
                if isinstance(item, ir.Call) and (ir.dotted_name(item.func) or "").endswith("Middleware") and item.args:
                    classes.append(item.args[0])
            for cls in classes:
                name = names.target(cls)
                if name and not name.startswith(UNRESOLVED):
                    middlewares.extend(f"{name}.{hook}" for hook in _ASGI_MIDDLEWARE_HOOKS)
                    line = line or call.line
            if is_http_middleware(call.func) and call.args:
                # `app.middleware("http")(auth_middleware)`: the decorator applied by hand
                name = names.target(call.args[0])
                if name and not name.startswith(UNRESOLVED):
                    middlewares.append(name)
                    line = line or call.line
    for function in module.functions:
        if any(is_http_middleware(d) for d in function.decorators):
            middlewares.append(f"{module.module_name}.{function.qualname}")  # a decorated closure is a principal
            line = line or function.line
    if middlewares:
        yield Application(module.module_name, tuple(dict.fromkeys(middlewares)), line)


def registrations(module: ir.Module, imports: Mapping[str, str],
                  index: FileIndex | None = None) -> tuple[Registration, ...]:
    tops = {target.split(".")[0] for target in imports.values()}
    flask = bool(tops & FLASK_FAMILY)
    aiohttp = "aiohttp" in tops
    prefixes = _prefixes(module) if flask else {}
    names = _Names(module, imports)
    found: list[Registration] = []
    helpers = _registering_helpers(module) if flask else {}
    url_helpers = route_helpers(module) if flask else {}
    nodes = index if index is not None else unindexed()
    for body, aliases, function in _bodies(module, with_aliases=True):
        scoped = names.within(function)
        for call in nodes.block_of_kind(body, ir.Call):  # every call of the body, in walk order
            if isinstance(call.func, ir.Name) and call.func.id in url_helpers:
                found.extend(_from_route_helper(call, url_helpers[call.func.id], scoped, prefixes))
                continue
            if isinstance(call.func, ir.Attr) and call.func.attr in helpers:
                call = replace(call, func=replace(call.func, attr=helpers[call.func.attr]))
            found.extend(_from_call(call, scoped, prefixes, aliases, flask, aiohttp))
    for cls in module.classes:
        found.extend(_from_class_decorators(cls, module.module_name, prefixes, flask, aiohttp, names))
    if "falcon" in names.tops:  # `for path, resource in ROUTES: app.add_route(path, resource())`
        tables = literal_tables(module.body)
        looped = [r for body, _, function in _bodies(module)
                  for call in looped_calls(body, tables) for r in _falcon_route(call, names.within(function))]
        found.extend(dict.fromkeys(looped))
    if (aiohttp or "falcon" in names.tops) and (apps := route_apps(module, imports)):
        # which application each route is added to (its middleware runs before the route's handler)
        found = [replace(r, router=apps[r.line]) if r.framework in ("aiohttp", "falcon") and not r.router
                 and r.line in apps else r for r in found]
    if tops & ASGI_PACKAGES or _adds_api_routes(module, index):
        routers = _asgi_router_prefixes(module)
        for body, _, function in _bodies(module):
            scoped = names.within(function)
            calls = nodes.block_of_kind(body, ir.Call)
            added = {call.line: call for call in calls if callee_last_name(call) == _API_ROUTE}
            found.extend(_with_dependencies(Registration(target, path, methods, framework, line, names.module, router),
                                            added.get(line), scoped)
                         for target, path, methods, framework, line, router in asgi_registrations(
                             calls, imports, scoped.target, lambda receiver: _asgi_router(receiver, names, routers))
                         if not target.startswith(UNRESOLVED))
    if flask:
        found.extend(_from_route_tables(module, names, prefixes))
    return tuple(found)


def _with_dependencies(registration: Registration, call: ir.Call | None, names: "_Names") -> Registration:
    """An `add_api_route`'s `dependencies=`: each one the module can name is decided by its body
    like a decorator; one it cannot (`Security(auth)` with `auth` read off an object at run time)
    leaves the route's auth undecided rather than open, unless a named one is a guard (decided
    later, `inventory.decide_principals`)."""
    if call is None:
        return registration
    named, unread = [], []
    for dependency in route_dependencies(call):
        instance = isinstance(dependency, ir.Call)
        name = names.target(dependency.func if isinstance(dependency, ir.Call) else dependency)
        if name and not name.startswith(UNRESOLVED):
            named.append(name + (".__call__" if instance else ""))
        else:
            unread.append(ir.dotted_name(dependency.func if instance else dependency) or "a dependency")  # type: ignore[union-attr]
    listed = call.kwarg("dependencies")
    if listed is not None and not _written_out(listed):  # `dependencies=common_deps`: a list held elsewhere
        unread.append(ir.dotted_name(listed) or "dependencies=")
    return replace(registration, decorators=tuple(dict.fromkeys(named)),
                   unread_dependency=unread[0] if unread else "")


def _written_out(listed: ir.Expr) -> bool:
    """`dependencies=[...]`, `[...] if flag else None`, `None`: every list it may be is written here."""
    if isinstance(listed, ir.IfExp):
        return _written_out(listed.body) and _written_out(listed.orelse)
    return isinstance(listed, ir.Seq) or isinstance(listed, ir.Const) and listed.value is None


def _adds_api_routes(module: ir.Module, index: FileIndex | None) -> bool:
    """A module that calls `add_api_route` on a router it is handed (`def register_routes(api):
    api.router.add_api_route(...)`) registers FastAPI routes without importing FastAPI."""
    if index is not None:
        return bool(index.calls_named(_API_ROUTE))
    return any(callee_last_name(call) == _API_ROUTE for body, _, _ in _bodies(module) for call in _calls(body))


_API_ROUTE = "add_api_route"


def _asgi_router_prefixes(module: ir.Module) -> dict[str, str]:
    """`router = APIRouter(prefix="/v1")` at module level: name -> prefix."""
    found = {}
    for stmt in module.body:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) \
                and (ir.dotted_name(stmt.value.func) or "").rpartition(".")[2].endswith("Router"):
            prefix = _text(stmt.value.kwarg("prefix")) or ""
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    found[target.id] = prefix.rstrip("/")
    return found


def _asgi_router(receiver: ir.Expr, names: "_Names", routers: Mapping[str, str]) -> tuple[str, str]:
    """(prefix, project-wide name) of the app or router an `add_api_route` is called on."""
    dotted = ir.dotted_name(receiver) or ""
    head, _, rest = dotted.partition(".")
    if head in names.imports:
        return "", names.imports[head] + (f".{rest}" if rest else "")
    return routers.get(dotted, ""), f"{names.module}.{dotted}" if dotted else ""


def _from_route_tables(module: ir.Module, names: "_Names", prefixes: Mapping[str, str]) -> list[Registration]:
    """Each row of a (path, view) table that a loop or a project helper registers; a class body
    holds such tables too (`resource_mapping = [resource_map(resource=R, url="/r"), ...]` read by
    the project's base class when it registers its resources)."""
    found = []
    bodies = [body for body, _, _ in _bodies(module)] + [cls.body for cls in module.classes]
    for use in table_uses(module, iter(bodies)):
        prefix = prefixes.get(use.receiver, "")
        wrappers = decorator_names(use.decorators, names.target)
        for row in use.rows:
            view, own = _unwrapped(row.view)
            target = names.target(view)
            if target and not target.startswith(UNRESOLVED):
                found.append(Registration(target, prefix + row.path, (), "flask", row.line, names.module,
                                          decorators=wrappers + decorator_names(own, names.target)))
    return found


def _from_route_helper(call: ir.Call, helper: RouteHelper, names: "_Names",
                       prefixes: Mapping[str, str]) -> list[Registration]:
    """`register_api(InvoiceAPI, "invoices", "/invoices/")` of a helper of this module."""
    found = []
    for route in helper_routes(call, helper):
        view, wrappers = _unwrapped(route.view)
        target = names.target(view)
        if target and not target.startswith(UNRESOLVED):
            found.append(Registration(target, route.path, route.methods, "flask", route.line, names.module,
                                      decorators=decorator_names(wrappers, names.target)))
    return found


def _unwrapped(view: ir.Expr) -> tuple[ir.Expr, tuple[ir.Expr, ...]]:
    """`login_required(csrf_exempt(V.as_view("v")))` -> (`V.as_view("v")`, its wrappers)."""
    wrappers: list[ir.Expr] = []
    while isinstance(view, ir.Call) and len(view.args) == 1 and not view.kwargs \
            and not (isinstance(view.func, ir.Attr) and view.func.attr == "as_view"):
        wrappers.append(view.func)
        view = view.args[0]
    return view, tuple(wrappers)


class _Names:
    """Dotted project-wide names for expressions of one module."""

    def __init__(self, module: ir.Module, imports: Mapping[str, str]) -> None:
        self.module = module.module_name
        self.imports = imports
        self.local = {f.qualname for f in module.functions if f.parent is None and f.class_name is None} | \
            {c.qualname for c in module.classes}
        self.instances = _instances(module)
        self.tops = frozenset(target.split(".")[0] for target in imports.values())
        self.functions = module.functions
        self.closures: dict[str, str] = {}  # within one function: the functions it defines

    def target(self, expr: ir.Expr) -> str:
        if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr == "as_view":
            expr = expr.func.value
        dotted = ir.dotted_name(expr) or ""
        if not dotted:
            return ""
        head, _, rest = dotted.partition(".")
        if head in self.closures and not rest:
            return self.closures[head]
        if head in self.imports:
            return self.imports[head] + (f".{rest}" if rest else "")
        if head in self.local:
            return f"{self.module}.{dotted}"
        if head in self.instances and rest:
            return f"{self.instances[head]}.{rest}"
        return UNRESOLVED + dotted.rsplit(".", 1)[-1] if rest or head else ""

    def within(self, function: ir.Function | None) -> "_Names":
        """The names one function's body sees: besides the module's instances, its `self` (an
        instance of its class) and each parameter annotated with a class of the project (`api:
        "RESTfulAPI"`), so a bound method handed as a handler (`self.create`, `api.create`) names
        that class's method; and the functions it defines (`async def heartbeat(...)` handed to
        `router.add_api_route` in the function that registers the routes)."""
        if function is None:
            return self
        typed = _typed_receivers(function, self.qualify_class)
        closures = {f.name: f"{self.module}.{f.qualname}" for f in self.functions if f.parent == function.qualname}
        if not typed and not closures:
            return self
        scoped = copy(self)
        scoped.instances = {**self.instances, **typed}
        scoped.closures = closures
        return scoped

    def qualify_class(self, name: str) -> str:
        head, _, rest = name.partition(".")
        if head in self.imports:
            return self.imports[head] + (f".{rest}" if rest else "")
        return f"{self.module}.{name}" if head in self.local else ""


def _typed_receivers(function: ir.Function, qualify_class: Callable[[str], str]) -> dict[str, str]:
    """Parameter -> project-wide class: a method's first parameter is its class's instance (not a
    static method's); a parameter annotated with a class name (written or quoted) is one of it."""
    found: dict[str, str] = {}
    params = list(function.params)
    static = any(ir.dotted_name(d) == "staticmethod" for d in function.decorators)
    if function.class_name and params and params[0].kind == "positional" and not static \
            and function.parent is None and (owner := qualify_class(function.class_name)):
        found[params[0].name] = owner
    for param in params:
        annotation = param.annotation
        written = annotation.value if isinstance(annotation, ir.Const) and isinstance(annotation.value, str) \
            else ir.dotted_name(annotation) if isinstance(annotation, (ir.Name, ir.Attr)) else None
        if written and _CLASS_NAME.match(written.rpartition(".")[2]) and (cls := qualify_class(written)):
            found[param.name] = cls
    return found


_CLASS_NAME = re.compile(r"^_?[A-Z]\w*[a-z]\w*$")  # CapWords, not a CONSTANT


def view_namer(module: ir.Module, imports: Mapping[str, str]) -> "Callable[[ir.Expr], str]":
    """How this module's registrations name a view project-wide (`_Names.target`)."""
    return _Names(module, imports).target


_INSTANCES_KEY = "registrations-instances"


def _instances(module: ir.Module) -> Mapping[str, str]:
    """`handler = SiteHandler(db)` anywhere in the module: `handler.index` is SiteHandler.index.
    Asked by every `_Names` of the module (registrations, applications, view namers, framework
    calls): read once per module (`module.derived`), from its assignments."""
    found = module.derived.get(_INSTANCES_KEY)
    if found is None:
        found = module.derived[_INSTANCES_KEY] = _read_instances(module)
    return found  # type: ignore[return-value]


def _read_instances(module: ir.Module) -> dict[str, str]:
    classes = {c.qualname for c in module.classes}
    imports = {imp.local: imp.target for imp in module.imports}
    found: dict[str, str] = {}
    for _, statements in ir.body_statements(module):
        for stmt in statements:
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call):
                cls = ir.dotted_name(stmt.value.func) or ""
                qualified = f"{module.module_name}.{cls}" if cls in classes else \
                    imports.get(cls) if cls[:1].isupper() and cls in imports else None
                for target in stmt.targets:
                    if qualified and isinstance(target, ir.Name):
                        found[target.id] = qualified
    return found


_FORWARDED = ("add_resource", "add_url_rule")


def _registering_helpers(module: ir.Module) -> dict[str, str]:
    """The project's own route helpers: `def add_org_resource(self, resource, *urls, **kw):
    return self.add_resource(resource, *urls, **kw)` registers what it is given, so a call to
    it is an `add_resource` (name -> the registration it forwards to)."""
    found: dict[str, str] = {}
    for function in module.functions:
        params = [p.name for p in function.params if p.name not in ("self", "cls")]
        if not params or function.name in _FORWARDED:
            continue
        for call in _calls(function.body):
            forwarded = call.func.attr if isinstance(call.func, ir.Attr) else ""
            if forwarded in _FORWARDED and call.args and isinstance(call.args[0], ir.Name) \
                    and call.args[0].id == params[0]:
                found[function.name] = forwarded
    return found


def _bodies(module: ir.Module, with_aliases: bool = False
            ) -> Iterator[tuple[tuple[ir.Stmt, ...], dict[str, str], ir.Function | None]]:
    """The module body and every function body, each with its function (None for the module's)
    and, when asked (`with_aliases`: only `registrations` reads them), its
    `add_route = app.router.add_route` aliases."""
    for function, statements in ir.body_statements(module):
        body = module.body if function is None else function.body
        aliases: dict[str, str] = {}
        for stmt in statements if with_aliases else ():
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Attr) \
                    and (stmt.value.attr in _AIOHTTP_ADDERS or stmt.value.attr in ("add_route", "add_view")):
                for target in stmt.targets:
                    if isinstance(target, ir.Name):
                        aliases[target.id] = stmt.value.attr
        yield body, aliases, function


_calls = ir.calls_in_body


def _text(expr: ir.Expr | None) -> str | None:
    return expr.value if isinstance(expr, ir.Const) and isinstance(expr.value, str) else None


def _from_call(call: ir.Call, names: _Names, prefixes: Mapping[str, str], aliases: Mapping[str, str],
               flask: bool, aiohttp: bool) -> list[Registration]:
    scope = names.module
    if isinstance(call.func, ir.Attr):
        method, receiver = call.func.attr, call.func.value
    elif isinstance(call.func, ir.Name) and call.func.id in aliases:
        method, receiver = aliases[call.func.id], None
    else:
        method, receiver = "", None
    if method == "add_resource" and flask and call.args:
        target = names.target(call.args[0])
        prefix = prefixes.get(ir.dotted_name(receiver) or "", "") if receiver is not None else ""
        paths = [p for p in (_text(a) for a in call.args[1:]) if p is not None]
        return [Registration(target, prefix + p, (), "flask", call.line, scope, _router(receiver, names, prefixes))
                for p in paths if target]
    if method == "add_url_rule" and flask:
        return _url_rule(call, names, prefixes.get(ir.dotted_name(receiver) or "", "") if receiver is not None else "",
                         _router(receiver, names, prefixes))
    if method == "add_route" and "falcon" in names.tops:
        return _falcon_route(call, names)
    if method in _AIOHTTP_ADDERS or method in ("add_route", "add_view"):
        return _aiohttp_adder(call, method, names)
    if aiohttp:
        return _route_def(call, names)
    return []


def _router(receiver: ir.Expr | None, names: _Names, prefixes: Mapping[str, str]) -> str:
    """The project-wide name of the blueprint/API a route is registered on by a call
    (`bp.add_url_rule(...)`, `api.add_resource(...)`): the module's own blueprints, or one it
    imports, so the hooks registered on that blueprint (`bp.before_request(check_key)`) cover it."""
    dotted = ir.dotted_name(receiver) if receiver is not None else None
    if not dotted:
        return ""
    head, _, rest = dotted.partition(".")
    if head in names.imports:
        return names.imports[head] + (f".{rest}" if rest else "")
    return f"{names.module}.{dotted}" if dotted in prefixes else ""


def _url_rule(call: ir.Call, names: _Names, prefix: str, router: str = "") -> list[Registration]:
    rule = _text(call.arg(0, "rule"))
    view = call.kwarg("view_func") or call.arg(2)
    if rule is None or view is None:
        return []
    view, wrappers = _unwrapped(view)
    target = names.target(view)
    listed = call.kwarg("methods")
    methods = tuple(m.upper() for m in (_text(e) for e in listed.elts) if m) if isinstance(listed, ir.Seq) else ()
    if not methods and not (isinstance(view, ir.Call)):
        methods = ("GET",)  # a plain view function answers GET unless `methods=` says otherwise
    return [Registration(target, prefix + rule, methods, "flask", call.line, names.module, router,
                         decorators=decorator_names(wrappers, names.target))] if target else []


def _falcon_route(call: ir.Call, names: _Names) -> list[Registration]:
    """`app.add_route("/items/{item_id}", ItemResource(db))`: the resource's `on_<verb>` responders
    answer at the URI template (the class's own methods decide which verbs)."""
    path, resource = _text(call.arg(0, "uri_template")), call.arg(1, "resource")
    if isinstance(resource, ir.Call):
        resource = resource.func
    if isinstance(resource, ir.Name) and resource.id in names.instances:  # `items = ItemResource(db)`
        target = names.instances[resource.id]
    else:
        target = names.target(resource) if resource is not None else ""
    suffix = _text(call.kwarg("suffix")) or ""
    if path is None or not target:
        return []
    return [Registration(target, path, (), "falcon", call.line, names.module, responder_suffix=suffix)]


def _aiohttp_adder(call: ir.Call, method: str, names: _Names) -> list[Registration]:
    if method == "add_route":
        verb, path, handler = _text(call.arg(0, "method")), _text(call.arg(1, "path")), call.arg(2, "handler")
        if verb is None or (verb != "*" and verb.lower() not in HTTP_VERBS):
            return []  # Pyramid's `config.add_route(name, pattern)` has no handler
        methods: tuple[str, ...] = ("*",) if verb == "*" else (verb.upper(),)
    elif method == "add_view":
        path, handler, methods = _text(call.arg(0, "path")), call.arg(1, "handler"), ()
    else:
        path, handler, methods = _text(call.arg(0, "path")), call.arg(1, "handler"), (_AIOHTTP_ADDERS[method],)
    target = names.target(handler) if handler is not None else ""
    if path is None or not target:
        return []
    return [Registration(target, path, methods, "aiohttp", call.line, names.module)]


def _route_def(call: ir.Call, names: _Names) -> list[Registration]:
    """`web.get("/p", handler)`, `web.route("POST", "/p", handler)`, `web.view("/p", View)`."""
    dotted = ir.dotted_name(call.func) or ""
    head, _, attr = dotted.rpartition(".")
    if attr not in _ROUTE_DEF_CALLS or names.imports.get(head.split(".")[0], head) not in ("aiohttp.web", "aiohttp"):
        return []
    if attr == "route":
        verb, path, handler = _text(call.arg(0, "method")), _text(call.arg(1, "path")), call.arg(2, "handler")
        methods: tuple[str, ...] = ("*",) if verb == "*" else ((verb.upper(),) if verb else ())
    else:
        path, handler = _text(call.arg(0, "path")), call.arg(1, "handler")
        methods = (_ROUTE_DEF_CALLS[attr],) if _ROUTE_DEF_CALLS[attr] else ()
    target = names.target(handler) if handler is not None else ""
    if path is None or not target:
        return []
    return [Registration(target, path, methods, "aiohttp", call.line, names.module)]


def _from_class_decorators(cls: ir.ClassDef, module_name: str, prefixes: Mapping[str, str], flask: bool,
                           aiohttp: bool, names: "_Names") -> list[Registration]:
    found = []
    for decorator in cls.decorators:
        if flask and isinstance(decorator, ir.Call) and not (isinstance(decorator.func, ir.Attr)
                                                             and decorator.func.attr in ("route", "view")):
            found.extend(_registering_decorator(cls, decorator, names, prefixes))
        if not isinstance(decorator, ir.Call) or not isinstance(decorator.func, ir.Attr):
            continue
        path = _text(decorator.arg(0))
        receiver = ir.dotted_name(decorator.func.value) or ""
        if path is None:
            continue
        if decorator.func.attr == "route" and flask:
            found.append(Registration(f"{module_name}.{cls.qualname}", prefixes.get(receiver, "") + path, (),
                                      "flask", cls.line, module_name,
                                      f"{module_name}.{receiver}" if receiver in prefixes else ""))
        elif decorator.func.attr == "view" and aiohttp:
            found.append(Registration(f"{module_name}.{cls.qualname}", path, (), "aiohttp", cls.line, module_name))
    return found


def _registering_decorator(cls: ir.ClassDef, decorator: ir.Call, names: "_Names",
                           prefixes: Mapping[str, str]) -> list[Registration]:
    """`@resource("/v1/user/", "/v1/users/me")` on a class answering HTTP verbs: a decorator of any
    name called with URL rules registers the class there (the project's wrapper of
    `api.add_resource`, whose router is the decorator: endpoints.registering_decorators mounts it
    on the API it registers with; flask-restful's own `@api.resource(...)`, whose router is the API)."""
    paths = [p for p in (_text(a) for a in decorator.args) if p is not None and p.startswith("/")]
    answers = any(isinstance(s, ir.Def) and s.qualname.rsplit(".", 1)[-1] in HTTP_VERBS for s in cls.body)
    if not paths or len(paths) != len(decorator.args) or not answers:
        return []
    receiver = (ir.dotted_name(decorator.func.value) or "") if isinstance(decorator.func, ir.Attr) else ""
    if receiver in prefixes:
        prefix, router = prefixes[receiver], f"{names.module}.{receiver}"
    else:
        prefix, router = "", names.target(decorator.func.value if receiver else decorator.func)
    return [Registration(f"{names.module}.{cls.qualname}", prefix + path, (), "flask", cls.line, names.module,
                         "" if router.startswith(UNRESOLVED) else router) for path in paths]


def router_prefixes(module: ir.Module) -> dict[str, str]:
    """The module's blueprints, APIs and namespaces by local name -> their URL prefix."""
    return _prefixes(module)


def _prefixes(module: ir.Module) -> dict[str, str]:
    """URL prefixes of the module's blueprints, APIs and namespaces:
    `bp = Blueprint(..., url_prefix="/v1")`, `api = Api(bp, prefix="/api")`,
    `ns = api.namespace("orders")` / `Namespace("orders", path="/orders")`."""
    return body_prefixes(module.body)


def body_prefixes(body: tuple[ir.Stmt, ...]) -> dict[str, str]:
    """`_prefixes` of the blueprints, APIs and namespaces one body (a module's, a factory's) builds."""
    found: dict[str, str] = {}
    for stmt in body:
        if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Call):
            continue
        call = stmt.value
        callee = (ir.dotted_name(call.func) or "").rsplit(".", 1)[-1]
        prefix: str | None = None
        if callee == "Blueprint":
            prefix = _text(call.kwarg("url_prefix")) or ""
        elif callee == "Api":
            parent = ir.dotted_name(call.arg(0, "app")) if call.arg(0, "app") is not None else None
            prefix = found.get(parent or "", "") + (_text(call.kwarg("prefix")) or "")
        elif callee in ("namespace", "Namespace"):
            name = _text(call.arg(0, "name"))
            path = _text(call.kwarg("path"))
            parent = ir.dotted_name(call.func.value) if isinstance(call.func, ir.Attr) else None
            prefix = found.get(parent or "", "") + (path if path is not None else f"/{name}" if name else "")
        if prefix is None:
            continue
        for target in stmt.targets:
            if isinstance(target, ir.Name):
                found[target.id] = prefix.rstrip("/")
    return found


def namespace_mounts(module: ir.Module, imports: Mapping[str, str]) -> tuple[tuple[str, str, str], ...]:
    """`CTFd_API_v1.add_namespace(challenges_namespace, "/challenges")` under
    `CTFd_API_v1 = Api(Blueprint(..., url_prefix="/api/v1"))`: (parent api, mounted
    namespace, the api's prefix), both project-wide names; routes declared on the namespace
    are served below that prefix."""
    tops = {target.split(".")[0] for target in imports.values()}
    if not tops & FLASK_FAMILY:
        return ()
    prefixes = _prefixes(module)
    names = _Names(module, imports)
    found = []
    for body, _, _ in _bodies(module):
        for call in _calls(body):
            if isinstance(call.func, ir.Attr) and call.func.attr == "add_namespace" and call.args:
                parent = ir.dotted_name(call.func.value) or ""
                child = names.target(call.args[0])
                prefix = prefixes.get(parent, "")
                if child and prefix and not child.startswith(UNRESOLVED):
                    found.append((f"{module.module_name}.{parent}", child, prefix))
    return tuple(found)
