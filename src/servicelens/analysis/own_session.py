"""Which route handlers act only on the caller's own session: a sign-out, whatever its route is called.

missing-authentication asks a route that changes state to require a signed-in caller. Ending a
session (`DELETE /auth/session`) changes state, but only the caller's: the session it clears is the
one the request's cookie names, and whatever else it writes is keyed by what that session holds (the
administrator id and session id it stored). Anyone may end their own session; there is nothing to
authenticate. A handler is one when its body ends the framework's session (`session.clear()`,
`request.session.flush()`, `logout(request)`, `logout_user()`) and every call in it whose name says
it writes takes only values read from that session, constants, or what it derived from them: a
write keyed by anything else the request carries (an id in the URL or body) is not the caller's own.
"""
from __future__ import annotations

from servicelens import ir
from servicelens.analysis.state_changes import vocabulary
from servicelens.endpoints.route import RouteFact
from servicelens.rules.python._common import words

# calls that end the caller's session: on the session mapping itself, or the framework's sign-out
_ENDING_METHODS = frozenset({"clear", "flush", "invalidate"})
_SIGN_OUT_CALLS = frozenset({"logout", "logout_user", "log_out", "sign_out", "signout"})


def session_enders(module: ir.Module, routes: tuple[RouteFact, ...]) -> tuple[str, ...]:
    """Qualnames of this module's route handlers that end the caller's own session and write nothing
    keyed by anything but what that session holds."""
    functions = {f.qualname: f for f in module.functions}
    found = [route.qualname for route in routes
             if (function := functions.get(route.qualname)) is not None and _ends_own_session(function)]
    return tuple(dict.fromkeys(found))


def _ends_own_session(function: ir.Function) -> bool:
    calls = [node for stmt in ir.walk_stmts(function.body) for expr in ir.stmt_exprs(stmt)
             for node in ir.walk_expr(expr) if isinstance(node, ir.Call)]
    if not any(_ends_session(call) for call in calls):
        return False
    held = _session_values(function)
    verbs = vocabulary().verbs
    for call in calls:
        if _ends_session(call) or not set(words(ir.last_name(call.func))) & verbs:
            continue
        if not all(_from_session(arg, held) for arg in (*call.args, *(kw.value for kw in call.kwargs))):
            return False
    return True


def _ends_session(call: ir.Call) -> bool:
    """`session.clear()`, `flask.session.clear()`, `request.session.flush()`, `logout(request)`."""
    last = ir.last_name(call.func)
    if last in _SIGN_OUT_CALLS:
        return True
    receiver = call.func.value if isinstance(call.func, ir.Attr) else None
    return last in _ENDING_METHODS and receiver is not None and ir.last_name(receiver) == "session"


def _session_values(function: ir.Function) -> set[str]:
    """Locals bound, in order, to what the session holds (`session["admin_id"]`, `session.get(...)`, a
    helper named for reading it: `session_opt_str("admin_id")`) or to what was derived from those
    alone (`admin_id[:512]`, `ObjectId(admin_id)`)."""
    held: set[str] = set()
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        if _reads_session(stmt.value) or _from_session(stmt.value, held, literal_ok=False):
            held.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return held


def _reads_session(expr: ir.Expr) -> bool:
    for node in ir.walk_expr(expr):
        if isinstance(node, (ir.Name, ir.Attr)) and ir.last_name(node) == "session":
            return True
        if isinstance(node, ir.Call) and "session" in words(ir.last_name(node.func)):
            return True
    return False


def _from_session(expr: ir.Expr, held: set[str], literal_ok: bool = True) -> bool:
    """Every name `expr` reads is a session value, the session itself (`flask.session[...]`,
    `request.session.get(...)`), what a call calls (`database.ParseObjectId`, a helper named for the
    session; not one reached through the request: `flask.request.args.get`), or a constant (`ADMIN_SESSION_END`); and, unless `literal_ok`, it reads at least one
    session value. Anything else the request carries is the client's to choose."""
    allowed = _roots_allowed(expr)
    names = [node for node in ir.walk_expr(expr) if isinstance(node, ir.Name)]
    if not all(id(node) in allowed or node.id in held or node.id == "session" or node.id.isupper() for node in names):
        return False
    return literal_ok or any(node.id in held for node in names) or _reads_session(expr)


def _roots_allowed(expr: ir.Expr) -> set[int]:
    """Names that start a reference to the session (`flask` of `flask.session`, `request` of
    `request.session`) or a callee (`database` of `database.ParseObjectId`; not `request` of
    `request.args.get`, which reads what the client sent)."""
    allowed: set[int] = set()
    for node in ir.walk_expr(expr):
        chain = node.func if isinstance(node, ir.Call) else node if isinstance(node, ir.Attr) else None
        if chain is None:
            continue
        parts = []
        root = chain
        while isinstance(root, ir.Attr):
            parts.append(root.attr)
            root = root.value
        if not isinstance(root, ir.Name):
            continue
        through_session = "session" in parts or any("session" in words(p) for p in parts[:1])
        # a callee reached through the request reads what the client sent (`flask.request.args.get`,
        # `self.request.data.get`), as one rooted at `request` does
        if through_session or (isinstance(node, ir.Call) and root.id != "request" and "request" not in parts[1:]):
            allowed.add(id(root))
    return allowed
