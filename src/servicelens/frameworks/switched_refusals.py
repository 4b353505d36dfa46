"""Refusals a configuration switch gates: what the deployment turns on, not who calls.

    export default async function readOnlyHandler(request, reply) {
      const username = request?.user?.username ?? null;
      if (isSecretCreation && !username && adminSettings.get('read_only')) {
        return reply.code(403).send({ error: 'read-only' });
      }
    }

The hook reads the caller and answers 403, but only while a setting is on: with the switch off
(or unread), it refuses nobody, so it is no authentication of the routes it runs for. A branch is
*switched* when one term its `if` requires (a conjunct of the test, or of the negated test of an
`else`) reads nothing of the request: a settings call (`adminSettings.get('x')`), a module
constant, `process.env.X`, a local assigned once from one of those. A term that mentions the
request or a value derived from it (`!username`, `isbot(userAgent)`) is about the request.
An early return on a switch (`if (!enabled) return next()`) is not read as one: only the
refusal's own enclosing tests are.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from servicelens import ir


def refuses_only_when_switched(family: list[ir.Function], refuses: Callable[[ir.Stmt], bool],
                               credential_words: frozenset[str]) -> bool:
    """Every statement `refuses` accepts sits in a switched branch, and there is at least one. A
    helper's refusal (a function of the family called by name) counts as switched when every call
    of it is in a switched branch. `credential_words`: a read naming one (`getSession()`,
    `currentUser()`) may read the caller without being handed the request, so it is no switch."""
    bound, counts = _bound(family)
    switches = _switch_locals(family, bound, counts, credential_words)
    by_name = {f.name: f for f in family}
    called: dict[str, list[bool]] = {}
    placed: list[tuple[ir.Function, ir.Stmt, bool]] = []
    for function in family:
        for stmt, terms in _conditioned(function.body, ()):
            switched = any(_is_switch(t, bound, switches, credential_words) for t in terms)
            placed.append((function, stmt, switched))
            for root in ir.stmt_exprs(stmt):
                for expr in ir.walk_expr(root):
                    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Name) and expr.func.id in by_name:
                        called.setdefault(expr.func.id, []).append(switched)
    found = False
    for function, stmt, switched in placed:
        if not refuses(stmt):
            continue
        found = True
        calls = called.get(function.name, []) if function is not family[0] else []
        if not (switched or (calls and all(calls))):
            return False
    return found


def _conditioned(body: tuple[ir.Stmt, ...], terms: tuple[ir.Expr, ...]) -> Iterator[tuple[ir.Stmt, tuple[ir.Expr, ...]]]:
    """Each simple statement with the terms its enclosing `if`s require."""
    for stmt in body:
        if isinstance(stmt, ir.If):
            yield from _conditioned(stmt.body, terms + tuple(ir.bool_terms(stmt.test, "and")))
            negated = tuple(ir.bool_terms(stmt.test, "or"))  # `else` of `a || b` requires !a and !b
            yield from _conditioned(stmt.orelse, terms + negated)
            continue
        yield stmt, terms  # a compound statement with its own expressions (a loop's iterable)
        for block in ir.child_blocks(stmt):
            yield from _conditioned(block, terms)




def _without_not(expr: ir.Expr) -> ir.Expr:
    while isinstance(expr, ir.Unary) and expr.op == "not":
        expr = expr.operand
    return expr


def _bound(family: list[ir.Function]) -> tuple[set[str], dict[str, int]]:
    """Every name the family binds (parameters, assignments, loop targets, caught errors), and how
    often each is assigned."""
    bound = {p.name for f in family for p in f.params}
    counts: dict[str, int] = {}
    for f in family:
        for stmt in ir.walk_stmts(f.body):
            targets: tuple[ir.Expr, ...] = ()
            if isinstance(stmt, ir.Assign):
                targets = stmt.targets
            elif isinstance(stmt, ir.For):
                targets = (stmt.target,)
            elif isinstance(stmt, ir.Try):
                bound |= {h.name for h in stmt.handlers if h.name}
            for t in targets:
                for n in ir.walk_expr(t):
                    if isinstance(n, ir.Name):
                        counts[n.id] = counts.get(n.id, 0) + (1 if isinstance(stmt, ir.Assign) else 2)
    return bound | set(counts), counts


def _switch_locals(family: list[ir.Function], bound: set[str], counts: dict[str, int],
                   words: frozenset[str]) -> set[str]:
    """Locals assigned exactly once, at the top of a function's body, from a switch read
    (`const restrict = adminSettings.get('restrict')`, `const config = getConfig()`)."""
    found: set[str] = set()
    for f in family:
        for stmt in f.body:
            if isinstance(stmt, ir.Assign) and stmt.value is not None and len(stmt.targets) == 1 \
                    and isinstance(stmt.targets[0], ir.Name) and counts.get(stmt.targets[0].id) == 1 \
                    and not _credential_word(stmt.targets[0].id, words) \
                    and _is_switch(stmt.value, bound, found, words):
                found.add(stmt.targets[0].id)
    return found


def _is_switch(term: ir.Expr, bound: set[str], switches: set[str], words: frozenset[str]) -> bool:
    """A read of the process's state, not the request's: every name it mentions is one the family
    does not bind (a module constant or import: `adminSettings`, `process`, `READ_ONLY`) or a local
    holding such a read, and none names a credential (`getSession()` may read the caller without
    being handed the request)."""
    names = [n.id for n in ir.walk_expr(_without_not(term)) if isinstance(n, ir.Name)]
    return bool(names) and all(n in switches or n not in bound for n in names) \
        and not any(_credential_word(i, words) for i in _identifiers(term))


def _identifiers(expr: ir.Expr) -> set[str]:
    return {n.id if isinstance(n, ir.Name) else n.attr for n in ir.walk_expr(expr) if isinstance(n, (ir.Name, ir.Attr))}


def _credential_word(identifier: str, words: frozenset[str]) -> bool:
    lowered = identifier.lower()
    return any(word in lowered for word in words)


# Python: what reads the caller without being handed the request (Flask's global `request`,
# Flask-Login's `current_user`, the session, flask-jwt's `get_jwt_identity()`): a test of one of
# these is about the caller, not a switch
PYTHON_CALLER_READS = frozenset({"request", "current_user", "current_identity", "session", "get_jwt", "jwt_identity"})
_ABORTS = frozenset({"abort", "HTTPException", "Unauthorized", "Forbidden"})


def python_refusal(stmt: ir.Stmt) -> bool:
    """A Python statement that turns the request away: a `raise`, an `abort(...)`, or a `return` of
    an answer carrying 401/403."""
    if isinstance(stmt, ir.Raise):
        return True
    if isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call):
        return (ir.dotted_name(stmt.value.func) or "").rsplit(".", 1)[-1] in _ABORTS
    if isinstance(stmt, ir.Return) and stmt.value is not None:
        return any(isinstance(n, ir.Const) and n.value in (401, 403) for n in ir.walk_expr(stmt.value))
    return False


def python_check_switched(function: ir.Function) -> bool:
    """`if args.metrics_auth_token: ... abort(401)`: the handler's every refusal sits under a test of
    the configuration (a setting, an option the app was started with), so a deployment that leaves
    the setting empty serves everyone; the check is required only when configured."""
    return refuses_only_when_switched([function], python_refusal, PYTHON_CALLER_READS)
