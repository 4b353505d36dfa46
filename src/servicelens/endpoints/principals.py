"""What authenticates: functions whose body checks a principal and refuses the request otherwise.

A decorator, a FastAPI dependency or a helper counts as auth by what it does, not by its
name: `@cached` whose wrapper aborts 403 when there is no user authenticates;
`@login_required` whose wrapper only calls through does not. A function *guards* when
its body (nested wrappers included)

  - tests the caller (user, token, session, permission, role, API key ...) and on failure
    exits: returns 401/403, `abort(401|403)`, raises an auth or HTTP 401/403 exception,
    or redirects (to a login page);
  - decodes or verifies a credential inside `try` and exits the same way in `except`;
  - calls a verifier that raises on its own (`jwt.decode`, `verify_jwt_in_request`,
    aiohttp-security's `check_authorized` / `check_permission`);
  - or delegates to a guard: a FastAPI `Depends(...)`/`Security(...)` parameter, a
    security scheme (`OAuth2PasswordBearer()`, `HTTPBearer()`, unless `auto_error=False`),
    or a call to another guard. Delegations are followed project-wide by
    `endpoints.inventory`, so a chain across files resolves.

A decorator-shaped function (takes the view, returns it or a wrapper) with no such check
and no call the project cannot see is *inert*: a name like `login_required` on it proves
nothing. Everything else is undecided and keeps whatever its name suggested.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.endpoints.blind_refusals import refuses_alike
from servicelens.endpoints.origin_checks import checks_origin_only
from servicelens.endpoints.refusal_switches import Switch, refusal_switches
from servicelens.endpoints.returned_class import returned_class
from servicelens.endpoints.per_request import registers_per_request
from servicelens.endpoints.middleware_views import middleware_wrapped_view
from servicelens.endpoints.request_path_exemptions import module_strings, request_path_exemptions
from servicelens.analysis.file_index import FileIndex, unindexed
from servicelens.frameworks.route_options import OptionGate
from servicelens.frameworks.router_dependencies import visible_router_dependencies
from servicelens.rules.python._refusals import refuses
from servicelens.rules.python._shared_token_gates import admits_by_one_token

GUARD = "guard"
# a middleware class's per-request methods: the paths they let through are read even when the
# check itself sits in a helper they call
_MIDDLEWARE_HOOKS = frozenset({"process_request", "process_view", "__call__", "dispatch"})
INERT = "inert"

# who is calling: names, attributes and header strings a caller check reads
_PRINCIPAL = re.compile(r"(?i)(user|principal|identity|token|auth|jwt|claim|permission|perm\b|has_perm|role|scope|"
                        r"is_admin|is_staff|is_superuser|superuser|api_?key|session|logged|login|credential|"
                        r"signature|current_|account|member|owner|bearer|"
                        # a constant-time comparison compares a secret the caller presented
                        r"compare_digest)")
_DENIAL_NAMES = re.compile(r"(?i)(unauthori[sz]ed|forbidden|permission_?denied|permissiondenied|not_?authenticated|"
                           r"authentication_?failed|access_?denied|unauthenticated|credentials_exception|"
                           r"invalid_?token|auth_?error|notauthori[sz]ed|"
                           # Falcon's status strings by code (`falcon.HTTP_401`, "401 Unauthorized")
                           r"(^|\.)http_40[13]$)")
# Django's AccessMixin refusal (raises PermissionDenied or redirects to the login page), called as the
# view's own method; a project function that happens to share the name is not Django's and is not read
_MIXIN_REFUSAL = "handle_no_permission"
_REDIRECTS = ("redirect", "HTTPFound", "HTTPSeeOther", "HTTPTemporaryRedirect", "RedirectResponse",
              "HttpResponseRedirect", "redirect_to_login")
# a project's own redirecting exception (`raise Redirect303(url_for(".authenticate"))`)
_REDIRECT_CLASS = re.compile(r"(^|\.)(Redirect\d{3}|\w*RedirectException|\w*Redirect)$")
_RAISING_VERIFIERS = frozenset({"verify_jwt_in_request", "check_authorized", "check_permission", "decode_token",
                                "verify_token", "verify_id_token", "check_permissions", "has_permission_or_403"})
# the last names of the calls `body_guard` accepts as a verifier (`jwt.decode` ends in `decode`)
_VERIFIER_LAST_NAMES = tuple(sorted(_RAISING_VERIFIERS | {"decode"}))
_SCHEMES = frozenset({"OAuth2PasswordBearer", "OAuth2AuthorizationCodeBearer", "HTTPBearer", "HTTPBasic",
                      "HTTPDigest", "APIKeyHeader", "APIKeyCookie", "APIKeyQuery", "OpenIdConnect", "OAuth2"})
_PASSTHROUGH = frozenset({"wraps", "update_wrapper", "print", "debug", "info", "warning", "warn", "getLogger",
                          "iscoroutinefunction", "isawaitable", "time", "perf_counter", "monotonic"})


@dataclass(frozen=True, slots=True)
class Principal:
    """One function or security-scheme object of the project, as far as auth is concerned."""

    key: str  # module_name + "." + qualname
    verdict: str  # guard | inert | "" (undecided on its own)
    evidence: str  # what it checks, for a guard
    delegates: tuple[str, ...] = ()  # project-wide names it hands the decision to (Depends, calls)
    may_refuse: bool = True  # its body raises, aborts or mentions 401/403 somewhere
    # a middleware's paths it lets through before its check: ("prefix" | "exact", literal)
    exempt_paths: tuple[tuple[str, str], ...] = ()
    # a module-level name standing for what it delegates to (`CurrentUser = Annotated[...]`,
    # `require_admin = KeyChecker(...)`): no body of its own, so no step of a delegation chain
    alias: bool = False
    # its body answers 401/403 or raises/returns a "forbidden"-like name somewhere: it turns a
    # caller away for who they are, even when the review does not recognise what it tested
    denies: bool = False
    # the project-wide names of its own bare decorators: `@permission_gate def global_admin(...)`
    # makes `global_admin` whatever `permission_gate` returns, so using it as a decorator runs
    # the gate's wrapper (followed by the inventory only to functions the project defines)
    decorated_by: tuple[str, ...] = ()
    # it reads the view's URL arguments (`kwargs["pk"]`) and asks about the caller: an object
    # check of what the URL names (`@owner_or_manager(Employee)`), not only "who is signed in"
    url_object_check: bool = False
    # it can keep the view from running: a guard, a raise/abort/401/403, or a call to the
    # wrapped view made only under a condition (`if allowed: return view(...)`)
    gates_view: bool = False
    # its body looks at the signed-in caller (`current_user.is_librarian`): as a predicate a
    # refusing gate decorates, it is the check the gate enforces
    asks_caller: bool = False
    # the test that decides whether the view runs asks for a back-office role of the caller
    # (`current_user.is_admin`, `user.role.name in ["Administrator", "Operator"]`)
    role_check: bool = False
    # it is the credential check itself, not a session the caller already holds: a guard whose
    # strategy verifies the password the request carries (passport's `local`)
    takes_credential: bool = False
    # a middleware hook that hands a request carrying no credential on unchecked (`if not token:
    # return self.get_response(request)`): whatever it refuses later, an anonymous caller passes
    lets_anonymous: bool = False
    # its body turns a caller away somewhere: raises or returns a denial, or redirects (to a login page)
    turns_away: bool = False
    # every refusal it makes turns any caller away alike, under tests that read nothing about the
    # caller (a read-only switch refusing writes): no check of who calls (endpoints.blind_refusals)
    refuses_alike: bool = False
    # the parameters every refusal it makes sits behind (`if require and not allowed: raise ...`):
    # a caller passing `require=False` is answered, not refused (endpoints.refusal_switches)
    switches: tuple[Switch, ...] = ()
    # the project-wide class of what it returns, when its code says it (`-> Gatekeeper`, `return
    # Gatekeeper(...)`): the object a handler is handed when it is a dependency
    returns_class: str = ""
    # a NestJS guard's reads of the route metadata it tests (`if (!roles) return true`): (key, line of the read), so a
    # finding about what the test cannot see stands on it
    metadata_tests: tuple[tuple[str, int], ...] = ()
    # the decorators it wraps the view in besides its own code, as project-wide (or library)
    # names: its wrapper's own decorators (`@login_required def inner`) and a decorator it
    # returns applied to the view (`return login_required(view)`); each runs before the view
    applies: tuple[str, ...] = ()
    # a middleware factory's check runs only for some values of a field of its options
    # (`route({ authentication: "never" })` lets the caller through): frameworks/route_options.py
    option_gate: OptionGate | None = None
    # what it refuses on is only where the request comes from (the Origin/Referer headers against an
    # allow-list: a CORS check, endpoints.origin_checks), never who sends it: no auth check
    origin_only: bool = False


def module_principals(module: ir.Module, imports: Mapping[str, str],
                      index: FileIndex | None = None) -> tuple[Principal, ...]:
    """Every top-level function and method of the module, and its security-scheme objects.
    `index` (the file's one traversal) gives the bodies' nodes without walking them again."""
    nodes = index if index is not None else unindexed()
    nested: dict[str, list[ir.Function]] = {}
    for function in module.functions:
        if function.parent is not None:
            nested.setdefault(function.parent, []).append(function)
    found = []
    name_parts: dict[str, int] = {}  # a name part's `_part_flags`, asked once per file
    targets: dict[tuple[str, str], str] = {}  # a callee's project-wide name (`_call_target`), asked once per file
    module_lists = _module_lists(module)
    for function in module.functions:
        if function.parent is not None and not any(registers_per_request(d) for d in function.decorators):
            continue  # a closure is judged with the function that defines it (a decorator's wrapper)
        # a closure registered to run before every request (`@app.before_request` or
        # `@app.middleware("http")` inside `create_app`) is judged on its own too, under its own name
        family = list(_family(function, nested))
        # which of them can turn a caller away at all (`_may_deny`): the denial readings below
        # look only at those, the rest answer no without walking their statements
        readings = [_denial_readings(f, nodes, name_parts) for f in family]
        denies = [forbidden for forbidden, _ in readings]
        may_deny = [may for _, may in readings]
        deniers = [f for f, d in zip(family, may_deny) if d]
        evidence = next((e for f, d in zip(family, may_deny) if (e := body_guard(f, nodes, d)) is not None), None)
        # a CORS check compares the Origin with configured sites: a test of a secret-looking setting
        # (`current_app.config[...]`) that is no test of who calls
        origin_only = any(denies) and checks_origin_only(family)
        evidence = None if origin_only else evidence
        if evidence and function.name not in evidence:
            evidence = f"`{function.name}`: {evidence}"  # the check sits in its nested wrapper
        delegates = tuple(dict.fromkeys([d for f in family for d in _delegates(f, module, imports, nodes, targets)]
                                        + _returned_callable(function, module, imports)))
        applies = _applied_decorators(family, module, imports) or \
            middleware_wrapped_view(function, lambda name: qualify(name, module, imports))
        verdict = GUARD if evidence else INERT if _inert_decorator(function, family, delegates + applies) else ""
        # every function is listed, undecided ones too: "all of an app's middlewares are visible
        # and none guards" needs to know the ones that do nothing
        # refusing is answering 401/403 (asked once above) or raising/aborting anywhere
        may_refuse = any(d or _raises_or_aborts(f, nodes) for f, d in zip(family, denies))
        found.append(Principal(f"{module.module_name}.{function.qualname}", verdict, evidence or "", delegates,
                               may_refuse,
                               _exempt_paths(function, module) or (request_path_exemptions(function, module, _refuses_with_redirect)
                                                           if function.class_name and (evidence or function.name in _MIDDLEWARE_HOOKS)
                                                           else _closure_exemptions(family, module) if evidence else ()),
                               denies=any(denies), decorated_by=_own_decorators(function, module, imports),
                               url_object_check=_checks_url_object(family),
                               gates_view=bool(evidence) or may_refuse or _calls_view_conditionally(family),
                               asks_caller=_asks_caller(family, nodes),
                               # a holder of the operator's one configured token is as privileged as staff
                               role_check=_role_check(family, module_lists)
                               or any(_compares_two(f, nodes) for f in family) and admits_by_one_token(family),
                               applies=applies,
                               # a middleware factory hands each request to the closure it returns
                               lets_anonymous=any(_lets_anonymous(f, d) for f, d in zip(family, may_deny)),
                               turns_away=any(_refuses_with_redirect(f.body) for f in deniers),
                               # a function that cannot refuse adds no refusal to weigh
                               refuses_alike=not evidence and refuses_alike(deniers, _refusing, _mentions_principal),
                               switches=refusal_switches(function, _refusing) if may_refuse else (),
                               returns_class=qualify(returned_class(function), module, imports)
                               if function.parent is None and not function.class_name else "",
                               origin_only=origin_only))
    found.extend(_schemes(module))
    scheme_keys = {p.key for p in found}
    found.extend(p for p in _module_objects(module, imports) if p.key not in scheme_keys)
    return tuple(found)


# the parameter a decorator's wrapper receives the view's URL arguments in
_URL_KWARGS = frozenset({"kwargs", "kwds", "kw", "view_kwargs", "url_kwargs"})
# the signed-in caller as the code names it: `request.user`, `current_user`, `g.user`
_CALLER = re.compile(r"(^|\.)(current_user|current_identity|user)(\.|$)")
_CALLER_PARTS = frozenset({"current_user", "current_identity", "user"})  # the parts `_CALLER` matches


def _checks_url_object(family: list[ir.Function]) -> bool:
    """The function (its nested wrappers included) reads the view's URL arguments
    (`kwargs["emp_id"]`, `kwargs.get(key)`, `kwargs.values()`) and looks at the caller (`request.user`,
    `current_user`): a check of the caller against what the URL names."""
    url = {p.name for f in family for p in f.params if p.kind == "kwarg" or p.name in _URL_KWARGS}
    if not url:
        return False
    reads_url = asks_caller = False
    for function in family:
        for stmt in ir.walk_stmts(function.body):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if isinstance(node, ir.Subscript) and isinstance(node.value, ir.Name) and node.value.id in url:
                        reads_url = True
                    elif isinstance(node, ir.Attr) and isinstance(node.value, ir.Name) and node.value.id in url:
                        reads_url = True  # `kwargs.get(key)`, `kwargs.values()`
                    elif isinstance(node, (ir.Name, ir.Attr)) and _CALLER.search(ir.dotted_name(node) or ""):
                        asks_caller = True
            if reads_url and asks_caller:
                return True
    return False


def _asks_caller(family: list[ir.Function], index: FileIndex) -> bool:
    """Some expression of the body names the signed-in caller (`current_user.is_admin`): a dotted
    name with one of `_CALLER`'s parts. Every part of a chain is a node of its own in the body
    (`request.user.id` holds `request.user`, ending in the part), so each name and attribute is
    tested by its own last part, and a chain is spelled only for an attribute that matches (it
    names the caller only when the chain is a dotted name: not `get().user`)."""
    for function in family:
        if any(node.id in _CALLER_PARTS for node in index.block_of_kind(function.body, ir.Name)):
            return True
        if any(node.attr in _CALLER_PARTS and ir.dotted_name(node) is not None
               for node in index.block_of_kind(function.body, ir.Attr)):
            return True
    return False


# roles that run the service rather than use it
_BACK_OFFICE = frozenset({"admin", "admins", "administrator", "administrators", "superuser", "superadmin", "staff",
                          "sudo", "operator", "operators", "root"})
# the caller's attributes that hold a role to compare (`user.role.name in roles`)
_ROLE_ATTRS = frozenset({"role", "roles", "role_name", "rolename", "user_role", "group", "groups"})


def _name_words(name: str) -> set[str]:
    """`is_globalAdmin` -> {"is", "global", "admin"}."""
    return set(re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower().replace("-", "_").split("_")) - {""}


def _module_lists(module: ir.Module) -> dict[str, ir.Expr]:
    """Module-level names bound to a list or tuple display (`CONSOLE_ROLES = ("Administrator", ...)`),
    the last binding kept: the same for every function of the file, so laid out once."""
    return {t.id: stmt.value for stmt in module.body if isinstance(stmt, ir.Assign)
            and isinstance(stmt.value, ir.Seq) for t in stmt.targets if isinstance(t, ir.Name)}


def _role_check(family: list[ir.Function], module_lists: Mapping[str, ir.Expr]) -> bool:
    """The view runs only for a back-office role of the caller: a flag named for it
    (`current_user.is_admin`, `user.global_admin`), or the caller's role compared with values
    that all name one (`current_user.role.name in roles` where `roles` defaults to
    `["Administrator", "Operator"]`). Read in a refusal (`if not <role>: abort(403)`, also `or`-ed
    with more reasons to refuse), in a grant followed by a refusal (`if <role>: return view(...)`
    then `raise ...`, also `and`-ed with more conditions), or in what a predicate a gate decorates
    returns; a role that is one way in among others (`if <role> or allow_self ...`), or an admin
    shortcut before other checks, makes no back-office route. `module_lists`: `_module_lists`."""
    # what a compared name holds: a module constant (`CONSOLE_ROLES = ("Administrator", ...)`) or
    # a parameter's default (`def api_role_can(action, roles=None)` ... `roles = [...]` aside)
    defaults = dict(module_lists)
    defaults.update({p.name: p.default for f in family for p in f.params if p.default is not None})
    views = {f.params[0].name for f in family if f.params and f.params[0].kind not in ("vararg", "kwarg")}
    for function in family:
        body = function.body
        for index, stmt in enumerate(body):
            if not isinstance(stmt, ir.If):
                continue
            if _refuses(stmt.body, views) and _requires_role(stmt.test, "or", True, defaults):
                return True
            rest = body[index + 1:]
            if _calls_view(stmt.body, views) and _refuses(rest, views) and not _calls_view(tuple(ir.walk_stmts(rest)), views) \
                    and _requires_role(stmt.test, "and", False, defaults):
                return True
    predicate = family[0]
    return any(not isinstance(d, ir.Call) for d in predicate.decorators) and predicate.class_name is None and any(
        isinstance(stmt, ir.Return) and stmt.value is not None and _requires_role(stmt.value, "and", False, defaults)
        for stmt in predicate.body)


def _calls_view(body: tuple[ir.Stmt, ...], views: set[str]) -> bool:
    return any(isinstance(stmt, ir.Return) and stmt.value is not None and any(
        isinstance(n, ir.Call) and isinstance(n.func, ir.Name) and n.func.id in views for n in ir.walk_expr(stmt.value))
        for stmt in body)


def _refuses(body: tuple[ir.Stmt, ...], views: set[str]) -> bool:
    """The block turns the request away: it raises, aborts, or returns something other than
    the view's answer."""
    return any(isinstance(stmt, ir.Raise)
               or isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call)
               and (ir.dotted_name(stmt.value.func) or "").rsplit(".", 1)[-1] == "abort"
               or isinstance(stmt, ir.Return) and stmt.value is not None and not _calls_view((stmt,), views)
               for stmt in body)


def _requires_role(test: ir.Expr, joined: str, negated: bool, defaults: Mapping[str, ir.Expr]) -> bool:
    """`test` holds only with (negated: only without) the role: the role test itself, or one
    operand of a `joined` chain (refusals: `or`; grants and predicates: `and`)."""
    if isinstance(test, ir.BoolOp):
        return test.op == joined and any(_requires_role(v, joined, negated, defaults) for v in test.values)
    if isinstance(test, ir.Unary) and test.op == "not":
        return _requires_role(test.operand, "and" if joined == "or" else "or", not negated, defaults)
    if isinstance(test, ir.Attr) and not negated:
        return bool(_CALLER.search(ir.dotted_name(test) or "")) and bool(_BACK_OFFICE & _name_words(test.attr)) \
            and test.attr not in _ROLE_ATTRS
    if isinstance(test, ir.Compare) and len(test.ops) == 1:
        wanted = test.ops[0] in ("in", "==") if not negated else test.ops[0] in ("not in", "!=")
        return wanted and _compares_role(test, defaults)
    return False


def _compares_role(node: ir.Compare, defaults: Mapping[str, ir.Expr]) -> bool:
    sides = (node.left, *node.comparators)
    role = [side for side in sides if (name := ir.dotted_name(side) or "") and _CALLER.search(name)
            and _ROLE_ATTRS & set(name.split("."))]
    if not role:
        return False
    values: list[str] = []
    for side in sides:
        if side in role:
            continue
        held = defaults.get(side.id) if isinstance(side, ir.Name) else side
        for value in (held.elts if isinstance(held, ir.Seq) else (held,)) if held is not None else ():
            if isinstance(value, ir.Const) and isinstance(value.value, str):
                values.append(value.value)
            else:
                name = ir.last_name(value) if isinstance(value, (ir.Name, ir.Attr)) else None
                values.append(name or "")
    return bool(values) and all(_BACK_OFFICE & _name_words(value) for value in values)


def _calls_view_conditionally(family: list[ir.Function]) -> bool:
    """A wrapper that calls the view it wraps (a parameter of the decorator) only inside an `if`
    and returns something else otherwise: `if can_enter: return function(request, ...)` then
    `return render(request, "no_perm.html")`."""
    # the view is the first parameter of the decorator, or of the decorator a factory returns
    views = {f.params[0].name for f in family if f.params and f.params[0].kind not in ("vararg", "kwarg")}
    if not views or len(family) < 2:
        return False
    for function in family[1:]:
        guarded_call = any(isinstance(stmt, ir.If) and any(
            isinstance(node, ir.Call) and isinstance(node.func, ir.Name) and node.func.id in views
            for inner in ir.walk_stmts(stmt.body) for e in ir.stmt_exprs(inner) for node in ir.walk_expr(e))
            for stmt in function.body)
        other_return = any(isinstance(stmt, ir.Return) and stmt.value is not None and not any(
            isinstance(node, ir.Call) and isinstance(node.func, ir.Name) and node.func.id in views
            for node in ir.walk_expr(stmt.value)) for stmt in function.body)
        if guarded_call and other_return:
            return True
    return False


def _own_decorators(function: ir.Function, module: ir.Module, imports: Mapping[str, str]) -> tuple[str, ...]:
    """A module-level function's bare decorators (`@permission_gate`), as project-wide names: the
    function's name then stands for what the decorator returned. Route registrations are calls
    (`@bp.route(...)`) and are not among them."""
    if function.class_name is not None or function.parent is not None:
        return ()
    names = (qualify(ir.dotted_name(d) or "", module, imports) for d in function.decorators if not isinstance(d, ir.Call))
    return tuple(dict.fromkeys(name for name in names if name))


def _applied_decorators(family: list[ir.Function], module: ir.Module, imports: Mapping[str, str]) -> tuple[str, ...]:
    """What a decorator wraps the view in: the decorators of its nested wrappers (`@wraps(view)
    @login_required def inner(...)`, `@roles_required("admin")` by the name it calls), and a
    decorator it returns applied to the view or to its own wrapper (`return login_required(view)`).
    A call of a decorator on anything else (`login_required(other)`) wraps nothing of this view."""
    if family[0].class_name is not None or not family[0].params:
        return ()
    nested = family[1:]
    views = {f.params[0].name for f in family if f.params and f.params[0].kind not in ("vararg", "kwarg")} \
        | {f.name for f in nested}
    names: list[str] = []
    returns_view = False  # decorator-shaped: it hands back the view, its wrapper, or either wrapped
    for function in family:
        for stmt in function.body:
            if not isinstance(stmt, ir.Return) or stmt.value is None:
                continue
            if isinstance(stmt.value, ir.Name) and stmt.value.id in views:
                returns_view = True
            elif isinstance(stmt.value, ir.Call) and stmt.value.args \
                    and isinstance(stmt.value.args[0], ir.Name) and stmt.value.args[0].id in views:
                returns_view = True
                names.append(ir.dotted_name(stmt.value.func) or "")
    if not returns_view:
        return ()
    for function in nested:
        for decorator in function.decorators:
            names.append(ir.dotted_name(decorator.func if isinstance(decorator, ir.Call) else decorator) or "")
    qualified = (qualify(name, module, imports) for name in names
                 if name and name.rsplit(".", 1)[-1] not in _PASSTHROUGH and name not in views)
    return tuple(dict.fromkeys(name for name in qualified if name))


def _returned_callable(function: ir.Function, module: ir.Module, imports: Mapping[str, str]) -> list[str]:
    """`def Authenticator(...) -> _Authenticator`: a factory whose result FastAPI calls when it is
    a dependency (`Depends(Authenticator(...))`); the returned class's `__call__` decides."""
    returned = ir.dotted_name(function.returns) if function.returns is not None else None
    if not returned or not returned.rsplit(".", 1)[-1].lstrip("_")[:1].isupper() or function.class_name is not None:
        return []
    cls = qualify(returned, module, imports)
    return [cls + ".__call__"] if cls else []


def _module_objects(module: ir.Module, imports: Mapping[str, str]) -> Iterator[Principal]:
    """Module-level names a route may depend on whose decision lies elsewhere:
    `require_admin = KeyChecker(...)` (FastAPI calls its class's `__call__`),
    `current_active_user = current_user(active=True)` (what the factory builds) and
    `CurrentUser = Annotated[User, Depends(get_current_user)]` (the dependency it carries)."""
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        delegates: tuple[str, ...] = ()
        if isinstance(stmt.value, ir.Call):
            callee = ir.dotted_name(stmt.value.func) or ""
            if callee.rsplit(".", 1)[-1][:1].isupper() and (cls := qualify(callee, module, imports)):
                # a class's instance is called per request; a capitalised factory function
                # (`Authenticator(...)`) decides by what it returns
                delegates = (cls + ".__call__", cls)
            elif target := qualify(callee, module, imports):
                # `current_active_user = current_user(active=True)`: a factory's nested
                # dependency; the factory's body (its nested functions included) decides
                delegates = (target,)
        elif isinstance(stmt.value, ir.Subscript):
            # `Annotated[Role, Depends(get_role)]`, or a factory whose result FastAPI runs
            # (`Annotated[Role, RoleACL(allow_user=True)]`, RoleACL returning a `Depends(...)`)
            delegates = tuple(dict.fromkeys([*depends_targets(stmt.value, module, imports),
                                             *_annotated_factories(stmt.value, module, imports)]))
        elif isinstance(stmt.value, (ir.Name, ir.Attr)) and (other := qualify(ir.dotted_name(stmt.value) or "",
                                                                             module, imports)):
            # `ENFORCER = rbac_enforcer.RBACEnforcer`: another name for a class or function, so
            # `ENFORCER.enforce_call(...)` is that class's method
            delegates = (other,)
        for target in stmt.targets:
            if delegates and isinstance(target, ir.Name):
                yield Principal(f"{module.module_name}.{target.id}", "", "", delegates, alias=True)


def _annotated_factories(expr: ir.Subscript, module: ir.Module, imports: Mapping[str, str]) -> Iterator[str]:
    """The project's calls in an `Annotated[...]`'s metadata that are not `Depends`/`Security`
    themselves: what each returns is the dependency (followed by `_returned_dependencies`)."""
    if (ir.dotted_name(expr.value) or "").rsplit(".", 1)[-1] != "Annotated":
        return
    for node in ir.walk_expr(expr.index):
        if isinstance(node, ir.Call) and (name := ir.dotted_name(node.func) or "") \
                and name.rsplit(".", 1)[-1] not in _DEPENDENCY_MARKERS and (target := qualify(name, module, imports)):
            yield target


def _exempt_paths(function: ir.Function, module: ir.Module | None = None) -> tuple[tuple[str, str], ...]:
    """`async def auth(request, handler)` that first does `if path.startswith("/auth/") or
    path == "/features": return await handler(request)`: the paths it passes on unchecked. The
    paths may be a module constant (`path.startswith(PUBLIC_PREFIXES)`), and the test a function
    of the module the path is handed to (`if _is_exempt(request.path): return await handler(request)`)."""
    params = [p.name for p in function.params if p.name not in ("self", "cls")]
    if len(params) < 2:
        return ()
    handler = params[1]
    passing = [stmt for stmt in function.body if isinstance(stmt, ir.If) and _passes_on(stmt.body, handler)]
    if not passing:
        return ()  # (most functions) the module's constants and helpers are laid out only for one that passes on
    constants = module_strings(module) if module is not None else {}
    helpers = {f.name: f for f in module.functions if f.class_name is None and f.parent is None} \
        if module is not None else {}
    found: list[tuple[str, str]] = []
    for stmt in passing:
        tests = stmt.test.values if isinstance(stmt.test, ir.BoolOp) and stmt.test.op == "or" else (stmt.test,)
        for test in tests:
            found.extend(_path_test(test, constants) or _helper_test(test, constants, helpers))
    return tuple(found)


def _helper_test(test: ir.Expr, constants: Mapping[str, tuple[str, ...]],
                 helpers: Mapping[str, ir.Function]) -> list[tuple[str, str]]:
    """`_is_exempt(request.path)` where the module's `_is_exempt(path)` returns a test of its
    parameter against a path constant (`any(path == p or path.startswith(p) for p in OPEN)`):
    each listed path, as a prefix when the helper tests `startswith`, exactly otherwise."""
    if not (isinstance(test, ir.Call) and isinstance(test.func, ir.Name) and test.func.id in helpers and test.args):
        return []
    helper = helpers[test.func.id]
    returns = [s.value for s in ir.walk_stmts(helper.body) if isinstance(s, ir.Return) and s.value is not None]
    if len(returns) != 1:
        return []
    nodes = list(ir.walk_expr(returns[0]))
    listed = [constants[n.id] for n in nodes if isinstance(n, ir.Name) and n.id in constants]
    if len(listed) != 1:
        return []
    prefix = any(isinstance(n, ir.Call) and isinstance(n.func, ir.Attr) and n.func.attr == "startswith" for n in nodes)
    return [("prefix" if prefix else "exact", value) for value in listed[0] if value.startswith("/")]


def _passes_on(body: tuple[ir.Stmt, ...], handler: str) -> bool:
    return bool(body) and isinstance(body[0], ir.Return) and body[0].value is not None and any(
        isinstance(n, ir.Call) and isinstance(n.func, ir.Name) and n.func.id == handler
        for n in ir.walk_expr(body[0].value))


def _path_test(test: ir.Expr, constants: Mapping[str, tuple[str, ...]] | None = None) -> list[tuple[str, str]]:
    """`p.startswith("/auth/")` -> prefix; `p == "/logs"` -> exact; `p in ("/a", "/b")` -> exact each;
    a module constant (`p.startswith(PUBLIC_PREFIXES)`, `p in OPEN_PATHS`) stands for its strings."""
    known = constants or {}

    def strings(expr: ir.Expr) -> tuple[str, ...]:
        if isinstance(expr, ir.Name) and expr.id in known:
            return known[expr.id]
        values = expr.elts if isinstance(expr, ir.Seq) else (expr,)
        return tuple(v.value for v in values if isinstance(v, ir.Const) and isinstance(v.value, str))

    if isinstance(test, ir.Call) and isinstance(test.func, ir.Attr) and test.func.attr == "startswith" and test.args:
        return [("prefix", v) for v in strings(test.args[0])]
    if isinstance(test, ir.Compare) and len(test.ops) == 1 and test.ops[0] in ("==", "in"):
        return [("exact", v) for v in strings(test.comparators[0]) if v.startswith("/")]
    return []


def _raises_or_aborts(function: ir.Function, index: FileIndex) -> bool:
    """A raise or an `abort(...)` in the body: with `_answers_forbidden`, anything that could
    turn a caller away."""
    if any(type(stmt) is ir.Raise for stmt in index.walk_stmts(function.body)):
        return True
    # `calls_named` keeps every call whose callee ends in `abort`, `x().abort()` too: the dotted
    # spelling decides, as it always did
    return any((ir.dotted_name(call.func) or "").rsplit(".", 1)[-1] == "abort"
               for call in index.calls_named("abort", function.body))


def _answers_forbidden(function: ir.Function, index: FileIndex, known: dict[str, int]) -> bool:
    """A 401/403 or a forbidden/unauthorised dotted name anywhere in the body (`_denial_readings`)."""
    return _denial_readings(function, index, known)[0]


def _may_deny(function: ir.Function, index: FileIndex, known: dict[str, int]) -> bool:
    """Can a block of the body turn a caller away as `_exits_denied` or `_refusing` read it (`_denial_readings`)?"""
    return _denial_readings(function, index, known)[1]


def _denial_readings(function: ir.Function, index: FileIndex, known: dict[str, int]) -> tuple[bool, bool]:
    """Two yes/no readings over every node of the body, each node kind taken from the index on its own:

    - answers forbidden: a 401/403 or a forbidden/unauthorised dotted name anywhere (`_denies` with
      `redirect_ok=False`), or Django's `self.handle_no_permission`;
    - may deny: some block of it can turn a caller away as `_exits_denied` (either `redirect_ok`) or
      `_refusing` read it, which needs a bare `raise` or a node `_denies` accepts with `redirect_ok=True`
      (a 401/403 or 30x constant, a dotted name that is a denial or a redirect). A no answers each of
      those readings no for every block of the body, without walking its statements.

    A dotted name is a denial (or a redirect) when one of its parts is: no alternative of the denial
    and 30x patterns spans a dot, and the redirect tests read the last part. Each part of a chain is
    a node of its own in the body, ending in that part (`exc.PermissionDenied` holds `exc`): so each
    name and attribute is tested by its own last part, once per file (`known`), and a chain is
    spelled only for an attribute that is a denial (it counts only when the chain is a dotted name:
    not `get().forbidden`)."""
    body = function.body
    forbidden = may = False
    for const in index.block_of_kind(body, ir.Const):
        value = const.value
        if type(value) is not bool and value in _DENYING_STATUSES:
            may = True
            if value in (401, 403):
                return True, True
    for node in index.block_of_kind(body, ir.Name):
        flags = _part_flags(node.id, known)
        if flags & _DENIAL:
            return True, True
        may = may or bool(flags)
    for attr in index.block_of_kind(body, ir.Attr):
        flags = _part_flags(attr.attr, known)
        if not forbidden and (flags & _DENIAL and ir.dotted_name(attr) is not None
                              or attr.attr == _MIXIN_REFUSAL and ir.dotted_name(attr.value) == "self"):
            forbidden = True
        may = may or bool(flags)
        if forbidden and may:
            return True, True
    return forbidden, may or any(type(stmt) is ir.Raise and stmt.exc is None for stmt in index.walk_stmts(body))


_DENYING_STATUSES = (401, 403, 302, 303, 307)  # `_denies`' constants (redirects included)
_HTTP_REDIRECT_NAME = re.compile(r"(?i)HTTP_30[1237]_")
_DENIAL, _REDIRECT = 1, 2  # `_part_flags`


def _part_flags(part: str, known: dict[str, int]) -> int:
    """What `_denies` makes of a dotted name holding `part`: a denial, a redirect, neither (0)."""
    flags = known.get(part)
    if flags is None:
        redirect = part in _REDIRECTS or _REDIRECT_CLASS.search(part) or _HTTP_REDIRECT_NAME.search(part)
        flags = known[part] = (_DENIAL if _denial_name(part) else 0) | (_REDIRECT if redirect else 0)
    return flags


def _compares_two(function: ir.Function, index: FileIndex) -> bool:
    """The body compares two values (`==`/`!=` alone, or a constant-time comparison function): what
    `admits_by_one_token` looks for first in every `if` it reads."""
    return any(node.ops in (("==",), ("!=",)) for node in index.block_of_kind(function.body, ir.Compare)) \
        or any(index.calls_named(name, function.body) for name in _TOKEN_COMPARISONS)


# the comparison functions `_shared_token_gates` reads (its `_COMPARISONS`)
_TOKEN_COMPARISONS = ("compare_digest", "timingSafeEqual", "constant_time_compare")


def _family(function: ir.Function, nested: Mapping[str, list[ir.Function]]) -> Iterator[ir.Function]:
    yield function
    for child in nested.get(function.qualname, ()):
        yield from _family(child, nested)


# a CSRF token proves the request came from the site's own form, not who sent it
_NOT_CALLER = re.compile(r"(?i)csrf|xsrf")


def body_guard(function: ir.Function, index: FileIndex | None = None, may_deny: bool = True) -> str | None:
    """What the body itself checks before it refuses the caller, or None. `may_deny=False`
    (`_may_deny` said no) skips the readings that need a denial in a block."""
    if _NOT_CALLER.search(function.name):
        return None
    nodes = index if index is not None else unindexed()
    # with the file's index, a body calling no verifier skips the per-statement call test
    # (its calls are grouped by last name once per file); without one, every call is looked at
    verifies = index is None or _file_verifies(nodes) \
        and any(nodes.calls_named(name, function.body) for name in _VERIFIER_LAST_NAMES)
    # read only by the `try` test below, which needs a handler that exits denied
    optional = _when_present(function.body) if may_deny else frozenset()
    for stmt in nodes.walk_stmts(function.body):
        # the first, second and fourth tests each need some part of the `if` test to mention the
        # caller (`_mentions_principal` of it or of a part of it): a test none of whose nodes does
        # is looked at by the third alone
        principal = isinstance(stmt, ir.If) and _may_mention_principal(nodes.walk(stmt.test))
        if principal and may_deny and _refuses_absent(stmt.test) and not _mentions_password(stmt.test):
            if _exits_denied(stmt.body, redirect_ok=True):
                return f"`{function.name}` checks `{_short(stmt.test)}` and refuses the request"
        if principal and may_deny and stmt.orelse and _grants(stmt.test) and not _mentions_password(stmt.test) \
                and _exits_denied(stmt.orelse, redirect_ok=True):
            return f"`{function.name}` lets the request on only when `{_short(stmt.test)}` holds, else refuses it"
        if isinstance(stmt, ir.If) and _tests_absence(stmt.test) and not _mentions_password(stmt.test) \
                and _exits_unauthenticated(stmt.body):
            return f"`{function.name}` answers 401 when `{_short(stmt.test)}` is missing"
        if principal and _permission_refused(stmt.test) and _raises(stmt.body):
            return f"`{function.name}` raises when `{_short(stmt.test)}` refuses the caller"
        if principal and _refuses_absent(stmt.test) and _asks_request_caller(stmt.test) \
                and not _mentions_password(stmt.test) and _raises(stmt.body):
            return f"`{function.name}` raises when `{_short(stmt.test)}` (a test of the caller the request carries)"
        elif may_deny and isinstance(stmt, ir.Try) and id(stmt) not in optional \
                and any(_exits_denied(h.body, redirect_ok=False) for h in stmt.handlers) and _verifies_in(stmt.body):
            return f"`{function.name}` verifies a credential and refuses the request when it is invalid"
        for node in nodes.stmt_of_kind(stmt, ir.Call) if verifies else ():
            name = ir.dotted_name(node.func) or ""
            if name.rsplit(".", 1)[-1] in _RAISING_VERIFIERS or name in ("jwt.decode", "jose.jwt.decode"):
                return f"`{function.name}` calls `{name}`, which refuses a caller who fails the check"
    granted = _granted_before_refusal(function.body)
    return f"`{function.name}` refuses the request unless `{granted}` lets it through first" if granted else None


_FILE_VERIFIES = "principals-file-verifies"


def _file_verifies(index: FileIndex) -> bool:
    """Does any call of the file end in a verifier's last name? Asked once per file (kept on the
    index), so a file calling none asks no function's body about each name. An index laying out
    no statement (`unindexed()`) knows no file's calls: each body is asked."""
    if not index.statements:
        return True
    found = index.derived.get(_FILE_VERIFIES)
    if found is None:
        found = index.derived[_FILE_VERIFIES] = not index.callee_names().isdisjoint(_VERIFIER_LAST_NAMES)
    return found  # type: ignore[return-value]


# what a middleware calls to hand the request on to the next layer and the view
_HAND_ON = frozenset({"get_response", "call_next", "handler", "app"})


def _lets_anonymous(function: ir.Function, may_deny: bool = True) -> bool:
    """A request that carries nothing is handed on unchecked: `if not token: return
    self.get_response(request)` among the body's first statements, or every check nested in
    `if request.user.is_authenticated:` (no `else` that refuses) before the body hands on.
    `may_deny=False`: `_may_deny` said no, so no `else` refuses."""
    for stmt in function.body:
        if isinstance(stmt, ir.If) and _tests_absence(stmt.test) and stmt.body and _hands_on(stmt.body[-1]):
            return True
        if isinstance(stmt, ir.If) and _grants(stmt.test) \
                and not (may_deny and _exits_denied(stmt.orelse, redirect_ok=True)):
            continue  # only a caller who has something is looked at here
        if isinstance(stmt, (ir.If, ir.Try, ir.For, ir.While, ir.With, ir.Raise)):
            return False
        if isinstance(stmt, ir.Return):
            return _hands_on(stmt)
    return False


def _closure_exemptions(family: list[ir.Function], module: ir.Module) -> tuple[tuple[str, str], ...]:
    """A function middleware (`def wall(get_response): def middleware(request): ...`): the paths
    the closure that sees each request lets through before its check."""
    return next((found for inner in family[1:] if any(_hands_on(stmt) for stmt in ir.walk_stmts(inner.body))
                 and (found := request_path_exemptions(inner, module, _refuses_with_redirect))), ())


def _hands_on(stmt: ir.Stmt) -> bool:
    """`return self.get_response(request)`, `return await call_next(request)`."""
    value = stmt.value if isinstance(stmt, ir.Return) else None
    call = value.value if isinstance(value, ir.Await) else value
    return isinstance(call, ir.Call) and (ir.dotted_name(call.func) or "").rsplit(".", 1)[-1] in _HAND_ON


def _when_present(body: tuple[ir.Stmt, ...]) -> frozenset[int]:
    """Statements that run only when the request carried something: inside `if header is not None:`
    or `if token:` with no `else` that refuses. A credential verified there is checked only when
    the caller sent one; a caller who sent none goes on (optional authentication)."""
    found: set[int] = set()
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.If) and _tests_presence(stmt.test) and not _exits_denied(stmt.orelse, redirect_ok=True):
            found.update(id(inner) for inner in ir.walk_stmts(stmt.body))
    return frozenset(found)


def _tests_presence(test: ir.Expr) -> bool:
    """`if authorization is not None`, `if token`, `if request.headers.get("X-Key")`."""
    if isinstance(test, (ir.Name, ir.Attr, ir.Call)):
        return True
    return isinstance(test, ir.Compare) and len(test.ops) == 1 and test.ops[0] in ("is not", "!=") \
        and isinstance(test.comparators[0], ir.Const) and test.comparators[0].value is None


def _granted_before_refusal(body: tuple[ir.Stmt, ...]) -> str:
    """`if user: return ...` / `if api_key: return ...` / `raise HTTPException(401)`: the body
    ends in an unconditional 401/403 that only an earlier branch about the caller returns
    before. What the first such branch tests, or "" when the body is not shaped so."""
    if not body or not isinstance(body[-1], ir.Raise) or body[-1].exc is None \
            or not _denial(body[-1].exc, redirect_ok=False):
        return ""
    for stmt in body[:-1]:
        if isinstance(stmt, ir.If) and stmt.body and isinstance(stmt.body[-1], ir.Return) \
                and _mentions_principal(stmt.test) and not _mentions_password(stmt.test):
            return _short(stmt.test)
    return ""


# what asks whether the caller may do something: `request.user.has_perm("change_project", project)`,
# `has_permission(user, ...)`, `user.can_edit(doc)`
_PERMISSION_CALL = re.compile(r"^(has_perms?|has_permissions?|has_object_permission|check_perms?|check_permissions?|"
                              r"can_\w+|is_allowed\w*|allowed_to\w*|user_can\w*|may_\w+)$")


def _permission_refused(test: ir.Expr) -> bool:
    """`not request.user.has_perm(perm, project)`: a permission question about the caller,
    answered no. Whatever the block then raises (`NotFound`, to hide that the row exists,
    as often as `PermissionDenied`) turns the request away."""
    if isinstance(test, ir.BoolOp) and test.op == "or":
        return any(_permission_refused(value) for value in test.values)
    if not (isinstance(test, ir.Unary) and test.op == "not"):
        return False
    call = test.operand.value if isinstance(test.operand, ir.Await) else test.operand
    return isinstance(call, ir.Call) and bool(_PERMISSION_CALL.match((ir.dotted_name(call.func) or "").rsplit(".", 1)[-1])) \
        and _mentions_principal(call)


# who the framework says is calling: `request.user`, `request.authenticated_userid`,
# `self.request.identity`; a user the handler looked up (`user = User.get(id)`) is not the caller
_REQUEST_CALLER = re.compile(r"^(self\.)?(request|req)\.(user|authenticated_userid|identity|principal|"
                             r"auth|is_authenticated)\b")


def _asks_request_caller(test: ir.Expr) -> bool:
    """`request.authenticated_userid is None`, `not self.request.user.is_authenticated`: the test is
    about the caller as the framework attached it to the request. Whatever such a branch then
    raises (a project's own JSON error as much as `HTTPForbidden`), the request goes no further."""
    return any(_REQUEST_CALLER.match(ir.dotted_name(node) or "") for node in ir.walk_expr(test)
               if isinstance(node, ir.Attr))


def _raises(body: tuple[ir.Stmt, ...]) -> bool:
    return any(isinstance(stmt, ir.Raise) or isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call)
               and (ir.dotted_name(stmt.value.func) or "").rsplit(".", 1)[-1] == "abort" for stmt in ir.walk_stmts(body))


def _verifies_in(body: tuple[ir.Stmt, ...]) -> bool:
    """A call about the caller inside `try` (`jwt.decode(token)`, `load_user(session["uid"])`):
    a database session handed out in `try: yield session / except: rollback; raise` verifies
    nothing, however its variable is named."""
    return any(isinstance(node, ir.Call) and _mentions_principal(node)
               for s in ir.walk_stmts(body) for e in ir.stmt_exprs(s) for node in ir.walk_expr(e))


def _may_mention_principal(nodes: Iterable[ir.Expr]) -> bool:
    """Some node is a name, attribute or string `_mentions_principal` accepts: without one, neither
    these nodes nor any part of them mention the caller."""
    for node in nodes:
        kind = type(node)
        if kind is ir.Name and _PRINCIPAL.search(node.id) or kind is ir.Attr and _PRINCIPAL.search(node.attr) \
                or kind is ir.Const and isinstance(node.value, str) and _PRINCIPAL.search(node.value):
            return True
    return False


def _mentions_principal(expr: ir.Expr) -> bool:
    nodes = list(ir.walk_expr(expr))
    if any(_NOT_CALLER.search(ir.dotted_name(n) or "") for n in nodes if isinstance(n, (ir.Name, ir.Attr))):
        return False
    for node in nodes:
        if isinstance(node, ir.Name) and _PRINCIPAL.search(node.id):
            return True
        if isinstance(node, ir.Attr) and _PRINCIPAL.search(node.attr):
            return True
        if isinstance(node, ir.Const) and isinstance(node.value, str) and _PRINCIPAL.search(node.value):
            return True
    return False


def _refuses_absent(test: ir.Expr) -> bool:
    """`if not user`, `if user is None`, `if user.is_anonymous`, `if role != "admin"`,
    `if "uid" not in session`: the branch runs for a caller who *lacks* something. `if
    request.user.is_authenticated: return 403` (a sign-up page refusing members) is no guard."""
    if isinstance(test, ir.BoolOp):
        return any(_refuses_absent(value) for value in test.values)
    if isinstance(test, ir.Unary) and test.op == "not":
        return _mentions_principal(test.operand)
    if isinstance(test, ir.Compare) and _mentions_principal(test):
        return any(op in ("!=", "not in") or (op in ("is", "==") and isinstance(c, ir.Const) and c.value in (None, False))
                   for op, c in zip(test.ops, test.comparators))
    if isinstance(test, ir.Await):
        return _refuses_absent(test.value)
    names = [(ir.dotted_name(n) or "").lower() for n in ir.walk_expr(test) if isinstance(n, (ir.Name, ir.Attr))]
    return _mentions_principal(test) and any(w in n for n in names for w in _LACKING)


def _grants(test: ir.Expr) -> bool:
    """`if session.get(project.id) or is_admin: ... else: refuse`: the branch runs for a caller
    who *has* something, so the `else` is what an anonymous caller gets."""
    return _mentions_principal(test) and not _refuses_absent(test)


def _tests_absence(test: ir.Expr) -> bool:
    """`if not key`, `if key is None`: the branch runs when something the request should carry is missing."""
    if isinstance(test, ir.BoolOp):
        return any(_tests_absence(value) for value in test.values)
    if isinstance(test, ir.Unary) and test.op == "not":
        return True
    return isinstance(test, ir.Compare) and any(op in ("is", "==") and isinstance(c, ir.Const) and c.value is None
                                                for op, c in zip(test.ops, test.comparators))


def _exits_unauthenticated(body: tuple[ir.Stmt, ...]) -> bool:
    """Raises or returns 401 Unauthorized: HTTP's own word for "who are you?", whatever the
    checked variable is called (`if not key_value: raise HTTPException(401)`)."""
    for stmt in ir.walk_stmts(body):
        value = stmt.exc if isinstance(stmt, ir.Raise) else stmt.value if isinstance(stmt, (ir.Return, ir.ExprStmt)) \
            else None
        if value is not None and any(_is_unauthorized(node) for node in ir.walk_expr(value)):
            return True
    return False


def _is_unauthorized(node: ir.Expr) -> bool:
    if isinstance(node, ir.Const):
        return not isinstance(node.value, bool) and node.value == 401
    name = ir.dotted_name(node) if isinstance(node, (ir.Name, ir.Attr)) else None
    return bool(name) and re.search(r"(?i)(^|[._])(HTTP_?401\w*|UNAUTHORIZED|HTTPUnauthorized|NotAuthenticated)$",
                                    name or "") is not None


_LACKING = ("anonymous", "invalid", "expired", "missing", "denied", "forbidden", "unauthori", "not_allowed")


def _mentions_password(expr: ir.Expr) -> bool:
    """`if not user or not user.check_password(pw)`: a login form checks credentials it is
    given, it does not require a caller who already has them."""
    return any("password" in (ir.dotted_name(n) or "").lower() for n in ir.walk_expr(expr)
               if isinstance(n, (ir.Name, ir.Attr)))


def _exits_denied(body: tuple[ir.Stmt, ...], redirect_ok: bool) -> bool:
    denied_responses: set[str] = set()  # `response.status_code = 401`: the response now says no
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and _denial(stmt.value, redirect_ok=False):
            denied_responses.update(t.value.id for t in stmt.targets if isinstance(t, ir.Attr)
                                    and t.attr in _STATUS_ATTRS and isinstance(t.value, ir.Name))
        if isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Name) and stmt.value.id in denied_responses:
            return True
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Const) and stmt.value.value is True and any(
                isinstance(t, ir.Attr) and t.attr == "complete" and isinstance(t.value, ir.Name)
                and t.value.id in denied_responses for t in stmt.targets):
            return True  # Falcon's `resp.complete = True`: the 401 just set is answered, the responder skipped
        if isinstance(stmt, ir.Raise) and stmt.exc is not None and _denial(stmt.exc, redirect_ok):
            return True
        if isinstance(stmt, ir.Raise) and stmt.exc is None:
            return True  # re-raises the verifier's own error
        if isinstance(stmt, ir.Return) and stmt.value is not None and _denial(stmt.value, redirect_ok):
            return True
        if isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call) \
                and (ir.dotted_name(stmt.value.func) or "").rsplit(".", 1)[-1] == "abort" \
                and _denial(stmt.value, redirect_ok=False):
            return True
    return False


# attributes that carry a response's HTTP status (Flask/Werkzeug and Django `status_code`, aiohttp/WebOb `status`)
_STATUS_ATTRS = frozenset({"status_code", "status"})


def turns_away(body: tuple[ir.Stmt, ...]) -> bool:
    """The branch turns the caller away in any way a guard does: a 401/403 or a denial raised or
    returned, an abort, a redirect (to the login page), Django's `self.handle_no_permission()`, or
    any other raise or failure the rules read as a refusal (rules/python/_refusals.refuses: a role
    test answered with `raise HTTPException(status_code=500)` still serves nobody)."""
    return _exits_denied(body, redirect_ok=True) or refuses(body) or any(
        isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Call)
        and ir.last_name(stmt.value.func) == _MIXIN_REFUSAL for stmt in ir.walk_stmts(body))


def exits_denied(body: tuple[ir.Stmt, ...]) -> bool:
    """The branch turns the caller away: raises or returns 401/403 or a denial
    (`raise PermissionDenied`, `abort(403)`), not merely any exit."""
    return _exits_denied(body, redirect_ok=False)


def _refusing(stmt: ir.Stmt) -> bool:
    """The statement itself turns the request away: returns or raises a denial or a redirect, or aborts."""
    if isinstance(stmt, ir.Raise):
        return stmt.exc is not None and _denial(stmt.exc, redirect_ok=True)
    if isinstance(stmt, ir.Return):
        return stmt.value is not None and _denial(stmt.value, redirect_ok=True)
    return isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call) \
        and (ir.dotted_name(stmt.value.func) or "").rsplit(".", 1)[-1] == "abort" and _denial(stmt.value, redirect_ok=False)


def _refuses_with_redirect(body: tuple[ir.Stmt, ...]) -> bool:
    return _exits_denied(body, redirect_ok=True)


def _denial(expr: ir.Expr, redirect_ok: bool) -> bool:
    return any(_denies(node, redirect_ok) for node in ir.walk_expr(expr))


def _denies(node: ir.Expr, redirect_ok: bool) -> bool:
    """One node of an expression that answers "no" (401/403, a denial name, or a redirect)."""
    if isinstance(node, ir.Const) and not isinstance(node.value, bool) and node.value in (401, 403):
        return True
    name = ir.dotted_name(node) if isinstance(node, (ir.Name, ir.Attr)) else None
    if name and _denial_name(name):
        return True
    if redirect_ok and name and (name.rsplit(".", 1)[-1] in _REDIRECTS or _REDIRECT_CLASS.search(name)):
        return True
    # `raise HTTPException(status.HTTP_307_TEMPORARY_REDIRECT, headers={"Location": login})`
    return bool(redirect_ok and (name and re.search(r"(?i)HTTP_30[1237]_", name) or isinstance(node, ir.Const)
                                 and not isinstance(node.value, bool) and node.value in (302, 303, 307)))


def _denial_name(name: str) -> bool:
    return bool(_DENIAL_NAMES.search(name) or name.endswith(("UNAUTHORIZED", "FORBIDDEN")))


def _delegates(function: ir.Function, module: ir.Module, imports: Mapping[str, str],
               index: FileIndex, targets: dict[tuple[str, str], str]) -> Iterator[str]:
    """Project-wide names of the Depends targets of its parameters and of what it calls; an
    object it builds and then calls (`check = KeyChecker(key); await check(request)`) is
    called through its class's `__call__`. `targets`: the file's callees resolved so far, by
    (class of the caller, dotted callee): the answer depends on nothing else."""
    for param in function.params:
        yield from depends_targets(param.default, module, imports)
        yield from depends_targets(param.annotation, module, imports)
        if isinstance(param.annotation, (ir.Name, ir.Attr)):  # `auth_subject: WebUserSession`, an Annotated alias
            yield qualify(ir.dotted_name(param.annotation) or "", module, imports)
    yield from _returned_dependencies(function, module, imports, index)
    built = _built_objects(function.body, module, imports, index)
    for node in index.block_of_kind(function.body, ir.Call):  # every call of the body, in walk order
        if isinstance(node.func, ir.Name) and node.func.id in built:
            yield built[node.func.id] + ".__call__"
        elif isinstance(node.func, ir.Attr) and isinstance(node.func.value, ir.Name) and node.func.value.id in built:
            # `resolver = ContextResolver(...); await resolver.resolve(request)`: the method of
            # the class it built decides
            yield f"{built[node.func.value.id]}.{node.func.attr}"
        else:
            key = (function.class_name or "", ir.dotted_name(node.func) or "")
            name = targets.get(key)
            if name is None:
                name = targets[key] = _call_target(node, function, module, imports)
            if name:
                yield name


def _returned_dependencies(function: ir.Function, module: ir.Module, imports: Mapping[str, str],
                           index: FileIndex) -> Iterator[str]:
    """`def require_scopes(*scopes): return Annotated[User, Security(get_current_user, scopes=...)]`:
    declared as a parameter's type (or default), the factory's result makes FastAPI run the
    dependency it carries, so the factory hands the decision to it."""
    for stmt in index.walk_stmts(function.body):
        if type(stmt) is ir.Return and stmt.value is not None:
            yield from depends_targets(stmt.value, module, imports)


def _built_objects(body: tuple[ir.Stmt, ...], module: ir.Module, imports: Mapping[str, str],
                   index: FileIndex) -> dict[str, str]:
    """`check = KeyChecker(...)` in a body: local name -> the project-wide class it instantiates."""
    found: dict[str, str] = {}
    for stmt in index.walk_stmts(body):
        if type(stmt) is ir.Assign and isinstance(stmt.value, ir.Call):
            callee = ir.dotted_name(stmt.value.func) or ""
            if callee.rsplit(".", 1)[-1][:1].isupper() and (cls := qualify(callee, module, imports)):
                found.update({t.id: cls for t in stmt.targets if isinstance(t, ir.Name)})
    return found


_FIRST_STATEMENTS = 3  # "a helper the handler calls first": before it does its work


def route_refs(function: ir.Function, module: ir.Module, imports: Mapping[str, str],
               cls: ir.ClassDef | None = None) -> tuple[str, ...]:
    """What may decide a handler's auth, as project-wide names: its decorators (and a resource
    class's `decorators`/`method_decorators`), its `Depends(...)` targets (parameters and the
    route decorator's `dependencies=`), the helpers its first statements call, and itself."""
    found: list[str] = [f"{module.module_name}.{function.qualname}", *declared_refs(function, module, imports, cls)]
    for stmt in _first_calling_statements(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call):
                    found.append(_call_target(node, function, module, imports))
    return tuple(dict.fromkeys(name for name in found if name))


def _first_calling_statements(body: tuple[ir.Stmt, ...]) -> list[ir.Stmt]:
    """The first `_FIRST_STATEMENTS` statements of a body, not counting a docstring or a local built
    without a call (`target = {}`, `target["user_id"] = user_id`): those do no work, so a check
    after them still runs before the handler does any."""
    found: list[ir.Stmt] = []
    for stmt in body:
        if len(found) == _FIRST_STATEMENTS:
            break
        if _reads_input(stmt):
            continue
        calls = any(isinstance(node, ir.Call) for expr in ir.stmt_exprs(stmt) for node in ir.walk_expr(expr))
        if calls or not (isinstance(stmt, ir.ExprStmt) or isinstance(stmt, ir.Assign) and all(
                isinstance(t, (ir.Name, ir.Subscript)) for t in stmt.targets)):
            found.append(stmt)  # an `if`, a loop, an attribute written count as the handler's work
    return found


# how handlers name the request they are given (Django/Flask `request`, Falcon `req`)
_REQUEST_NAMES = frozenset({"request", "req"})


def _reads_input(stmt: ir.Stmt) -> bool:
    """`text = req.get_param("text", required=True)`, or a `try` that only converts such a value and
    answers 400 otherwise: reading and checking the request's own input is no work done for the
    caller, so a check of who is calling that follows still runs first."""
    if isinstance(stmt, ir.Assign) and stmt.value is not None and all(isinstance(t, ir.Name) for t in stmt.targets):
        calls = [node for node in ir.walk_expr(stmt.value) if isinstance(node, ir.Call)]
        return bool(calls) and all(isinstance(call.func, ir.Attr) and _on_request(call.func.value) for call in calls)
    if isinstance(stmt, ir.Try) and stmt.handlers and not stmt.orelse and not stmt.finalbody:
        quiet = not any(isinstance(node, ir.Call) for s in ir.walk_stmts(stmt.body) for e in ir.stmt_exprs(s)
                        for node in ir.walk_expr(e))
        return quiet and all(len(h.body) == 1 and isinstance(h.body[0], ir.Raise) for h in stmt.handlers)
    return False


def _on_request(expr: ir.Expr) -> bool:
    dotted = ir.dotted_name(expr) or ""
    return dotted.split(".", 1)[0] in _REQUEST_NAMES


def declared_refs(function: ir.Function, module: ir.Module, imports: Mapping[str, str],
                  cls: ir.ClassDef | None = None) -> tuple[str, ...]:
    """What the route declares around its handler, as project-wide names: its decorators (and a
    resource class's `decorators`/`method_decorators`) and its `Depends(...)` targets. Unlike the
    helpers a handler calls, each of these runs before the handler and may turn the caller away."""
    found: list[str] = []
    decorators: list[ir.Expr] = list(function.decorators)
    if cls is not None:
        decorators.extend(ir.listed_decorators(cls))
    for decorator in decorators:
        found.append(qualify(ir.dotted_name(decorator.func if isinstance(decorator, ir.Call) else decorator) or "",
                             module, imports))
        if isinstance(decorator, ir.Call):
            found.extend(depends_targets(decorator.kwarg("dependencies"), module, imports))
    for param in function.params:
        found.extend(depends_targets(param.default, module, imports))
        found.extend(depends_targets(param.annotation, module, imports))
        if isinstance(param.annotation, (ir.Name, ir.Attr)):  # `user: CurrentUser`, an Annotated alias
            found.append(qualify(ir.dotted_name(param.annotation) or "", module, imports))
        found.extend(_factory_refs(param, module, imports))
    return tuple(dict.fromkeys(name for name in found if name))


_DEPENDENCY_MARKERS = frozenset({"Depends", "Security"})  # followed by `depends_targets`


def _factory_refs(param: ir.Param, module: ir.Module, imports: Mapping[str, str]) -> Iterator[str]:
    """`user: require_scopes("tags:write")`, `user = requires("admin")`: a project function called
    where FastAPI reads the parameter's declaration; what it returns (an `Annotated[..., Security(...)]`
    or a `Depends(...)`, followed by `_returned_dependencies`) is what runs for the request."""
    for expr in (param.annotation, param.default):
        if isinstance(expr, ir.Subscript):  # `Annotated[User, requires("admin")]`
            calls = [node for node in ir.walk_expr(expr.index) if isinstance(node, ir.Call)]
        else:
            calls = [expr] if isinstance(expr, ir.Call) else []
        for call in calls:
            name = ir.dotted_name(call.func) or ""
            if name.rsplit(".", 1)[-1] not in _DEPENDENCY_MARKERS:
                yield qualify(name, module, imports)


def class_decorator_refs(module: ir.Module, imports: Mapping[str, str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(class key, project-wide names) of what each class's `decorators` / `method_decorators`
    list applies to every verb method of it and of its subclasses, for the inventory to decide
    by body (or as library knowledge) when a handler's class inherits them."""
    found = []
    for cls in module.classes:
        refs = [qualify(ir.dotted_name(e.func if isinstance(e, ir.Call) else e) or "", module, imports)
                for e in ir.listed_decorators(cls)]
        if any(refs):
            found.append((f"{module.module_name}.{cls.qualname}", tuple(r for r in refs if r)))
    return tuple(found)


def depends_targets(expr: ir.Expr | None, module: ir.Module, imports: Mapping[str, str]) -> Iterator[str]:
    """`Depends(check)` -> check; `Depends(KeyChecker(...))` -> `KeyChecker.__call__`, which
    FastAPI calls for every request; Litestar's `dependencies={"user": Provide(check)}` likewise
    (`Provide` imported from litestar: the framework calls its target for each request)."""
    if expr is None or not _spells_dependencies(module):
        return
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Call) and _dependency_marker(node, module, imports) and node.args:
            target = node.args[0]
            instance = isinstance(target, ir.Call)
            name = qualify(ir.dotted_name(target.func if isinstance(target, ir.Call) else target) or "", module, imports)
            if name:
                yield name + (".__call__" if instance else "")
            if name and instance:
                # `Depends(Authenticator(scopes=...))` where Authenticator is a factory function:
                # what it builds (its nested dependency, or the class it returns) decides
                yield name


_DEPENDENCY_WORDS = ("Depends", "Security", "Provide")
_LITESTAR_PROVIDE = "Provide"  # litestar.di.Provide: a dependency the framework resolves per request


def _dependency_marker(call: ir.Call, module: ir.Module, imports: Mapping[str, str]) -> bool:
    """FastAPI's `Depends`/`Security` by name (as ever); `Provide` only when it is Litestar's, since
    other injection libraries spell a container lookup the same way."""
    name = ir.dotted_name(call.func) or ""
    last = name.rsplit(".", 1)[-1]
    if last in _DEPENDENCY_MARKERS:
        return True
    return last == _LITESTAR_PROVIDE and qualify(name, module, imports).split(".", 1)[0] == "litestar"


def _spells_dependencies(module: ir.Module) -> bool:
    """Does the module's source spell `Depends`, `Security` or `Provide` anywhere? A call `depends_targets`
    answers for is written with one of them, so a module without either (most modules: every
    parameter, default and assignment of theirs is asked about) is answered without a walk."""
    found = module.derived.get(_DEPENDENCY_WORDS)
    if found is None:
        text = "\n".join(module.lines)  # one substring search per word, not a generator over lines
        found = module.derived[_DEPENDENCY_WORDS] = any(word in text for word in _DEPENDENCY_WORDS)
    return found  # type: ignore[return-value]


def router_dependency_refs(module: ir.Module, imports: Mapping[str, str],
                           function: ir.Function | None = None) -> dict[str, tuple[str, ...]]:
    """`router = APIRouter(dependencies=[Depends(check_admin)])`, `app = FastAPI(dependencies=...)`:
    the router's local name -> what every route declared on it depends on, decided by body. The
    routers visible from `function` (a router factory: its own, its enclosing functions', the
    module's), the list possibly built step by step (frameworks.router_dependencies)."""
    found: dict[str, tuple[str, ...]] = {}
    for name, deps in visible_router_dependencies(module, function).items():
        refs = tuple(dict.fromkeys(ref for e in deps for ref in depends_targets(e, module, imports)))
        if refs:
            found[name] = refs
    return found


def include_dependency_refs(call: ir.Call, module: ir.Module, imports: Mapping[str, str],
                            function: ir.Function | None = None) -> tuple[str, ...]:
    """`parent.include_router(child, dependencies=[Depends(auth)])`: what every route of child
    passes first (plus what the parent router itself depends on, when built in this module, in
    `function`, the scope of the call, or a scope enclosing it)."""
    own = router_dependency_refs(module, imports, function).get(call.func.value.id, ()) \
        if isinstance(call.func, ir.Attr) and isinstance(call.func.value, ir.Name) else ()
    return tuple(dict.fromkeys(own + tuple(depends_targets(call.kwarg("dependencies"), module, imports))))


def _call_target(call: ir.Call, function: ir.Function, module: ir.Module, imports: Mapping[str, str]) -> str:
    dotted = ir.dotted_name(call.func) or ""
    receiver, _, method = dotted.partition(".")
    if receiver in ("self", "cls") and function.class_name and method:
        # `self.check_access(request)`, `cls._assert_is_authenticated()` in a classmethod
        owner = _defining_class(function.class_name, method, module)
        return f"{module.module_name}.{owner}.{method}"
    return qualify(dotted, module, imports)


def _defining_class(class_name: str, method: str, module: ir.Module) -> str:
    """The class of this module that defines `method` for an instance of `class_name`: itself
    or the nearest base of the same module that does (`class KeyChecker(BaseKeyChecker)`)."""
    classes = _class_methods(module)
    pending, seen = [class_name], set()
    while pending:
        name = pending.pop(0)
        found = classes.get(name)
        if found is None or name in seen:
            continue
        seen.add(name)
        cls, methods = found
        if method in methods:
            return name
        pending.extend(ir.dotted_name(b) or "" for b in cls.bases)
    return class_name


_CLASS_METHODS = "principals-class-methods"


def _class_methods(module: ir.Module) -> dict[str, tuple[ir.ClassDef, frozenset[str]]]:
    """The module's classes by qualname, each with the names of the methods it defines: made once per
    module (every `self.m()` call of every method asks, and a library class can define hundreds)."""
    found = module.derived.get(_CLASS_METHODS)
    if found is None:
        found = module.derived[_CLASS_METHODS] = {
            c.qualname: (c, frozenset(m.rsplit(".", 1)[-1] for m in c.methods)) for c in module.classes}
    return found  # type: ignore[return-value]


def qualified_receiver(expr: ir.Expr, module: ir.Module, imports: Mapping[str, str]) -> str:
    """The project-wide name of a receiver such as a blueprint or router: `bp` -> "pkg.views.bp",
    `api.bp` with `api` imported -> its target. Unlike `qualify`, any dotted name of the module
    is kept (a receiver may be bound inside a function), so registrations in one module match
    declarations in another."""
    dotted = ir.dotted_name(expr) or ""
    if not dotted:
        return ""
    head = dotted.split(".", 1)[0]
    if head in imports:
        return imports[head] + dotted[len(head):]
    return f"{module.module_name}.{dotted}"


def qualify(dotted: str, module: ir.Module, imports: Mapping[str, str]) -> str:
    """`auth.require_admin` -> "pkg.auth.require_admin"; a name of this module gets its module;
    builtins and attributes of locals are left out ("")."""
    if not dotted:
        return ""
    head, _, rest = dotted.partition(".")
    if head in imports:
        return imports[head] + (f".{rest}" if rest else "")
    if head in _module_level_names(module):
        return f"{module.module_name}.{dotted}"
    return ""


def _module_level_names(module: ir.Module) -> frozenset[str]:
    """`qualify` asks this for every name it is given (hundreds of times per file): built once
    per module."""
    return _names_of(_SameModule(module))


@dataclass(frozen=True, slots=True, eq=False)
class _SameModule:
    """A cache key that is the module itself (hashing the IR would cost more than the names);
    the cache holds the module, so its id is never reused while cached."""

    module: ir.Module

    def __hash__(self) -> int:
        return id(self.module)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _SameModule) and other.module is self.module


@lru_cache(maxsize=2)
def _names_of(key: _SameModule) -> frozenset[str]:
    module = key.module
    names = {f.qualname for f in module.functions if f.parent is None and f.class_name is None}
    names.update(c.qualname for c in module.classes)
    for stmt in module.body:
        if isinstance(stmt, ir.Assign):
            names.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return frozenset(names)


def _inert_decorator(function: ir.Function, family: list[ir.Function], delegates: tuple[str, ...]) -> bool:
    """`def admins_only(f): return f`, or a wrapper that only logs and calls through: a
    decorator whose every call is visible and none of them checks anyone."""
    # what a parameter is annotated with is a type (`method: FuncT`), not something it calls
    annotated = {(ir.dotted_name(p.annotation) or "").rsplit(".", 1)[-1] for f in family for p in f.params
                 if isinstance(p.annotation, (ir.Name, ir.Attr))}
    called = [d for d in delegates if d.removesuffix(".__call__").rsplit(".", 1)[-1]
              not in _PASSTHROUGH | _MARKING | annotated]
    if not function.params or function.class_name is not None or called:
        return False
    wrapped = function.params[0].name
    views = {wrapped, *(n.name for n in family[1:])}
    returned = [_uncast(s.value) for f in family[:1] for s in ir.walk_stmts(f.body) if isinstance(s, ir.Return)]
    if not any(isinstance(v, ir.Name) and v.id in views for v in returned if v is not None):
        return False
    for member in family:
        for stmt in ir.walk_stmts(member.body):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if isinstance(node, ir.Call):
                        name = ir.dotted_name(node.func) or ""
                        if name != wrapped and name.rsplit(".", 1)[-1] not in _PASSTHROUGH \
                                and not _marks_view(node, views):
                            return False
    return True


_MARKING = frozenset({"setattr", "cast"})  # judged by `_marks_view`: on the view itself only


def _uncast(value: ir.Expr | None) -> ir.Expr | None:
    """`cast("F", wrapper)` is `wrapper`: typing's cast hands back its second argument."""
    if isinstance(value, ir.Call) and (ir.dotted_name(value.func) or "").rsplit(".", 1)[-1] == "cast" \
            and len(value.args) == 2:
        return value.args[1]
    return value


def _marks_view(call: ir.Call, views: set[str]) -> bool:
    """`setattr(wrapper, "__public", True)` / `cast("F", wrapper)`: a marker recorded on the view
    itself, or its type restated; neither can turn a caller away."""
    name = (ir.dotted_name(call.func) or "").rsplit(".", 1)[-1]
    subject = call.args[0] if name == "setattr" and call.args else _uncast(call) if name == "cast" else None
    return isinstance(subject, ir.Name) and subject.id in views


def _schemes(module: ir.Module) -> Iterator[Principal]:
    """`oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")`: FastAPI answers 401 before the
    handler runs when the credential is missing, unless `auto_error=False`."""
    for stmt in module.body:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call):
            callee = (ir.dotted_name(stmt.value.func) or "").rsplit(".", 1)[-1]
            if callee not in _SCHEMES:
                continue
            auto_error = stmt.value.kwarg("auto_error")
            verdict = INERT if isinstance(auto_error, ir.Const) and auto_error.value is False else GUARD
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    yield Principal(f"{module.module_name}.{target.id}", verdict,
                                    f"security scheme {callee}() refuses a request without a credential")


def _short(expr: ir.Expr) -> str:
    names = [ir.dotted_name(n) if isinstance(n, (ir.Name, ir.Attr)) else repr(n.value)
             for n in ir.walk_expr(expr) if isinstance(n, (ir.Name, ir.Attr, ir.Const))]
    return next((n for n in names if n and _PRINCIPAL.search(n)), "the caller")
