"""Broken function-level authorization: a state-changing route that skips the role check its
sibling routes make.

## What it finds
On one controller, router or plugin, some routes run a guard, middleware or hook that checks
the caller's role or permissions (its body reads `role`, `roles`, `isAdmin`, `permissions`,
`scopes` of the caller and refuses otherwise), and a state-changing route next to them runs
none: a signed-in user without the role can call it. NestJS permission decorators count as the
check (nest-authz `@UsePermissions`, a project decorator applying it:
`rules/javascript/_permission_decorators.py`), and a GraphQL mutation is a state-changing
operation. A NestJS operation that names its own guards decides who may call it there and is
left out of the comparison (owners revoke, members comment), unless the guard of its own is the
check of the caller's own role (`@UseGuards(RolesGuard) @Roles('admin')` on each operation but the
one without): then it is what the unguarded operation lacks. A guard finding the caller's role in
the object the request names (a team's owner, by the URL's or GraphQL arguments' team id) decides
its callers there like any other. The router must make the check as a rule: at least half of its state-changing routes
carry it, or every read does (a resolver whose queries and subscriptions require a permission
and whose mutations do not); one permission-checked invite on an account router of ten
self-service routes says nothing about the other nine. Where the router as a whole does not, a write to
a collection whose other write checks the role is still reported (`PUT /api/Products/:id`
checks it, `DELETE /api/Products/:id` does not): the collection takes the role, whatever the
router's other routes do. Routes that are
for every caller are not counted: pre-login flows (sign-up, password reset, a verification mail
resent: `endpoints/public.py`, the model Python uses) and handlers acting on the caller's own
account (`accounts.remove(req.user)`, with no record id or body handed beside the caller:
`rules/javascript/_own_account.py`).

## Why it matters
Authentication says who the caller is, not what they may do: an ordinary account deletes
users or changes settings through the one admin route where the role check was forgotten
(OWASP API5).

## Example
```js
router.get('/users', requireAuth, requireRole('admin'), listUsers);
router.delete('/users/:id', requireAuth, deleteUser);
```
Use instead:
```js
router.delete('/users/:id', requireAuth, requireRole('admin'), deleteUser);
```

## Fix
Put the same role check on the route (NestJS `@UseGuards(RolesGuard) @Roles('admin')`, an
Express/Koa middleware, a Fastify `preHandler`), or apply it to the whole controller/router.

## Known problems
Only checks named on the route are compared (guards and middleware the project phase could
not name, such as a local Express function judged in place, are not); a route that checks the
role inside its handler is reported. A bare `/verify` route (whose object the path does not
name) is not taken for a pre-login flow; a handler acting on the caller's own account is
recognised only when it hands the caller (`req.user`, `req.user.id`, a NestJS principal
parameter) to the call itself, not through a whole request (`portal(req)`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.endpoints.public import public_reason
from servicelens.frameworks.js_knowledge import controller_frameworks
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule, no_findings
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript import _permission_decorators as permissions
from servicelens.rules.javascript._node import express_routes
from servicelens.rules.javascript._own_account import acts_on_caller
from servicelens.taint.scope import ModuleScope

_ROLE_WORDS = frozenset({"role", "roles", "isadmin", "admin", "permissions", "permission", "scopes", "scope",
                         "groups", "isstaff", "issuperuser", "privileges"})
_STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE", "MUTATION"})
_READS = frozenset({"GET", "QUERY", "SUBSCRIPTION"})
_REQUEST_OBJECT_FIELDS = frozenset({"params", "query", "body"})
_ARGUMENT_READERS = frozenset({"getArgs", "getArgByIndex"})


@dataclass(frozen=True, slots=True)
class Route:
    router: str
    qualname: str
    methods: tuple[str, ...]
    line: int
    refs: tuple[str, ...]  # guards and middleware, and (NestJS) the decorators declared on it
    framework: str
    handler: str  # the project-wide name of the function it runs ("" when unknown)
    public: str  # why it answers callers before they sign in (endpoints.public), or ""
    guards: tuple[str, ...] = ()  # NestJS: the guards in effect (`@UseGuards` on the class and the method)
    path: str = ""  # as declared on its router ("" when bound elsewhere)


@dataclass(frozen=True, slots=True)
class RoleFacts:
    role_checks: tuple[str, ...]  # role-checking guards and middleware defined here
    routes: tuple[Route, ...]
    own_account: tuple[str, ...]  # functions here that act on the caller's own account
    members: tuple[tuple[str, str], ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    permission_decorators: tuple[str, ...] = ()  # project decorators here applying a library's one
    module: str = ""
    # of role_checks, those reading the caller's role in the object the request names (a team's
    # member role, found by the URL's or the GraphQL arguments' team id)
    object_roles: tuple[str, ...] = ()


def collect(module: ir.Module, scope: ModuleScope) -> RoleFacts:
    assigned = calls.module_assignments(module)
    routes = tuple(Route(r.router, r.qualname, r.methods, r.line, r.principal_refs + r.declared_refs, r.framework,
                         calls.handler_key(module, scope, r.qualname, assigned),
                         public_reason(r.qualname.replace("#", "."), r.path),
                         r.principal_refs if r.framework in controller_frameworks() else (), r.path)
                   for r in express_routes(scope) if r.router)
    own = tuple(f"{module.module_name}.{f.qualname}" for f in module.functions if ".<locals>." not in f.qualname
                and acts_on_caller([f] + [g for g in module.functions if g.qualname.startswith(f.qualname + ".<locals>.")]))
    return RoleFacts(tuple(role_checks(module)), routes, own, tuple(calls.members(module, scope)),
                     tuple(calls.aliases(module)), permissions.applying(module, scope), module.module_name,
                     tuple(role_checks(module, _reads_request_object)))


def role_checks(module: ir.Module, also: Callable[[list[ir.Function]], bool] = lambda family: True) -> Iterable[str]:
    """Project-wide names of functions and guard classes whose body reads a role and refuses
    (and of which `also` holds)."""
    for cls in module.classes:
        family = [f for f in module.functions if f.class_name == cls.qualname or
                  any(f.qualname.startswith(m + ".<locals>.") for m in cls.methods)]
        if _checks_role(family) and also(family):
            yield f"{module.module_name}.{cls.qualname}"
    for function in module.functions:
        if function.class_name:
            continue
        family = [function] + [f for f in module.functions if f.qualname.startswith(function.qualname + ".<locals>.")]
        if _checks_role(family) and also(family):
            yield f"{module.module_name}.{function.qualname}"


def _reads_request_object(family: list[ir.Function]) -> bool:
    """The check finds what the request names (`request.params.teamId`, GraphQL `getArgs()`): the role
    it reads is the caller's in that object, not the caller's own."""
    for function in family:
        for root in (e for stmt in ir.walk_stmts(function.body) for e in ir.stmt_exprs(stmt)):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Attr) and node.attr in _REQUEST_OBJECT_FIELDS:
                    return True
                if isinstance(node, ir.Call) and ir.last_name(node.func) in _ARGUMENT_READERS:
                    return True
    return False


def _checks_role(family: list[ir.Function]) -> bool:
    reads = refuses = decides = refuses_next = False
    for function in family:
        # Express middleware refuses by handing its `next` callback an error (`next(forbidden())`);
        # the role must then decide it (read in a condition), not merely be copied onto the request
        nexts = {function.params[2].name} if len(function.params) >= 3 else set()
        for stmt in ir.walk_stmts(function.body):
            refuses = refuses or isinstance(stmt, ir.Raise) or (
                isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Const) and stmt.value.value is False)
            if isinstance(stmt, ir.If) and _reads_role(stmt.test):
                decides = True
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    if isinstance(node, ir.IfExp) and _reads_role(node.test):
                        decides = True
                    if isinstance(node, ir.Attr) and node.attr.lower() in _ROLE_WORDS:
                        reads = True
                    if isinstance(node, ir.Call) and any(isinstance(a, ir.Const) and a.value == 403 for a in node.args):
                        refuses = True
                    if isinstance(node, ir.Call) and isinstance(node.func, ir.Name) and node.func.id in nexts \
                            and node.args and not (isinstance(node.args[0], ir.Const)
                                                   and node.args[0].value in (None, "route", "router")):
                        refuses_next = True
    return reads and (refuses or (refuses_next and decides))


def _reads_role(expr: ir.Expr) -> bool:
    return any(isinstance(node, ir.Attr) and node.attr.lower() in _ROLE_WORDS for node in ir.walk_expr(expr))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = {rel: f for rel, f in per_file.items() if isinstance(f, RoleFacts)}
    modules = {f.module for f in facts.values()}
    # what checks a role: guards and middleware whose body does, and the permission decorators
    # (a library's, a project one applying it, one from outside the review named as a library's)
    role_checks = {_key(key) for f in facts.values() for key in f.role_checks + f.permission_decorators} | {
        _key(key) for key in permissions.library()} | {
        _key(ref) for f in facts.values() for route in f.routes for ref in route.refs
        if route.framework in controller_frameworks() and permissions.outside_review(ref, modules)
        and permissions.named_as_library(ref)}
    if not role_checks:
        return
    guards = {_key(key) for f in facts.values() for key in f.role_checks}
    own_roles = guards - {_key(key) for f in facts.values() for key in f.object_roles}
    held = {member: owner for f in facts.values() for member, owner in f.members}
    names = {alias: key for f in facts.values() for alias, key in f.aliases}
    own = {key for f in facts.values() for key in f.own_account}
    by_router: dict[str, list[tuple[str, Route]]] = {}
    for rel, f in sorted(facts.items()):
        for route in f.routes:
            # a pre-login flow (sign-up, password reset, verification mail) and a change to the
            # caller's own account are for every caller: no role is missing on them
            if not role_checks & _refs(route) and (
                    route.public or calls.dealiased(calls.resolved(route.handler, held), names) in own):
                continue
            by_router.setdefault(route.router, []).append((rel, route))
    for router, every in by_router.items():
        # a NestJS operation with a guard of its own, one not every operation of its class shares
        # (`@UseGuards(TeamOwnerGuard)` on revoke, `TeamMemberGuard` on create), decides who may call
        # it there: it neither skips a check nor tells what the others should have. A guard of its
        # own that checks the caller's own role (`@UseGuards(RolesGuard) @Roles('admin')` on most
        # operations) is the check itself: it tells what the operation without any guard of its own
        # lacks. One checking the caller's role in the object the request names (a team's owner) is
        # not: creating a team or leaving one needs no role in it
        shared = set.intersection(*({_key(g) for g in route.guards} for _, route in every))
        routes = [(rel, route) for rel, route in every if not {_key(g) for g in route.guards} - shared - own_roles]
        writes = [route for _, route in routes if _STATE_CHANGING & set(route.methods)]
        reads = [route for _, route in routes if _READS & set(route.methods) and not _STATE_CHANGING & set(route.methods)]
        checked = [route for _, route in routes if role_checks & _refs(route)]
        checked_writes = [route for route in writes if role_checks & _refs(route)]
        # the router's writes take a role as a rule (at least half of them check it), or every read
        # does (a write changes what only some may see): the write without is a forgotten check,
        # not a router open to every signed-in user by design
        as_a_rule = bool(checked_writes and 2 * len(checked_writes) >= len(writes)) \
            or bool(reads and all(role_checks & _refs(route) for route in reads))
        # else one resource's writes may still take a role where the router's others do not: a
        # write to the collection another write of which checks the role (`PUT /api/Products/:id`
        # checks it, `DELETE /api/Products/:id` does not) forgot the check whatever its siblings do
        guarded = {_resource(route.path) for route in checked_writes if route.path}
        if not as_a_rule and not guarded:
            continue
        check_ref = next(ref for ref in checked[0].refs if _key(ref) in role_checks)
        check = check_ref.rsplit(".", 1)[-1]
        declared = _key(check_ref) not in guards  # a permission decorator, not a guard or middleware
        for rel, route in routes:
            writing = sorted(_STATE_CHANGING & set(route.methods))
            if not writing or role_checks & _refs(route):
                continue
            resource = _resource(route.path) if route.path else None
            if not as_a_rule and resource not in guarded:
                continue
            siblings = (f"{len(checked)} other route(s) on `{router.rsplit('.', 1)[-1]}` require `{check}`" if as_a_rule
                        else f"the other writes to `/{'/'.join(resource or ())}` require `{check}`")
            yield make_finding(
                "broken-function-authorization", Location(rel, route.line),
                f"{'/'.join(writing)} `{route.qualname}` skips the role check (`{check}`) its sibling routes make",
                f"{siblings}; this one changes state for any authenticated caller.",
                severity=Severity.HIGH, confidence=Confidence.MEDIUM,
                fix=Fix(f"Apply `{check}` to this route as its siblings do (or to the whole controller/router).",
                        _fix_code(route.framework, check, declared),
                        "typescript" if route.framework in controller_frameworks() else "javascript"),
                rule=RULE.id, key=f"{router}|{route.qualname}",
            )


def _resource(path: str) -> tuple[str, ...]:
    """The collection a route acts on: its path's fixed segments, whatever record the client names
    (`/api/Products/:id` and `/api/Products` -> ('api', 'products'); `{id}`, `*` and `(regex)` are
    the client's)."""
    return tuple(part.lower() for part in path.strip("/").split("/")
                 if part and not part.startswith((":", "{", "*", "(")))


def _key(name: str) -> str:
    """A project-wide name as an import specifier and a module name both spell it:
    `src/team/guards/gql-member.guard.GqlMemberGuard` (a `baseUrl` import the file phase could not
    resolve) and `src.team.guards.gql-member_guard.GqlMemberGuard` are one guard."""
    return re.sub(r"[/_]", ".", re.sub(r"\.(?:js|ts|mjs|cjs)(?=\.)", "", name))


def _refs(route: Route) -> set[str]:
    return {_key(ref) for ref in route.refs}


def _fix_code(framework: str, check: str, declared: bool = False) -> str:
    if framework == "nestjs" and declared:
        return f"@{check}(/* the permission its sibling operations require */)"
    if framework == "nestjs":
        return f"@UseGuards({check})\n@Roles('admin') // the role its sibling routes require"
    if framework == "fastify":
        return f"{{ preHandler: [{check}] }} // in the route's options, as on its siblings"
    return f"router.delete('/path', requireAuth, {check}, handler); // as on its siblings"


RULE = Rule("js-broken-function-authorization", frozenset({"broken-function-authorization"}), "javascript",
            no_findings, collect=collect, combine=combine)
