"""Who may call a route handler: anyone, any signed-in user, or only staff/administrators.

TRIAGE's "true" is a flaw a caller *without that power* can reach: an injection only a
superuser can send, through an admin console that exists to run what the superuser types,
is a nit. The per-file phase records which handlers restrict their callers to a privileged
role (a decorator, dependency, router dependency, permission class or an early check on an
admin/staff/superuser attribute, `rules/python/_access.is_admin_only`); the inventory adds the
routes whose project decorator or dependency, whatever its name and wherever it is defined, lets
the view run only for a back-office role by what its body tests (endpoints.inventory
`decide_role_guards`: `if current_user.role.name not in CONSOLE_ROLES: abort(403)`), or only for
the holder of the one token the operator configured (`hmac.compare_digest(header, v1.api_token)`,
rules/python/_shared_token_gates.py), or whose class view inherits a mixin whose `dispatch` does
so. JS/TS routes are privileged behind a middleware or guard named for admitting administrators
(`requireAdmin`, `AdminGuard`), behind a role guard factory called with back-office roles only
(`checkRoles(Role.SUPERUSER)` in an Express chain, `names_admin_roles_only`), or under NestJS role
metadata naming only back-office roles (`@Roles('admin')`, `role_metadata_handlers`). reach.py combines them with each route's
project-wide auth status.
"""
from __future__ import annotations

from collections.abc import Iterator

from servicelens import ir
from servicelens.endpoints.public import public_by_design
from servicelens.endpoints.route import RouteFact
from servicelens.rules.python import _access as access
from servicelens.rules.python._common import words

ANYONE = "anyone"
SIGNED_IN = "signed-in"
PRIVILEGED = "privileged"
# the order a function reached from several routes takes: the least privileged caller decides
LEVELS = (ANYONE, "", SIGNED_IN, PRIVILEGED)  # "" = cannot tell (auth unknown)
# words that name a back-office role in a guard: `is_authenticated_admin_api`, `AdminAPIKey`,
# `staff_member_required`, `IsSuperUser`, `check_super_user`
_ROLE_WORDS = frozenset({"admin", "admins", "administrator", "superuser", "superadmin", "staff", "sudo"})


def _routed(module: ir.Module,
            routes: tuple[RouteFact, ...]) -> Iterator[tuple[RouteFact, ir.Function | None, ir.Class | None]]:
    """Each route with the function this module defines for it (None for a verb its class inherits)
    and that function's class (for an inherited verb, the class the route names)."""
    functions = {f.qualname: f for f in module.functions}
    classes = {c.qualname: c for c in module.classes}
    for route in routes:
        function = functions.get(route.qualname)
        if function is not None:
            owner = function.class_name
        else:
            owner = route.qualname.rpartition(".")[0]
        yield route, function, classes.get(owner) if owner else None


def privileged_handlers(module: ir.Module, routes: tuple[RouteFact, ...]) -> tuple[str, ...]:
    """Qualnames of this module's route handlers that only a privileged role may call."""
    found = []
    for route, function, cls in _routed(module, routes):
        if function is None:
            # a verb the class inherits (`CreateView.post`): only what the class itself declares,
            # its bases and permission classes (`class NewView(StaffRequiredMixin, CreateView)`), decides
            if cls is not None and access.class_admin_only(cls, module):
                found.append(route.qualname)
            continue
        if access.is_admin_only(function, access.enclosing_class(module, function), module) or \
                _guard_names_a_role(route, function, module):
            found.append(route.qualname)
    return tuple(dict.fromkeys(found))


def _guard_names_a_role(route: RouteFact, function: ir.Function, module: ir.Module) -> bool:
    """The route's guard (what authenticates it: decorator, dependency, the router's
    dependencies) names a back-office role among its words."""
    guards = [route.auth_ref] if route.auth_ref else []
    # the decorator that declares the route (`@admin_bp.route(...)`) names where it is served, not
    # who may call it: a blueprint called `admin_bp` checks nobody (its guards are the other decorators)
    exprs = [d for d in function.decorators if not _declares_route(d, route)]
    # FastAPI dependencies: `_: Admin = Depends(require_admin)`, `Annotated[User, Depends(...)]`
    exprs += [e for p in function.params for e in (p.default, p.annotation) if e is not None
              and any((ir.dotted_name(n.func) or "").rsplit(".", 1)[-1] in ("Depends", "Security")
                      for n in ir.walk_expr(e) if isinstance(n, ir.Call))]
    exprs += access.router_declarations(function, module)
    # the route's own `dependencies=[Depends(require_role(["admin"]))]`
    exprs += [kw.value for d in function.decorators if _declares_route(d, route) and isinstance(d, ir.Call)
              for kw in d.kwargs if kw.name == "dependencies"]
    guards += [name for e in exprs for name in _called_names(e)]
    return any(_ROLE_WORDS & set(words(name.rsplit(".", 1)[-1])) for name in guards) or any(
        _role_metadata((node,)) for e in exprs for node in ir.walk_expr(e) if isinstance(node, ir.Call))


# methods of an app, blueprint or router object that declare a route on it
_ROUTE_DECLARING = frozenset({"route", "get", "post", "put", "patch", "delete", "head", "options", "api_route",
                              "websocket", "add_route", "view"})


def _declares_route(decorator: ir.Expr, route: RouteFact) -> bool:
    """`@admin_bp.route("/x")`, `@router.get("/x")`: a method of the route's router (or of any
    object, when the route's router is not known) that declares the route."""
    func = decorator.func if isinstance(decorator, ir.Call) else decorator
    if not isinstance(func, ir.Attr) or func.attr not in _ROUTE_DECLARING:
        return False
    owner = ir.dotted_name(func.value) or ""
    return not route.router or route.router.endswith(owner) or owner.endswith(route.router.rsplit(".", 1)[-1])


def _called_names(expr: ir.Expr) -> list[str]:
    """Dotted names of what an expression calls or refers to: `Depends(is_admin)` -> both."""
    return [name for node in ir.walk_expr(expr) if (name := ir.dotted_name(node))]


# words of a middleware, guard or decorator that admits only administrators (`AdminGuard`,
# `requireAdmin`, `isSuperuser`); a role or permission guard (`RolesGuard`, `@Permissions(...)`)
# says what kind of caller may act, not that any record is theirs to act on
_ADMIN_GUARD_WORDS = frozenset({"admin", "isadmin", "superuser", "staff"})


def in_admin_area(route: RouteFact) -> bool:
    """The route is served under an admin area as the whole project serves it (`/admin/users/:id`,
    wherever the mounts put it): acting on any record is its purpose, whoever may call it."""
    return bool(access.ADMIN_AREA.search(route.path))


def behind_admin_middleware(refs: tuple[str, ...]) -> bool:
    """One of the middleware or guards a request runs through on its way to the route (a JS/TS
    chain's, or what the route's router is mounted or declared behind: RouteFact.router_refs) is
    named for admitting only administrators (`requireAdmin`)."""
    return any({w.lower() for w in words(ref.rsplit(".", 1)[-1])} & _ADMIN_GUARD_WORDS for ref in refs)


# what a route is for when its callers hold no credentials yet (endpoints/public.public_by_design)
_LETS_IN = frozenset({"sign-in", "sign-up", "password reset"})


def route_callers(route: RouteFact, privileged: frozenset[str]) -> str:
    """One route's callers, once its auth status is final (project-wide). A sign-in, sign-up or
    password-reset route that only a dependency's name makes "required" (`Depends(get_authentication_flow)`
    on `/login`) still serves callers without credentials: nobody has to be signed in to sign in, so
    its callers are anyone unless its guard names a back-office role."""
    if route.auth in ("none", "public"):
        return ANYONE
    if route.auth != "required":
        return ""
    if route.qualname in privileged:
        return PRIVILEGED
    return ANYONE if public_by_design(route) in _LETS_IN else SIGNED_IN


# the roles a NestJS-style metadata decorator may name for the route to serve back-office callers only
_ADMIN_ROLE_NAMES = frozenset({"admin", "admins", "administrator", "administrators", "superuser", "superadmin",
                               "super_admin", "staff", "owner_admin", "root", "sysadmin", "system_admin"})


def role_metadata_handlers(module: ir.Module, routes: tuple[RouteFact, ...]) -> tuple[str, ...]:
    """Qualnames of this JS/TS module's route methods whose role metadata names back-office roles
    only (`@Roles('admin')`, `@Roles(Role.SuperAdmin)` on the method, else on its controller): a
    roles guard reading it admits nobody else. The method's own metadata overrides its class's."""
    found = []
    for route, function, cls in _routed(module, routes):
        if function is None:
            continue
        decided = _role_metadata(function.decorators)
        if decided is None and cls is not None:
            decided = _role_metadata(cls.decorators)
        if decided:
            found.append(route.qualname)
    return tuple(dict.fromkeys(found))


# a guard or metadata call told which roles may call (`@Roles('admin')`, `require_role(["admin"])`,
# `userHasPermission("admin")`): its arguments name them
_ROLE_ARGUMENT_WORDS = frozenset({"role", "roles", "permission", "permissions"})


def names_admin_roles_only(expr: ir.Expr) -> bool:
    """A guard factory called with the roles it admits (`requireRole([ROLES.admin])`,
    `checkPermissions("superuser")`, as an Express route's middleware) names back-office roles
    only: its name speaks of roles or permissions and every argument spells one of them. A factory
    that also admits another role (`requireRole(["admin", "editor"])`) or reads a variable does not."""
    return isinstance(expr, ir.Call) and bool(_role_metadata((expr,)))


def _role_metadata(decorators: tuple[ir.Expr, ...]) -> bool | None:
    """True when a role decorator names only back-office roles, False when it names another
    role too, None when there is no role decorator."""
    for decorator in decorators:
        if not isinstance(decorator, ir.Call):
            continue
        name = ir.last_name(decorator.func) or ""
        if not {w.lower() for w in words(name)} & _ROLE_ARGUMENT_WORDS:
            continue
        values = [v for a in decorator.args for v in (a.elts if isinstance(a, ir.Seq) else (a,))]
        spelled = [str(v.value) if isinstance(v, ir.Const) else (ir.last_name(v) or "") for v in values]
        return bool(spelled) and all(s.lower() in _ADMIN_ROLE_NAMES for s in spelled)
    return None
