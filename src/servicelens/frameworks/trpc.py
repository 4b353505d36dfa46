"""tRPC procedures of one module, with the middleware chain of the builder each is made with.

    const t = initTRPC.context<Context>().create();
    export const router = t.router;
    const isAuthed = t.middleware(({ ctx, next }) => {
      if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED' });
      return next({ ctx: { user: ctx.user } });
    });
    export const protectedProcedure = t.procedure.use(isAuthed);
    export const appRouter = router({
      health: t.procedure.query(() => 'ok'),                        // GET  <mount>/health
      post: router({ remove: protectedProcedure.input(z.string())  // POST <mount>/post.remove
                                      .mutation(({ input, ctx }) => ...) }),
    });
    app.use('/trpc', createExpressMiddleware({ router: appRouter, createContext }));

Every procedure (`<builder>.query|mutation|subscription(resolver)` as a value of a router's
object) is a route answered by its resolver, whose argument's `input` is what the client sent;
its path is its key below its router, and a router below another (a nested `router({...})`, a
router variable, an imported one, `mergeRouters(a, b)`) is an edge carrying its key and a '.',
which frameworks/express_mounts.py climbs like an Express mount up to where an adapter serves the
root router (`createExpressMiddleware` mounted at a path, `fetchRequestHandler({ endpoint })`,
`createHTTPServer`, a Next.js API route, Fastify's `fastifyTRPCPlugin` with its `prefix`).

Who may call a procedure is decided by its builder's middleware, whatever the builder is named:
a builder is `t.procedure` extended by `.use(middleware)` (and `.input/.output/.meta`, which
keep the chain); it is a principal whose delegates are the builder it extends and its
middleware, followed across modules by the project phase (frameworks/trpc_project.py). A
middleware guards when its body reads who the caller is from the context (`ctx.user`,
`ctx.session`, a token it verifies) and throws otherwise; one that only logs or times the
request is inert. The shapes are data (models/node/frameworks.yaml `trpc`).
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from servicelens import ir
from servicelens.endpoints.principals import GUARD, INERT, Principal
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.express import EXPRESS_ROOT
from servicelens.frameworks.express_auth import (
    credential_branches,
    credential_read_of,
    family_of,
    log_call,
)
from servicelens.frameworks.express_knowledge import MiddlewareKnowledge
from servicelens.frameworks.js_knowledge import TrpcKnowledge
from servicelens.frameworks.nestjs import HandlerParams
from servicelens.frameworks.python_handlers import RouterInclude
from servicelens.frameworks.trpc_resolvers import (
    CALLED,
    REFUSALS,
    RESOLVER,
    caller_calls,
    own_raises,
    refusal_code,
    refusing_helper,
    resolver_check,
)
from servicelens.lang.javascript.modules import imported_name

FRAMEWORK = "trpc"
BUILDER = "trpc-builder:"  # principal of a procedure builder: delegates are what it extends and its middleware
MIDDLEWARE = "trpc-middleware:"  # principal of a middleware value (`t.middleware(fn)`, `a.unstable_pipe(fn)`)
JUDGED = "trpc-judged:"  # principal of a function judged as a middleware body
FACTORY = "trpc-factory:"  # principal of a name that builds routers (`export const router = t.router`)
INPUT_LABEL = "tRPC procedure input"
_MAX_DEPTH = 12


@dataclass(frozen=True, slots=True)
class TrpcFacts:
    routes: tuple[RouteFact, ...]
    edges: tuple[RouterInclude, ...]
    principals: tuple[Principal, ...]
    handlers: tuple[HandlerParams, ...]


def is_trpc_module(imports: dict[str, str], knowledge: TrpcKnowledge) -> bool:
    return any(target.startswith(tuple(knowledge.packages)) for target in imports.values())


def trpc_facts(module: ir.Module, imports: dict[str, str], knowledge: TrpcKnowledge,
               middleware: MiddlewareKnowledge) -> TrpcFacts:
    """A module using tRPC's builders: one that imports @trpc/server, or calls something with
    an object whose values are procedures (`router({ list: publicProcedure.query(fn) })`), or
    calls an imported function with an object (`router({ user: userRouter })`)."""
    reader = _Reader(module, imports, knowledge, middleware)
    if not is_trpc_module(imports, knowledge) and not reader.has_procedures() and not reader.has_routers() \
            and not reader.has_middlewares():
        return TrpcFacts((), (), (), ())
    return reader.facts()


class _Reader:
    def __init__(self, module: ir.Module, imports: dict[str, str], knowledge: TrpcKnowledge,
                 middleware: MiddlewareKnowledge) -> None:
        self.module = module
        self.name = module.module_name
        self.imports = imports
        self.k = knowledge
        self.middleware = middleware
        self.functions = {f.qualname: f for f in module.functions}
        self.instances: set[str] = set()  # `t`
        self.factories: set[str] = set()  # local names of `t.router` / `t.mergeRouters`
        self.builders: set[str] = set()  # local names holding a procedure builder
        self.middlewares: set[str] = set()  # local names holding a middleware
        self.middleware_makers: set[str] = set()  # local names of `t.middleware`
        self.routes: list[RouteFact] = []
        self.edges: list[RouterInclude] = []
        self.principals: list[Principal] = []
        self.handlers: list[HandlerParams] = []
        self.judged: set[str] = set()
        self.shown = ""  # the name of the middleware being read, for the evidence of an anonymous body
        self._bindings()

    # ---------------------------------------------------------------- module-level names
    def _bindings(self) -> None:
        for stmt in self.module.body:
            if not isinstance(stmt, ir.Assign) or stmt.value is None:
                continue
            names = [t.id for t in stmt.targets if isinstance(t, ir.Name)]
            value = stmt.value
            if self._creates_instance(value):
                self.instances.update(names)
            elif self._member(value, self.k.router_members) or \
                    isinstance(value, ir.Name) and value.id in self.factories:
                self.factories.update(names)
            elif self._member(value, self.k.middleware_members):
                self.middleware_makers.update(names)
            elif self._builder_chain(value) is not None:
                self.builders.update(names)
            elif self._middleware_value(value):
                self.middlewares.update(names)

    def _creates_instance(self, expr: ir.Expr) -> bool:
        """`initTRPC.context<C>().meta<M>().create()`: a chain rooted at an import of initTRPC."""
        while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr):
            expr = expr.func.value
        while isinstance(expr, ir.Attr):
            expr = expr.value
        if not isinstance(expr, ir.Name):
            return False
        target = self.imports.get(expr.id, "")
        return target.startswith(tuple(self.k.packages)) and target.rsplit(".", 1)[-1] in self.k.init

    def _member(self, expr: ir.Expr, members: frozenset[str]) -> bool:
        """`t.router`, `t.procedure`: a member of a tRPC instance of this module; also one read off the
        instance as it is made (`const { router, procedure } = initTRPC.context<C>().create()`, lowered
        as one `procedure = initTRPC...create().procedure` per name destructured)."""
        if not isinstance(expr, ir.Attr) or expr.attr not in members:
            return False
        return isinstance(expr.value, ir.Name) and expr.value.id in self.instances or self._creates_instance(expr.value)

    def has_routers(self) -> bool:
        """`export const appRouter = router({ user: userRouter })` with `router` imported: whether
        that is tRPC's factory is known project-wide (frameworks/trpc_project.py)."""
        return any(isinstance(node, ir.Call) and isinstance(node.func, ir.Name) and node.func.id in self.imports
                   and any(isinstance(arg, ir.DictExpr) for arg in node.args)
                   for stmt in self.module.body if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call)
                   for node in ir.walk_expr(stmt.value))

    def has_middlewares(self) -> bool:
        """`const isAuthenticated = middleware(async ({ ctx, next }) => ...)` with `middleware` imported
        under one of the instance's member names (`export { middleware }` of a module destructuring
        `initTRPC...create()`): the module defines middleware the builders of other modules use."""
        return any(isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) and isinstance(stmt.value.func, ir.Name)
                   and self.imports.get(stmt.value.func.id, "").rsplit(".", 1)[-1] in self.k.middleware_members
                   and self._middleware_value(stmt.value) for stmt in self.module.body)

    def has_procedures(self) -> bool:
        return any(self._procedure(value) is not None for stmt in self.module.body
                   for root in ir.stmt_exprs(stmt) for node in ir.walk_expr(root)
                   if isinstance(node, ir.DictExpr) for value in node.values)

    # ---------------------------------------------------------------- builders and middleware
    def _builder_chain(self, expr: ir.Expr, depth: int = 0) -> list[str] | None:
        """The refs of a procedure builder expression, base first: a builder it extends
        (BUILDER + name), its middleware (MIDDLEWARE / JUDGED + name, or a name undecided here);
        None when the expression is no builder. `t.procedure` itself has no refs."""
        if depth > _MAX_DEPTH:
            return None
        if self._member(expr, self.k.procedure_members):
            return []
        if isinstance(expr, ir.Name):
            if expr.id in self.builders:
                return [f"{BUILDER}{self.name}.{expr.id}"]
            return None
        if not isinstance(expr, ir.Call) or not isinstance(expr.func, ir.Attr):
            return None
        method = expr.func.attr
        inner = expr.func.value
        known = method in self.k.builder_methods | self.k.use_methods | self.k.concat_methods
        if not known:
            return None
        base = self._builder_chain(inner, depth + 1)
        if base is None and isinstance(inner, ir.Name) and self.imports.get(inner.id):
            base = [f"{BUILDER}{self.imports[inner.id]}"]  # a builder another module exports
        if base is None:
            return None
        if method in self.k.use_methods and expr.args:
            return base + self._middleware_refs(expr.args[0], None)
        if method in self.k.concat_methods and expr.args:
            other = self._builder_chain(expr.args[0], depth + 1)
            return base + (other if other is not None else [self._qualified(expr.args[0])])
        return base

    def _middleware_value(self, expr: ir.Expr) -> bool:
        """`t.middleware(fn)`, `middleware(fn)` (an export of it), `isUser.unstable_pipe(fn)`."""
        if not isinstance(expr, ir.Call) or not expr.args:
            return False
        if isinstance(expr.func, ir.Attr) and expr.func.attr in self.k.pipe_methods:
            return True
        made_by = self._makes_middleware(expr.func) or isinstance(expr.func, ir.Name) and expr.func.id in self.imports
        return made_by and self._function(expr.args[-1], None) is not None

    def _middleware_refs(self, expr: ir.Expr, scope: ir.Function | None, depth: int = 0) -> list[str]:
        """What a middleware expression runs, as principal keys (JUDGED for a body judged here)."""
        if depth > _MAX_DEPTH:
            return []
        function = self._function(expr, scope)
        if function is not None and not self._factory_function(function):
            return [self._judge(function)]
        if isinstance(expr, ir.Name):
            if expr.id in self.middlewares:
                return [f"{MIDDLEWARE}{self.name}.{expr.id}"]
            if expr.id in self.imports:
                return [f"{MIDDLEWARE}{self.imports[expr.id]}"]
        if isinstance(expr, ir.Call):
            if isinstance(expr.func, ir.Attr) and expr.func.attr in self.k.pipe_methods and expr.args:
                return self._middleware_refs(expr.func.value, scope, depth + 1) + \
                    self._middleware_refs(expr.args[0], scope, depth + 1)
            if self._makes_middleware(expr.func) and expr.args:
                return self._middleware_refs(expr.args[-1], scope, depth + 1)
            factory = self._function(expr.func, scope)
            if factory is not None:  # `createPermissionMiddleware([ROLES.owner])`: what it returns
                refs = [ref for value in _returned(factory)
                        for ref in self._middleware_refs(value, factory, depth + 1)]
                roles = _shown_args(expr)
                return [f"{ref}\0{roles}" if roles and ref.startswith(JUDGED) else ref for ref in refs]
            if isinstance(expr.func, ir.Name) and expr.func.id in self.imports and expr.args \
                    and self._function(expr.args[-1], scope) is not None:
                return self._middleware_refs(expr.args[-1], scope, depth + 1)  # `middleware(fn)` imported
        return [self._qualified(expr)]

    def _makes_middleware(self, func: ir.Expr) -> bool:
        """`t.middleware`, or a local name of it (`const middleware = t.middleware`)."""
        return self._member(func, self.k.middleware_members) or \
            isinstance(func, ir.Name) and func.id in self.middleware_makers

    def _factory_function(self, function: ir.Function) -> bool:
        """A function whose every return is a middleware value: it makes middleware, it is none."""
        values = _returned(function)
        return bool(values) and all(isinstance(v, ir.Call) and (
            isinstance(v.func, ir.Attr) and v.func.attr in self.k.pipe_methods or self._middleware_value(v))
            for v in values)

    def _judge(self, function: ir.Function) -> str:
        key = f"{JUDGED}{self.name}.{function.qualname}"
        if key not in self.judged:
            self.judged.add(key)
            # `async ({ ctx, next }) => { await authMiddleware(ctx) ... }`: the helper handed `ctx` is judged too
            verdict, evidence = judge_middleware(family_of(function, self.module.functions, True), self.middleware,
                                                 self.shown if function.name.startswith("<") else "")
            self.principals.append(Principal(key, verdict, evidence, (), verdict == GUARD or "throws" in evidence))
        return key

    # ---------------------------------------------------------------- facts
    def facts(self) -> TrpcFacts:
        for stmt in self.module.body:
            if not isinstance(stmt, ir.Assign) or stmt.value is None:
                continue
            for target in stmt.targets:
                dotted = ir.dotted_name(target) or ""
                if not dotted:
                    continue
                key = self.name if dotted in ("default", "module.exports") else f"{self.name}.{dotted}"
                self._assigned(key, stmt.value, stmt.line)
                if dotted in ("default", "module.exports") and isinstance(target, ir.Name):
                    self.edges.append(RouterInclude(f"{self.name}.default", key, False, stmt.line))
        for scope, body in ir.body_statements(self.module):
            for stmt in ir.walk_stmts(body):
                for root in ir.stmt_exprs(stmt):
                    for node in ir.walk_expr(root):
                        if isinstance(node, ir.Call):
                            self._adapter(node, stmt, scope)
        self._refusing_helpers()
        return TrpcFacts(tuple(self.routes), tuple(dict.fromkeys(self.edges)), tuple(self.principals),
                         tuple(self.handlers))

    def _refusing_helpers(self) -> None:
        """Every function here that throws a refusal (frameworks/trpc_resolvers.py): a guard of the
        resolvers that call it with the caller, here or in other modules."""
        for function in self.module.functions:
            found = refusing_helper(family_of(function, self.module.functions), self.middleware)
            if found:
                self.principals.append(Principal(f"{CALLED}{self.name}.{function.qualname}", GUARD,
                                                 f"`{function.name}` {found}"))

    def _resolver_refs(self, function: ir.Function) -> tuple[str, ...]:
        """The resolver's own check (RESOLVER) and the functions it hands the caller to (CALLED)."""
        refs = []
        own = resolver_check(family_of(function, self.module.functions), self.middleware, self.k.context_option)
        if own:
            refs.append(f"{RESOLVER}{self.name}.{function.qualname}")
            self.principals.append(Principal(refs[-1], GUARD, own))
        for call in caller_calls(function, self.middleware, self.k.context_option):
            local = self._function(call.func, function)
            target = f"{self.name}.{local.qualname}" if local is not None else imported_name(call.func, self.imports)
            if target:
                refs.append(f"{CALLED}{target}")
        return tuple(dict.fromkeys(refs))

    def _assigned(self, key: str, value: ir.Expr, line: int) -> None:
        chain = self._builder_chain(value)
        if chain is not None:
            self.principals.append(Principal(f"{BUILDER}{key}", "", "", tuple(chain)))
            return
        if self._member(value, self.k.router_members) or isinstance(value, ir.Name) and value.id in self.factories:
            self.principals.append(Principal(f"{FACTORY}{key}", INERT, ""))
            return
        if self._middleware_value(value):
            self.shown = key.rsplit(".", 1)[-1]
            self.principals.append(Principal(f"{MIDDLEWARE}{key}", "", "", tuple(self._middleware_refs(value, None))))
            self.shown = ""
            return
        if isinstance(value, ir.Call) and self._router_call(value) is not None:
            self._router(key, value, line)

    def _router_call(self, expr: ir.Expr) -> str | None:
        """"" for a router made here (`t.router`, a local alias), the project-wide name of an
        imported router factory (checked project-wide: it must be one), None for anything else."""
        if not isinstance(expr, ir.Call) or not expr.args:
            return None
        func = expr.func
        if self._member(func, self.k.router_members) or isinstance(func, ir.Name) and func.id in self.factories:
            return ""
        if isinstance(func, ir.Name) and func.id in self.imports:
            target = self.imports[func.id]
            if target.startswith(tuple(self.k.packages)):
                return "" if target.rsplit(".", 1)[-1] in self.k.router_members else None
            return target
        return None

    def _router(self, key: str, call: ir.Call, line: int, depth: int = 0) -> None:
        factory = self._router_call(call)
        if factory is None or depth > _MAX_DEPTH:
            return
        marker = (f"{FACTORY}{factory}",) if factory else ()
        merges = isinstance(call.func, ir.Attr) and call.func.attr in self.k.merge_members or \
            bool(factory) and factory.rsplit(".", 1)[-1] in self.k.merge_members
        if merges or not isinstance(call.args[0], ir.DictExpr):
            for arg in call.args:  # `mergeRouters(a, b)`: both serve at the same level
                child = self._child(arg, key, line, depth, marker)
                if child:
                    self.edges.append(RouterInclude(key, child, False, line, "", marker))
            return
        self._record(key, call.args[0], marker, line, depth)

    def _record(self, key: str, record: ir.DictExpr, marker: tuple[str, ...], line: int, depth: int) -> None:
        """A router's object: procedures, and routers below it under their keys."""
        for name, value in zip(record.keys, record.values):
            if not isinstance(name, ir.Const) or not isinstance(name.value, str) or value is None:
                continue
            procedure = self._procedure(value)
            if procedure is not None:
                self._route(key, name.value, procedure, marker)
                continue
            child = self._child(value, f"{key}.{name.value}", getattr(value, "line", line), depth, marker)
            if child:
                self.edges.append(RouterInclude(key, child, False, getattr(value, "line", line), f"{name.value}.",
                                                marker))

    def _child(self, expr: ir.Expr, key: str, line: int, depth: int, marker: tuple[str, ...]) -> str:
        """A router below another: a variable here, an import, or one built inline (filed under
        `key`): a `router({...})` call or a plain object of procedures (tRPC 11)."""
        if isinstance(expr, ir.Name):
            return self.imports.get(expr.id) or f"{self.name}.{expr.id}"
        inline = f"{key}<inline@{line}>"
        if isinstance(expr, ir.Call) and self._router_call(expr) is not None and depth < _MAX_DEPTH:
            self._router(inline, expr, line, depth + 1)
            return inline
        if isinstance(expr, ir.DictExpr) and depth < _MAX_DEPTH:
            self._record(inline, expr, marker, line, depth + 1)
            return inline
        return ""

    def _procedure(self, expr: ir.Expr) -> tuple[str, ir.Expr, list[str]] | None:
        """`<builder>.query(resolver)`: (kind, resolver, the builder's refs)."""
        if not isinstance(expr, ir.Call) or not isinstance(expr.func, ir.Attr) or expr.func.attr not in self.k.kinds \
                or len(expr.args) != 1:
            return None
        inner = expr.func.value
        chain = self._builder_chain(inner)
        if chain is None and isinstance(inner, ir.Name) and inner.id in self.imports:
            chain = [f"{BUILDER}{self.imports[inner.id]}"]
        if chain is None:
            return None
        return expr.func.attr, expr.args[0], chain

    def _route(self, router: str, name: str, procedure: tuple[str, ir.Expr, list[str]],
               marker: tuple[str, ...]) -> None:
        kind, resolver, chain = procedure
        function = self._function(resolver, None)
        if function is None:
            return
        evidence = "a tRPC subscription (served over WebSocket or server-sent events)" if kind == "subscription" \
            else ""
        self.routes.append(RouteFact(function.qualname, FRAMEWORK, (self.k.kinds[kind],), name, function.line,
                                     "unknown", evidence, router=router,
                                     principal_refs=tuple(chain) + marker + self._resolver_refs(function)))
        if function.params:
            self.handlers.append(HandlerParams(function.qualname, (), frozenset(),
                                               members=((function.params[0].name, "input", INPUT_LABEL),)))

    # ---------------------------------------------------------------- adapters
    def _adapter(self, call: ir.Call, stmt: ir.Stmt, scope: ir.Function | None) -> None:
        plugin = imported_name(call.args[0], self.imports) if call.args else ""
        if plugin.startswith(tuple(self.k.packages)) and self.k.adapters.get(plugin.rsplit(".", 1)[-1]) == "prefix" \
                and len(call.args) > 1:
            # `server.register(fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions: { router } })`
            router = self._router_ref(ir.option(ir.option(call.args[1], self.k.options_option), self.k.router_option),
                                      scope)
            prefix = ir.option(call.args[1], self.k.prefix_option)
            if router:
                self._served(router, prefix.value if isinstance(prefix, ir.Const) and isinstance(prefix.value, str)
                             else "", call.line)
            return
        qualified = imported_name(call.func, self.imports)
        if not qualified.startswith(tuple(self.k.packages)):
            return
        how = self.k.adapters.get(qualified.rsplit(".", 1)[-1])
        if how is None or how == "prefix":
            return
        options = call.args[0] if call.args and isinstance(call.args[0], ir.DictExpr) else None
        router = self._router_ref(ir.option(options, self.k.router_option), scope)
        if not router:
            return
        if how == "mount" and isinstance(stmt, ir.Assign) and call in (stmt.value,) and scope is None:
            # `export const trpcMiddleware = createExpressMiddleware({...})`, mounted where it is used
            for target in stmt.targets:
                dotted = ir.dotted_name(target)
                if dotted:
                    key = self.name if dotted in ("default", "module.exports") else f"{self.name}.{dotted}"
                    self.edges.append(RouterInclude(key, router, False, call.line, "/"))
                    if isinstance(target, ir.Name):
                        self._local_mounts(target.id, key)
            return
        if how == "mount":
            mounted = _mount_path(stmt, call)
            if mounted is None:
                return
            prefix = mounted
        elif how == "endpoint":
            endpoint = ir.option(options, self.k.endpoint_option)
            prefix = endpoint.value if isinstance(endpoint, ir.Const) and isinstance(endpoint.value, str) else None
            if prefix is None:
                return
        elif how == "file":
            prefix = _api_route_folder(self.module.path)
            if prefix is None:
                return
        else:
            prefix = ""
        self._served(router, prefix, call.line)

    def _local_mounts(self, name: str, key: str) -> None:
        """`app.use('/trpc', trpcMiddleware)` in the module that made the middleware: an edge from
        the application (`module.app`, as frameworks/express.py names it) to the middleware."""
        for stmt in ir.walk_stmts(self.module.body):
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "use" \
                            and isinstance(node.func.value, ir.Name) and len(node.args) >= 2 \
                            and isinstance(node.args[0], ir.Const) and isinstance(node.args[0].value, str) \
                            and any(isinstance(a, ir.Name) and a.id == name for a in node.args[1:]):
                        self.edges.append(RouterInclude(f"{self.name}.{node.func.value.id}", key, False, node.line,
                                                        node.args[0].value))

    def _served(self, router: str, prefix: str, line: int) -> None:
        server = f"{self.name}.<trpc-server@{line}>"
        self.edges.append(RouterInclude(EXPRESS_ROOT, server, False, line))
        self.edges.append(RouterInclude(server, router, False, line, prefix.rstrip("/") + "/"))

    def _router_ref(self, expr: ir.Expr | None, scope: ir.Function | None) -> str:
        if isinstance(expr, ir.Name):
            return self.imports.get(expr.id) or f"{self.name}.{expr.id}"
        return ""

    # ---------------------------------------------------------------- helpers
    def _function(self, expr: ir.Expr | None, scope: ir.Function | None) -> ir.Function | None:
        if not isinstance(expr, ir.Name):
            return None
        while scope is not None:
            nested = self.functions.get(f"{scope.qualname}.<locals>.{expr.id}")
            if nested is not None:
                return nested
            scope = self.functions.get(scope.parent) if scope.parent else None
        return self.functions.get(expr.id)

    def _qualified(self, expr: ir.Expr) -> str:
        return imported_name(expr.func if isinstance(expr, ir.Call) else expr, self.imports) or \
            f"{self.name}.{ir.dotted_name(expr.func if isinstance(expr, ir.Call) else expr) or '<middleware>'}"


def judge_middleware(family: list[ir.Function], knowledge: MiddlewareKnowledge, name: str = "") -> tuple[str, str]:
    """(verdict, evidence) of a tRPC middleware body. A guard reads who the caller is from the
    context (`ctx.user`, `opts.ctx.session`, a token it verifies) and throws (a TRPCError
    UNAUTHORIZED/FORBIDDEN or anything else) on a path a request without it takes; inert when it
    throws nothing of its own (a rethrow of what `next()` threw is the procedure's error) and hands
    the context to no other function; undecided otherwise."""
    names = _context_names(family)
    # what the procedure declares (`meta.permissions.session`), not what the caller sent
    described = names - _declared_names(family)
    credential = ""
    for function in family:
        for stmt in ir.walk_stmts(function.body):
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    credential = credential or credential_read_of(node, described, knowledge)
    throws = own_raises(family)
    hands_on = any(isinstance(node, ir.Call) and not log_call(node) and ir.last_name(node.func) != "next"
                   and any(isinstance(a, ir.Name) and a.id in names for a in node.args)
                   for function in family for stmt in ir.walk_stmts(function.body)
                   for root in ir.stmt_exprs(stmt) for node in ir.walk_expr(root))
    if credential and throws and _lets_anonymous_through(family, names, knowledge):
        # `if (!ctx.user) return next()`, then checks on the signed-in caller: anyone else goes on
        return INERT, ""
    if throws and not credential and all(refusal_code(r, any_code=True) not in ("", *REFUSALS) for r in throws):
        # `throw new TRPCError({ code: 'SERVICE_UNAVAILABLE' })` in maintenance: it refuses everyone alike
        return INERT, ""
    if credential and throws and not _throws_only_with_credential(family, names, knowledge):
        code = next((c for r in throws if (c := refusal_code(r))), "")
        refusal = f"throws {code}" if code else "throws"
        role = _role_compared(family)
        shown = f"`{name}`" if name else f"the middleware at line {family[0].line}" if family[0].name.startswith("<") \
            else f"`{family[0].name}`"
        return GUARD, f"{shown} {credential} and {refusal}" + (f" (role {role})" if role else "")
    resolved = _unauthorized_without(family, names)
    if resolved:
        shown = f"`{name}`" if name else f"the middleware at line {family[0].line}" if family[0].name.startswith("<") \
            else f"`{family[0].name}`"
        return GUARD, f"{shown} {resolved}"
    if not throws and not hands_on:
        return INERT, ""
    return "", "throws" if throws else ""


_UNAUTHENTICATED = re.compile(r"(?i)unauthori[sz]ed|unauthenticated|not_?authenticated")


def _unauthorized_without(family: list[ir.Function], names: set[str]) -> str:
    """`const auth = await processAuth(ctx); if (!auth) throw errors.unauthorized()`: the caller is
    resolved by a function handed the context, and its absence is refused as unauthenticated (a
    TRPCError UNAUTHORIZED, or an error named so). The helper may live anywhere: what the
    middleware refuses, and when, says it authenticates. Evidence, or ""."""
    for function in family:
        resolved: dict[str, str] = {}
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Assign) and stmt.value is not None:
                value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
                if isinstance(value, ir.Call) and any(isinstance(a, ir.Name) and a.id in names for a in value.args) \
                        and not log_call(value):
                    shown = f"{ir.dotted_name(value.func) or ir.last_name(value.func)}(...)"
                    resolved.update({t.id: shown for t in stmt.targets if isinstance(t, ir.Name)})
            if isinstance(stmt, ir.If) and isinstance(stmt.test, ir.Unary) and stmt.test.op == "not" \
                    and isinstance(stmt.test.operand, ir.Name) and stmt.test.operand.id in resolved:
                raised = next((r for r in ir.walk_stmts(stmt.body) if isinstance(r, ir.Raise) and _unauthenticated(r)), None)
                if raised is not None:
                    return f"throws {refusal_code(raised) or 'unauthorized'} when `{resolved[stmt.test.operand.id]}` " \
                           "finds no caller"
    return ""


def _unauthenticated(stmt: ir.Raise) -> bool:
    if refusal_code(stmt) == "UNAUTHORIZED":
        return True
    exc = stmt.exc
    return isinstance(exc, ir.Call) and bool(_UNAUTHENTICATED.search(ir.last_name(exc.func) or ""))


_DECLARED = frozenset({"meta", "path", "type"})  # of a middleware's options: the procedure's, not the request's


def _declared_names(family: list[ir.Function]) -> set[str]:
    """Names holding what the procedure declares (`({ ctx, next, meta })`, a helper's `meta` parameter
    handed it): its metadata, path and type say nothing of who calls."""
    found = {p.name for f in family for p in f.params if p.name in _DECLARED}
    for function in family:
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Attr) and stmt.value.attr in _DECLARED:
                found.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return found


def _context_names(family: list[ir.Function]) -> set[str]:
    """The parameters and what is destructured from them (`({ ctx, next })`, `const { ctx } = opts`)."""
    names = {p.name for f in family for p in f.params}
    for _ in range(2):
        for function in family:
            for stmt in ir.walk_stmts(function.body):
                if isinstance(stmt, ir.Assign) and stmt.value is not None:
                    base = stmt.value
                    while isinstance(base, ir.Attr):
                        base = base.value
                    if isinstance(base, ir.Name) and base.id in names:
                        names.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return names


def _throws_only_with_credential(family: list[ir.Function], names: set[str], knowledge: MiddlewareKnowledge) -> bool:
    """Every throw sits in a branch taken only when the credential is there (`if (ctx.user &&
    ctx.user.banned) throw ...`): a request without one goes on."""
    raises = {id(r) for r in own_raises(family)}
    branches = [present for function in family for stmt, present in credential_branches(function.body, False, names, knowledge)
                if id(stmt) in raises]
    return bool(branches) and all(branches)


def _lets_anonymous_through(family: list[ir.Function], names: set[str], knowledge: MiddlewareKnowledge) -> bool:
    """`if (type !== 'mutation' || !ctx.user) return next();` before any throw: a request without
    the credential is handed on, so whatever follows checks only signed-in callers."""

    for stmt in family[0].body:
        if isinstance(stmt, ir.Raise):
            return False
        if not isinstance(stmt, ir.If):
            continue
        absent = any(isinstance(term, ir.Unary) and credential_read_of(term.operand, names, knowledge)
                     for term in ir.bool_terms(stmt.test, "or"))
        hands_on = any(isinstance(s, ir.Return) and isinstance(s.value, (ir.Call, ir.Await)) and
                       ir.last_name(s.value.value.func if isinstance(s.value, ir.Await) and isinstance(s.value.value, ir.Call)
                                    else getattr(s.value, "func", None)) == "next" for s in stmt.body)
        if absent and hands_on and not any(isinstance(s, ir.Raise) for s in ir.walk_stmts(stmt.body)):
            return True
    return False


def _role_compared(family: list[ir.Function]) -> str:
    """`ctx.user.role !== SYSTEM_ROLES.admin`: the role the middleware requires, for the evidence."""
    for function in family:
        for stmt in ir.walk_stmts(function.body):
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    if isinstance(node, ir.Compare) and len(node.comparators) == 1:
                        sides = (node.left, node.comparators[0])
                        for side, other in (sides, sides[::-1]):
                            if isinstance(side, ir.Attr) and "role" in side.attr.lower():
                                shown = ir.dotted_name(other) or (repr(other.value) if isinstance(other, ir.Const)
                                                                   else "")
                                if shown:
                                    return shown
    return ""


def _returned(function: ir.Function) -> list[ir.Expr]:
    return [stmt.value for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.Return)
            and stmt.value is not None]


def _shown_args(call: ir.Call) -> str:
    """`[ROLES.owner, ROLES.admin]` -> "ROLES.owner, ROLES.admin": what a middleware factory is handed."""
    shown = []
    for arg in call.args:
        for node in (arg.elts if isinstance(arg, ir.Seq) else (arg,)):
            text = ir.dotted_name(node) or (str(node.value) if isinstance(node, ir.Const) else "")
            if text:
                shown.append(text)
    return ", ".join(shown)


def _mount_path(stmt: ir.Stmt, call: ir.Call) -> str | None:
    """`app.use('/trpc', createExpressMiddleware({...}))`: the path the statement mounts it at."""
    for root in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(root):
            if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "use" \
                    and call in node.args and node.args and isinstance(node.args[0], ir.Const) \
                    and isinstance(node.args[0].value, str):
                return node.args[0].value
    return None


def _api_route_folder(path: str) -> str | None:
    """`src/pages/api/trpc/[trpc].ts` -> `/api/trpc`: the Next.js API route a file serves."""
    parts = posixpath.dirname(path).split("/")
    if "pages" not in parts:
        return None
    return "/" + "/".join(parts[parts.index("pages") + 1:])
