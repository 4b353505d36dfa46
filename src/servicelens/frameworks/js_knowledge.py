"""The route and auth shapes of NestJS and the other decorator-routed controller libraries
(inversify-express-utils, routing-controllers, tsoa), Fastify and Koa
(models/node/frameworks.yaml), read once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Mapping

from servicelens.packaged_yaml import packaged_yaml


@dataclass(frozen=True, slots=True)
class NestKnowledge:
    controllers: frozenset[str]
    route_decorators: Mapping[str, str]  # decorator -> HTTP method
    resolvers: frozenset[str]  # class decorators of GraphQL resolvers
    operation_decorators: Mapping[str, str]  # decorator -> GraphQL operation kind (QUERY, MUTATION, ...)
    use_guards: frozenset[str]
    metadata_setters: frozenset[str]
    decorator_composers: frozenset[str]
    guard_methods: frozenset[str]
    request_getters: frozenset[str]
    reflector_types: frozenset[str]
    metadata_reads: frozenset[str]
    handler_targets: frozenset[str]  # what a metadata read names for the route method (`getHandler`)
    class_targets: frozenset[str]  # ... and for its controller class (`getClass`)
    global_guard_calls: frozenset[str]
    global_guard_tokens: frozenset[str]
    middleware_apply: str
    middleware_scope: str
    middleware_method: str
    param_sources: Mapping[str, str]  # decorator -> source label
    request_params: frozenset[str]
    strict_pipes: frozenset[str]
    library_guards: Mapping[str, str]  # guard -> evidence
    rate_limit_guards: frozenset[str]
    rate_limit_skips: frozenset[str]  # decorators exempting a route from the limiter guards
    provider_decorators: frozenset[str]
    request_methods: frozenset[str]
    global_prefix_calls: frozenset[str]
    field_resolvers: frozenset[str]
    # the route framework these shapes describe, and the packages a module imports to use it
    framework: str = "nestjs"
    packages: frozenset[str] = frozenset({"@nestjs/"})
    # `@controller('/items', AuthMiddleware)`, `@httpGet('/:id', Limit)`: the route decorator's
    # arguments after the path are middleware run before the method (inversify-express-utils)
    middleware_args: bool = False
    # decorators whose arguments are middleware run before the route (`@UseBefore(Auth)`)
    use_middleware: frozenset[str] = frozenset()
    # methods the framework calls on a middleware class (`use`, inversify's `handler`)
    middleware_methods: frozenset[str] = frozenset()
    # dependency-injection bindings that name a middleware by a token:
    # `container.bind(TYPES.Auth).to(AuthMiddleware)` / `.toDynamicValue(() => new AuthMiddleware())`
    container_binds: frozenset[str] = frozenset()
    binding_targets: frozenset[str] = frozenset()
    # decorators that lift the library's class-level auth from one method (tsoa `@NoSecurity()`)
    open_decorators: frozenset[str] = frozenset()
    # a controller base class's methods that answer the request with their first argument as JSON
    # (`return this.json(rows)`, `this.ok(dto)`)
    answer_methods: frozenset[str] = frozenset()
    # the method a library guard hands the authentication outcome to (passport's
    # `handleRequest(err, user)`): an override returning without the base's verdict lets the caller through
    outcome_methods: frozenset[str] = frozenset()
    # passport strategies whose library guard is the credential check itself (`AuthGuard('local')`)
    credential_strategies: frozenset[str] = frozenset()
    # route decorators whose HTTP method is one of their options (tegg `@HTTPMethod({ method, path })`)
    method_option_routes: frozenset[str] = frozenset()
    method_option: str = ""
    # class-level middleware decorators apply to the subclasses too (tegg reads them up the class chain)
    inherited_middleware: bool = False


@dataclass(frozen=True, slots=True)
class FastifyKnowledge:
    factories: frozenset[str]
    instance_params: frozenset[str]
    own_instance_params: frozenset[str]
    instance_types: frozenset[str]
    route_methods: Mapping[str, str]
    route_call: str
    hook_options: frozenset[str]
    request_hooks: frozenset[str]
    add_hook: str
    register: str
    shared_scope_wrappers: frozenset[str]
    decorate: str
    library_guards: Mapping[str, str]
    autoload: frozenset[str]
    same_instance_methods: frozenset[str] = frozenset()
    # package name prefixes of Fastify's ecosystem (`fastify-type-provider-zod`): a module importing
    # one is Fastify code, so its plugin functions' generic instance names count
    ecosystem_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExpressFactories:
    """Who makes an Express application or router, by the project-wide name of the call."""

    app_factories: frozenset[str]
    router_factories: frozenset[str]

    @property
    def packages(self) -> frozenset[str]:
        """The packages those names come from: their other exports are the library's, not the project's."""
        return frozenset(name.split(".")[0] for name in self.app_factories | self.router_factories)


@dataclass(frozen=True, slots=True)
class KoaKnowledge:
    router_factories: frozenset[str]
    app_factories: frozenset[str]
    prefix_option: str
    mount_methods: frozenset[str]
    inert_methods: frozenset[str]


def _set(section: Mapping[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(v) for v in section.get(key) or ())


def _map(section: Mapping[str, Any], key: str) -> Mapping[str, str]:
    return MappingProxyType({str(k): str(v) for k, v in (section.get(key) or {}).items()})


@lru_cache(maxsize=1)
def node_frameworks() -> Mapping[str, Any]:
    """models/node/frameworks.yaml, parsed once for every reader of its sections."""
    return packaged_yaml(resources.files("servicelens.models").joinpath("node/frameworks.yaml").read_text("utf-8"))


@lru_cache(maxsize=1)
def nest_knowledge() -> NestKnowledge:
    return _controller_knowledge("nestjs")


@lru_cache(maxsize=1)
def controller_knowledges() -> tuple[NestKnowledge, ...]:
    """Every decorator-routed controller library, NestJS first (`decorator_routed`)."""
    return tuple(_controller_knowledge(str(name)) for name in node_frameworks()["decorator_routed"])


@lru_cache(maxsize=1)
def controller_answer_methods() -> frozenset[str]:
    """Methods of the controller libraries' base classes that send their first argument as JSON."""
    return frozenset(m for k in controller_knowledges() for m in k.answer_methods)


@lru_cache(maxsize=1)
def controller_frameworks() -> frozenset[str]:
    """The route frameworks of decorator-routed controllers."""
    return frozenset(k.framework for k in controller_knowledges())


def _controller_knowledge(name: str) -> NestKnowledge:
    n = node_frameworks()[name]
    return NestKnowledge(
        controllers=_set(n, "controllers"), route_decorators=_map(n, "route_decorators"),
        resolvers=_set(n, "resolvers"), operation_decorators=_map(n, "operation_decorators"),
        use_guards=_set(n, "use_guards"), metadata_setters=_set(n, "metadata_setters"),
        decorator_composers=_set(n, "decorator_composers"), guard_methods=_set(n, "guard_methods"),
        request_getters=_set(n, "request_getters"), reflector_types=_set(n, "reflector_types"),
        metadata_reads=_set(n, "metadata_reads"), handler_targets=_set(n, "handler_targets"),
        class_targets=_set(n, "class_targets"), global_guard_calls=_set(n, "global_guard_calls"),
        global_guard_tokens=_set(n, "global_guard_tokens"), middleware_apply=str(n.get("middleware_apply") or ""),
        middleware_scope=str(n.get("middleware_scope") or ""), middleware_method=str(n.get("middleware_method") or ""),
        param_sources=_map(n, "param_sources"),
        request_params=_set(n, "request_params"), strict_pipes=_set(n, "strict_pipes"),
        library_guards=_map(n, "library_guards"), rate_limit_guards=_set(n, "rate_limit_guards"),
        rate_limit_skips=_set(n, "rate_limit_skips"),
        provider_decorators=_set(n, "provider_decorators"), request_methods=_set(n, "request_methods"),
        global_prefix_calls=_set(n, "global_prefix_calls"), field_resolvers=_set(n, "field_resolvers"),
        framework=name, packages=_set(n, "packages"), middleware_args=bool(n.get("middleware_args")),
        use_middleware=_set(n, "use_middleware"),
        middleware_methods=_set(n, "middleware_methods") | {str(n.get("middleware_method") or "")} - {""},
        container_binds=_set(n, "container_binds"), binding_targets=_set(n, "binding_targets"),
        open_decorators=_set(n, "open_decorators"), answer_methods=_set(n, "answer_methods"),
        outcome_methods=_set(n, "outcome_methods"),
        credential_strategies=_set(n, "credential_strategies"),
        method_option_routes=_set(n, "method_option_routes"), method_option=str(n.get("method_option") or ""),
        inherited_middleware=bool(n.get("inherited_middleware")))


@lru_cache(maxsize=1)
def fastify_knowledge() -> FastifyKnowledge:
    f = node_frameworks()["fastify"]
    return FastifyKnowledge(
        factories=_set(f, "factories"), instance_params=_set(f, "instance_params"),
        own_instance_params=_set(f, "own_instance_params"),
        instance_types=_set(f, "instance_types"), route_methods=_map(f, "route_methods"),
        route_call=str(f["route_call"]), hook_options=_set(f, "hook_options"),
        request_hooks=_set(f, "request_hooks"), add_hook=str(f["add_hook"]),
        register=str(f["register"]), shared_scope_wrappers=_set(f, "shared_scope_wrappers"),
        decorate=str(f["decorate"]), library_guards=_map(f, "library_guards"), autoload=_set(f, "autoload"),
        same_instance_methods=_set(f, "same_instance_methods"),
        ecosystem_prefixes=tuple(str(p) for p in f.get("ecosystem_prefixes") or ()))


@lru_cache(maxsize=1)
def express_factories() -> ExpressFactories:
    e = node_frameworks()["express"]
    return ExpressFactories(app_factories=_set(e, "app_factories"), router_factories=_set(e, "router_factories"))


@lru_cache(maxsize=1)
def koa_knowledge() -> KoaKnowledge:
    k = node_frameworks()["koa"]
    return KoaKnowledge(router_factories=_set(k, "router_factories"), app_factories=_set(k, "app_factories"),
                        prefix_option=str(k["prefix_option"]), mount_methods=_set(k, "mount_methods"),
                        inert_methods=_set(k, "inert_methods"))


@lru_cache(maxsize=1)
def unmodelled_js_frameworks() -> Mapping[str, str]:
    """Import specifier -> framework name, for web frameworks whose routes are not read."""
    return _map(node_frameworks(), "unmodelled")


@dataclass(frozen=True, slots=True)
class TrpcKnowledge:
    """tRPC's shapes (models/node/frameworks.yaml `trpc`)."""

    packages: frozenset[str]
    init: frozenset[str]
    router_members: frozenset[str]
    merge_members: frozenset[str]
    procedure_members: frozenset[str]
    middleware_members: frozenset[str]
    builder_methods: frozenset[str]
    use_methods: frozenset[str]
    concat_methods: frozenset[str]
    pipe_methods: frozenset[str]
    kinds: Mapping[str, str]
    adapters: Mapping[str, str]
    router_option: str
    options_option: str
    endpoint_option: str
    prefix_option: str
    context_option: str  # the resolver options' key holding the context (`({ ctx, input })`)


@lru_cache(maxsize=1)
def trpc_knowledge() -> TrpcKnowledge:
    t = node_frameworks()["trpc"]
    return TrpcKnowledge(
        packages=_set(t, "packages"), init=_set(t, "init"), router_members=_set(t, "router_members"),
        merge_members=_set(t, "merge_members"), procedure_members=_set(t, "procedure_members"),
        middleware_members=_set(t, "middleware_members"), builder_methods=_set(t, "builder_methods"),
        use_methods=_set(t, "use_methods"), concat_methods=_set(t, "concat_methods"),
        pipe_methods=_set(t, "pipe_methods"), kinds=_map(t, "kinds"), adapters=_map(t, "adapters"),
        router_option=str(t["router_option"]), options_option=str(t["options_option"]),
        endpoint_option=str(t["endpoint_option"]), prefix_option=str(t["prefix_option"]),
        context_option=str(t["context_option"]))
