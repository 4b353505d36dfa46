"""The one list of endpoints: per-file routes bound to where they are declared, and who may call them.

    per-file RouteFacts ──bind registrations──> path + exact methods (add_resource, add_get ...)
                        ──bind operations─────> Connexion method, path and `security`
                        ──decide principals───> auth by what decorators/dependencies/helpers do

Each step is a pure function from facts to facts. A handler candidate that no registration
names (`registered=False`: an aiohttp-shaped function, a Flask function) is not an
endpoint and is dropped here, so helpers never reach the overview.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterable, Sequence

from servicelens.analysis.caller_privilege import behind_admin_middleware
from servicelens.analysis.class_hierarchy import ClassHierarchy
from servicelens.analysis.facts import FileFacts
from servicelens.analysis.route_auth import with_project_auth
from servicelens.contracts.operations import Operation
from servicelens.endpoints.django_open import UNDECIDED_VIEWS, bases_unread, middleware_unread, open_evidence
from servicelens.endpoints.falcon_apps import FALCON_UNDECIDED, Judge, middleware_classes, responder
from servicelens.endpoints.falcon_apps import Resource as FalconResource
from servicelens.endpoints.falcon_gates import inherited
from servicelens.endpoints.falcon_routes import with_factories
from servicelens.endpoints.falcon_apps import verdict as falcon_verdict
from servicelens.endpoints.generic_views import inherited_routes as inherited_generic_routes
from servicelens.endpoints.hooks import APP, RequestHook
from servicelens.endpoints.method_maps import with_map_registrations
from servicelens.endpoints.injected_objects import InjectedCall, calls_on, injected_verdict, may_refuse_through
from servicelens.endpoints.refusal_switches import Switch
from servicelens.endpoints.inherited_routes import (class_resolver, inherited_methods, reexported_as,
                                                   registered_ancestors)
from servicelens.endpoints.mapped_actions import with_mapped_actions
from servicelens.endpoints.pattern_decorators import view_decorators
from servicelens.endpoints.principals import GUARD, INERT, Principal
from servicelens.endpoints.public import public_by_design
from servicelens.endpoints.handler_tables import with_handler_tables
from servicelens.endpoints.imported_tables import with_imported_tables
from servicelens.endpoints.pyramid_views import with_default_permission, with_route_patterns
from servicelens.endpoints.recorded_routes import with_recorded_routes
from servicelens.endpoints.registries import with_registry_routes
from servicelens.endpoints.registrations import UNRESOLVED, Registration
from servicelens.endpoints.request_path_exemptions import OUTSIDE
from servicelens.endpoints.route import RouteFact
from servicelens.endpoints.reexports import Reexports
from servicelens.endpoints.request_path_exemptions import exempted_by_name
from servicelens.endpoints.unread import AUTHORIZATION, unread_check
from servicelens.frameworks.django_settings import project_middlewares
from servicelens.frameworks.django_urls import resolve_view_paths, view_names, view_path
from servicelens.frameworks.js_knowledge import controller_frameworks
from servicelens.frameworks.python_handlers import CHECKS_CREDENTIALS_ITSELF, DEPENDS_ON
from servicelens.frameworks.route_options import ON, declared_open, option_state, options_of
from servicelens.taint.models import load_models

_UNDECIDED_WITHOUT_DECORATOR = {"django": ("unknown", "no decorator; depends on middleware or DRF defaults"),
                                "aiohttp": ("unknown", "aiohttp apps usually authenticate in a middleware; not judged"),
                                "tornado": ("unknown", "base handler may authenticate in prepare()/get_current_user()")}


def with_inventory(facts: Sequence[FileFacts], operations: Sequence[Operation] = ()) -> list[FileFacts]:
    facts = with_default_permission(with_route_patterns(with_recorded_routes(with_mapped_actions(
        with_generic_views(facts)), _same)))
    facts = with_registry_routes(with_handler_tables(with_imported_tables(facts, _same), _same), _same)
    facts = with_router_prefixes(bind_registrations(with_map_registrations(drop_unbound_django_views(keep_bound_views(facts)))))
    if operations:
        facts = bind_operations(facts, operations)
    table = _Principals.of(facts)  # principals do not change below
    facts = with_urlconf_decorators(facts, table)
    facts = decide_principals(with_project_auth(with_included_dependencies(with_factory_routers(facts))), table)
    facts = decide_middlewares(decide_request_hooks(decide_inherited_decorators(facts, table), table), table)
    facts = decide_falcon(facts, table)
    facts = decide_entry_hooks(facts, table)
    facts = decide_open_django_views(decide_django_middlewares(facts, table), table)
    facts = decide_role_guards(decide_object_checks(facts, table), table)
    return mark_unread_checks(mark_public(facts), table)


def _map_routes(facts: Sequence[FileFacts],
                change: Callable[[FileFacts, RouteFact], Iterable[RouteFact]]) -> list[FileFacts]:
    out = []
    for fact in facts:
        routes = tuple(new for route in fact.routes for new in change(fact, route))
        out.append(replace(fact, routes=routes) if routes != fact.routes else fact)
    return out


# ---------------------------------------------------------------- registrations


def with_generic_views(facts: Sequence[FileFacts]) -> list[FileFacts]:
    """Routes of Django views that answer through a project base's generic base (endpoints.generic_views),
    unbound until `keep_bound_views` finds a URLconf binding the class."""
    if not any(fact.generic_views for fact in facts):
        return list(facts)
    bases = {key: value for fact in facts for key, value in fact.class_bases}
    defined: dict[str, set[str]] = {}
    for fact in facts:
        for route in fact.routes:
            # a base's own methods answer for its subclasses already; what it only inherits (a
            # `registered=False` route of its generic base) is bound here, at the subclass
            if "." in route.qualname and route.framework == "django" and route.registered:
                owner, _, name = route.qualname.rpartition(".")
                defined.setdefault(f"{fact.module_name}.{owner}", set()).add(name)
    frozen = {key: frozenset(names) for key, names in defined.items()}
    resolve = class_resolver(bases, _same)  # one index of the project's classes for every module
    out = []
    for fact in facts:
        added = inherited_generic_routes(fact.module_name, fact.generic_views, bases, frozen, resolve) \
            if fact.generic_views else []
        own = {route.qualname for route in fact.routes}  # read per file from a base's name already
        added = [route for route in added if route.qualname not in own]
        out.append(replace(fact, routes=fact.routes + tuple(added)) if added else fact)
    return out


def keep_bound_views(facts: Sequence[FileFacts]) -> list[FileFacts]:
    """Django views that answer only through their bases (`class Invoices(ListCreateAPIView)`)
    are endpoints where a URLconf binds the class."""
    if not any(not route.registered and route.framework == "django" for fact in facts for route in fact.routes):
        return list(facts)
    patterns = {fact.module_name: fact.url_patterns for fact in facts if fact.url_patterns}
    paths = resolve_view_paths(patterns) if patterns else {}
    # a review root that is itself the package (`bluebottle/`) names its modules `activities.views`
    # while its URLconfs import `bluebottle.activities.views`: the overview's own lookup decides
    bound = {owner for owner in {f"{fact.module_name}.{route.qualname.rsplit('.', 1)[0]}" for fact in facts
                                 for route in fact.routes if not route.registered and route.framework == "django"}
             if owner in paths or view_path(paths, owner)}

    def keep(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        if route.registered or route.framework != "django":
            return [route]
        owner = f"{fact.module_name}.{route.qualname.rsplit('.', 1)[0]}"
        return [replace(route, registered=True)] if owner in bound else []

    return _map_routes(facts, keep)


def drop_unbound_django_views(facts: Sequence[FileFacts]) -> list[FileFacts]:
    """Django views that no URLconf can reach are not endpoints:

      - a view class no URLconf or router binds, that other classes of the project inherit
        from but none of them (however deep) is bound either (a vendored copy of DRF's
        generics), is a base whose methods answer nothing; a base that a bound class
        inherits keeps its methods (they answer at the subclasses' paths);
      - a request-taking function or class of a module no URLconf names at all (a context
        processor, a template tag, a helper module) is no view. A module some URLconf names
        keeps its unbound views: they may be bound in a way the review cannot follow;
      - except an unbound request-taking function the project's own code calls (a view's
        helper handed the request, `render_tasks(request, user)`, or the failure response a
        middleware builds): what calls it serves the request, not a URL."""
    patterns = {fact.module_name: fact.url_patterns for fact in facts if fact.url_patterns}
    if not patterns:
        return list(facts)
    bound = resolve_view_paths(patterns)
    named_modules = {target.rsplit(".", 1)[0] for target in
                     (p.target for found in patterns.values() for p in found if p.kind != "include")}
    named_modules |= {p.target for found in patterns.values() for p in found if p.kind == "include"}
    named_tails: dict[str, list[str]] = {}
    for module in named_modules:
        named_tails.setdefault(module.rsplit(".", 1)[-1], []).append(module)

    def named(module: str) -> bool:
        # `app.views.OrderViewSet` names `app.views`; `views.Orders.list` names it through its
        # class; `netbox.views.HomeView` names `netbox.views.misc` when the package re-exports it
        return any(_same(module, m) or m.startswith(module + ".") or _reexported_as(module + ".x", m + ".x")
                   for m in named_modules)
    # base -> the classes that name it; a base is an endpoint's code when a bound class inherits it
    subclasses: dict[str, list[str]] = {}
    for fact in facts:
        for cls, bases in fact.class_bases:
            for base in bases:
                subclasses.setdefault(base.rsplit(".", 1)[-1], []).append(cls)

    bound_tails: dict[str, list[str]] = {}
    for view in bound:
        bound_tails.setdefault(view.rsplit(".", 1)[-1], []).append(view)

    def is_bound(owner: str) -> bool:
        return any(_reexported_as(owner, view) for view in bound_tails.get(owner.rsplit(".", 1)[-1], ()))

    def children(owner: str) -> list[str]:
        """Classes that inherit `owner` (a base name matches by suffix: imports say `pkg.views`)."""
        return [cls for cls in subclasses.get(owner.rsplit(".", 1)[-1], ())]

    def unused_base(owner: str) -> bool:
        """Inherited by some class, and by no class (however deep) that a URLconf binds or
        that lives in a module some URLconf names (it may be bound in ways not followed:
        a registry decorator, a URL helper)."""
        pending, seen, inherited = children(owner), {owner}, False
        while pending:
            cls = pending.pop()
            if cls in seen:
                continue
            seen.add(cls)
            inherited = True
            if is_bound(cls) or named(cls.rsplit(".", 1)[0]):
                return False
            pending.extend(children(cls))
        return inherited

    called: dict[str, list[str]] = {}
    for fact in facts:
        for summary in fact.summaries:
            for call in summary.calls:
                called.setdefault(call.callee.rsplit(".", 1)[-1], []).append(call.callee)

    def called_by_project(key: str) -> bool:
        return any(_same(callee, key) for callee in called.get(key.rsplit(".", 1)[-1], ()))

    def keep(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        if route.framework != "django" or route.path:
            return [route]
        if "." not in route.qualname:
            key = f"{fact.module_name}.{route.qualname}"
            helper = not is_bound(key) and called_by_project(key)
            return [route] if named(fact.module_name) and not helper else []
        owner = f"{fact.module_name}.{route.qualname.rsplit('.', 1)[0]}"
        if is_bound(owner):
            return [route]
        if children(owner):
            return [] if unused_base(owner) else [route]
        return [route] if named(fact.module_name) else []

    return _map_routes(facts, keep)


def _reexported_as(key: str, name: str) -> bool:
    return reexported_as(key, name, _same)


def bind_registrations(facts: Sequence[FileFacts]) -> list[FileFacts]:
    returned = {s.key: s.returns_class for fact in facts for s in fact.summaries if s.returns_class}
    registrations = with_factories([r for fact in facts for r in fact.registrations], returned, _same)
    by_route: dict[tuple[str, str, int], list[Registration]] = {}
    candidates = [(fact.module_name, route) for fact in facts for route in fact.routes]
    bases = {key: value for fact in facts for key, value in fact.class_bases}
    inherited = inherited_methods(candidates, lambda route: route.qualname, bases, _same)
    for registration in registrations:
        for module, route in _targets(registration, candidates) + [
                (m, r) for m, r in inherited(registration.target) if r.framework == registration.framework]:
            by_route.setdefault((module, route.qualname, route.line), []).append(registration)

    overridden = registered_ancestors([r.target for r in registrations], bases, _same)
    # every `add_route` of a Falcon project read: a resource none of them names is served nowhere
    falcon_read = any(r.framework == "falcon" for r in registrations) and not any(f.falcon_unread for f in facts)

    def bind(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        named = by_route.get((fact.module_name, route.qualname, route.line), ())
        bound = [b for r in named if (b := _bound(route, r)) is not None]
        if bound or (named and not route.path):  # only registered with `methods=` leaving it out: 405
            return list(dict.fromkeys(bound))
        owner = f"{fact.module_name}.{route.qualname.rsplit('.', 1)[0]}" if "." in route.qualname else ""
        return [route] if route.registered and not (owner in overridden and route.framework in ("flask", "aiohttp")) \
            and not (route.framework == "falcon" and falcon_read) else []

    return _map_routes(facts, bind)


def _targets(registration: Registration, candidates: Sequence[tuple[str, RouteFact]]) -> list[tuple[str, RouteFact]]:
    if registration.target.startswith(UNRESOLVED):
        return _nearest(registration, candidates)
    found = []
    for module, route in candidates:
        if route.framework != registration.framework:
            continue
        key = f"{module}.{route.qualname}"
        owner = key.rsplit(".", 1)[0] if "." in route.qualname else ""
        if _same(key, registration.target) or (owner and _same(owner, registration.target)):
            found.append((module, route))
    return found


def _same(key: str, target: str) -> bool:
    """Module names come from paths (`src.shop.views`), imports say `shop.views`."""
    return key == target or key.endswith("." + target) or target.endswith("." + key)


def _nearest(registration: Registration, candidates: Sequence[tuple[str, RouteFact]]) -> list[tuple[str, RouteFact]]:
    """`router.add_get("/", h.index)` with `h` of unknown class: the `index` handler method
    closest to the registering module (the longest shared package prefix)."""
    name = registration.target[len(UNRESOLVED):]
    scope = registration.scope.split(".")
    best: list[tuple[str, RouteFact]] = []
    best_shared = 0
    for module, route in candidates:
        if route.framework != registration.framework or route.qualname.rsplit(".", 1)[-1] != name:
            continue
        shared = _shared_prefix(scope, module.split("."))
        if shared > best_shared:
            best, best_shared = [(module, route)], shared
        elif shared == best_shared and shared:
            best.append((module, route))
    return best if len(best) == 1 else []


def _shared_prefix(a: list[str], b: list[str]) -> int:
    count = 0
    for left, right in zip(a, b):
        if left != right:
            break
        count += 1
    return count


def _bound(route: RouteFact, registration: Registration) -> RouteFact | None:
    if registration.framework == "falcon" and not _answers_suffix(route.qualname, registration.responder_suffix):
        return None
    if registration.methods in ((), ("*",)):
        methods = route.methods
    elif route.methods == ("*",):
        methods = registration.methods
    else:
        methods = tuple(m for m in route.methods if m in registration.methods)
    if not methods:
        return None
    added = tuple(ref for ref in registration.decorators if ref not in route.principal_refs)
    bound = replace(route, path=route.path or registration.path, methods=methods, registered=True,
                    router=route.router or registration.router, principal_refs=route.principal_refs + added)
    if registration.unread_dependency and route.auth == "none":
        return replace(bound, auth="unknown", auth_evidence=f"registered with the dependency "
                       f"`{registration.unread_dependency}`, which the review cannot resolve")
    return bound


def _answers_suffix(qualname: str, suffix: str) -> bool:
    """A Falcon resource added with `suffix="detail"` answers through `on_<verb>_detail` only,
    one added without a suffix through its plain `on_<verb>` responders."""
    found = responder(qualname.rsplit(".", 1)[-1])
    return found is not None and found[1] == suffix


def with_urlconf_decorators(facts: Sequence[FileFacts], table: "_Principals") -> list[FileFacts]:
    """Django views a URLconf wraps in decorators, itself (`login_required(views.me)`) or through a
    project helper whose body applies them to the patterns it is handed (endpoints.pattern_decorators):
    a decorator the project defines is decided by its body like one written on the view; a library one
    the models know as authenticating (`django.contrib.auth.decorators.login_required`) requires it."""
    patterns = {fact.module_name: fact.url_patterns for fact in facts if fact.url_patterns}
    if not any(p.wrappers or p.helper_wrappers for found in patterns.values() for p in found):
        return list(facts)
    helpers = [helper for fact in facts for helper in fact.pattern_helpers]
    decorators = view_decorators(patterns, helpers, _same)
    by_tail: dict[str, list[str]] = {}
    for view in decorators:
        by_tail.setdefault(view.rsplit(".", 1)[-1], []).append(view)

    def applied(key: str) -> tuple[str, ...]:
        found = {decorators[view] for view in by_tail.get(key.rsplit(".", 1)[-1], ()) if _same(view, key)}
        return found.pop() if len(found) == 1 else ()

    def decorate(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        if route.framework != "django":
            return [route]
        owner = route.qualname.rsplit(".", 1)[0] if "." in route.qualname else ""
        found = applied(f"{fact.module_name}.{route.qualname}") or \
            (applied(f"{fact.module_name}.{owner}") if owner else ())
        if not found:
            return [route]
        route = replace(route, principal_refs=tuple(dict.fromkeys(route.principal_refs + found)),
                        declared_refs=tuple(dict.fromkeys(route.declared_refs + found)))
        known = next((name for name in found if table.find(name) is None and _known_authenticating(name)), "")
        if known and route.auth != "required":
            return [replace(route, auth="required", auth_evidence=f"@{known.rsplit('.', 1)[-1]} applied in the "
                            f"URLconf: {_known_authenticating(known)}")]
        return [route]

    return _map_routes(facts, decorate)


def with_router_prefixes(facts: Sequence[FileFacts]) -> list[FileFacts]:
    """FastAPI routers included into others: `api.include_router(orders.router, prefix="/v1")`
    under `api = APIRouter(prefix="/api")` serves `/orders` at `/api/v1/orders`; a flask-restx
    Namespace mounted by `api.add_namespace(ns)` serves its routes below the Api's prefix."""
    edges = [edge for fact in facts for edge in fact.router_includes]
    if not any(edge.prefix for edge in edges):
        return list(facts)
    # `app.include_router(views.router_ui, ...)` where the `views` package re-exports `router_ui`
    # from `views/ui.py`: the include names the router where it is defined
    reexports = Reexports({fact.module_name: fact.imports for fact in facts if fact.language == "python"})
    children = [(edge, (edge.child, *reexports.origins(edge.child))) for edge in edges]

    def parent_of(router: str) -> tuple[str, str] | None:
        found = [(e.parent, e.prefix) for e, names in children if any(_same(name, router) for name in names)]
        return found[0] if len(found) == 1 else None

    def full(route: RouteFact) -> str:
        path, router, seen = route.path, route.router, set()
        while router and router not in seen and (up := parent_of(router)) is not None:
            seen.add(router)
            router, prefix = up
            path = prefix + path
        return path

    def prefix(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        if route.framework not in ("fastapi", "flask", "aiohttp") or not route.router:  # `@router.get("")`: its own path
            return [route]
        return [replace(route, path=full(route))]

    return _map_routes(facts, prefix)


def with_factory_routers(facts: Sequence[FileFacts]) -> list[FileFacts]:
    """`public_app, app = get_routers()` where `get_routers` (another module) returns, second,
    `APIRouter(dependencies=[Depends(JWTAuth())])`: every route declared on `app` passes
    `JWTAuth()` first (endpoints.router_factories), decided by its body like a parameter's
    dependency."""
    returned = {(r.factory, r.position): r.dependencies for fact in facts for r in fact.returned_routers}
    if not returned:
        return list(facts)
    by_last: dict[str, list[tuple[str, int]]] = {}
    for factory, position in returned:
        by_last.setdefault(factory.rsplit(".", 1)[-1], []).append((factory, position))
    bound: dict[str, tuple[str, ...]] = {}
    for fact in facts:
        for binding in fact.bound_routers:
            found = [returned[k] for k in by_last.get(binding.factory.rsplit(".", 1)[-1], ())
                     if k[1] == binding.position and _same(k[0], binding.factory)]
            if len(found) == 1:
                bound[binding.router] = found[0]
    if not bound:
        return list(facts)

    def add(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        refs = bound.get(route.router, ()) if route.framework == "fastapi" else ()
        added = tuple(ref for ref in refs if ref not in route.principal_refs)
        return [replace(route, principal_refs=route.principal_refs + added)] if added else [route]

    return _map_routes(facts, add)


def with_included_dependencies(facts: Sequence[FileFacts]) -> list[FileFacts]:
    """`api.include_router(orders.router, dependencies=[Depends(check_admin)])`: every route of
    `orders.router` (and of routers included into it) passes `check_admin` first. Added to the
    routes' principal refs, so its body decides, like a parameter's dependency. A router included
    in several places keeps only what every inclusion adds."""
    edges = [edge for fact in facts for edge in fact.router_includes]
    if not any(edge.dependencies for edge in edges):
        return list(facts)
    memo: dict[str, tuple[str, ...]] = {}

    def inherited(router: str, seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
        if router in memo:
            return memo[router]
        including = [e for e in edges if _same(e.child, router) and e.parent not in seen]
        paths = [e.dependencies + inherited(e.parent, seen | {router}) for e in including]
        common = [ref for ref in dict.fromkeys(paths[0]) if all(ref in path for path in paths[1:])] if paths else []
        memo[router] = tuple(common)
        return memo[router]

    def add(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        if route.framework != "fastapi" or not route.router:
            return [route]
        refs = tuple(ref for ref in inherited(route.router) if ref not in route.principal_refs)
        return [replace(route, principal_refs=route.principal_refs + refs)] if refs else [route]

    return _map_routes(facts, add)


# ---------------------------------------------------------------- Connexion operations


def bind_operations(facts: Sequence[FileFacts], operations: Sequence[Operation]) -> list[FileFacts]:
    """Connexion handlers take method, path and auth from the operations naming them."""
    by_id: dict[str, list[Operation]] = {}
    for operation in operations:
        if operation.handler or operation.op_id:
            by_id.setdefault((operation.handler or operation.op_id).rsplit(".", 1)[-1], []).append(operation)

    def bind(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        if route.framework != "connexion":
            return [route]
        key = f"{fact.module_name}.{route.qualname}"
        named = [o for o in by_id.get(route.qualname.rsplit(".", 1)[-1], ()) if _same(key, o.handler or o.op_id)]
        # a module-qualified name (a controller's) outranks a bare operationId of another document
        named = [o for o in named if "." in (o.handler or o.op_id)] or named
        return list(dict.fromkeys(_operation_route(route, o) for o in named)) or [route]

    return _map_routes(facts, bind)


def _operation_route(route: RouteFact, operation: Operation) -> RouteFact:
    if operation.security is None:
        auth, evidence = "none", f"the OpenAPI operation {operation.label} declares no security"
    elif operation.anonymous_allowed:
        auth, evidence = "none", f"`security: []` on {operation.label}: public by design in the contract"
    else:
        schemes = sorted({name for alternative in operation.security for name in alternative})
        where = "operation" if operation.explicit_security else "document"
        auth, evidence = "required", f"OpenAPI {where} security: {', '.join(schemes)}"
    return replace(route, methods=(operation.method,), path=operation.full_path or operation.path,
                   auth=auth, auth_evidence=evidence)


# ---------------------------------------------------------------- principals


def decide_principals(facts: Sequence[FileFacts], table: "_Principals | None" = None) -> list[FileFacts]:
    """A route requires auth when one of its decorators, dependencies or first helpers guards
    (by its body, followed through delegations across files), or when the handler refuses an
    unauthenticated caller itself; a decorator whose name suggested auth but whose body is
    visibly inert no longer counts."""
    table = table if table is not None else _Principals.of(facts)
    if not table.by_key:
        return list(facts)
    permission_decorators = load_models().permission_decorators
    authenticating = load_models().authenticating_decorators
    methods = _injected_methods(facts, table)

    def refusal(key: str) -> str:
        return table.guard(key) or (f"`{key.rsplit('.', 1)[-1]}` answers 401/403" if table.denies(key) else "")

    def switches(key: str) -> tuple[Switch, ...]:
        found = table.find(key)
        return found.switches if found is not None else ()

    def injected(calls: list[InjectedCall]) -> tuple[str, str] | None:
        """The first call that makes the route required, else the first one that leaves it undecided."""
        verdicts = [found for call in calls if (found := injected_verdict(call, methods(call), refusal, switches))]
        return next((v for v in verdicts if v[0] == "required"), verdicts[0] if verdicts else None)

    def decide(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        if route.framework == "connexion":
            return [route]
        signed_in = _library_decorator(route, table, authenticating)
        if signed_in and route.auth != "required":
            return [replace(route, auth="required",
                            auth_evidence=f"{signed_in} refuses a caller who is not authenticated")]
        library = next((found for ref in route.principal_refs
                        if (found := table.library_name(ref)) in permission_decorators), "")
        if library:
            shown = next(ref for ref in route.principal_refs if table.library_name(ref) == library)
            evidence = f"@{shown.rsplit('.', 2)[-2]}.{shown.rsplit('.', 1)[-1]} ({library}) checks the caller's permission"
            return [replace(route, auth="required", permission_check=evidence,
                            auth_evidence=route.auth_evidence if route.auth == "required" else evidence)]
        if route.auth == "none" and route.framework in controller_frameworks():
            # decided by frameworks/nestjs_project.py, which weighed every guard in effect and the route
            # metadata that makes one let the caller through (`@Public()`): judging a guard again here
            # would undo that
            return [route]
        # a dependency counts as auth only when its body (or one it depends on) can refuse the caller:
        # `def get_auth(request): return request.state.authentication` hands the handler an object
        inert_name = route.auth == "required" and bool(route.auth_ref) and (
            table.verdict(route.auth_ref) == INERT
            or (route.auth_ref in route.router_refs or route.auth_evidence.startswith(DEPENDS_ON))
            and table.visibly_open(route.auth_ref))
        if route.auth == "required" and not inert_name:
            return [route]  # its decorator, dependency or permission class already says so
        if route.signs_in and route.auth == "public":
            # a sign-in by what its body does (frameworks/python_handlers): the dependencies it declares hand
            # it a database session or a limiter, and are not asked, as for a handler's own check before
            return [route]
        # a sign-up form that checks the invitation token it was sent is not "authenticated"
        own = "" if public_by_design(route) or route.signs_in else f"{fact.module_name}.{route.qualname}"
        declared = ""
        unjudged = False  # a middleware besides the switched-off factory that may still check
        for ref in route.principal_refs:
            if ref == f"{fact.module_name}.{route.qualname}" and not own:
                continue
            if route.signs_in and ref not in route.declared_refs:
                continue  # a helper a sign-in calls first refuses a wrong password, not an unknown caller
            found = table.find(ref)
            state, skipped = option_state(found.option_gate, ref, options_of(route.ref_options, ref)) \
                if found is not None else (ON, "")
            if state != ON:
                declared = declared or skipped  # an option the review cannot read leaves it undecided
                unjudged = unjudged or not skipped
                continue
            evidence = table.body_guard(ref) if ref == own else table.guard(ref)
            if evidence:
                return [replace(route, auth="required", auth_evidence=evidence)]
            unjudged = unjudged or (ref != own and (found is None or found.verdict != INERT))
        if route.framework in _DEPENDENCY_FRAMEWORKS:
            # a declared dependency wrapping a library's current-user getter; only where routes
            # declare dependencies (a thread-local `get_current_user()` in Django refuses nobody)
            evidence = next((found for ref in route.declared_refs if (found := table.dependency_guard(ref))), "")
            if evidence:
                return [replace(route, auth="required", auth_evidence=evidence)]
        if declared and not unjudged and route.auth != "required":
            return [replace(route, auth="public", auth_evidence=declared_open(declared))]
        if inert_name:
            auth, evidence = _UNDECIDED_WITHOUT_DECORATOR.get(route.framework, ("none", ""))
            name = route.auth_ref.rsplit(".", 1)[-1]
            calls = calls_on(route.auth_ref, route.injected_calls)
            decided = injected(calls)
            if decided is not None:
                return [replace(route, auth=decided[0], auth_evidence=f"Depends({name}) only hands the handler an "
                                f"object; {decided[1]}")]
            through = may_refuse_through(calls, methods, table.cannot_refuse)
            if through:
                return [replace(route, auth="unknown", auth_evidence=f"Depends({name}) only hands the handler an "
                                f"object; the handler calls `{through}` on it, which may refuse the caller in a way "
                                "the review cannot follow")]
            shown = name if route.auth_ref in route.router_refs else \
                f"Depends({name})" if route.auth_evidence.startswith(DEPENDS_ON) else f"@{name}"
            return [replace(route, auth=auth,
                            auth_evidence=f"{shown} is defined in this project and checks no caller; {evidence}"
                            if evidence else f"{shown} is defined in this project and checks no caller")]
        if route.auth == "none" and route.framework in _DEPENDENCY_FRAMEWORKS:
            # any dependency's object whose class the code names (`gate: Gatekeeper = Depends(...)`):
            # a method of it that refuses, called on every path, is the route's check
            decided = injected([call for call in route.injected_calls if call.type_name or (
                (dependency := table.find(call.dependency)) is not None and dependency.returns_class)])
            if decided is not None and decided[0] == "required":
                return [replace(route, auth="required", auth_evidence=decided[1])]
        return [route]

    return _map_routes(facts, decide)


def _injected_methods(facts: Sequence[FileFacts], table: "_Principals") -> Callable[[InjectedCall], list[str]]:
    """The project's definitions of the method a call names on an injected object: the class the
    code says it is (its own or the nearest ancestor's, and every subclass's override), else every
    method of that name the project defines; [] for a class the project does not define."""
    bases = {key: value for fact in facts for key, value in fact.class_bases}
    hierarchy = ClassHierarchy.of(bases, {key.rsplit(".", 1)[0] for key in table.by_key})

    def methods(call: InjectedCall) -> list[str]:
        named = table.by_last.get(call.method, [])
        dependency = table.find(call.dependency)
        type_name = call.type_name or (dependency.returns_class if dependency is not None else "")
        if not type_name:
            return list(named)
        own = next(([f"{key}.{call.method}"] for key, _ in hierarchy.ancestors(type_name)
                    if f"{key}.{call.method}" in table.by_key), [])
        cls = hierarchy.resolve(type_name)
        overrides = [key for key in named if cls is not None and key not in own
                     and any(ancestor == cls for ancestor, depth in hierarchy.ancestors(key.rsplit(".", 1)[0]) if depth)]
        return own + overrides

    return methods


def decide_object_checks(facts: Sequence[FileFacts], table: "_Principals | None" = None) -> list[FileFacts]:
    """Routes whose project decorator (Python) or middleware (Express) reads the view's URL
    arguments, looks the caller up against them and refuses otherwise (`@owner_or_manager(Employee)`,
    a predicate built by a permission gate, `trackBelongsToLoggedInUser` before the handler): what
    the URL names is checked for this caller before the handler fetches it, so the handler's
    lookups are not "fetched with no check" (route.permission_check)."""
    table = table if table is not None else _Principals.of(facts)
    if not any(p.url_object_check for p in table.by_key.values()):
        return list(facts)

    def decide(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        if route.permission_check:
            return [route]
        # a Python route's decorators; an Express route's middleware chain, decided in other files
        python = fact.language == "python"
        refs = route.declared_refs if python else route.principal_refs
        evidence = next((found for ref in refs if (found := table.url_object_check(ref, decorator=python))), "")
        return [replace(route, permission_check=evidence)] if evidence else [route]

    return _map_routes(facts, decide)


def decide_role_guards(facts: Sequence[FileFacts], table: "_Principals | None" = None) -> list[FileFacts]:
    """Authenticated routes whose declared decorator or dependency refuses every caller without a
    back-office role, by what its body tests (`if current_user.role.name not in ["Administrator",
    "Operator"]: abort(403)`, a predicate `return current_user.global_admin` built into a
    decorator by a refusing gate, a comparison with the operator's one configured token), whatever
    it is called and wherever it is defined, or whose class view inherits a mixin whose `dispatch`
    does so; JS/TS routes behind a middleware or guard named for admitting administrators only
    (`requireAdmin`, `AdminGuard`) or a role guard factory told back-office roles only
    (`checkRoles(Role.SUPERUSER)`, RouteFact.role_only): only staff, administrators or the operator call them
    (FileFacts.privileged, analysis/caller_privilege.py)."""
    table = table if table is not None else _Principals.of(facts)
    hooked = _role_hooked_classes(facts, table) if any(p.role_check for p in table.by_key.values()) \
        else (lambda cls: False)

    def role_guarded(fact: FileFacts, route: RouteFact) -> bool:
        if fact.language != "python":  # a JS/TS chain's middleware or guard named for admitting admins only,
            # or a role guard factory told back-office roles only (`requireRole([ROLES.admin])`)
            return route.role_only or behind_admin_middleware(route.principal_refs + route.declared_refs)
        return any(table.role_guard(ref) for ref in route.declared_refs) \
            or "." in route.qualname and hooked(f"{fact.module_name}.{route.qualname.rsplit('.', 1)[0]}")

    out = []
    for fact in facts:
        added = tuple(route.qualname for route in fact.routes
                      if route.auth == "required" and route.qualname not in fact.privileged and role_guarded(fact, route))
        out.append(replace(fact, privileged=fact.privileged + tuple(dict.fromkeys(added))) if added else fact)
    return out


def _role_hooked_classes(facts: Sequence[FileFacts], table: "_Principals") -> Callable[[str], bool]:
    """Whether a view class, or a project base or mixin of it in any module, has a request entry
    hook (`dispatch`) that refuses every caller without a back-office role (`if not
    request.user.is_superuser: return self.handle_no_permission()`): every verb of it, its own or
    inherited, serves staff only, whatever the mixin is called."""
    hooks = [key.rsplit(".", 1)[0] for key in table.by_key
             if key.rsplit(".", 1)[-1] in _ENTRY_HOOKS and table.role_guard(key)]
    if not hooks:
        return lambda cls: False
    hierarchy = ClassHierarchy.of({key: value for fact in facts for key, value in fact.class_bases}, hooks)
    guarded = frozenset(hooks)
    return lambda cls: any(key in guarded for key, _depth in hierarchy.ancestors(cls))


def _library_decorator(route: RouteFact, table: "_Principals", known: frozenset[str]) -> str:
    """`@requires` (starlette.authentication.requires) when one of the route's decorators is
    a library one the models know; "" otherwise."""
    for ref in route.principal_refs:
        library = table.library_name(ref)
        if library in known:
            return f"@{ref.rsplit('.', 1)[-1]} ({library})"
    return ""


def decide_inherited_decorators(facts: Sequence[FileFacts], table: "_Principals | None" = None) -> list[FileFacts]:
    """Resource/MethodView methods left open whose class inherits a `decorators` /
    `method_decorators` list from a project base class (`class BaseResource(Resource):
    decorators = [require_session]`, possibly in another module): each listed decorator is
    decided by its body, or as a library permission decorator, like the route's own."""
    lists = {key: refs for fact in facts for key, refs in fact.class_decorators}
    if not lists:
        return list(facts)
    hierarchy = ClassHierarchy.of({key: value for fact in facts for key, value in fact.class_bases}, lists)
    table = table if table is not None else _Principals.of(facts)
    permission_decorators = load_models().permission_decorators

    def inherited(cls: str) -> tuple[str, str] | None:
        """(decorator, evidence) of the first guarding decorator listed on a base of `cls`."""
        for key, depth in hierarchy.ancestors(cls):
            for ref in lists.get(key, ()) if depth else ():
                library = table.library_name(ref)
                evidence = table.guard(ref) or (f"{library} checks the caller's permission"
                                                if library in permission_decorators else "")
                if evidence:
                    return ref, f"`{ref.rsplit('.', 1)[-1]}` in the decorators of base class " \
                                f"`{key.rsplit('.', 1)[-1]}`: {evidence}"
        return None

    def decide(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        if route.framework != "flask" or route.auth != "none" or "." not in route.qualname:
            return [route]
        found = inherited(f"{fact.module_name}.{route.qualname.rsplit('.', 1)[0]}")
        return [replace(route, auth="required", auth_evidence=found[1])] if found else [route]

    return _map_routes(facts, decide)


# what a class-based view runs for every request before the verb's method: Django's `dispatch`,
# DRF's `initial`, Flask's `MethodView.dispatch_request`
_ENTRY_HOOKS = ("dispatch", "initial", "dispatch_request")


def decide_entry_hooks(facts: Sequence[FileFacts], table: "_Principals | None" = None) -> list[FileFacts]:
    """Verb methods of a class-based view left open or undecided whose class, or a project base
    or mixin of it in any module, defines a request entry hook (`dispatch`) that refuses the
    caller: by a guard in its body or what it delegates to, or by answering 401/403 (raising
    `PermissionDenied`) before it hands the request on, whatever it looked up (a token in the
    URL, an API key's record)."""
    bases = {key: value for fact in facts for key, value in fact.class_bases}
    if not bases:
        return list(facts)
    table = table if table is not None else _Principals.of(facts)
    # a mixin with no base of its own is known by the hook it defines
    hooked = [key.rsplit(".", 1)[0] for key in table.by_key if key.rsplit(".", 1)[-1] in _ENTRY_HOOKS]
    if not hooked:
        return list(facts)
    hierarchy = ClassHierarchy.of(bases, hooked)
    memo: dict[str, str] = {}

    def refusing_hook(cls: str) -> str:
        if cls not in memo:
            memo[cls] = ""
            for key, _depth in hierarchy.ancestors(cls):
                hook = next((f"{key}.{name}" for name in _ENTRY_HOOKS if f"{key}.{name}" in table.by_key), "")
                if not hook:
                    continue
                evidence = table.guard(hook) or (
                    f"`{hook.rsplit('.', 1)[-1]}` answers 401/403 before the view runs" if table.denies(hook) else "")
                if evidence:  # mixins' hooks hand on with super(): each of them runs
                    memo[cls] = f"`{key.rsplit('.', 1)[-1]}.{hook.rsplit('.', 1)[-1]}` runs first: {evidence}"
                    break
        return memo[cls]

    def decide(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        if route.framework not in ("django", "flask") or route.auth not in ("none", "unknown") \
                or "." not in route.qualname or route.qualname.rsplit(".", 1)[-1] in _ENTRY_HOOKS:
            return [route]
        evidence = refusing_hook(f"{fact.module_name}.{route.qualname.rsplit('.', 1)[0]}")
        return [replace(route, auth="required", auth_evidence=evidence)] if evidence else [route]

    return _map_routes(facts, decide)


def decide_request_hooks(facts: Sequence[FileFacts], table: "_Principals | None" = None) -> list[FileFacts]:
    """Flask routes left open by their own code, whose blueprint (or app) runs a
    `before_request` hook that refuses the caller: in the hook's body, or in a decorator
    wrapped around the hook (`@bp.before_request @admin_required def hook(): ...`), decided
    by bodies wherever they are defined."""
    hooks = [hook for fact in facts for hook in fact.request_hooks]
    if not hooks:
        return list(facts)
    table = table if table is not None else _Principals.of(facts)
    verdicts = {hook: _hook_guard(hook, table) for hook in dict.fromkeys(hooks)}
    guarding = [(hook, evidence) for hook, evidence in verdicts.items() if evidence]
    if not guarding:
        return list(facts)

    def decide(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        if route.framework != "flask" or route.auth != "none":
            return [route]
        for hook, evidence in guarding:
            if _hook_covers(hook, fact.module_name, route):
                return [replace(route, auth="required", auth_evidence=evidence)]
        return [route]

    return _map_routes(facts, decide)


def _hook_guard(hook: RequestHook, table: "_Principals") -> str:
    for ref in hook.refs:
        evidence = table.guard(ref)
        if evidence:
            where = "every request of the app" if hook.scope == APP else f"`{hook.router.rsplit('.', 1)[-1]}`"
            return f"before_request hook `{hook.name}` on {where}: {evidence}"
    return ""


def _hook_covers(hook: RequestHook, module: str, route: RouteFact) -> bool:
    """A blueprint's hook covers the routes declared on it; an app-wide hook every route of
    the same top-level package (one application), or every route when the app is built in a module
    at the top of the reviewed tree; a hook that checks a URL parameter only the routes whose path has it."""
    if hook.path_params and not any(_has_path_param(route.path, name) for name in hook.path_params):
        return False
    if hook.unread_exemptions or route.qualname.rsplit(".", 1)[-1] in hook.exempt_views:
        return False
    if hook.scope == APP:
        app_module = hook.router.rpartition(".")[0]
        return "." not in app_module or module.split(".", 1)[0] == hook.refs[0].split(".", 1)[0]
    return bool(route.router) and _same(route.router, hook.router)


def _has_path_param(path: str, name: str) -> bool:
    """`/<project_id>/edit` and `/<string:project_id>/` carry `project_id`."""
    return re.search(rf"<(?:[^<>:]+:)?{re.escape(name)}>", path or "") is not None


def decide_middlewares(facts: Sequence[FileFacts], table: "_Principals | None" = None) -> list[FileFacts]:
    """aiohttp routes left to middleware: decided by the `web.Application(middlewares=...)` of
    their package. A guard among them requires auth for every route; middlewares the review
    can all see, none of which guards, leave the routes open; one it cannot see keeps them
    undecided. FastAPI/Starlette routes open by their own code are decided only by a guard
    among their package's app middlewares (`app.add_middleware(...)`, `@app.middleware("http")`)."""
    apps = [app for fact in facts for app in fact.applications]
    if not apps:
        return list(facts)
    table = table if table is not None else _Principals.of(facts)
    parents: dict[str, list[str]] = {}
    for edge in (edge for fact in facts for edge in fact.router_includes):
        parents.setdefault(edge.child, []).append(edge.parent)
    serving: dict[str, frozenset[str]] = {}

    def serving_modules(router: str) -> frozenset[str]:
        """The modules of the routers and apps `router` is included into, however deep
        (`app.include_router(projects.router)` in entrypoints/routers.py serves it there)."""
        if router not in serving:
            found, pending, seen = set(), [router], set()
            while pending:
                name = pending.pop()
                if name in seen:
                    continue
                seen.add(name)
                found.add(name.rpartition(".")[0])
                pending.extend(p for child, ups in parents.items() if _same(child, name) for p in ups)
            serving[router] = frozenset(found)
        return serving[router]

    def verdict(module: str, path: str, router: str = "") -> tuple[str, str] | None:
        modules = serving_modules(router) if router else frozenset()
        mine = [app for app in apps if _app_covers(app.module, module)
                or any(_same(app.module, m) for m in modules)]
        if not mine:
            return None
        names = [m for app in mine for m in app.middlewares]
        for name in names:
            evidence = table.guard(name)
            found = table.find(name)
            exempt = _exempted(path, found.exempt_paths) if evidence and found is not None else ""
            if exempt:
                return "none", f"middleware `{name.rsplit('.', 1)[-1]}` lets {exempt} through unchecked"
            if evidence:
                return "required", f"middleware {_middleware_label(name)}{evidence}"
        if all(name and table.find(name) is not None for name in names):
            shown = ", ".join(n.rsplit(".", 1)[-1] for n in names) or "none"
            return "none", f"web.Application middlewares ({shown}) check no caller"
        return None

    def decide(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        if route.framework == "aiohttp" and route.auth == "unknown":
            found = verdict(fact.module_name, route.path, route.router)
        elif route.framework in _ASGI_FRAMEWORKS and route.auth in ("none", "unknown"):
            # a FastAPI route decided by its own code: only a middleware that refuses the caller
            # changes that (seeing none that does says nothing about routes' own dependencies)
            found = verdict(fact.module_name, route.path, route.router)
            found = found if found is not None and found[0] == "required" else None
        else:
            found = None
        return [replace(route, auth=found[0], auth_evidence=found[1])] if found else [route]

    return _map_routes(facts, decide)


_ASGI_FRAMEWORKS = ("fastapi", "starlette")


def decide_falcon(facts: Sequence[FileFacts], table: "_Principals | None" = None) -> list[FileFacts]:
    """Falcon responders their own code and hooks left undecided: decided by the middleware of the
    application their resource is added to, judged by the bodies of its per-request methods wherever
    the classes are defined (endpoints/falcon_apps.py)."""
    if not any(route.framework == "falcon" for fact in facts for route in fact.routes):
        return list(facts)
    apps = [app for fact in facts for app in fact.falcon_apps]
    table = table if table is not None else _Principals.of(facts)
    bases = {key: value for fact in facts for key, value in fact.class_bases}
    declared = {item.key: dict(item.attributes) for fact in facts for item in fact.falcon_declared}
    hierarchy = ClassHierarchy.of(bases, middleware_classes(table.by_key) + list(declared))
    ancestors = lambda cls: [key for key, _ in hierarchy.ancestors(cls)]  # noqa: E731
    bases_read = lambda cls: all(base == "object" or hierarchy.resolve(base) is not None  # noqa: E731
                                 for key in ancestors(cls) or [cls] for base in bases.get(key, ()))
    judge = Judge(table.find, table.guard, ancestors, bases_read, _exempted,
                  {gate.key: gate for fact in facts for gate in fact.falcon_gated},
                  lambda cls: inherited(ancestors(cls) or [cls], declared) if bases_read(cls) else None)

    def decide(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        if route.framework != "falcon" or route.auth != "unknown" or route.auth_evidence != FALCON_UNDECIDED:
            return [route]
        # the one application the project builds serves every route (added where it is built, or by
        # a function it is handed to); of several, the one the route's `add_route` is called on
        mine = apps if len(apps) == 1 else [app for app in apps if route.router and _same(app.name, route.router)]
        owner = f"{fact.module_name}.{route.qualname.rsplit('.', 1)[0]}"
        resource = FalconResource(owner, route.methods[0]) if len(route.methods) == 1 else None
        found = falcon_verdict(route.path, route.declared_refs, mine[0].middlewares if len(mine) == 1 else None,
                               judge, resource)
        return [replace(route, auth=found[0], auth_evidence=found[1])] if found else [route]

    return _map_routes(facts, decide)


def _app_covers(app_module: str, module: str) -> bool:
    """An app serves the modules of its own package; one built in a module at the top of the
    reviewed tree (`main.py` beside `routers/`) serves every module of it."""
    package = app_module.rpartition(".")[0]
    return not package or module.startswith(package + ".")


def _middleware_label(name: str) -> str:
    """`CheckPasswordMiddleware: ` for a middleware class's per-request hook, else nothing (the
    guard's own evidence names the function)."""
    owner, _, hook = name.rpartition(".")
    return f"`{owner.rsplit('.', 1)[-1]}`: " if hook == "dispatch" and owner else ""


_MIDDLEWARE_HOOKS = ("process_request", "__call__", "process_view")


def decide_open_django_views(facts: Sequence[FileFacts], table: "_Principals | None" = None) -> list[FileFacts]:
    """Django views still undecided once every guard before them was judged: open when the
    settings' MIDDLEWARE and the view's class ancestry are all read (endpoints/django_open.py)."""
    middlewares = project_middlewares(item for fact in facts for item in fact.settings)
    if not middlewares or not any(r.framework == "django" and r.auth_evidence in UNDECIDED_VIEWS
                                  for fact in facts for r in fact.routes):
        return list(facts)
    table = table if table is not None else _Principals.of(facts)
    hooks = lambda entry: [entry] + [f"{entry}.{hook}" for hook in _MIDDLEWARE_HOOKS]  # noqa: E731
    owners = {key.rsplit(".", 1)[0] for key in table.by_key}
    # a class of the project, by its methods (`process_exception` alone included), or a function
    project = lambda entry: table.find(entry) is not None or any(_same(owner, entry) for owner in owners)  # noqa: E731
    unread = middleware_unread(
        middlewares, project,
        lambda entry: any((found.denies or found.verdict == GUARD or found.turns_away) and not found.lets_anonymous
                          and not found.refuses_alike for name in hooks(entry) if (found := table.find(name)) is not None),
        load_models().identifying_middlewares)
    if unread:
        return list(facts)
    bases = {key: value for fact in facts for key, value in fact.class_bases}
    hierarchy = ClassHierarchy.of(bases)
    resolve = lambda base: hierarchy.resolve(base) if hierarchy.resolve(base) in bases else None  # noqa: E731
    evidence = open_evidence(len(middlewares))
    # a base's own methods answer for every subclass, each with its own mixins: not decided here
    inherited = {found for values in bases.values() for base in values if (found := hierarchy.resolve(base))}

    def decide(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        if route.framework != "django" or route.auth != "unknown" or route.auth_evidence not in UNDECIDED_VIEWS:
            return [route]
        if "." in route.qualname:
            owner = f"{fact.module_name}.{route.qualname.rsplit('.', 1)[0]}"
            chain = [key for key, _ in hierarchy.ancestors(owner)]
            if not chain or chain[0] in inherited or bases_unread(chain, lambda key: bases.get(key, ()), resolve):
                return [route]
        elif any(_REST_DECORATOR in ref.split(".") for ref in route.declared_refs):
            return [route]  # `@api_view`: REST framework's defaults decide
        return [replace(route, auth="none", auth_evidence=evidence)]

    return _map_routes(facts, decide)


_REST_DECORATOR = "rest_framework"


def decide_django_middlewares(facts: Sequence[FileFacts], table: "_Principals | None" = None) -> list[FileFacts]:
    """Django views left undecided or open by their own code (REST framework's empty or AllowAny
    permission classes): a middleware of the project's own, listed in the settings' MIDDLEWARE,
    that refuses or redirects a caller who is not signed in runs before every view and guards all
    but the paths it lets through (endpoints/request_path_exemptions.py; one that checks only the
    paths under a prefix lets every other through). A path test it makes that the review cannot
    read leaves the views as they were."""
    middlewares = project_middlewares(item for fact in facts for item in fact.settings)
    if not middlewares:
        return list(facts)
    table = table if table is not None else _Principals.of(facts)
    guards = []
    for name in middlewares:
        # a class's per-request hook, or a function middleware (a factory whose closure sees each request)
        for entry in [f"{name}.{hook}" for hook in _MIDDLEWARE_HOOKS] + [name]:
            found = table.find(entry)
            # one that hands a request carrying no credential on checks only the credentials it is sent
            evidence = table.guard(entry) if found is not None and not found.lets_anonymous else ""
            if evidence:
                guards.append((name.rsplit(".", 1)[-1], evidence, found.exempt_paths))
                break
    if not guards:
        return list(facts)
    patterns = {fact.module_name: fact.url_patterns for fact in facts if fact.url_patterns}
    bound = resolve_view_paths(patterns) if patterns else {}
    named = view_names(patterns)

    def decide(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        # a middleware runs before every view, whatever its permission classes allow
        if route.framework != "django" or route.auth not in ("unknown", "none"):
            return [route]
        view = f"{fact.module_name}.{route.qualname.rsplit('.', 1)[0]}"
        path = route.path or bound.get(view, "")
        for name, evidence, exempt in guards:
            if any(kind == "unread" for kind, _ in exempt) or _exempted_request_path(path, exempt) \
                    or exempted_by_name(named.get(view, frozenset()), exempt):
                continue
            return [replace(route, auth="required", auth_evidence=f"middleware `{name}` (settings MIDDLEWARE): {evidence}")]
        return [route]

    return _map_routes(facts, decide)


def _exempted_request_path(path: str, exemptions: Sequence[tuple[str, str]]) -> bool:
    """Does a middleware exemption cover a Django route (`api/v1/<int:pk>/` is the request path
    `/api/v1/<int:pk>/`)? A route with no known path is taken as exempt."""
    by_path = [(kind, literal) for kind, literal in exemptions if not kind.endswith("name")]
    return not path or bool(_exempted("/" + path.lstrip("^/").rstrip("$"), by_path))


def _exempted(path: str, exemptions: Sequence[tuple[str, str]]) -> str:
    """The middleware exemption that covers the route's path. A pattern is matched against a
    request the route answers (`<str:code>`, `{id}` -> `x1`); one that does not compile is taken
    to cover it."""
    for kind, literal in exemptions:
        if kind.startswith(OUTSIDE):
            if path and not _exempted(path, [(kind[len(OUTSIDE):], literal)]):
                return f"paths outside `{literal}`"
            continue
        if kind == "exact" and path and path == literal:
            return f"`{literal}`"
        if kind == "prefix" and path and path.startswith(literal):
            return f"paths under `{literal}`"
        if kind == "regex" and path:
            try:
                matched = re.match(literal, re.sub(r"<[^<>]*>|\{[^{}]*\}", "x1", path)) is not None
            except re.error:
                matched = True
            if matched:
                return f"paths matching `{literal}`"
    return ""


def mark_public(facts: Sequence[FileFacts]) -> list[FileFacts]:
    """Undecided or unauthenticated endpoints that must answer anonymous callers anyway, and
    sign-in handlers: checking the credentials a caller sends is what signing in is, not a
    sign that the caller was already authenticated."""
    def mark(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        # a route declaring checks the review cannot read (`unread_check`) is not open by its name
        open_or_signing_in = route.auth in ("none", "unknown") and not route.unread_check \
            or route.auth_evidence.startswith(CHECKS_CREDENTIALS_ITSELF)
        # a handler that checks the password it is sent and issues a session is a sign-in by what it does
        reason = (public_by_design(route) or ("sign-in" if route.signs_in else "")) if open_or_signing_in else ""
        return [replace(route, auth="public", auth_evidence=f"public by design ({reason})")] if reason else [route]

    return _map_routes(facts, mark)


def mark_unread_checks(facts: Sequence[FileFacts], table: "_Principals | None" = None) -> list[FileFacts]:
    """Each route with a declared decorator or dependency the review could not read (or could
    not rule out) records why; a route left "none" with one becomes "unknown": "no check" is a
    claim about everything that runs before the handler, so it needs all of it read."""
    if not any(fact.class_decorators or any(route.declared_refs for route in fact.routes) for fact in facts):
        return list(facts)
    table = table if table is not None else _Principals.of(facts)
    models = load_models()
    known = frozenset(models.auth_decorators | models.authenticating_decorators | models.auth_dependencies)
    lists = {key: refs for fact in facts for key, refs in fact.class_decorators}
    hierarchy = ClassHierarchy.of({key: value for fact in facts for key, value in fact.class_bases}, lists)

    def inherited(fact: FileFacts, route: RouteFact) -> tuple[str, ...]:
        """The `decorators` lists of the handler's base classes: they run before it too."""
        if not lists or "." not in route.qualname:
            return ()
        owner = f"{fact.module_name}.{route.qualname.rsplit('.', 1)[0]}"
        return tuple(ref for key, depth in hierarchy.ancestors(owner) if depth for ref in lists.get(key, ()))

    def mark(fact: FileFacts, route: RouteFact) -> list[RouteFact]:
        refs = route.declared_refs + inherited(fact, route)
        unread = [found for ref in refs if (found := unread_check(ref, table, known))]
        if not unread:
            return [route]
        about_rights = next((u.reason for u in unread if u.kind == AUTHORIZATION), "")
        # a Django view still "no decorator; depends on middleware" has one after all (applied in the
        # URLconf): the evidence names it
        if route.auth == "none" or route.auth == "unknown" and route.auth_evidence in UNDECIDED_VIEWS:
            return [replace(route, auth="unknown", auth_evidence=unread[0].reason, unread_check=about_rights)]
        return [replace(route, unread_check=about_rights)] if about_rights else [route]

    return _map_routes(facts, mark)


# frameworks whose routes declare dependencies the framework resolves per request (Depends, Provide)
_DEPENDENCY_FRAMEWORKS = frozenset({"fastapi", "litestar"})
# route -> dependency -> dependency -> security scheme; deeper chains say little about the caller
_MAX_DELEGATION = 4


class _Principals:
    """Project-wide lookup of principals by (suffix of) their dotted name."""

    def __init__(self, principals: Iterable[Principal], reexports: Reexports | None = None) -> None:
        self.reexports = reexports if reexports is not None else Reexports({})
        self.by_key: dict[str, Principal] = {p.key: p for p in principals}
        self.by_tail: dict[str, list[str]] = {}
        self.by_last: dict[str, list[str]] = {}
        for key in self.by_key:
            self.by_tail.setdefault(".".join(key.split(".")[-2:]), []).append(key)
            self.by_last.setdefault(key.rsplit(".", 1)[-1], []).append(key)
        self.memo: dict[str, str] = {}

    @classmethod
    def of(cls, facts: Sequence[FileFacts]) -> "_Principals":
        return cls([p for fact in facts for p in fact.principals],
                   Reexports({fact.module_name: fact.imports for fact in facts if fact.language == "python"}))

    def find(self, name: str) -> Principal | None:
        return self._lookup(name) or self._through_alias(name) or self._through_reexport(name)

    def _through_reexport(self, name: str) -> Principal | None:
        """`from app.flask_app import login_optionally_required`, which `flask_app` imports from
        `app.auth_decorator` (endpoints.reexports): the function where it is defined."""
        return next((found for origin in self.reexports.origins(name) if (found := self._lookup(origin))), None)

    def _through_alias(self, name: str, depth: int = 0) -> Principal | None:
        """`ENFORCER.enforce_call` where the module says `ENFORCER = RBACEnforcer` (or builds
        `ENFORCER = Enforcer(...)`): the method of the class the name stands for. Names standing
        for each other (`abort = base.abort` in two modules) are followed a few steps only."""
        owner, _, attr = name.rpartition(".")
        if not owner or depth > _MAX_DELEGATION:
            return None
        alias = self.by_key.get(owner) or self._lookup(owner)
        if alias is None or not alias.alias:
            return None
        for target in alias.delegates:
            if target.endswith(".__call__") or target == owner:
                continue
            found = self._lookup(f"{target}.{attr}") or self._through_alias(f"{target}.{attr}", depth + 1)
            if found is not None:
                return found
        return None

    def _lookup(self, name: str) -> Principal | None:
        """`find` without following aliases: by key, by its last two parts, or re-exported."""
        if name in self.by_key:
            return self.by_key[name]
        matches = [k for k in self.by_tail.get(".".join(name.split(".")[-2:]), ()) if _same(k, name)]
        if len(matches) == 1:
            return self.by_key[matches[0]]
        return self._reexported(name) if not matches else None

    def _reexported(self, name: str) -> Principal | None:
        """`from pkg.deps import check` where `pkg/deps/__init__.py` re-exports it from
        `pkg/deps/tokens.py`: the one function of that name inside the package."""
        package, _, last = name.rpartition(".")
        parts = package.split(".")
        for start in range(len(parts)):
            inside = ".".join(parts[start:]) + "."
            found = [k for k in self.by_last.get(last, ()) if k.startswith(inside) or f".{inside}" in k]
            if found:
                return self.by_key[found[0]] if len(found) == 1 else None
        return None

    def library_name(self, name: str) -> str:
        """Where a decorator the project does not define comes from: `allows.requires` with
        `allows = Allows(...)` (flask_allows.Allows) is "flask_allows.Allows.requires"; a name
        the project defines is ""."""
        if self.find(name) is not None:
            return ""
        owner, _, attr = name.rpartition(".")
        built = self.find(owner) if owner else None
        if built is None:
            return name
        classes = [d[:-len(".__call__")] for d in built.delegates if d.endswith(".__call__")]
        if len(classes) == 1 and self.find(built.delegates[0]) is None:
            return f"{classes[0]}.{attr}"
        return ""

    def denies(self, name: str) -> bool:
        """Its body answers 401/403 or names a "forbidden" exception or status somewhere."""
        found = self.find(name)
        return found is not None and found.denies

    def cannot_refuse(self, name: str) -> bool:
        """`name` is defined in the project and neither it nor a project function it calls guards or
        answers 401/403 (raises a "forbidden"-like error): a filter of a listing refuses nobody, and a
        `ValueError` for a malformed pattern is no refusal of the caller."""
        found = self.find(name)
        if found is None or found.denies or found.verdict == GUARD:
            return False
        return not any((inner := self.find(d)) is not None and (inner.denies or inner.verdict == GUARD)
                       for d in found.delegates if d != found.key)

    def origin_only(self, name: str) -> bool:
        """It refuses by where the request comes from (a CORS/Origin check), not by who sends it."""
        found = self.find(name)
        return found is not None and found.origin_only

    def unresolved_delegates(self, name: str) -> tuple[str, ...]:
        """What it hands the decision to that the review cannot see (library functions)."""
        found = self.find(name)
        return tuple(d for d in found.delegates if self.find(d) is None) if found is not None else ()

    def verdict(self, name: str) -> str:
        found = self.find(name)
        return found.verdict if found else ""

    def visibly_open(self, name: str, depth: int = 0) -> bool:
        """`name` is defined in the project and nothing it runs can turn a caller away: no
        raise, abort or 401/403 in its body, and everything it calls is the same or builds an
        object (`SessionLocal()`). A library call the review cannot see keeps it undecided."""
        found = self.find(name)
        if found is None or found.verdict == GUARD or found.may_refuse or depth > _MAX_DELEGATION:
            return False
        return all(self.visibly_open(d, depth + 1) or (self.find(d) is None and d.rsplit(".", 1)[-1][:1].isupper())
                   for d in found.delegates if d != found.key)

    def url_object_check(self, name: str, decorator: bool = True, depth: int = 0) -> str:
        """Evidence that decorator `name` checks the caller against the object its URL names
        (endpoints.principals `url_object_check`) and keeps the view from running otherwise,
        itself or through the gate that builds it (`@permission_gate def domain_admin(...)`), or
        under another name (an alias: `artistBelongsToUser = profileBelongsToUser`)."""
        found = self.find(name)
        if found is not None and found.alias and depth < _MAX_DELEGATION:
            return next((evidence for target in found.delegates if target != found.key
                         and (evidence := self.url_object_check(target, decorator, depth + 1))), "")
        if found is None or not found.url_object_check:
            return ""
        if found.gates_view or self.guard(name):
            shown = f"@{name.rsplit('.', 1)[-1]}" if decorator else f"`{name.rsplit('.', 1)[-1]}`"
            return f"{shown} checks the caller against the object the URL names before the view runs"
        return ""

    def role_guard(self, name: str) -> bool:
        """`name` keeps the view from running unless the caller holds a back-office role
        (endpoints.principals `role_check`), itself or through the gate that builds it."""
        found = self.find(name)
        return found is not None and found.role_check and (found.gates_view or bool(self.guard(name)))

    def library_refusal(self, name: str) -> str:
        """`ENFORCER.authorize(...)` with `ENFORCER = policy.Enforcer(CONF)`: a library call the
        models list as raising unless the caller passes its check (taint.models `refusing_calls`)."""
        library = self.library_name(name)
        if not library or library not in load_models().refusing_calls:
            return ""
        shown = ".".join(name.rsplit(".", 2)[-2:])
        return f"`{shown}` ({library}) raises unless the caller passes the check"

    def dependency_guard(self, name: str) -> str:
        """Evidence that the project dependency `name` hands the caller to a library function the
        models list as an authenticating dependency that gets the current user (`return await
        get_current_user(request)`): as a dependency, that getter resolves the signed-in caller or
        refuses the request. A credential check (`authenticate(email, password)`) returns None and
        refuses nobody, so only current-user getters count."""
        found = self.find(name)
        for delegate in found.delegates if found is not None else ():
            library = self.library_name(delegate)
            last = library.rsplit(".", 1)[-1]
            if library and last in load_models().auth_dependencies and "current" in last.lower():
                return f"`{name.rsplit('.', 1)[-1]}` relies on `{last}` ({library.rsplit('.', 1)[0]}), " \
                       "which resolves the signed-in caller"
        return ""

    def body_guard(self, name: str) -> str:
        found = self.find(name)
        return f"the handler refuses the caller itself: {found.evidence}" if found and found.verdict == GUARD \
            and found.evidence else ""

    def guard(self, name: str, depth: int = 0, seen: frozenset[str] = frozenset()) -> str:
        """Evidence that `name` refuses unauthenticated callers, itself or through what it delegates to."""
        found = self.find(name)
        if found is None and depth <= _MAX_DELEGATION:
            return self.library_refusal(name)
        if found is None or found.key in seen or depth > _MAX_DELEGATION:
            return ""
        if found.key in self.memo:
            return self.memo[found.key]
        evidence = found.evidence if found.verdict == GUARD else ""
        for delegate in found.delegates if not evidence else ():
            inner = self.guard(delegate, depth + (0 if found.alias else 1), seen | {found.key})
            if inner:
                evidence = f"`{found.key.rsplit('.', 1)[-1]}` relies on: {inner}"
                break
        for applied in found.applies if not evidence else ():
            # `@wraps(view) @login_required def inner(...)`: the decorator wraps the view in
            # another one, the project's (decided by its body, any levels down) or a library's
            inner = self.guard(applied, depth + 1, seen | {found.key}) if self.find(applied) is not None \
                else _known_authenticating(applied)
            if inner:
                evidence = f"`{found.key.rsplit('.', 1)[-1]}` wraps the view in `@{applied.rsplit('.', 1)[-1]}`: {inner}"
                break
        for decorator in found.decorated_by if not evidence else ():
            # `@permission_gate def global_admin(...)`: `@global_admin` on a view applies the
            # wrapper the gate built around the predicate; the gate's body decides
            inner = self.guard(decorator, depth + 1, seen | {found.key})
            if not inner and found.asks_caller and self.denies(decorator):
                # a predicate about the caller, turned into a decorator by a gate that answers 401/403
                inner = f"`{decorator.rsplit('.', 1)[-1]}` refuses the request (401/403) when the predicate says no"
            if inner:
                evidence = f"`{found.key.rsplit('.', 1)[-1]}` is built by `@{decorator.rsplit('.', 1)[-1]}`: {inner}"
                break
        if depth == 0 or evidence:
            self.memo[found.key] = evidence
        return evidence


def _known_authenticating(name: str) -> str:
    """A library decorator the models list as authenticating (`flask_login.login_required`,
    `starlette.authentication.requires`): evidence that it refuses an anonymous caller."""
    models = load_models()
    if name in models.authenticating_decorators or name.rsplit(".", 1)[-1] in models.auth_decorators:
        return f"`{name}` refuses a caller who is not authenticated"
    return ""


def operations_needed(facts: Sequence[FileFacts]) -> bool:
    return any(route.framework == "connexion" for fact in facts for route in fact.routes)
