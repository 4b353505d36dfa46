"""Who asks, when an API gateway or the service's own middleware names the caller in a header.

A service behind a gateway, or one whose middleware authenticates each request, is often told who
is asking by a header (`user_id: str = Header(...)`, a header bundle `headers: HeaderParams =
Depends(get_headers)` read as `headers.actor_id`, `request.headers["X-User-Id"]`) and loads that
person's record first (`actor = await server.user_manager.get_actor_or_default_async(
actor_id=headers.actor_id)`). That value, and the row loaded by it, is the caller as the service
knows them: a lookup handed it (`get_conversation_by_id(conversation_id=cid, actor=actor)`) is
scoped to the caller. Whether the header can be trusted is a question of authentication
(missing-authentication), not of whose object the id names.

Only identity headers count (a name or key with `user`, `actor`, `account`, `member`, `principal`,
`caller`, `subject` or `identity`, not the `User-Agent`), and only a loader named for a person
(`get_user`, `get_actor_or_default`, `load_account`) turns one into the caller's row; any other
header (`X-Project-Id`) stays what it was.
"""
from __future__ import annotations

from typing import AbstractSet as Set

from servicelens import ir
from servicelens.rules.python._common import words

_IDENTITY = frozenset({"user", "uid", "actor", "account", "member", "principal", "caller", "subject", "identity",
                       "requester", "userid", "accountid"})
_NOT_IDENTITY = frozenset({"agent"})  # `User-Agent`: the client's software, not who it is
_PERSON = frozenset({"user", "actor", "account", "member", "principal", "caller", "identity", "requester"})
_REQUESTS = frozenset({"request", "req", "self.request", "flask.request"})
_HEADER_MAPS = frozenset({"headers", "META"})


def _names_identity(name: str) -> bool:
    said = {w.lower() for w in words(name)}
    return bool(said & _IDENTITY) and not said & _NOT_IDENTITY


def _declared_names(param: ir.Param) -> list[str]:
    exprs = [e for e in (param.default, param.annotation) if e is not None]
    return [ir.dotted_name(n) or "" for e in exprs for n in ir.walk_expr(e)]


def _header_params(function: ir.Function) -> tuple[set[str], set[str]]:
    """(identity headers declared as parameters, header bundles): `user_id: str = Header(None)`;
    `headers: HeaderParams = Depends(get_headers)`, a dependency named for the headers it gathers."""
    singles: set[str] = set()
    bundles: set[str] = set()
    for param in function.params:
        declared = _declared_names(param)
        if any(n.rsplit(".", 1)[-1] == "Header" for n in declared):
            if _names_identity(param.name):
                singles.add(param.name)
        elif any(n.rsplit(".", 1)[-1] == "Depends" for n in declared) and any(
                {"header", "headers"} & {w.lower() for w in words(n.rsplit(".", 1)[-1])} for n in declared):
            bundles.add(param.name)
    return singles, bundles


def _identity_header(node: ir.Expr, singles: Set[str], bundles: Set[str]) -> bool:
    """Is this node a read of an identity header: a declared one, a bundle's identity field, or
    `request.headers["X-User-Id"]` / `request.headers.get("X-Actor")` / `request.META["HTTP_X_USER"]`."""
    if isinstance(node, ir.Name):
        return node.id in singles
    if isinstance(node, ir.Attr) and isinstance(node.value, ir.Name) and node.value.id in bundles:
        return _names_identity(node.attr)
    base: ir.Expr | None = None
    key: ir.Expr | None = None
    if isinstance(node, ir.Subscript):
        base, key = node.value, node.index
    elif isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "get" and node.args:
        base, key = node.func.value, node.args[0]
    if base is None or not isinstance(key, ir.Const) or not isinstance(key.value, str):
        return False
    mapping = ir.dotted_name(base) or ""
    head, _, attr = mapping.rpartition(".")
    return head in _REQUESTS and attr in _HEADER_MAPS and _names_identity(key.value)


def _reads_identity_header(expr: ir.Expr, singles: Set[str], bundles: Set[str], held: Set[str]) -> bool:
    return any(_identity_header(n, singles, bundles) or (isinstance(n, ir.Name) and n.id in held)
               for n in ir.walk_expr(expr))


def _person_loader(call: ir.Call) -> bool:
    """`server.user_manager.get_actor_or_default_async(...)`, `get_user(...)`, `accounts.load_account(...)`."""
    name = (ir.dotted_name(call.func) or "").rsplit(".", 1)[-1]
    return bool({w.lower() for w in words(name)} & _PERSON)


def header_caller_names(function: ir.Function) -> set[str]:
    """Names holding the caller a header named: the identity header itself, and a person's row
    loaded by it (`actor = get_actor(actor_id=headers.actor_id)`). Empty when no header names one."""
    singles, bundles = _header_params(function)
    held: set[str] = set(singles)
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
        if isinstance(value, ir.Call) and _person_loader(value):
            keyed = any(_reads_identity_header(a, singles, bundles, held)
                        for a in (*value.args, *(kw.value for kw in value.kwargs)))
        else:  # `uid = request.headers.get("X-User-Id")`
            keyed = _identity_header(value, singles, bundles)
        if keyed:
            held.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return held
