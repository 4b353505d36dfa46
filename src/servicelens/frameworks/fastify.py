"""Fastify routes of one module, with the hooks that run before their handlers.

    const app = Fastify();                          app.register(routes, { prefix: '/v1' });
    async function routes(fastify) {                fastify.addHook('onRequest', fastify.authenticate);
      fastify.get('/:id', { preHandler: [check] }, async (request, reply) => ...);
      fastify.route({ method: 'POST', url: '/', onRequest: verify, handler });  }
    fastify.decorate('authenticate', async (request, reply) => { ... reply.code(401) ... });

An *instance scope* is an application made by the factory, or a plugin: a function given the
instance as a parameter. Each route gets its local path, its handler and the hooks in effect
(the scope's `addHook` hooks and the route's own hook options); each `register(plugin,
{prefix})` is an edge from the scope to the plugin, carrying the scope's hooks to it, and each
export of a plugin an edge from the module's import name to it. The project phase climbs these
edges like Express mounts (frameworks/express_mounts.py). A hook is judged by its body
(frameworks/express_auth.py), a decorated instance member (`fastify.authenticate`) by the
body `decorate` gave it, wherever that is. A route no hook guards whose handler here verifies the
caller itself (hands the token or the headers to a verifier and answers 401/403 when it fails)
requires authentication, as an Express handler doing so does. The shapes are data
(models/node/frameworks.yaml).
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from servicelens import ir
from servicelens.lang.javascript.modules import imported_name
from servicelens.endpoints.principals import GUARD, INERT, Principal
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.express import EXPRESS_ROOT, NO_CHECK_HERE, ForeignHandler, RequestRun, foreign_qualname
from servicelens.frameworks.express_auth import family_of, judge
from servicelens.frameworks.express_knowledge import MiddlewareKnowledge
from servicelens.frameworks.hook_path_exemptions import LETS_THROUGH, UNMATCHED, PathExemption, exempted, hook_exemptions
from servicelens.frameworks.hook_path_exemptions import unread
from servicelens.frameworks.js_knowledge import FastifyKnowledge
from servicelens.frameworks.python_handlers import RouterInclude

FRAMEWORK = "fastify"
DECORATED = "fastify-decorator:"  # principal key of an instance member made by `decorate`
SHARED = "fastify-shared:"  # a scope's hook entry: a registered plugin, whose hooks count if fastify-plugin wraps it
# a scope's hook entry: a function handed the instance itself (`setupAuth(app)`), whose hooks are the scope's
HANDED = "fastify-handed:"
AUTOLOAD = "fastify-autoload:"  # child of a scope: every plugin file below a directory (express_mounts.py)
_MAX_NESTING = 16  # enclosing functions followed to find the one binding a name


@dataclass(frozen=True, slots=True)
class FastifyFacts:
    routes: tuple[RouteFact, ...]
    edges: tuple[RouterInclude, ...]
    principals: tuple[Principal, ...]
    foreign: tuple[ForeignHandler, ...] = ()  # handlers and hooks defined in other modules
    runs: tuple[RequestRun, ...] = ()  # hooks and decorated members a request runs


@dataclass
class _Scope:
    key: str
    instance: str  # the variable holding the instance inside the scope
    application: bool = False  # made by the factory: its hooks run for every request, anyone's
    hooks: list[tuple[str, str]] = field(default_factory=list)  # (verdict, text) as express Entries
    routes: list[RouteFact] = field(default_factory=list)
    registers: list[tuple[str, int, str]] = field(default_factory=list)  # (plugin key, line, prefix)


def fastify_facts(module: ir.Module, imports: dict[str, str], knowledge: FastifyKnowledge,
                  middleware: MiddlewareKnowledge) -> FastifyFacts:
    if not is_fastify_module(module, imports, knowledge):
        return FastifyFacts((), (), ())
    return _Reader(module, imports, knowledge, middleware).facts()


def is_fastify_module(module: ir.Module, imports: dict[str, str], knowledge: FastifyKnowledge) -> bool:
    """Imports Fastify, or has a plugin function whose instance parameter is named or typed as
    only a Fastify instance is (a plugin file need not import anything)."""
    if any(_fastify_import(target, knowledge) for target in imports.values()):
        return True
    return any(_instance_param(f, knowledge, own_only=True) for f in module.functions)


def _fastify_import(target: str, knowledge: FastifyKnowledge) -> bool:
    return target.split(".")[0] in knowledge.factories or target.startswith(("fastify.", "@fastify/")) \
        or target in knowledge.shared_scope_wrappers or target.startswith(knowledge.ecosystem_prefixes)


def _instance_param(function: ir.Function, knowledge: FastifyKnowledge, own_only: bool) -> str:
    names = knowledge.own_instance_params if own_only else knowledge.instance_params
    for param in function.params:
        annotation = ir.dotted_name(param.annotation) if param.annotation is not None else ""
        if param.name in names or (annotation or "").rsplit(".", 1)[-1] in knowledge.instance_types:
            return param.name
    return ""


class _Reader:
    def __init__(self, module: ir.Module, imports: dict[str, str], knowledge: FastifyKnowledge,
                 middleware: MiddlewareKnowledge) -> None:
        self.module = module
        self.imports = imports
        self.knowledge = knowledge
        self.middleware = middleware
        self.functions = {f.qualname: f for f in module.functions}
        self.imports_fastify = any(_fastify_import(t, knowledge) for t in imports.values())
        self.assigned = {t.id for stmt in module.body if isinstance(stmt, ir.Assign)
                         for t in stmt.targets if isinstance(t, ir.Name)}
        self.edges: list[RouterInclude] = []
        self.principals: list[Principal] = []
        self.foreign: list[ForeignHandler] = []
        self.runs: list[RequestRun] = []
        # a guard's evidence -> the paths it lets through before checking (frameworks/hook_path_exemptions.py)
        self.exempt: dict[str, tuple[PathExemption, ...]] = {}

    def facts(self) -> FastifyFacts:
        scopes = self._scopes()
        for scope, body, function in scopes:
            self._read(scope, body, function)
            if function is None and scope.application:
                for closure in self._closures_over(scope.instance):
                    self._read(scope, closure.body, closure)
        routes: list[RouteFact] = []
        for scope, _, _ in scopes:
            scope_hooks = list(scope.hooks)
            for route in scope.routes:
                routes.append(self._decided(route, scope_hooks, scope))
            refs = tuple(dict.fromkeys(text for verdict, text in scope_hooks if verdict == "ref"))
            guards = [text for verdict, text in scope_hooks if verdict == GUARD]
            # a guard sparing some paths guards what it is mounted above except those (express_mounts.py)
            exempt = self.exempt.get(guards[0], ()) if guards and all(g in self.exempt for g in guards) else ()
            for plugin, line, prefix in scope.registers:
                self.edges.append(RouterInclude(scope.key, plugin, bool(guards), line, prefix, refs, exempt))
        self._exports()
        self.principals.extend(self._shared_plugins(scopes))
        self.principals.extend(self._handed_functions(scopes))
        return FastifyFacts(tuple(routes), tuple(dict.fromkeys(self.edges)), tuple(self.principals),
                            tuple({f.qualname: f for f in self.foreign}.values()), tuple(dict.fromkeys(self.runs)))

    # ---------------------------------------------------------------- scopes
    def _scopes(self) -> list[tuple[_Scope, tuple[ir.Stmt, ...], ir.Function | None]]:
        found: list[tuple[_Scope, tuple[ir.Stmt, ...], ir.Function | None]] = []
        for function in [None, *self.module.functions]:
            body = self.module.body if function is None else function.body
            for instance in self._instances(body):
                key = self._key(instance, function)
                self.edges.append(RouterInclude(EXPRESS_ROOT, key, False, function.line if function else 1))
                found.append((_Scope(key, instance, application=True), body, function))
            instance = _instance_param(function, self.knowledge, not self.imports_fastify) if function else ""
            if function is not None and instance:
                found.append((_Scope(f"{self.module.module_name}.{function.qualname}", instance), body, function))
        return self._with_registered(found)

    def _with_registered(self, found: list[tuple[_Scope, tuple[ir.Stmt, ...], ir.Function | None]]
                         ) -> list[tuple[_Scope, tuple[ir.Stmt, ...], ir.Function | None]]:
        """A function of the module an instance registers (`instance.register((sub) => {...})`) is a
        plugin whatever its parameter is called: Fastify calls it with the child instance first."""
        known = {function.qualname for _, _, function in found if function is not None}
        frontier = list(found)
        for _ in range(_MAX_NESTING):
            added = []
            for scope, body, function in frontier:
                handed = [(_unwrapped(call.args[0], self), 0) for call in self._registers(scope, body)]
                handed += [(call.func, index) for call, index in self._handed_instance(scope, body)]
                for expr, index in handed:
                    plugin = self._local_function(expr, function)
                    if plugin is not None and plugin.qualname not in known and len(plugin.params) > index:
                        known.add(plugin.qualname)
                        added.append((_Scope(f"{self.module.module_name}.{plugin.qualname}",
                                             plugin.params[index].name), plugin.body, plugin))
            if not added:
                break
            found.extend(added)
            frontier = added
        return found

    def _registers(self, scope: _Scope, body: tuple[ir.Stmt, ...]) -> list[ir.Call]:
        return [call for stmt in ir.walk_stmts(body) for root in ir.stmt_exprs(stmt)
                if isinstance(call := root.value if isinstance(root, ir.Await) else root, ir.Call)
                and isinstance(call.func, ir.Attr) and call.func.attr == self.knowledge.register and call.args
                and self._instance_of(call.func.value) == scope.instance]

    def _handed_instance(self, scope: _Scope, body: tuple[ir.Stmt, ...]) -> list[tuple[ir.Call, int]]:
        """`registerRoutes(server)`, `ticketRoutes(fastify)`: a function given the instance itself
        declares its routes on it, in this very scope (no plugin boundary: the scope's hooks run for
        them as for its own routes). With the argument's position, for a function of the module."""
        found = []
        for stmt in ir.walk_stmts(body):
            for root in ir.stmt_exprs(stmt):
                call = root.value if isinstance(root, ir.Await) else root
                if isinstance(call, ir.Call) and isinstance(call.func, ir.Name):
                    found.extend((call, i) for i, arg in enumerate(call.args)
                                 if isinstance(arg, ir.Name) and arg.id == scope.instance)
        return found

    def _closures_over(self, instance: str) -> list[ir.Function]:
        """Functions of the module that use the module's application without binding the name
        themselves (`async function start() { server.get('/', ...); await server.listen() }`):
        what they register is registered on that application. A function nested in one that binds
        the name (a plugin's `(server) => {...}` holding `forEach(p => server.get(p, h))`) uses
        that binding, not the module's."""
        binds = {f.qualname for f in self.module.functions if any(p.name == instance for p in f.params) or any(
            isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == instance for t in stmt.targets)
            for stmt in ir.walk_stmts(f.body))}
        found = []
        for function in self.module.functions:
            enclosing: str | None = function.qualname
            for _ in range(_MAX_NESTING):
                if enclosing is None or enclosing in binds:
                    break
                enclosing = self.functions[enclosing].parent if enclosing in self.functions else None
            if enclosing is None:
                found.append(function)
        return found

    def _instances(self, body: tuple[ir.Stmt, ...]) -> list[str]:
        """Variables assigned an application from the factory (`const app = Fastify({...})`)."""
        names = []
        for stmt in body:
            value = stmt.value.value if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Await) else \
                stmt.value if isinstance(stmt, ir.Assign) else None
            if isinstance(value, ir.Call) and self._qualify(value.func) in self.knowledge.factories:
                names.extend(t.id for t in stmt.targets if isinstance(t, ir.Name))  # type: ignore[union-attr]
        return names

    def _key(self, name: str, function: ir.Function | None) -> str:
        scope = f"{function.qualname}.<locals>." if function is not None else ""
        return f"{self.module.module_name}.{scope}{name}"

    def _qualify(self, expr: ir.Expr) -> str:
        return imported_name(expr, self.imports)

    # ---------------------------------------------------------------- statements
    def _read(self, scope: _Scope, body: tuple[ir.Stmt, ...], function: ir.Function | None) -> None:
        for call, _ in self._handed_instance(scope, body):
            plugin = self._plugin(call.func, function)
            if plugin and plugin != scope.key:
                scope.registers.append((plugin, call.line, ""))
                # it adds its hooks to this very instance: they run for this scope's routes too
                scope.hooks.append(("ref", HANDED + plugin))
        for stmt in ir.walk_stmts(body):
            for root in ir.stmt_exprs(stmt):
                call = root.value if isinstance(root, ir.Await) else root
                if isinstance(call, ir.Call) and isinstance(call.func, ir.Attr) \
                        and self._instance_of(call.func.value) == scope.instance:
                    self._call(scope, call.func.attr, call, function)

    def _instance_of(self, expr: ir.Expr) -> str:
        """The variable a receiver is, through calls that return their own instance
        (`fastify.withTypeProvider<T>()` is `fastify`)."""
        while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) \
                and expr.func.attr in self.knowledge.same_instance_methods:
            expr = expr.func.value
        return ir.dotted_name(expr) or ""

    def _call(self, scope: _Scope, method: str, call: ir.Call, function: ir.Function | None) -> None:
        args = call.args
        k = self.knowledge
        if method in k.route_methods and args and isinstance(args[0], ir.Const) and isinstance(args[0].value, str):
            options = args[1] if len(args) > 2 and isinstance(args[1], ir.DictExpr) else None
            handler = args[-1] if len(args) > 1 else None
            if isinstance(handler, ir.DictExpr):
                options, handler = handler, ir.option(handler, "handler")
            if handler is not None:
                self._route(scope, (k.route_methods[method],), args[0].value, handler, options, call, function)
        elif method == k.route_call and args and isinstance(args[0], ir.DictExpr):
            options = args[0]
            handler = ir.option(options, "handler")
            methods = _methods(ir.option(options, "method"))
            url = ir.option(options, "url") or ir.option(options, "path")
            if handler is not None and methods and isinstance(url, ir.Const) and isinstance(url.value, str):
                self._route(scope, methods, url.value, handler, options, call, function)
        elif method == k.add_hook and len(args) >= 2 and isinstance(args[0], ir.Const) \
                and args[0].value in k.request_hooks:
            self._runs(args[1], scope, function)
            if args[0].value in k.hook_options:
                scope.hooks.extend(self._entries(args[1], scope, function))
        elif method == k.register and args and self._qualify(args[0]) in k.autoload and len(args) > 1:
            # `register(AutoLoad, { dir: path.join(__dirname, 'routes') })`: every plugin file below the
            # directory, prefixed by its folders (frameworks/express_mounts.py expands the marker)
            folder = _directory(ir.option(args[1], "dir"), self.module.path)
            prefix = ir.option(ir.option(args[1], "options"), "prefix")
            if folder:
                scope.registers.append((AUTOLOAD + folder, call.line, prefix.value if isinstance(prefix, ir.Const)
                                        and isinstance(prefix.value, str) else ""))
        elif method == k.register and args:
            plugin = self._plugin(args[0], function)
            if plugin:
                prefix = ir.option(args[1], "prefix") if len(args) > 1 else None
                scope.registers.append((plugin, call.line, prefix.value if isinstance(prefix, ir.Const)
                                        and isinstance(prefix.value, str) else ""))
                # a plugin wrapped by fastify-plugin adds its hooks to this scope; whether it is one is
                # known where it is defined (its SHARED principal; frameworks/express_mounts.py)
                scope.hooks.append(("ref", SHARED + plugin))
        elif method == k.decorate and len(args) >= 2 and isinstance(args[0], ir.Const):
            target = self._local_function(args[1], function)
            if target is not None:
                self.runs.append(RequestRun(target.qualname, ""))  # a member request code calls or hooks
                judged = judge(family_of(target, self.module.functions), self.middleware)
                evidence = judged.evidence.replace(f"`{target.name}`", f"`{scope.instance}.{args[0].value}`", 1)
                self.principals.append(Principal(f"{DECORATED}{args[0].value}", judged.verdict, evidence, (),
                                                 judged.may_refuse))

    def _route(self, scope: _Scope, methods: tuple[str, ...], path: str, handler: ir.Expr,
               options: ir.Expr | None, call: ir.Call, function: ir.Function | None) -> None:
        own = [entry for option in sorted(self.knowledge.hook_options)
               if (value := ir.option(options, option)) is not None for entry in self._entries(value, scope, function)]
        for option in sorted(self.knowledge.request_hooks):
            value = ir.option(options, option)
            if value is not None:
                self._runs(value, scope, function)
        target = self._local_function(handler, function)
        qualname = target.qualname if target is not None else foreign_qualname(ir.dotted_name(handler) or "<handler>")
        if target is None and ir.dotted_name(handler):
            self.foreign.append(ForeignHandler(qualname, handler, function.qualname if function else "",
                                               handler.line or call.line))
        # the scope's hooks are added when the whole scope has been read (facts())
        scope.routes.append(RouteFact(qualname, FRAMEWORK, methods, path, handler.line or call.line, "unknown", "",
                                      router=scope.key, principal_refs=tuple(f"{v}\0{t}" for v, t in own)))

    def _decided(self, route: RouteFact, hooks: list[tuple[str, str]], scope: _Scope) -> RouteFact:
        entries = [tuple(ref.split("\0", 1)) for ref in route.principal_refs] + hooks
        guards = [text for verdict, text in entries if verdict == GUARD]
        # a hook sparing paths: an application's routes are compared with them here; a plugin's full
        # paths are known only once mounted, so its sparing hooks decide nothing here
        guard = next((text for text in guards if not self._spares(text, route, scope)), "")
        spared = next((text for text in guards if text != guard), "")
        refs = tuple(dict.fromkeys(text for verdict, text in entries if verdict == "ref"))
        own = self._own_check(route) if not guard else ""
        if guard:
            auth, evidence = "required", guard
        elif own:
            auth, evidence = "required", f"the handler checks credentials itself: {own}"
        elif spared and (unread(self.exempt[spared]) or not scope.application):
            auth, evidence = "unknown", f"{spared}, but {UNMATCHED}"
        elif spared:  # hooks decided project-wide may still guard it (frameworks/express_mounts.py)
            auth, evidence = "unknown" if refs else "none", f"{spared}, but {LETS_THROUGH}"
        elif refs:
            auth, evidence = "unknown", f"hooks {', '.join(_shown(r) for r in refs[:3])} decided project-wide"
        else:
            auth, evidence = "unknown", NO_CHECK_HERE
        return RouteFact(route.qualname, route.framework, route.methods, route.path, route.line, auth, evidence,
                         router=route.router, principal_refs=refs)

    def _own_check(self, route: RouteFact) -> str:
        """A handler here that verifies the caller itself (`authenticateToken(extractToken(req.headers
        .authorization))` with a 401 when it fails), judged as a hook would be: what it checks, or "".
        The same reading an Express handler gets (frameworks/express.py `_decide`)."""
        handler = self.functions.get(route.qualname)
        if handler is None:
            return ""
        judged = judge(family_of(handler, self.module.functions), self.middleware)
        return judged.evidence if judged.verdict == GUARD else ""

    def _spares(self, guard: str, route: RouteFact, scope: _Scope) -> bool:
        exemptions = self.exempt.get(guard, ())
        return bool(exemptions) and (not scope.application or exempted(route.path, route.methods, exemptions))

    def _entries(self, expr: ir.Expr, scope: _Scope, function: ir.Function | None) -> list[tuple[str, str]]:
        if isinstance(expr, ir.Seq):
            return [entry for element in expr.elts for entry in self._entries(element, scope, function)]
        if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) \
                and ir.dotted_name(expr.func.value) == scope.instance:
            # `fastify.auth([a, b])`: a composition of the hooks it is given
            return [entry for arg in expr.args for entry in self._entries(arg, scope, function)]
        if isinstance(expr, ir.Attr) and ir.dotted_name(expr.value) == scope.instance:
            return [("ref", f"{DECORATED}{expr.attr}")]
        local = self._local_function(expr, function)
        if local is not None:
            judged = judge(family_of(local, self.module.functions), self.middleware)
            if judged.verdict == GUARD:
                if exemptions := hook_exemptions(local, self.module):
                    self.exempt[judged.evidence] = exemptions
                return [(GUARD, judged.evidence)]
            if judged.verdict == INERT:
                return [(INERT, local.name)]
            return [("ref", f"{self.module.module_name}.{local.qualname}")]
        name = self._qualify(expr.func if isinstance(expr, ir.Call) else expr)
        if name in self.knowledge.library_guards:
            return [(GUARD, self.knowledge.library_guards[name])]
        return [("ref", name or f"{self.module.module_name}.{ir.dotted_name(expr) or '<hook>'}")]

    def _runs(self, expr: ir.Expr, scope: _Scope, function: ir.Function | None) -> None:
        """A hook runs in the requests of its scope: a function here by name, one defined
        elsewhere as the call Fastify makes (`request`, `reply`), resolved project-wide."""
        if isinstance(expr, ir.Seq):
            for element in expr.elts:
                self._runs(element, scope, function)
            return
        callers = "anyone" if scope.application else ""
        local = self._local_function(expr, function)
        if local is not None:
            self.runs.append(RequestRun(local.qualname, callers))
        elif isinstance(expr, (ir.Name, ir.Attr)) and ir.dotted_name(expr) \
                and not (isinstance(expr, ir.Attr) and ir.dotted_name(expr.value) == scope.instance):
            qualname = f"<runs@{expr.line}:{expr.col}>"
            self.foreign.append(ForeignHandler(qualname, expr, function.qualname if function else "", expr.line))
            self.runs.append(RequestRun(qualname, callers))

    def _local_function(self, expr: ir.Expr | None, function: ir.Function | None) -> ir.Function | None:
        if not isinstance(expr, ir.Name):
            return None
        if function is not None:
            nested = self.functions.get(f"{function.qualname}.<locals>.{expr.id}")
            if nested is not None:
                return nested
        return self.functions.get(expr.id)

    def _shared_plugins(self, scopes: list[tuple[_Scope, tuple[ir.Stmt, ...], ir.Function | None]]
                        ) -> list[Principal]:
        """`export const auth = fp(authPlugin)`: registering `auth` runs the plugin's hooks in the
        registering scope. Its principal is judged by those hooks: a guard among them guards, hooks
        the module cannot judge leave it undecided, none or only inert ones check nobody. A plugin it
        registers in turn is among its delegates: if fastify-plugin wraps that one too, its hooks reach
        the same scope (frameworks/express_mounts.py follows them)."""
        hooks = {scope.key: [self._decorated_here(entry) for entry in scope.hooks] for scope, _, _ in scopes}
        found = []
        for stmt in self.module.body:
            if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Call) \
                    or self._qualify(stmt.value.func) not in self.knowledge.shared_scope_wrappers or not stmt.value.args:
                continue
            local = self._local_function(stmt.value.args[0], None)
            entries = hooks.get(f"{self.module.module_name}.{local.qualname}") if local is not None else None
            if entries is None:
                continue
            guard = next((text for verdict, text in entries if verdict == GUARD), "")
            undecided = any(verdict == "ref" and not text.startswith(SHARED) for verdict, text in entries)
            verdict = GUARD if guard else "" if undecided else INERT
            registered = tuple(text for kind, text in entries if kind == "ref" and text.startswith(SHARED))
            for target in stmt.targets:
                dotted = ir.dotted_name(target)
                names = (self.module.module_name, f"{self.module.module_name}.default") \
                    if dotted in ("default", "module.exports") else (f"{self.module.module_name}.{dotted}",) \
                    if isinstance(target, ir.Name) else ()
                # delegates: the plugin function, which the inventory judges further (an object check of
                # what the URL names, a role check) under its own name, then the plugins it registers
                found.extend(Principal(SHARED + name, verdict, guard,
                                       (f"{self.module.module_name}.{local.qualname}",) + registered,
                                       bool(guard)) for name in names)
        return found

    def _handed_functions(self, scopes: list[tuple[_Scope, tuple[ir.Stmt, ...], ir.Function | None]]
                          ) -> list[Principal]:
        """Each function given an instance, as the caller sees it when handing it its own instance
        (`setupAuth(app)`; HANDED): the hooks it adds run for the caller's routes. Judged like a
        shared plugin by those hooks, except that a guard letting some paths through decides nothing
        (the caller's routes are not compared with its exemptions here), so no route is called
        guarded on a guess; the functions it hands the instance on to are among its delegates."""
        found = []
        for scope, _, function in scopes:
            if function is None or scope.application:
                continue
            entries = [self._decorated_here(entry) for entry in scope.hooks]
            guards = [text for verdict, text in entries if verdict == GUARD]
            guard = next((text for text in guards if text not in self.exempt), "")
            undecided = any(verdict == "ref" and not text.startswith((SHARED, HANDED)) for verdict, text in entries) \
                or len(guards) > (1 if guard else 0)
            verdict = GUARD if guard else "" if undecided else INERT
            passed = tuple(text for kind, text in entries if kind == "ref" and text.startswith((SHARED, HANDED)))
            found.append(Principal(HANDED + scope.key, verdict, guard, (scope.key,) + passed, bool(guard)))
        return found

    def _decorated_here(self, entry: tuple[str, str]) -> tuple[str, str]:
        """A hook naming a member this module decorates (`decorate('rateLimit', fn)` then
        `addHook('onRequest', fastify.rateLimit)`) is judged by that member's body here."""
        verdict, text = entry
        if verdict != "ref" or not text.startswith(DECORATED):
            return entry
        member = next((p for p in self.principals if p.key == text), None)
        if member is None or not member.verdict:
            return entry
        return (GUARD, member.evidence) if member.verdict == GUARD else (INERT, text)

    def _plugin(self, expr: ir.Expr, function: ir.Function | None) -> str:
        """The project-wide name of a registered plugin: a function here, an import, `fp(fn)`."""
        if isinstance(expr, ir.Call) and self._qualify(expr.func) in self.knowledge.shared_scope_wrappers and expr.args:
            expr = expr.args[0]
        local = self._local_function(expr, function)
        if local is not None:
            return f"{self.module.module_name}.{local.qualname}"
        name = self._qualify(expr)
        if not name and isinstance(expr, ir.Name) and expr.id in self.assigned:
            return f"{self.module.module_name}.{expr.id}"  # `const auth = fp(plugin)` of this module
        return name if name and not name.startswith("@fastify/") else ""

    def _exports(self) -> None:
        """`export default plugin`, `module.exports = fp(plugin)`, `exports.routes = routes`."""
        module = self.module.module_name
        for stmt in self.module.body:
            if not isinstance(stmt, ir.Assign) or stmt.value is None:
                continue
            for target in stmt.targets:
                dotted = ir.dotted_name(target)
                if dotted in ("default", "module.exports"):
                    aliases = (module, f"{module}.default")
                elif dotted and dotted.startswith(("exports.", "module.exports.")):
                    aliases = (f"{module}.{dotted.rsplit('.', 1)[-1]}",)
                else:
                    continue
                plugin = self._plugin(stmt.value, None)
                for alias in aliases:
                    if plugin and plugin != alias:
                        self.edges.append(RouterInclude(alias, plugin, False, stmt.line))


def _unwrapped(expr: ir.Expr, reader: "_Reader") -> ir.Expr:
    """`fp(plugin)` is `plugin`."""
    if isinstance(expr, ir.Call) and reader._qualify(expr.func) in reader.knowledge.shared_scope_wrappers and expr.args:
        return expr.args[0]
    return expr


def _directory(expr: ir.Expr | None, module_path: str) -> str:
    """`path.join(__dirname, 'routes')` / `resolve(__dirname, 'routes')` / `` `${__dirname}/routes` ``:
    the directory, relative to the review root; "" when it is not written out."""
    parts: list[str] = []
    if isinstance(expr, ir.Call) and ir.last_name(expr.func) in ("join", "resolve"):
        parts = [str(a.value) if isinstance(a, ir.Const) else "" if ir.dotted_name(a) == "__dirname" else "\0"
                 for a in expr.args]
    elif isinstance(expr, ir.FormattedString):
        parts = ["".join(str(p.value) if isinstance(p, ir.Const) else "" if ir.dotted_name(p) == "__dirname"
                         else "\0" for p in expr.parts)]
    if not parts or any("\0" in part for part in parts):
        return ""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(module_path), *[p.lstrip("/") for p in parts]))
    return "" if joined.startswith("..") else joined


def _shown(ref: str) -> str:
    return f"`{ref.removeprefix(DECORATED).rsplit('.', 1)[-1]}`"


def _methods(expr: ir.Expr | None) -> tuple[str, ...]:
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return (expr.value.upper(),)
    if isinstance(expr, ir.Seq):
        return tuple(e.value.upper() for e in expr.elts if isinstance(e, ir.Const) and isinstance(e.value, str))
    return ()
