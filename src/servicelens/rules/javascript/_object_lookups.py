"""Object lookups across functions: does the id a route takes from its URL reach a query by key
in a service, repository or DAO, with nobody on the way knowing who the caller is?

Per file (`collect`, in the worker) every function is described by what the object-level
authorization rule needs and nothing more:

    handler  `invoices.get(Number(req.params.id))`          -> Forward(callee, arg 0, url=True)
    service  `getInvoice(id) { return this.repo.byId(id) }` -> Forward(member `repo`, arg 0, param 0)
    repo     `byId(id) { db.query('... WHERE id = $1', [id]) }` -> Lookup(param 0, "invoices")

and once per review (`combine`) the id is followed from each authenticated handler through
the calls that hand it on, to a lookup keyed by it. The walk stops at a function that knows
the caller (reads `req.user`, takes a user/owner/tenant parameter, asks a policy) and at a
call that is also handed the caller (`appointments.get(req.user, id)`): either may compare the
owner. A record counts as someone's when its name says so (orders, invoices ...) or when the
project elsewhere queries the same table or model by an owner column (`WHERE account_id = $1`,
`{ where: { patientId } }`): the code itself says rows there belong to someone.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, replace
from typing import Iterator, Mapping

from servicelens import ir
from servicelens.frameworks.express_auth import log_call
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript._node import knowledge
from servicelens.rules.python._common import words

# parameter and field names that say "who": a function handed one can scope or compare by it
OWNER_WORDS = frozenset({"user", "owner", "caller", "actor", "principal", "requester", "viewer", "account",
                         "member", "tenant", "customer", "patient", "author", "creator", "org", "organization",
                         "team", "workspace", "uid", "sub", "current"})
CALLER_FIELDS = frozenset({"user", "auth", "session", "principal", "currentUser", "account", "userId", "locals",
                           "caller"})
_MAX_DEPTH = 5


@dataclass(frozen=True, slots=True)
class Lookup:
    """A query for one record keyed by parameter `param` (and by nothing that names an owner)."""

    param: int
    model: str
    line: int
    code: str
    writes: bool


@dataclass(frozen=True, slots=True)
class Forward:
    """A call handing on an id: parameter `param` (or, in a handler, a URL parameter when
    `param` is -1) goes to argument `arg` of `callee`. `callee` is a project-wide dotted name,
    or `member:<class key>.<member>.<method>` for a call on an injected member."""

    callee: str
    arg: int
    param: int
    line: int
    code: str
    with_caller: bool  # the call is also handed the caller, who may be compared with the owner
    # the arguments that hand on the caller: the walk goes on into a callee that leaves every
    # parameter they land on idle (never read, or only logged), and stops at one that reads it
    caller_args: tuple[int, ...] = ()
    # the argument is the request itself (`orders.load(req)`): the callee's own reads of its URL
    # and body ids (its lookups keyed -1) are what the route's client chose
    request: bool = False
    from_url: bool = True  # the id is a URL parameter (else a query or body field the client sent)


@dataclass(frozen=True, slots=True)
class FunctionLookups:
    key: str
    path: str
    knows_caller: bool
    lookups: tuple[Lookup, ...]
    forwards: tuple[Forward, ...]
    idle: tuple[int, ...] = ()  # parameters the function never reads but to log them


@dataclass(frozen=True, slots=True)
class LookupFacts:
    functions: tuple[FunctionLookups, ...]
    members: tuple[tuple[str, str], ...]  # (`class key.member`, class key of what it holds)
    owned_models: tuple[str, ...]  # tables/models this file queries by an owner column
    # (handler key, file, line of the route) for each handler this file's authenticated routes run
    guarded: tuple[tuple[str, str, int], ...]
    # other names of this file's functions: `Dao.get` for `function Dao() { this.get = ... }`, and
    # the module's own name for the class or function it exports (`module.exports = Dao`)
    aliases: tuple[tuple[str, str], ...] = ()


@lru_cache(maxsize=1)
def owned_records() -> frozenset[str]:
    """Record names that say the record is someone's (models/node/rules.yaml), singular and plural:
    money records too (a payout, a refund has a payer or payee)."""
    names = knowledge().owned_records | knowledge().money_records
    return names | frozenset(f"{name}s" for name in names)


def repository_members(module: ir.Module) -> frozenset[str]:
    """Members a class is handed as a constructor parameter declared with a data-access type
    (`private readonly payouts: Repository<Payout>`): the records' repository whatever its name."""
    types = knowledge().repository_types
    found = set()
    for function in module.functions:
        if function.name != "constructor" or not function.class_name:
            continue
        for param in function.params:
            declared = param.annotation.value if isinstance(param.annotation, ir.Subscript) else param.annotation
            if declared is not None and (ir.dotted_name(declared) or "").rsplit(".", 1)[-1] in types:
                found.add(param.name)
    return frozenset(found)


def owner_named(name: str) -> bool:
    return bool(set(words(name)) & OWNER_WORDS)


def model_words(model: str) -> frozenset[str]:
    """`shipments`, `Shipment`, `this.shipmentRepo` -> {'shipment'}: singular nouns to compare."""
    return frozenset(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words(model)
                     if w not in ("repo", "repository", "model", "dao", "store", "db", "table", "self"))


def mentions(expr: ir.Expr, names: Mapping[str, int]) -> set[int]:
    """Indices of the parameters (through `names`: variable -> parameter) an expression reads."""
    found: set[int] = set()
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Name) and node.id in names:
            found.add(names[node.id])
    return found


def idle_params(function: ir.Function, forwarding: frozenset[int] = frozenset()) -> frozenset[int]:
    """Parameters (and the locals carrying one) read nowhere in the body but by log calls and by the
    `forwarding` calls (which hand on the id too, and whose callee is judged by what it does with
    them): a caller handed in as `user` and never compared, queried by or passed on decides nothing."""
    names = carried(function)
    read: set[int] = set()

    def visit(expr: ir.Expr) -> None:
        if isinstance(expr, ir.Call) and (log_call(expr) or id(expr) in forwarding):
            visit(expr.func)
            return
        if isinstance(expr, ir.Name) and expr.id in names:
            read.add(names[expr.id])
        for child in ir.child_exprs(expr):
            visit(child)

    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.targets and all(
                isinstance(t, ir.Name) and t.id in names for t in stmt.targets):
            continue  # `const uid = user.id`: read where `uid` is
        for root in ir.stmt_exprs(stmt):
            visit(root)
    return frozenset(range(len(function.params))) - read


def carried(function: ir.Function) -> dict[str, int]:
    """Each parameter, and each local assigned from exactly one (`const id = Number(raw)`), to
    the index of the parameter it carries."""
    names = {p.name: i for i, p in enumerate(function.params)}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            source = mentions(stmt.value, names)
            if len(source) == 1:
                for target in stmt.targets:
                    if isinstance(target, ir.Name) and target.id not in names:
                        names[target.id] = next(iter(source))
    return names


_SQL_TABLE = re.compile(r"(?is)\b(?:from|update|into|join)\s+\"?(\w+)\"?")
_SQL_OWNER = re.compile(r"(?is)\bwhere\b.*?\b(\w*(?:user|owner|account|tenant|customer|patient|member|author|"
                        r"org|team|workspace|creator)\w*)\s*=\s*(?:\$\d+|\?|:\w+)")


def owned_in_sql(text: str) -> Iterator[str]:
    """Tables a statement filters by an owner column (`... FROM shipments WHERE account_id = $1`)."""
    if _SQL_OWNER.search(text):
        yield from (m.group(1) for m in _SQL_TABLE.finditer(text))


def owner_keys(expr: ir.Expr) -> bool:
    """`{ where: { patientId } }`, `{ _id: id, userId: req.user.id }`: an object keyed by an owner."""
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.DictExpr) and any(isinstance(k, ir.Const) and isinstance(k.value, str)
                                                 and owner_named(k.value) and not k.value.lower() == "id"
                                                 for k in node.keys):
            return True
    return False


def combine_lookups(per_file: Mapping[str, LookupFacts]) -> Iterator[tuple[FunctionLookups, Forward, list[
        tuple[FunctionLookups, Forward | Lookup]], Lookup, tuple[str, int]]]:
    """(handler, its call, the path below it, the lookup, (file, line) of the route that runs the
    handler) for every URL id that reaches an unscoped lookup of someone's record through
    functions that do not know the caller."""
    functions = {f.key: f for facts in per_file.values() for f in facts.functions}
    aliases = {alias: key for facts in per_file.values() for alias, key in facts.aliases}
    functions.update({alias: functions[calls.dealiased(key, aliases)] for alias, key in aliases.items()
                      if calls.dealiased(key, aliases) in functions})
    members = {member: held for facts in per_file.values() for member, held in facts.members}
    # a handler key names the function itself when the project defines it (`routes.<anon@14>` of a
    # module whose export is its router must not become `routes.router.<anon@14>`)
    guarded: dict[str, tuple[str, int]] = {}
    for facts in per_file.values():
        for key, rel, line in facts.guarded:
            # an alias (`exports.show`) names its function
            resolved = functions[key].key if key in functions else calls.dealiased(calls.resolved(key, members), aliases)
            guarded.setdefault(resolved, (rel, line))
    # functions nested in a handler run for its request too: the callback a handler factory
    # returns (`app.get('/orders/:id', orders.show())`) is the handler the route runs
    guarded.update({key: guarded[key.split(".<locals>.")[0]] for key in functions if ".<locals>." in key
                    and key.split(".<locals>.")[0] in guarded and key not in guarded})
    owned = frozenset(w for facts in per_file.values() for model in facts.owned_models for w in model_words(model))
    for handler in sorted((f for f in functions.values() if f.key in guarded and not f.knows_caller),
                          key=lambda f: f.key):
        # keyed by the URL in the handler itself: one another file registers, or the callback a
        # handler factory returns (`check` judges a route's own function); someone's record by its
        # name or by the project's queries, as in a function the id is handed to
        local = next((lookup for lookup in handler.lookups if lookup.param == -1
                      and (lookup.writes or model_words(lookup.model) & (owned | owned_records()))), None)
        if local is not None:
            yield handler, Forward("", -1, -1, local.line, local.code, False), [(handler, local)], local, \
                guarded[handler.key]
            continue
        for forward in handler.forwards:
            if forward.param != -1 or not _handed_idle(forward, functions, members):
                continue
            found = _follow(replace(forward, callee=calls.dealiased(forward.callee, aliases)), functions, members, owned,
                            1, frozenset({handler.key}))
            if found is not None:
                path, lookup = found
                yield handler, forward, path, lookup, guarded[handler.key]
                break


def _handed_idle(forward: Forward, functions: Mapping[str, FunctionLookups], members: Mapping[str, str]) -> bool:
    """A call handed no caller, or one whose callee leaves the caller it is handed idle (takes
    `user` and never compares, queries by or passes it on): the caller decides nothing there."""
    if not forward.with_caller:
        return True
    if not forward.caller_args:
        return False
    callee = functions.get(calls.resolved(forward.callee, members))
    return callee is not None and set(forward.caller_args) <= set(callee.idle)


def _follow(forward: Forward, functions: Mapping[str, FunctionLookups], members: Mapping[str, str],
            owned: frozenset[str], depth: int, seen: frozenset[str]
            ) -> tuple[list[tuple[FunctionLookups, Forward | Lookup]], Lookup] | None:
    callee = functions.get(calls.resolved(forward.callee, members)) or functions.get(
        calls.resolved(forward.callee, members).replace("#", "."))
    if callee is None or callee.key in seen or callee.knows_caller or depth > _MAX_DEPTH:
        return None
    # a request handed on whole (`load(req)`) carries the ids the client chose in its URL and body,
    # which the callee reads off it (lookups and forwards keyed -1); not whatever it derives from it
    keyed = -1 if forward.request else forward.arg
    for lookup in callee.lookups:
        if lookup.param == keyed and (lookup.writes or model_words(lookup.model) & (owned | owned_records())):
            return [(callee, lookup)], lookup
    for onward in callee.forwards:
        if onward.param != keyed or not _handed_idle(onward, functions, members):
            continue
        found = _follow(onward, functions, members, owned, depth + 1, seen | {callee.key})
        if found is not None:
            return [(callee, onward)] + found[0], found[1]
    return None


