"""Which functions of a Python module are request handlers, for which routes, with what auth.

Flask and FastAPI routes come from decorators (`@app.route`, `@router.post`); Django
views from their shape (a function whose first parameter is `request`, methods of
View/APIView/ViewSet classes); Connexion handlers from `operationId`s found in the
project's OpenAPI documents. What the taint engine needs (HandlerInfo: which parameters
carry client data) and what the overview needs (RouteFact) come out of one pass.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Mapping

from servicelens import ir
from servicelens.endpoints.aiohttp_apps import subapps
from servicelens.endpoints.applied import with_applied_decorators
from servicelens.endpoints.bound_names import bound_names
from servicelens.endpoints.dependencies import dependency_names
from servicelens.endpoints.injected_objects import injected_calls
from servicelens.frameworks.prefix_expressions import constant_path, constant_prefix
from servicelens.frameworks.switched_refusals import python_check_switched
from servicelens.endpoints.method_maps import class_maps, mapped_route
from servicelens.endpoints.view_bases import serializing_base_names, view_base_names
from servicelens.endpoints.recorded_routes import constructor_prefix, recorded_route
from servicelens.endpoints.pyramid_views import cornice_services, pyramid_view, resource_view, service_view
from servicelens.endpoints.candidates import (aiohttp_function_route, falcon_responder, fastapi_bound_route,
                                              flask_function_candidate,
                                              registered_function_route, request_param, resource_route,
                                              serializes_return, starlette_function_route,
                                              class_decorators)
from servicelens.endpoints.falcon_apps import UNREAD as FALCON_UNREAD, hook_refs as falcon_hook_refs
from servicelens.endpoints.falcon_apps import is_hook_decorator as is_falcon_hook_decorator
from servicelens.endpoints.drf import INHERITED, action, allowed_methods, function_view_methods, inherited_handlers
from servicelens.endpoints.drf_permissions import chosen_permissions
from servicelens.frameworks.project_types import ProjectTypes, project_types
from servicelens.frameworks.validated_types import KnownTypes, constrains, module_validated_names, validated_scalar
from servicelens.frameworks.router_dependencies import visible_router_dependencies
from servicelens.endpoints.generic_views import GenericView
from servicelens.endpoints.generic_views import candidates as generic_candidates
from servicelens.endpoints.principals import (body_guard, declared_refs, include_dependency_refs, qualified_receiver, qualify,
                                              route_refs, router_dependency_refs)
from servicelens.endpoints.registrations import FLASK_FAMILY, Registration, namespace_mounts, registrations
from servicelens.endpoints.route import RouteFact
from servicelens.endpoints.sign_ins import PRESENTED_HEADERS, signs_in
from servicelens.taint.models import ModelIndex
from servicelens.frameworks.url_segments import segment_variables
from servicelens.taint.scope import HandlerInfo

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
SANIC_UNDECIDED = "Sanic apps often authenticate in request middleware; not judged"
_DJANGO_VIEW_BASES = ("View", "APIView", "GenericAPIView", "ViewSet", "ModelViewSet", "GenericViewSet",
                      "ReadOnlyModelViewSet", "TemplateView", "FormView", "CreateView", "UpdateView",
                      "DeleteView", "DetailView", "ListView", "RedirectView", "ListAPIView",
                      "CreateAPIView", "RetrieveAPIView", "UpdateAPIView", "DestroyAPIView",
                      "ListCreateAPIView", "RetrieveUpdateAPIView", "RetrieveDestroyAPIView",
                      "RetrieveUpdateDestroyAPIView", "MethodView")
# the evidence of a handler that verifies the credentials it was sent: a sign-in when its name
# or path says so (endpoints.inventory.mark_public), an authenticated endpoint otherwise
CHECKS_CREDENTIALS_ITSELF = "the handler checks credentials itself"
# the evidence of a handler that checks the password it is sent and issues a session or token
# (endpoints.sign_ins), whatever its name or path says: the same as a sign-in's by name (inventory.mark_public)
SIGNS_IN = "public by design (sign-in)"
# a handler whose own credential check runs only while a setting is on (frameworks/switched_refusals.py)
SWITCHED_CHECK = "the handler checks credentials only while a setting turns the check on: required only when configured"
# a Django Ninja operation declared with `auth=None`: open whatever its router or API requires
OPENED_BY_OPERATION = "auth=None"
DRF_DEFAULT = "no permission_classes: REST framework's DEFAULT_PERMISSION_CLASSES applies"
# the evidence of a route "required" by the name of a dependency it declares (`_auth_dependency_in`)
DEPENDS_ON = "depends on "
# frameworks whose handlers are handed the objects their dependencies return (`auth=Depends(get_auth)`)
_INJECTING_FRAMEWORKS = frozenset({"fastapi", "litestar"})
_DRF_BASES = frozenset({"APIView", "GenericAPIView", "ViewSet", "ModelViewSet", "GenericViewSet", "ReadOnlyModelViewSet",
                        "ListAPIView", "CreateAPIView", "RetrieveAPIView", "UpdateAPIView", "DestroyAPIView",
                        "ListCreateAPIView", "RetrieveUpdateAPIView", "RetrieveDestroyAPIView",
                        "RetrieveUpdateDestroyAPIView"})
_VIEWSET_ACTIONS = {"list": "GET", "retrieve": "GET", "create": "POST", "update": "PUT",
                    "partial_update": "PATCH", "destroy": "DELETE"}


@dataclass(frozen=True, slots=True)
class RouterInclude:
    """`parent.include_router(child, dependencies=[...])`: routes of child are served by parent."""

    parent: str
    child: str
    authenticated: bool  # the include adds an auth dependency
    line: int
    # what the include puts before the child's paths: the parent router's own
    # `APIRouter(prefix=...)` (when declared in this module) and the include's `prefix=`
    prefix: str = ""
    # project-wide names of the include's `dependencies=` (and the parent router's own), decided
    # by their bodies project-wide (endpoints.inventory)
    dependencies: tuple[str, ...] = ()
    # the paths the include's authenticating hook lets through unchecked (JS/TS global hooks:
    # frameworks/hook_path_exemptions.py), compared with each route's full path where it is mounted
    exempt: tuple = ()


def find_handlers(module: ir.Module, models: ModelIndex, imports: dict[str, str],
                  operation_ids: frozenset[str], registered: tuple[Registration, ...] | None = None
                  ) -> tuple[dict[str, HandlerInfo], list[RouteFact]]:
    frameworks = _frameworks_of(imports)
    classes = {c.qualname: c for c in module.classes}
    handlers: dict[str, HandlerInfo] = {}
    routes: list[RouteFact] = []
    scoped: dict[str | None, tuple[dict[str, str], dict[str, tuple[str, ...]], dict[str, str]]] = {}

    def receivers(function: ir.Function) -> tuple[dict[str, str], dict[str, tuple[str, ...]], dict[str, str]]:
        """The guarded routers, router dependencies and router prefixes a route decorator of
        `function` can name: the module's, and those its enclosing factory functions build
        (`def create_router(): router = APIRouter(dependencies=deps)`), once per enclosing scope."""
        if function.parent not in scoped:
            enclosing = by_qualname.get(function.parent) if function.parent else None
            scoped[function.parent] = (_guarded_receivers(module, models, enclosing),
                                       router_dependency_refs(module, imports, enclosing),
                                       _router_prefixes(module, enclosing))
        return scoped[function.parent]

    types = project_types(operation_ids)
    known = _known_types(module, imports, types)
    registered = registrations(module, imports) if registered is None else registered
    functions = with_applied_decorators(module)
    by_qualname = {f.qualname: f for f in functions}
    ninja_owners = _ninja_owners(module) if "ninja" in frameworks else {}
    flask_apps = _flask_apps(module) if "flask" in frameworks else {}
    litestar_controllers = _litestar_controllers(module) if "litestar" in frameworks else {}
    maps = class_maps(module) if "flask" in frameworks else {}  # class views routed by a literal method map
    services = cornice_services(module) if "pyramid" in frameworks else {}
    bound = bound_names(operation_ids)
    view_bases = view_base_names(operation_ids)
    serializing = serializing_base_names(operation_ids)
    for function in functions:
        guarded, router_refs, prefixes = receivers(function)
        found = _decorated_route(function, imports, frameworks, models, prefixes, module.module_name, ninja_owners,
                                 litestar_controllers)
        if found is not None and found.auth == "none":
            receiver = _route_receiver(function)
            # `replace`, not a new RouteFact: the route keeps its router (prefixes, router-level deps)
            if receiver in guarded:
                found = replace(found, auth="required", auth_evidence=guarded[receiver])
            elif found.framework == "fastapi" and function.class_name in classes \
                    and (class_auth := class_auth_dependency(classes[function.class_name], models)):
                found = replace(found, auth="required", auth_evidence=class_auth)
            elif _handler_checks_credentials(function, by_qualname):
                # checking the password it is sent and issuing a session is signing in, not a check of the caller
                found = replace(found, auth="public", auth_evidence=SIGNS_IN) if signs_in(function, by_qualname) \
                    else replace(found, auth="unknown", auth_evidence=SWITCHED_CHECK) \
                    if python_check_switched(function) else \
                    replace(found, auth="required", auth_evidence=CHECKS_CREDENTIALS_ITSELF)
        if found is None and function.class_name and frameworks & {"flask", "aiohttp", "starlette"}:
            found = resource_route(function, classes.get(function.class_name), frameworks,
                                   lambda name: _auth_decorator_name(name, models), classes, view_bases)
        if found is None and function.class_name in classes and "flask" in frameworks:
            cls = classes[function.class_name]
            found = recorded_route(function, cls, lambda: constructor_prefix(cls, module.functions), frameworks,
                                   lambda: _auth_from_decorators(function, models, imports),
                                   lambda decorator: _route_methods("route", decorator))
        if found is None and registered:
            found = registered_function_route(function, module.module_name, registered)
        if found is None:
            found = aiohttp_function_route(function, frameworks, bound) or \
                starlette_function_route(function, frameworks, bound) or fastapi_bound_route(function, frameworks, bound)
        if found is None and "django" in frameworks:
            found = _django_view(function, classes, imports, by_qualname, bound)
        if found is None and "graphql" in frameworks:
            found = _graphql_resolver(function)
        if found is None and "tornado" in frameworks and function.class_name:
            found = _tornado_handler(function, classes, models, imports)
        if found is None and "pyramid" in frameworks:
            decorators_auth = lambda: _auth_from_decorators(function, models, imports)  # noqa: E731
            found = pyramid_view(function, classes.get(function.class_name or ""), decorators_auth) or \
                (service_view(function, services, decorators_auth) if services else None) or \
                resource_view(function, classes.get(function.class_name or ""), decorators_auth)
        if found is None and "falcon" in frameworks and function.class_name:
            found = falcon_responder(function, lambda: _auth_from_decorators(function, models, imports))
        if found is None and f"{module.module_name}.{function.qualname}" in operation_ids:
            found = RouteFact(function.qualname, "connexion", ("*",), "", function.line, "unknown",
                              "bound by operationId")
        if found is None:
            found = (mapped_route(function, maps) if maps else None) or flask_function_candidate(function, frameworks, bound)
            if found is not None and function.decorators:  # `@login_required` on a view registered elsewhere
                auth, evidence = _auth_from_decorators(function, models, imports)
                found = replace(found, auth=auth, auth_evidence=evidence)
                found = replace(found, auth_ref=_auth_ref(found, module, imports))
            if found is not None:  # listed once bound; its parameters are not known to carry client data
                routes.append(replace(found, principal_refs=route_refs(function, module, imports),
                                      declared_refs=declared_refs(function, module, imports),
                                      signs_in=signs_in(function, by_qualname)))
                continue
        if found is None:
            continue
        refs = route_refs(function, module, imports, classes.get(function.class_name or ""))
        on_router = router_refs.get(_route_receiver(function), ())
        declared = declared_refs(function, module, imports, classes.get(function.class_name or ""))
        found = replace(found, principal_refs=refs + on_router, router_refs=on_router,
                        declared_refs=tuple(dict.fromkeys(declared + on_router)),
                        auth_ref=_auth_ref(found, module, imports, on_router, models),
                        signs_in=found.auth_evidence == SIGNS_IN or signs_in(function, by_qualname))
        if found.framework in _INJECTING_FRAMEWORKS:
            found = replace(found, injected_calls=injected_calls(function, module, imports))
        if found.framework == "falcon":
            found = _with_falcon_hooks(found, function, classes.get(function.class_name or ""), module, imports)
        routes.append(found)
        positional = _positional_request(function, found.framework, bound)
        handlers[function.qualname] = HandlerInfo(
            framework=found.framework,
            source_params=_source_params(function, found.framework, models, imports, found.path, flask_apps,
                                         positional, types, module.module_name),
            typed_params=_typed_params(function, found.framework, known, found.path),
            segment_params=_segment_params(function, found.framework, found.path),
            returns_html=found.framework == "flask" and not serializes_return(classes.get(function.class_name or ""),
                                                                               serializing),
            methods=found.methods, path=found.path, auth=found.auth, request_param=positional,
            caller_params=types.caller_params(function, imports, module.module_name)
            if found.framework == "fastapi" else frozenset(),
        )
    if "django" in frameworks:
        routes.extend(_inherited_routes(module))
        routes = [_with_class_decorators(route, classes[owner], module, imports)
                  if route.framework == "django" and (owner := route.qualname.rpartition(".")[0]) in classes
                  and classes[owner].decorators else route for route in routes]
    return handlers, routes


def _with_class_decorators(route: RouteFact, cls: ir.ClassDef, module: ir.Module, imports: dict[str, str]) -> RouteFact:
    """`@manager_required class SemesterEdit(UpdateView)`, `@method_decorator(check, name="dispatch")`:
    a decorator on a Django view class wraps what runs for each of its requests, so it is decided
    by its body (endpoints.inventory) like a decorator on the method."""
    found: list[str] = []
    for decorator in cls.decorators:
        target = decorator.func if isinstance(decorator, ir.Call) else decorator
        found.append(qualify(ir.dotted_name(target) or "", module, imports))
        if isinstance(decorator, ir.Call) and decorator.args:  # `method_decorator(check, ...)`
            found.append(qualify(ir.dotted_name(decorator.args[0]) or "", module, imports))
    named = tuple(name for name in found if name)
    if not named:
        return route
    return replace(route, principal_refs=tuple(dict.fromkeys(route.principal_refs + named)),
                   declared_refs=tuple(dict.fromkeys(route.declared_refs + named)))


def _with_falcon_hooks(route: RouteFact, function: ir.Function, cls: ir.ClassDef | None, module: ir.Module,
                       imports: dict[str, str]) -> RouteFact:
    """A Falcon responder's `@falcon.before` hooks (its own and its class's) run before it: each
    is decided by its body like a decorator (endpoints.inventory); one the review cannot name
    leaves the route undecided. `falcon.before` itself decides nothing."""
    hooks = falcon_hook_refs(function, cls, module, imports)
    named = tuple(hook for hook in hooks if hook != FALCON_UNREAD)
    # what runs around the responder: its decorators and hooks (its parameters' types inject nothing)
    decorators = (qualify(ir.dotted_name(d.func if isinstance(d, ir.Call) else d) or "", module, imports)
                  for d in function.decorators)
    declared = tuple(name for name in decorators if name and not is_falcon_hook_decorator(name))
    route = replace(route, principal_refs=tuple(dict.fromkeys(
                        tuple(r for r in route.principal_refs if not is_falcon_hook_decorator(r)) + named)),
                    declared_refs=tuple(dict.fromkeys(declared + named)))
    if FALCON_UNREAD in hooks and route.auth != "required":
        return replace(route, auth="unknown", auth_evidence="a `@falcon.before` hook the review cannot name")
    return route


def _auth_ref(route: RouteFact, module: ir.Module, imports: dict[str, str], on_router: tuple[str, ...] = (),
              models: ModelIndex | None = None) -> str:
    """The decorator or router dependency whose name alone made the route "required"
    (`@admins_only`, `APIRouter(dependencies=[Depends(db_session)])`), so that its body,
    wherever it is defined, can confirm or refute it."""
    if route.auth != "required":
        return ""
    if route.auth_evidence.startswith("@"):
        return qualify(route.auth_evidence[1:], module, imports)
    if route.auth_evidence.endswith(_ROUTER_GUARD) and len(on_router) == 1:
        return on_router[0]
    if route.auth_evidence.startswith(DEPENDS_ON):
        # `auth=Depends(get_auth)`: a dependency named for auth may only hand the handler an object
        # (the auth service, the request's entity) and refuse nobody; its body decides. A current-user
        # getter is kept by its name: an open body there is often a stub the application replaces
        # (`app.dependency_overrides[get_current_user] = ...`) or fills from its middleware
        named = route.auth_evidence[len(DEPENDS_ON):].split(" (from ", 1)[0]
        last = named.rsplit(".", 1)[-1]
        if _says_current_user(last) or models is not None and last in models.auth_dependencies:
            return ""
        return qualify(named, module, imports)
    return ""


def _auth_decorator_name(name: str, models: ModelIndex) -> bool:
    """A decorator the framework models name, or whose own name says it authenticates."""
    return name in models.auth_decorators or _auth_name(name)


def _auth_name(name: str) -> bool:
    """A decorator name that suggests auth, when its body cannot be seen."""
    return "login_required" in name or "permission" in name or "auth" in name.lower() \
        or bool(_PRINCIPAL_DECORATOR.search(name))


def _frameworks_of(imports: dict[str, str]) -> set[str]:
    tops = {target.split(".")[0] for target in imports.values()}
    found = set()
    if tops & FLASK_FAMILY:
        found.add("flask")
    for name in ("flask", "fastapi", "django", "rest_framework", "starlette", "connexion"):
        if name in tops:
            found.add("django" if name == "rest_framework" else name)
    if tops & {"graphene", "graphene_django", "strawberry", "ariadne", "graphql"}:
        found.add("graphql")
    found.update(tops & {"aiohttp", "tornado", "ninja", "litestar", "sanic", "falcon", "pyramid"})
    if "cornice" in tops:  # Cornice declares Pyramid views
        found.add("pyramid")
    return found


def _tornado_handler(function: ir.Function, classes: dict[str, ir.ClassDef], models: ModelIndex,
                     imports: dict[str, str]) -> RouteFact | None:
    """`class OrderHandler(RequestHandler): def post(self, order_id)`: URL groups become parameters."""
    cls = classes.get(function.class_name or "")
    if cls is None or function.name not in HTTP_METHODS:
        return None
    bases = [(ir.dotted_name(b) or "").rsplit(".", 1)[-1] for b in cls.bases]
    if not any(b.endswith("Handler") for b in bases):
        return None
    auth, evidence = _auth_from_decorators(function, models, imports)
    if auth == "none" and not all(b == "RequestHandler" for b in bases):
        auth, evidence = "unknown", "base handler may authenticate in prepare()/get_current_user()"
    return RouteFact(function.qualname, "tornado", (function.name.upper(),), "", function.line, auth, evidence)


def _graphql_resolver(function: ir.Function) -> RouteFact | None:
    """Graphene/Ariadne/Strawberry resolvers: `resolve_x(self, info, **args)`, `mutate(root,
    info, ...)`, `@strawberry.field def x(self, info, arg)`: arguments after `info` are the
    client's GraphQL arguments."""
    names = [p.name for p in function.params]
    if "info" not in names[:2]:
        return None
    is_mutation = function.name in ("mutate", "mutate_and_get_payload", "perform_mutation")
    if not (function.name.startswith("resolve_") or is_mutation or _has_field_decorator(function)):
        return None
    field = function.class_name if is_mutation and function.class_name else function.name.removeprefix("resolve_")
    auth, evidence = "unknown", "resolver; auth depends on the schema's permission setup"
    for decorator in function.decorators:
        name = (ir.dotted_name(decorator.func if isinstance(decorator, ir.Call) else decorator) or "").rsplit(".", 1)[-1]
        if "login_required" in name or "permission" in name or "staff" in name or "superuser" in name:
            auth, evidence = "required", f"@{name}"
    return RouteFact(function.qualname, "graphql", ("MUTATION" if is_mutation else "QUERY",), field,
                     function.line, auth, evidence)


def _has_field_decorator(function: ir.Function) -> bool:
    for decorator in function.decorators:
        name = ir.dotted_name(decorator.func if isinstance(decorator, ir.Call) else decorator) or ""
        if name.endswith((".field", ".mutation")) or name in ("field", "mutation"):
            return True
    return False


def _flask_apps(module: ir.Module) -> dict[str, str]:
    """Flask apps and blueprints made in this module, at its top or inside a factory
    (`view = Blueprint("main", __name__)` in `make_blueprint`): name -> its literal `url_prefix`
    ("" when none). One whose prefix is not a literal is left out."""
    found: dict[str, str] = {}
    bodies = [module.body, *(f.body for f in module.functions)]
    for body in bodies:
        for stmt in body:
            if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Call):
                continue
            if (ir.dotted_name(stmt.value.func) or "").rsplit(".", 1)[-1] not in ("Blueprint", "Flask"):
                continue
            prefix = stmt.value.kwarg("url_prefix")
            if prefix is not None and not (isinstance(prefix, ir.Const) and isinstance(prefix.value, str)):
                continue
            found.update((t.id, prefix.value if prefix is not None else "") for t in stmt.targets
                         if isinstance(t, ir.Name))
    return found


def _router_prefixes(module: ir.Module, function: ir.Function | None = None) -> dict[str, str]:
    """`bp = Blueprint(..., url_prefix="/accounts")`, `router = APIRouter(prefix="/v1")` (or a
    project subclass of APIRouter), in the module body or, seen from `function`, in the router
    factories enclosing it (an inner binding hides an outer one)."""
    prefixes: dict[str, str] = {}
    by_qualname = {f.qualname: f for f in module.functions} if function is not None else {}
    chain: list[ir.Function] = []
    while function is not None:
        chain.append(function)
        function = by_qualname.get(function.parent) if function.parent else None
    statements = list(module.body) + [s for f in reversed(chain) for s in ir.walk_stmts(f.body)]
    for stmt in statements:
        if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Call):
            continue
        callee = (ir.dotted_name(stmt.value.func) or "").rsplit(".", 1)[-1]
        # `UserAPIRouter(prefix=...)`: a project's APIRouter subclass takes the same keyword
        keyword = "url_prefix" if callee == "Blueprint" else "prefix" if callee.endswith("Router") else None
        value = stmt.value.kwarg(keyword) if keyword else None
        literal = constant_prefix(value) if callee.endswith("Router") else \
            value.value if isinstance(value, ir.Const) and isinstance(value.value, str) else None
        if literal is not None:
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    prefixes[target.id] = literal.rstrip("/")
    return prefixes


def _router_name(receiver: ir.Expr, imports: dict[str, str], module_name: str) -> str:
    """`router` -> "pkg.views.router"; an imported router keeps its import target."""
    dotted = ir.dotted_name(receiver) or ""
    head = dotted.split(".", 1)[0]
    if head in imports:
        return imports[head] + dotted[len(head):]
    return f"{module_name}.{dotted}" if dotted else ""


def router_includes(module: ir.Module, imports: dict[str, str], models: ModelIndex) -> tuple[RouterInclude, ...]:
    """Every `X.include_router(Y, ...)` in the module body or in a set-up function (`def
    configure_routes(app): app.include_router(api, prefix="/api")`), with whether it adds auth."""
    found = []
    for scope, statements in ir.body_statements(module):
        calls = [stmt.value for stmt in statements
                 if isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call)
                 and isinstance(stmt.value.func, ir.Attr) and stmt.value.func.attr == "include_router" and stmt.value.args]
        if not calls:
            continue
        # each scope on its own: a factory's local `router` is the one it built, not another's
        guarded = _guarded_receivers(module, models, scope)  # `app = FastAPI(dependencies=[Depends(get_admin)])`
        prefixes = _router_prefixes(module, scope)
        for call in calls:
            deps = call.kwarg("dependencies")
            names = [ir.dotted_name(n) or "" for n in ir.walk_expr(deps)] if deps is not None else []
            authed = any(any(w in n.lower() for w in _INCLUDE_AUTH_WORDS)
                         or n.rsplit(".", 1)[-1] in models.auth_dependencies for n in names)
            authed = authed or (isinstance(call.func.value, ir.Name) and call.func.value.id in guarded)
            parent = qualified_receiver(call.func.value, module, imports)
            child = qualified_receiver(call.args[0], module, imports)
            own = prefixes.get(call.func.value.id, "") if isinstance(call.func.value, ir.Name) else ""
            # `prefix=trim_slash(self.url_prefix) + "/admin"`: the literal part (frameworks.prefix_expressions)
            prefix = own + (constant_prefix(call.kwarg("prefix")) or "").rstrip("/")
            if parent and child:
                found.append(RouterInclude(parent, child, authed, call.line, prefix,
                                           include_dependency_refs(call, module, imports, scope)))
    # Flask `app.register_blueprint(api_bp, url_prefix="/api")`: the blueprint's routes below the prefix
    # (Flask uses the registration's prefix instead of the blueprint's own; the blueprint's module
    # is not read here, so a blueprint given both keeps its own in front of the registration's)
    for stmt in _statements_anywhere(module):
        call = stmt.value if isinstance(stmt, ir.ExprStmt) else None
        if isinstance(call, ir.Call) and isinstance(call.func, ir.Attr) and call.func.attr == "register_blueprint" \
                and call.args and isinstance(added := call.kwarg("url_prefix"), ir.Const) \
                and isinstance(added.value, str) and added.value.strip("/"):
            parent = qualified_receiver(call.func.value, module, imports)
            child = qualified_receiver(call.args[0], module, imports)
            if parent and child:
                found.append(RouterInclude(parent, child, False, call.line, added.value.rstrip("/")))
    # aiohttp `app.add_subapp("/admin/", admin)`: the sub-application's routes below the prefix
    if any(target.partition(".")[0] == "aiohttp" for target in imports.values()):
        found.extend(RouterInclude(parent, child, False, line, prefix) for parent, child, prefix, line
                     in subapps(module, imports))
    # flask-restx `api.add_namespace(ns)`: the same edge, the Api's prefix in front of ns's routes
    found.extend(RouterInclude(parent, child, False, 0, prefix) for parent, child, prefix
                 in namespace_mounts(module, imports))
    found.extend(_ninja_router_mounts(module, imports))
    return tuple(found)


def _ninja_router_mounts(module: ir.Module, imports: dict[str, str]) -> list[RouterInclude]:
    """Django Ninja `api.add_router("/core/", "pkg.api.core.router")` (or the router object), here
    or in a set-up function handed the API: the router's operations answer under the API, and
    inherit its `auth=` when every API the module builds has one (`NinjaAPI(auth=[TokenAuth()])`,
    a subclass of it too), unless an operation says `auth=None`."""
    if not any(target.partition(".")[0] == "ninja" for target in imports.values()):
        return []
    built = [stmt.value.kwarg("auth") for stmt in module.body if isinstance(stmt, ir.Assign)
             and isinstance(stmt.value, ir.Call) and "API" in (ir.last_name(stmt.value.func) or "")]
    authed = bool(built) and all(auth is not None and not (isinstance(auth, ir.Const) and auth.value is None)
                                 for auth in built)
    found = []
    for stmt in _statements_anywhere(module):
        call = stmt.value if isinstance(stmt, ir.ExprStmt) else None
        if not (isinstance(call, ir.Call) and isinstance(call.func, ir.Attr) and call.func.attr == "add_router"
                and len(call.args) >= 2):
            continue
        target = call.args[1]
        child = target.value if isinstance(target, ir.Const) and isinstance(target.value, str) \
            else qualified_receiver(target, module, imports)
        parent = qualified_receiver(call.func.value, module, imports)
        if parent and child:
            found.append(RouterInclude(parent, child, authed, call.line))
    return found


def _statements_anywhere(module: ir.Module) -> list[ir.Stmt]:
    """Module-level statements and those of every function, each once."""
    seen: dict[int, ir.Stmt] = {}
    for _, statements in ir.body_statements(module):
        for stmt in statements:
            seen.setdefault(id(stmt), stmt)
    return list(seen.values())



def _route_receiver(function: ir.Function) -> str:
    for decorator in function.decorators:
        if isinstance(decorator, ir.Call) and isinstance(decorator.func, ir.Attr) \
                and isinstance(decorator.func.value, ir.Name):
            return decorator.func.value.id
    return ""


# project decorators named for who may call: `@admins_only`, `@require_admin`, `@staff_required`
_PRINCIPAL_DECORATOR = re.compile(r"(?i)^(admins?|staff|superusers?|users?|members?|owners?|teams?|authed|registered|logged_in|"
                                  r"signed_in)_(only|required)$|^requires?_(admin|staff|superuser|login|user|role|"
                                  r"roles|scope|scopes|team|owner)s?$|^(admin|staff|role|roles|scope|scopes)_required$|"
                                  # `@ledger_session_required`, `@token_required`, `@bearer_key_required`
                                  r"^(\w+_)?(session|token|jwt|bearer|login|signin|credentials|api_?key)_required$")
# narrower than _AUTH_WORDS: `include_router(r, dependencies=[Depends(get_db_session)])` adds no auth
_INCLUDE_AUTH_WORDS = ("auth", "current_user", "permission", "jwt", "token", "admin", "superuser", "staff")
_AUTH_WORDS = ("auth", "login", "token", "current_user", "jwt", "verify", "session", "api_key", "apikey", "permission",
               "admin", "superuser", "staff")


_ROUTER_GUARD = "(dependencies=...) requires auth"


def _guarded_receivers(module: ir.Module, models: ModelIndex, function: ir.Function | None = None) -> dict[str, str]:
    """App/blueprint/router objects whose every route is authenticated by a hook:
    Flask `@bp.before_request` functions that check credentials, FastAPI
    `APIRouter(dependencies=[Depends(auth)])` / `FastAPI(dependencies=[...])`, built in the
    module body or in `function` (an app or router factory) and the functions enclosing it."""
    guarded: dict[str, str] = {}
    for function in module.functions:
        for decorator in function.decorators:
            target = decorator.func if isinstance(decorator, ir.Call) else decorator
            if isinstance(target, ir.Attr) and target.attr == "before_request" and isinstance(target.value, ir.Name) \
                    and _checks_credentials(function):
                guarded[target.value.id] = f"before_request hook `{function.name}`"
    for name, deps in visible_router_dependencies(module, function).items():
        names = [ir.dotted_name(n) or "" for e in deps for n in ir.walk_expr(e)]
        if any(any(w in n.lower() for w in _AUTH_WORDS) or n.rsplit(".", 1)[-1] in models.auth_dependencies for n in names):
            guarded[name] = f"{_builder(module, function, name)}{_ROUTER_GUARD}"
    return guarded


def _builder(module: ir.Module, function: ir.Function | None, name: str) -> str:
    """"APIRouter" or "FastAPI": what built the router `name` seen from `function`'s scope."""
    scopes = [module.body] + ([function.body] if function is not None else [])
    for body in reversed(scopes):
        for stmt in ir.walk_stmts(body):
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) \
                    and any(isinstance(t, ir.Name) and t.id == name for t in stmt.targets):
                return (ir.dotted_name(stmt.value.func) or "APIRouter").rsplit(".", 1)[-1]
    return "APIRouter"


def _checks_credentials(function: ir.Function) -> bool:
    """The hook's own body refuses a caller it cannot identify (a hook that only reads
    `current_user` for a maintenance page or renews the session does not); a hook that
    hands the check to another function is decided project-wide by endpoints.inventory."""
    return body_guard(function) is not None


_CREDENTIAL_CALL = ("verify", "authenticate", "auth", "jwt", "check_token", "validate_token", "decode_token",
                    "signature", "is_valid_request", "hmac")


def _handler_checks_credentials(function: ir.Function, local: dict[str, ir.Function] | None = None,
                                depth: int = 0) -> bool:
    """The body itself checks the caller: reads the Authorization/API-key header or calls a
    verify/authenticate/signature helper, directly or through a helper of the same module two
    calls deep (stricter than a before_request hook's test: `db.session` and token-issuing code
    must not count)."""
    local = local or {}
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call):
                    name = (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1].lower()
                    if any(word in name for word in _CREDENTIAL_CALL) and "encode" not in name:
                        return True
                    callee = local.get(ir.dotted_name(node.func) or "")
                    if callee is not None and callee is not function and depth < 2 \
                            and _handler_checks_credentials(callee, local, depth + 1):
                        return True
                elif isinstance(node, ir.Const) and isinstance(node.value, str) \
                        and node.value.lower() in PRESENTED_HEADERS:
                    return True
                elif isinstance(node, ir.Attr) and node.attr == "is_authenticated":
                    return True
    return False


def _ninja_auth(decorator: ir.Call, receiver: ir.Expr, owners: Mapping[str, ir.Expr | None]) -> tuple[str, str]:
    """A Django Ninja operation's own `auth=` decides; without one, its Router's or NinjaAPI's
    (`Router(auth=JWTAuth())` in this module); `auth=None`, or an owner built here without auth,
    leaves it open; an owner built elsewhere is not judged."""
    own = decorator.kwarg("auth")
    if own is not None:
        opened = isinstance(own, ir.Const) and own.value is None
        return ("none", OPENED_BY_OPERATION) if opened else ("required", f"auth={ir.dotted_name(own) or 'callable'}")
    name = receiver.id if isinstance(receiver, ir.Name) else ""
    if name not in owners:
        return "unknown", "the router's or API's auth is set where the review cannot see it"
    inherited = owners[name]
    if inherited is None or (isinstance(inherited, ir.Const) and inherited.value is None):
        return "none", ""
    return "required", f"{name} built with auth"


_LITESTAR_VERBS = {"get": ("GET",), "post": ("POST",), "put": ("PUT",), "patch": ("PATCH",), "delete": ("DELETE",)}


def _litestar_route(function: ir.Function, decorator: ir.Call, imports: dict[str, str],
                    controllers: Mapping[str, tuple[str, bool]]) -> RouteFact | None:
    """`@get("/orders/{order_id:int}")` imported from litestar (alone, or on a Controller method
    under the class's `path`): guards on the handler or its Controller authenticate it; otherwise
    the app's middleware may, which the review does not judge."""
    name = ir.dotted_name(decorator.func) or ""
    target = imports.get(name.split(".", 1)[0], "") + ("." + name.split(".", 1)[1] if "." in name else "")
    verb = target.rsplit(".", 1)[-1]
    if not target.startswith("litestar") or (verb not in _LITESTAR_VERBS and verb != "route"):
        return None
    path_arg = decorator.arg(0, "path")
    paths = path_arg.elts if isinstance(path_arg, ir.Seq) else (path_arg,) if path_arg is not None else ()
    path = next((p.value for p in paths if isinstance(p, ir.Const) and isinstance(p.value, str)), "/")
    if verb == "route":
        listed = decorator.kwarg("http_method")
        values = listed.elts if isinstance(listed, ir.Seq) else (listed,) if listed is not None else ()
        methods = tuple(str(ir.last_name(v) if not isinstance(v, ir.Const) else v.value).upper() for v in values) \
            or ("GET",)
    else:
        methods = _LITESTAR_VERBS[verb]
    prefix, guarded = controllers.get(function.class_name or "", ("", False))
    if decorator.kwarg("guards") is not None or guarded:
        auth, evidence = "required", "guards" if decorator.kwarg("guards") is not None else "Controller guards"
    else:
        auth, evidence = "unknown", "Litestar apps usually authenticate in a middleware; not judged"
    full = (prefix.rstrip("/") + "/" + path.lstrip("/")).rstrip("/") or "/"
    return RouteFact(function.qualname, "litestar", methods, full, function.line, auth, evidence)


def _litestar_controllers(module: ir.Module) -> dict[str, tuple[str, bool]]:
    """Controller classes of the module: their `path` and whether they declare `guards`."""
    found: dict[str, tuple[str, bool]] = {}
    for cls in module.classes:
        path, guarded = "", False
        for stmt in cls.body:
            if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name):
                if stmt.targets[0].id == "path" and isinstance(stmt.value, ir.Const) and isinstance(stmt.value.value, str):
                    path = stmt.value.value
                elif stmt.targets[0].id == "guards" and isinstance(stmt.value, ir.Seq) and stmt.value.elts:
                    guarded = True
        if path or guarded:
            found[cls.qualname] = (path, guarded)
    return found


def _ninja_owners(module: ir.Module) -> dict[str, ir.Expr | None]:
    """NinjaAPI/Router objects built at module level, with the `auth=` each was given (None if none)."""
    found: dict[str, ir.Expr | None] = {}
    for stmt in module.body:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) \
                and ir.last_name(stmt.value.func) in ("NinjaAPI", "Router"):
            found.update({t.id: stmt.value.kwarg("auth") for t in stmt.targets if isinstance(t, ir.Name)})
    return found


def _decorated_route(function: ir.Function, imports: dict[str, str], frameworks: set[str],
                     models: ModelIndex, prefixes: dict[str, str], module_name: str = "",
                     ninja_auth: Mapping[str, ir.Expr | None] | None = None,
                     litestar_paths: Mapping[str, tuple[str, bool]] | None = None) -> RouteFact | None:
    for decorator in function.decorators:
        if isinstance(decorator, ir.Call) and "litestar" in frameworks:
            found = _litestar_route(function, decorator, imports, litestar_paths or {})
            if found is not None:
                return found
        if not isinstance(decorator, ir.Call) or not isinstance(decorator.func, ir.Attr):
            continue
        method = decorator.func.attr
        framework = _framework_for(method, frameworks)
        if framework is None:
            continue
        path = constant_path(decorator.arg(0, "path") or decorator.arg(0, "rule"))  # f"{PREFIX}/api/items" too
        if path is None:
            continue
        methods = _route_methods(method, decorator)
        receiver = decorator.func.value
        prefix = prefixes.get(receiver.id, "") if isinstance(receiver, ir.Name) else ""
        auth, evidence = _auth_from_decorators(function, models, imports)
        if framework == "aiohttp" and auth == "none":
            auth, evidence = "unknown", "aiohttp apps usually authenticate in a middleware; not judged"
        if framework == "sanic" and auth == "none":
            auth, evidence = "unknown", SANIC_UNDECIDED
        if framework == "ninja" and auth == "none":
            auth, evidence = _ninja_auth(decorator, receiver, ninja_auth or {})
        if auth == "none" and framework == "fastapi":
            auth, evidence = _auth_from_dependencies(function, decorator, models, imports)
        router = _router_name(receiver, imports, module_name)
        return RouteFact(function.qualname, framework, methods, prefix + path, function.line, auth, evidence,
                         router)
    return None


def _framework_for(method: str, frameworks: set[str]) -> str | None:
    if "ninja" in frameworks and (method in HTTP_METHODS or method == "api_operation"):
        return "ninja"  # `@api.get("/items/{item_id}")` on a NinjaAPI or Router
    if "sanic" in frameworks and (method in HTTP_METHODS or method in ("route", "websocket")):
        return "sanic"  # `@app.get("/orders/<order_id>")` on a Sanic app or Blueprint
    if method == "route" and "flask" in frameworks:
        return "flask"
    if method in HTTP_METHODS or method in ("api_route", "websocket"):
        if "fastapi" in frameworks or "starlette" in frameworks:
            return "fastapi"
        if "flask" in frameworks:
            return "flask"
        if "aiohttp" in frameworks and method in HTTP_METHODS:
            return "aiohttp"  # web.RouteTableDef: `@routes.get("/path")`
    return None


def _route_methods(method: str, decorator: ir.Call) -> tuple[str, ...]:
    if method in HTTP_METHODS:
        return (method.upper(),)
    listed = decorator.kwarg("methods")
    if isinstance(listed, ir.Seq):
        names = [e.value.upper() for e in listed.elts if isinstance(e, ir.Const) and isinstance(e.value, str)]
        return tuple(names) or ("GET",)
    return ("GET",)


def _auth_from_decorators(function: ir.Function, models: ModelIndex, imports: dict[str, str]) -> tuple[str, str]:
    for decorator in function.decorators:
        target = decorator.func if isinstance(decorator, ir.Call) else decorator
        name = ir.dotted_name(target) or ""
        last = name.rsplit(".", 1)[-1]
        if name in models.auth_decorators or last in models.auth_decorators or "login_required" in last \
                or "permission" in last or "auth" in last.lower() or _PRINCIPAL_DECORATOR.search(last):
            return "required", f"@{name}"
    return "none", ""


def _auth_from_dependencies(function: ir.Function, decorator: ir.Call, models: ModelIndex,
                            imports: dict[str, str] | None = None) -> tuple[str, str]:
    candidates: list[ir.Expr | _AliasName] = []
    for param in function.params:
        if param.default is not None:
            candidates.append(param.default)
        if param.annotation is not None:
            candidates.extend(_injected_parts(param))
    deps = decorator.kwarg("dependencies")
    if deps is not None:
        candidates.append(deps)
    return _auth_dependency_in(candidates, models, imports or {})


def _injected_parts(param: ir.Param) -> list[ir.Expr | _AliasName]:
    """The parts of a parameter's annotation FastAPI resolves rather than reads from the request:
    `Depends(...)` inside `Annotated[...]`, the class of a bare `x: Checker = Depends()`, and a
    plain name that may be an Annotated alias (`user: CurrentUser`). A body model
    (`body: LnurlAuthResponse`) is a name too, but only counts through its module (an alias
    imported from the auth module), never by the words in its name."""
    annotation = param.annotation
    if annotation is None:
        return []
    bare_depends = isinstance(param.default, ir.Call) and not param.default.args \
        and (ir.dotted_name(param.default.func) or "").rsplit(".", 1)[-1] in ("Depends", "Security")
    if bare_depends:
        return [annotation]
    inside = [node for node in ir.walk_expr(annotation) if isinstance(node, ir.Call)
              and (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1] in ("Depends", "Security")]
    return inside or ([_AliasName(annotation)] if isinstance(annotation, (ir.Name, ir.Attr)) else [])


@dataclass(frozen=True, slots=True)
class _AliasName:
    """A parameter annotation that is a bare name: judged by its module, or by a name that says
    "current user", never by other words in it."""

    expr: ir.Expr


def class_auth_dependency(cls: ir.ClassDef, models: ModelIndex) -> str | None:
    """Class-based views (fastapi-utils `@cbv(router)` and look-alikes): a class attribute
    `user: User = Depends(get_current_user)` is resolved for every route method of the class
    and of its subclasses."""
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) \
                and (ir.dotted_name(stmt.value.func) or "").rsplit(".", 1)[-1] in ("Depends", "Security"):
            auth, evidence = _auth_dependency_in([stmt.value], models)
            if auth == "required":
                return f"class attribute {evidence} (class-based view)"
    return None


def class_auth(cls: ir.ClassDef, models: ModelIndex, imports: Mapping[str, str] | None = None) -> str | None:
    """What a class declares for every view that inherits it: a FastAPI class-attribute dependency,
    a flask-restful resource's decorator list, or DRF `permission_classes` / Django auth mixins (`class ApiAuthMixin: permission_classes =
    (IsAuthenticated,)`, inherited by views in other modules), a mixin imported under another
    name included (`from guardian.mixins import PermissionRequiredMixin as GuardianMixin`)."""
    dependency = class_auth_dependency(cls, models)
    if dependency:
        return dependency
    # flask-restful/restx `decorators = [login_required]`: applied to every verb method of
    # the class and of the resources that inherit it (`class BaseResource(Resource)`)
    named = next((d for d in class_decorators(cls)
                  if _auth_decorator_name(d.rsplit(".", 1)[-1], models)), None)
    if named:
        return f"`{named}` in the class's decorators (applied to every verb method)"
    auth, evidence = _django_class_auth(cls, imports)
    return evidence if auth == "required" else None


# a form the client fills (`OAuth2PasswordRequestForm`, `OAuth2PasswordRequestFormStrict`): what the request
# carries, such as the username and password a sign-in checks, whatever its name says of auth
_REQUEST_FORM = re.compile(r"Form(Strict)?$")


def _says_current_user(name: str) -> bool:
    """`get_current_user`, `CurrentUser`, `current_active_user`."""
    return "current_user" in re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower()


def _auth_dependency_in(candidates: list[ir.Expr | _AliasName], models: ModelIndex,
                        imports: dict[str, str] | None = None) -> tuple[str, str]:
    for candidate in candidates:
        alias = isinstance(candidate, _AliasName)
        expr = candidate.expr if isinstance(candidate, _AliasName) else candidate
        for node in ir.walk_expr(expr):
            name = ir.dotted_name(node) or ""
            last = name.rsplit(".", 1)[-1]
            if _REQUEST_FORM.search(last):
                continue  # `OAuth2PasswordRequestForm`: the credentials a sign-in is sent, not who calls
            by_word = "auth" in last.lower() or "permission" in last.lower()
            if last in models.auth_dependencies or _says_current_user(last) or (by_word and not alias) \
                    or last in ("oauth2_scheme", "api_key_header", "HTTPBearer", "OAuth2PasswordBearer"):
                return "required", f"{DEPENDS_ON}{name}"
            # `auth_subject: SeatWrite` with `from .auth import SeatWrite`: an Annotated alias of an
            # authenticator, defined in the package's auth module
            # (`from app.auth.models import UserLogin` is the body a sign-in is sent, not who calls)
            module = _imported_module(name.split(".", 1)[0], imports or {}) if name else ""
            if module.rsplit(".", 1)[-1] in _AUTH_MODULES:
                return "required", f"{DEPENDS_ON}{name} (from {module})"
    return "none", ""


def _django_view(function: ir.Function, classes: dict[str, ir.ClassDef], imports: dict[str, str],
                 functions: Mapping[str, ir.Function] | None = None,
                 bound: frozenset[str] = frozenset()) -> RouteFact | None:
    params = [p.name for p in function.params]
    if function.class_name is None:
        if not params or function.parent is not None:
            return None
        if function.name.startswith("_"):
            return None  # `_check_2fa(request, user)`: a private helper views call, not a view urls.py binds
        if params[0] != "request" and function.name not in bound:
            return None
        auth, evidence = _django_function_auth(function)
        # under another name (`def orders(req)`) a view only where a URLconf binds it
        return RouteFact(function.qualname, "django", function_view_methods(function), "", function.line, auth,
                         evidence, registered=params[0] == "request")
    cls = classes.get(function.class_name)
    if cls is None or not _is_view_class(cls, classes):
        return None
    verb = function.name.upper() if function.name in HTTP_METHODS else _VIEWSET_ACTIONS.get(function.name)
    extra = action(function) if verb is None else None
    # `@staticmethod def get(request)`: dispatch calls the handler it looks up on the instance with
    # the request first, so a static method answers with no `self` before it
    static = any(ir.dotted_name(d) == "staticmethod" for d in function.decorators)
    if (verb is None and extra is None) or len(params) < (1 if static else 2):
        return None
    methods, suffix = extra if extra is not None else ((verb,), "")
    auth, evidence = _django_function_auth(function)  # a decorator on the method wins
    if auth == "unknown":
        auth, evidence = _chosen_auth(cls, functions or {}, function.name, methods[0]) or _django_class_auth(cls, imports)
    allowed = allowed_methods(cls)
    methods = tuple(m for m in methods if allowed is None or m in allowed)
    if not methods:
        return None
    return RouteFact(function.qualname, "django", methods, "", function.line, auth, evidence, path_suffix=suffix)


def _inherited_routes(module: ir.Module) -> list[RouteFact]:
    """Generic views and viewsets answering through what their bases implement
    (`class Orders(ListCreateAPIView)` with no method of its own: GET and POST)."""
    functions = {f.qualname: f for f in module.functions}
    routes = []
    for cls in module.classes:
        if not _is_view_class(cls):
            continue
        defined = {m.rsplit(".", 1)[-1] for m in cls.methods}
        allowed = allowed_methods(cls)
        for name in inherited_handlers(cls, defined):
            verb = name.upper() if name in HTTP_METHODS else _VIEWSET_ACTIONS[name]
            if allowed is not None and verb not in allowed:
                continue
            auth, evidence = _chosen_auth(cls, functions, name, verb) or _django_class_auth(cls)
            # an endpoint only where urls.py binds this class: framework base classes (a vendored
            # copy of DRF's generics) define the same shape and are never routed themselves
            routes.append(RouteFact(f"{cls.qualname}.{name}", "django", (verb,), "", cls.line, auth, evidence,
                                    registered=False))
    return routes


def generic_view_candidates(module: ir.Module, imports: Mapping[str, str]) -> tuple[GenericView, ...]:
    """A Django module's classes that may answer through a project base's generic base
    (endpoints.generic_views), with the auth their own declaration shows."""
    local = {cls.qualname for cls in module.classes}

    def framework_generic(cls: ir.ClassDef) -> bool:
        # a base named like REST framework's (`ListAPIView`) that the module imports from a
        # project module (`from shop.utils.views import ListAPIView`) or defines itself is the
        # project's class: its chain is followed project-wide, not read from its name
        return any(_framework_base(base, imports, local) and INHERITED.get(
            (ir.dotted_name(base) or "").rsplit(".", 1)[-1]) for base in cls.bases)

    if any(target.startswith(_FRAMEWORK_PACKAGES) for target in imports.values()):
        return generic_candidates(module, framework_generic, _django_class_auth)
    # a views module importing only the project's own bases (`from .base import ShopListView`)
    return generic_candidates(module, lambda cls: framework_generic(cls) or not any(
        (ir.dotted_name(b) or "").endswith(_VIEW_BASE_ENDINGS) for b in cls.bases), _django_class_auth)


_FRAMEWORK_PACKAGES = ("django", "rest_framework")


def _framework_base(base: ir.Expr, imports: Mapping[str, str], local: set[str]) -> bool:
    """Whether a base is the framework's own class rather than a project class of that name."""
    dotted = ir.dotted_name(base) or ""
    head = dotted.split(".", 1)[0]
    if head in imports:
        return imports[head].startswith(_FRAMEWORK_PACKAGES)
    return dotted not in local


_VIEW_BASE_ENDINGS = ("View", "ViewSet", "Viewset", "APIView")


def _is_view_class(cls: ir.ClassDef, classes: dict[str, ir.ClassDef] | None = None, depth: int = 0) -> bool:
    """A view by its base: a framework view, or a class of the same module that is one
    (`class PublicApi(APIView)`, then `class GoogleLoginApi(PublicApi)`)."""
    for base in cls.bases:
        dotted = ir.dotted_name(base) or ""
        name = dotted.rsplit(".", 1)[-1]
        if name in _DJANGO_VIEW_BASES or name.endswith(("View", "ViewSet", "APIView")):
            return True
        local = (classes or {}).get(dotted)
        if local is not None and local is not cls and depth < 6 and _is_view_class(local, classes, depth + 1):
            return True
    return False


def _django_function_auth(function: ir.Function) -> tuple[str, str]:
    return _decorators_auth(function.decorators)


def _decorators_auth(decorators: tuple[ir.Expr, ...]) -> tuple[str, str]:
    for decorator in decorators:
        for node in ir.walk_expr(decorator):
            name = ir.dotted_name(node) or ""
            last = name.rsplit(".", 1)[-1]
            if last == "permission_classes" and isinstance(decorator, ir.Call):
                # DRF's `@permission_classes([AllowAny])` says what it lists, not "required" by its name
                return _permission_list(decorator.args[0] if decorator.args else None)
            if "login_required" in last or "permission" in last or "auth_required" in last or "jwt_required" in last \
                    or last in ("user_passes_test", "staff_member_required", "method_decorator_login") \
                    or _PRINCIPAL_DECORATOR.search(last):
                return "required", f"@{name}"
    return "unknown", "no decorator; depends on middleware or DRF defaults"


def _chosen_auth(cls: ir.ClassDef, functions: Mapping[str, ir.Function], action: str,
                 verb: str) -> tuple[str, str] | None:
    """What the view's own `get_permissions` returns for this action (endpoints.drf_permissions),
    when it can be followed to a list; None leaves the class attribute and defaults to decide."""
    method = functions.get(f"{cls.qualname}.get_permissions")
    chosen = chosen_permissions(method, action, verb) if method is not None else None
    if chosen is None:
        return None
    auth, evidence = _permission_list(chosen)
    return auth, f"get_permissions() for `{action}`: {evidence.replace('permission_classes = ', '')}"


def _django_class_auth(cls: ir.ClassDef, imports: Mapping[str, str] | None = None) -> tuple[str, str]:
    dispatched = _dispatch_decorators(cls)
    if dispatched:
        auth = _decorators_auth(dispatched)
        if auth[0] == "required":
            return auth
    for base in cls.bases:
        name = _imported_last_name(ir.dotted_name(base) or "", imports or {})
        if name in _DJANGO_AUTH_MIXINS:
            written = (ir.dotted_name(base) or "").rsplit(".", 1)[-1]
            return "required", name if written == name else f"{written} ({name})"
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == "permission_classes" for t in stmt.targets):
            return _permission_list(stmt.value)
    if any((ir.dotted_name(b) or "").rsplit(".", 1)[-1] in _DRF_BASES or
           (ir.dotted_name(b) or "").endswith(("APIView", "ViewSet")) for b in cls.bases):
        return "unknown", DRF_DEFAULT  # decided project-wide from REST_FRAMEWORK settings
    return "unknown", "no permission_classes on the view; depends on DEFAULT_PERMISSION_CLASSES"


# django.contrib.auth's mixins (and django-guardian's of the same names): `dispatch` refuses a
# caller who is not signed in, lacks `permission_required`, or fails `test_func`
_DJANGO_AUTH_MIXINS = frozenset({"LoginRequiredMixin", "PermissionRequiredMixin", "UserPassesTestMixin"})


def _imported_last_name(dotted: str, imports: Mapping[str, str]) -> str:
    """The last name of what `dotted` stands for once its first part's import is followed:
    `GuardianMixin` for `from guardian.mixins import PermissionRequiredMixin as GuardianMixin`
    is `PermissionRequiredMixin`."""
    head, _, rest = dotted.partition(".")
    target = imports.get(head)
    full = (f"{target}.{rest}" if rest else target) if target else dotted
    return full.rsplit(".", 1)[-1]


def _dispatch_decorators(cls: ir.ClassDef) -> tuple[ir.Expr, ...]:
    """What `@method_decorator(login_required, name="dispatch")` (or a list of decorators) on a
    class view wraps every request of the view with."""
    found: list[ir.Expr] = []
    for decorator in cls.decorators:
        if not isinstance(decorator, ir.Call) or (ir.dotted_name(decorator.func) or "").rsplit(".", 1)[-1] \
                != "method_decorator" or not decorator.args:
            continue
        name = decorator.kwarg("name")
        if name is not None and not (isinstance(name, ir.Const) and name.value == "dispatch"):
            continue
        wrapped = decorator.args[0]
        found.extend(wrapped.elts if isinstance(wrapped, ir.Seq) else (wrapped,))
    return tuple(found)


def _permission_list(value: ir.Expr | None) -> tuple[str, str]:
    if value is None:
        return "unknown", ""
    elements = value.elts if isinstance(value, ir.Seq) else (value,)
    # DRF composes permissions with `&`, `|` and `~` (`[IsOwner & HasScope]`): each element is
    # shown with the operators the code uses (`ScopePermission | IsAdminUser` lets either through,
    # which `&` would misstate as both)
    spelled = [_spelled_permission(e) for e in elements if _permission_names(e)]
    if not spelled or all(part == "AllowAny" for part in spelled):
        return "none", "permission_classes = [AllowAny]" if spelled else "permission_classes = []"
    return "required", f"permission_classes = [{', '.join(spelled)}]"


def _spelled_permission(element: ir.Expr) -> str:
    """One element of `permission_classes` as the evidence shows it: class names joined by the
    operators written (`A | B`, `A & ~B`, `(A | B) & C`); a call (`HasRole("admin")`) by its class."""
    if isinstance(element, ir.BinOp) and element.op in ("&", "|"):
        return f"{_operand(element.left, element.op)} {element.op} {_operand(element.right, element.op)}"
    if isinstance(element, ir.Unary) and element.op == "~":
        return "~" + _operand(element.operand, "~")
    dotted = ir.dotted_name(element.func if isinstance(element, ir.Call) else element)
    return dotted.rsplit(".", 1)[-1] if dotted else " & ".join(_permission_names(element))


def _operand(expr: ir.Expr, op: str) -> str:
    """An operand of `op`, parenthesised where its own operator differs (`(A | B) & C`)."""
    spelled = _spelled_permission(expr)
    nested = isinstance(expr, ir.BinOp) and expr.op in ("&", "|") and expr.op != op
    return f"({spelled})" if nested else spelled


def _permission_names(element: ir.Expr) -> list[str]:
    """The permission classes one element of `permission_classes` names, however composed
    (`IsOwner & HasScope`, `(IsReadOnly | IsStaff)`, `~IsBlocked`); a call (`HasRole("admin")`)
    counts by its class."""
    dotted = ir.dotted_name(element.func if isinstance(element, ir.Call) else element)
    if dotted:
        return [dotted.rsplit(".", 1)[-1]]
    if isinstance(element, ir.BinOp):
        return _permission_names(element.left) + _permission_names(element.right)
    return [name for child in ir.child_exprs(element) for name in _permission_names(child)]


def dependency_sources(module: ir.Module, models: ModelIndex, imports: dict[str, str], operation_ids: frozenset[str],
                       handlers: Mapping[str, HandlerInfo]) -> dict[str, tuple[tuple[str, str], ...]]:
    """The parameters FastAPI fills from the request in this module's dependencies (endpoints.dependencies):
    top-level functions some `Depends(...)` of the project names, that are no route themselves."""
    names = dependency_names(operation_ids)
    if not names:
        return {}
    types = project_types(operation_ids)
    known = _known_types(module, imports, types)
    found = {}
    for function in module.functions:
        # a function, or a class's `__init__` (FastAPI calls the class with the request's values)
        named = function.class_name if function.name == "__init__" else function.name
        if named not in names or function.parent is not None or function.qualname in handlers \
                or (function.class_name is not None and function.name != "__init__"):
            continue
        typed = _typed_params(function, "fastapi", known)
        params = tuple((name, label) for name, label in _source_params(function, "fastapi", models, imports,
                                                                       types=types, module_name=module.module_name)
                       if name not in typed)
        if params:
            found[function.qualname] = params
    return found


def _positional_request(function: ir.Function, framework: str, bound: frozenset[str]) -> str:
    """The request parameter of a handler its framework calls with the request first, when its name
    does not say so: a registration-bound aiohttp/Starlette handler's only parameter, a Django
    function view's first."""
    names = [p.name for p in function.params]
    if framework == "falcon" and "request" not in names:
        return names[1] if len(names) > 2 else ""  # a responder: (self, req, resp, **uri fields)
    if framework == "pyramid" and "request" not in names and function.class_name is None:
        return names[-1] if len(names) in (1, 2) else ""  # `view(request)` or `view(context, request)`
    if "request" in names or not bound or function.name not in bound:
        return ""
    if framework in ("aiohttp", "starlette"):
        return request_param(function, bound)
    if framework == "django" and function.class_name is None and names:
        return names[0]
    return ""


def _known_types(module: ir.Module, imports: Mapping[str, str], types: ProjectTypes) -> KnownTypes:
    """The validated types the module's annotations may name: its own, and the project's."""
    return types.known(imports, module.module_name,
                       module_validated_names(module, lambda dotted: types.validates(dotted, imports, module.module_name)))


def _resolved_by_framework(param: ir.Param, types: ProjectTypes, imports: Mapping[str, str], module_name: str) -> bool:
    """A parameter declared with a project alias or factory that carries a `Depends(...)` /
    `Security(...)` (frameworks.project_types), wherever it is defined: `user: CurrentUser`,
    `user: require_scopes("tags:write")`, `Annotated[User, requires("admin")]`, `user = requires("admin")`."""
    named = [param.annotation] if isinstance(param.annotation, (ir.Name, ir.Attr)) else []
    calls = [node for expr in (param.annotation, param.default) if expr is not None
             for node in ir.walk_expr(expr) if isinstance(node, ir.Call)]
    return any(types.injects(ir.dotted_name(expr) or "", imports, module_name)
               for expr in named + [call.func for call in calls])


def _source_params(function: ir.Function, framework: str, models: ModelIndex,
                   imports: dict[str, str], path: str = "", flask_apps: Mapping[str, str] | None = None,
                   positional_request: str = "", types: ProjectTypes | None = None,
                   module_name: str = "") -> tuple[tuple[str, str], ...]:
    if framework == "pyramid":
        return ()  # a view gets the request (and the context): its data is read from the request
    route_model = next((r for r in models.routes if r.framework == framework), None)
    sources: list[tuple[str, str]] = []
    named = flask_rule_params(function, path, flask_apps or {}) if framework == "flask" else None
    for index, param in enumerate(function.params):
        if param.name in ("self", "cls") or (framework == "graphql" and param.name in ("root", "info", "parent", "obj", "_")):
            continue
        if framework in ("django", "ninja") and param.name == "request" or param.name == positional_request:
            continue
        if framework == "falcon" and index < 3:
            continue  # (self, req, resp): the URI template's fields follow
        if route_model is not None and _injected(param, route_model):
            continue
        if framework == "fastapi" and (_imported_dependency_alias(param.annotation, imports) or types is not None
                                       and _resolved_by_framework(param, types, imports, module_name)):
            continue
        if param.name in models.request_param_names:
            continue
        if named is not None and param.name not in named:
            continue  # not in the URL rule: a decorator hands it in (the caller, a row it loaded) or it keeps its default
        label = {"flask": "URL parameter", "django": "URL parameter", "tornado": "URL parameter",
                 "sanic": "URL parameter", "falcon": "URL parameter", "graphql": "GraphQL argument"}.get(framework, "request parameter")
        sources.append((param.name, label))
    return tuple(sources)


_BODY_SUFFIXES = ("Request", "Body", "In", "Create", "Update", "Schema", "Payload", "Input", "Params", "Form")


def _imported_dependency_alias(annotation: ir.Expr | None, imports: dict[str, str]) -> bool:
    """`auth_subject: SeatWrite` with `from .auth import SeatWrite`: an `Annotated[..., Depends(...)]`
    alias from the package's auth/dependencies module is resolved by FastAPI, not sent by the client."""
    if not isinstance(annotation, ir.Name) or annotation.id.endswith(_BODY_SUFFIXES):
        return False
    return _imported_module(annotation.id, imports).rsplit(".", 1)[-1] in _AUTH_MODULES | _DEPENDENCY_MODULES


_AUTH_MODULES = frozenset({"auth", "authz", "authentication", "permissions"})
_DEPENDENCY_MODULES = frozenset({"deps", "dependencies", "dependency"})


def _imported_module(local: str, imports: dict[str, str]) -> str:
    """The module a name was imported from (`SeatWrite` -> `polar.customer_seat.auth`), or ""."""
    return imports.get(local, "").rpartition(".")[0]


def _injected(param: ir.Param, route_model: object) -> bool:
    injected_defaults = getattr(route_model, "injected_defaults", frozenset())
    injected_annotations = getattr(route_model, "injected_annotations", frozenset())
    if param.default is not None and isinstance(param.default, ir.Call):
        name = ir.dotted_name(param.default.func) or ""
        if name in injected_defaults or name.rsplit(".", 1)[-1] in injected_defaults:
            return True
    if param.annotation is not None:
        for node in ir.walk_expr(param.annotation):
            name = ir.dotted_name(node) or ""
            last = name.rsplit(".", 1)[-1]
            if last in injected_annotations or last in ("Depends", "Security"):
                return True
            if last.endswith(("Dep", "Session")) or last == "CurrentUser":
                return True
    return False


_FLASK_VARIABLE = re.compile(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>")


def flask_rule_params(function: ir.Function, path: str, apps: Mapping[str, str]) -> frozenset[str] | None:
    """The names Flask can fill from the URL: the variables of every literal rule routed to the
    function (`@bp.route("/workouts/<string:workout_id>")`) and of its known prefix. Flask calls a
    view with exactly these; any other parameter is handed in by a decorator (`@require_auth`
    passing `auth_user`, `@check_workout` passing the row it loaded) or keeps its default, so it
    is not client text. None when a rule is not a literal or the blueprint is not made in this
    module (`apps`: name -> its literal `url_prefix`), since a variable may hide in either."""
    names = set(_FLASK_VARIABLE.findall(path))
    routed = False
    for decorator in function.decorators:
        if not isinstance(decorator, ir.Call) or not isinstance(decorator.func, ir.Attr) \
                or decorator.func.attr not in ("route", *HTTP_METHODS):
            continue
        rule = decorator.arg(0, "rule") or decorator.arg(0, "path")
        receiver = decorator.func.value
        prefix = apps.get(receiver.id) if isinstance(receiver, ir.Name) else None
        if prefix is None or not isinstance(rule, ir.Const) or not isinstance(rule.value, str):
            return None  # a blueprint made elsewhere may be mounted under `url_prefix="/<org>"`
        names.update(_FLASK_VARIABLE.findall(prefix))
        routed = True
        names.update(_FLASK_VARIABLE.findall(rule.value))
        defaults = decorator.kwarg("defaults")
        if defaults is not None:
            return None  # `defaults={"page": 1}` fills parameters the rule does not name
    return frozenset(names) if routed else None  # a class's view: its rule may sit on a namespace


_RULE_DECORATORS = frozenset({"route", "api_route", *HTTP_METHODS})


def _segment_params(function: ir.Function, framework: str, path: str) -> frozenset[str]:
    """Parameters every URL rule written on the function keeps in one segment: Flask's
    `<name>`, FastAPI's `{name}` (frameworks.url_segments). Every literal rule of its route
    decorators counts, so `<path:name>` on a second rule frees `name`; a rule that is not a
    literal may say anything, so then none is confined. Rules bound in another file
    (Django URLconfs, `add_url_rule`) are decided project-wide (analysis.segment_sources)."""
    if framework not in ("flask", "fastapi", "litestar") or not path:
        return frozenset()
    rules = [path]
    for decorator in function.decorators:
        if isinstance(decorator, ir.Call) and isinstance(decorator.func, ir.Attr) \
                and decorator.func.attr in _RULE_DECORATORS:
            rule = decorator.arg(0, "rule") or decorator.arg(0, "path")
            if rule is None:
                continue
            if not isinstance(rule, ir.Const) or not isinstance(rule.value, str):
                return frozenset()
            rules.append(rule.value)
    names = {p.name for p in function.params}
    return segment_variables(" ".join(rules)) & names


_FLASK_TYPED = re.compile(r"<(?:int|float|uuid)(?:\([^)]*\))?:(\w+)>")
def _typed_params(function: ir.Function, framework: str, known: KnownTypes, path: str = "") -> frozenset[str]:
    """FastAPI answers 422 unless the value parses as an int/UUID/enum member, Flask 404 unless a
    `<int:id>` / `<uuid:id>` converter matches: such a parameter reaches the handler unable to
    spell a path, a query or markup."""
    if framework == "flask":
        return frozenset(_FLASK_TYPED.findall(path))
    if framework != "fastapi":
        return frozenset()
    return frozenset(p.name for p in function.params
                     if (p.annotation is not None and validated_scalar(p.annotation, known))
                     or constrains(p.default, known))  # `q: str = Query(pattern=r"^[a-z]+$")`
