"""Routes of decorated controller classes in one TypeScript module (NestJS, and the libraries of
the same shape: inversify-express-utils, routing-controllers, tsoa), with the guards, middleware
and metadata around them.

    @Controller('orders') @UseGuards(RolesGuard)      export const Public = () => SetMetadata(IS_PUBLIC, true);
    class Orders { @Get(':id') @Public() one(@Param('id') id) {} }
    { provide: APP_GUARD, useClass: JwtAuthGuard }    class JwtAuthGuard { canActivate(ctx) { ... } }

Per file: each route method with its path, the guards named at class and method level and the
decorators declared on it; each guard class judged by what `canActivate` does (reads a
credential and throws or returns false) and which route metadata makes it let a caller through
(a Reflector read of a key followed by an early `return true`); each decorator function with
the metadata it sets and the guards it applies (edges `decorator -> nestjs-metadata:KEY`,
`decorator -> nestjs-guard:NAME`); each global guard (edge `nestjs:global -> guard`). What
applies to a route across files is decided in frameworks/nestjs_project.py. The shapes are
data (models/node/frameworks.yaml); no framework name is written here.

Middleware named beside a route (`@controller('/items', TYPES.Auth)`, `@UseBefore(Auth)`) is a
principal reference like a guard; a container binding of a token to a class
(`container.bind(TYPES.Auth).to(AuthMiddleware)`) and a class that calls no method of the
framework's itself (`class Required extends AuthMiddleware`, its `handler` inherited) are alias
principals delegating to the class and to the bases, so the project phase finds the body that
judges the request.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from servicelens import ir
from servicelens.lang.javascript.modules import imported_name
from servicelens.endpoints.principals import GUARD, INERT, Principal
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.base_guards import base_verdict_kept, falls_back_from_base
from servicelens.frameworks.express import path_literal
from servicelens.frameworks.express_auth import credential_read, family_of, judge, log_call
from servicelens.frameworks.express_knowledge import MiddlewareKnowledge
from servicelens.frameworks.js_knowledge import NestKnowledge
from servicelens.frameworks.path_constants import constant_path
from servicelens.frameworks.nestjs_arguments import conditioned, negated, parameter_test, route_arguments, truth
from servicelens.frameworks.route_options import RefOptions, literal_text
from servicelens.frameworks.python_handlers import RouterInclude
from servicelens.frameworks.request_reads import credential_header

FRAMEWORK = "nestjs"
GLOBAL = "nestjs:global"  # parent of every guard the application applies to all routes
MIDDLEWARE = "nestjs:middleware"  # parent of every middleware a module applies (`consumer.apply(...)`)
METADATA = "nestjs-metadata:"  # child of a decorator: a metadata key it sets
GUARD_REF = "nestjs-guard:"  # child of a decorator: a guard it applies
BASE = "controller-base:"  # child of a class: a class it extends
GLOBAL_PREFIX = "nestjs:global-prefix"  # parent of an edge carrying `app.setGlobalPrefix(...)`
TOKEN = "controller-token:"  # a container token written as a string
DECIDED_PROJECT_WIDE = "guards decided project-wide"
_HEADER_SOURCE = "request header"  # the label param_sources gives a header parameter (`@Headers('x')`)
HANDS_REQUEST = "no guard decides it, and the handler hands the request to"  # the route's own evidence
# a guard's exemptions by route metadata (Principal.exempt_paths kinds)
METADATA_SET = "metadata"  # lets through a route that sets the key
METADATA_UNSET = "metadata-unset"  # lets through a route that does not: acts only where it is set
HANDLER_ONLY = "@handler"  # read from the route method alone, not its controller class


@dataclass(frozen=True, slots=True)
class HandlerParams:
    """A route method's parameters the framework fills from the client."""

    qualname: str
    sources: tuple[tuple[str, str], ...]  # (parameter, label)
    typed: frozenset[str]  # parsed strictly by a pipe (ParseIntPipe ...)
    # (parameter, member, label): a member of a parameter the framework fills from the client
    # (a tRPC resolver's `{ input }`), the rest of the parameter being the framework's (`ctx`)
    members: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class NestFacts:
    routes: tuple[RouteFact, ...]
    edges: tuple[RouterInclude, ...]
    principals: tuple[Principal, ...]
    handlers: tuple[HandlerParams, ...]
    runs: tuple[str, ...] = ()  # qualnames of methods Nest calls in a request (a guard's canActivate ...)


EMPTY = NestFacts((), (), (), ())


def controller_facts(module: ir.Module, imports: dict[str, str], knowledges: tuple[NestKnowledge, ...],
                     middleware: MiddlewareKnowledge) -> NestFacts:
    """The facts of every decorator-routed library the module uses, together, and the classes
    that inherit the method a library calls (in any module: a subclass need not import the library)."""
    found = [nest_facts(module, imports, knowledge, middleware) for knowledge in knowledges]
    found = [facts for facts in found if facts is not EMPTY]
    judged = {p.key for facts in found for p in facts.principals}
    inheriting = tuple(p for p in _inheriting(module, _Names(module, imports), knowledges)
                       if p.key not in judged) if module.classes else ()
    if inheriting:
        found.append(NestFacts((), (), inheriting, ()))
    if len(found) < 2:
        return found[0] if found else EMPTY
    return NestFacts(*(tuple(dict.fromkeys(item for facts in found for item in getattr(facts, field)))
                       for field in ("routes", "edges", "principals", "handlers", "runs")))


def uses(imports: dict[str, str], knowledge: NestKnowledge) -> bool:
    """The module imports one of the library's packages (`@nestjs/` a scope, `tsoa` a package)."""
    return any(target.startswith(p) if p.endswith("/") else target == p or target.startswith(p + ".")
               for target in imports.values() for p in knowledge.packages)


def nest_facts(module: ir.Module, imports: dict[str, str], knowledge: NestKnowledge,
               middleware: MiddlewareKnowledge) -> NestFacts:
    if not uses(imports, knowledge):
        return EMPTY
    names = _Names(module, imports)
    functions = {f.qualname: f for f in module.functions}
    routes: list[RouteFact] = []
    handlers: list[HandlerParams] = []
    for cls in module.classes:
        prefix = _controller_prefix(cls, names, knowledge)
        resolver = prefix is None and _is_resolver(cls, names, knowledge)
        if prefix is None and not resolver:
            continue
        class_guards, class_declared = _declared(cls.decorators, names, knowledge)
        for qualname in cls.methods:
            function = functions.get(qualname)
            if function is None:
                continue
            declares = _operations(function, names, knowledge) if resolver else (
                (method, _join(prefix or "", path)) for method, path in _route_decorators(function, names, knowledge))
            for method, path in declares:
                guards, declared = _declared(function.decorators, names, knowledge)
                opened = any(d in knowledge.open_decorators for d in declared)  # tsoa `@NoSecurity()`
                guards = tuple(g for g in class_guards if not (opened and g in knowledge.library_guards)) + guards
                closed = _refuses_everyone(function)
                handed = "" if closed else _request_handed_on(function, names, knowledge, module.functions, middleware)
                own_check = "" if closed else _handler_check(function, cls, functions, module.functions, names,
                                                             knowledge, middleware)
                routes.append(RouteFact(
                    qualname, knowledge.framework, (method,), path, function.line, "required" if closed else "unknown",
                    closed or handed or DECIDED_PROJECT_WIDE,
                    router=f"{module.module_name}.{cls.qualname}",
                    principal_refs=tuple(dict.fromkeys(guards)),
                    declared_refs=tuple(dict.fromkeys(class_declared + declared)),
                    class_refs=tuple(d for d in dict.fromkeys(class_declared) if d not in declared),
                    ref_options=_decorator_arguments(cls.decorators + function.decorators, names, knowledge),
                    own_check=own_check))
                handlers.append(_handler_params(function, names, knowledge))
    edges = list(_decorator_edges(module, names, knowledge)) + list(_global_guards(module, names, knowledge)) \
        + list(_applied_middleware(module, names, knowledge)) + list(_global_prefix(module, knowledge)) \
        + list(_class_chain(module, names, knowledge)) \

    principals = tuple(_guards(module, names, knowledge, middleware)) + tuple(
        _middleware_classes(module, knowledge, middleware)) + tuple(_bindings(module, names, knowledge))
    return NestFacts(tuple(routes), tuple(dict.fromkeys(edges)), principals, tuple(dict.fromkeys(handlers)),
                     tuple(_request_methods(module, names, knowledge)))


def _decorator_arguments(decorators: tuple[ir.Expr, ...], names: _Names,
                         knowledge: NestKnowledge) -> tuple[RefOptions, ...]:
    """The arguments a route passes the project's own decorator functions (`@Auth(true)`)."""
    found = []
    for decorator in decorators:
        name = names.of(decorator)
        if name and not any(name.startswith(package) for package in knowledge.packages):
            found.extend(route_arguments(decorator, name))
    return tuple(found)


def _request_methods(module: ir.Module, names: _Names, knowledge: NestKnowledge) -> Iterator[str]:
    """The methods Nest calls inside a request on the providers that implement its contracts: a
    guard's `canActivate`, an interceptor's `intercept`, a pipe's `transform`, an exception
    filter's `catch`, a middleware's `use` (classes declared `@Injectable()` or `@Catch()`);
    and a GraphQL resolver's field resolvers (`@ResolveField()`)."""
    functions = {f.qualname: f for f in module.functions}
    for cls in module.classes:
        provider = any(names.of(d) in knowledge.provider_decorators for d in cls.decorators)
        for qualname in cls.methods:
            if provider and qualname.rpartition(".")[2] in knowledge.request_methods:
                yield qualname
            elif qualname in functions and any(names.of(d) in knowledge.field_resolvers
                                               for d in functions[qualname].decorators):
                yield qualname  # `@ResolveField()`: run for each object a query returns


def _refuses_everyone(function: ir.Function) -> str:
    """A route method whose whole body answers 401/403 (`return this.statusCode(401)`, `throw new
    ForbiddenException()`): a retired or blocked endpoint no caller gets through; the evidence, or ""."""
    if not function.body:
        return ""
    for stmt in function.body:
        value = stmt.value if isinstance(stmt, (ir.Return, ir.ExprStmt)) else None
        if isinstance(stmt, ir.Raise) and isinstance(stmt.exc, ir.Call) and _refusal_name(stmt.exc):
            continue
        if isinstance(value, ir.Await):
            value = value.value
        if not (isinstance(value, ir.Call) and any(isinstance(a, ir.Const) and a.value in (401, 403) for a in value.args)):
            return ""
    return "the handler refuses every caller (it only answers 401/403)"


def _request_handed_on(function: ir.Function, names: _Names, knowledge: NestKnowledge,
                       functions: tuple[ir.Function, ...], middleware: MiddlewareKnowledge) -> str:
    """The route method gives the request object it is handed (`@HTTPContext() ctx`, `@Req() req`)
    to another function (`await this.ensureWriteAccess(ctx, id)`), which may check the caller and
    refuse, as middleware handing the request on may: with no guard in effect, who may call the
    route is unknown, not none. A log line given the request checks nobody, nor does a method of
    the same class whose body can neither refuse nor hand it on. Evidence, or ""."""
    requests = {p.name for p in function.params
                if any(names.of(d) in knowledge.request_params for d in p.decorators)}
    if not requests:
        return ""
    own = {f.name: f for f in functions if f.class_name and f.class_name == function.class_name}
    for stmt in ir.walk_stmts(function.body):
        for root in ir.stmt_exprs(stmt):
            for expr in ir.walk_expr(root):
                if isinstance(expr, ir.Call) and not log_call(expr) \
                        and any(isinstance(a, ir.Name) and a.id in requests for a in expr.args) \
                        and not _own_inert_method(expr, own, functions, middleware):
                    callee = ir.dotted_name(expr.func) or ir.last_name(expr.func) or "a function"
                    return f"{HANDS_REQUEST} `{callee.removeprefix('self.')}`, which may check the caller"
    return ""


def _handler_check(function: ir.Function, cls: ir.ClassDef, functions: dict[str, ir.Function],
                   every: tuple[ir.Function, ...], names: _Names, knowledge: NestKnowledge,
                   middleware: MiddlewareKnowledge) -> str:
    """What the route method itself checks of the caller, judged as Express middleware is
    (frameworks/express_auth.py) with the class methods it calls (`this.assertSecret(secret)`)
    and a credential header Nest hands it as a parameter (`@Headers('x-internal-secret') secret`):
    the guard's evidence, or ""."""
    credentials = {}
    for param in function.params:
        for decorator in param.decorators:
            header = _path_arg(decorator) if isinstance(decorator, ir.Call) else ""
            if header and knowledge.param_sources.get(names.of(decorator)) == _HEADER_SOURCE \
                    and credential_header(header, middleware):
                credentials[param.name] = f"reads the {header} header"
    judged = judge(_with_own_helpers(function, cls, functions, every), middleware, credentials=credentials)
    return judged.evidence if judged.verdict == GUARD else ""


def _own_inert_method(call: ir.Call, own: dict[str, ir.Function], functions: tuple[ir.Function, ...],
                      middleware: MiddlewareKnowledge) -> bool:
    """`this.setCacheHeaders(ctx)`: a method of the route's own class that the middleware judge
    finds inert (nothing in it refuses or hands the request on) decides nobody's access."""
    func = call.func
    if not (isinstance(func, ir.Attr) and isinstance(func.value, ir.Name) and func.value.id in ("self", "this")):
        return False
    method = own.get(func.attr)
    return method is not None and judge(family_of(method, functions), middleware).verdict == INERT


def _refusal_name(call: ir.Call) -> bool:
    """`new UnauthorizedException()`, `new ForbiddenError(...)`: an error named for a refusal."""
    name = (ir.last_name(call.func) or "").lower()
    return "unauthori" in name or "forbidden" in name


def _class_chain(module: ir.Module, names: _Names, knowledge: NestKnowledge) -> Iterator[RouterInclude]:
    """What a controller inherits (tegg's `@Middleware(AlwaysAuth) abstract class Base {}` that every
    controller extends): each class's bases (edges `class -> BASE + base`) and the middleware its own
    class-level decorators name (edges `class -> GUARD_REF + middleware`), followed up the chain across
    files in frameworks/nestjs_project.py. Only for libraries whose middleware decorators inherit."""
    if not knowledge.inherited_middleware:
        return
    for cls in module.classes:
        key = f"{module.module_name}.{cls.qualname}"
        yield from (RouterInclude(key, BASE + b, False, cls.line) for b in map(names.of, cls.bases) if b)
        guards, _ = _declared(cls.decorators, names, knowledge)
        yield from (RouterInclude(key, GUARD_REF + g, False, cls.line) for g in guards)


def _global_prefix(module: ir.Module, knowledge: NestKnowledge) -> Iterator[RouterInclude]:
    """`app.setGlobalPrefix('api')`: every route of the application is served under it."""
    for expr in _all_exprs(module):
        if isinstance(expr, ir.Call) and ir.last_name(expr.func) in knowledge.global_prefix_calls and expr.args \
                and isinstance(expr.args[0], ir.Const) and isinstance(expr.args[0].value, str):
            yield RouterInclude(GLOBAL_PREFIX, "", False, expr.line, expr.args[0].value)


class _Names:
    """Project-wide names of expressions: through imports, or the module's own top-level names."""

    def __init__(self, module: ir.Module, imports: dict[str, str]) -> None:
        self.module = module.module_name
        self.imports = imports
        self.ir_module = module
        self.local = {f.qualname for f in module.functions if "." not in f.qualname} | {
            c.qualname for c in module.classes} | {
            t.id for s in module.body if isinstance(s, ir.Assign) for t in s.targets if isinstance(t, ir.Name)}

    def of(self, expr: ir.Expr) -> str:
        if isinstance(expr, ir.Call):  # `AuthGuard('jwt')`, `new JwtGuard()`
            expr = expr.func
        imported = imported_name(expr, self.imports)
        if imported:
            return imported
        dotted = ir.dotted_name(expr) or ""
        if dotted.partition(".")[0] in self.local:
            return f"{self.module}.{dotted}"
        return ""

    def key(self, expr: ir.Expr) -> str:
        """A metadata key: its literal, or the project-wide name of the constant holding it."""
        if isinstance(expr, ir.Const) and isinstance(expr.value, str):
            return expr.value
        return self.of(expr)


def _controller_prefix(cls: ir.ClassDef, names: _Names, knowledge: NestKnowledge) -> str | None:
    for decorator in cls.decorators:
        if isinstance(decorator, ir.Call) and names.of(decorator) in knowledge.controllers:
            return _path_arg(decorator, names)
        if isinstance(decorator, ir.Name) and names.of(decorator) in knowledge.controllers:
            return ""
    return None


def _path_arg(call: ir.Call, names: "_Names | None" = None) -> str:
    """`('x')`, `({ path: 'x' })`, `()`; the first path of `(['a', 'b'])`; a template's text; a
    constant's literal, or `{NAME}` until the project phase fills it (frameworks/path_constants.py)."""
    if not call.args:
        return ""
    arg = call.args[0]
    if isinstance(arg, ir.DictExpr):
        arg = ir.option(arg, "path") or ir.Const(0, 0, "")
    if isinstance(arg, ir.Seq) and arg.elts:
        arg = arg.elts[0]
    if isinstance(arg, ir.Name) and names is not None:
        return constant_path(arg, names.ir_module, names.imports)
    return path_literal(arg)


def _is_resolver(cls: ir.ClassDef, names: _Names, knowledge: NestKnowledge) -> bool:
    return any(names.of(d) in knowledge.resolvers for d in cls.decorators)


def _operations(function: ir.Function, names: _Names, knowledge: NestKnowledge) -> Iterator[tuple[str, str]]:
    """`@Query(() => [User], { name: 'users' })`, `@Mutation(() => User)`: the operation kind, and the
    name the schema gives it (the `name` option, else the method's name), as the route's "path"
    (Python's GraphQL resolvers are filed the same way)."""
    for decorator in function.decorators:
        kind = knowledge.operation_decorators.get(names.of(decorator))
        if kind is None:
            continue
        names_given = [ir.option(arg, "name") for arg in (decorator.args if isinstance(decorator, ir.Call) else ())]
        named = next((n.value for n in names_given if isinstance(n, ir.Const) and isinstance(n.value, str)), "")
        yield kind, named or function.name


def _route_decorators(function: ir.Function, names: _Names, knowledge: NestKnowledge) -> Iterator[tuple[str, str]]:
    for decorator in function.decorators:
        name = names.of(decorator)
        method = knowledge.route_decorators.get(name)
        if method is None and name in knowledge.method_option_routes and isinstance(decorator, ir.Call):
            method = _method_option(decorator, knowledge.method_option)
        if method is not None:
            yield method, _path_arg(decorator, names) if isinstance(decorator, ir.Call) else ""


def _method_option(call: ir.Call, option: str) -> str | None:
    """`({ method: HTTPMethodEnum.GET, ... })` / `({ method: 'post' })`: the HTTP method the option
    names; ALL when it is not written out (the route exists, its method is unknown)."""
    value = ir.option(call.args[0], option) if call.args and isinstance(call.args[0], ir.DictExpr) else None
    if isinstance(value, ir.Const) and isinstance(value.value, str):
        return value.value.upper()
    named = ir.last_name(value) if isinstance(value, (ir.Attr, ir.Name)) else None
    return named.upper() if named else "ALL"


def _declared(decorators: tuple[ir.Expr, ...], names: _Names,
              knowledge: NestKnowledge) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(guards named by `@UseGuards`, every other decorator: project-wide names, or the
    metadata key of an inline `@SetMetadata(KEY, ...)`)."""
    guards: list[str] = []
    declared: list[str] = []
    for decorator in decorators:
        name = names.of(decorator)
        if name in knowledge.library_guards:  # `@Authorized()`, `@Security('jwt')`: the library refuses
            guards.append(name)
        elif isinstance(decorator, ir.Call) and knowledge.middleware_args and (
                name in knowledge.controllers or name in knowledge.route_decorators):
            # `@controller('/items', TYPES.Auth)`, `@httpGet('/', Limit)`: middleware after the path
            guards.extend(g for g in (_middleware_name(a, names) for a in decorator.args[1:]) if g)
        elif name in knowledge.use_middleware and isinstance(decorator, ir.Call):
            guards.extend(g for g in (_middleware_name(a, names) for a in decorator.args) if g)
        elif name in knowledge.use_guards and isinstance(decorator, ir.Call):
            guards.extend(g for g in (names.of(a) for a in decorator.args) if g)
        elif name in knowledge.metadata_setters and isinstance(decorator, ir.Call) and decorator.args:
            declared.append(METADATA + names.key(decorator.args[0]))
        elif name and name not in knowledge.route_decorators and name not in knowledge.operation_decorators \
                and name not in knowledge.method_option_routes:
            declared.append(name)
    return tuple(guards), tuple(declared)


def _middleware_name(expr: ir.Expr, names: _Names) -> str:
    """A middleware argument's project-wide name: a class, a function, a container token
    (`TYPES.Auth`), or the module's own name for one it defines or a string token."""
    name = names.of(expr)
    if name:
        return name
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return TOKEN + expr.value  # a token the container binds by its string, in any module
    dotted = ir.dotted_name(expr.func if isinstance(expr, ir.Call) else expr)
    return f"{names.module}.{dotted}" if dotted else ""


def _handler_params(function: ir.Function, names: _Names, knowledge: NestKnowledge) -> HandlerParams:
    sources: list[tuple[str, str]] = []
    typed: set[str] = set()
    for param in function.params:
        for decorator in param.decorators:
            label = knowledge.param_sources.get(names.of(decorator))
            if label is None:
                continue
            field = _path_arg(decorator) if isinstance(decorator, ir.Call) else ""
            sources.append((param.name, f"{label} `{field}`" if field else label))
            if isinstance(decorator, ir.Call) and any(names.of(a) in knowledge.strict_pipes for a in decorator.args):
                typed.add(param.name)
    return HandlerParams(function.qualname, tuple(sources), frozenset(typed))


def _decorator_edges(module: ir.Module, names: _Names, knowledge: NestKnowledge) -> Iterator[RouterInclude]:
    """`const Public = () => SetMetadata(IS_PUBLIC, true)`; `applyDecorators(SetMetadata(...), UseGuards(G))`."""
    for function in module.functions:
        if "." in function.qualname:
            continue
        key = f"{module.module_name}.{function.qualname}"
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Return) and isinstance(stmt.value, (ir.Call, ir.IfExp)):
                yield from _applied(key, stmt.value, names, knowledge, stmt.line, function.params)


def _applied(key: str, expr: ir.Expr, names: _Names, knowledge: NestKnowledge, line: int,
             params: tuple[ir.Param, ...], conditions: tuple[str, ...] = ()) -> Iterator[RouterInclude]:
    """What a decorator function applies, each part under the conditions its parameters put on it
    (frameworks/nestjs_arguments.py)."""
    if isinstance(expr, ir.IfExp):  # `apiKey ? UseGuards(A) : UseGuards(B)`
        condition = parameter_test(expr.test, params)
        yield from _applied(key, expr.body, names, knowledge, line, params, conditions + (condition,))
        yield from _applied(key, expr.orelse, names, knowledge, line, params, conditions + (negated(condition),))
        return
    if not isinstance(expr, ir.Call):
        return
    name = names.of(expr)
    if name in knowledge.metadata_setters and expr.args:
        value = expr.args[1] if len(expr.args) > 1 else None
        if value is not None and truth(literal_text(value)) == "f":
            return  # `SetMetadata(K, false)`: a guard testing the value's truth sees no key
        # `SetMetadata(K, optional)`: set where the argument is true; `(...roles) => SetMetadata(K, roles)`
        # sets an array, true even when empty
        own = conditions + ((parameter_test(value, params),) if isinstance(value, ir.Name)
                            and any(p.name == value.id and p.kind == "positional" for p in params) else ())
        yield RouterInclude(key, conditioned(METADATA + names.key(expr.args[0]), own), False, line)
    elif name in knowledge.use_guards:
        yield from (RouterInclude(key, conditioned(GUARD_REF + g, conditions), False, line)
                    for g in map(names.of, expr.args) if g)
    elif name in knowledge.decorator_composers:
        for arg in expr.args:
            yield from _applied(key, arg, names, knowledge, line, params, conditions)


def _global_guards(module: ir.Module, names: _Names, knowledge: NestKnowledge) -> Iterator[RouterInclude]:
    """`app.useGlobalGuards(new G())` and a `{ provide: APP_GUARD, useClass: G }` provider."""
    for expr in _all_exprs(module):
        if isinstance(expr, ir.Call) and ir.last_name(expr.func) in knowledge.global_guard_calls:
            yield from (RouterInclude(GLOBAL, g, False, expr.line) for g in map(names.of, expr.args) if g)
        elif isinstance(expr, ir.DictExpr):
            entries = {k.value: v for k, v in zip(expr.keys, expr.values) if isinstance(k, ir.Const)}
            provide = entries.get("provide")
            if provide is not None and names.of(provide) in knowledge.global_guard_tokens:
                for field in ("useClass", "useExisting"):
                    guard = names.of(entries[field]) if field in entries else ""
                    if guard:
                        yield RouterInclude(GLOBAL, guard, False, expr.line)


def _applied_middleware(module: ir.Module, names: _Names, knowledge: NestKnowledge) -> Iterator[RouterInclude]:
    """`consumer.apply(AuthMiddleware, LoggerMiddleware).forRoutes(...)`: middleware for the
    routes it names (taken as every route: the paths are not matched)."""
    for expr in _all_exprs(module):
        if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr == knowledge.middleware_scope:
            applied = expr.func.value
            if isinstance(applied, ir.Call) and isinstance(applied.func, ir.Attr) \
                    and applied.func.attr == knowledge.middleware_apply:
                for arg in applied.args:
                    name = names.of(arg)
                    yield RouterInclude(MIDDLEWARE, name or f"{names.module}.{ir.dotted_name(arg) or '<middleware>'}",
                                        False, expr.line)


def _bindings(module: ir.Module, names: _Names, knowledge: NestKnowledge) -> Iterator[Principal]:
    """`container.bind<M>(TYPES.Auth).to(AuthMiddleware)`, `.toDynamicValue(() => new AuthMiddleware(...))`,
    `.toConstantValue(new AuthMiddleware())`: the token stands for the class (an alias principal)."""
    if not knowledge.container_binds:
        return
    functions = {f.qualname: f for f in module.functions}
    for expr in _all_exprs(module):
        if not (isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr in knowledge.binding_targets
                and isinstance(expr.func.value, ir.Call) and ir.last_name(expr.func.value.func) in knowledge.container_binds
                and expr.func.value.args and expr.args):
            continue
        bound = tuple(dict.fromkeys(_bound_classes(expr.args[0], names, functions)))
        if bound:
            yield Principal(_middleware_name(expr.func.value.args[0], names), "", "", bound, False, alias=True)


def _bound_classes(expr: ir.Expr, names: _Names, functions: dict[str, ir.Function]) -> Iterator[str]:
    """The class a binding hands out: the class itself, a `new C(...)`, or what a factory returns."""
    factory = next((f for q, f in functions.items() if isinstance(expr, ir.Name)
                    and (q == expr.id or q.endswith(f".<locals>.{expr.id}"))), None)
    if factory is not None:
        for stmt in ir.walk_stmts(factory.body):
            if isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Call) and names.of(stmt.value):
                yield names.of(stmt.value)
        return
    if isinstance(expr, ir.Lambda):
        expr = expr.body
    name = names.of(expr)
    if name:
        yield name


def _inheriting(module: ir.Module, names: _Names, knowledges: tuple[NestKnowledge, ...]) -> Iterator[Principal]:
    """A class with bases and no method a controller library calls on middleware or guards
    (`class Required extends AuthMiddleware` overriding only helpers): an alias principal for its
    bases, so the base's judged method stands for it."""
    called = frozenset(m for k in knowledges for m in k.middleware_methods | k.guard_methods)
    for cls in module.classes:
        if not cls.bases or any(q.rpartition(".")[2] in called for q in cls.methods):
            continue
        bases = tuple(name for name in map(names.of, cls.bases) if name)
        if bases:
            yield Principal(f"{module.module_name}.{cls.qualname}", "", "", bases, False, alias=True)


def middleware_links(module: ir.Module, imports: dict[str, str],
                     knowledges: tuple[NestKnowledge, ...]) -> Iterator[tuple[str, tuple[str, ...]]]:
    """What runs when a route names a middleware or guard, for rules that follow calls: a container
    token -> the class bound to it, a class -> the methods the framework calls on it (`handler`, `use`,
    `canActivate`), a class that has none of its own -> its bases."""
    names = _Names(module, imports)
    called = frozenset(m for k in knowledges for m in k.middleware_methods | k.guard_methods)
    for knowledge in knowledges:
        if uses(imports, knowledge):
            for alias in _bindings(module, names, knowledge):
                yield alias.key, alias.delegates
    for cls in module.classes:
        key = f"{module.module_name}.{cls.qualname}"
        own = tuple(f"{module.module_name}.{q}" for q in cls.methods if q.rpartition(".")[2] in called)
        if own:
            yield key, own
        elif cls.bases and (bases := tuple(name for name in map(names.of, cls.bases) if name)):
            yield key, tuple(f"{b}.{m}" for b in bases for m in sorted(called)) + bases


def _middleware_classes(module: ir.Module, knowledge: NestKnowledge,
                        middleware: MiddlewareKnowledge) -> Iterator[Principal]:
    """A class with `use(req, res, next)` (or the library's method of that name), judged like
    Express middleware (by what its body does)."""
    functions = {f.qualname: f for f in module.functions}
    for cls in module.classes:
        method = next((functions[f"{cls.qualname}.{name}"] for name in sorted(knowledge.middleware_methods)
                       if f"{cls.qualname}.{name}" in functions), None)
        if method is None or len(method.params) < 3:
            continue
        judged = judge(_with_own_helpers(method, cls, functions, module.functions), middleware)
        yield Principal(f"{module.module_name}.{cls.qualname}", judged.verdict,
                        judged.evidence.replace(f"`{method.name}`", f"`{cls.name}.{method.name}`", 1), (),
                        judged.may_refuse)


def _with_own_helpers(method: ir.Function, cls: ir.ClassDef, functions: dict[str, ir.Function],
                      every: tuple[ir.Function, ...]) -> list[ir.Function]:
    """The method with its nested functions and the class's own methods it calls (`return
    this.sendInvalidAuthResponse(response)` answering 401), transitively: what the request meets."""
    family = family_of(method, every)
    seen = {f.qualname for f in family}
    index = 0
    while index < len(family):
        for stmt in ir.walk_stmts(family[index].body):
            for root in ir.stmt_exprs(stmt):
                for expr in ir.walk_expr(root):
                    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) \
                            and ir.dotted_name(expr.func.value) == "self":
                        helper = functions.get(f"{cls.qualname}.{expr.func.attr}")
                        if helper is not None and helper.qualname not in seen:
                            added = [f for f in family_of(helper, every) if f.qualname not in seen]
                            seen.update(f.qualname for f in added)
                            family.extend(added)
        index += 1
    return family


def _all_exprs(module: ir.Module) -> Iterator[ir.Expr]:
    roots: list[ir.Expr] = [d for c in module.classes for d in c.decorators]
    for body in [module.body] + [f.body for f in module.functions]:
        for stmt in ir.walk_stmts(body):
            roots.extend(ir.stmt_exprs(stmt))
    for root in roots:
        yield from ir.walk_expr(root)


# ---------------------------------------------------------------- guards


def _guards(module: ir.Module, names: _Names, knowledge: NestKnowledge,
            middleware: MiddlewareKnowledge) -> Iterator[Principal]:
    """Every class with a `canActivate`, judged by its body."""
    functions = {f.qualname: f for f in module.functions}
    for cls in module.classes:
        method = next((functions[q] for q in cls.methods if q in functions
                       and functions[q].name in knowledge.guard_methods), None)
        library = _library_base(cls, names, knowledge)
        kept, switch = base_verdict_kept(method, knowledge.guard_methods) if method is not None else (True, "")
        if library and kept:
            # `class JwtGuard extends AuthGuard('jwt') {}`, or a `canActivate` that lets some routes
            # through and hands the rest to the library's (`return super.canActivate(ctx)`)
            reflectors = _reflectors(cls, functions, names, knowledge)
            exempt = _exempting_keys(family_of(method, module.functions), reflectors,
                                     names, knowledge) if method is not None else ()
            outcome = next((functions[q] for q in cls.methods if q in functions
                            and functions[q].name in knowledge.outcome_methods), None)
            if outcome is not None:
                family = family_of(outcome, module.functions)
                if not _outcome_refuses(family, outcome.name):
                    # `handleRequest(err, user) { return user ?? { id: null } }`: the library's check
                    # runs, but its verdict is dropped; every caller gets through
                    yield Principal(f"{module.module_name}.{cls.qualname}", INERT, "", (), False)
                    continue
                method_name = outcome.name
                exempt += _exempting_keys(family, reflectors, names, knowledge,
                                          lambda body: _returns_past_base(body, method_name))
            evidence = f"`{cls.name}` extends {library}"
            if switch:
                # `catch { return this.config.get('allowAnon') }`: refused unless the deployment turns it on
                evidence += f", unless `{switch}` is on (what `{method.name}` answers when the strategy fails)"
            yield Principal(f"{module.module_name}.{cls.qualname}", GUARD, evidence, (),
                            True, tuple((kind, key) for kind, key, _ in exempt),
                            metadata_tests=tuple((key, line) for _, key, line in exempt),
                            takes_credential=_base_strategy(cls, names, knowledge) in knowledge.credential_strategies)
            continue
        if method is None:
            continue
        bases = tuple(name for name in map(names.of, cls.bases) if name)
        if bases and falls_back_from_base(method, knowledge.guard_methods, knowledge.request_getters):
            # `if (await super.canActivate(ctx)) return true`, else only a credential of its own:
            # an anonymous caller without one meets the base's verdict (frameworks/base_guards.py)
            yield Principal(f"{module.module_name}.{cls.qualname}", "", "", bases, False, alias=True)
            continue
        family = family_of(method, module.functions)
        requests = frozenset(_request_locals(family, knowledge))
        judged = judge(family, middleware, requests)
        read = credential_read(family, middleware, requests)
        credential = judged.verdict == GUARD or bool(read) or _destructured_credential(family, knowledge, middleware)
        refuses = judged.may_refuse or _returns_false(family)
        exempt = _exempting_keys(family, _reflectors(cls, functions, names, knowledge), names, knowledge)
        if _admits_anonymous(family, requests, middleware):
            # `if (!user) return true`: what it refuses is a signed-in caller's (a second factor),
            # not a caller without a credential; whether anything else asks for one is not its say
            verdict, evidence = "", ""
        elif judged.verdict == GUARD:
            verdict, evidence = GUARD, judged.evidence.replace(f"`{method.name}`", f"`{cls.name}.{method.name}`")
        elif credential and refuses:
            verdict, evidence = GUARD, f"`{cls.name}.{method.name}` {read or 'reads the caller' + chr(39) + 's credential'} " \
                                       "and refuses otherwise"
        elif judged.verdict == INERT and not _returns_false(family):
            verdict, evidence = INERT, ""
        elif not credential and _refuses_only_missing(family):
            # `if (!share) throw new NotFoundException()`, then `return true`: it checks that what the
            # URL names exists, not who calls
            verdict, evidence = INERT, ""
        else:
            verdict, evidence = "", ""
        yield Principal(f"{module.module_name}.{cls.qualname}", verdict, evidence, (), refuses,
                        tuple((kind, key) for kind, key, _ in exempt),
                        metadata_tests=tuple((key, line) for _, key, line in exempt),
                        # it checks what the URL names against the caller (`authorize(token, params.projectId)`)
                        url_object_check=verdict == GUARD and judged.url_object_check)


def _library_base(cls: ir.ClassDef, names: _Names, knowledge: NestKnowledge) -> str:
    """What a library guard the class extends checks (models/node/frameworks.yaml), or ""."""
    return next((knowledge.library_guards[names.of(b)] for b in cls.bases if names.of(b) in knowledge.library_guards), "")


def _base_strategy(cls: ir.ClassDef, names: _Names, knowledge: NestKnowledge) -> str:
    """The strategy a library guard base is built for (`extends AuthGuard('local')` -> "local")."""
    for base in cls.bases:
        if isinstance(base, ir.Call) and names.of(base) in knowledge.library_guards and base.args \
                and isinstance(base.args[0], ir.Const) and isinstance(base.args[0].value, str):
            return base.args[0].value
    return ""


def _request_locals(family: list[ir.Function], knowledge: NestKnowledge) -> Iterator[str]:
    """`const request = context.switchToHttp().getRequest()`."""
    for function in family:
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Assign) and _is_getter(stmt.value, knowledge):
                yield from (t.id for t in stmt.targets if isinstance(t, ir.Name))


def _is_getter(expr: ir.Expr | None, knowledge: NestKnowledge) -> bool:
    if isinstance(expr, ir.Await):
        expr = expr.value
    return isinstance(expr, ir.Call) and ir.last_name(expr.func) in knowledge.request_getters


def _destructured_credential(family: list[ir.Function], knowledge: NestKnowledge,
                             middleware: MiddlewareKnowledge) -> bool:
    """`const { user } = context.switchToHttp().getRequest()` (lowered as `getRequest().user`)."""
    for function in family:
        for stmt in ir.walk_stmts(function.body):
            for root in ir.stmt_exprs(stmt):
                for expr in ir.walk_expr(root):
                    if isinstance(expr, ir.Attr) and expr.attr.lower() in middleware.credential_attributes \
                            and _is_getter(expr.value, knowledge):
                        return True
    return False


def _refuses_only_missing(family: list[ir.Function]) -> bool:
    """Every refusal is a not-found error (`throw new NotFoundException(...)`) and none returns false."""
    raises = [s for f in family for s in ir.walk_stmts(f.body) if isinstance(s, ir.Raise)]
    return bool(raises) and not _returns_false(family) and all(
        isinstance(r.exc, ir.Call) and "notfound" in (ir.last_name(r.exc.func) or "").lower() for r in raises)


def _returns_false(family: list[ir.Function]) -> bool:
    return any(isinstance(s, ir.Return) and isinstance(s.value, ir.Const) and s.value.value is False
               for f in family for s in ir.walk_stmts(f.body))


def _reflectors(cls: ir.ClassDef, functions: dict[str, ir.Function], names: _Names,
                knowledge: NestKnowledge) -> frozenset[str]:
    """`self.reflector`: constructor parameters typed as the metadata reader."""
    constructor = functions.get(f"{cls.qualname}.constructor")
    if constructor is None:
        return frozenset()
    return frozenset(f"self.{p.name}" for p in constructor.params
                     if p.annotation is not None and names.of(p.annotation) in knowledge.reflector_types)


def _outcome_refuses(family: list[ir.Function], method: str) -> bool:
    """The outcome method can still refuse: it throws, or hands some outcome to the base's."""
    for function in family:
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Raise):
                return True
            if any(_base_call(node, method) for root in ir.stmt_exprs(stmt) for node in ir.walk_expr(root)):
                return True
    return False


def _base_call(expr: ir.Expr, method: str) -> bool:
    return isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr == method \
        and ir.dotted_name(expr.func.value) == "super"


def _returns_past_base(body: tuple[ir.Stmt, ...], method: str) -> bool:
    """`if (isOptional) return user`: the branch answers without the base's verdict (which throws
    for a missing user)."""
    for stmt in body:
        if isinstance(stmt, ir.Return):
            value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
            return not (value is not None and _base_call(value, method))
    return False


def _admits_anonymous(family: list[ir.Function], requests: frozenset[str], middleware: MiddlewareKnowledge) -> bool:
    """The guard lets the request through when it carries no credential: `if (!user) return true`
    with `user` read from the request (`request.user`, `const user = request.user`)."""
    for function in family:
        held = {t.id for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.Assign)
                and _credential_of(stmt.value, requests, middleware) for t in stmt.targets if isinstance(t, ir.Name)}
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.If) and _returns_true(stmt.body) and isinstance(stmt.test, ir.Unary) \
                    and stmt.test.op == "not" and (_credential_of(stmt.test.operand, requests, middleware)
                                                   or isinstance(stmt.test.operand, ir.Name) and stmt.test.operand.id in held):
                return True
    return False


def _credential_of(expr: ir.Expr | None, requests: frozenset[str], middleware: MiddlewareKnowledge) -> bool:
    """`request.user`: the credential attribute of the request the guard reads."""
    return isinstance(expr, ir.Attr) and expr.attr.lower() in middleware.credential_attributes \
        and ir.dotted_name(expr.value) in requests


def _returns_true(body: tuple[ir.Stmt, ...]) -> bool:
    return any(isinstance(s, ir.Return) and isinstance(s.value, ir.Const) and s.value.value is True for s in body)


def _exempting_keys(family: list[ir.Function], reflectors: frozenset[str], names: _Names,
                    knowledge: NestKnowledge,
                    lets_through: Callable[[tuple[ir.Stmt, ...]], bool] = _returns_true,
                    ) -> tuple[tuple[str, str, int], ...]:
    """The route metadata that makes the guard `return true` before any check, as (kind, key):
    `if (isPublic) return true` lets through a route that sets the key (METADATA_SET), `if
    (!roles || roles.length === 0) return true` one that does not (METADATA_UNSET: the guard
    acts only where the key is set). A read of the handler alone (`reflector.get(K,
    ctx.getHandler())`) does not see the key on the controller class (kinds ending HANDLER_ONLY).
    The third item is the line of the read."""
    if not reflectors:
        return ()
    found: list[tuple[str, str, int]] = []
    for function in family:
        holders: dict[str, tuple[str, bool, int]] = {}  # local -> (key, handler only, line of the read)
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Assign):
                key, handler_only = _metadata_read(stmt.value, reflectors, names, knowledge)
                if key:
                    holders.update((t.id, (key, handler_only, stmt.line)) for t in stmt.targets if isinstance(t, ir.Name))
            if isinstance(stmt, ir.If) and lets_through(stmt.body):
                for term in ir.bool_terms(stmt.test, "or"):
                    negated, operand = _absence_test(term)
                    for expr in ir.walk_expr(operand):
                        key, handler_only, line = holders.get(expr.id, ("", False, 0)) if isinstance(expr, ir.Name) \
                            else (*_metadata_read(expr, reflectors, names, knowledge), stmt.line)
                        if key:
                            kind = METADATA_UNSET if negated else METADATA_SET
                            found.append((kind + HANDLER_ONLY if handler_only else kind, key, line))
                            break
    return tuple(dict.fromkeys(found))


def _absence_test(term: ir.Expr) -> tuple[bool, ir.Expr]:
    """(does the term hold when its operand is missing or empty, the operand): `!roles`,
    `roles.length === 0`, `roles == null`, `!roles?.length`."""
    if isinstance(term, ir.Unary) and term.op == "not":
        return True, term.operand
    if isinstance(term, ir.Compare) and len(term.ops) == 1 and term.ops[0] in ("==", "<=", "<"):
        other = term.comparators[0]
        if isinstance(other, ir.Const) and (other.value is None or other.value == 0 and term.ops[0] != "<"
                                            or other.value == 1 and term.ops[0] == "<"):
            return True, term.left
        if isinstance(other, ir.Name) and other.id == "undefined":
            return True, term.left
    return False, term


def _metadata_read(expr: ir.Expr | None, reflectors: frozenset[str], names: _Names,
                   knowledge: NestKnowledge) -> tuple[str, bool]:
    """(the metadata key a Reflector call reads, whether it reads the handler's alone)."""
    if isinstance(expr, ir.Await):
        expr = expr.value
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr in knowledge.metadata_reads \
            and ir.dotted_name(expr.func.value) in reflectors and expr.args:
        targets = {ir.last_name(e.func) for a in expr.args[1:] for e in ir.walk_expr(a) if isinstance(e, ir.Call)}
        handler_only = bool(targets & knowledge.handler_targets) and not targets & knowledge.class_targets
        return names.key(expr.args[0]), handler_only
    return "", False


def _join(prefix: str, path: str) -> str:
    parts = [p.strip("/") for p in (prefix, path) if p and p.strip("/")]
    return "/" + "/".join(parts)
