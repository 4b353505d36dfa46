"""RouteFact: one handler's route as the per-file phase sees it, refined project-wide."""
from __future__ import annotations

from dataclasses import dataclass

from servicelens.endpoints.injected_call import InjectedCall
from servicelens.frameworks.route_options import RefOptions


@dataclass(frozen=True, slots=True)
class RouteFact:
    qualname: str
    framework: str
    methods: tuple[str, ...]
    path: str  # "" when the route is bound elsewhere (Django urls.py, add_resource, add_get)
    line: int
    auth: str  # required | none | public (by design, set project-wide) | unknown
    auth_evidence: str
    router: str = ""  # project-wide name of the app/router object the route is declared on
    # project-wide names of what may authenticate the caller: decorators, Depends targets and
    # the helpers the handler calls first; endpoints.inventory decides them by their bodies
    principal_refs: tuple[str, ...] = ()
    auth_ref: str = ""  # the decorator whose *name* made `auth` "required", to re-check by its body
    path_suffix: str = ""  # below the viewset's router prefix, for a DRF `@action` ("<pk>/set-password/")
    # what the route's router depends on (`APIRouter(dependencies=[...])`), among principal_refs
    router_refs: tuple[str, ...] = ()
    registered: bool = True  # False: a handler only once some registration names it
    # a library permission decorator (models/python `permission_decorators`) on the route: it
    # checks the caller's permission on what the URL names, so the handler's lookups are checked
    permission_check: str = ""
    # what the route declares around its handler (decorators, `decorators` lists, Depends
    # targets, router dependencies): every one runs before the handler and may refuse the caller
    declared_refs: tuple[str, ...] = ()
    # those of declared_refs that only the handler's class declares (a NestJS controller's
    # `@Public()`): a guard reading the route method's metadata alone does not see them
    class_refs: tuple[str, ...] = ()
    # why the review cannot rule out a check of what the caller may do on this route: a declared
    # decorator or dependency it cannot read whose name speaks of roles or permissions, or a
    # project one answering 401/403 after a test it does not recognise (endpoints.unread)
    unread_check: str = ""
    route_name: str = ""  # Pyramid: the `add_route` name whose pattern is the path (endpoints.pyramid_views)
    # the literal options the route's middleware calls pass (`route({ authentication: "never" })`),
    # for a factory whose check depends on them (frameworks/route_options.py)
    ref_options: tuple[RefOptions, ...] = ()
    # what the handler itself checks of the caller (`this.assertSecret(secret)` throwing 401), judged
    # like Express middleware: it decides when nothing before the handler does (NestJS)
    own_check: str = ""
    # FastAPI/Litestar: the methods the handler calls on what its dependencies inject
    # (`auth.authorize_request(...)` with `auth=Depends(get_auth)`), with the arguments they pass
    # (endpoints.injected_objects): the check a dependency that only hands an object leaves to it
    injected_calls: tuple[InjectedCall, ...] = ()
    # the handler checks a password the client sends and issues a session or token, checking no
    # credential presented with the request (endpoints.sign_ins): a sign-in, whatever its name
    signs_in: bool = False
    # Express: the project-wide names of the module's own functions in the route's middleware chain,
    # judged guard or inert (a ref's name is among principal_refs); which middleware runs, for
    # rules asking about more than authentication (rules/javascript/csrf.py)
    middleware: tuple[str, ...] = ()
    # Express: a middleware factory in the route's chain told which roles may call names back-office
    # roles only (`requireRole([ROLES.admin])`, analysis/caller_privilege.names_admin_roles_only):
    # only staff or administrators call it, whatever the factory is called
    role_only: bool = False
