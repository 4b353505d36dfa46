"""Decide, project-wide, the auth of routes whose own code leaves it to settings.

A DRF view without `permission_classes` gets REST framework's DEFAULT_PERMISSION_CLASSES,
which is AllowAny when unset; Django's LoginRequiredMiddleware makes every view require
login unless it opts out. Decided only when the settings module is part of the review: a
module that assigns a setting only Django settings hold (frameworks/django_settings.py), not
any file named settings.py.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from servicelens.analysis.caller_privilege import behind_admin_middleware, in_admin_area
from servicelens.analysis.class_hierarchy import ClassHierarchy
from servicelens.analysis.facts import FileFacts
from servicelens.analysis.signature_auth import with_signature_auth
from servicelens.endpoints.reexports import project_module
from servicelens.model.finding import Finding
from servicelens.frameworks.django_settings import default_auth
from servicelens.frameworks.js_knowledge import controller_frameworks
from servicelens.frameworks.python_handlers import DRF_DEFAULT, OPENED_BY_OPERATION
from servicelens.rules.javascript._node import knowledge


def with_project_auth(facts: Sequence[FileFacts]) -> list[FileFacts]:
    return with_signature_auth(_with_settings_auth(_with_class_auth(_with_router_auth(facts))))


def _with_settings_auth(facts: Sequence[FileFacts]) -> list[FileFacts]:
    settings = {key: value for fact in facts for key, value in fact.settings}
    if not settings:
        return list(facts)
    drf_auth = default_auth(settings)
    # Django's own LoginRequiredMiddleware (or a library's): every view requires login. A class
    # of that name the project defines is read like any of its middleware, exemptions included
    # (endpoints.inventory `decide_django_middlewares`)
    login_middleware = any(not _project_class(entry, facts)
                           for entry in settings.get("login_required_middleware", "").split(",") if entry)
    out = []
    for fact in facts:
        routes = []
        for route in fact.routes:
            if route.framework == "django" and route.auth == "unknown":
                if route.auth_evidence == DRF_DEFAULT:
                    route = replace(route, auth=drf_auth[0], auth_evidence=drf_auth[1])
                elif login_middleware:
                    route = replace(route, auth="required", auth_evidence="LoginRequiredMiddleware")
            routes.append(route)
        out.append(replace(fact, routes=tuple(routes)) if routes != list(fact.routes) else fact)
    return out


def _project_class(dotted: str, facts: Sequence[FileFacts]) -> bool:
    """`config.middleware.LoginRequiredMiddleware` is a class of a reviewed module (one with a method)."""
    module, _, name = dotted.rpartition(".")
    owner = project_module(module, {fact.module_name for fact in facts if fact.language == "python"})
    return owner is not None and any(span.qualname.startswith(f"{name}.") for fact in facts
                                     if fact.module_name == owner for span in fact.spans)


def _with_router_auth(facts: Sequence[FileFacts]) -> list[FileFacts]:
    """FastAPI routers included (directly or through other routers) with an auth dependency:
    `api.include_router(orders.router, dependencies=[Depends(get_current_user)])`."""
    edges = [edge for fact in facts for edge in fact.router_includes]
    if not edges:
        return list(facts)
    children: dict[str, list[str]] = {}
    authed: dict[str, str] = {}
    parents = {edge.parent for edge in edges}

    def canonical(name: str) -> str:
        """The parent spelling of a router name, when another module spells it differently."""
        for parent in parents:
            if parent == name or parent.endswith("." + name) or name.endswith("." + parent):
                return parent
        return name

    for edge in edges:
        edge = replace(edge, child=canonical(edge.child))
        children.setdefault(edge.parent, []).append(edge.child)
        # an include whose check lets some paths through (a JS/TS hook's exemptions) was weighed
        # route by route where its full paths are known (frameworks/express_mounts.py)
        if edge.authenticated and not edge.exempt:
            authed[edge.child] = f"router included with an auth dependency ({edge.parent}.include_router)"
    pending = list(authed)
    while pending:
        parent = pending.pop()
        for child in children.get(parent, ()):
            if child not in authed:
                authed[child] = authed[parent]
                pending.append(child)
    by_tail: dict[str, list[str]] = {}
    for name in authed:
        by_tail.setdefault(".".join(name.split(".")[-2:]), []).append(name)

    def evidence(router: str) -> str | None:
        # module names come from paths (`src.pkg.views`), imports say `pkg.views`: match by suffix
        for name in by_tail.get(".".join(router.split(".")[-2:]), ()):
            if name == router or name.endswith("." + router) or router.endswith("." + name):
                return authed[name]
        return None

    out = []
    for fact in facts:
        routes = []
        for route in fact.routes:
            found = evidence(route.router) if route.auth == "none" and route.router \
                and route.auth_evidence != OPENED_BY_OPERATION else None
            routes.append(replace(route, auth="required", auth_evidence=found) if found else route)
        out.append(replace(fact, routes=tuple(routes)) if tuple(routes) != fact.routes else fact)
    return out


def _with_class_auth(facts: Sequence[FileFacts]) -> list[FileFacts]:
    """Route methods of a class-based view whose base class, in another module, declares the
    auth (`class BaseUserController: user = Depends(get_current_user)`, a DRF mixin with
    `permission_classes = (IsAuthenticated,)`, a flask-restful base resource with
    `decorators = [login_required]`)."""
    auth_classes = {key: evidence for fact in facts for key, evidence in fact.auth_classes}
    if not auth_classes:
        return list(facts)
    hierarchy = ClassHierarchy.of({key: value for fact in facts for key, value in fact.class_bases}, auth_classes)

    def evidence(cls: str) -> str | None:
        for key, depth in hierarchy.ancestors(cls):
            if key in auth_classes:
                return auth_classes[key] + ("" if depth == 0 else f", inherited from {key.rsplit('.', 1)[-1]}")
        return None

    out = []
    for fact in facts:
        routes = []
        for route in fact.routes:
            undecided = route.auth == "none" if route.framework in ("fastapi", "flask") else \
                route.auth == "unknown" and route.framework == "django"
            if undecided and "." in route.qualname:
                found = evidence(f"{fact.module_name}.{route.qualname.rsplit('.', 1)[0]}")
                if found:
                    route = replace(route, auth="required", auth_evidence=found)
            routes.append(route)
        out.append(replace(fact, routes=tuple(routes)) if tuple(routes) != fact.routes else fact)
    return out


# per-file rules that judge an object lookup without knowing what guards the route
_OBJECT_LOOKUP_CONCERNS = frozenset({"broken-object-authorization"})


def without_checked_lookups(findings: Sequence[Finding], facts: Sequence[FileFacts]) -> list[Finding]:
    """Object lookups in handlers whose route a permission check guards: a library permission
    decorator (`@allows.requires(CanEditPost)`) or a middleware on an Express chain that compares
    the caller with what the URL names (`trackBelongsToLoggedInUser`) evaluates it with the request,
    the URL's objects included, before the handler fetches them, so the per-file rule's "fetched
    with no check" is wrong there. The same holds where a declared decorator or dependency may
    check the caller in a way the review did not read (`RouteFact.unread_check`): "no check" needs
    everything before the handler read; and on a route for administrators as the project serves it
    (a router mounted under `/admin`, or behind `requireAdmin` where it is mounted or declared:
    caller_privilege), where acting on any record is the point. A finding names its handler's route in its first step (Python: the
    handler; JS/TS: the registration). A router mounted twice (`/console` behind `requireAdmin`,
    `/v2` behind sign-in alone) has a route fact per mount at one line: the least guarded decides."""
    served: dict[tuple[str, int], bool] = {}
    for fact in facts:
        for route in fact.routes:
            guarded = bool(route.permission_check or route.unread_check or in_admin_area(route)
                           or behind_admin_middleware(route.router_refs))
            served[(fact.rel, route.line)] = served.get((fact.rel, route.line), True) and guarded
    checked = {key for key, guarded in served.items() if guarded}
    if not checked:
        return list(findings)
    return [f for f in findings if not (f.concern in _OBJECT_LOOKUP_CONCERNS and f.evidence
                                        and (f.evidence[0].location.path, f.evidence[0].location.start_line) in checked)]


def without_signed_in_guesses(findings: Sequence[Finding], facts: Sequence[FileFacts]) -> list[Finding]:
    """auth-brute-force findings at a decorator-routed controller's route (NestJS and its kind) whose guards already authenticate the caller
    (`@UseGuards(AuthGuard('jwt'))`, a project guard that verifies the session): only someone signed in
    with a stronger credential reaches the check, so online guessing by a stranger is not its threat.
    Judged once the project's guards are decided (frameworks/nestjs_project.py), from guards alone:
    elsewhere a route counts as "required" also when the handler checks the credential itself (the
    login being judged), so only the rules' own per-handler view decides there.
    Two guards leave the guess open: one that is the check itself (`@UseGuards(LocalGuard)`, passport's
    `local` strategy verifying the password the request carries), and the first factor's session in
    front of a second step (`POST /2fa/verify` behind the JWT guard: the code is what a stolen
    password lacks)."""
    checking = {p.key for fact in facts for p in fact.principals if p.takes_credential}
    second = knowledge().second_factor_paths
    signed_in = {(fact.rel, route.line) for fact in facts for route in fact.routes
                 if route.framework in controller_frameworks() and route.auth == "required"
                 and not checking.intersection(route.principal_refs)
                 and not second.intersection(s.lower() for s in route.path.split("/"))}
    return [f for f in findings if f.concern != "auth-brute-force"
            or (f.location.path, f.location.start_line) not in signed_in]
