"""What a tRPC resolver checks itself: the caller read from its context, refused otherwise.

A procedure made with a builder whose middleware checks nobody (`publicProcedure`) is still
guarded when its resolver turns away a request without a caller before it acts:

    remove: publicProcedure.input(...).mutation(async ({ input, ctx }) => {
      if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED' });   // inline
      const actor = await requireActor(input.token, ctx.user);        // or a helper handed the caller
      ...

  - inline: the resolver reads the caller through its context (`ctx.user`, `opts.ctx.session`, a
    token it verifies) and throws a refusal (a TRPCError UNAUTHORIZED/FORBIDDEN) on a path a
    request without one takes (not only inside `if (ctx.user && ...)`);
  - a helper: a statement of the resolver's own body (not one inside a branch) calls a function,
    handing it the context or the caller read from it, and that function throws a refusal the
    same way. Every function of a tRPC module that throws one is a principal keyed CALLED,
    judged where it is written, so frameworks/trpc_project.py follows the call across modules
    as it follows middleware. A helper that only logs or looks the caller up refuses nobody.

This is the Express handler's "checks credentials itself" (frameworks/express.py `_decide`),
extended to the helpers it calls. Names never decide: what the context key is (`ctx`) is
tRPC's own API (models/node/frameworks.yaml `trpc.context_option`).
"""
from __future__ import annotations

from collections.abc import Iterator

from servicelens import ir
from servicelens.frameworks.express_auth import (
    credential_branches,
    credential_read_of,
    log_call,
)
from servicelens.frameworks.express_knowledge import MiddlewareKnowledge

RESOLVER = "trpc-resolver:"  # principal of a resolver that refuses an anonymous caller itself
CALLED = "trpc-called:"  # principal of a function that throws a refusal: a guard when handed the caller
REFUSALS = ("UNAUTHORIZED", "FORBIDDEN")


def refusal_code(stmt: ir.Raise, any_code: bool = False) -> str:
    """`throw new TRPCError({ code: 'UNAUTHORIZED' })`: the code when it refuses the caller (any code
    written out, with `any_code`), else ""."""
    call = stmt.exc
    if isinstance(call, ir.Call) and call.args and isinstance(call.args[0], ir.DictExpr):
        code = ir.option(call.args[0], "code")
        if isinstance(code, ir.Const) and isinstance(code.value, str) and (any_code or code.value in REFUSALS):
            return code.value
    return ""


def own_raises(family: list[ir.Function]) -> list[ir.Raise]:
    """Throws of the function's own: not a catch block handing on the error it caught."""
    found: list[ir.Raise] = []

    def visit(body: tuple[ir.Stmt, ...], caught: frozenset[str]) -> None:
        for stmt in body:
            if isinstance(stmt, ir.Raise):
                if stmt.exc is None or isinstance(stmt.exc, ir.Name) and stmt.exc.id in caught:
                    continue
                found.append(stmt)
            elif isinstance(stmt, ir.Try):
                visit(stmt.body, caught)
                for handler in stmt.handlers:
                    visit(handler.body, caught | ({handler.name} if handler.name else set()))
                visit(stmt.orelse, caught)
                visit(stmt.finalbody, caught)
            else:
                for block in ir.child_blocks(stmt):
                    visit(block, caught)

    for function in family:
        visit(function.body, frozenset())
    return found


def refusing_helper(family: list[ir.Function], knowledge: MiddlewareKnowledge) -> str:
    """"throws UNAUTHORIZED" when the function throws a refusal of its own on a path a caller
    without a credential takes (outside a catch that rethrows what it caught, and not only in a
    branch that requires a credential to be there), else ""."""
    params = {p.name for f in family for p in f.params}
    own = {id(r) for r in own_raises(family)}
    for function in family:
        for stmt, present in credential_branches(function.body, False, params, knowledge):
            code = refusal_code(stmt) if id(stmt) in own else ""
            if code and not present:
                return f"throws {code}"
    return ""


def resolver_check(family: list[ir.Function], knowledge: MiddlewareKnowledge, context: str) -> str:
    """The evidence of an inline check in the resolver (`family[0]`, its callbacks included), or "":
    a refusal thrown in a branch whose condition tests the caller (`if (!ctx.user)`, or a value
    computed from it: `const isAuthor = row.userId === ctx.user.id; if (!isAuthor) throw ...`)."""
    holders = context_holders(family[0], context)
    credential = next((found for function in family for node in _nodes(function.body)
                       if (found := _caller_read(node, holders, knowledge, context))), "")
    if not credential:
        return ""
    derived = _derived_from_caller(family, holders, knowledge, context)
    params = {p.name for p in family[0].params} | holders
    own = {id(r) for r in own_raises(family)}
    for function in family:
        for stmt, present in credential_branches(function.body, False, params, knowledge):
            code = refusal_code(stmt) if id(stmt) in own else ""
            if code and not present \
                    and _tested_before(function.body, stmt, derived, holders, knowledge, context):
                return f"the resolver {credential} and throws {code}"
    return ""


def _derived_from_caller(family: list[ir.Function], holders: set[str], knowledge: MiddlewareKnowledge,
                         context: str) -> set[str]:
    """Local names whose value is computed from the caller (`actor`, `isAuthor`)."""
    derived: set[str] = set()
    assigns = [stmt for function in family for stmt in ir.walk_stmts(function.body)
               if isinstance(stmt, ir.Assign) and stmt.value is not None]
    for _ in range(3):
        for stmt in assigns:
            if any(_caller_read(n, holders, knowledge, context) or isinstance(n, ir.Name) and n.id in derived
                   for n in ir.walk_expr(stmt.value)):
                derived.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return derived


def _tested_before(body: tuple[ir.Stmt, ...], target: ir.Stmt, derived: set[str], holders: set[str],
                   knowledge: MiddlewareKnowledge, context: str) -> bool:
    """The `if` holding `target` (either branch) tests the caller or a value derived from it."""
    for stmt in ir.walk_stmts(body):
        holds = isinstance(stmt, ir.If) and any(target is s for block in (stmt.body, stmt.orelse)
                                                for s in ir.walk_stmts(block))
        if holds and any(_caller_read(n, holders, knowledge, context) or isinstance(n, ir.Name) and n.id in derived
                         for n in ir.walk_expr(stmt.test)):
            return True
    return False


def caller_calls(resolver: ir.Function, knowledge: MiddlewareKnowledge, context: str) -> Iterator[ir.Call]:
    """Calls in the resolver's own statements (not inside a branch) handed the context or the caller
    read from it: `requireUser(ctx)`, `await resolveActor(input.token, ctx.user)`."""
    holders = context_holders(resolver, context)
    callers = set(holders)
    for stmt in resolver.body:
        if isinstance(stmt, ir.Assign) and stmt.value is not None and any(
                _caller_read(n, holders, knowledge, context) for n in ir.walk_expr(stmt.value)):
            callers.update(t.id for t in stmt.targets if isinstance(t, ir.Name))  # `const user = ctx.user`
        if isinstance(stmt, (ir.If, ir.Try)) or list(ir.child_blocks(stmt)):
            continue
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Call) and not log_call(node) and any(
                        _hands_caller(arg, callers, holders, knowledge, context) for arg in node.args):
                    yield node


def context_holders(resolver: ir.Function, context: str) -> set[str]:
    """Names bound to the resolver options' context: `({ ctx })`, `const { ctx } = opts`."""
    params = {p.name for p in resolver.params}
    holders: set[str] = set()
    for stmt in ir.walk_stmts(resolver.body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Attr) and stmt.value.attr == context \
                and isinstance(stmt.value.value, ir.Name) and stmt.value.value.id in params:
            holders.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return holders


def _through_context(expr: ir.Expr, holders: set[str], context: str) -> bool:
    """`ctx`, `opts.ctx`, `ctx.session.user`: the context, or something below it."""
    parts = (ir.dotted_name(expr) or "").split(".")
    return parts[0] in holders or len(parts) > 1 and parts[1] == context


def _caller_read(node: ir.Expr, holders: set[str], knowledge: MiddlewareKnowledge, context: str) -> str:
    if isinstance(node, ir.Attr) and _through_context(node, holders, context):
        root = (ir.dotted_name(node) or "").split(".")[0]
        return credential_read_of(node, {root}, knowledge)
    if isinstance(node, ir.Call) and any(_through_context(a, holders, context) for a in node.args):
        return credential_read_of(node, set(), knowledge)  # a verifier handed the context's token
    return ""


def _hands_caller(arg: ir.Expr, callers: set[str], holders: set[str], knowledge: MiddlewareKnowledge,
                  context: str) -> bool:
    if isinstance(arg, ir.Name) and arg.id in callers:
        return True
    if isinstance(arg, ir.Attr) and ir.dotted_name(arg) and ir.dotted_name(arg).split(".")[-1] == context:
        return _through_context(arg, holders, context)  # `opts.ctx`
    return any(_caller_read(n, holders, knowledge, context) for n in ir.walk_expr(arg))


def _nodes(body: tuple[ir.Stmt, ...]) -> Iterator[ir.Expr]:
    for stmt in ir.walk_stmts(body):
        for root in ir.stmt_exprs(stmt):
            yield from ir.walk_expr(root)
