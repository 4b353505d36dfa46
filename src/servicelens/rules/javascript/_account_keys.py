"""Whether the account a sign-in or reset branch tests is one the client named.

Enumeration needs an endpoint a client calls with an identifier of its choosing, and two answers
it can tell apart. The account a branch tests is not one the client chose when it is:

    if (!user.account) throw new Error('User has no account')      the signed-in caller (`@CurrentUser() user`, `req.user`)
    repo.findOne({ where: { id: currentUser.id, isActive: true } })  a record found by its ids (constants aside)
    sessions.fetch(token) / findOneBy({ token })                     a secret only the account's holder has
    const where = { id: userId, tenantId }; repo.findOne({ where })   the same, through a local
    this.users.getUserById(userId)                                  a lookup that says it goes by id
    prisma.user.findUnique({ where: { email: profile.email } })     `profile` answered by the OAuth provider
                                                                    (`await axios.get(provider.userInfoUrl)`)

A record id names a row, not a person's e-mail address or user name; the caller's own account and
what a provider or a verified token says are not the client's to choose. A key the request carries
(`req.body.email`) or a parameter of a service method (whoever calls it chose it) stays the
client's.
"""
from __future__ import annotations

from servicelens import ir
from servicelens.rules.javascript._node import knowledge
from servicelens.rules.javascript._own_account import caller_itself, principal_param
from servicelens.rules.javascript import _client_ids as client
from servicelens.rules.python._common import words
from servicelens.taint.scope import ModuleScope

# a filter on one of these needs a secret the caller already holds (a mailed reset token)
_SECRET_WORDS = frozenset({"token", "otp", "nonce", "secret"})
_ID_WORDS = frozenset({"id", "pk", "uuid"})


def named_by_client(function: ir.Function, accounts: set[str] | frozenset[str], scope: ModuleScope) -> bool:
    """The account held in one of `accounts` may be one the client named (see the module docstring)."""
    principals = {p.name for p in function.params if principal_param(p)}
    lookup = _lookup(function, accounts)
    if lookup is None:
        return not _holds_caller(function, accounts, principals)
    name = ir.last_name(lookup.func) or ""
    if _says_by_id(name):
        return False
    keys = _keys(lookup, function)
    fields = [k for k, _ in keys if k]
    # a bare argument is named by its variable (`sessions.fetch(token)`: the caller's own session token)
    bare = [ir.last_name(v) or "" for k, v in keys if not k and isinstance(v, (ir.Name, ir.Attr))]
    if any(_secret(k) for k in fields + bare) or (fields and all(client.id_named(k) for k in fields)):
        return False
    values = [v for _, v in keys]
    if not values:
        return True
    server = _server_locals(function, principals, scope)
    return not all(_servers(v, server, scope, function) for v in values)


def _holds_caller(function: ir.Function, accounts: set[str] | frozenset[str], principals: set[str]) -> bool:
    """The branches test the caller itself: `user` is a principal parameter, or `const user = req.user`."""
    if principals & set(accounts):
        return True
    return any(isinstance(s, ir.Assign) and s.value is not None and caller_itself(s.value, principals)
               and any(isinstance(t, ir.Name) and t.id in accounts for t in s.targets)
               for s in ir.walk_stmts(function.body))


def _lookup(function: ir.Function, accounts: set[str] | frozenset[str]) -> ir.Call | None:
    """The call whose answer is assigned to an account holder (`const user = await repo.findOne(...)`)."""
    found = None
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.Assign) or not any(isinstance(t, ir.Name) and t.id in accounts for t in stmt.targets):
            continue
        value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
        if isinstance(value, ir.Call):
            found = value
    return found


def _says_by_id(name: str) -> bool:
    """`findById`, `findByPk`, `getUserById`, `getUserByIdQuery`, `findOneByIdOrFail`."""
    said = [w.lower() for w in words(name)]
    return any(a == "by" and b in _ID_WORDS for a, b in zip(said, said[1:]))


def _keys(call: ir.Call, function: ir.Function) -> list[tuple[str, ir.Expr]]:
    """(field, value) of the lookup's filter, constants left out: the fields of an options object
    (under `where` too, or a local holding one), and ("", argument) for a bare argument
    (`getUserByEmail(email)`)."""
    dicts = _local_dicts(function)
    found: list[tuple[str, ir.Expr]] = []

    def visit(expr: ir.Expr, depth: int) -> None:
        if isinstance(expr, ir.Name) and expr.id in dicts and depth < 3:
            visit(dicts[expr.id], depth + 1)
        elif isinstance(expr, ir.DictExpr):
            for key, value in zip(expr.keys, expr.values):
                field = key.value if isinstance(key, ir.Const) and isinstance(key.value, str) else ""
                if isinstance(value, ir.DictExpr) or (field == "where" and isinstance(value, ir.Name)):
                    visit(value, depth + 1)  # `where: {...}`, a relation's filter (`account: { id }`)
                elif field and not isinstance(value, ir.Const) and field not in _OPTIONS:
                    found.append((field, value))
        elif not isinstance(expr, ir.Const):
            found.append(("", expr))
    for arg in call.args:
        visit(arg, 0)
    return found


# options of a lookup that are no filter: what to load with the row, not which row
_OPTIONS = frozenset({"relations", "select", "include", "order", "orderBy", "attributes", "populate", "projection",
                      "limit", "skip", "take", "raw", "lean", "transaction"})


def _local_dicts(function: ir.Function) -> dict[str, ir.DictExpr]:
    return {t.id: s.value for s in ir.walk_stmts(function.body) if isinstance(s, ir.Assign)
            and isinstance(s.value, ir.DictExpr) for t in s.targets if isinstance(t, ir.Name)}


def _secret(field: str) -> bool:
    """`resetToken`, `otp`: a filter on it needs what only the account's owner was sent."""
    return bool({w.lower() for w in words(field)} & _SECRET_WORDS)


def _server_locals(function: ir.Function, principals: set[str], scope: ModuleScope) -> set[str]:
    """Locals every assignment of which is the server's (see `_servers`)."""
    assigned: dict[str, list[ir.Expr]] = {}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ir.Name):
            assigned.setdefault(stmt.targets[0].id, []).append(stmt.value)
    held = set(principals)
    for _ in range(3):
        grown = {name for name, values in assigned.items() if name not in held
                 and all(_servers(v, held, scope, function) for v in values)}
        if not grown:
            break
        held |= grown
    return held


def _servers(expr: ir.Expr, held: set[str], scope: ModuleScope, function: ir.Function) -> bool:
    """The value is the caller's own, what an outbound request or a token exchange answered, or
    computed from those (and constants) only."""
    if isinstance(expr, ir.Const) or caller_itself(expr, held):
        return True
    if isinstance(expr, ir.Name):
        return expr.id in held
    if isinstance(expr, ir.Await):
        return _servers(expr.value, held, scope, function)
    if isinstance(expr, (ir.Attr, ir.Subscript)):
        return _servers(expr.value, held, scope, function)
    if isinstance(expr, ir.IfExp):
        return _servers(expr.body, held, scope, function) and _servers(expr.orelse, held, scope, function)
    if isinstance(expr, ir.Call):
        return _answered_outside(expr, scope, function) or (
            isinstance(expr.func, ir.Attr) and _servers(expr.func.value, held, scope, function)
            and all(_servers(a, held, scope, function) for a in expr.args))
    return False


def _answered_outside(call: ir.Call, scope: ModuleScope, function: ir.Function) -> bool:
    """`axios.get(provider.userInfoUrl, ...)`, `fetch(url)`: an outbound request's answer; or a call
    handed a token (`getUserEmails(accessToken)`, `jwt.verify(token, key)`): what the token's issuer
    says."""
    raw = ir.dotted_name(call.func) or ""
    if raw and (scope.qualify(raw, function, set()) or raw) in knowledge().http_calls:
        return True
    return any(isinstance(node, (ir.Name, ir.Attr)) and {w.lower() for w in words(ir.last_name(node) or "")}
               & {"token"} for arg in call.args for node in ir.walk_expr(arg))
