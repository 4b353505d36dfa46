"""Broken object-level authorization: an authenticated Express route that loads, changes or
deletes the record named in the URL without checking it belongs to the caller.

## What it finds
A route with authentication middleware whose handler looks a record up by an id from
`req.params` (`Model.findById(req.params.id)`, `findOne({ _id: id })`, `findByPk`,
`findUnique({ where: { id } })`, `findByIdAndUpdate/Delete`, `destroy`) and never reads the
caller (`req.user`, `req.auth`, `req.session`, `res.locals.user`) nor calls an authorization
helper. Reads are reported for records that belong to someone (orders, invoices, accounts,
messages, documents, ...); writes and deletes for any record.

## Why it matters
Being logged in is not being the owner: any user changes the number in the URL and reads or
deletes everyone else's data. It is the most exploited API flaw (OWASP API1).

## Example
```js
router.get('/orders/:id', requireAuth, async (req, res) => {
  res.json(await Order.findById(req.params.id));
});
```
Use instead:
```js
router.get('/orders/:id', requireAuth, async (req, res) => {
  const order = await Order.findOne({ _id: req.params.id, userId: req.user.id });
  if (!order) return res.sendStatus(404);
  res.json(order);
});
```

An id counts wherever the client puts it: a URL parameter, or a query or body field named as an
id (`req.query.invoiceId`, `req.body.BasketId`, `const { ticket_id } = req.body`; a search term
or an e-mail address is no record's key), read off `req`/`request`, Koa's `ctx`, or a destructured
request (`({ params }, res) => ...`); a request handed on whole (`coupons.apply(req)`) takes its
ids with it into the callee. A query for many rows filtered by the key column (`findAll({ where:
{ id } })`, `find({ _id: id })`) is a lookup of that record (rules/javascript/_client_ids.py).

## Fix
Scope the query by the caller (`userId: req.user.id`), or load the record and compare its
owner with `req.user` before using it (404 when it is not theirs).

Raw SQL that selects, updates or deletes one row by its key (`WHERE id = $1`) counts as a
lookup; NestJS `@Param()` parameters are URL ids (Koa's `ctx.params` too), and a member declared
with a data-access type (`Repository<T>`, `Model<T>`) is a repository whatever its name. A route
behind middleware, guards or hooks decided in another file is taken as authenticated; one the file
leaves undecided (app-level auth before a router mounted elsewhere) is reported only where the
project's mounts authenticate it. Routes for administrators (an admin area path, an admin guard)
are left to broken-function-authorization.

The id is also followed out of the handler (rules/javascript/_object_lookups.py): through the
controller, service and repository methods it is handed to (injected members, imported
functions, objects built with `new`, objects of functions a factory returns: `const tickets =
createTicketService(db); tickets.byId(id)`), to a query keyed by it. A function on the way that knows
the caller (reads `req.user`, takes a user/owner/tenant parameter and reads it, asks a policy)
may compare the owner and ends the search. A call handed the caller with the id
(`notes.get(req.params.id, req.user)`, a NestJS `@CurrentUser() user` passed down) is followed
into the callee, which is judged by what it does with that parameter: one that compares, queries
by or passes it on ends the search; one that never reads it, or only logs it, decides nothing. Rows of a table or model
the project elsewhere queries by an owner column (`WHERE account_id = $1`) are someone's too.

## Known problems
An ownership check inside a called helper counts only if the helper reads the caller itself or
is handed it. A URL parameter that names the user (`/users/:userId/allocations`) is taken for
the caller's own id. Calls through objects the review cannot type (a container lookup, a
factory whose returned object is built elsewhere) are not followed. Administrator middleware applied where a router is mounted
(`app.use('/admin', requireAdmin, adminRouter)`) is seen only by its name; the path the project
serves the route at is read (a router mounted at `/admin`, a file-routed module under `admin/`).
A middleware on the route's chain that reads the URL's parameters and the caller and refuses
(`noteBelongsToUser`, or the same function under another name: `export const a = b`) is taken
to compare the owner.
A call after the lookup whose result is dropped (so it can only act by throwing), made in the
handler's own body (not under a condition) before the record is used for anything else, handed the
caller and the loaded record or a row reached from it (`const project = await
projects.get(flag.projectId); projects.allowedToManage(project, uid)`), is taken to judge the record
against the caller, whatever it is called; a log call handed both, or a call made after the record was
used (`if (issue.status !== status) notify(issue, user)`), judges nothing. So does a branch that leaves
(return or throw) when a field of the loaded record differs from who the caller is (`if (note.userId
!== session.id) return reply.code(403).send()`, the caller read off the request or bound to what a
helper handed the request answered: `const session = await checkSession(request)`); later writes by
the same id are then the checked record's. A comparison with a value the client sent proves nothing. A question asked before the lookup with the
caller and the client's id (`const allowed = await hasAccessToSite(request, siteId)`, handed the request
or a caller value) whose falsy answer ends the request with a refusal (401/403/404, a `Forbidden...`
error; not a 400) vouches for that id, whatever the helper is called.
Only what chooses the record is its key: a query's `where` filter, or the first argument of a write
handed its changes after it (`findByIdAndUpdate(id, changes)`); an id-named field the client sent as a
new value (`data: { clientId }`) of a row the server chose (`findFirst()`'s settings row) keys nothing.
A query or body field counts by its name (`...Id`), so an id the client may legitimately name
(a product to add, a public post to comment on) is reported when its record's name or the
project's owner-column queries say it is someone's.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from servicelens import ir
from servicelens.analysis.caller_privilege import behind_admin_middleware, in_admin_area
from servicelens.config.settings import Settings
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.express_auth import log_call
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity, TraceStep
from servicelens.rules.base import Rule, contribution, iter_calls
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript import _client_ids as client
from servicelens.rules.javascript import _object_lookups as lookups
from servicelens.rules.javascript._node import builder_table, express_routes, handler_functions, literal_text, location
from servicelens.rules.python import _access as access
from servicelens.rules.python._common import words
from servicelens.taint.scope import ModuleScope

_LOOKUPS = frozenset({"findById", "findByPk", "findOne", "findUnique", "findFirst", "findByIdAndUpdate",
                      "findByIdAndDelete", "findByIdAndRemove", "findOneAndUpdate", "findOneAndDelete", "destroy",
                      "deleteOne", "updateOne", "findOneBy", "findOneOrFail", "findOneByOrFail", "findUniqueOrThrow",
                      "findFirstOrThrow"})
# writes named generically (Prisma `prisma.order.update({ where: { id } })`, TypeORM
# `this.orderRepository.delete(id)`, Sequelize `Order.update(values, { where: { id } })`): a lookup
# only on a model or repository, not on a plain local (`cache.delete(key)`) or a project service
# (`this.orderService.delete(id)`, which is followed into, not judged by its name)
_GENERIC_WRITES = frozenset({"update", "delete", "upsert", "remove"})
_WRITES = re.compile(r"(?i)update|delete|remove|destroy|upsert")
# `canEdit`, `validateCanView`, `can_view`: a capital or an underscore after `can` (not `cancel`, `scan`,
# `canonical`)
_CHECKS = re.compile(r"(?i:authori[sz]e|permission|ability|owner|assert(?:Access|Owner)|policy|forbid)|[cC]an[A-Z_]")
# a user record looked up by the URL id in the handler itself is someone's too
_OWNED = lookups.owned_records() | {"user"}


def _guarded(scope: ModuleScope) -> dict[str, int]:
    """Handler -> the line of its route, for routes behind middleware or hooks decided project-wide
    (imported `requireAuth`, `fastify.authenticate`), taken as authenticated: BOLA is about
    signed-in callers, and an unauthenticated one is missing-authentication's finding."""
    found: dict[str, int] = {}
    for route in express_routes(scope):
        if not _for_administrators(route) and (
                route.auth == "required" or (route.auth == "unknown" and route.principal_refs)):
            found.setdefault(route.qualname, route.line)
    return found


def _for_administrators(route: RouteFact) -> bool:
    """Under an admin area or behind admin middleware: acting on any record is the route's purpose;
    whether this caller may is function-level authorization's question, not the record owner's."""
    return in_admin_area(route) or behind_admin_middleware(route.principal_refs + route.declared_refs)


def _pending(scope: ModuleScope) -> dict[str, int]:
    """Routes this file leaves undecided or open (`app.use(jwt(...))` before a router mounted here or
    in another file): handler -> its route's line, decided once the project's mounts are read."""
    return {route.qualname: route.line for route in express_routes(scope) if not _for_administrators(route)
            and route.auth != "required" and not (route.auth == "unknown" and route.principal_refs)}


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    guarded = _guarded(scope)
    pending = {q: line for q, line in _pending(scope).items() if q not in guarded}
    repositories = lookups.repository_members(module)
    for function in handler_functions(module, scope):
        handler = scope.handlers.get(function.qualname)
        if handler is None or (function.qualname not in guarded and function.qualname not in pending) \
                or _reads_caller(module, scope, function.qualname):
            continue
        handler_url = _nest_ids(handler, url_only=True)
        ids = _param_variables(function) | _nest_ids(handler)
        scoped = _owner_scoped(function, ids)
        vouched = _vouched_ids(function, scoped, ids)
        context = _context_params(function)
        judged: frozenset[str] = frozenset()
        for call in iter_calls(function.body):
            if not isinstance(call.func, ir.Attr) or (not _record_call(call, repositories) and not _sql_by_id(call)
                                                      and not _key_values(call)) or id(call) in scoped:
                continue
            keys = _keying(call) if _record_call(call, repositories) or _sql_by_id(call) else _key_values(call)
            if not any(_from_params(arg, ids) for arg in keys) or vouched >= (_client_ids_in(keys, ids) or {""}):
                continue
            if not _WRITES.search(call.func.attr) and _judged_with_caller(function, lambda node: node is call, ids,
                                                                          context):
                judged |= _client_ids_in(keys, ids)
                continue
            if judged >= (_client_ids_in(keys, ids) or {""}):
                continue  # the record by this id was loaded and judged against the caller above
            model = (ir.dotted_name(call.func.value) or "").rsplit(".", 1)[-1]
            if _sql_by_id(call):
                model = _SQL_BY_ID.search(str(call.args[0].value)).group(1)  # type: ignore[union-attr]
            writes = bool(_WRITES.search(call.func.attr)) or any(m in ("PUT", "PATCH", "DELETE") for m in handler.methods)
            if not writes and not set(words(model)) & _OWNED:
                continue
            from_url = any(client.url_read(arg, client.url_variables(function) | handler_url, client.request_names(function))
                           for arg in keys)
            found = make_finding(
                "broken-object-authorization", location(module, call),
                f"`{model}.{call.func.attr}` uses the id "
                f"{'from the URL' if from_url else 'the client sent'} without checking the record is the caller's",
                f"Any signed-in user can change the id in the {'URL' if from_url else 'request'} and read or change "
                "other users' records.",
                severity=Severity.HIGH, confidence=Confidence.MEDIUM,
                fix=Fix("Scope the lookup by the caller (or compare the record's owner with req.user) and answer "
                        "404 when it is not theirs.",
                        f"const record = await {model}.findOne({{ _id: req.params.id, userId: req.user.id }});\n"
                        "if (!record) return res.sendStatus(404);", "javascript"),
                rule=RULE.id, key=f"{function.qualname}|{model}.{call.func.attr}",
            )
            # the route first: the project phase drops lookups its route checks (analysis/route_auth.py)
            if function.qualname in pending:
                route = pending[function.qualname]
                found = replace(found, rule=PENDING_RULE, evidence=(TraceStep(
                    Location(module.path, route, route), "the route, authenticated where it is mounted",
                    module.line_text(route)),) + found.evidence)
            else:
                route = guarded[function.qualname]
                found = replace(found, evidence=(TraceStep(
                    Location(module.path, route, route), "the route, authenticated", module.line_text(route)),)
                    + found.evidence)
            yield found
            break


def _judged_with_caller(function: ir.Function, loads: Callable[[ir.Call], bool], ids: frozenset[str],
                       context: frozenset[str]) -> bool:
    """`const flag = await flags.findOne(id)`, `if (!flag) throw ...`, `const project = await
    projects.get(flag.projectId)`, then `projects.allowedToManage(project, uid)`: before the record is
    used for anything else, a call whose result is dropped (so it can only act by throwing), run
    whatever the request holds (not under a condition), handed the caller and the record a `loads`
    call returned (a read: a check after a write turns nobody away) or a row reached from it, judges
    the record against the caller. A call made after
    the record was used (`if (issue.status !== status) notify(issue, user)`) judges nothing."""
    body = function.body
    callers = context | _caller_locals(function)
    for index, stmt in enumerate(body):
        if not (isinstance(stmt, ir.Assign) and stmt.value is not None
                and any(isinstance(node, ir.Call) and loads(node) for node in ir.walk_expr(stmt.value))):
            continue
        reached = {n.id for t in stmt.targets for n in ir.walk_expr(t) if isinstance(n, ir.Name)}
        for later in body[index + 1:] if reached else ():
            if isinstance(later, ir.Assign) and later.value is not None and access.reads(later.value, reached):
                reached |= {n.id for t in later.targets for n in ir.walk_expr(t) if isinstance(n, ir.Name)}
                continue  # a row reached from the record (`getFullProject(flag.projectId)`)
            if isinstance(later, ir.If) and _exits(later.body) and not later.orelse \
                    and _compares_owner(later.test, reached, ids, callers):
                return True  # `if (note.userId !== session.id) return reply.code(403).send()`
            if isinstance(later, ir.If) and _exits(later.body) and not later.orelse:
                continue  # `if (!flag) throw new NotFoundException()`
            if _judges(later, reached, ids, context):
                return True
            if any(access.reads(expr, reached) for expr in ir.stmt_exprs(later)) or any(
                    access.reads(expr, reached) for inner in ir.walk_stmts(tuple(b for block in ir.child_blocks(later)
                                                                              for b in block))
                    for expr in ir.stmt_exprs(inner)):
                return False  # used before any such check
        return False
    return False


def _caller_locals(function: ir.Function) -> frozenset[str]:
    """Locals bound to what a call handed the request answers (`const session = await
    checkSession(request)`, `const me = getUser(req)`): who the caller is, by whatever helper reads
    the credential. Only their comparison with the loaded record's fields is read as a check."""
    requests = client.request_names(function)
    found = set()
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
        if isinstance(value, ir.Call) and not log_call(value) and any(
                isinstance(arg, ir.Name) and arg.id in requests for arg in value.args):
            found.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return frozenset(found)


def _compares_owner(test: ir.Expr, reached: set[str], ids: frozenset[str], callers: frozenset[str]) -> bool:
    """`note.userId !== session.id`, `String(post.authorId) != req.user.id`: a field of the loaded
    record (or a row reached from it) compared with who the caller is, one side each; an id the
    client sent on the caller's side compares nothing."""
    if isinstance(test, ir.BoolOp):
        return any(_compares_owner(value, reached, ids, callers) for value in test.values)
    if not isinstance(test, ir.Compare) or len(test.ops) != 1 or test.ops[0] not in ("!=", "==", "!==", "==="):
        return False
    sides = (test.left, test.comparators[0])
    for record, caller in (sides, sides[::-1]):
        if access.reads(record, reached) and not access.reads(caller, reached) and not _from_params(caller, ids) \
                and (_caller_arg(caller, ids) or _mentions_any(caller, callers)):
            return True
    return False


def _reads_by(call: ir.Call, url: frozenset[str]) -> bool:
    """A call handed the client's id that does not itself write (`ticket.update({ where: { id } })`
    changed the row already: a check after it turns nobody away)."""
    writes = isinstance(call.func, ir.Attr) and bool(_WRITES.search(call.func.attr))
    return not writes and any(_mentions_url(arg, url) for arg in call.args)


def _judges(stmt: ir.Stmt, reached: set[str], ids: frozenset[str], context: frozenset[str]) -> bool:
    value = stmt.value if isinstance(stmt, ir.ExprStmt) else None
    value = value.value if isinstance(value, ir.Await) else value
    if not isinstance(value, ir.Call) or len(value.args) < 2 or log_call(value):
        return False
    # a row reached from the record is the record's side, whatever it is called (`workspace`)
    records = {i for i, arg in enumerate(value.args) if access.reads(arg, reached)}
    callers = {i for i, arg in enumerate(value.args)
               if i not in records and (_caller_arg(arg, ids) or _mentions_any(arg, context))}
    return bool(callers) and bool(records)


def _owner_scoped(function: ir.Function, ids: frozenset[str]) -> frozenset[int]:
    """The calls of queries an owner condition scopes in the query itself: a filter naming an owner
    column beside the id (`{ where: { id, userId: user.id } }`, `{ _id: id, owner: req.user._id }`), or
    a builder filter chained on the call (`.where({ id }).andWhere('user_id', userId)`), whose value
    reads who the caller is (`_caller_arg`) and nothing the client chose: `userId: req.body.userId`,
    `owner: req.body.owner` or `accountType: 'basic'` name no caller and scope nothing. Only the
    caller's own rows can match, so the id needs no other check."""
    found: set[int] = set()
    for call in iter_calls(function.body):
        if call.args and _owner_filter(_filter_of(call.args[0]), ids):
            found.add(id(call))
        if isinstance(call.func, ir.Attr) and call.func.attr in ("where", "andWhere") and _owner_column(call, ids):
            found.update(id(inner) for inner in _chained(call.func.value))
    return frozenset(found)


def _vouched_ids(function: ir.Function, scoped: frozenset[int], ids: frozenset[str]) -> frozenset[str]:
    """The client ids an owner-scoped lookup has vouched for: `const file = await findFirst({ where: {
    id: req.body.id, userId: user.id } }); if (!file) return res.notFound()` ends the request unless
    the record is the caller's, so a later query by the same id (`update({ where: { id: req.body.id }
    })`) touches the caller's record only."""
    checked = {name for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.If) and _exits(stmt.body)
               for name in _absent_names(stmt.test)}
    requests = client.request_names(function)
    refused = {name for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.If) and _exits(stmt.body)
               and _refuses(stmt.body) for name in _absent_names(stmt.test)}
    found: set[str] = set()
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None \
                and any(isinstance(t, ir.Name) and t.id in checked for t in stmt.targets):
            for call in ir.walk_expr(stmt.value):
                if isinstance(call, ir.Call) and id(call) in scoped:
                    found |= _client_ids_in(call.args, ids)
                elif isinstance(call, ir.Call) and _asks_with_caller(call, ids, requests) \
                        and any(isinstance(t, ir.Name) and t.id in refused for t in stmt.targets):
                    found |= _client_ids_in(call.args, ids)
    return frozenset(found)


_REFUSALS = re.compile(r"Forbidden|Unauthori[sz]ed|NotFound|Denied")


def _refuses(body: tuple[ir.Stmt, ...]) -> bool:
    """The block answers 401/403/404 (`reply.status(403)`, `res.sendStatus(404)`) or throws an error
    named for a refusal (`new ForbiddenException()`), not a 400 for a malformed request."""
    for stmt in ir.walk_stmts(body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Const) and node.value in (401, 403, 404) and not isinstance(node.value, bool):
                    return True
                if isinstance(node, ir.Name) and _REFUSALS.search(node.id):
                    return True
    return False


def _asks_with_caller(call: ir.Call, ids: frozenset[str], requests: frozenset[str]) -> bool:
    """`const allowed = await hasAccessToSite(request, String(siteId)); if (!allowed) return
    reply.status(403).send()`: a question about the client's id asked with who the caller is (the
    request itself, or a caller value), not a lookup or write of the record, whose falsy answer ends
    the request: the id is vouched for whatever the helper is called."""
    if log_call(call) or _record_call(call) or _sql_by_id(call) or not _client_ids_in(call.args, ids):
        return False
    return any(isinstance(arg, ir.Name) and arg.id in requests or _caller_value(arg, ids) for arg in call.args)


def _client_ids_in(exprs: Iterable[ir.Expr], ids: frozenset[str]) -> frozenset[str]:
    """The client-chosen ids `exprs` read, as written (`req.body.id`, a variable holding one)."""
    return frozenset(ir.dotted_name(node) or "" for expr in exprs for node in ir.walk_expr(expr)
                     if client.client_id(node) or isinstance(node, ir.Name) and node.id in ids) - {""}


def _absent_names(test: ir.Expr) -> set[str]:
    """The variables whose absence a test asserts (`!mine`, `mine === null`, in an `||` or `&&`): an
    exit under it ends the request when the record was not found (`!file && !user.admin`: unless the
    other conjunct lets a privileged caller on). `if (mine) return` ends it when the record IS the
    caller's, and lets what follows run on anyone else's."""
    if isinstance(test, ir.BoolOp):
        return {name for value in test.values for name in _absent_names(value)}
    if isinstance(test, ir.Unary) and test.op == "not" and isinstance(test.operand, ir.Name):
        return {test.operand.id}
    if isinstance(test, ir.Compare) and len(test.ops) == 1 and test.ops[0] in ("==", "is") \
            and isinstance(test.left, ir.Name) and isinstance(test.comparators[0], ir.Const) \
            and test.comparators[0].value is None:
        return {test.left.id}
    return set()


def _exits(body: tuple[ir.Stmt, ...]) -> bool:
    return any(isinstance(stmt, (ir.Return, ir.Raise)) for stmt in body)


def _filter_of(query: ir.Expr) -> ir.Expr:
    """What a query's first argument filters by: its `where` (`{ where, include, data }`), else the
    argument itself (Mongo's filter document); never what it includes, selects or writes."""
    where = ir.option(query, "where") if isinstance(query, ir.DictExpr) else None
    return where if where is not None else query


def _owner_filter(expr: ir.Expr, ids: frozenset[str]) -> bool:
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.DictExpr) and any(
                isinstance(k, ir.Const) and isinstance(k.value, str) and k.value.lower() != "id"
                and lookups.owner_named(k.value) and v is not None and _caller_value(v, ids)
                for k, v in zip(node.keys, node.values)):
            return True
    return False


def _owner_column(call: ir.Call, ids: frozenset[str]) -> bool:
    """`.andWhere('orders.user_id', userId)` / `.where({ owner_id: req.user.id })`."""
    first = call.args[0] if call.args else None
    if isinstance(first, ir.Const) and isinstance(first.value, str) and len(call.args) >= 2:
        column = first.value.rpartition(".")[2]
        return column.lower() != "id" and lookups.owner_named(column) and _caller_value(call.args[-1], ids)
    return first is not None and _owner_filter(_filter_of(first), ids)


def _caller_value(expr: ir.Expr, ids: frozenset[str]) -> bool:
    """An owner column's value that names the caller (`member.id`, `req.user._id`) and nothing the
    client sent: an owner-named column says whose rows match only through what it is compared with."""
    return _caller_arg(expr, ids) and not _from_params(expr, ids)


def _chained(expr: ir.Expr) -> Iterator[ir.Call]:
    """The calls a method chain is built on: `db('t').where({ id })` -> the `where` call, `db('t')`."""
    while isinstance(expr, (ir.Call, ir.Attr, ir.Await)):
        if isinstance(expr, ir.Call):
            yield expr
            expr = expr.func
        else:
            expr = expr.value


# a lookup in a handler whose route this file leaves undecided: kept by
# `authenticated_project_wide` only where the project's mounts authenticate the route (an open
# route is missing-authentication's to report)
PENDING_RULE = "js-broken-object-authorization-pending-auth"


def authenticated_project_wide(findings: Sequence[Finding], routes: Mapping[tuple[str, int], RouteFact]
                               ) -> list[Finding]:
    out = []
    for finding in findings:
        if finding.rule != PENDING_RULE:
            out.append(finding)
            continue
        where = finding.evidence[0].location
        route = routes.get((where.path, where.start_line))
        if route is not None and route.auth == "required":
            out.append(replace(finding, rule=RULE.id))
    return out


_SQL_BY_ID = re.compile(r"(?is)^\s*(?:select\b.*?\bfrom|update|delete\s+from)\s+\"?(\w+)\"?.*?\bwhere\s+"
                        r"(?:\w+\.)?\"?(?:id|\w+_id|uuid)\"?\s*=\s*(?:\$1|\?|:\w+)\s*(?:;|\s*$|\s+limit\b|\s+returning\b)")


def _sql_by_id(call: ir.Call) -> bool:
    """`pool.query('SELECT * FROM orders WHERE id = $1', [id])`: one row by its key, nothing else."""
    first = call.args[0] if call.args else None
    return isinstance(call.func, ir.Attr) and call.func.attr in ("query", "execute") and \
        isinstance(first, ir.Const) and isinstance(first.value, str) and bool(_SQL_BY_ID.search(first.value))


def _reads_caller(module: ir.Module, scope: ModuleScope, qualname: str,
                  forwarding: frozenset[int] = frozenset()) -> bool:
    """Does the handler, or a function nested in it, read who the caller is or ask a policy? The
    arguments of the `forwarding` calls (those handing on the id with the caller: `notes.get(id,
    req.user)`) are not read here: the callee is judged by what it does with the caller
    (`_object_lookups.idle_params`)."""
    for function in module.functions:
        if function.qualname != qualname and not function.qualname.startswith(qualname + ".<locals>."):
            continue
        skipped = {id(arg) for call in iter_calls(function.body) if id(call) in forwarding for arg in call.args}
        for stmt in ir.walk_stmts(function.body):
            for expr in ir.stmt_exprs(stmt):
                for node in _walk_outside(expr, skipped):
                    if isinstance(node, ir.Attr) and node.attr in lookups.CALLER_FIELDS and \
                            (ir.dotted_name(node.value) or "") in ("req", "request", "res.locals", "ctx.state"):
                        return True
                    if isinstance(node, ir.Call) and _CHECKS.search(ir.dotted_name(node.func) or ""):
                        return True
    return False


def _walk_outside(expr: ir.Expr, skipped: set[int]) -> Iterator[ir.Expr]:
    """The nodes of `expr`, leaving out the subtrees in `skipped`."""
    if id(expr) in skipped:
        return
    yield expr
    for child in ir.child_exprs(expr):
        yield from _walk_outside(child, skipped)


def _param_variables(function: ir.Function) -> frozenset[str]:
    """Variables holding an id the client chose (rules/javascript/_client_ids.py): `const { id } =
    req.params`, `const id = req.params.id`, `const { invoiceId } = req.query`, and the URL
    parameters held whole (`const params = req.params`, `({ params }, res) => ...`)."""
    requests = client.request_names(function)
    found = set(client.params_aliases(function))
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and _from_params(stmt.value, frozenset(), requests):
            found.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return frozenset(found)


def _from_params(expr: ir.Expr, ids: frozenset[str], requests: frozenset[str] = client.REQUEST_NAMES) -> bool:
    """Does `expr` read an id the client chose: a URL parameter, an id field of the query or body
    (of the request named in `requests`), or a variable in `ids` holding one?"""
    for node in ir.walk_expr(expr):
        if client.client_id(node, requests):
            return True
        if isinstance(node, ir.Name) and node.id in ids:
            return True
    return False


# ---------------------------------------------------------------- across functions


def collect(module: ir.Module, scope: ModuleScope) -> lookups.LookupFacts | None:
    repositories = lookups.repository_members(module)
    functions = tuple(_function_lookups(module, scope, f, repositories) for f in module.functions)
    kept = tuple(f for f in functions if f.lookups or f.forwards)
    facts = lookups.LookupFacts(kept, tuple(calls.members(module, scope)), tuple(sorted(set(_owned_models(module)))),
                                tuple(sorted(_guarded_keys(module, scope))), tuple(calls.aliases(module)))
    return contribution(facts, lookups.LookupFacts((), (), (), ()))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = {rel: f for rel, f in per_file.items() if isinstance(f, lookups.LookupFacts)}
    for handler, call, path, found, (route_file, route_line) in lookups.combine_lookups(facts):
        steps = [TraceStep(Location(handler.path, call.line, call.line), "the id from the URL is handed on", call.code)]
        steps += [TraceStep(Location(function.path, step.line, step.line),
                            "looked up by that id, nothing tying it to the caller" if isinstance(step, lookups.Lookup)
                            else "handed on again", step.code) for function, step in path]
        model = found.model
        into = ([call] + [step for _, step in path[:-1] if isinstance(step, lookups.Forward)])[-1]
        where = ".".join(into.callee.removeprefix("member:").rsplit(".", 2)[-2:])
        sent = "the id from the URL" if call.from_url else "the id the client sent"
        title = f"`{model}` is looked up by {sent} without checking the record is the caller's" \
            if path[-1][0] is handler else \
            f"{sent[:1].upper()}{sent[1:]} reaches a `{model}` lookup in `{where}` with no check that the record is " \
            "the caller's"
        if path[-1][0] is handler:
            steps = steps[1:]
        # the route first: the project phase drops lookups its route checks (analysis/route_auth.py)
        steps = [TraceStep(Location(route_file, route_line, route_line), "the route that runs the handler", "")] + steps
        yield make_finding(
            "broken-object-authorization", Location(handler.path, call.line, call.line), title,
            "Any signed-in user can change the id in the URL and read or change other users' records: no "
            "function between the route and the query knows who the caller is.",
            severity=Severity.HIGH, confidence=Confidence.MEDIUM, evidence=tuple(steps),
            fix=Fix("Hand the caller down with the id and scope the query by it (or compare the record's owner "
                    "with the caller) and answer 404 when it is not theirs.",
                    "const record = await repo.findOne({ where: { id, ownerId: req.user.id } });\n"
                    "if (!record) throw new NotFoundException();", "javascript"),
            rule=RULE.id, key=f"{handler.key}|{model}|{found.line}",
        )


def _guarded_keys(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[str, str, int]]:
    """Handlers this file's authenticated routes run, with the file and line of the route: its own
    functions, and methods of objects it registers (`invoices#get` where `const invoices = new
    InvoiceController(...)`)."""
    assigned = calls.module_assignments(module)
    # a route this file cannot decide (a global guard, a mount elsewhere) counts: the lookup is
    # as wrong for an anonymous caller, and one the file leaves open is missing-authentication's
    lines: dict[str, int] = {}
    for route in express_routes(scope):
        if route.auth != "none" and not _for_administrators(route):
            lines.setdefault(route.qualname, route.line)
    for qualname in sorted(lines):
        key = calls.handler_key(module, scope, qualname, assigned)
        if key:
            yield key, module.path, lines[qualname]


def _function_lookups(module: ir.Module, scope: ModuleScope, function: ir.Function,
                      repositories: frozenset[str] = frozenset()) -> lookups.FunctionLookups:
    names = lookups.carried(function)
    handler = scope.handlers.get(function.qualname)
    url = _url_names(function, handler)
    own = [(i, p.name) for i, p in enumerate(function.params)]
    context = _context_params(function)
    url_vars = client.url_variables(function)

    nest_url = _nest_ids(handler, url_only=True)

    def arg_from_nest_url(arg: ir.Expr) -> bool:  # a NestJS `@Param()` parameter
        return any(isinstance(node, ir.Name) and node.id in nest_url for node in ir.walk_expr(arg))

    forwarding = frozenset(id(call) for call in iter_calls(function.body)
                           if _hands_on_with_caller(module, scope, function, call, url, names, context))
    idle = lookups.idle_params(function, forwarding)
    knows = _reads_caller(module, scope, function.qualname, forwarding) or any(
        (name in context or lookups.owner_named(name)) and index not in idle for index, name in own if name not in url) \
        or _judged_with_caller(function, lambda call: _reads_by(call, url), url, context)
    found: list[lookups.Lookup] = []
    forwards: list[lookups.Forward] = []
    scoped = _owner_scoped(function, url)
    vouched = _vouched_ids(function, scoped, url)
    for call in iter_calls(function.body):
        if id(call) in scoped:
            continue  # the query itself keeps to the caller's rows
        if vouched and vouched >= (_client_ids_in(call.args, url) or {""}):
            continue  # keyed only by ids a check with the caller vouched for above
        code = module.line_text(call.line).strip()
        caller_args = tuple(index for index, arg in enumerate(call.args)
                            if _caller_arg(arg, url) or _mentions_any(arg, context))
        with_caller = bool(caller_args)
        lookup = _lookup_of(call, names, with_caller, repositories=repositories)
        if lookup is not None:
            found.extend(lookups.Lookup(p, lookup[0], call.line, code, lookup[1]) for p in lookup[2])
        url_lookup = _lookup_of(call, {name: -1 for name in url}, with_caller, by_url=True, repositories=repositories)
        if url_lookup is not None and (handler is None or (not url_lookup[1] and not set(words(url_lookup[0])) & _OWNED)):
            # keyed by the URL here, of a record whose name does not say whose it is: reported by
            # `combine` when the project queries it by an owner elsewhere (`check` does the rest for
            # this file's own routes; a handler another file registers is `combine`'s whatever its name);
            # in a function handed the whole request (`load(req)`), what its caller's route reaches
            found.append(lookups.Lookup(-1, url_lookup[0], call.line, code, url_lookup[1] and handler is None))
        if lookup is not None or url_lookup is not None:
            continue
        callee = calls.callee(module, scope, function, call)
        if not callee:
            continue
        for index, arg in enumerate(call.args):
            # `orders.load(req)`: the callee reads the ids off the request it is handed
            whole = client.whole_request(arg, function)
            if _mentions_url(arg, url) or whole:
                from_url = whole or client.url_read(arg, url_vars, client.request_names(function)) or arg_from_nest_url(arg)
                forwards.append(lookups.Forward(callee, index, -1, call.line, code, with_caller, caller_args, whole,
                                                from_url))
            for param in sorted(lookups.mentions(arg, names)):
                forwards.append(lookups.Forward(callee, index, param, call.line, code, with_caller, caller_args,
                                                whole))
    return lookups.FunctionLookups(f"{module.module_name}.{function.qualname}", module.path, knows, tuple(found),
                                   tuple(forwards), tuple(sorted(idle)))


def _hands_on_with_caller(module: ir.Module, scope: ModuleScope, function: ir.Function, call: ir.Call,
                          url: frozenset[str], names: dict[str, int], context: frozenset[str]) -> bool:
    """`notes.get(req.params.id, req.user)`: a project call handed an id (from the URL or a parameter
    not naming the caller) in one argument and the caller in another."""
    callers = {i for i, arg in enumerate(call.args) if _caller_arg(arg, url) or _mentions_any(arg, context)}
    ids = {i for i, arg in enumerate(call.args) if _mentions_url(arg, url) or any(
        not lookups.owner_named(function.params[p].name) for p in lookups.mentions(arg, names)
        if 0 <= p < len(function.params))}
    return bool(callers) and bool(ids - callers) and bool(calls.callee(module, scope, function, call))


# NestJS parameter decorators that hand a handler what the client sent; any other (`@CurrentUser()`,
# `@UserSession()`, a project's own `createParamDecorator`) hands it who the caller is
_CLIENT_INPUT_DECORATORS = frozenset({"Param", "Body", "Query", "Headers", "Req", "Request", "Res", "Response",
                                      "Next", "Ip", "HostParam", "UploadedFile", "UploadedFiles", "Args", "Context",
                                      "Session"})


def _context_params(function: ir.Function) -> frozenset[str]:
    """Parameters filled by a custom parameter decorator: the signed-in principal, in NestJS."""
    found = set()
    for param in function.params:
        for decorator in param.decorators:
            callee = decorator.func if isinstance(decorator, ir.Call) else decorator
            name = (ir.dotted_name(callee) or "").rsplit(".", 1)[-1]
            if name and name not in _CLIENT_INPUT_DECORATORS:
                found.add(param.name)
    return frozenset(found)


def _mentions_any(expr: ir.Expr, names: frozenset[str]) -> bool:
    return bool(names) and any(isinstance(node, ir.Name) and node.id in names for node in ir.walk_expr(expr))


def _url_names(function: ir.Function, handler: object) -> frozenset[str]:
    """Variables holding an id the client chose (`const { id } = req.params`, a NestJS `@Param()`,
    an id-named `@Query('invoiceId') invoiceId` or `@Body('basketId') basketId`)."""
    return frozenset(_param_variables(function)) | _nest_ids(handler)


_NEST_FIELDS = ("query parameter", "request body")


def _nest_ids(handler: object, url_only: bool = False) -> frozenset[str]:
    """A NestJS route's parameters filled with a URL parameter, or (unless `url_only`) with an
    id-named query or body field."""
    return frozenset(name for name, label in getattr(handler, "source_params", ())
                     if label.startswith("URL parameter")
                     or (not url_only and label.startswith(_NEST_FIELDS) and client.id_named(name)))


def _mentions_url(expr: ir.Expr, url: frozenset[str]) -> bool:
    return _from_params(expr, url)


def _caller_arg(expr: ir.Expr, url: frozenset[str]) -> bool:
    """An argument that hands on who the caller is (`req.user`, `user`, `ownerId`)."""
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Attr) and node.attr in lookups.CALLER_FIELDS and \
                (ir.dotted_name(node.value) or "") in ("req", "request", "res.locals", "ctx.state", "ctx"):
            return True
        if isinstance(node, ir.Name) and node.id not in url and lookups.owner_named(node.id):
            return True
    return False


def _record_call(call: ir.Call, repositories: frozenset[str] = frozenset()) -> bool:
    """A lookup or write of records: by its name, or a generic write on a model or repository (a
    member named so, or declared with a data-access type: `repositories`)."""
    if not isinstance(call.func, ir.Attr):
        return False
    if call.func.attr in _LOOKUPS:
        return True
    if call.func.attr not in _GENERIC_WRITES:
        return False
    parts = (ir.dotted_name(call.func.value) or "").split(".")
    if parts[0] == "self":  # an injected member: a repository, not a service of the project
        return parts[-1] in repositories or bool({w.lower() for w in words(parts[-1])} & {"repository", "repo"})
    return len(parts) >= 2 or parts[0][:1].isupper()


def _lookup_of(call: ir.Call, names: dict[str, int], with_caller: bool, by_url: bool = False,
               repositories: frozenset[str] = frozenset()) -> tuple[str, bool, set[int]] | None:
    """(model, writes, parameters keying it) for a query of one record by a parameter, scoped by
    nothing that names an owner; None otherwise. `repositories`: members declared with a
    data-access type (`Repository<Transfer>`), whose generic writes are the records' own."""
    if not isinstance(call.func, ir.Attr) or with_caller:
        return None
    built = _builder_lookup(call, names, by_url)
    if built is not None:
        return built
    text = literal_text(call.args[0], " x ") if call.args else ""
    by_sql = call.func.attr in ("query", "execute") and bool(_SQL_BY_ID.search(text))
    keys: Sequence[ir.Expr] = _keying(call) if _record_call(call, repositories) or by_sql else _key_values(call)
    if not keys:
        return None
    keyed = {p for arg in keys for p in lookups.mentions(arg, names)} | \
        ({-1} if by_url and any(_from_params(arg, frozenset(names)) for arg in keys) else set())
    if not keyed or any(lookups.owner_keys(arg) for arg in call.args):
        return None
    if by_sql:
        match = _SQL_BY_ID.search(text)
        assert match is not None
        return match.group(1), text.lstrip().lower().startswith(("update", "delete")), keyed
    model = (ir.dotted_name(call.func.value) or "").rsplit(".", 1)[-1]
    return model, bool(_WRITES.search(call.func.attr)), keyed


_KEY_COLUMNS = frozenset({"id", "_id", "uuid", "pk"})
# queries for many rows, which find one record when filtered by its key (`Invoice.findAll({ where:
# { id } })`, `Order.find({ _id: id })`, `prisma.order.findMany({ where: { id } })`)
_MANY_LOOKUPS = frozenset({"findAll", "findMany", "find", "findAndCountAll", "findBy", "findAndCount"})


# receivers that are a project layer, not the records' model or repository (followed as calls)
_LAYERS = frozenset({"service", "services", "controller", "manager", "handler", "helper", "provider"})


def _keying(call: ir.Call) -> tuple[ir.Expr, ...]:
    """The arguments of a record call that choose the record, not the values written into it: the
    `where` filter when one is given (`prisma.email.update({ where: { id: row.id }, data: { clientId } })`,
    Sequelize's `update(values, { where })`), the first argument of a write handed its changes after
    it (`findByIdAndUpdate(id, changes)`, TypeORM's `update(id, changes)`, `updateOne(filter, changes)`);
    every argument otherwise. An id the client sent as a new value of a row the server chose (the one
    settings row `findFirst()` returned) picks no record."""
    wheres = tuple(where for arg in call.args if isinstance(arg, ir.DictExpr)
                   and (where := ir.option(arg, "where")) is not None)
    if wheres:
        return wheres
    if len(call.args) >= 2 and isinstance(call.func, ir.Attr) and call.func.attr not in ("query", "execute") \
            and _WRITES.search(call.func.attr):
        return call.args[:1]
    return call.args


def _key_values(call: ir.Call) -> tuple[ir.Expr, ...]:
    """What a query for many rows filters its own key column by (`{ where: { id: x } }`, `{ _id: x }`
    -> `x`), on a model or repository; () for any other call (`items.find(i => i.id === id)`
    filters nothing, `{ members: { id } }` filters by a relation's key, `this.orderService.findAll`
    is a project call)."""
    if not isinstance(call.func, ir.Attr) or call.func.attr not in _MANY_LOOKUPS or not call.args \
            or {w.lower() for w in words(ir.last_name(call.func.value))} & _LAYERS:
        return ()
    found: list[ir.Expr] = []
    for arg in call.args:
        if not isinstance(arg, ir.DictExpr):
            continue
        where = ir.option(arg, "where")
        for filters in (arg, where) if isinstance(where, ir.DictExpr) else (arg,):
            found.extend(v if v is not None else k for k, v in zip(filters.keys, filters.values)
                         if isinstance(k, ir.Const) and k.value in _KEY_COLUMNS)
    return tuple(found)


def _builder_lookup(call: ir.Call, names: dict[str, int], by_url: bool) -> tuple[str, bool, set[int]] | None:
    """`db('orders').where({ id })`, `.where('orders.id', id)`: one row of a table by its key,
    with no owner column in the same filter."""
    if not isinstance(call.func, ir.Attr) or call.func.attr not in ("where", "andWhere") or not call.args:
        return None
    table = builder_table(call.func.value)
    if not table:
        return None
    first = call.args[0]
    keys: list[ir.Expr] = []
    if isinstance(first, ir.DictExpr):
        if lookups.owner_keys(first):
            return None
        keys = [v if v is not None else k for k, v in zip(first.keys, first.values)
                if isinstance(k, ir.Const) and k.value in _KEY_COLUMNS]
    elif isinstance(first, ir.Const) and isinstance(first.value, str) and len(call.args) >= 2 \
            and first.value.rpartition(".")[2] in _KEY_COLUMNS:
        keys = [call.args[-1]]
    keyed = {p for key in keys for p in lookups.mentions(key, names)} | \
        ({-1} if by_url and any(_from_params(key, frozenset(names)) for key in keys) else set())
    return (table, False, keyed) if keyed else None


def _owned_models(module: ir.Module) -> Iterator[str]:
    """Tables and models this file queries by an owner column: their rows are someone's."""
    for function in module.functions:
        for call in iter_calls(function.body):
            if not isinstance(call.func, ir.Attr) or not call.args:
                continue
            yield from lookups.owned_in_sql(literal_text(call.args[0], " x "))
            if any(lookups.owner_keys(arg) for arg in call.args):
                yield (ir.dotted_name(call.func.value) or "").rsplit(".", 1)[-1] or builder_table(call.func.value)


RULE = Rule("js-broken-object-authorization", frozenset({"broken-object-authorization"}), "javascript", check,
            collect=collect, combine=combine)
