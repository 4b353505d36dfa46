"""What a route answers is what the functions it calls return: which project functions' results
reach a client, across files.

A service method reads rows and returns them; whether that is a list endpoint (to page) or an
internal helper (an export, a check, a cascade that needs every row) is decided by its callers,
not by its body. Per file (`collect`) every function is described by the project calls whose
results it sends and returns:

    controller  `res.json(await this.invoices.list(ws))`   -> answers  member:...invoices.list
    NestJS      `@Get() list() { return this.svc.list() }`  -> answers  member:...svc.list
    service     `list(ws) { return this.repo.forWorkspace(ws) }` -> returns member:...repo.forWorkspace
    service     `const rows = await db.find(); return { items: rows }` -> returns nothing (no project call)

and once per review (`answered`) the answered calls are followed down through what each callee
returns (a service handing on its repository's rows), so a rule can ask "does a route send what
this function returns?" of any function, wherever it is defined.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Mapping, TypeVar

from servicelens import ir
from servicelens.frameworks.js_knowledge import controller_answer_methods
from servicelens.rules.javascript import _calls as calls
from servicelens.taint.scope import ModuleScope

_ANSWERS = frozenset({"json", "send", "jsonp", "end"})
_RESPONSES = frozenset({"res", "response", "reply", "ctx"})
# calls whose result is (a part of) their receiver's value: `rows.slice(0, n)`, `rows.map(toDto)`
_PARTS = frozenset({"slice", "filter", "concat", "reverse", "sort", "flat", "toArray", "map"})
# fields of a result object that are its rows (pg's `result.rows`, axios-like `data`), not a scalar
# read off them (`rows.length`, `user.id`)
_ROW_FIELDS = frozenset({"rows", "data", "items", "results", "records", "docs", "hits"})
_MAX_DEPTH = 4
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FunctionAnswers:
    """Function `key` sends the results of the project calls `answered` to the client, and hands
    its own caller the results of `returned`."""

    key: str
    answered: tuple[str, ...]
    returned: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AnswerFacts:
    functions: tuple[FunctionAnswers, ...]
    members: tuple[tuple[str, str], ...] = ()  # (`class key.member`, class key of what it holds)
    aliases: tuple[tuple[str, str], ...] = ()


def collect(module: ir.Module, scope: ModuleScope) -> AnswerFacts:
    functions = []
    for function in module.functions:
        found = _flow(module, scope, function, function.qualname in scope.handlers)
        if found.answered or found.returned:
            functions.append(found)
    return AnswerFacts(tuple(functions), tuple(calls.members(module, scope)), tuple(calls.aliases(module)))


def answered(facts: Iterator[AnswerFacts] | tuple[AnswerFacts, ...]) -> frozenset[str]:
    """Keys of the project functions whose result a route sends to the client: called where an
    answer is made, or returned (up to a few calls deep) by a function that is."""
    facts = tuple(facts)
    members = {member: held for f in facts for member, held in f.members}
    aliases = {alias: key for f in facts for alias, key in f.aliases}
    by_key = {f.key: f for fact in facts for f in fact.functions}

    def target(callee: str) -> str:
        return calls.dealiased(calls.resolved(callee, members), aliases)

    frontier = {target(c) for fact in facts for f in fact.functions for c in f.answered} - {""}
    seen = set(frontier)
    for _ in range(_MAX_DEPTH):
        onward = {target(c) for key in frontier if key in by_key for c in by_key[key].returned} - seen - {""}
        if not onward:
            break
        seen |= onward
        frontier = onward
    return frozenset(seen)


def answers_of(per_file: Mapping[str, object]) -> tuple[AnswerFacts, ...]:
    return tuple(f for f in per_file.values() if isinstance(f, AnswerFacts))


def _flow(module: ir.Module, scope: ModuleScope, function: ir.Function, handler: bool) -> FunctionAnswers:
    """What is sent (`res.json(x)`, `res.status(200).send(x)`, a handler's `return x`) and what is
    returned, as the project calls whose results they carry."""

    def callee(call: ir.Call) -> frozenset[str]:
        name = calls.callee(module, scope, function, call)
        return frozenset({name}) if name else frozenset()

    sent, returned = carried(function.body, callee)
    key = f"{module.module_name}.{function.qualname}"
    if handler:
        sent, returned = sent | returned, frozenset()
    return FunctionAnswers(key, tuple(sorted(sent)), tuple(sorted(returned)))


def carried(body: tuple[ir.Stmt, ...], origin: Callable[[ir.Call], frozenset[T]]
            ) -> tuple[frozenset[T], frozenset[T]]:
    """(sent, returned): the origins (`origin` of a call: its callee, or the call itself) of what a
    function body sends the client and what it returns, followed through variables, awaits, parts
    (`rows.slice(0, n)`, `rows.map(f)`), row fields (`result.rows`) and object and array literals
    (`{ items, nextCursor }`). A scalar read off a value (`rows.length`) carries nothing."""
    held: dict[str, frozenset[T]] = {}

    def holds(expr: ir.Expr | None) -> frozenset[T]:
        if expr is None:
            return frozenset()
        if isinstance(expr, ir.Await):
            return holds(expr.value)
        if isinstance(expr, ir.Name):
            return held.get(expr.id, frozenset())
        if isinstance(expr, ir.IfExp):
            return holds(expr.body) | holds(expr.orelse)
        if isinstance(expr, ir.Attr) and expr.attr in _ROW_FIELDS:
            return holds(expr.value)
        if isinstance(expr, ir.DictExpr):
            return frozenset(c for value in expr.values for c in holds(value))
        if isinstance(expr, ir.Seq):
            return frozenset(c for value in expr.elts for c in holds(value))
        if not isinstance(expr, ir.Call):
            return frozenset()
        if isinstance(expr.func, ir.Attr) and expr.func.attr in _PARTS:
            part = holds(expr.func.value)
            if part:
                return part
        return origin(expr)

    sent: set[T] = set()
    returned: set[T] = set()
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            value = holds(stmt.value)
            for target in stmt.targets:
                if isinstance(target, ir.Name) and value:
                    held[target.id] = held.get(target.id, frozenset()) | value
        if isinstance(stmt, ir.Return) and stmt.value is not None:
            returned.update(holds(stmt.value))
        for expr in _sent(stmt):
            sent.update(holds(expr))
    return frozenset(sent), frozenset(returned)


def _sent(stmt: ir.Stmt) -> Iterator[ir.Expr]:
    """What a statement sends the client: `res.json(x)`, `reply.send(x)`, `res.status(200).json(x)`,
    Koa's `ctx.body = x`, a controller base class's answer (`return this.json(x)`: models/node/frameworks.yaml
    `answer_methods`)."""
    if isinstance(stmt, ir.Assign) and stmt.value is not None and any(
            ir.dotted_name(t) in ("ctx.body", "ctx.response.body") for t in stmt.targets):
        yield stmt.value
    for root in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(root):
            if not (isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.args):
                continue
            if node.func.attr in _ANSWERS and _root(node.func.value) in _RESPONSES:
                yield node.args[0]
            elif node.func.attr in controller_answer_methods() and ir.dotted_name(node.func.value) == "self":
                yield node.args[0]


def _root(expr: ir.Expr) -> str:
    """The name a call chain starts from: `res` in `res.status(200).type('json')`."""
    while isinstance(expr, (ir.Call, ir.Attr)):
        expr = expr.func if isinstance(expr, ir.Call) else expr.value
    return expr.id if isinstance(expr, ir.Name) else ""
