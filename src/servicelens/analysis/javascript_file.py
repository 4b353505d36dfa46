"""The per-file phase for JavaScript and TypeScript: parse once, lower once, read the
Express routes and judge every function as a possible middleware.

Every function is summarised for the taint engine with the JavaScript knowledge files only
(models/javascript), so a flow is reported only where that knowledge says so; the rules of
rules/javascript (their knowledge in models/node) run over the same module and scope. The
Python rules the runner hands in know only Python libraries and are not used.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterator, Mapping

from servicelens import ir
from servicelens.analysis.caller_privilege import role_metadata_handlers
from servicelens.analysis.state_changes import writing_functions
from servicelens.analysis.entry_points import function_spans
from servicelens.analysis.facts import FileFacts
from servicelens.analysis.javascript_entries import command_entries, job_entries, script_entries
from servicelens.analysis.javascript_startup import startup_entries
from servicelens.analysis.javascript_framework_runs import framework_runs
from servicelens.analysis.javascript_side import browser_side
from servicelens.analysis.unreachable import unreachable_statements
from servicelens.analysis.python_file import _syntax_diagnostic
from servicelens.endpoints.route import RouteFact
from servicelens.analysis.javascript_injection import injected_members
from servicelens.analysis.javascript_package_exports import package_exports
from servicelens.frameworks.graphql_resolvers import resolver_facts
from servicelens.frameworks.handler_classes import handler_class_routes
from servicelens.frameworks.route_objects import route_object_facts
from servicelens.lang.javascript.modules import NAMESPACE_EXPORT, STAR_EXPORT
from servicelens.frameworks.express import ForeignHandler, express_facts
from servicelens.frameworks.express_knowledge import middleware_knowledge
from servicelens.frameworks.fastify import fastify_facts, is_fastify_module
from servicelens.frameworks.js_knowledge import controller_knowledges, fastify_knowledge, trpc_knowledge
from servicelens.frameworks.trpc import trpc_facts
from servicelens.frameworks.nestjs import HandlerParams, controller_facts
from servicelens.lang.javascript import language_for, lower_module, module_name_for
from servicelens.lang.javascript.reading import parse_source
from servicelens.lang.javascript.runtime import node_core_modules, node_globals, with_globals
from servicelens.model.report import Diagnostic
from servicelens.names import NameTable
from servicelens.rules.base import Rule, discover_rules
from servicelens.rules.javascript._node import EXPRESS_ROUTES
from servicelens.sources.parsing import ParserPool
from servicelens.sources.suppressions import find_suppressions
from servicelens.taint.intra import analyze_function_env, analyze_module_body
from servicelens.taint.document_stores import ABSENT as DOCUMENT_STORE_ABSENT
from servicelens.taint.models import load_models
from servicelens.taint.scope import HandlerInfo, ModuleScope
from servicelens.taint.summary import CallRecord, FunctionSummary
from servicelens.taint.values import Origin, Value

_NESTED = ".<locals>."


def analyze_javascript(rel: str, text: str, parsers: ParserPool, models: object = None,
                       operation_ids: frozenset[str] = frozenset(), file_rules: tuple[object, ...] = (),
                       analyse: bool = True, names: NameTable | None = None) -> FileFacts:
    """Called like analyze_python so the runner picks one by language; the Python models,
    Connexion operation ids and Python rules it is handed do not apply to JS and are not used.
    `names`: the batch's name table (servicelens.names), its own when none is given."""
    language = language_for(rel)
    lines = tuple(text.splitlines())
    if not analyse:  # test code when findings in tests are not wanted: not parsed (see analyze_python)
        return FileFacts(rel=rel, language=language, lines=len(lines), module_name=module_name_for(rel),
                         imports=(), summaries=(), routes=(), findings=(), diagnostics=(), suppressions=())
    data = text.encode("utf-8", "surrogateescape")
    tree = parse_source(parsers, rel, data)  # the grammar's misreadings rewritten in place (lang/javascript/reading.py)
    diagnostics: list[Diagnostic] = []
    if tree.root_node.has_error:
        diagnostics.append(_syntax_diagnostic(rel, tree.root_node))
    module = lower_module(tree.root_node, rel, lines, language)
    if browser_side(module, rel):  # front-end code: the service rules do not apply
        return FileFacts(rel=rel, language=language, lines=len(lines), module_name=module.module_name,
                         imports=tuple(sorted({imp.target for imp in module.imports})), summaries=(), routes=(),
                         findings=(), diagnostics=tuple(diagnostics), suppressions=())
    imports = {imp.local: imp.target for imp in module.imports}
    fastify_module = is_fastify_module(module, imports, fastify_knowledge())
    express = express_facts(module, imports, middleware_knowledge(), app_params=not fastify_module)
    nest = controller_facts(module, imports, controller_knowledges(), middleware_knowledge())
    fastify = fastify_facts(module, imports, fastify_knowledge(), middleware_knowledge())
    graphql = resolver_facts(module)
    trpc = trpc_facts(module, imports, trpc_knowledge(), middleware_knowledge())
    # Hapi's and a project helper's `route({ method, path, handler })`; a Fastify module's are its reader's
    objects, object_handlers = ((), ()) if fastify_module else route_object_facts(module, _object_framework(imports))
    routes = express.routes + nest.routes + fastify.routes + graphql.routes + trpc.routes + objects \
        + handler_class_routes(module)
    summaries, scope = _summaries(module, imports, routes, nest.handlers + graphql.handlers + trpc.handlers,
                                  express.foreign + fastify.foreign + object_handlers, names,
                                  document_store=DOCUMENT_STORE_ABSENT not in operation_ids)
    scope.derived[EXPRESS_ROUTES] = routes  # every route, handlers defined elsewhere included
    serves = bool(routes) or ".listen(" in text  # the server itself, however it is started
    runs = framework_runs(module, imports)
    lower_text = text.lower()
    rules = [rule for rule in javascript_rules() if rule.applies_to(lower_text)]
    findings = tuple(finding for rule in rules for finding in rule.check(module, scope))
    collected = tuple((rule.id, facts) for rule in rules
                      if rule.collect is not None and (facts := rule.collect(module, scope)) is not None)
    return FileFacts(
        rel=rel, language=language, lines=len(lines), module_name=module.module_name,
        imports=tuple(sorted({imp.target for imp in module.imports})), summaries=summaries, routes=routes,
        findings=findings, diagnostics=tuple(diagnostics), suppressions=find_suppressions(text),
        router_includes=express.edges + nest.edges + fastify.edges + trpc.edges,
        principals=express.principals + nest.principals + fastify.principals + trpc.principals,
        spans=function_spans(module),
        writers=writing_functions(module),
        collected=collected,
        entries=script_entries(module, serves) + job_entries(module, imports) + command_entries(module, imports)
        + runs.entries + startup_entries(module),
        message_handlers=runs.handlers,
        message_sends=runs.sends,
        serves=serves,
        request_runs=tuple((run.qualname, run.callers) for run in express.runs + fastify.runs)
        + tuple((qualname, "") for qualname in nest.runs) + tuple((qualname, "") for qualname in runs.connections),
        class_bases=star_exports(module),
        package_exports=package_exports(module),
        path_helpers=express.path_helpers,
        privileged=role_metadata_handlers(module, routes),
        # a file that does not parse (Flow annotations in a .js file) may have lost its statements' blocks
        unreachable=() if diagnostics else unreachable_statements(module),
    )


def _object_framework(imports: dict[str, str]) -> str:
    """The framework route objects of a module serve: Hapi's when it imports Hapi, Koa's when Koa,
    else Express's (a project's registration helper over an Express router)."""
    packages = {target.split(".")[0] for target in imports.values()}
    if packages & {"@hapi/hapi", "@hapi", "hapi"}:
        return "hapi"
    return "koa" if packages & {"koa", "@koa/router", "koa-router"} else "express"


def javascript_rules() -> tuple[Rule, ...]:
    return discover_rules("servicelens.rules.javascript")


def _summaries(module: ir.Module, imports: dict[str, str], routes: tuple[RouteFact, ...],
               params: tuple[HandlerParams, ...] = (), foreign: tuple[ForeignHandler, ...] = (),
               names: NameTable | None = None, document_store: bool = True
               ) -> tuple[tuple[FunctionSummary, ...], ModuleScope]:
    """Taint summaries, the route handlers marked as called by their framework with client data
    (in the parameters a decorator fills from the request, for NestJS). `document_store`: whether
    the project may talk to MongoDB (taint.document_stores)."""
    models = load_models("javascript")  # TypeScript shares them: the libraries are the same
    functions = frozenset(f.qualname for f in module.functions)
    filled = {p.qualname: p for p in params}
    handlers = {route.qualname: HandlerInfo(route.framework, filled[route.qualname].sources if route.qualname in filled
                                            else (), methods=route.methods, path=route.path, auth=route.auth,
                                            typed_params=filled[route.qualname].typed if route.qualname in filled
                                            else frozenset(),
                                            source_members=filled[route.qualname].members if route.qualname in filled
                                            else ())
                for route in routes if route.qualname in functions}
    classes = frozenset(c.qualname for c in module.classes)
    resolved = with_globals(imports, _module_bindings(module))
    names = NameTable() if names is None else names
    base = ModuleScope(module, models, resolved, functions, classes, {}, handlers, names, document_store=document_store)
    module_summary, globals_env = analyze_module_body(base)
    scope = ModuleScope(module, models, resolved, functions, classes, globals_env, handlers, names,
                        document_store=document_store)
    found = [module_summary] + _function_summaries(module, scope, foreign) + list(_member_types(module, imports)) + \
        list(injected_members(module, imports))
    kept = tuple(s for s in found if s.sinks or s.calls or s.returns or s.fields or s.returns_class or s.params)
    return kept, scope


def _member_types(module: ir.Module, imports: dict[str, str]) -> Iterator[FunctionSummary]:
    """`constructor(private readonly orders: OrdersService)`, `this.orders = new OrdersService()`,
    a field declared `orders!: OrdersService` and a member of a declared object type
    (`interface Deps { orders: OrdersService }`, nested `{ controllers: { orders: ... } }`):
    the class of what a member holds, filed as a summary of `Class.member` that returns an
    instance of it, so the resolver follows `this.orders.find()` to `OrdersService.find` the
    way it follows a factory's result (dependency injection makes this the common shape)."""
    local_classes = {c.qualname for c in module.classes}

    def class_of(expr: ir.Expr | None) -> str:
        dotted = ir.dotted_name(expr) if expr is not None else None
        if not dotted:
            return ""
        head, _, rest = dotted.partition(".")
        if head in imports:
            return imports[head] + (f".{rest}" if rest else "")
        return f"{module.module_name}.{dotted}" if dotted in local_classes else ""

    for function in module.functions:
        if not function.class_name or function.name != "constructor":
            continue
        typed = {p.name: class_of(p.annotation) for p in function.params}
        for stmt in function.body:
            if not isinstance(stmt, ir.Assign) or stmt.value is None:
                continue
            value = stmt.value
            held = typed.get(value.id, "") if isinstance(value, ir.Name) else \
                class_of(value.func) if isinstance(value, ir.Call) else ""
            for target in stmt.targets:
                if held and isinstance(target, ir.Attr) and ir.dotted_name(target.value) == "self":
                    yield FunctionSummary(f"{module.module_name}.{function.class_name}.{target.attr}", module.path,
                                          stmt.line, (), frozenset(), (), (), returns_class=held)
    for cls in module.classes:  # `private readonly client = new PaymentsClient()`, `repo!: OrderRepo`
        for stmt in cls.body:
            if not isinstance(stmt, ir.Assign):
                continue
            held = class_of(stmt.value.func) if isinstance(stmt.value, ir.Call) else \
                class_of(stmt.annotation) if stmt.value is None else ""
            for target in stmt.targets:
                if held and isinstance(target, ir.Name):
                    yield FunctionSummary(f"{module.module_name}.{cls.qualname}.{target.id}", module.path,
                                          stmt.line, (), frozenset(), (), (), returns_class=held)
    for shape in module.shapes:  # `interface Deps { orders: OrderService; clients: { pay: PayClient } }`
        for path, declared in shape.members:
            held = class_of(declared)
            if held:
                yield FunctionSummary(f"{module.module_name}.{shape.name}.{path}", module.path, declared.line,
                                      (), frozenset(), (), (), returns_class=held)


def _function_summaries(module: ir.Module, scope: ModuleScope,
                        foreign: tuple[ForeignHandler, ...] = ()) -> list[FunctionSummary]:
    """Outer functions first; a callback defined inside a function sees that function's variables
    (`req`, `res`, what was read from the request, its parameters) as a closure does. A captured
    parameter stays the enclosing function's: where the enclosing function calls the nested one,
    the resolver binds it to the enclosing function's own parameter (taint/resolve._bound_arg)."""
    ordered = sorted(module.functions, key=lambda f: f.qualname.count(_NESTED))
    envs: dict[str, dict[str, Value]] = {}
    summaries: dict[str, FunctionSummary] = {}
    for function in ordered:
        parent = function.qualname.rpartition(_NESTED)[0]
        inherited = envs.get(parent)
        own_scope = scope if inherited is None else replace(scope, globals_env={**scope.globals_env, **inherited},
                                                            derived={})
        summary, env = analyze_function_env(own_scope, function)
        summaries[function.qualname] = summary
        library = _library_results(summary)
        envs[function.qualname] = {**(inherited or {}), **{k: _captured(v, library) for k, v in env.items()}}
    found = [_runs_callbacks(summaries[f.qualname], summaries) for f in module.functions]
    wrappers = []
    for handler in foreign:
        if handler.qualname in summaries:
            continue
        inherited = envs.get(handler.scope)
        own_scope = scope if inherited is None else replace(scope, globals_env={**scope.globals_env, **inherited},
                                                            derived={})
        wrappers.append(analyze_function_env(own_scope, _registration_call(handler))[0])
    return found + list(_constructor_methods(module, scope.name, summaries)) + wrappers + \
        list(_module_export(module, scope)) + list(_named_exports(module, summaries)) + \
        list(_module_instances(module, scope)) + list(_re_exports(module, scope, frozenset(summaries)))


def star_exports(module: ir.Module) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`export * from './orders'` in a barrel (`controllers/index.ts`): every name of `orders` is
    also the barrel's, as a class's methods are its subclass's. Filed as the barrel module's
    bases, so `controllers.showOrder` resolves to `controllers.orders.showOrder` the way an
    inherited method does (taint/resolve.py `_inherited`)."""
    sources = tuple(i.target for i in module.imports
                    if i.local.startswith(STAR_EXPORT) and not i.local.startswith(NAMESPACE_EXPORT))
    # `export * as orders from './orders'`: the barrel's `orders` is the module, whose names it
    # forwards the same way (`repositories.orders.find` is `repositories.orders_repo.find`)
    namespaces = tuple((f"{module.module_name}.{i.local[len(NAMESPACE_EXPORT):]}", (i.target,))
                       for i in module.imports if i.local.startswith(NAMESPACE_EXPORT))
    return (((module.module_name, sources),) if sources else ()) + namespaces


def _re_exports(module: ir.Module, scope: ModuleScope, functions: frozenset[str]) -> Iterator[FunctionSummary]:
    """`exports.listTags = listTags` of an imported name (`export { listTags } from './tags'`,
    `module.exports = { users: require('./users') }`): the module's `listTags` is the imported one,
    filed as a forward to it (a call, and an instance of it when it is a class)."""
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, (ir.Name, ir.DictExpr)):
            continue
        for target in stmt.targets:
            dotted = ir.dotted_name(target) or ""
            pairs: list[tuple[str, ir.Expr]] = []
            if dotted.startswith(("exports.", "module.exports.")) and dotted.count(".") == dotted.startswith("module.") + 1:
                pairs.append((dotted.rsplit(".", 1)[-1], stmt.value))
            elif dotted in ("module.exports", "default") and isinstance(stmt.value, ir.DictExpr):
                pairs.extend((k.value, v) for k, v in zip(stmt.value.keys, stmt.value.values)
                             if isinstance(k, ir.Const) and isinstance(k.value, str))
            for name, value in pairs:
                imported = scope.imports.get(value.id, "") if isinstance(value, ir.Name) \
                    and value.id not in functions else ""
                key = f"{module.module_name}.{name}"
                if imported and imported != key:
                    yield FunctionSummary(key, module.path, stmt.line, (), frozenset(), (),
                                          (CallRecord(0, stmt.line, imported, (), (), frozenset(), ""),),
                                          returns_class=imported)


def _named_exports(module: ir.Module, summaries: dict[str, FunctionSummary]) -> Iterator[FunctionSummary]:
    """`exports.show = async (req, res) => ...`, `module.exports = { show: function () {} }`,
    `export default { async list() {} }`, `export const repo = { async find() {} }` and
    `module.exports = { rename: renameTag }`: a function held by an exported name or by a
    module-level object under another name than its own is called by that name from other modules, so it is also filed as `module.show` (and
    `module.default.list`, `module.repo.find`: how a default or a named import spells it), calling
    the function itself, whose lines its findings are placed in."""
    objects: dict[str, ir.DictExpr] = {}
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        for target in stmt.targets:
            dotted = ir.dotted_name(target) or ""
            value = stmt.value
            if isinstance(value, ir.Name) and value.id in objects:
                value = objects[value.id]  # `const repo = {...}; export default repo`
            pairs: list[tuple[str, ir.Expr]] = []
            if dotted.startswith(("exports.", "module.exports.")) and dotted.count(".") == dotted.startswith("module.") + 1:
                pairs.append((dotted.rsplit(".", 1)[-1], value))
            elif isinstance(value, ir.DictExpr):
                methods = [(k.value, v) for k, v in zip(value.keys, value.values)
                           if isinstance(k, ir.Const) and isinstance(k.value, str)]
                if isinstance(target, ir.Name):
                    objects[target.id] = value
                    pairs.extend((f"{target.id}.{name}", v) for name, v in methods)
                if dotted in ("module.exports", "default"):
                    pairs.extend(methods)
            for name, function in pairs:
                if isinstance(function, ir.Name) and function.id in summaries and function.id != name:
                    yield _filed_as(summaries[function.id], f"{module.module_name}.{name}")


def _module_instances(module: ir.Module, scope: ModuleScope) -> Iterator[FunctionSummary]:
    """`export const orders = new OrderService(repo)`, `export default new OrderController()`,
    `module.exports = new Mailer()`: an object made once when the module loads and imported by
    others, who call its methods (`orders.list(...)`). Filed under the name importers use (the
    module's name too for a default or whole-module export) as a factory returning an instance of
    the class (`returns_class`), so the resolver finds `OrderService.list`."""
    classes = {c.qualname for c in module.classes}
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Call):
            continue
        built = ir.dotted_name(stmt.value.func) or ""
        if not built or not built.rpartition(".")[2][:1].isupper():
            continue
        cls = f"{module.module_name}.{built}" if built in classes else _imported(built, scope)
        if not cls:
            continue
        keys = []
        for target in stmt.targets:
            dotted = ir.dotted_name(target) or ""
            if isinstance(target, ir.Name) and target.id != "default":
                keys.append(f"{module.module_name}.{target.id}")
            elif dotted in ("default", "module.exports"):
                keys += [f"{module.module_name}.default", module.module_name]
        if not keys:
            continue
        line = stmt.line
        forward = ir.Function(name="<instance>", qualname="<instance>", line=line, end_line=line, params=(),
                              decorators=(), body=(ir.Return(line, line, stmt.value),))
        summary = analyze_function_env(scope, forward)[0]
        for key in keys:
            yield replace(summary, key=key, returns_class=cls)


def _imported(dotted: str, scope: ModuleScope) -> str:
    head, _, rest = dotted.partition(".")
    target = scope.imports.get(head)
    return f"{target}.{rest}" if target and rest else target or ""


def _filed_as(function: FunctionSummary, key: str) -> FunctionSummary:
    runs = CallRecord(max((c.index for c in function.calls), default=-1) + 1, function.line, function.key,
                      (), (), frozenset(), "")
    return replace(function, key=key, calls=function.calls + (runs,))


def _module_export(module: ir.Module, scope: ModuleScope) -> Iterator[FunctionSummary]:
    """`module.exports = Handler` / `export default Handler`: a module whose export is one of its
    functions or classes is called by the module's own name (`require('./handler')(db)`,
    `new (require('./handler'))(db).list`). Filed under the module's name: a function that hands
    its arguments to the exported one and returns its instances (`returns_class`), so the
    resolver follows both the call and methods of what it builds, as for any factory."""
    functions = {f.qualname: f for f in module.functions} | {
        c.qualname: next((f for f in module.functions if f.qualname == f"{c.qualname}.constructor"), None)
        for c in module.classes}
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Name) or stmt.value.id not in functions:
            continue
        if not any(ir.dotted_name(t) in ("module.exports", "default") for t in stmt.targets):
            continue
        exported = functions[stmt.value.id]
        params = exported.params if exported is not None else ()
        line = stmt.line
        call = ir.Call(line, 0, ir.Name(line, 0, stmt.value.id), tuple(ir.Name(line, 0, p.name) for p in params), (),
                       line)
        forward = ir.Function(name="<export>", qualname="<export>", line=line, end_line=line, params=params,
                              decorators=(), body=(ir.Return(line, line, call),))
        summary = analyze_function_env(scope, forward)[0]
        for key in (module.module_name, f"{module.module_name}.default"):  # `require(m)` and `import x from m`
            if key != f"{module.module_name}.{stmt.value.id}":
                yield replace(summary, key=key, returns_class=f"{module.module_name}.{stmt.value.id}")
        return


def _runs_callbacks(summary: FunctionSummary, summaries: dict[str, FunctionSummary]) -> FunctionSummary:
    """A callback defined in a function runs as part of it (`withClient(async (client) => ...)`,
    `promise.then(...)`, an event handler set up here): the function calls its own nested
    functions as far as reach is concerned, so what a callback calls is reached from the route
    that reached its parent. The calls hand over no argument; a callback's captured parameters
    stay the parent's (taint/resolve._bound_arg)."""
    prefix = summary.key + _NESTED
    children = [s for s in summaries.values() if s.key.startswith(prefix) and _NESTED not in s.key[len(prefix):]]
    if not children:
        return summary
    first = max((c.index for c in summary.calls), default=-1) + 1
    runs = tuple(CallRecord(first + i, child.line, child.key, (), (), frozenset(), "") for i, child in enumerate(children))
    return replace(summary, calls=summary.calls + runs)


def _registration_call(handler: ForeignHandler) -> ir.Function:
    """A route registered with a handler defined elsewhere (`app.get('/x', users.list)`), as the
    call the framework makes: a function of the route's name calling the handler with the
    request, the response and `next`. Its summary joins the call graph like any other, so the
    handler (and what it calls) is reached from the route, resolved the way every call is
    (imports, `new Handler(db).method`, module exports), and the request it is handed is the one
    the route received."""
    line = handler.line
    params = tuple(ir.Param(line, name, "positional") for name in ("req", "res", "next"))
    # a call registered (`handlers.create(db)`, `requireRole('admin')`) is made once, and the function
    # it returns answers the request: the call is what reaches that function (a nested one runs with it)
    call = handler.expr if isinstance(handler.expr, ir.Call) else \
        ir.Call(line, 0, handler.expr, tuple(ir.Name(line, 0, p.name) for p in params), (), line)
    return ir.Function(name=handler.qualname.rsplit(".", 1)[-1], qualname=handler.qualname, line=line, end_line=line,
                       params=params, decorators=(), body=(ir.ExprStmt(line, line, call),))


def _constructor_methods(module: ir.Module, module_name: str,
                         summaries: dict[str, FunctionSummary]) -> Iterator[FunctionSummary]:
    """`function Dao(db) { this.get = function (id) {...} }` (`this` lowered as `self`): pre-class
    JavaScript's methods.
    `new Dao(db).get(x)` is looked up as `Dao.get`, so the callback's summary is also filed
    under that name."""
    for function in module.functions:
        if _NESTED in function.qualname or function.class_name:
            continue
        for stmt in function.body:
            if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Name):
                continue
            nested = f"{function.qualname}{_NESTED}{stmt.value.id}"
            for target in stmt.targets:
                if isinstance(target, ir.Attr) and isinstance(target.value, ir.Name) and target.value.id == "self" \
                        and nested in summaries:
                    # the method is the nested function: calling it runs that function's code
                    # (whose lines findings are placed in), so the filed name calls it
                    yield _filed_as(summaries[nested], f"{module_name}.{function.qualname}.{target.attr}")


def _library_results(summary: FunctionSummary) -> dict[int, frozenset[Origin]]:
    """What the function's calls of the runtime and Node's core modules (`path.join(dir, name)`,
    `String(id)`, `url.resolve(...)`) return, by call index: what they were handed, as the
    resolver would find for a call that reaches no project function."""
    core = node_core_modules() | node_globals()
    records = {c.index: c for c in summary.calls if c.callee.partition(".")[0] in core}
    out: dict[int, frozenset[Origin]] = {}

    def result(index: int, depth: int) -> frozenset[Origin]:
        if index not in out:
            out[index] = frozenset()  # a call whose result feeds itself: nothing new
            found: set[Origin] = set()
            for origin in records[index].fallback:
                if origin.base[0] in ("src", "par"):
                    found.add(origin)
                elif origin.base[0] == "ret" and origin.base[1] in records and depth < 8:
                    found.update(_cleansed(o, origin.cleansed) for o in result(int(origin.base[1]), depth + 1))
            out[index] = frozenset(found)
        return out[index]

    for index in records:
        result(index, 0)
    return out


def _cleansed(origin: Origin, cleansed: frozenset[str]) -> Origin:
    """The origin with what a sanitizer on the way (`path.basename(...)`) already neutralised."""
    return origin if not cleansed else Origin(origin.base, origin.cleansed | cleansed, origin.trace)


def _captured(value: Value, library: Mapping[int, frozenset[Origin]] | None = None) -> Value:
    """Sources and the enclosing function's parameters; results of the enclosing function's own
    calls (`ret` placeholders) mean nothing inside another function's summary, except those of
    the runtime's own functions (`library`), which hand on what they were handed."""
    library = library or {}
    taint = frozenset(o for o in value.taint if o.base[0] in ("src", "par")) | frozenset(
        _cleansed(kept, o.cleansed) for o in value.taint if o.base[0] == "ret" and o.base[1] in library
        for kept in library[o.base[1]])
    elements = tuple((k, _captured(v, library)) for k, v in value.elements) if value.elements else value.elements
    return Value(taint=taint, const=value.const, shape=value.shape, tags=value.tags, elements=elements)


def _module_bindings(module: ir.Module) -> frozenset[str]:
    """Names the module binds itself (functions, classes, top-level variables): they shadow a global."""
    names = {f.qualname.partition(".")[0] for f in module.functions} | {c.qualname for c in module.classes}
    for stmt in module.body:
        if isinstance(stmt, ir.Assign):
            names.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return frozenset(names)
