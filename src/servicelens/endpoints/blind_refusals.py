"""Refusals that turn every caller away alike: by what the request asks, not by who sends it.

    def readonly_middleware(get_response):
        def middleware(request):
            if request.method not in ("GET", "HEAD"):         # maintenance: nobody may write
                return HttpResponseForbidden("read-only")
            return get_response(request)
        return middleware

A middleware that answers 403 is no check of the caller when every test that leads to its
refusals reads nothing about the caller (the method, the path, a setting): a signed-in caller is
refused exactly like an anonymous one, so it neither requires authentication nor hides a check
the review cannot read. A refusal in an `except` block (a credential that failed to verify), or
under a test reading the caller (directly or through a local name assigned from such a read),
is about who calls.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from servicelens import ir

Refusal = Callable[[ir.Stmt], bool]
AboutCaller = Callable[[ir.Expr], bool]


@dataclass(frozen=True, slots=True)
class RefusalPath:
    """One refusing statement and what decides whether it runs."""

    stmt: ir.Stmt
    enclosing: tuple[ir.Expr, ...]  # the tests of the branches it sits in, each true there (`not t` in an `else`)
    preceding: tuple[ir.Expr, ...]  # the tests of the branches before it in its blocks (their exits)
    in_handler: bool  # an `except` block holds it


def refuses_alike(functions: Iterable[ir.Function], refusal: Refusal, about_caller: AboutCaller) -> bool:
    """At least one refusal in `functions`, and none of them depends on who the caller is."""
    found = False
    for function in functions:
        tainted = _caller_names(function.body, about_caller)
        for path in refusal_paths(function.body, refusal):
            tests = path.enclosing + path.preceding
            if path.in_handler or any(about_caller(test) or _reads(test, tainted) for test in tests):
                return False
            found = True
    return found


def refusal_paths(body: tuple[ir.Stmt, ...], refusal: Refusal, enclosing: tuple[ir.Expr, ...] = (),
                  preceding: tuple[ir.Expr, ...] = (), in_handler: bool = False) -> Iterator[RefusalPath]:
    """Each refusing statement with the tests that lead to it. The tests of the branches before it
    count too: `if request.user.is_authenticated: return None` before an unconditional redirect
    makes that redirect one for anonymous callers."""
    for stmt in body:
        if refusal(stmt):
            yield RefusalPath(stmt, enclosing, preceding, in_handler)
        if isinstance(stmt, (ir.If, ir.While)):
            yield from refusal_paths(stmt.body, refusal, enclosing + (stmt.test,), preceding, in_handler)
            negated = ir.Unary(stmt.test.line, stmt.test.col, "not", stmt.test)  # an `else` runs when it is false
            yield from refusal_paths(stmt.orelse, refusal, enclosing + (negated,), preceding, in_handler)
            preceding = preceding + (stmt.test,)
        elif isinstance(stmt, ir.Try):
            yield from refusal_paths(stmt.body + stmt.orelse + stmt.finalbody, refusal, enclosing, preceding, in_handler)
            for handler in stmt.handlers:
                yield from refusal_paths(handler.body, refusal, enclosing, preceding, True)
        else:
            for block in ir.child_blocks(stmt):
                yield from refusal_paths(block, refusal, enclosing, preceding, in_handler)
def _caller_names(body: tuple[ir.Stmt, ...], about_caller: AboutCaller) -> frozenset[str]:
    """Local names assigned from a read of the caller (`backend = request.session.get(KEY)`)."""
    return frozenset(target.id for stmt in ir.walk_stmts(body)
                     if isinstance(stmt, ir.Assign) and stmt.value is not None and about_caller(stmt.value)
                     for target in stmt.targets if isinstance(target, ir.Name))


def _reads(test: ir.Expr, names: frozenset[str]) -> bool:
    return bool(names) and any(isinstance(node, ir.Name) and node.id in names for node in ir.walk_expr(test))
