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

from typing import Callable, Iterable, Iterator

from servicelens import ir

Refusal = Callable[[ir.Stmt], bool]
AboutCaller = Callable[[ir.Expr], bool]


def refuses_alike(functions: Iterable[ir.Function], refusal: Refusal, about_caller: AboutCaller) -> bool:
    """At least one refusal in `functions`, and none of them depends on who the caller is."""
    found = False
    for function in functions:
        tainted = _caller_names(function.body, about_caller)
        for _stmt, tests, in_handler in _refusals(function.body, (), False, refusal):
            if in_handler or any(about_caller(test) or _reads(test, tainted) for test in tests):
                return False
            found = True
    return found


def _refusals(body: tuple[ir.Stmt, ...], tests: tuple[ir.Expr, ...], in_handler: bool,
              refusal: Refusal) -> Iterator[tuple[ir.Stmt, tuple[ir.Expr, ...], bool]]:
    """Each refusing statement with the tests that lead to it and whether an `except` block holds it.
    The tests of the branches before it in its block count too: `if request.user.is_authenticated:
    return None` before an unconditional redirect makes that redirect one for anonymous callers."""
    for stmt in body:
        if refusal(stmt):
            yield stmt, tests, in_handler
        if isinstance(stmt, (ir.If, ir.While)):
            yield from _refusals(stmt.body, tests + (stmt.test,), in_handler, refusal)
            yield from _refusals(stmt.orelse, tests + (stmt.test,), in_handler, refusal)
            tests = tests + (stmt.test,)
        elif isinstance(stmt, ir.Try):
            yield from _refusals(stmt.body + stmt.orelse + stmt.finalbody, tests, in_handler, refusal)
            for handler in stmt.handlers:
                yield from _refusals(handler.body, tests, True, refusal)
        else:
            for block in ir.child_blocks(stmt):
                yield from _refusals(block, tests, in_handler, refusal)


def _caller_names(body: tuple[ir.Stmt, ...], about_caller: AboutCaller) -> frozenset[str]:
    """Local names assigned from a read of the caller (`backend = request.session.get(KEY)`)."""
    return frozenset(target.id for stmt in ir.walk_stmts(body)
                     if isinstance(stmt, ir.Assign) and stmt.value is not None and about_caller(stmt.value)
                     for target in stmt.targets if isinstance(target, ir.Name))


def _reads(test: ir.Expr, names: frozenset[str]) -> bool:
    return bool(names) and any(isinstance(node, ir.Name) and node.id in names for node in ir.walk_expr(test))
