"""Pyramid's views, Cornice's two ways of declaring them, and who Pyramid lets call them.

    config.add_route("order", "/orders/{id}")             # anywhere: the route's pattern, by name

    @view_config(route_name="order", request_method="POST", permission="edit")
    def update_order(request): ...                        # POST /orders/{id}

    hello = Service(name="hello", path="/", description="Welcome")

    @hello.get(permission=NO_PERMISSION_REQUIRED)       # GET /, open to anyone by declaration
    def get_hello(request): ...

    @resource(collection_path="/orders", path="/orders/{id}", permission="orders")
    class Orders:
        def collection_get(self): ...                     # GET /orders
        def put(self): ...                                # PUT /orders/{id}

A `Service` is recognised by the constructor Cornice documents (a name, then a literal path
starting with "/"), also through a project subclass of any name ending in `Service`; a view is a
function decorated by the service's verb method. Who may call it is what Pyramid reads from the
view's `permission` (or the `view_defaults`, service's or resource's default one):
`NO_PERMISSION_REQUIRED` opens it to anyone, a named permission requires the security policy to
grant it, and with none the application's default permission (`config.set_default_permission`,
`Configurator(default_permission=...)`) is required. With no default permission either, Pyramid
calls the view without asking the security policy: anyone may, once the review has read the
configuration that routes it (its `add_route`) and found no default permission anywhere. The
view predicates `is_authenticated=True` and `effective_principals=...` keep the view from
matching a caller who is not signed in (or lacks the principal), whatever the permission. A
`view_config` without a `route_name` (an exception view, `context=HTTPNotFound`) keeps its
path unknown, and its auth too unless a permission or predicate names one.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from servicelens import ir
from servicelens.endpoints.registrations import HTTP_VERBS
from servicelens.endpoints.route import RouteFact

if TYPE_CHECKING:  # the per-file phase imports this module before the facts it fills
    from servicelens.analysis.file_index import FileIndex
    from servicelens.analysis.facts import FileFacts

PYRAMID_UNDECIDED = "Pyramid decides access by the view's `permission` and the security policy; not judged"
PYRAMID_OPEN = "no `permission` and no default permission: Pyramid calls the view for anyone"
# view predicates that match only a signed-in caller (Pyramid 2's `is_authenticated=True`) or
# one holding the principals named (`effective_principals=[Authenticated]`)
_CALLER_PREDICATES = ("is_authenticated", "effective_principals")
_PERMISSION_EVIDENCE = "view permission"
_OPEN = "NO_PERMISSION_REQUIRED"  # pyramid.security's marker: the view skips the security policy
_OPEN_VALUE = "__no_permission_required__"  # its value, when spelled as a literal
_RESOURCE_DECORATOR = "resource"  # cornice.resource.resource(collection_path=..., path=...)
_COLLECTION = "collection_"


def pyramid_view(function: ir.Function, cls: ir.ClassDef | None,
                 decorators_auth: Callable[[], tuple[str, str]]) -> RouteFact | None:
    """`@view_config(route_name="order", request_method="POST")` on a function taking the request
    or a method of a view class (whose `@view_defaults(...)` fills what the method's leaves out):
    the view of that route, its pattern bound project-wide (`with_route_patterns`)."""
    defaults = view_defaults(cls)
    for decorator in function.decorators:
        if not isinstance(decorator, ir.Call) or ir.last_name(decorator.func) != "view_config":
            continue
        route_name, permission, method = (decorator.kwarg(key) or (defaults.kwarg(key) if defaults else None)
                                          for key in ("route_name", "permission", "request_method"))
        name = route_name.value if isinstance(route_name, ir.Const) and isinstance(route_name.value, str) else ""
        auth, evidence = _permission_auth(permission, decorators_auth)
        predicate = _caller_predicate(decorator, defaults)
        if predicate and auth != "required":
            auth, evidence = "required", predicate
        if not name and auth == "none":  # an exception view: what it answers, nobody calls it by a path
            auth, evidence = "unknown", PYRAMID_UNDECIDED
        return RouteFact(function.qualname, "pyramid", _pyramid_methods(method), "", function.line, auth, evidence,
                         route_name=name)
    return None


def view_defaults(cls: ir.ClassDef | None) -> ir.Call | None:
    """The class's `@view_defaults(...)`: what each `@view_config` method of it leaves out."""
    return next((d for d in (cls.decorators if cls is not None else ())
                 if isinstance(d, ir.Call) and ir.last_name(d.func) == "view_defaults"), None)


def inherited_permissions(function: ir.Function, cls: ir.ClassDef | None) -> tuple[ir.Expr, ...]:
    """The `permission` a view method gets from its class's `@view_defaults(permission=...)`, once
    per `@view_config` of it that names none (Pyramid fills the missing argument from the defaults;
    a method's own `permission`, `NO_PERMISSION_REQUIRED` too, replaces it)."""
    defaults = view_defaults(cls)
    permission = defaults.kwarg("permission") if defaults is not None else None
    if permission is None:
        return ()
    return tuple(permission for d in function.decorators if isinstance(d, ir.Call)
                 and ir.last_name(d.func) == "view_config" and d.kwarg("permission") is None)


def _caller_predicate(decorator: ir.Call, defaults: ir.Call | None) -> str:
    """Evidence that a view predicate lets only a signed-in caller reach the view: Pyramid does
    not match the view otherwise (another view of the route, or 404, answers)."""
    for key in _CALLER_PREDICATES:
        value = decorator.kwarg(key) or (defaults.kwarg(key) if defaults else None)
        if value is None or isinstance(value, ir.Const) and not value.value:
            continue  # `is_authenticated=False`: the view for anonymous callers
        if key == "effective_principals" and _everyone_only(value):
            continue  # every request, anonymous ones too, holds `Everyone`
        shown = "True" if isinstance(value, ir.Const) and value.value is True else ir.dotted_name(value) or "..."
        return f"view predicate {key}={shown}: Pyramid matches the view only for a signed-in caller"
    return ""


def _everyone_only(value: ir.Expr) -> bool:
    """`effective_principals=Everyone` / `[Everyone]` / `"system.Everyone"`: pyramid.authorization's
    principal every request holds, so the predicate matches anonymous callers too."""
    names = value.elts if isinstance(value, ir.Seq) else (value,)
    return bool(names) and all(
        ir.last_name(name) == "Everyone" if not isinstance(name, ir.Const) else name.value == "system.Everyone"
        for name in names)


def _pyramid_methods(value: ir.Expr | None) -> tuple[str, ...]:
    if isinstance(value, ir.Const) and isinstance(value.value, str):
        return (value.value.upper(),)
    if isinstance(value, ir.Seq):
        found = tuple(e.value.upper() for e in value.elts if isinstance(e, ir.Const) and isinstance(e.value, str))
        return found or ("*",)
    return ("*",)


def route_patterns(index: "FileIndex") -> tuple[tuple[str, str], ...]:
    """(name, pattern) of each `config.add_route("order", "/orders/{id}")` with literal name and
    pattern, anywhere in the file (`includeme(config)`), found by callee name in the file's one
    index; Pyramid reads a pattern without a leading slash as if it had one."""
    found = []
    for call in index.calls_named("add_route"):
        if not isinstance(call.func, ir.Attr):
            continue
        name, pattern = call.arg(0, "name"), call.arg(1, "pattern")
        if isinstance(name, ir.Const) and isinstance(name.value, str) and isinstance(pattern, ir.Const) \
                and isinstance(pattern.value, str):
            found.append((name.value, "/" + pattern.value.lstrip("/")))
    return tuple(dict.fromkeys(found))


def with_route_patterns(facts: Sequence["FileFacts"]) -> list["FileFacts"]:
    """A `view_config(route_name=...)` view answers at the pattern `add_route` gave that name
    (when the review found exactly one)."""
    patterns: dict[str, set[str]] = {}
    for fact in facts:
        for name, pattern in fact.route_patterns:
            patterns.setdefault(name, set()).add(pattern)
    if not patterns:
        return list(facts)
    out = []
    for fact in facts:
        routes = tuple(replace(route, path=next(iter(patterns[route.route_name])))
                       if route.route_name and not route.path and len(patterns.get(route.route_name, ())) == 1
                       else route for route in fact.routes)
        out.append(replace(fact, routes=routes) if routes != fact.routes else fact)
    return out


def default_permissions(index: "FileIndex") -> tuple[str, ...]:
    """The permission the application gives every view that names none:
    `config.set_default_permission("view")`, `Configurator(default_permission="view")`."""
    given = [call.arg(0, "permission") for call in index.calls_named("set_default_permission")]
    given += [call.kwarg("default_permission") for call in index.calls_named("Configurator")]
    names = [value.value if isinstance(value, ir.Const) else ir.dotted_name(value) if value is not None else None
             for value in given]
    return tuple(dict.fromkeys(name for name in names if isinstance(name, str) and name
                               and name not in (_OPEN_VALUE, _OPEN) and not name.endswith("." + _OPEN)))


def security_policies(index: "FileIndex") -> tuple[str, ...]:
    """The class of each security policy the configuration installs here:
    `config.set_security_policy(TopLevelPolicy())`, the older `set_authorization_policy(ACLAuthorizationPolicy())`,
    `Configurator(security_policy=...)`; what decides whether a view's permission is granted."""
    given = [call.arg(0, "policy") for name in ("set_security_policy", "set_authorization_policy")
             for call in index.calls_named(name) if isinstance(call.func, ir.Attr)]
    given += [call.kwarg(key) for call in index.calls_named("Configurator")
              for key in ("security_policy", "authorization_policy")]
    names = (ir.dotted_name(value.func if isinstance(value, ir.Call) else value) for value in given if value is not None)
    return tuple(dict.fromkeys(name.rsplit(".", 1)[-1] for name in names if name))


def with_default_permission(facts: Sequence["FileFacts"]) -> list["FileFacts"]:
    """A routed view that names no permission gets the application's default one, which the
    security policy must grant: Pyramid checks it as if the view named it. Without a default
    permission anywhere, a view whose route the review read (`add_route`) is called for anyone.
    A Cornice service or resource adds its own route, so its views are routed wherever the
    review read the configuration. Exception views (no route) are given neither."""
    given = sorted({name for fact in facts for name in fact.default_permissions})
    routed = {name for fact in facts for name, _ in fact.route_patterns}
    policies = sorted({name for fact in facts for name in fact.security_policies})
    if policies:
        facts = _with_policy(facts, ", ".join(policies))
    if not given and not routed:
        return list(facts)
    auth, evidence = ("required", f"default permission {given[0]!r} (set_default_permission)") if given \
        else ("none", PYRAMID_OPEN)
    out = []
    for fact in facts:
        routes = tuple(replace(route, auth=auth, auth_evidence=evidence)
                       if route.framework == "pyramid" and route.auth_evidence == PYRAMID_UNDECIDED
                       and (route.route_name in routed or _declares_route(route) if not given
                            else route.route_name or route.path)
                       else route for route in fact.routes)
        out.append(replace(fact, routes=routes) if routes != fact.routes else fact)
    return out


def _declares_route(route: RouteFact) -> bool:
    """A Cornice service's or resource's view: its path is the route the service itself adds
    (no `route_name` to look up); an exception view has neither."""
    return not route.route_name and route.path.startswith("/")


def _with_policy(facts: Sequence["FileFacts"], policy: str) -> list["FileFacts"]:
    """A view's permission is required of the caller by the security policy the configuration
    installs: the evidence names it."""
    out = []
    for fact in facts:
        routes = tuple(replace(route, auth_evidence=f"{route.auth_evidence}, which the security policy must grant ({policy})")
                       if route.framework == "pyramid" and route.auth == "required"
                       and route.auth_evidence.startswith(_PERMISSION_EVIDENCE) else route for route in fact.routes)
        out.append(replace(fact, routes=routes) if routes != fact.routes else fact)
    return out


def cornice_services(module: ir.Module) -> dict[str, tuple[str, ir.Call]]:
    """Module-level services: name bound -> (its literal path, the constructor call)."""
    found: dict[str, tuple[str, ir.Call]] = {}
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Call):
            continue
        call = stmt.value
        if not ir.last_name(call.func).endswith("Service"):
            continue
        name, path = call.arg(0, "name"), call.arg(1, "path")
        if isinstance(name, ir.Const) and isinstance(name.value, str) and isinstance(path, ir.Const) \
                and isinstance(path.value, str) and path.value.startswith("/"):
            found.update((target.id, (path.value, call)) for target in stmt.targets if isinstance(target, ir.Name))
    return found


def service_view(function: ir.Function, services: Mapping[str, tuple[str, ir.Call]],
                 decorators_auth: Callable[[], tuple[str, str]]) -> RouteFact | None:
    """`@hello.get(...)` on a function, `hello` a module-level Cornice service."""
    for decorator in function.decorators:
        if not (isinstance(decorator, ir.Call) and isinstance(decorator.func, ir.Attr)
                and isinstance(decorator.func.value, ir.Name) and decorator.func.value.id in services
                and decorator.func.attr in HTTP_VERBS):
            continue
        path, service = services[decorator.func.value.id]
        auth, evidence = _permission_auth(decorator.kwarg("permission") or service.kwarg("permission"),
                                          decorators_auth)
        return RouteFact(function.qualname, "pyramid", (decorator.func.attr.upper(),), path, function.line,
                         auth, evidence)
    return None


def resource_view(function: ir.Function, cls: ir.ClassDef | None,
                  decorators_auth: Callable[[], tuple[str, str]]) -> RouteFact | None:
    """`collection_get` (at `collection_path`) or `put` (at `path`) of a class decorated with
    Cornice's `@resource(...)`."""
    if cls is None:
        return None
    verb = function.name[len(_COLLECTION):] if function.name.startswith(_COLLECTION) else function.name
    if verb not in HTTP_VERBS:
        return None
    for decorator in cls.decorators:
        if not isinstance(decorator, ir.Call) or ir.last_name(decorator.func) != _RESOURCE_DECORATOR:
            continue
        path = decorator.kwarg("collection_path" if function.name.startswith(_COLLECTION) else "path")
        if not (isinstance(path, ir.Const) and isinstance(path.value, str) and path.value.startswith("/")):
            return None
        own = next((d.kwarg("permission") for d in function.decorators
                    if isinstance(d, ir.Call) and ir.last_name(d.func) == "view"), None)
        auth, evidence = _permission_auth(own or decorator.kwarg("permission"), decorators_auth)
        return RouteFact(function.qualname, "pyramid", (verb.upper(),), path.value, function.line, auth, evidence)
    return None


def _permission_auth(permission: ir.Expr | None, decorators_auth: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    if permission is not None and (ir.last_name(permission) == _OPEN or
                                   isinstance(permission, ir.Const) and permission.value == _OPEN_VALUE):
        return "none", f"permission={_OPEN}: Pyramid lets anyone call it"
    if isinstance(permission, ir.Const) and isinstance(permission.value, str) and permission.value:
        return "required", f"{_PERMISSION_EVIDENCE} {permission.value!r}"
    if isinstance(permission, (ir.Name, ir.Attr)):  # `permission=Permissions.ProjectsWrite`
        return "required", f"{_PERMISSION_EVIDENCE} {ir.dotted_name(permission)}"
    auth, evidence = decorators_auth()
    if auth != "none":
        return auth, evidence
    if permission is not None and not isinstance(permission, ir.Const):  # `PERMISSIONS["write"]`: not read here
        return "unknown", f"a `permission` the review cannot read ({_first_name(permission)}); not judged"
    return "unknown", PYRAMID_UNDECIDED


def _first_name(expr: ir.Expr) -> str:
    """The first name written in an expression (`PERMISSIONS` in `PERMISSIONS["write"]`), for evidence."""
    return next((name for node in ir.walk_expr(expr) if isinstance(node, (ir.Name, ir.Attr))
                 and (name := ir.dotted_name(node))), "an expression")
