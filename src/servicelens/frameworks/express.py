"""Express (and Koa) routes of one JavaScript/TypeScript module, with their middleware chains.

    const app = express();              app.use(helmet());  app.use('/api', auth, apiRouter);
    const router = express.Router();    router.get('/:id', requireUser, (req, res) => ...);
    router.route('/x').get(h).post(h2); module.exports = router;

Registrations are read in statement order, because `app.use(mw)` applies to what is
registered after it (and `app.use('/admin', mw)` only below `/admin`). Each route gets its
local path, its handler and the middleware in effect; each `use(path, ..., router)` is a
mount edge and each export of an app, router or function an edge from the module's
import name to it (both as RouterInclude, which frameworks/express_mounts.py follows
project-wide). Middleware is judged by its body (frameworks/express_auth.py) or by the
knowledge file when it comes from a package; what this file cannot decide is left as a
principal ref for the project phase.

Koa routers (`new Router({ prefix })`, models/node/frameworks.yaml) register routes and
middleware the same way; `app.use(router.routes())` mounts one. Their routes say `koa`.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterator

from servicelens import ir
from servicelens.analysis.caller_privilege import names_admin_roles_only
from servicelens.endpoints.principals import GUARD, INERT, Principal
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.express_auth import credential_read_of, family_of, judge
from servicelens.frameworks.express_knowledge import MiddlewareKnowledge
from servicelens.frameworks.express_terminal import answers_request
from servicelens.frameworks.file_operations import FOLDER, OPERATIONS, file_operations_knowledge
from servicelens.frameworks.file_operations import module_operations, mounted_by
from servicelens.frameworks.hook_path_exemptions import LETS_THROUGH, UNMATCHED, PathExemption, exempted, hook_exemptions
from servicelens.frameworks.hook_path_exemptions import under_mount, unread
from servicelens.frameworks.js_knowledge import express_factories, koa_knowledge
from servicelens.frameworks.path_constants import constant_helpers
from servicelens.frameworks.path_helpers import PathCall, PathHelperFacts, helper_call, module_helpers
from servicelens.frameworks.nextjs_routes import NEXT_FRAMEWORK, NEXT_ROUTER, next_knowledge, next_operations, next_route
from servicelens.frameworks.python_handlers import RouterInclude
from servicelens.frameworks.route_options import OptionGate, RefOptions, call_options, option_gate
from servicelens.frameworks.rest_resources import milestone_hook, resource_knowledge, resource_routes
from servicelens.lang.javascript.lower_expr import INLINE_REQUIRE
from servicelens.lang.javascript.modules import imported_name, resolve_specifier

FRAMEWORK = "express"
# the parent of every `express()` application: the process serves it
EXPRESS_ROOT = "express:application"
# a route all of whose middleware is visible and checks nobody: open, once the mounts above it agree
NO_CHECK_HERE = "no middleware on the route checks the caller"
ROUTE_METHODS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE",
                 "head": "HEAD", "options": "OPTIONS", "all": "ALL"}
_MAX_VALUE_DEPTH = 4
_APP_PARAMS = frozenset({"app", "router"})
_APP_TYPES = frozenset({"Express", "Application", "Router", "IRouter"})
# koa-router's verbs: Express's, and `del` for DELETE
_KOA_METHODS = {**ROUTE_METHODS, "del": "DELETE"}
# who reaches a request run (analysis/caller_privilege.py levels)
_ANYONE = "anyone"
_SIGNED_IN = "signed-in"


@dataclass(frozen=True, slots=True)
class Entry:
    """One middleware of a chain: a guard, visibly open, or a name decided project-wide."""

    verdict: str  # guard | inert | ref
    text: str  # evidence for a guard, the project-wide name for a ref, the shown name otherwise
    # what a ref's call passes (`route({ authentication: "never" })`): frameworks/route_options.py
    options: tuple[RefOptions, ...] = ()
    # a guard's paths it lets through before checking (frameworks/hook_path_exemptions.py)
    exempt: tuple[PathExemption, ...] = ()
    # project-wide name of the module's own function it is, whatever the verdict (rules that ask
    # which middleware a route runs, not whether it authenticates: rules/javascript/csrf.py)
    name: str = ""


@dataclass(frozen=True, slots=True)
class ForeignHandler:
    """A route handler this module does not define (`users.create`, `ctrl.list` of an object
    built here): the expression registered and the function whose variables it names."""

    qualname: str  # the route's qualname: the handler expression as written
    expr: ir.Expr
    scope: str  # qualname of the registering function, "" at module level
    line: int


@dataclass(frozen=True, slots=True)
class RequestRun:
    """A function the framework runs in a request besides the route handlers: a middleware of
    `use` or of a route's chain, an error handler, the function a handler factory or wrapper is
    (its returned closure answers the request). `callers`: who reaches it (analysis/caller_privilege
    levels): anyone for an application's own middleware, any signed-in user after a guard."""

    qualname: str
    callers: str


@dataclass(frozen=True, slots=True)
class ExpressFacts:
    routes: tuple[RouteFact, ...]
    edges: tuple[RouterInclude, ...]
    principals: tuple[Principal, ...]
    foreign: tuple[ForeignHandler, ...] = ()
    runs: tuple[RequestRun, ...] = ()
    # route paths written as calls of the registering object's methods (frameworks/path_helpers.py)
    path_helpers: PathHelperFacts = PathHelperFacts()


@dataclass
class _App:
    key: str
    middleware: list[tuple[str, Entry]] = field(default_factory=list)  # (path prefix, entry) in order
    framework: str = FRAMEWORK
    prefix: str = ""  # a Koa router's own `prefix` option
    application: bool = False  # `express()` / `new Koa()` itself: what it runs, it runs for anyone


def express_facts(module: ir.Module, imports: dict[str, str], knowledge: MiddlewareKnowledge,
                  app_params: bool = True) -> ExpressFacts:
    """`app_params`: False in a module of another framework's plugins (Fastify), whose `app`
    parameters are that framework's instances."""
    reader = _Reader(module, imports, knowledge)
    if app_params:
        for function in module.functions:
            reader.app_params(function)
        reader.held_apps()
    reader.read(module.body, None)
    for function in module.functions:
        reader.read(function.body, function)
    reader.handed_in_edges()
    reader.file_operations()
    reader.next_routes()
    helpers, bases = module_helpers(module, imports)
    helpers += constant_helpers(module)  # what a route path naming a constant of this module reads
    return ExpressFacts(tuple(reader.routes), tuple(dict.fromkeys(reader.edges)), reader.principals(),
                        tuple({f.qualname: f for f in reader.foreign}.values()), tuple(dict.fromkeys(reader.runs)),
                        PathHelperFacts(helpers, tuple(dict.fromkeys(reader.path_calls)), bases)
                        if reader.path_calls or helpers else PathHelperFacts())


class _Reader:
    def __init__(self, module: ir.Module, imports: dict[str, str], knowledge: MiddlewareKnowledge) -> None:
        self.module = module
        self.imports = imports
        self.knowledge = knowledge
        self.functions = {f.qualname: f for f in module.functions}
        self.variables = {t.id: s.value for s in module.body if isinstance(s, ir.Assign) and s.value is not None
                          for t in s.targets if isinstance(t, ir.Name)}
        self.objects: dict[str, _App] = {}  # local key (scope + name) -> app or router
        self.routes: list[RouteFact] = []
        self.edges: list[RouterInclude] = []
        self.foreign: list[ForeignHandler] = []
        self.runs: list[RequestRun] = []
        self.path_calls: list[PathCall] = []
        self._judged: dict[str, Entry] = {}
        self._named_calls: dict[str, list[ir.Call]] | None = None  # `_calls_by_name`, made once
        # (function, parameter index, app key, field) of app parameters: the field of an options object
        # the app is handed in (`const { router } = params`), '' for the parameter itself
        self._handed_in: list[tuple[str, int, str, str]] = []
        # `public router = Router()`, `this.app = express()`: what a class's members hold, by (class, member)
        self.members = _class_members(module)
        rest = resource_knowledge()
        # generated REST resources (frameworks/rest_resources.py): the package's local names, the
        # application each was initialised with, and each resource variable's routes
        self._rest_packages = {local for local, target in imports.items() if target in rest.packages}
        self._rest_apps: dict[str, tuple[_App, str]] = {}
        self._rest_vars: dict[str, tuple[int, int]] = {}  # variable -> position of its resource() call
        self._rest_routes: dict[tuple[int, int], list[int]] = {}  # resource() call -> indexes in self.routes
        # the module imports a file-operations package (frameworks/file_operations.py)
        self._file_routed = any(target.split(".")[0] in file_operations_knowledge().packages
                                for target in imports.values())

    # ---------------------------------------------------------------- names
    def qualify(self, expr: ir.Expr) -> str:
        """Project-wide dotted name of a Name/Attr chain through imports, '' when local or unknown."""
        attrs: list[str] = []
        base = expr
        while isinstance(base, ir.Attr):
            attrs.append(base.attr)
            base = base.value
        if isinstance(base, ir.Call) and isinstance(base.func, ir.Name) and base.func.id == "require" and base.args:
            # `require('cors')()`, `require('express').Router()`
            return ".".join([resolve_specifier(self.module.path, path_literal(base.args[0])), *reversed(attrs)])
        return imported_name(expr, self.imports)

    def _object(self, expr: ir.Expr, scope: ir.Function | None) -> _App | None:
        member = self._member(expr, scope)
        if member is not None:
            return self._member_app(member)
        if isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Name) and scope is not None:
            return self.objects.get(f"{scope.qualname}.{expr.value.id}.{expr.attr}")  # `args.app` handed in
        if not isinstance(expr, ir.Name):
            return None
        if scope is not None and f"{scope.qualname}.{expr.id}" in self.objects:
            return self.objects[f"{scope.qualname}.{expr.id}"]
        return self.objects.get(expr.id)

    @staticmethod
    def _member(expr: ir.Expr, scope: ir.Function | None) -> tuple[str, str] | None:
        """`this.router` inside a method of `UsersRoute`: (class, member)."""
        if isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Name) and expr.value.id == "self" \
                and scope is not None and scope.class_name:
            return scope.class_name, expr.attr
        return None

    def _member_app(self, member: tuple[str, str]) -> _App | None:
        """The app or router a class member holds (`public router = Router()`), made once per class."""
        local = f"{member[0]}#{member[1]}"
        if local not in self.objects:
            value = self.members.get(member)
            handed = self._constructor_app(member, value)
            if handed is not None:
                return handed
            made = self.qualify(value.func) if isinstance(value, ir.Call) else ""
            koa = koa_knowledge()
            if made not in _factories():
                return None
            key = f"{self.module.module_name}.{member[0]}.{member[1]}"
            on_koa = made in koa.router_factories or made in koa.app_factories
            is_app = made in express_factories().app_factories or made in koa.app_factories
            self.objects[local] = _App(key, framework="koa" if on_koa else FRAMEWORK, application=is_app)
            if is_app:
                self.edges.append(RouterInclude(EXPRESS_ROOT, key, False, value.line if value else 0))
        return self.objects[local]

    def _constructor_app(self, member: tuple[str, str], value: ir.Expr | None) -> _App | None:
        """`constructor(private _app: Application)` (or `this.router = router` of a parameter named
        so): the application the object's maker hands it, as the child of the constructor's argument
        slot, which `new Api(app)` fills (see _hands_app)."""
        cls = member[0]
        constructor = self.functions.get(f"{cls}.constructor")
        if not isinstance(value, ir.Name) or constructor is None:
            return None
        for index, param in enumerate(constructor.params):
            annotation = (ir.dotted_name(param.annotation) or "") if param.annotation is not None else ""
            if param.name == value.id and (param.name.lstrip("_") in _APP_PARAMS
                                           or annotation.rsplit(".", 1)[-1] in _APP_TYPES):
                app = self.objects.setdefault(f"{cls}#{member[1]}", _App(f"{self.module.module_name}.{cls}.{member[1]}"))
                owner = f"{self.module.module_name}.{cls}"
                self.edges.append(RouterInclude(argument_slot(owner, index), app.key, False, constructor.line))
                return app
        return None

    def _local_function(self, expr: ir.Expr, scope: ir.Function | None) -> ir.Function | None:
        if not isinstance(expr, ir.Name):
            return None
        if scope is not None:
            nested = self.functions.get(f"{scope.qualname}.<locals>.{expr.id}")
            if nested is not None:
                return nested
        return self.functions.get(expr.id)

    def _through_instance(self, handler: ir.Expr, scope: ir.Function | None) -> ir.Expr:
        """`ctrl.list` where `const ctrl = new Controller(db)` (or `makeController(db)`): the
        method as `Controller.list`, named by what built the object, so the call graph finds it
        the way it finds a method of a factory's result."""
        held = self._member(handler.value, scope) if isinstance(handler, ir.Attr) else None
        if held is not None:  # `this.users.getUsers` where `public users = new UsersController()`
            value = self.members.get(held)
            if isinstance(value, ir.Call) and isinstance(value.func, (ir.Name, ir.Attr)):
                return ir.Attr(handler.line, handler.col, value.func, handler.attr)  # type: ignore[union-attr]
            return handler
        if not isinstance(handler, ir.Attr) or not isinstance(handler.value, ir.Name):
            return handler
        name = handler.value.id
        assigned = self.variables.get(name)
        if scope is not None:
            assigned = next((s.value for s in ir.walk_stmts(scope.body) if isinstance(s, ir.Assign)
                             and any(isinstance(t, ir.Name) and t.id == name for t in s.targets)), assigned)
        if isinstance(assigned, ir.Await):
            assigned = assigned.value
        if isinstance(assigned, ir.Call) and isinstance(assigned.func, (ir.Name, ir.Attr)):
            return ir.Attr(handler.line, handler.col, assigned.func, handler.attr)
        return handler

    def app_params(self, function: ir.Function) -> None:
        """`module.exports = (app, db) => { app.post(...) }`: routes registered on an application
        or router handed in by the caller (named so, typed `Express`/`Router`, or used so:
        `server.delete('/admin/cache', handler)`)."""
        registers = _route_receivers(function)
        for index, param in enumerate(function.params):
            annotation = (ir.dotted_name(param.annotation) or "") if param.annotation is not None else ""
            if param.name in _APP_PARAMS or annotation.rsplit(".", 1)[-1] in _APP_TYPES or param.name in registers:
                local = f"{function.qualname}.{param.name}"
                app = self.objects.setdefault(
                    local, _App(f"{self.module.module_name}.{function.qualname}.<locals>.{param.name}"))
                self._handed_in.append((function.qualname, index, app.key, ""))
        self._handed_in_fields(function, registers)
        self._handed_in_rest(function, registers)

    def _handed_in_rest(self, function: ir.Function, registers: set[str]) -> None:
        """`function routes(...[router, tenant]: Args)` (or `const [router] = args` of `...args`):
        element k of a rest parameter at position i is the caller's argument i + k, so an app or
        router bound from it, named so or used so, is handed in like a plain parameter."""
        rest = {p.name: i for i, p in enumerate(function.params) if p.kind == "vararg"}
        if not rest:
            return
        for stmt in function.body:
            value = stmt.value if isinstance(stmt, ir.Assign) else None
            if not (isinstance(value, ir.Subscript) and isinstance(value.value, ir.Name) and value.value.id in rest
                    and isinstance(value.index, ir.Const) and isinstance(value.index.value, int)):
                continue
            slot = rest[value.value.id] + value.index.value
            for target in stmt.targets:  # type: ignore[union-attr]
                if isinstance(target, ir.Name) and (target.id in _APP_PARAMS or target.id in registers):
                    local = f"{function.qualname}.{target.id}"
                    app = self.objects.setdefault(
                        local, _App(f"{self.module.module_name}.{function.qualname}.<locals>.{target.id}"))
                    self._handed_in.append((function.qualname, slot, app.key, ""))

    def held_apps(self) -> None:
        """`const app = server.app;` (an application another module made, read off the object holding
        it) then `app.get('/', ...)`: a module-level `app`/`router` bound to what this file cannot see,
        used to register routes with literal paths and handlers, serves them (mounted or not)."""
        registers = set().union(_route_receivers(ir.Function("<module>", "<module>", 0, 0, (), (), self.module.body)),
                                *(_route_receivers(f) for f in self.module.functions))
        for stmt in self.module.body:
            if not (isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Attr)
                    and ir.dotted_name(stmt.value) and not ir.dotted_name(stmt.value).startswith("self.")):
                continue
            for target in stmt.targets:
                if isinstance(target, ir.Name) and target.id in _APP_PARAMS and target.id in registers \
                        and target.id not in self.objects:
                    self.objects[target.id] = _App(f"{self.module.module_name}.{target.id}")

    def _handed_in_fields(self, function: ir.Function, registers: set[str]) -> None:
        """`async function reloadRoutes(params) { const { router } = params; router.post(...) }`: an
        app or router handed in as a field of an options object, named so or used so."""
        params = {p.name: i for i, p in enumerate(function.params)}
        for stmt in ir.walk_stmts(function.body):  # `args.app.get('/admin', ...)`: used in place
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) \
                            and (node.func.attr in ROUTE_METHODS or node.func.attr in ("use", "route")) \
                            and isinstance(node.func.value, ir.Attr) and node.func.value.attr in _APP_PARAMS \
                            and isinstance(node.func.value.value, ir.Name) and node.func.value.value.id in params:
                        holder, field = node.func.value.value.id, node.func.value.attr
                        local = f"{function.qualname}.{holder}.{field}"
                        if local not in self.objects:
                            self.objects[local] = _App(f"{self.module.module_name}.{function.qualname}.<locals>."
                                                       f"{holder}.{field}")
                            self._handed_in.append((function.qualname, params[holder], self.objects[local].key, field))
        for stmt in function.body:
            if not (isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Attr)
                    and isinstance(stmt.value.value, ir.Name) and stmt.value.value.id in params):
                continue
            for target in stmt.targets:
                if isinstance(target, ir.Name) and (target.id in _APP_PARAMS or target.id in registers):
                    local = f"{function.qualname}.{target.id}"
                    app = self.objects.setdefault(
                        local, _App(f"{self.module.module_name}.{function.qualname}.<locals>.{target.id}"))
                    self._handed_in.append((function.qualname, params[stmt.value.value.id], app.key, stmt.value.attr))

    # ---------------------------------------------------------------- statements
    def read(self, body: tuple[ir.Stmt, ...], scope: ir.Function | None) -> None:
        """Registrations in statement order, those inside `if` and `try` blocks included."""
        for stmt in ir.walk_stmts(body):
            if isinstance(stmt, ir.Assign) and stmt.value is not None:
                self._assign(stmt, scope)
            if isinstance(stmt, ir.Return) and scope is not None and stmt.value is not None:
                self._returned(stmt, scope)
            for root in ir.stmt_exprs(stmt):
                if isinstance(root, ir.Await):
                    root = root.value
                if isinstance(root, ir.Call):
                    self._call_chain(root, scope)
                    self._hands_app(root, scope)
                    self._file_routes(root, scope)
                    inner = root.func.value if isinstance(root.func, ir.Attr) else None
                    while isinstance(inner, ir.Call):  # `new ReportsApi(app).attach()`: the app handed on the way
                        self._hands_app(inner, scope)
                        inner = inner.func.value if isinstance(inner.func, ir.Attr) else None

    def _hands_app(self, call: ir.Call, scope: ir.Function | None) -> None:
        """`registerAdmin(app, options)`: the application handed to a function that registers routes
        on its parameter (see app_params) serves them, as a mount edge to `<callee>.<argN>`."""
        if not isinstance(call.func, (ir.Name, ir.Attr)):
            return
        local = self._local_function(call.func, scope)
        callee = f"{self.module.module_name}.{local.qualname}" if local is not None else \
            self.qualify(call.func) or self._class_key(call.func)
        self._forwards_rest(call, callee, scope)
        for index, arg in enumerate(call.args):
            app = self._object(arg, scope)
            if app is not None and callee:
                # the application's middleware so far runs before whatever the function registers on it
                before = [entry for path, entry in app.middleware if not path]
                # a Koa router's own `prefix` option prefixes whatever the function registers on it
                self.edges.append(RouterInclude(app.key, argument_slot(callee, index),
                                                any(e.verdict == GUARD for e in before), call.line, app.prefix,
                                                tuple(dict.fromkeys(e.text for e in before if e.verdict == "ref"))))
            if isinstance(arg, ir.DictExpr) and callee:  # `reloadRoutes({ router })`: a field of options
                for key, value in zip(arg.keys, arg.values):
                    held = self._object(value if value is not None else key, scope) \
                        if isinstance(key, ir.Const) and isinstance(key.value, str) else None
                    if held is not None:
                        self.edges.append(RouterInclude(held.key, argument_slot(callee, index, str(key.value)), False,
                                                        call.line))

    def _forwards_rest(self, call: ir.Call, callee: str, scope: ir.Function | None) -> None:
        """`function adminUserRoutes(...args) { basicsRoutes(...args); }`: the rest parameter spread
        into another function hands it the same arguments, so that function's argument slots are
        children of this one's (an app handed to `adminUserRoutes` serves what `basicsRoutes` registers)."""
        if scope is None or not callee:
            return
        rest = {p.name: i for i, p in enumerate(scope.params) if p.kind == "vararg"}
        for index, arg in enumerate(call.args):
            if isinstance(arg, ir.Starred) and isinstance(arg.value, ir.Name) and arg.value.id in rest \
                    and not any(isinstance(a, ir.Starred) for a in call.args[:index]):
                for k in range(_FORWARDED_SLOTS):
                    self._handed_in.append((scope.qualname, rest[arg.value.id] + k, argument_slot(callee, index + k), ""))

    def handed_in_edges(self) -> None:
        """Each app parameter as the child of its function's argument slot, and of the slots of
        the names the module exports that function under (`module.exports = registerAdmin`)."""
        module = self.module.module_name
        for qualname, index, key, member in self._handed_in:
            function = f"{module}.{qualname}"
            self.edges.append(RouterInclude(argument_slot(function, index, member), key, False, 0))
            for edge in list(self.edges):
                if edge.child == function and not edge.prefix:
                    self.edges.append(RouterInclude(argument_slot(edge.parent, index, member), key, False, edge.line))

    def _assign(self, stmt: ir.Assign, scope: ir.Function | None) -> None:
        value = stmt.value
        assert value is not None
        if isinstance(value, ir.Call) and isinstance(value.func, ir.Attr) and ir.dotted_name(value.func.value) \
                in self._rest_packages and value.func.attr == resource_knowledge().resource:
            self._rest_vars.update((t.id, (value.line, value.col)) for t in stmt.targets if isinstance(t, ir.Name))
        for target in stmt.targets:
            if isinstance(target, ir.Name) and isinstance(value, ir.Call):
                made = self.qualify(value.func)
                koa = koa_knowledge()
                if made in _factories():
                    local = f"{scope.qualname}.{target.id}" if scope is not None else target.id
                    key = f"{self.module.module_name}.{scope.qualname + '.<locals>.' if scope else ''}{target.id}"
                    on_koa = made in koa.router_factories or made in koa.app_factories
                    prefix = path_literal(_option(value.args[0], koa.prefix_option)) if on_koa and value.args else ""
                    is_app = made in express_factories().app_factories or made in koa.app_factories
                    self.objects[local] = _App(key, framework="koa" if on_koa else FRAMEWORK, prefix=prefix,
                                               application=is_app)
                    if is_app:
                        self.edges.append(RouterInclude(EXPRESS_ROOT, key, False, stmt.line))
            exported = _export_name(target)
            if exported is not None and scope is None:
                self._export(exported, value, stmt.line)

    def _returned(self, stmt: ir.Return, scope: ir.Function) -> None:
        """`function userRoutes() { const r = Router(); ...; return r; }` mounted as
        `app.use('/users', userRoutes())`: the function stands for the router it builds."""
        assert stmt.value is not None
        app = self._object(stmt.value, scope)
        if app is not None:
            self.edges.append(RouterInclude(f"{self.module.module_name}.{scope.qualname}", app.key, False, stmt.line))

    def _export(self, name: str, value: ir.Expr, line: int, whole: bool = False) -> None:
        """`module.exports = router` / `export default router` / `module.exports = { a, b: c }` (a
        member of the whole export, `whole`, is also the default import's: `Router.initialize`)."""
        module = self.module.module_name
        aliases = (module, f"{module}.default") if name == "" else (
            (f"{module}.{name}", f"{module}.default.{name}") if whole else (f"{module}.{name}",))
        if isinstance(value, ir.DictExpr) and name == "":
            for key, item in zip(value.keys, value.values):
                if isinstance(key, ir.Const) and isinstance(key.value, str):
                    self._export(key.value, item, line, whole=True)
            return
        child = self._exported_key(value)
        if child:
            for alias in aliases:
                if alias != child:
                    self.edges.append(RouterInclude(alias, child, False, line))
        self._export_class_routers(aliases, value, line)

    def _export_class_routers(self, aliases: tuple[str, ...], value: ir.Expr, line: int) -> None:
        """`module.exports = ApiRouter` of a class whose member holds a router or app (`this.router =
        express()`): an importer's `new ApiRouter(...).router` is that member, under the module's name."""
        if not isinstance(value, ir.Name) or value.id not in {c.name for c in self.module.classes}:
            return
        factories = _factories()
        for (owner, member), held in self.members.items():
            if owner == value.id and isinstance(held, ir.Call) and self.qualify(held.func) in factories:
                key = f"{self.module.module_name}.{owner}.{member}"
                self.edges.extend(RouterInclude(f"{alias}.{member}", key, False, line) for alias in aliases)

    def _exported_key(self, value: ir.Expr) -> str:
        app = self._object(value, None)
        if app is not None:
            return app.key
        function = self._local_function(value, None)
        if function is not None:
            return f"{self.module.module_name}.{function.qualname}"
        return self.qualify(value)

    # ---------------------------------------------------------------- registrations
    def _call_chain(self, call: ir.Call, scope: ir.Function | None) -> None:
        """`app.use(...)`, `router.get(...)`, `router.route('/x').get(h).post(h2)`, `app.use(a).use(b)`."""
        steps: list[ir.Call] = []
        node: ir.Expr = call
        while isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
            steps.append(node)
            node = node.func.value
        steps.reverse()
        if not steps:
            return
        if self._rest_call(call, scope):
            return
        app = self._object(steps[0].func.value, scope)  # type: ignore[union-attr]
        if app is None:
            return
        route_path: str | None = None
        for step in steps:
            method = step.func.attr  # type: ignore[union-attr]
            if method == "route" and step.args:
                route_path = path_literal(step.args[0])
                handed = self._argument_paths(step.args[0], scope) if not route_path else []
                if handed:
                    # `router.route(path)` in `createRouteHandler(path, ...)`: each call's literal
                    for path in handed:
                        for later in steps[steps.index(step) + 1:]:
                            if later.func.attr in ROUTE_METHODS:  # type: ignore[union-attr]
                                self._route(app, path, ROUTE_METHODS[later.func.attr],  # type: ignore[union-attr]
                                            _flatten(later.args), later, scope)
                    return
            elif method in ROUTE_METHODS and route_path is not None:
                self._route(app, route_path, ROUTE_METHODS[method], _flatten(step.args), step, scope)
            elif app.framework == "koa" and method in _KOA_METHODS and len(step.args) > 2 \
                    and all(isinstance(a, (ir.Const, ir.FormattedString)) for a in step.args[:2]):
                # koa-router's named route: `router.get('user', '/users/:id', handler)`
                self._route(app, self._path(step.args[1]), _KOA_METHODS[method], _flatten(step.args[2:]), step, scope)
            elif app.framework == "koa" and method in _KOA_METHODS and step.args \
                    and isinstance(step.args[0], (ir.Const, ir.FormattedString)):
                self._route(app, self._path(step.args[0]), _KOA_METHODS[method], _flatten(step.args[1:]), step, scope)
            elif method in ROUTE_METHODS and step.args and isinstance(step.args[0], (ir.Const, ir.FormattedString)):
                if method == "get" and len(step.args) == 1:
                    continue  # `app.get('env')` reads a setting
                self._route(app, self._path(step.args[0], scope), ROUTE_METHODS[method], _flatten(step.args[1:]), step, scope)
            elif method in ROUTE_METHODS and len(step.args) > 1 and self._helper_path(step.args[0], scope):
                self._route(app, self._helper_path(step.args[0], scope), ROUTE_METHODS[method],
                            _flatten(step.args[1:]), step, scope)
            elif method in ROUTE_METHODS and len(step.args) > 1 and self._argument_paths(step.args[0], scope):
                for path in self._argument_paths(step.args[0], scope):
                    self._route(app, path, ROUTE_METHODS[method], _flatten(step.args[1:]), step, scope)
            elif method in ROUTE_METHODS and len(step.args) > 1 and isinstance(step.args[0], ir.Seq):
                for path in step.args[0].elts:  # `app.get(['/files/:name', '/downloads/:name'], h)`
                    if isinstance(path, (ir.Const, ir.FormattedString)):
                        self._route(app, self._path(path), ROUTE_METHODS[method], _flatten(step.args[1:]), step, scope)
            elif method == "use":
                self._use(app, step, scope)
            elif method == "param" and len(step.args) >= 2:
                # `app.param('orderId', loadOrder)`: runs before every route whose path names it
                self._runs(step.args[-1], app, [], scope)

    def _argument_paths(self, expr: ir.Expr, scope: ir.Function | None) -> list[str]:
        """The literal paths a registering function is handed: `function createRouteHandler(path,
        handler) { router.route(path).get(...) }` called as `createRouteHandler('/flows/:id', h)`
        registers one route per call of it in this module. A parameter some call hands a value the
        review cannot read (or that no call of this module names) gives no path."""
        if scope is None or not isinstance(expr, ir.Name):
            return []
        index = next((i for i, p in enumerate(scope.params) if p.name == expr.id), None)
        if index is None:
            return []
        calls = self._calls_by_name().get(scope.name, [])
        paths = [path_literal(c.args[index]) if len(c.args) > index else "" for c in calls]
        return list(dict.fromkeys(paths)) if paths and all(paths) else []

    def _calls_by_name(self) -> dict[str, list[ir.Call]]:
        """Calls of a plain name anywhere in the module, by that name (made once)."""
        if self._named_calls is None:
            found: dict[str, list[ir.Call]] = {}
            bodies = [self.module.body] + [f.body for f in self.module.functions]
            for body in bodies:
                for stmt in ir.walk_stmts(body):
                    for root in ir.stmt_exprs(stmt):
                        for node in ir.walk_expr(root):
                            if isinstance(node, ir.Call) and isinstance(node.func, ir.Name):
                                found.setdefault(node.func.id, []).append(node)
            self._named_calls = found
        return self._named_calls

    def _helper_path(self, expr: ir.Expr, scope: ir.Function | None) -> str:
        """`this.routerPath('send')` inside a method of a class: a placeholder path the project phase
        fills from the method the class declares or inherits (frameworks/path_helpers.py)."""
        if scope is None or not scope.class_name:
            return ""
        call = helper_call(expr, f"{self.module.module_name}.{scope.class_name}")
        if call is None:
            return ""
        if call not in self.path_calls:
            self.path_calls.append(call)
        return call.placeholder

    def _path(self, expr: ir.Expr, scope: ir.Function | None = None) -> str:
        """A route's path as written; a regular expression (`/^\\/legacy\\/(\\d+)$/`) between slashes;
        `${this.path}/:id` with the class's `path = '/users'` filled in."""
        if isinstance(expr, ir.FormattedString):
            parts = []
            for part in expr.parts:
                member = self._member(part, scope)
                value = self.members.get(member) if member is not None else None
                parts.append(value if isinstance(value, ir.Const) else part)
            expr = ir.FormattedString(expr.line, expr.col, tuple(parts))
        text = path_literal(expr)
        line = self.module.lines[expr.line - 1] if 0 < expr.line <= len(self.module.lines) else ""
        return f"/{text}/" if isinstance(expr, ir.Const) and line[expr.col:expr.col + 1] == "/" else text

    def _route(self, app: _App, path: str, method: str, handlers: list[ir.Expr], call: ir.Call,
               scope: ir.Function | None) -> None:
        if not handlers:
            return
        handler = self._unwrapped(handlers[-1], scope)
        chain = [entry for prefix, entry in app.middleware if _under(path, prefix)]
        for middleware in handlers[:-1]:
            self._runs(middleware, app, chain, scope)
            chain.append(self._entry(middleware, scope))
        last = handlers[-1]
        if isinstance(last, ir.Call) and not (isinstance(last.func, ir.Attr) and last.func.attr == "bind"):
            self._runs(last, app, chain, scope)  # a factory's or wrapper's closure answers
        function = self._local_function(handler, scope)
        if function is None and self._member(getattr(handler, "value", None) or handler, scope) is not None:
            handler = self._through_instance(handler, scope)
        shown = ir.dotted_name(handler) or "<handler>"
        if isinstance(handler, ir.Name) and handler.id.startswith(INLINE_REQUIRE) and handler.id in self.imports:
            shown = self.imports[handler.id].replace(".", "/")  # `require('./routes/x')()`: the module
        qualname = function.qualname if function is not None else foreign_qualname(shown)
        if function is None and ir.dotted_name(handler):
            self.foreign.append(ForeignHandler(qualname, self._through_instance(handler, scope),
                                               scope.qualname if scope is not None else "", handler.line or call.line))
        auth, evidence = self._decide(chain, function, _joined(app.prefix, path), (method,))
        refs = tuple(dict.fromkeys(e.text for e in chain if e.verdict == "ref"))
        self.routes.append(RouteFact(qualname, app.framework, (method,), _joined(app.prefix, path),
                                     handler.line or call.line, auth, evidence, router=app.key, principal_refs=refs,
                                     ref_options=tuple(o for e in chain for o in e.options),
                                     middleware=tuple(dict.fromkeys(e.name for e in chain if e.name)),
                                     role_only=any(names_admin_roles_only(m) for m in handlers[:-1])))

    # ---------------------------------------------------------------- file-routed operations
    def _file_routes(self, call: ir.Call, scope: ir.Function | None) -> None:
        """`initialize({ app, paths })` (frameworks/file_operations.py): each directory or module it
        serves is mounted on the app, behind the app's middleware `use`d before it."""
        if not self._file_routed:
            return
        mounted = mounted_by(call, self.module, self.qualify, self.imports, file_operations_knowledge())
        app = self._object(mounted.app, scope) if mounted is not None else None
        if mounted is None or app is None:
            return
        earlier = [entry for prefix, entry in app.middleware if prefix in ("", "/")]
        guarded = any(e.verdict == GUARD for e in earlier)
        refs = tuple(dict.fromkeys(e.text for e in earlier if e.verdict == "ref"))
        for folder, cwd in mounted.folders:
            self.edges.append(RouterInclude(app.key, FOLDER + ("cwd:" if cwd else "") + folder, guarded, call.line,
                                            app.prefix, refs))
        for path, module in mounted.modules:
            self.edges.append(RouterInclude(app.key, OPERATIONS + module, guarded, call.line,
                                            _joined(app.prefix, path), refs))

    def file_operations(self) -> None:
        """The operations this module exports, as routes of its own (served where a directory of
        operation modules mounts it; frameworks/express_mounts.py drops them otherwise). A handler
        of this module takes the request and the response: a module exporting `get(key)` and
        `delete(key)` is a cache, not operations."""
        found = module_operations(self.module, file_operations_knowledge())
        if not found:
            return
        app = _App(OPERATIONS + self.module.module_name)
        for operation in found:
            handler = self._local_function(operation.handlers[-1], operation.scope)
            if handler is not None and len(handler.params) < 2:
                continue
            at = ir.Call(operation.line, 0, ir.Name(operation.line, 0, operation.method), (), ())
            self._route(app, "/", operation.method, list(operation.handlers), at, operation.scope)

    def next_routes(self) -> None:
        """A Next.js API route module (frameworks/nextjs_routes.py): its operations are routes of a
        router the application serves at the file's path, behind the wrappers of each export."""
        knowledge = next_knowledge()
        served = next_route(self.module.path, knowledge)
        found = next_operations(self.module, served, knowledge) if served is not None else ()
        if served is None or not found:
            return
        app = _App(NEXT_ROUTER + self.module.module_name, framework=NEXT_FRAMEWORK)
        for operation in found:
            at = ir.Call(operation.line, 0, ir.Name(operation.line, 0, operation.method), (), ())
            self._route(app, served.path, operation.method, list(operation.handlers), at, operation.scope)
        self.edges.append(RouterInclude(EXPRESS_ROOT, app.key, False, found[0].line))

    # ---------------------------------------------------------------- generated REST resources
    def _rest_call(self, call: ir.Call, scope: ir.Function | None) -> bool:
        """`finale.initialize({app})`, `finale.resource({...})`, `users.create.auth(fn)`."""
        rest = resource_knowledge()
        if isinstance(call.func, ir.Attr) and ir.dotted_name(call.func.value) in self._rest_packages and call.args:
            options = call.args[0]
            if call.func.attr == rest.initialize:
                app = self._object(ir.option(options, rest.app_option) or ir.Const(0, 0, ""), scope)
                if app is not None:
                    self._rest_apps[ir.dotted_name(call.func.value) or ""] = (
                        app, path_literal(ir.option(options, rest.base_option) or ir.Const(0, 0, "")))
            elif call.func.attr == rest.resource:
                self._rest_resource(call, ir.dotted_name(call.func.value) or "", options)
            return True
        hook = milestone_hook(call, self._rest_vars, rest)
        if hook is None or not call.args:
            return False
        variable, action, milestone = hook
        routes = self._rest_routes.get(self._rest_vars[variable], [])
        app = next((a for a, _ in self._rest_apps.values()), None)
        for arg in call.args:
            if app is not None:
                self._runs(arg, app, [], scope)
            function = self._local_function(arg, scope)
            entry = self._judge_local(function) if function is not None else None
            if milestone in rest.guard_milestones and entry is not None and entry.verdict == GUARD:
                for index in routes:
                    route = self.routes[index]
                    if action == rest.every_action or route.qualname.endswith(f"#{action}"):
                        self.routes[index] = replace(route, auth="required", auth_evidence=entry.text)
        return True

    def _rest_resource(self, call: ir.Call, package: str, options: ir.Expr) -> None:
        if package not in self._rest_apps:
            return
        app, base = self._rest_apps[package]
        model = ir.dotted_name(ir.option(options, "model") or ir.Const(0, 0, "")) or "resource"
        indexes = self._rest_routes.setdefault((call.line, call.col), [])
        for route in resource_routes(options, base, resource_knowledge()):
            chain = [entry for prefix, entry in app.middleware if _under(route.path, prefix)]
            auth, evidence = self._decide(chain, None, _joined(app.prefix, route.path), (route.method,))
            refs = tuple(dict.fromkeys(e.text for e in chain if e.verdict == "ref"))
            indexes.append(len(self.routes))
            self.routes.append(RouteFact(f"{model}#{route.action}", app.framework, (route.method,),
                                         _joined(app.prefix, route.path), call.line, auth, evidence, router=app.key,
                                         principal_refs=refs))

    def _unwrapped(self, handler: ir.Expr, scope: ir.Function | None) -> ir.Expr:
        """The function a route runs when the handler is wrapped: `asyncHandler(users.show)`,
        `catchAsync(async (req, res) => ...)`, `ctrl.list.bind(ctrl)`. A wrapper handed one
        function returns one that calls it with the request, so the route runs the argument;
        a call a package knows (`passport.authenticate('jwt')`) or one handed anything but a
        function or a name (options, strings) is a middleware factory and stays as written."""
        if not isinstance(handler, ir.Call):
            return handler
        if isinstance(handler.func, ir.Attr) and handler.func.attr == "bind":
            return handler.func.value
        name = self.qualify(handler.func)
        if name and self._known_package(name):
            return handler
        if len(handler.args) != 1 or handler.kwargs or not isinstance(handler.args[0], (ir.Name, ir.Attr)):
            return self._factory(handler, scope)
        inner = handler.args[0]
        if self._local_function(inner, scope) is not None or isinstance(inner, ir.Attr):
            return inner
        if isinstance(inner, ir.Name) and inner.id in self.imports:
            return inner
        return handler

    def _factory(self, handler: ir.Call, scope: ir.Function | None) -> ir.Expr:
        """`app.post('/login', login())`, `router.get('/', orders.list(db))`: a route's last handler
        built by a call runs the function that call returns, so the route is filed under the factory
        (whose returned callback the call graph follows); a package's factory resolves to no project
        function and stays unjudged, as before."""
        return handler.func if isinstance(handler.func, (ir.Name, ir.Attr)) else handler

    def _decide(self, chain: list[Entry], handler: ir.Function | None, path: str,
                methods: tuple[str, ...]) -> tuple[str, str]:
        guards = [e for e in chain if e.verdict == GUARD]
        guard = next((e for e in guards if not exempted(path, methods, e.exempt)), None)
        if guard is not None:
            return "required", guard.text
        if handler is not None:
            own = judge(family_of(handler, self.module.functions), self.knowledge)
            if own.verdict == GUARD:
                return "required", f"the handler checks credentials itself: {own.evidence}"
        pending = [e.text for e in chain if e.verdict == "ref"]
        if guards and unread(guards[0].exempt):
            return "unknown", f"{guards[0].text}, but {UNMATCHED}"
        if guards:  # middleware decided project-wide may still guard it (frameworks/express_mounts.py)
            return "unknown" if pending else "none", f"{guards[0].text}, but {LETS_THROUGH}"
        if pending:
            return "unknown", f"middleware {', '.join(f'`{p}`' for p in pending[:3])} decided project-wide"
        return "unknown", NO_CHECK_HERE

    def _use(self, app: _App, call: ir.Call, scope: ir.Function | None) -> None:
        args = _flatten(call.args)
        prefix = ""
        if args and isinstance(args[0], (ir.Const, ir.FormattedString)):
            prefix, args = path_literal(args[0]), args[1:]
        # a Koa router's own `prefix` comes before what it nests (`api.use('/admin', admin.routes())`
        # under `new Router({ prefix: '/api' })` serves /api/admin/...): it is already in its routes' paths
        mount_prefix = _joined(app.prefix, prefix) if app.prefix else prefix
        if prefix and args and app.framework == FRAMEWORK and self._answers_here(args[-1], scope):
            # `app.use('/ftp/:file', serveFile())`: the function answers every method under the path
            self._route(app, prefix, ROUTE_METHODS["all"], args, call, scope)
            return
        before = [entry for path, entry in app.middleware if _under(prefix, path)]
        for index, arg in enumerate(args):
            child = self._mounted(arg, scope)
            for child in [child] if child else self._looped(arg, scope, call.line):
                earlier = before + [self._used(a, app, prefix, scope) for a in args[:index]
                                    if self._object(a, scope) is None]
                guards = [e for e in earlier if e.verdict == GUARD]
                self.edges.append(RouterInclude(
                    app.key, child, bool(guards), call.line, mount_prefix,
                    tuple(dict.fromkeys(e.text for e in earlier if e.verdict == "ref")),
                    guards[0].exempt if guards and all(e.exempt for e in guards) else ()))
            if self._koa_router(arg, scope) is not None or self._koa_inert(arg):
                continue  # `router.routes()` mounted above; `router.allowedMethods()` checks nobody
            if self._object(arg, scope) is None:
                # an imported name may be a router or a middleware: mounted above, and in effect
                # as middleware (the project phase drops it from chains when it is a router)
                self._runs(arg, app, [e for path, e in app.middleware if _under(prefix, path)], scope)
                app.middleware.append((prefix, self._used(arg, app, prefix, scope)))

    def _used(self, arg: ir.Expr, app: _App, prefix: str, scope: ir.Function | None) -> Entry:
        """A middleware as `use` runs it, its guard's exemptions read as tests of the full path: on an
        application under a mount prefix they are rebased (`under_mount`); on a router, whose own
        mount is not known here, only substring tests can be placed, any other decides nothing."""
        entry = self._entry(arg, scope)
        if not entry.exempt:
            return entry
        if app.application:
            return replace(entry, exempt=under_mount(entry.exempt, _joined(app.prefix, prefix)))
        if all(e.kind == "contains" for e in entry.exempt):
            return entry
        return replace(entry, exempt=(PathExemption("unread", ""),))

    def _looped(self, arg: ir.Expr, scope: ir.Function | None, line: int) -> list[str]:
        """`for (const router of [a, b]) app.use(router.routes())`: each router of the literal list
        the loop walks, written in the loop, bound to a local, or returned by a function of the
        module (`for (const r of createRouters(tenant))` with `return [a, b]`). Anything else: none."""
        variable = self._koa_router(arg, scope) or arg
        if not isinstance(variable, ir.Name):
            return []
        body = scope.body if scope is not None else self.module.body
        loop = next((stmt for stmt in ir.walk_stmts(body) if isinstance(stmt, ir.For)
                     and isinstance(stmt.target, ir.Name) and stmt.target.id == variable.id
                     and stmt.line <= line <= stmt.end_line), None)
        if loop is None:
            return []
        listed = _listed(loop.iter, body, scope)
        if listed is None and isinstance(loop.iter, ir.Call):
            maker = self._local_function(loop.iter.func, scope)
            returned = [stmt.value for stmt in ir.walk_stmts(maker.body) if isinstance(stmt, ir.Return)] \
                if maker is not None else []
            if len(returned) == 1 and returned[0] is not None:
                listed = _listed(returned[0], maker.body, maker)  # type: ignore[union-attr]
        if listed is None:
            return []
        elements, where = listed
        found = [self._object(element, where) for element in elements]
        return [app.key for app in found if app is not None]

    def _answers_here(self, arg: ir.Expr, scope: ir.Function | None) -> bool:
        """A function of this module (or the call of a factory of this module) that answers the
        request rather than handing it on (frameworks/express_terminal.py)."""
        function = self._local_function(arg.func if isinstance(arg, ir.Call) else arg, scope)
        return function is not None and answers_request(function, self.functions)

    def _mounted(self, arg: ir.Expr, scope: ir.Function | None) -> str:
        """The project-wide name of what `use` may mount: a router here, or an imported module or name."""
        arg = self._koa_router(arg, scope) or arg
        app = self._object(arg, scope)
        if app is not None:
            return app.key
        if isinstance(arg, ir.Call) and isinstance(arg.func, ir.Name) and arg.func.id == "require" and arg.args:
            spec = path_literal(arg.args[0])
            return resolve_specifier(self.module.path, spec) if spec.startswith(".") else ""  # a file's router
        held = self._held_router(arg, scope)
        if held:
            return held
        if isinstance(arg, ir.Call) and isinstance(arg.func, (ir.Name, ir.Attr)):
            # `app.use('/users', userRoutes(deps))`: what a router factory returns (see _returned);
            # a middleware factory's call mounts nothing, and the edge leads nowhere
            local = self._local_function(arg.func, scope)
            if local is not None:
                return f"{self.module.module_name}.{local.qualname}"
            arg = arg.func
        # an imported name the knowledge file does not know: a router of another file, or a
        # middleware (then nothing is mounted under the name and the edge leads nowhere)
        name = self.qualify(arg) if isinstance(arg, (ir.Name, ir.Attr)) else ""
        return name if name and not self._known_package(name) else ""

    def _held_router(self, arg: ir.Expr, scope: ir.Function | None) -> str:
        """`this.apiRouter.router` where `this.apiRouter = new ApiRouter(this)`: the router member of
        the object a member holds, named as that class's module names it (`routers.ApiRouter.router`
        for a module exporting the class, `routers.ApiRouter.ApiRouter.router` for a named export)."""
        if not isinstance(arg, ir.Attr):
            return ""
        member = self._member(arg.value, scope)
        value = self.members.get(member) if member is not None else arg.value  # `new UsersRouter(auth).router`
        if not isinstance(value, ir.Call) or not isinstance(value.func, (ir.Name, ir.Attr)):
            return ""
        built = self._class_key(value.func)
        if built:
            self._handed_middleware(built, value, scope)
        return f"{built}.{arg.attr}" if built else ""

    def _class_key(self, func: ir.Expr) -> str:
        """The project-wide name of the class (or factory) a `new`/call names: imported, or of this module."""
        built = self.qualify(func)
        if built and not self._known_package(built):
            return built
        local = ir.dotted_name(func) or ""
        return f"{self.module.module_name}.{local}" if local in {c.name for c in self.module.classes} else ""

    def _handed_middleware(self, built: str, call: ir.Call, scope: ir.Function | None) -> None:
        """`new UsersRouter(config, ...guards)` mounted: what each constructor argument slot receives,
        as edges from the slot to the middleware named there (see _constructor_slot), so a route that
        spreads the constructor's parameter into its chain runs them. A slot from position k on
        (`<argk...>`, for a rest parameter) receives every argument from k, spread arrays flattened;
        an argument the review cannot name leaves its slot undecided."""
        for index, arg in enumerate(call.args):
            if not isinstance(arg, ir.Starred):
                for name in self._middleware_names(arg, scope):
                    self.edges.append(RouterInclude(argument_slot(built, index), name, False, call.line))
            for later in call.args[index:]:
                for name in self._middleware_names(later, scope):
                    self.edges.append(RouterInclude(rest_slot(built, index), name, False, call.line))

    def _middleware_names(self, expr: ir.Expr, scope: ir.Function | None, depth: int = 0) -> list[str]:
        """The project-wide names an argument hands over: a function, an imported name or member
        (`authGuard['apikey']` too), each element of an array literal or a module-level name bound
        to one; `<unnamed>` for anything else, which no principal answers."""
        if isinstance(expr, ir.Starred):
            expr = expr.value
        slot = _constructor_slot(expr, scope, self.module.module_name)
        if slot:  # handed on from this class's own constructor: whatever its maker hands it
            return [slot]
        if isinstance(expr, ir.Seq):
            return [n for item in expr.elts for n in self._middleware_names(item, scope, depth + 1)]
        if isinstance(expr, ir.Name) and expr.id in self.variables and isinstance(self.variables[expr.id], ir.Seq) \
                and depth < _MAX_VALUE_DEPTH:
            return self._middleware_names(self.variables[expr.id], scope, depth + 1)
        function = self._local_function(expr, scope)
        if function is not None:
            return [f"{self.module.module_name}.{function.qualname}"]
        named = self.qualify(_member_read(expr))
        return [named or f"{self.module.module_name}.<unnamed>"]

    def _runs(self, expr: ir.Expr, app: _App, before: list[Entry], scope: ir.Function | None) -> None:
        """Record what a request runs for `expr` (a middleware, or the call that builds a handler):
        a function of this module by its name (a factory's: its returned closure runs with it),
        anything else as the call the framework makes, resolved project-wide like a handler's."""
        named = self.qualify(expr.func if isinstance(expr, ir.Call) else expr)
        if named and self._known_package(named):
            return  # a package's middleware (`express.json()`, `cors()`): none of the project's code
        callers = _SIGNED_IN if any(e.verdict == GUARD for e in before) else _ANYONE if app.application else ""
        target = expr.func if isinstance(expr, ir.Call) and self._local_function(expr.func, scope) else expr
        function = self._local_function(target, scope)
        if function is not None:
            self.runs.append(RequestRun(function.qualname, callers))
        elif isinstance(expr, (ir.Name, ir.Attr, ir.Call)) and not self._koa_inert(expr):
            qualname = f"<runs@{expr.line}:{expr.col}>"
            self.foreign.append(ForeignHandler(qualname, self._through_instance(expr, scope),
                                               scope.qualname if scope is not None else "", expr.line))
            self.runs.append(RequestRun(qualname, callers))

    def _koa_router(self, arg: ir.Expr, scope: ir.Function | None) -> ir.Expr | None:
        """`router.routes()`: the router it mounts (a local one, or an imported name)."""
        if isinstance(arg, ir.Call) and isinstance(arg.func, ir.Attr) \
                and arg.func.attr in koa_knowledge().mount_methods and not arg.args:
            return arg.func.value
        return None

    def _koa_inert(self, arg: ir.Expr) -> bool:
        return isinstance(arg, ir.Call) and isinstance(arg.func, ir.Attr) \
            and arg.func.attr in koa_knowledge().inert_methods

    def _known_package(self, name: str) -> bool:
        return bool(self.knowledge.guard_evidence(name)) or self.knowledge.checks_nobody(name) \
            or name.split(".")[0] in express_factories().packages

    # ---------------------------------------------------------------- middleware
    def _entry(self, expr: ir.Expr, scope: ir.Function | None, depth: int = 0) -> Entry:
        slot = _constructor_slot(expr, scope, self.module.module_name)
        if slot:
            return Entry("ref", slot)
        expr = _member_read(expr)
        function = self._local_function(expr, scope)
        if function is None and isinstance(expr, ir.Call):
            function = self._local_function(expr.func, scope)  # a factory: `requireRole('admin')`
        if function is not None:
            judged = self._judge_local(function)
            return replace(judged, options=call_options(expr, judged.text)) \
                if judged.verdict == "ref" and isinstance(expr, ir.Call) else judged
        callee = expr.func if isinstance(expr, ir.Call) else expr
        name = self.qualify(callee)
        if name:
            evidence = self.knowledge.guard_evidence(name)
            if evidence and isinstance(expr, ir.Call) and self.knowledge.passes_everyone(name, _strategies(expr)):
                return Entry(INERT, name)
            if evidence:
                return Entry(GUARD, evidence)
            if self.knowledge.checks_nobody(name):
                return Entry(INERT, name)
            return Entry("ref", name, call_options(expr, name) if isinstance(expr, ir.Call) else ())
        if isinstance(expr, ir.Name) and expr.id in self.variables and depth < _MAX_VALUE_DEPTH:
            return self._entry(self.variables[expr.id], None, depth + 1)  # `const auth = jwt({...})`
        held = self._held_router(expr, scope)
        if held:  # `new UsersRouter(auth).router`: a router the project phase drops from chains, or a member
            return Entry("ref", held)
        shown = ir.dotted_name(callee) or type(expr).__name__
        return Entry("ref", f"{self.module.module_name}.{shown}")

    def _judge_local(self, function: ir.Function) -> Entry:
        key = function.qualname
        if key not in self._judged:
            family = family_of(function, self.module.functions)
            found = judge(family, self.knowledge)
            named = f"{self.module.module_name}.{function.qualname}"
            if found.verdict == GUARD and self._gate(family) is None:
                self._judged[key] = Entry(GUARD, found.evidence, exempt=hook_exemptions(function, self.module),
                                          name=named)
            elif found.verdict == INERT:
                self._judged[key] = Entry(INERT, function.name, name=named)
            else:
                self._judged[key] = Entry("ref", f"{self.module.module_name}.{function.qualname}")
        return self._judged[key]

    def _gate(self, family: list[ir.Function]) -> OptionGate | None:
        """A guard factory whose check the route's options switch off (frameworks/route_options.py):
        each route's call decides, so its routes are decided project-wide with their options."""
        params = {p.name for f in family for p in f.params}
        return option_gate(family, lambda expr: bool(credential_read_of(expr, params, self.knowledge)))

    def principals(self) -> tuple[Principal, ...]:
        """Every function of the module judged, so other files' routes can use the verdicts."""
        found = []
        for function in self.module.functions:
            family = family_of(function, self.module.functions)
            judged = judge(family, self.knowledge)
            found.append(Principal(f"{self.module.module_name}.{function.qualname}", judged.verdict,
                                   judged.evidence, (), judged.may_refuse,
                                   url_object_check=judged.url_object_check,
                                   option_gate=self._gate(family) if judged.verdict == GUARD else None))
        return tuple(found) + tuple(self._renamed_functions()) + tuple(self._object_members()) \
            + tuple(self._package_values())

    def _package_values(self) -> Iterator[Principal]:
        """`const logger = morgan('tiny'); export default logger`: a module-level value a package the
        knowledge file judges makes (a request logger checks nobody, a known guard checks). The name,
        and the module's whole export when it names it, stand for that judgement wherever a route
        or a mount uses them; otherwise an imported logger keeps every route it runs before unknown."""
        exported = {stmt.value.id for stmt in self.module.body if isinstance(stmt, ir.Assign)
                    and isinstance(stmt.value, ir.Name) and any(_export_name(t) == "" for t in stmt.targets)}
        for stmt in self.module.body:
            if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Call) \
                    or not self.qualify(stmt.value.func):
                continue
            entry = self._entry(stmt.value, None)
            if entry.verdict not in (GUARD, INERT):
                continue
            for name in (t.id for t in stmt.targets if isinstance(t, ir.Name)):
                for key in (name, "default") if name in exported else (name,):
                    yield Principal(f"{self.module.module_name}.{key}", entry.verdict,
                                    entry.text if entry.verdict == GUARD else "", (), entry.verdict == GUARD)

    def _object_members(self) -> Iterator[Principal]:
        """`const Auth = { requireLogin() {...} }`, `export default { checkUser, requireAdmin }`: a member
        of an object literal the module defines (or exports whole) stands for the function it holds,
        so a route's `Auth.requireLogin()` or `Middleware.checkUser` is judged by that function's body
        wherever the object is imported."""
        local = {function.qualname for function in self.module.functions}
        objects: dict[str, ir.DictExpr] = {}
        for stmt in self.module.body:
            if not isinstance(stmt, ir.Assign):
                continue
            value = objects.get(stmt.value.id) if isinstance(stmt.value, ir.Name) else stmt.value
            if not isinstance(value, ir.DictExpr):
                continue
            for target in stmt.targets:
                owner = "default" if _export_name(target) == "" else target.id if isinstance(target, ir.Name) else ""
                if not owner:
                    continue
                objects[owner] = value
                for key, member in zip(value.keys, value.values):
                    if isinstance(key, ir.Const) and isinstance(key.value, str) and isinstance(member, ir.Name) \
                            and member.id in local:
                        yield Principal(f"{self.module.module_name}.{owner}.{key.value}", "", "",
                                        (f"{self.module.module_name}.{member.id}",), False, alias=True)

    def _renamed_functions(self) -> Iterator[Principal]:
        """`export const artistBelongsToUser = profileBelongsToUser`: another name for a function
        of the module, standing for what it names wherever a route uses it."""
        local = {function.qualname for function in self.module.functions}
        for stmt in self.module.body:
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and stmt.value.id in local:
                for target in stmt.targets:
                    if isinstance(target, ir.Name) and target.id not in local:
                        yield Principal(f"{self.module.module_name}.{target.id}", "", "",
                                        (f"{self.module.module_name}.{stmt.value.id}",), False, alias=True)


def _class_members(module: ir.Module) -> dict[tuple[str, str], ir.Expr]:
    """(class, member) -> the value a class field or its constructor's `this.x = ...` gives it."""
    found: dict[tuple[str, str], ir.Expr] = {}
    for cls in module.classes:
        for stmt in cls.body:
            if isinstance(stmt, ir.Assign) and stmt.value is not None:
                found.update(((cls.qualname, t.id), stmt.value) for t in stmt.targets if isinstance(t, ir.Name))
    for function in module.functions:
        if function.class_name and function.name == "constructor":
            for stmt in ir.walk_stmts(function.body):
                if isinstance(stmt, ir.Assign) and stmt.value is not None:
                    found.update(((function.class_name, t.attr), stmt.value) for t in stmt.targets
                                 if isinstance(t, ir.Attr) and isinstance(t.value, ir.Name) and t.value.id == "self")
    return found


def _strategies(call: ir.Call) -> tuple[str, ...]:
    """The strategy names a guard's call gives first: `authenticate('jwt')`, `authenticate(['session', 'jwt'])`."""
    first = call.args[0] if call.args else None
    items = first.elts if isinstance(first, ir.Seq) else (first,) if first is not None else ()
    return tuple(item.value for item in items if isinstance(item, ir.Const) and isinstance(item.value, str))


def _factories() -> frozenset[str]:
    """Every call that makes an application or router the reader follows: Express's and Koa's."""
    express, koa = express_factories(), koa_knowledge()
    return express.app_factories | express.router_factories | koa.router_factories | koa.app_factories


_FORWARDED_SLOTS = 4  # arguments of a spread rest parameter followed to the function it is handed to


def argument_slot(function: str, index: int, field: str = "") -> str:
    """The mount-graph name of a function's parameter number `index`, as callers hand it an app
    (`field`: the app is that field of the options object handed there)."""
    return f"{function}.<arg{index}>" + (f".{field}" if field else "")


def rest_slot(function: str, index: int) -> str:
    """The mount-graph name of every argument from number `index` on: a rest parameter's."""
    return f"{function}.<arg{index}...>"


def _constructor_slot(expr: ir.Expr, scope: ir.Function | None, module: str) -> str:
    """`this.router.post(path, ...guards, handler)` in a constructor taking `...guards`: the
    middleware is whatever the code that makes the object hands that parameter, named by its slot
    (see _Reader._handed_middleware)."""
    if not (isinstance(expr, ir.Name) and scope is not None and scope.class_name and scope.name == "constructor"):
        return ""
    for index, param in enumerate(scope.params):
        if param.name == expr.id:
            owner = f"{module}.{scope.class_name}"
            return rest_slot(owner, index) if param.kind == "vararg" else argument_slot(owner, index)
    return ""


def _member_read(expr: ir.Expr) -> ir.Expr:
    """`guards['apikey']`, a member read with a literal key, as `guards.apikey`."""
    if isinstance(expr, ir.Subscript) and isinstance(expr.index, ir.Const) and isinstance(expr.index.value, str) \
            and expr.index.value.isidentifier():
        return ir.Attr(expr.line, expr.col, expr.value, expr.index.value)
    return expr


def _route_receivers(function: ir.Function) -> set[str]:
    """Names a function registers routes on: `x.get('/path', handler)` with a literal path and
    a handler after it (an HTTP client's `x.get(url)` passes no function)."""
    found = set()
    for stmt in ir.walk_stmts(function.body):
        for root in ir.stmt_exprs(stmt):
            call = root.value if isinstance(root, ir.Await) else root
            if isinstance(call, ir.Call) and isinstance(call.func, ir.Attr) and isinstance(call.func.value, ir.Name) \
                    and call.func.attr in ROUTE_METHODS and len(call.args) >= 2 \
                    and isinstance(call.args[0], ir.Const) and str(call.args[0].value).startswith("/") \
                    and isinstance(call.args[-1], (ir.Name, ir.Attr)):
                found.add(call.func.value.id)
    return found


def foreign_qualname(dotted: str) -> str:
    """`users.show` -> `users#show`: a handler defined elsewhere, named as registered with the
    method separated JSDoc-style. Its registration is filed under this name in the call graph;
    a dot there would make `users.show` itself, as a suffix, resolve to the registration."""
    owner, dot, method = dotted.rpartition(".")
    return f"{owner}#{method}" if dot else dotted


def _export_name(target: ir.Expr) -> str | None:
    """'' for the module's whole export (`module.exports =`, `export default`), a name for
    `module.exports.x =` / `exports.x =`; None for anything else."""
    dotted = ir.dotted_name(target)
    if dotted in ("module.exports", "default"):
        return ""
    if dotted and dotted.startswith(("module.exports.", "exports.")) and dotted.count(".") == (
            2 if dotted.startswith("module.") else 1):
        return dotted.rsplit(".", 1)[-1]
    return None


def _flatten(args: tuple[ir.Expr, ...] | list[ir.Expr]) -> list[ir.Expr]:
    out: list[ir.Expr] = []
    for arg in args:
        if isinstance(arg, ir.Seq):
            out.extend(_flatten(arg.elts))
        elif isinstance(arg, ir.Starred):
            out.append(arg.value)
        else:
            out.append(arg)
    return out


def _listed(expr: ir.Expr, body: tuple[ir.Stmt, ...], scope: ir.Function | None
            ) -> tuple[tuple[ir.Expr, ...], ir.Function | None] | None:
    """The names a literal list holds (`[a, b]`, or a local bound once to one), with the function
    they belong to; None for anything else."""
    if isinstance(expr, ir.Name):
        bound = [stmt.value for stmt in ir.walk_stmts(body) if isinstance(stmt, ir.Assign) and stmt.value is not None
                 and any(isinstance(t, ir.Name) and t.id == expr.id for t in stmt.targets)]
        expr = bound[0] if len(bound) == 1 else expr
    if isinstance(expr, ir.Seq) and expr.elts and all(isinstance(e, ir.Name) for e in expr.elts):
        return expr.elts, scope
    return None


def path_literal(expr: ir.Expr) -> str:
    """A path or specifier as written: a string, or a template with `{name}` for each substitution
    (`/-/cache/:name(${PATTERN})`); "" for anything else."""
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, ir.FormattedString):
        return "".join(str(p.value) if isinstance(p, ir.Const) else "{" + (ir.dotted_name(p) or "?") + "}"
                       for p in expr.parts)
    return ""


def _option(options: ir.Expr, key: str) -> ir.Expr:
    return ir.option(options, key) or ir.Const(0, 0, "")


def _joined(prefix: str, path: str) -> str:
    if not prefix:
        return path
    return prefix.rstrip("/") + ("" if path.startswith("/") or not path else "/") + (path if path != "/" else "")


def _under(path: str, prefix: str) -> bool:
    """Express matches `use` prefixes by whole segments: `/api` covers `/api/x`, not `/apix`."""
    prefix = prefix.rstrip("/")
    return not prefix or path == prefix or path.startswith(prefix + "/")
