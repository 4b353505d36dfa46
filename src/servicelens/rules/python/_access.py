"""Who is asking and what they sent: shared predicates for the access-control rules
(broken-object-authorization, mass-assignment, excessive-data-exposure, rate limits).

A handler sees two kinds of values. *Client values* come from the request (route
parameters, query string, body) and can be anything the attacker likes. *Principal values*
come from the authenticated session (`request.user`, `current_user`, `g.user`, a FastAPI
`Depends(get_current_user)` parameter) and are what an ownership check compares against.
The rules ask, per function, which local names hold which kind, with a small forward pass
over the assignments (no aliasing, no calls into other functions: precision over reach).
"""
from __future__ import annotations

import re
from types import MappingProxyType
from typing import TYPE_CHECKING, Callable, Hashable, Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.rules.python._common import words
from servicelens.endpoints.principals import turns_away
from servicelens.taint.scope import HandlerInfo

if TYPE_CHECKING:  # the index imports nothing from the rules, but only its type is needed here
    from servicelens.analysis.file_index import FileIndex

Predicate = Callable[[ir.Expr], bool]

# Attributes of a request object that hold client data, across Django/DRF, Flask, Starlette.
_REQUEST_DATA = frozenset({
    "GET", "POST", "data", "query_params", "body", "args", "form", "json", "get_json", "values",
    "view_args", "path_params", "FILES", "files", "params", "media", "COOKIES", "cookies",
    "match_info", "query", "post",  # aiohttp: URL parameters, query string, form (`await request.post()`)
})
_BODY_DATA = frozenset({"POST", "data", "json", "get_json", "form", "values", "body", "media", "post"})
REQUEST_ROOTS = frozenset({"request", "req", "self.request", "flask.request"})  # names the request object goes by
_PRINCIPAL_EXACT = frozenset({
    "request.user", "self.request.user", "request.auth", "info.context.user", "current_user",
    "flask_login.current_user", "g.user", "g.current_user", "flask.g.user", "current_identity",
    "request.state.user", "self.user", "self.current_user",
})
_PRINCIPAL_PREFIXES = tuple(sorted(p + "." for p in _PRINCIPAL_EXACT))
_PRINCIPAL_CALLS = re.compile(r"(?i)^(get_jwt_identity|get_jwt|get_current_user|current_user|"
                              r"get_current_identity|get_raw_jwt|auth\.current_user|get_user_from_token|"
                              r"jwt\.decode|jose\.jwt\.decode|decode_(access_)?token|verify_(access_)?token|"
                              r"verify_jwt)$")
# what an auth decorator or before_request hook stored on Flask's `g` for the request:
# `g.user_id = claims["sub"]`, `g.current_account`, `g.identity`, `g.tenant_id`
_REQUEST_GLOBAL_PRINCIPAL = re.compile(r"^(flask\.)?g\.\w*(user|uid|identity|principal|member|customer|tenant|"
                                       r"org|caller|claims|subject|account)\w*$", re.IGNORECASE)
_PRINCIPAL_DEPENDENCY = re.compile(r"(?i)(current_?user|current_?active|authenticated_?user|get_?user|"
                                   r"auth|principal|identity|verify_?token|require_?user)")
_PRINCIPAL_PARAMS = frozenset({"user", "current_user", "auth_user", "principal", "me", "requester", "caller"})
# `is_apply_staff`, `is_site_staff`: a staff flag of the project's own naming is still the staff flag
_ADMIN = re.compile(r"(?i)(superuser|is_?staff|is_(?!not_|non_|former_|ex_)[a-z]+_staff\b|is_?admin|IsAdminUser|admins?_?required|admins?_?only|require_?admin|"
                    r"staff_?member|staff_?required|roles?_required\(.*admin)")


def is_request_data(expr: ir.Expr, *, body_only: bool = False) -> bool:
    """`request.GET[...]`, `request.json`, `request.get_json()`, `self.request.data`, `await request.json()`."""
    if isinstance(expr, ir.Await):
        expr = expr.value
    if isinstance(expr, ir.Call):
        expr = expr.func
    if not isinstance(expr, ir.Attr):
        return False
    wanted = _BODY_DATA if body_only else _REQUEST_DATA
    return expr.attr in wanted and (ir.dotted_name(expr.value) or "") in REQUEST_ROOTS


# what a request carries from the client, or describes about the call rather than the caller
_REQUEST_DESCRIPTION = frozenset({"headers", "META", "method", "path", "path_info", "url", "full_path", "scheme",
                                  "content_type", "encoding", "remote_addr", "host", "environ", "stream",
                                  "resolver_match", "session"})


def is_request_context(expr: ir.Expr) -> bool:
    """`request.space`, `self.request.tenant`: an attribute the server's middleware set on the
    request for the signed-in caller (their tenant, workspace, organisation), not one of the
    attributes that carry what the client sent."""
    if not isinstance(expr, ir.Attr) or (ir.dotted_name(expr.value) or "") not in REQUEST_ROOTS:
        return False
    return expr.attr not in _REQUEST_DATA and expr.attr not in _REQUEST_DESCRIPTION \
        and not expr.attr.startswith("_")


def is_principal(expr: ir.Expr, principal_names: frozenset[str] | set[str]) -> bool:
    """Does `expr` read the authenticated user (or a value derived from it)?"""
    return any(is_principal_node(node, principal_names) for node in ir.walk_expr(expr))


def is_principal_node(node: ir.Expr, principal_names: frozenset[str] | set[str]) -> bool:
    """Is this one node (not its sub-expressions) a read of the caller? `is_principal` asks
    it of every node of an expression; a caller that already visits every node (`reads` in
    `flow_names`) asks it directly instead of re-walking each node's subtree."""
    name = ir.dotted_name(node)
    if name is not None:
        if name in _PRINCIPAL_EXACT or name.startswith(_PRINCIPAL_PREFIXES):
            return True
        # `_REQUEST_GLOBAL_PRINCIPAL` can only match a name spelled from `g.` or `flask.g.`
        if name[:1] in "gGf" and name and _on_request_global(name):
            return True
        if name.split(".", 1)[0] in principal_names:
            return True
    kind = type(node)
    if kind is ir.Call:
        callee = ir.dotted_name(node.func) or ""
        if _PRINCIPAL_CALLS.match(callee) or _PRINCIPAL_CALLS.match(callee.rsplit(".", 1)[-1]):
            return True
        if _session_user(node):
            return True
    if kind is ir.Subscript and _session_user(node):
        return True
    if (kind is ir.Subscript or kind is ir.Call) and _request_state_identity(node):
        return True
    return False


_IDENTITY_KEY = re.compile(r"(?i)user|uid|identity|principal|member|customer|tenant|org|caller|claims|subject|"
                           r"account")


def _keyed_read(node: ir.Subscript | ir.Call) -> tuple[ir.Expr, ir.Expr] | None:
    """`base[key]` or `base.get(key, ...)`: the mapping read and its key."""
    if isinstance(node, ir.Subscript):
        return node.value, node.index
    if isinstance(node.func, ir.Attr) and node.func.attr == "get" and node.args:
        return node.func.value, node.args[0]
    return None


def _request_state_identity(node: ir.Subscript | ir.Call) -> bool:
    """`request["user"]`, `self.request.get("claims")`: aiohttp's per-request storage (and Starlette's
    scope), which only server code writes: an auth middleware stores the caller there. Subscripting
    a Flask or Django request is an error, so the shape means that storage."""
    read = _keyed_read(node)
    if read is None:
        return False
    base, key = read
    return (ir.dotted_name(base) or "") in REQUEST_ROOTS and isinstance(key, ir.Const) \
        and isinstance(key.value, str) and bool(_IDENTITY_KEY.search(key.value))


def _on_request_global(name: str) -> bool:
    """`g.user_id`, `flask.g.current_account.id`: the identity an auth hook stored for the request."""
    parts = name.split(".")
    head = parts[:3] if parts[0] == "flask" else parts[:2]
    return _REQUEST_GLOBAL_PRINCIPAL.match(".".join(head)) is not None


def _session_user(node: ir.Call | ir.Subscript) -> bool:
    """Flask's signed `session["user_id"]` / `session.get("uid")`: set by the server, not the client."""
    read = _keyed_read(node)
    if read is None:
        return False
    base, key = read
    return ir.dotted_name(base) in ("session", "flask.session") and isinstance(key, ir.Const) \
        and bool(re.search(r"(?i)user|uid|account|member", str(key.value)))


# attributes of Flask's `g` that hold the app's plumbing rather than who is asking
_G_PLUMBING = frozenset({"db", "session", "conn", "connection", "cursor", "redis", "cache", "engine", "start",
                         "start_time", "request_id", "locale", "lang", "language", "timezone", "csp_nonce", "nonce"})


def is_request_global(expr: ir.Expr) -> bool:
    """`g.project`, `flask.g.workspace.id`: what the server's hooks stored for this request (an auth
    hook's caller, tenant or project), which the client cannot set; not the app's plumbing (`g.db`)."""
    name = ir.dotted_name(expr) if isinstance(expr, (ir.Name, ir.Attr)) else None
    parts = (name or "").split(".")
    if parts[0] == "flask":
        parts = parts[1:]
    return len(parts) >= 2 and parts[0] == "g" and parts[1] not in _G_PLUMBING and not parts[1].startswith("_")


def decorator_injected_params(function: ir.Function, module: ir.Module, cls: ir.ClassDef | None = None) -> set[str]:
    """Handler parameters an auth decorator of this module hands in (`return f(*args, project=project,
    **kwargs)` inside `need_auth`): the decorator computed them after checking the caller, so they
    are the caller's (their account, project or tenant), not values the client chose."""
    decorators = list(function.decorators) + (list(ir.listed_decorators(cls)) if cls is not None else [])
    names = {ir.dotted_name(d.func if isinstance(d, ir.Call) else d) or "" for d in decorators}
    params = {p.name for p in function.params}
    found: set[str] = set()
    for decorator in module.functions:
        if decorator.qualname not in names or not decorator.params:
            continue
        wrapped = decorator.params[0].name
        prefix = f"{decorator.qualname}.<locals>."
        for inner in (f for f in module.functions if f.qualname.startswith(prefix)):
            for stmt in ir.walk_stmts(inner.body):
                for expr in ir.stmt_exprs(stmt):
                    for node in ir.walk_expr(expr):
                        if isinstance(node, ir.Call) and isinstance(node.func, ir.Name) and node.func.id == wrapped:
                            found.update(kw.name for kw in node.kwargs if kw.name in params)
    return found


def principal_params(function: ir.Function, route: str = "") -> set[str]:
    """FastAPI parameters injected as the caller: `user: User = Depends(get_current_user)`,
    `current_user: CurrentUser`, `Annotated[User, Depends(auth)]`."""
    found: set[str] = set()
    for param in function.params:
        if injected_principal(param):
            found.add(param.name)
        elif param.name in _PRINCIPAL_PARAMS and not _in_route(param.name, route):
            found.add(param.name)  # injected by an auth decorator (`@jwt_auth_required def get(self, request, user=None)`)
    return found


def injected_principal(param: ir.Param) -> bool:
    """A parameter FastAPI fills with the caller, by what its declaration names: a current-user
    alias, `Depends(...)`/`Security(...)` of a dependency named for the user or auth, or an auth
    alias (`auth_subject: auth.MemberRead`, `authz: AuthorizeOrgAccess`)."""
    exprs = [e for e in (param.default, param.annotation) if e is not None]
    names = [ir.dotted_name(n) or "" for e in exprs for n in ir.walk_expr(e)]
    if any(n.rsplit(".", 1)[-1] in ("CurrentUser", "CurrentActiveUser", "CurrentSuperuser") for n in names):
        return True
    if any(n.rsplit(".", 1)[-1] in ("Depends", "Security") for n in names) and \
            any(_PRINCIPAL_DEPENDENCY.search(n) for n in names if n.rsplit(".", 1)[-1] not in ("Depends", "Security")):
        return True
    return _auth_alias(param.annotation)


# a parameter typed by an auth alias is the caller FastAPI resolved: `auth.MemberRead` (a name of
# the package's auth module), `AuthorizeOrgAccess`, `AuthenticatedUser`
_AUTH_MODULE_HEADS = frozenset({"auth", "authz", "authentication", "security", "permissions"})
_AUTH_TYPE_WORDS = frozenset({"auth", "authz", "authorize", "authorise", "authorized", "authenticated", "principal"})


def _auth_alias(annotation: ir.Expr | None) -> bool:
    if isinstance(annotation, ir.Attr) and isinstance(annotation.value, ir.Name):
        # `auth.MemberRead`, and a feature's own auth module imported under its name
        # (`transactions_auth.TransactionsRead`)
        head = annotation.value.id
        return head in _AUTH_MODULE_HEADS or bool(set(words(head)) & (_AUTH_MODULE_HEADS - {"permissions"}))
    return isinstance(annotation, ir.Name) and bool(set(words(annotation.id)) & _AUTH_TYPE_WORDS)


def _in_route(name: str, route: str) -> bool:
    return f"{{{name}}}" in route or re.search(rf"<(\w+:)?{name}>", route) is not None


def client_params(function: ir.Function, handler: HandlerInfo | None) -> set[str]:
    """Parameters the client chooses: route/path/query parameters and, for Django class views,
    `**kwargs` (the URL captures)."""
    names = {name for name, _ in handler.source_params} if handler else set()
    names |= {p.name for p in function.params if p.kind == "kwarg"}
    return names - principal_params(function, handler.path if handler else "")


def flow_names(body: tuple[ir.Stmt, ...], seeds: set[str], is_source: Predicate,
               stops: Predicate | None = None, index: FileIndex | None = None) -> set[str]:
    """Local names that hold a value computed from a seed name or a source expression.
    Two passes so that a value assigned late in a loop reaches uses earlier in it. With the
    file's index the statements and each value's nodes are its slices (the same nodes, in
    the same order, as the walks), not walked again for every pass and every caller."""
    held = set(seeds)
    statements = index.walk_stmts(body) if index is not None else tuple(ir.walk_stmts(body))
    nodes_of = index.walk if index is not None else ir.walk_expr
    for _ in range(2):
        before = len(held)
        for stmt in statements:
            value, targets = _binding(stmt)
            if value is None or (stops is not None and stops(value)):
                continue
            if _reads_nodes(nodes_of(value), held, is_source):
                for target in targets:
                    held.update(n.id for n in nodes_of(target) if type(n) is ir.Name)
        if len(held) == before:
            break  # a pass that adds nothing would be repeated exactly by the next
    return held


def flow_origins(body: tuple[ir.Stmt, ...], seeds: Mapping[str, Hashable] = MappingProxyType({}),
                 sources: Mapping[int, Hashable] = MappingProxyType({}), stops: Predicate | None = None,
                 index: FileIndex | None = None) -> dict[str, set[Hashable]]:
    """`flow_names` for many flows at once: each seed name (`seeds`: name -> its origin) and each
    source node (`sources`: id(node) -> its origin) starts a flow of its own, and the answer is,
    per local name, the origins whose flow holds it. Flows are independent (a name joins one when a
    bound value reads a name already in it, or holds its source node), so one walk carries them
    all with the same two passes and the same early stop as `flow_names` for each: rules that
    asked `flow_names` once per parameter or once per call ask once per body. `stops` is asked
    once per bound value that some flow reads."""
    origins: dict[str, set[Hashable]] = {name: {origin} for name, origin in seeds.items()}
    statements = index.walk_stmts(body) if index is not None else tuple(ir.walk_stmts(body))
    nodes_of = index.walk if index is not None else ir.walk_expr
    stopped: dict[int, bool] = {}
    for _ in range(2):
        grew = False
        for stmt in statements:
            value, targets = _binding(stmt)
            if value is None:
                continue
            found: set[Hashable] = set()
            for node in nodes_of(value):
                if type(node) is ir.Name and node.id in origins:  # type: ignore[attr-defined]
                    found |= origins[node.id]  # type: ignore[attr-defined]
                if sources and id(node) in sources:
                    found.add(sources[id(node)])
            if not found:
                continue
            if stops is not None:
                stop = stopped.get(id(value))
                if stop is None:
                    stop = stopped[id(value)] = stops(value)
                if stop:
                    continue
            for target in targets:
                for node in nodes_of(target):
                    if type(node) is ir.Name:
                        held = origins.setdefault(node.id, set())  # type: ignore[attr-defined]
                        if not found <= held:
                            held |= found
                            grew = True
        if not grew:
            break  # a pass that adds nothing would be repeated exactly by the next, for every flow
    return origins


def bound_values(body: tuple[ir.Stmt, ...]) -> Iterator[ir.Expr]:
    """The values `flow_names` binds names from: with no seeds, a name is held only when one of
    these contains a source expression."""
    for stmt in ir.walk_stmts(body):
        value, _ = _binding(stmt)
        if value is not None:
            yield value


def _binding(stmt: ir.Stmt) -> tuple[ir.Expr | None, tuple[ir.Expr, ...]]:
    if isinstance(stmt, ir.Assign):
        return stmt.value, stmt.targets
    if isinstance(stmt, ir.For):
        return stmt.iter, (stmt.target,)
    if isinstance(stmt, ir.With):
        items = [i for i in stmt.items if i.target is not None]
        return (items[0].context, (items[0].target,)) if items else (None, ())  # type: ignore[return-value]
    return None, ()


def reads(expr: ir.Expr, names: set[str] | frozenset[str], is_source: Predicate | None = None) -> bool:
    """Does `expr` read one of `names` or contain a source expression?"""
    return _reads_nodes(ir.walk_expr(expr), names, is_source)


def _reads_nodes(nodes: Iterable[ir.Expr], names: set[str] | frozenset[str], is_source: Predicate | None) -> bool:
    for node in nodes:
        if type(node) is ir.Name and node.id in names:  # type: ignore[attr-defined]
            return True
        if is_source is not None and is_source(node):
            return True
    return False


def principal_names(function: ir.Function, handler: HandlerInfo | None = None) -> set[str]:
    """Local names holding the caller or something derived from it (`user = request.user`,
    `uid = get_jwt_identity()`, `customer = request.user.customer`)."""
    seeds = principal_params(function, handler.path if handler else "")
    if handler is not None:
        seeds |= handler.caller_params  # `ctx: OrgMember`: a dependency that returns what it derived from the caller
    # `reads` visits every node of a value, so the per-node test gives `is_principal`'s answer
    return flow_names(function.body, seeds, lambda e: is_principal_node(e, frozenset()))


# a value a verifier produced (`tokens.decode_id_token()`, `jwt.decode(...)`, `signing.loads(...)`,
# `decrypt_message(key)`) carries what the server or an identity provider signed, not a choice of
# the client, even when the token itself arrived in the request
VERIFIED_WORDS = frozenset({"decode", "decoded", "decrypt", "decrypted", "unsign", "unsigned", "verify", "verified",
                            "signing", "signer"})


def verifier_call(expr: ir.Expr) -> bool:
    """`id_token = flow.decode_id_token()`, `payload = signing.loads(token)`: a verifier's result."""
    if isinstance(expr, ir.Await):
        expr = expr.value
    name = ir.dotted_name(expr.func) if isinstance(expr, ir.Call) else None
    return bool(name) and bool({w for part in name.split(".") for w in words(part)} & VERIFIED_WORDS)  # type: ignore[union-attr]


def client_names(function: ir.Function, handler: HandlerInfo | None, stops: Predicate | None = None) -> set[str]:
    """Local names holding client data (route parameters, request data and what is computed from them)."""
    return flow_names(function.body, client_params(function, handler), is_request_data, stops)


def server_rebound(body: tuple[ir.Stmt, ...], target: ir.Stmt, names: set[str] | frozenset[str],
                   is_source: Predicate | None = None) -> frozenset[str]:
    """The names among `names` that, on every path to `target`, were last bound from a value holding
    none of them (and no source expression): `id = f"{student}-{row['level']}"` re-binds the route
    parameter `id` to the server's value before `lookup(id)`, so at that lookup `id` is no longer
    the client's. `names` is what the order-blind pass (`flow_names`) found; this narrows it at one
    statement. Only a binding in a block enclosing `target`, before it, counts; a branch that may
    bind a name from the client again undoes it, and so does a loop body binding it after `target`
    (the next round sees that value). A loop's own target is bound before each round."""
    path = _block_path(body, target)
    if not path:
        return frozenset()
    killed: set[str] = set()
    for depth, (block, index) in enumerate(path):
        for stmt in block[:index]:
            _rebind(stmt, killed, names, is_source)
        holder = block[index]
        if depth < len(path) - 1 and isinstance(holder, (ir.For, ir.While)):
            for stmt in holder.body:  # what the body binds from the client returns on the next round
                _undo_client_bindings(stmt, killed, names, is_source)
            if isinstance(holder, ir.For):
                bound = _bound_names(holder.target)
                if _reads_nodes(ir.walk_expr(holder.iter), set(names) - killed, is_source):
                    killed.difference_update(bound)
                else:
                    killed.update(bound)
    return frozenset(killed & set(names))


def _block_path(body: tuple[ir.Stmt, ...], target: ir.Stmt) -> list[tuple[tuple[ir.Stmt, ...], int]] | None:
    """The blocks from `body` down to the one holding `target`, each with the index of the statement
    that is or holds it."""
    for index, stmt in enumerate(body):
        if stmt is target:
            return [(body, index)]
        for block in ir.child_blocks(stmt):
            inner = _block_path(block, target)
            if inner is not None:
                return [(body, index), *inner]
    return None


def _bound_names(target: ir.Expr) -> set[str]:
    """Names a binding target re-binds: `x`, `a, b` (not `obj.x` or `d[k]`, which change a value)."""
    if isinstance(target, ir.Name):
        return {target.id}
    if isinstance(target, ir.Seq):
        return {n for elt in target.elts for n in _bound_names(elt)}
    return set()


def _rebind(stmt: ir.Stmt, killed: set[str], names: set[str] | frozenset[str], is_source: Predicate | None) -> None:
    """A plain assignment always runs: its names are the server's when its value holds no live client
    name, the client's otherwise. Any other statement may or may not bind (a branch, a loop): it can
    only give names back to the client."""
    if isinstance(stmt, ir.Assign) and all(isinstance(t, (ir.Name, ir.Seq)) for t in stmt.targets):
        bound = {n for t in stmt.targets for n in _bound_names(t)}
        if _reads_nodes(ir.walk_expr(stmt.value), set(names) - killed, is_source):
            killed.difference_update(bound)
        else:
            killed.update(bound)
        return
    _undo_client_bindings(stmt, killed, names, is_source)


def _undo_client_bindings(stmt: ir.Stmt, killed: set[str], names: set[str] | frozenset[str],
                          is_source: Predicate | None) -> None:
    for inner in ir.walk_stmts((stmt,)):
        value, targets = _binding(inner)
        if value is not None and _reads_nodes(ir.walk_expr(value), set(names) - killed, is_source):
            killed.difference_update(n.id for t in targets for n in ir.walk_expr(t) if type(n) is ir.Name)


def is_admin_only(function: ir.Function, cls: ir.ClassDef | None, module: ir.Module | None = None) -> bool:
    """Staff/superuser endpoints: decorators, FastAPI dependencies (the route's own, or its
    router's: `router = APIRouter(dependencies=[Depends(is_authenticated_admin)])`), DRF
    permission_classes, or an `is_staff` / `is_superuser` test in the body. Asked of the same
    handler by four consumers, and of every method of a class with the same class-level
    declarations, so with a module both answers are kept on it."""
    # flask-restful's per-verb `method_decorators = {"delete": [admin_only]}` guards the verbs it names
    verb = list(ir.decorators_of_method(cls, function.name)) if cls is not None else []
    if module is None:
        return _admin_in(_function_admin_exprs(function, None) + verb) or _admin_role_argument(
            [*function.decorators, *verb]) or (cls is not None and _class_admin_only(cls))
    key = ("admin-only", id(function), id(cls))
    found = module.derived.get(key)
    if found is None:
        found = module.derived[key] = _admin_in(_function_admin_exprs(function, module) + verb) or \
            _admin_role_argument([*function.decorators, *verb]) or (cls is not None and _class_admin_only(cls, module))
    return found  # type: ignore[return-value]


_ROLE_KEYWORDS = frozenset({"role", "roles", "required_role", "min_role", "minimum_role", "user_role"})
_ADMIN_ROLES = frozenset({"admin", "administrator", "superuser", "superadmin", "super_admin", "staff"})


def _admin_role_argument(decorators: list[ir.Expr]) -> bool:
    """`@require_auth(scopes=[...], role=UserRole.ADMIN)`, `@auth_required(roles=["admin"])`: an auth
    decorator told which role the route requires, and that role is an administrator's."""
    for decorator in decorators:
        if not isinstance(decorator, ir.Call):
            continue
        for kw in decorator.kwargs:
            if kw.name not in _ROLE_KEYWORDS:
                continue
            values = kw.value.elts if isinstance(kw.value, ir.Seq) else (kw.value,)
            spelled = [str(v.value) if isinstance(v, ir.Const) else ir.last_name(v) for v in values]
            if spelled and all(s and s.lower() in _ADMIN_ROLES for s in spelled):
                return True
    return False


def _function_admin_exprs(function: ir.Function, module: ir.Module | None) -> list[ir.Expr]:
    exprs: list[ir.Expr] = list(function.decorators)
    if module is not None:
        exprs += router_declarations(function, module)
    exprs += [e for p in function.params for e in (p.default, p.annotation) if e is not None]
    for stmt in ir.walk_stmts(function.body):
        # a role test guards the handler only where a branch of it turns the caller away
        # (`if not user.is_superuser: raise ...`); `if user.is_superuser: query = everything`
        # is a shortcut for admins inside a handler everyone may call
        if isinstance(stmt, ir.If) and (turns_away(stmt.body) or turns_away(stmt.orelse)):
            exprs.append(stmt.test)
    return exprs


def class_admin_only(cls: ir.ClassDef, module: ir.Module | None = None) -> bool:
    """`is_admin_only` for a route verb the class inherits (`class NewView(StaffRequiredMixin,
    CreateView)` routes `CreateView.post`): what the class itself declares decides. A permission
    that is one way in among others (`ScopePermission | IsAdminUser`) admits more than admins."""
    alternatives = [n for s in cls.body if isinstance(s, ir.Assign) for e in ir.stmt_exprs(s)
                    for n in ir.walk_expr(e) if isinstance(n, ir.BinOp) and n.op == "|"
                    or isinstance(n, ir.BoolOp) and n.op == "or"]
    if any(not _admin_in([side]) for n in alternatives
           for side in ((n.left, n.right) if isinstance(n, ir.BinOp) else n.values)):
        return False
    return _class_admin_only(cls, module)


def _class_admin_only(cls: ir.ClassDef, module: ir.Module | None = None) -> bool:
    """The class-level part of `is_admin_only`: its assignments (`permission_classes`) and bases."""
    key = ("admin-only class", id(cls))
    found = module.derived.get(key) if module is not None else None
    if found is None:
        exprs = [e for s in cls.body if isinstance(s, ir.Assign) and not _per_verb_decorators(s)
                 for e in ir.stmt_exprs(s)]
        found = _admin_in(exprs + list(cls.bases))
        if module is not None:
            module.derived[key] = found
    return found  # type: ignore[return-value]


def _per_verb_decorators(stmt: ir.Assign) -> bool:
    """`method_decorators = {"delete": [admin_only]}`: guards only the verbs it names, so it is not a
    declaration of the whole class (`is_admin_only` reads it per method)."""
    return isinstance(stmt.value, ir.DictExpr) and any(
        isinstance(t, ir.Name) and t.id in ("decorators", "method_decorators") for t in stmt.targets)


def _admin_in(exprs: list[ir.Expr]) -> bool:
    # only a dotted name can match; each spelling is tried once (the answer is an `any` over the
    # union of spellings, so a function's and its class's parts may be asked apart)
    names = {ir.dotted_name(n) for e in exprs for n in ir.walk_expr(e) if type(n) is ir.Name or type(n) is ir.Attr}
    return any(_ADMIN.search(name) for name in names if name)


def admin_branch_statements(function: ir.Function) -> frozenset[int]:
    """ids of the statements only a back-office caller runs: the branch of an `if` testing an admin
    role that the role takes (`if is_admin(): token = Tokens.query.get(token_id)`, or the `else` of
    `if not user.is_superuser:`). A handler everyone may call can still keep a shortcut for admins."""
    found: set[int] = set()
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.If) and _admin_in([stmt.test]) and not isinstance(stmt.test, ir.BoolOp):
            negated = isinstance(stmt.test, ir.Unary) and stmt.test.op == "not"
            found.update(id(s) for s in ir.walk_stmts(stmt.orelse if negated else stmt.body))
    return frozenset(found)


def router_declarations(function: ir.Function, module: ir.Module) -> list[ir.Expr]:
    """The module-level construction of the object a route decorator hangs on (`@router.get`)."""
    routers = {ir.dotted_name(d.func.value) for d in function.decorators
               if isinstance(d, ir.Call) and isinstance(d.func, ir.Attr)}
    return [stmt.value for stmt in module.body if isinstance(stmt, ir.Assign) and stmt.value is not None
            and any(isinstance(t, ir.Name) and t.id in routers for t in stmt.targets)]


# modules and routes that are back-office by their place: `app/admin.py`, `/internal/...`
ADMIN_AREA = re.compile(r"(?i)(^|[/._])(admin|staff|superuser|backoffice|back_office|internal)([/._]|$)")


def in_admin_area(module_path: str, route: str) -> bool:
    return bool(ADMIN_AREA.search(module_path.rsplit(".", 1)[0]) or ADMIN_AREA.search(route))


# repository / DAO / CRUD getters: `repo.get_account(account_id)`, `users.find_user(uid)`,
# `crud.get_invoice(db, invoice_id)`, `self.store.load_document(doc_id)`, `orders.order_by_id(oid)`
GETTER = re.compile(r"^(get|find|load|fetch|read|lookup|retrieve)_(?P<noun>[a-z][a-z0-9_]*?)(_by_(id|pk|uuid|key))?$"
                    r"|^(?P<noun2>[a-z][a-z0-9_]*?)_by_(id|pk|uuid)$")
_NOT_NOUNS = frozenset({"or", "many", "all", "list", "json", "data", "value", "object", "obj", "one", "first",
                        "or_404", "or_none", "or_create", "object_or_404", "queryset", "context", "config", "setting",
                        "current", "next", "by", "serializer", "form", "session", "current_user"})


def getter_noun(call: ir.Call) -> str:
    """`get_account` -> "account" for a getter method call (`x.get_account(...)`), else ""."""
    if not isinstance(call.func, ir.Attr):
        return ""
    match = GETTER.match(call.func.attr)
    noun = (match.group("noun") or match.group("noun2") or "") if match else ""
    if not noun or noun in _NOT_NOUNS or "_by_" in noun or (noun.endswith("s") and not noun.endswith("ss")):
        return ""  # `find_orders(...)`: a list, not one object
    return noun


def called_helpers(function: ir.Function, functions: Mapping[str, ir.Function]) -> Iterator[ir.Function]:
    """The functions of the module (`functions`, by qualname) the handler calls by name, or as methods
    of its own class through `self` (`_require_admin(request)`, `self.check_admin()`): the helpers a
    rule looks one level into."""
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if not isinstance(node, ir.Call):
                    continue
                name = ir.dotted_name(node.func) or ""
                helper = functions.get(name) or (functions.get(f"{function.class_name}.{name[5:]}")
                                                 if name.startswith("self.") and function.class_name else None)
                if helper is not None and helper is not function:
                    yield helper


def enclosing_class(module: ir.Module, function: ir.Function) -> ir.ClassDef | None:
    if function.class_name is None:
        return None
    return next((c for c in module.classes if c.qualname == function.class_name), None)


def name_words(name: str) -> set[str]:
    """Words of an identifier, singular: `OrderItems` -> {"order", "item"}."""
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words(name)}
