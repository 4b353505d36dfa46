"""Broken function-level authorization: an admin-only operation any signed-in user can call.

## What it finds
A request handler (Django/DRF view, Flask route, FastAPI path operation, Falcon responder) that requires a
login, or works on the signed-in user, and performs an operation only administrators
should, with no role or permission check anywhere on its path. Admin-only operations:
- writing a privilege field: `user.is_staff = True`, `target.role = data["role"]`,
  `User.objects.filter(pk=pk).update(is_superuser=True)`, `setattr(user, "is_admin", ...)`,
  `user.groups.add(admins)`, `user.user_permissions.set(...)`, `create_superuser(...)`;
- deleting another account: `User.objects.get(pk=user_id).delete()`, `db.session.delete(user)`
  on a user fetched by id, `db.delete(db.get(User, user_id))` (not the caller's own
  `request.user.delete()`);
- switching another person's account off: `target.is_active = False`, `user.is_banned = True`
  on a user looked up by a key that is not the caller's (models/vocabulary/access.yaml
  `account_enabled_fields`, `account_disabled_fields`; switching one on is not judged);
- listing every account: `User.objects.all()`, `User.query.all()`, `select(User)` unfiltered;
- changing a global setting: `app.config["MAINTENANCE"] = ...`, a write to a site-wide
  settings model (`SiteSettings`, `FeatureFlag`; not per-user or per-team settings).

A check by meaning silences it: an admin/role/permission decorator, dependency, mixin or
DRF permission class (anything beyond authentication: `IsAdminUser`, a custom permission
class, `@permission_required`, `@user_passes_test`, `Depends(get_current_superuser)`,
FastAPI `Security(dependency, scopes=[...])`, a role-named Falcon `@falcon.before(require_admin)` hook
on the responder or its class), a
comparison of the caller's role or flags (`if not request.user.is_staff`, `current_user.role
!= "admin"`), a permission call (`has_perm`, `check_permissions`, `require_role(...)`), or
a 403 raised or returned, in the handler or in a helper of the same module it calls.

## Why it matters
Authentication says who is calling, not what they may do. Without a role check, any
customer who can create an account can promote themselves to admin, disable or delete other
users, download the user table or switch the service into maintenance mode: OWASP API5,
broken function level authorization, a common path from a free account to full control.

## Example
```python
@app.post("/users/<int:user_id>/promote")
@login_required
def promote(user_id):
    user = db.get_or_404(User, user_id)
    user.is_admin = True
    db.session.commit()
    return {"ok": True}
```
Use instead:
```python
@app.post("/users/<int:user_id>/promote")
@login_required
def promote(user_id):
    if not current_user.is_admin:
        abort(403)
    user = db.get_or_404(User, user_id)
    user.is_admin = True
    db.session.commit()
    return {"ok": True}
```

## Fix
Put the role check next to the route: DRF `permission_classes = [IsAdminUser]` (or a custom
permission), Django `@user_passes_test(lambda u: u.is_staff)` / `@permission_required`, a
FastAPI dependency that raises 403 unless the caller is an admin, a Flask decorator that
aborts with 403.

## Known problems
Medium confidence. A handler wrapped only by plain decorators of the project itself
(`@needs_token`, a MethodView's `decorators = [needs_token]`) is judged as authenticated:
what they check is their body's business and missing-authentication judges it project-wide;
a project decorator built with arguments (`@grade_at_least(3)`) is taken for a role guard.
Handlers without authentication are left to missing-authentication, and
request bodies bound wholesale onto a user (`User(**request.json)`) to mass-assignment.
Checks made outside the module are not seen: a router or blueprint guarded in another file,
a middleware, a permission helper imported from elsewhere (false positive); so routes under
an `admin` path or module, and views with any non-authentication permission class, decorator
or dependency, are trusted. In an admin/staff/internal module or under such a route prefix, where at least two routes (and
at least half of them) carry a role guard one by one, a write route that only authenticates is
reported: the module shows the prefix enforces nothing by itself. Outside back-office areas a
route without its siblings' guard is often deliberately open to every user (a password change,
a preview), so it is not reported (false negative when it is not), except a write route named for
a reviewer's decision (`approve_application`, `publish`, `refund`: models/vocabulary/access.yaml
`decision_verbs`) in a module that guards at least one other route by role, or, when the module
guards none, in a project where some route (its decorators, dependencies or router) requires a role,
unless it looks the object up by, or compares it with, the caller (a customer approving their own
quote, a member deactivating their own account with `request.user.deactivate()`; a message naming
the caller, `reason=f"by user {user.id}"`, is no lookup); and the one
authenticated write route of a module whose other authenticated writes (three or more) all carry a
role guard, unless it works on the caller's own record (writes the caller, looks rows up by the
caller or its key, hands the caller to a lookup; a tenant scope such as
`account=request.user.profile.account` is not ownership).
A view's `get_permissions` is followed to the list it returns for the handler's own action and HTTP
method (endpoints.drf_permissions): `if self.action in ("list", "reject"): return [IsAdminUser()]`
guards `reject`, not the `approve` action beside it; a `get_permissions` whose branches test
something else (the caller's flags) still counts as a check. A permission class is judged by its own
name, not the module it is read from (`permissions.IsAuthenticated` is authentication only). A
back-office write route whose authentication comes from middleware the file does not show (aiohttp,
Starlette) is judged like one with a login decorator: among role-guarded siblings it is reported.
A viewset's extra action is named by itself (`approve`), a class view's `post` by its class.
A class view's `decorators = [roles_required("admin"), login_required]` guards each of its verb
methods like a decorator on the method (flask-restful's `method_decorators = {"delete": [...]}` only
the verbs it names); decorators that declare a body or response shape (`@blp.arguments(RoleSchema)`,
`@ns.expect`, `@use_kwargs`: models/vocabulary/access.yaml `schema_decorators`) are never a guard.
A write route that refuses to act on the caller (`if member.id == g.user.id: abort(400)`) changes
someone else's record, so that comparison is not taken for working on the caller's own; a back-office
write that does work on the caller's own record (`/staff/me`) is not reported among guarded siblings.
An `@action` that writes (POST/PUT/PATCH/DELETE) and sets
`permission_classes` to authentication-only classes (`IsAuthenticated`, `AllowAny`) on a viewset
whose own `permission_classes` hold a role or object permission is reported: DRF replaces the
list, so the action drops that check. Generic DRF viewsets that declare no handler methods are not
judged (false negative), nor are privilege changes made in a service function the handler
calls. Vocabulary: models/vocabulary/access.yaml.
"""
from __future__ import annotations

import ast as pyast
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Iterator, Mapping, Sequence


from servicelens import ir
from servicelens.endpoints.drf_permissions import chosen_permissions
from servicelens.endpoints.public import public_reason
from servicelens.endpoints.pyramid_views import inherited_permissions
from servicelens.endpoints.route import RouteFact
from servicelens.fixcode.routes import Handler, RoleCheck, def_header, own_decorators, require_admin
from servicelens.fixcode.source import dotted as fixcode_dotted
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.python._purpose import vocabulary_file
from servicelens.rules.base import Rule
from servicelens.rules.python import _access as access
from servicelens.rules.python._common import is_const, is_test_path, words
from servicelens.taint.scope import HandlerInfo, ModuleScope


@dataclass(frozen=True, slots=True)
class AccessVocabulary:
    privilege_flags: frozenset[str]
    user_privilege_fields: frozenset[str]
    account_enabled_fields: frozenset[str]
    account_disabled_fields: frozenset[str]
    user_words: frozenset[str]
    membership_changes: frozenset[str]
    privileged_creators: frozenset[str]
    global_setting_words: frozenset[str]
    owned_setting_words: frozenset[str]
    role_check_words: frozenset[str]
    authentication_only: frozenset[str]
    check_verbs: frozenset[str]
    forbidden_names: frozenset[str]
    privilege_words: frozenset[str]
    change_verbs: frozenset[str]
    write_verbs: frozenset[str]
    decision_verbs: frozenset[str]
    schema_decorators: frozenset[str]


@lru_cache(maxsize=1)
def access_vocabulary() -> AccessVocabulary:
    return AccessVocabulary(**{key: frozenset(value) for key, value in vocabulary_file("access.yaml").items()})


@dataclass(frozen=True, slots=True)
class Action:
    line: int
    end_line: int
    what: str  # "grants or changes privileges (`is_staff`)", ...
    kind: str  # "privilege" | "delete" | "list" | "settings"


_ADMIN_AREA = access.ADMIN_AREA
_USER_LOOKUPS = frozenset({"get", "get_or_404", "get_object_or_404", "first", "first_or_404", "one", "scalar",
                           "scalar_one", "scalar_one_or_none", "one_or_none", "filter", "filter_by", "where"})
_FILTERS = frozenset({"filter", "filter_by", "where", "exclude", "get", "get_or_404", "first", "first_or_404",
                      "limit", "paginate", "none", "search", "join", "in_bulk", "one", "scalar_one"})
_ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete", "head", "options", "api_route",
                               "websocket", "view"})
_WRITES = frozenset({"update", "save", "delete", "create", "update_or_create", "get_or_create", "bulk_update",
                     "set", "put"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path):
        return
    vocab = access_vocabulary()
    yield from _unguarded_siblings(module, scope, vocab)
    if _ADMIN_AREA.search(module.path.rsplit(".", 1)[0]):
        return
    yield from _downgraded_actions(module)
    functions = {f.qualname: f for f in module.functions}
    for function in module.functions:
        handler = scope.handlers.get(function.qualname)
        if handler is None or _ADMIN_AREA.search(handler.path):
            continue
        wrapped = handler.auth != "required" and _project_decorated(function, module, scope)
        principals = _principals(function, handler)
        # open as far as this file shows: authentication may still come from elsewhere (a router's
        # dependency or a blueprint hook in another module), decided once the project is read
        pending = (handler.auth == "none" or handler.auth == "unknown" and handler.framework in _AUTH_BY_APP) \
            and not wrapped and not _configured_project_decorator(function, module, scope)
        if handler.auth != "required" and not wrapped and not pending \
                and not (principals or _mentions_caller(function)):
            continue  # nothing says a signed-in user is expected: not this rule's question
        actions = list(_actions(function, principals, vocab)) or list(_named_privilege_change(function, handler, vocab))
        if not actions:
            continue
        cls = access.enclosing_class(module, function)
        if _guarded(function, cls, vocab, module) or _checks_in_body(function, principals, vocab) \
                or _helper_checks(function, functions, vocab):
            continue
        found = _finding(module, scope, function, handler, actions[0])
        yield replace(found, rule=PENDING_RULE) if pending else found


# frameworks whose routes are authenticated by the application they are added to (Falcon's
# middleware and `@falcon.before` hooks, endpoints/falcon_apps.py): a handler's file never
# decides it, the project-wide inventory does
_AUTH_BY_APP = frozenset({"falcon"})
# a finding in a handler this file leaves open: kept by `authenticated_project_wide` only if the
# project-wide endpoint inventory finds the route authenticated, by nothing that checks a role
PENDING_RULE = "py-broken-function-authorization-pending-auth"
# a decision route (see `_decision_route`) in a module that guards no route by role: kept by
# `authenticated_project_wide` only if some route of the project is guarded by a role
ROLES_PENDING_RULE = "py-broken-function-authorization-pending-roles"


def authenticated_project_wide(findings: Sequence[Finding], routes: Mapping[tuple[str, int], RouteFact]) -> list[Finding]:
    """Pending findings (see PENDING_RULE), decided by the route of the handler their first step
    names: authenticated project-wide (`APIRouter(dependencies=[Depends(current_user)])` with the
    dependency in another module, `bp.before_request(load_client)`) by what checks no role, they
    stand; left open, or guarded by a role-named dependency or hook, they are dropped (an open
    route is missing-authentication's to report)."""
    vocab = access_vocabulary()
    out = []
    roles_exist: bool | None = None
    for finding in findings:
        if finding.rule == ROLES_PENDING_RULE:
            if roles_exist is None:  # asked once: does any route of the project require a role?
                roles_exist = any(_role_words(name, vocab) for route in routes.values()
                                  for name in (*route.router_refs, *route.declared_refs))
            where = finding.location
            route = routes.get((where.path, where.start_line))
            if roles_exist and route is not None and route.auth == "required":
                out.append(replace(finding, rule=RULE.id))
            continue
        if finding.rule != PENDING_RULE:
            out.append(finding)
            continue
        where = finding.evidence[0].location if finding.evidence else finding.location
        route = routes.get((where.path, where.start_line))
        if route is None or route.auth != "required":
            continue
        # the handler's own decorators and dependencies were judged in its file; what only the
        # project shows is its router's dependencies and the hook or guard that authenticated it
        guard = re.search(r"`([\w.]+)`", route.auth_evidence)  # "before_request hook `require_admin` on ..."
        # with the hooks such a framework runs before the handler (`@falcon.before(require_admin)`)
        hooks = route.declared_refs if route.framework in _AUTH_BY_APP else ()
        if any(_role_words(name, vocab) for name in (*route.router_refs, *hooks, guard.group(1) if guard else "")):
            continue
        out.append(replace(finding, rule=RULE.id))
    return out


def _project_decorated(function: ir.Function, module: ir.Module, scope: ModuleScope) -> bool:
    """Wrapped only by plain decorators of the project itself (`@needs_token`, a MethodView's
    `decorators = [needs_token]`): what they check is judged by their bodies project-wide, not by
    their names here, so the handler is not known to be unauthenticated (missing-authentication
    judges that). A project decorator built with arguments (`@grade_at_least(3)`) is taken for a
    role or permission guard, so such a handler is not this rule's to report."""
    package = scope.name.split(".", 1)[0]
    cls = access.enclosing_class(module, function)
    decorators = list(function.decorators) + (list(ir.decorators_of_method(cls, function.name)) if cls is not None else [])
    found = False
    for decorator in decorators:
        name = ir.dotted_name(decorator.func if isinstance(decorator, ir.Call) else decorator) or ""
        if name and _own_guard(name, scope, package):
            if isinstance(decorator, ir.Call) and (decorator.args or decorator.kwargs):
                return False
            found = True
    return found


def _configured_project_decorator(function: ir.Function, module: ir.Module, scope: ModuleScope) -> bool:
    """A project decorator built with arguments (`@grade_at_least(3)`), taken for a role guard."""
    package = scope.name.split(".", 1)[0]
    cls = access.enclosing_class(module, function)
    for decorator in list(function.decorators) + (list(ir.decorators_of_method(cls, function.name)) if cls is not None else []):
        if isinstance(decorator, ir.Call) and (decorator.args or decorator.kwargs):
            name = ir.dotted_name(decorator.func) or ""
            if name and _own_guard(name, scope, package):
                return True
    return False


def _own_guard(name: str, scope: ModuleScope, package: str) -> bool:
    """A decorator of the project's own making, not the route registration of the project's own
    application object (`@app.route(...)` in `app.py`, whose package is called `app` too)."""
    return name.rsplit(".", 1)[-1] not in _ROUTE_DECORATORS \
        and (scope.qualify(name, None, set()) or name).startswith(package + ".")


_BODY_SUFFIXES = ("Update", "Create", "In", "Request", "Body", "Schema", "Payload", "Input", "Form", "Data", "Patch")


def _principals(function: ir.Function, handler: HandlerInfo) -> set[str]:
    """The caller's names, without request-body parameters that happen to be called `user`
    (`user: UserRoleUpdate` in FastAPI is what the client sent, not who is calling)."""
    bodies = {p.name for p in function.params if p.annotation is not None
              and ir.last_name(p.annotation).endswith(_BODY_SUFFIXES)}
    seeds = access.principal_params(function, handler.path) - bodies
    # `reads` visits every node of a value: the per-node test gives `is_principal`'s answer
    return access.flow_names(function.body, seeds, lambda e: access.is_principal_node(e, frozenset()))


def _named_privilege_change(function: ir.Function, handler: HandlerInfo, vocab: AccessVocabulary) -> Iterator[Action]:
    """A handler whose own name or route says it changes roles (`update_user_role`, `PUT
    /users/{id}/permissions`) and that writes something: the write is done by a helper."""
    named = set(words(function.name)) | set(re.findall(r"[a-z]+", handler.path.lower()))
    if not named & vocab.privilege_words or not named & vocab.change_verbs:
        return
    principals = _principals(function, handler)
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, (ir.If, ir.While)):
            continue
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and (words(ir.last_name(node.func))[:1] or [""])[0] in vocab.write_verbs \
                        and not _hands_caller(node, principals):
                    yield Action(node.line, node.end_line or node.line,
                                 f"changes user roles (`{ir.last_name(node.func)}`, by its route `{function.name}`)",
                                 "privilege")
                    return


def _hands_caller(call: ir.Call, principals: set[str]) -> bool:
    """`users.set_role_as(current_user, user_id, role)`: the helper is handed the caller, to judge."""
    return any(access.is_principal(arg, principals) for arg in (*call.args, *(kw.value for kw in call.kwargs)))


def _mentions_caller(function: ir.Function) -> bool:
    return any(access.is_principal(e, frozenset()) for s in ir.walk_stmts(function.body) for e in ir.stmt_exprs(s))


# ---------------------------------------------------------------- what the handler does


def _actions(function: ir.Function, principals: set[str], vocab: AccessVocabulary) -> Iterator[Action]:
    users = _user_objects(function, principals, vocab)
    others = _others_accounts(function, users, principals)
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign):
            yield from _assigned(stmt, users, principals, vocab)
            yield from _status_changed(stmt, others, vocab)
        if isinstance(stmt, (ir.If, ir.While)):
            continue
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call):
                    found = _call_action(node, users, principals, vocab)
                    if found is not None:
                        yield Action(node.line, node.end_line or node.line, *found)


def _user_objects(function: ir.Function, principals: set[str], vocab: AccessVocabulary) -> set[str]:
    """Local names bound to a user looked up by the handler (not the caller):
    `user = User.objects.get(pk=pk)`, `target = db.get_or_404(User, user_id)`."""
    found: set[str] = set()
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and not access.is_principal(stmt.value, principals) \
                and _user_model_chain(stmt.value, vocab):
            found.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return found


def _others_accounts(function: ir.Function, users: set[str], principals: set[str]) -> set[str]:
    """Of the users the handler looked up, those found by a key that is not the caller's
    (`db.get(User, user_id)`, not `User.objects.get(pk=request.user.pk)`): someone else's account."""
    mine = {t.id for s in ir.walk_stmts(function.body) if isinstance(s, ir.Assign) and s.value is not None
            and any(access.is_principal(n, principals) for n in ir.walk_expr(s.value))
            for t in s.targets if isinstance(t, ir.Name)}
    return users - mine


def _status_changed(stmt: ir.Assign, others: set[str], vocab: AccessVocabulary) -> Iterator[Action]:
    """`target.is_active = False`, `user.is_banned = True` on another person's account: a
    moderator's switch, as reserved to a role as deleting the account. Switching an account on
    (`user.is_active = True` at the end of an e-mailed activation link) is not judged."""
    value = stmt.value
    for target in stmt.targets:
        if not isinstance(target, ir.Attr) or not isinstance(target.value, ir.Name) or target.value.id not in others:
            continue
        switched_on = (target.attr in vocab.account_enabled_fields and is_const(value, True)) or \
            (target.attr in vocab.account_disabled_fields and is_const(value, False))
        if (target.attr in vocab.account_enabled_fields | vocab.account_disabled_fields) and not switched_on:
            yield Action(stmt.line, stmt.end_line, f"switches another user's account `{target.attr}`", "status")


def _is_user_word_name(name: str, vocab: AccessVocabulary) -> bool:
    return bool(set(words(name)) & vocab.user_words)


def _user_model_chain(expr: ir.Expr, vocab: AccessVocabulary) -> bool:
    """`User.objects...`, `User.query...`, `get_object_or_404(User, ...)`, `session.get(Account, id)`,
    `select(User)...`, `get_user_model().objects...`."""
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Attr) and node.attr in ("objects", "query", "_default_manager") \
                and _is_user_model(node.value, vocab):
            return True
        if isinstance(node, ir.Call):
            name = ir.last_name(node.func)
            if name == "get_user_model":
                return True
            if name in ("get", "get_or_404", "get_object_or_404", "select", "query", "one_or_404", "first_or_404") \
                    and node.args and _is_user_model(node.args[0], vocab):
                return True
            if _is_user_word_name(access.getter_noun(node), vocab) and (node.args or node.kwargs):
                return True  # a repository's `get_user(user_id)`, a CRUD module's `get_account(db, id)`
    return False


def _is_user_model(expr: ir.Expr, vocab: AccessVocabulary) -> bool:
    name = ir.last_name(expr)
    if not name or not name[0].isupper() or name.isupper():
        return False
    parts = words(name)
    return bool(parts) and parts[-1] in vocab.user_words and parts[-1] not in ("staff", "member", "profile")


def _receiver_is_user(expr: ir.Expr, users: set[str], principals: set[str], vocab: AccessVocabulary) -> bool:
    name = ir.dotted_name(expr) or ""
    return name.split(".", 1)[0] in users or access.is_principal(expr, principals) \
        or _is_user_word_name(name.rsplit(".", 1)[-1], vocab) or _user_model_chain(expr, vocab)


def _privileged_field(name: str, receiver_is_user: bool, vocab: AccessVocabulary) -> bool:
    return name in vocab.privilege_flags or (receiver_is_user and name in vocab.user_privilege_fields)


def _assigned(stmt: ir.Assign, users: set[str], principals: set[str], vocab: AccessVocabulary) -> Iterator[Action]:
    for target in stmt.targets:
        if isinstance(target, ir.Attr) and _privileged_field(
                target.attr, _receiver_is_user(target.value, users, principals, vocab), vocab):
            yield Action(stmt.line, stmt.end_line, f"changes the privilege field `{target.attr}` of a user", "privilege")
        elif isinstance(target, ir.Subscript) and (ir.dotted_name(target.value) or "").endswith(".config") \
                and (ir.dotted_name(target.value) or "").split(".", 1)[0] in ("app", "current_app", "flask"):
            yield Action(stmt.line, stmt.end_line, "changes the application's global configuration", "settings")



def _call_action(call: ir.Call, users: set[str], principals: set[str],
                 vocab: AccessVocabulary) -> tuple[str, str] | None:
    name = ir.last_name(call.func)
    receiver = call.func.value if isinstance(call.func, ir.Attr) else None
    if name in vocab.privileged_creators:
        return f"creates an administrator account (`{name}`)", "privilege"
    if name == "setattr" and len(call.args) >= 2 and isinstance(call.args[1], ir.Const) \
            and _privileged_field(str(call.args[1].value), _receiver_is_user(call.args[0], users, principals, vocab),
                                  vocab):
        return f"changes the privilege field `{call.args[1].value}` of a user", "privilege"
    if receiver is not None and name in vocab.membership_changes and isinstance(receiver, ir.Attr) \
            and receiver.attr in ("groups", "user_permissions", "roles") \
            and _receiver_is_user(receiver.value, users, principals, vocab):
        return f"changes a user's `{receiver.attr}`", "privilege"
    if name in ("update", "create", "update_or_create", "get_or_create", "create_user") \
            and _user_model_chain(call.func, vocab):
        fields = [kw.name for kw in call.kwargs if kw.name and _privileged_field(kw.name, True, vocab)
                  and not _harmless(kw.value)]
        if fields:
            return f"sets `{fields[0]}` on user accounts", "privilege"
    if name == "delete" and receiver is not None and not call.args and not access.is_principal(receiver, principals) \
            and ((ir.dotted_name(receiver) or "") in users or _user_model_chain(receiver, vocab)):
        return "deletes another user's account", "delete"
    if name == "delete" and len(call.args) == 1 and isinstance(call.args[0], ir.Name) and call.args[0].id in users:
        return "deletes another user's account", "delete"
    if name == "delete" and len(call.args) == 1 and isinstance(call.args[0], ir.Call) \
            and _user_model_chain(call.args[0], vocab) \
            and not any(access.is_principal(n, principals) for n in ir.walk_expr(call.args[0])):
        return "deletes another user's account", "delete"  # `db.delete(db.get(User, user_id))`
    if name == "all" and receiver is not None and _unfiltered_users(receiver, vocab):
        return "lists every user account", "list"
    if name in _WRITES and _global_settings_chain(call.func, vocab):
        return "changes a site-wide setting", "settings"
    if name in _RUNS_SQL and call.args:
        return _sql_action(" ".join(str(n.value) for n in ir.walk_expr(call.args[0])
                                    if isinstance(n, ir.Const) and isinstance(n.value, str)), vocab)
    return None


_RUNS_SQL = frozenset({"execute", "fetch", "fetchrow", "fetchval", "exec_driver_sql", "raw"})
_SQL_UPDATE = re.compile(r"(?is)^\s*update\s+[`\"\[]?(\w+)[`\"\]]?\s+set\s+(.*?)(\bwhere\b|$)")
_SQL_DELETE = re.compile(r"(?is)^\s*delete\s+from\s+[`\"\[]?(\w+)")


def _sql_action(sql: str, vocab: AccessVocabulary) -> tuple[str, str] | None:
    """The same operations written as SQL: `UPDATE users SET role = $1 WHERE id = $2` (a privilege
    column of an account table), `DELETE FROM accounts WHERE id = %s`."""
    update = _SQL_UPDATE.match(sql)
    if update and set(words(update.group(1))) & vocab.user_words:
        columns = re.findall(r"(\w+)\s*=", update.group(2))
        granted = [c for c in columns if _privileged_field(c.lower(), True, vocab)]
        if granted:
            return f"changes the privilege column `{granted[0]}` of `{update.group(1)}`", "privilege"
    delete = _SQL_DELETE.match(sql)
    if delete and set(words(delete.group(1))) & vocab.user_words and re.search(r"(?i)\bwhere\b", sql):
        return f"deletes another user's account (`DELETE FROM {delete.group(1)}`)", "delete"
    return None


def _harmless(value: ir.Expr) -> bool:
    return isinstance(value, ir.Const) and value.value in (False, None, 0, "", "user", "member", "viewer")


def _unfiltered_users(receiver: ir.Expr, vocab: AccessVocabulary) -> bool:
    """`User.objects` / `User.query` / `session.query(User)` with nothing filtering it."""
    node = receiver
    while isinstance(node, (ir.Attr, ir.Call)):
        if isinstance(node, ir.Call):
            if ir.last_name(node.func) in _FILTERS:
                return False
            if ir.last_name(node.func) == "query" and node.args:
                return len(node.args) == 1 and _is_user_model(node.args[0], vocab)
            node = node.func
            continue
        if node.attr in ("objects", "query", "_default_manager"):
            return _is_user_model(node.value, vocab)
        if node.attr in _FILTERS:
            return False
        node = node.value
    return False


def _global_settings_chain(expr: ir.Expr, vocab: AccessVocabulary) -> bool:
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Attr) and node.attr in ("objects", "query"):
            name = ir.last_name(node.value)
            parts = set(words(name))
            if name[:1].isupper() and parts & vocab.global_setting_words and not parts & vocab.owned_setting_words:
                return True
    return False


# ---------------------------------------------------------------- what guards it


def _role_words(name: str, vocab: AccessVocabulary) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last not in vocab.authentication_only and bool(set(words(last)) & vocab.role_check_words)


def _guarded(function: ir.Function, cls: ir.ClassDef | None, vocab: AccessVocabulary, module: ir.Module) -> bool:
    """A decorator, dependency, mixin or permission class that is about roles, not only login."""
    if access.is_admin_only(function, cls, module):
        return True
    exprs: list[ir.Expr] = []
    for decorator in function.decorators:
        if isinstance(decorator, ir.Call) and ir.last_name(decorator.func) in _ROUTE_DECORATORS:
            # a route decorator says nothing about roles except in its dependencies (its
            # response_model may well be called `UserRoleOut`)
            exprs.extend(e for e in (decorator.kwarg("dependencies"),) if e is not None)
        elif isinstance(decorator, ir.Call) and ir.last_name(decorator.func) in vocab.schema_decorators:
            continue  # `@blp.arguments(RoleChangeSchema)`: the body's shape, not a role
        else:
            exprs.append(decorator)
    for param in function.params:
        for expr in (param.default, param.annotation):
            for node in ir.walk_expr(expr) if expr is not None else ():
                if isinstance(node, ir.Call) and ir.last_name(node.func) in ("Depends", "Security"):
                    exprs.append(node)
        if param.annotation is not None and ir.last_name(param.annotation).startswith("Current"):
            exprs.append(param.annotation)  # `CurrentSuperuser`
    if any(_scoped_security(n) for e in exprs for n in ir.walk_expr(e)):
        return True
    if cls is not None:
        chosen = _chosen_for_action(function, cls, module)
        exprs.extend(cls.bases)
        exprs.extend(inherited_permissions(function, cls))  # Pyramid's `@view_defaults(permission=...)`
        # `decorators = [roles_required("admin"), login_required]` wraps every verb method the way a
        # decorator on the method would (flask-restful's per-verb dict only the verbs it names)
        exprs.extend(ir.decorators_of_method(cls, function.name))
        if chosen is not None:
            exprs.append(chosen)  # what `get_permissions` returns for this very action replaces the class list
        else:
            exprs.extend(e for s in cls.body if isinstance(s, ir.Assign) and _names_permissions(s)
                         for e in ir.stmt_exprs(s))
        if chosen is None and any(m.rsplit(".", 1)[-1] in ("get_permissions", "check_permissions", "has_permission",
                                                           "test_func", "dispatch", "initial") for m in cls.methods):
            return True
    return any(_role_words(name, vocab) for e in exprs for name in _full_names(e))


def _full_names(expr: ir.Expr) -> Iterator[str]:
    """The dotted names in `expr`, each whole: `permissions.IsAuthenticated` is judged by
    `IsAuthenticated`, not by the module `permissions` it is read from."""
    nodes = list(ir.walk_expr(expr))
    prefixes = {id(n.value) for n in nodes if isinstance(n, ir.Attr)}
    for node in nodes:
        if isinstance(node, (ir.Name, ir.Attr)) and id(node) not in prefixes:
            yield ir.dotted_name(node) or ""


def _chosen_for_action(function: ir.Function, cls: ir.ClassDef, module: ir.Module) -> ir.Expr | None:
    """The permission list a view's `get_permissions` returns for this handler's action
    (endpoints.drf_permissions): `if self.action in ("list", "reject"): return [IsAdminUser()]` guards
    `reject`, not the `approve` action beside it. None when the view has no such method, or its
    branches cannot be followed for this action (then any `get_permissions` counts as a check)."""
    method = next((f for f in module.functions if f.qualname == f"{cls.qualname}.get_permissions"), None)
    if method is None:
        return None
    verb = function.name.upper() if function.name in _HTTP_VERB_NAMES else _ACTION_VERBS.get(function.name)
    verbs = [verb] if verb else sorted(m for m in _WRITE_METHODS | {"GET"} if _declares_method(function, m)) or ["POST"]
    chosen = [chosen_permissions(method, function.name, each) for each in verbs]
    if any(c is None for c in chosen):
        return None
    return chosen[0] if len(chosen) == 1 else ir.Seq(chosen[0].line, chosen[0].col, "list", tuple(chosen))


def _declares_method(function: ir.Function, verb: str) -> bool:
    """`@action(methods=["post"])` declares the HTTP method the action answers."""
    for decorator in function.decorators:
        if isinstance(decorator, ir.Call) and ir.last_name(decorator.func) == "action":
            methods = decorator.kwarg("methods")
            if isinstance(methods, ir.Seq):
                return any(isinstance(e, ir.Const) and str(e.value).upper() == verb for e in methods.elts)
            return verb == "GET"  # an action without `methods` answers GET
    return False


_HTTP_VERB_NAMES = ("get", "post", "put", "patch", "delete", "head", "options")
# the HTTP method of a viewset's standard actions (the router maps them)
_ACTION_VERBS = {"list": "GET", "retrieve": "GET", "create": "POST", "update": "PUT", "partial_update": "PATCH",
                 "destroy": "DELETE"}


def _scoped_security(node: ir.Expr) -> bool:
    """FastAPI `Security(get_current_user, scopes=["users:admin"])`: the dependency is handed the
    scopes the operation requires (SecurityScopes) and refuses a token without them: a
    permission check, whatever the dependency is called."""
    if not isinstance(node, ir.Call) or ir.last_name(node.func) != "Security":
        return False
    scopes = node.kwarg("scopes")
    return isinstance(scopes, ir.Seq) and bool(scopes.elts)


def _names_permissions(stmt: ir.Assign) -> bool:
    return any(isinstance(t, ir.Name) and t.id in ("permission_classes", "permission_required", "required_roles",
                                                     "required_permissions") for t in stmt.targets)


def _checks_in_body(function: ir.Function, principals: set[str], vocab: AccessVocabulary) -> bool:
    """Reads only: `request.user.is_staff = True` is an escalation, not a check."""
    for stmt in ir.walk_stmts(function.body):
        read = (stmt.value,) if isinstance(stmt, ir.Assign) and stmt.value is not None else \
            () if isinstance(stmt, ir.Assign) else tuple(ir.stmt_exprs(stmt))
        for expr in read:
            for node in ir.walk_expr(expr):
                if _check_node(node, principals, vocab):
                    return True
    return False


def _check_node(node: ir.Expr, principals: set[str], vocab: AccessVocabulary) -> bool:
    if isinstance(node, ir.Const) and node.value == 403 and not isinstance(node.value, bool):
        return True
    if isinstance(node, (ir.Name, ir.Attr)) and ir.last_name(node) in vocab.forbidden_names:
        return True
    if isinstance(node, ir.Call):
        parts = words(ir.last_name(node.func))
        if parts and parts[0] in vocab.check_verbs and (len(parts) == 1 or set(parts[1:]) & vocab.role_check_words
                                                        or parts[0] in ("authorize", "authorise", "permit")):
            return True
    if isinstance(node, ir.Attr) and access.is_principal(node.value, principals) \
            and (node.attr in vocab.privilege_flags or node.attr in vocab.user_privilege_fields
                 or set(words(node.attr)) & {"admin", "staff", "superuser", "role", "roles"}):
        return True
    return False


def _helper_checks(function: ir.Function, functions: dict[str, ir.Function], vocab: AccessVocabulary,
                   known: dict[str, bool] | None = None) -> bool:
    """One level into helpers of the same module: `_require_admin(request)`, `self.check_admin()`.
    A helper's answer depends on the helper alone: `known` keeps it for the file's other callers."""
    return any(_helper_verdict(helper, vocab, known) for helper in access.called_helpers(function, functions))


def _helper_verdict(helper: ir.Function, vocab: AccessVocabulary, known: dict[str, bool] | None) -> bool:
    found = known.get(helper.qualname) if known is not None else None
    if found is None:
        found = _checks_in_body(helper, access.principal_names(helper) | {p.name for p in helper.params}, vocab)
        if known is not None:
            known[helper.qualname] = found
    return found


# ---------------------------------------------------------------- the finding


_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _unguarded_siblings(module: ir.Module, scope: ModuleScope, vocab: AccessVocabulary) -> Iterator[Finding]:
    """A router whose routes carry their role guard one by one (`dependencies=[Depends(require_staff)]`)
    and one write route that only authenticates: the module itself says a role is needed here, and
    the back-office prefix (`/admin`) enforces nothing on its own."""
    functions = {f.qualname: f for f in module.functions}
    routes = [(f, scope.handlers[f.qualname]) for f in module.functions if f.qualname in scope.handlers]
    guarded: list[ir.Function] = []
    open_writes: list[tuple[ir.Function, HandlerInfo]] = []
    decisions: list[tuple[ir.Function, HandlerInfo]] = []
    plain_writes: list[tuple[ir.Function, HandlerInfo]] = []  # authenticated writes guarded by nothing more
    for function, handler in routes:
        cls = access.enclosing_class(module, function)
        principals = _principals(function, handler)
        if _guarded(function, cls, vocab, module) or _checks_in_body(function, principals, vocab) \
                or _helper_checks(function, functions, vocab):
            guarded.append(function)
        elif set(handler.methods) & _WRITE_METHODS and (handler.auth != "none" or principals) \
                and access.in_admin_area(module.path, handler.path) and not _owns_target(function, principals):
            # a back-office route by its place, guarded by nothing; not one that edits the caller's
            # own record (`/staff/me`), which every signed-in member may do
            open_writes.append((function, handler))
        elif set(handler.methods) & _WRITE_METHODS and handler.auth == "required" \
                and _decision_route(function, vocab) and not _scoped_to_caller(function, principals) \
                and not list(_actions(function, principals, vocab)):  # those are reported at the action
            decisions.append((function, handler))  # a reviewer's decision by its name, guarded by nothing
        elif set(handler.methods) & _WRITE_METHODS and handler.auth == "required":
            plain_writes.append((function, handler))
    back_office = len(guarded) >= 2 and len(guarded) >= len(routes) / 2
    # when the module guards any route by role, roles exist here: a route that takes a reviewer's
    # decision (`approve_application`) with only a login lets the applicant decide for themselves
    guarded_writes = [f for f in guarded if set(scope.handlers[f.qualname].methods) & _WRITE_METHODS]
    # every authenticated write of the module but one carries a role guard: the module says writing
    # here takes a role, and the one left out is a forgotten guard unless it writes the caller's own
    lone = [(f, h) for f, h in plain_writes if not _owns_target(f, set(access.principal_params(f)))
            and not public_reason(f.qualname, h.path or "") and not _opened(f)] \
        if len(guarded_writes) >= 3 and len(plain_writes) == 1 else []
    for function, handler in (open_writes if back_office else []) + decisions + lone:
        if not guarded:  # a decision with no role-guarded sibling here: kept if the project has roles
            yield _decision_pending(module, scope, function, handler)
            continue
        yield make_finding(
            "broken-function-authorization", Location(module.path, function.line, function.line),
            f"`{function.name}` skips the role check its sibling routes have",
            f"{len(guarded)} of the {len(routes)} routes in this module require a role (e.g. `{guarded[0].name}`), "
            f"but `{function.name}` ({'/'.join(handler.methods)} {handler.path or ''}) only requires a login: any "
            "signed-in user can call it (OWASP API5: broken function level authorization).",
            confidence=Confidence.MEDIUM,
            evidence=(TraceStep(Location(module.path, guarded[0].line), f"`{guarded[0].name}` is role-guarded",
                                module.line_text(guarded[0].line)),
                      TraceStep(Location(module.path, function.line), "this write route is not",
                                module.line_text(function.line))),
            fix=_fix(module, scope, function, handler),
            rule=RULE.id, key=f"{function.qualname}:sibling-guard",
        )


def _decision_pending(module: ir.Module, scope: ModuleScope, function: ir.Function, handler: HandlerInfo) -> Finding:
    """A reviewer's decision (`refund_order`) behind a login only, in a module that guards nothing by
    role: whether roles exist at all is the project's to say (ROLES_PENDING_RULE)."""
    return make_finding(
        "broken-function-authorization", Location(module.path, function.line, function.line),
        f"`{function.name}` takes a decision reserved to a role, but only requires a login",
        f"`{function.name}` ({'/'.join(handler.methods)} {handler.path or ''}) is named for a reviewer's or "
        "operator's decision, and the project guards other routes by role, but this one checks only that the "
        "caller is signed in: any user can take the decision, on their own objects too (OWASP API5: broken "
        "function level authorization).",
        confidence=Confidence.MEDIUM,
        evidence=(TraceStep(Location(module.path, function.line), "only a login guards this decision",
                            module.line_text(function.line)),),
        fix=_fix(module, scope, function, handler),
        rule=ROLES_PENDING_RULE, key=f"{function.qualname}:decision-guard",
    )


def _opened(function: ir.Function) -> bool:
    """`@permission_classes([AllowAny])`: the route is open to everyone on purpose (a webhook, a
    public form), not a signed-in route that forgot its role."""
    return any(isinstance(n, ir.Name) and n.id == "AllowAny" or isinstance(n, ir.Attr) and n.attr == "AllowAny"
               for decorator in function.decorators for n in ir.walk_expr(decorator))


def _owns_target(function: ir.Function, principals: set[str]) -> bool:
    """The handler works on the caller's own record: it writes the caller itself (`request.user.email
    = ...`), looks a row up by the caller (`owner=request.user`, `user_id=current_user.id`,
    `get_order_for_user(request.user, pk)`: any call handed the caller counts) or compares a row with
    the caller. A lookup by the caller's organisation (`account=request.user.profile.account`)
    is a tenant scope, not ownership: every member of the tenant passes it."""
    principals = principals | {t.id for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.Assign)
                              and stmt.value is not None and _caller_itself(stmt.value, principals)
                              for t in stmt.targets if isinstance(t, ir.Name)}  # `user = get_current_user()`
    refusals = _self_refusals(function, principals)
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Attr) and _caller_itself(t.value, principals)
                                               for t in stmt.targets):
            return True
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Compare) and id(node) not in refusals and any(_caller_itself(side, principals)
                                                        for side in (node.left, *node.comparators)):
                    return True
                if isinstance(node, ir.Call) and not _LOG_CALL.search(ir.dotted_name(node.func) or "") \
                        and not _stamps_new_row(node) and (
                        any(kw.name and _caller_itself(kw.value, principals) for kw in node.kwargs)
                        or any(_caller_itself(arg, principals) for arg in node.args)):
                    return True  # `get_order_for_user(request.user, pk)`: the lookup is by the caller
    return False


def _stamps_new_row(call: ir.Call) -> bool:
    """`History(msg=..., created_by=current_user.username)`: a record constructed with the caller as
    its author. The caller is stamped on a new row, not used to find the row the route changes, so it
    says nothing about whose record that is."""
    name = ir.last_name(call.func) or ""
    return name[:1].isupper()


def _self_refusals(function: ir.Function, principals: set[str]) -> set[int]:
    """The tests of `if member.id == g.user.id: abort(400)`: the handler refuses to act on the caller
    themself, so the record it goes on to change is someone else's (a role change that forbids
    demoting yourself), the opposite of working on the caller's own record."""
    found: set[int] = set()
    for stmt in ir.walk_stmts(function.body):
        test = stmt.test if isinstance(stmt, ir.If) else None
        if not isinstance(test, ir.Compare) or test.ops not in (("==",), ("is",)) or not _exits(stmt.body):
            continue
        sides = (test.left, test.comparators[0])
        if any(_caller_itself(side, principals) for side in sides) \
                and any(not access.is_principal(side, principals) and _row_key(side) for side in sides):
            found.add(id(test))
    return found


def _row_key(expr: ir.Expr) -> bool:
    """`member.id`, `member.pk`, `member` itself: the record's identity, not a field such as its owner."""
    return isinstance(expr, ir.Name) or isinstance(expr, ir.Attr) and expr.attr in ("id", "pk", "uuid") \
        and isinstance(expr.value, ir.Name)


def _exits(body: tuple[ir.Stmt, ...]) -> bool:
    """The branch leaves the handler: a raise, a return, or an `abort(...)` call."""
    last = body[-1] if body else None
    return isinstance(last, (ir.Raise, ir.Return)) or isinstance(last, ir.ExprStmt) \
        and isinstance(last.value, ir.Call) and ir.last_name(last.value.func) == "abort"


# a log line names the caller without looking anything up by it
_LOG_CALL = re.compile(r"(?i)(^|\.)(log|logger|logging|_log|_logger|audit_log)\.|(^|\.)print$")


def _caller_itself(expr: ir.Expr, principals: set[str]) -> bool:
    """The caller or its own key (`request.user`, `current_user.id`, `user.pk`), not a field further
    down (`request.user.profile.account`)."""
    node = expr.value if isinstance(expr, ir.Attr) and expr.attr in ("id", "pk", "uuid") else expr
    if not access.is_principal(node, principals):
        return False
    if isinstance(node, ir.Call):
        return access.is_principal_node(node, principals)  # `get_current_user()`, not a call handed the caller
    name = ir.dotted_name(node)  # None for `user["company"]`: a field of the caller, not the caller
    return name is not None and (name in principals or name.count(".") <= 1)  # `request.user`, `current_user`


def _decision_route(function: ir.Function, vocab: AccessVocabulary) -> bool:
    """`approve_application`, `RefundView.post`: the handler's (or its view class's) first word is a
    decision reserved to a reviewer or operator."""
    # a class view's `post` takes its name from the class; a viewset's extra action is named itself
    standard = function.name in _HTTP_VERB_NAMES or function.name in _ACTION_VERBS
    name = function.class_name if function.class_name and standard else function.name
    first = words(name)[:1]
    return bool(first) and first[0] in vocab.decision_verbs


def _scoped_to_caller(function: ir.Function, principals: set[str]) -> bool:
    """The handler compares something with the caller or looks rows up by the caller
    (`quote.customer == request.user`, `get_object_or_404(Quote, customer=request.user)`): a
    decision on the caller's own object, such as a customer approving their own quote."""
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Compare) and any(access.is_principal(side, principals)
                                                        for side in (node.left, *node.comparators)):
                    return True
                if isinstance(node, ir.Call) and any(kw.name and not _text(kw.value)
                                                     and access.is_principal(kw.value, principals)
                                                     for kw in node.kwargs):
                    return True
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) \
                        and _caller_itself(node.func.value, principals):
                    return True  # `request.user.deactivate()`: the decision is on the caller's own account
    return False


def _text(expr: ir.Expr) -> bool:
    """`reason=f"... (by user {user.id})"`: a message that names the caller, not a lookup by it."""
    return isinstance(expr, ir.FormattedString) or isinstance(expr, ir.BinOp) and expr.op == "%" \
        or isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr == "format"


# DRF permission classes that only say "signed in" (or nothing)
_AUTHENTICATION_ONLY = frozenset({"IsAuthenticated", "IsAuthenticatedOrReadOnly", "AllowAny"})
_SAFE_METHODS = frozenset({"get", "head", "options"})


def _downgraded_actions(module: ir.Module) -> Iterator[Finding]:
    """`@action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])` on a viewset
    whose own `permission_classes` hold a role/object permission: the extra action replaces the
    class's list, so the role check the other actions get is dropped for this write."""
    for function in module.functions:
        cls = access.enclosing_class(module, function)
        if cls is None:
            continue
        for decorator in function.decorators:
            if not isinstance(decorator, ir.Call) or ir.last_name(decorator.func) != "action":
                continue
            own = decorator.kwarg("permission_classes")
            methods = decorator.kwarg("methods")
            verbs = {str(n.value).lower() for n in ir.walk_expr(methods) if isinstance(n, ir.Const)} if methods else {"get"}
            if own is None or not verbs - _SAFE_METHODS:
                continue
            granted = {ir.last_name(n) for n in ir.walk_expr(own) if isinstance(n, (ir.Name, ir.Attr))}
            if not granted <= _AUTHENTICATION_ONLY:
                continue
            dropped = [ir.last_name(n) for s in cls.body if isinstance(s, ir.Assign)
                       and any(isinstance(t, ir.Name) and t.id == "permission_classes" for t in s.targets)
                       for n in ir.walk_expr(s.value) if isinstance(n, (ir.Name, ir.Attr))  # type: ignore[arg-type]
                       and ir.last_name(n) not in _AUTHENTICATION_ONLY and ir.last_name(n)[:1].isupper()]
            if not dropped:
                continue
            yield make_finding(
                "broken-function-authorization", Location(module.path, decorator.line, function.line),
                f"`{cls.name}.{function.name}` replaces the viewset's `{dropped[0]}` with login only",
                f"`permission_classes` on an `@action` replaces the viewset's list instead of adding to it: "
                f"`{function.name}` ({'/'.join(sorted(v.upper() for v in verbs))}) no longer checks "
                f"`{', '.join(dropped)}`, so any signed-in user, whatever their role, can run it.",
                confidence=Confidence.MEDIUM,
                evidence=(TraceStep(Location(module.path, cls.line), f"`{cls.name}` requires "
                                    f"{', '.join(dropped)}", module.line_text(cls.line)),
                          TraceStep(Location(module.path, decorator.line), "this action only requires a login",
                                    module.line_text(decorator.line))),
                fix=Fix("Keep the viewset's permission classes on the action (or add a stricter one).",
                        f"@action(detail=True, methods={sorted(verbs)!r}, "
                        f"permission_classes=[IsAuthenticated, {dropped[0]}])\n"
                        f"{def_header(module.lines, function.line) or f'def {function.name}(self, request, pk=None):'}"
                        "\n    ...\n", "python"),
                rule=RULE.id, key=f"{cls.name}.{function.name}:action-permissions",
            )


def _finding(module: ir.Module, scope: ModuleScope, function: ir.Function, handler: HandlerInfo,
             action: Action) -> Finding:
    auth = "requires a login" if handler.auth == "required" else "acts for the signed-in user"
    name = function.qualname if function.class_name else function.name
    return make_finding(
        "broken-function-authorization", Location(module.path, action.line, action.end_line),
        f"Probable missing role check: `{name}` {action.what}",
        f"`{name}` {auth} but checks no role or permission before it {action.what}: any customer "
        "with an account can call it, to promote themselves, lock out or delete other users, or change how the "
        "whole service behaves (OWASP API5: broken function level authorization).",
        confidence=Confidence.MEDIUM,
        evidence=(TraceStep(Location(module.path, function.line),
                            f"handler `{function.name}` ({handler.framework}): authenticated, no admin/role "
                            "decorator, dependency or permission class", module.line_text(function.line)),
                  TraceStep(Location(module.path, action.line), f"{action.what}, with no role comparison or 403 "
                            "on the way", module.line_text(action.line))),
        fix=_fix(module, scope, function, handler),
        rule=RULE.id, key=f"{function.qualname}:{action.kind}",
    )


def _fix(module: ir.Module, scope: ModuleScope, function: ir.Function, handler: HandlerInfo) -> Fix:
    """The handler itself with a role check in its framework's idiom, using the guard the module
    already puts on its other routes when it has one."""
    cls = access.enclosing_class(module, function)
    route = Handler(handler.framework, function.name, tuple(p.name for p in function.params), handler.methods,
                    handler.path, class_name=function.class_name or "",
                    class_bases=tuple(ir.dotted_name(b) or "" for b in cls.bases) if cls else (),
                    is_async=function.is_async, def_line=def_header(module.lines, function.line),
                    decorators=own_decorators(module.lines, function.line))
    code = require_admin(route, _project_guard(module, scope, function, access_vocabulary()))
    return Fix("Check the caller's role before the operation, in a decorator, dependency or permission class "
               "next to the route so a new route cannot forget it.", code, "python" if code else "")


def _project_guard(module: ir.Module, scope: ModuleScope, function: ir.Function, vocab: AccessVocabulary) -> RoleCheck:
    """The role check the module already uses: a decorator or dependency on another of its
    routes, else a guard function it defines (a decorator, or a helper called first)."""
    for other in module.functions:
        if other is function or other.qualname not in scope.handlers:
            continue
        for text in own_decorators(module.lines, other.line) if not function.class_name else ():
            if _role_decorator(text, vocab):
                return RoleCheck(decorator=text)
        for param in other.params:
            default = param.default
            if isinstance(default, ir.Call) and ir.last_name(default.func) in ("Depends", "Security") \
                    and default.args and _role_words(ir.dotted_name(default.args[0]) or "", vocab):
                return RoleCheck(dependency=ir.dotted_name(default.args[0]) or "")
    for other in module.functions:
        if other.class_name or other.parent or other is function or not _role_words(other.name, vocab):
            continue
        inner = [f for f in module.functions if f.parent == other.qualname]
        if len(other.params) == 1 and any(_checks_in_body(f, access.principal_names(f), vocab) for f in inner):
            return RoleCheck(decorator=f"@{other.name}")
        if not other.params and _checks_in_body(other, access.principal_names(other), vocab):
            return RoleCheck(call=f"{other.name}()")
    return RoleCheck()


def _role_decorator(text: str, vocab: AccessVocabulary) -> bool:
    """`@admin_required`, `@user_passes_test(lambda u: u.is_superuser)`: a decorator line naming a
    role, not a route (whose path may well say `role`) and not a login requirement."""
    try:
        tree = pyast.parse(text.lstrip("@"), mode="eval").body
    except SyntaxError:
        return False
    callee = tree.func if isinstance(tree, pyast.Call) else tree
    if (fixcode_dotted(callee).rsplit(".", 1)[-1] or "") in _ROUTE_DECORATORS:
        return False
    names = [fixcode_dotted(n) for n in pyast.walk(tree) if isinstance(n, (pyast.Name, pyast.Attribute))]
    return any(name and _role_words(name, vocab) for name in names)


RULE = Rule("py-broken-function-authorization", frozenset({"broken-function-authorization"}), "python", check)
