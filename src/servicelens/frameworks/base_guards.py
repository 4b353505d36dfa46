"""A NestJS guard that overrides `canActivate` of the guard it extends, read for what it keeps of
the base's verdict.

    class JwtGuard extends AuthGuard('jwt') {              class CreateGuard extends JwtGuard {
      async canActivate(ctx) {                               async canActivate(ctx) {
        try { return await super.canActivate(ctx); }           if (await super.canActivate(ctx)) return true;
        catch { return this.config.get('allowAnon'); }         const t = ctx.switchToHttp().getRequest().cookies.t;
      }                                                        if (!t) return false;
    }                                                          return await this.tokens.isValid(t);
                                                             }
                                                           }

Passport's `AuthGuard(strategy).canActivate` throws 401 when the strategy fails, so in the left
guard the `catch` is the anonymous caller's branch: it answers whatever a setting says, and with
the setting off (a deployment that sets nothing) it refuses. The guard still authenticates; the
switch is named in the evidence. A `catch` answering `true` lets anonymous callers through, and
one answering something read from the request is a check of its own: neither is the base's verdict.

The right guard accepts whoever its base accepts and otherwise only a caller presenting a
credential of its own, refusing when the request carries none (`if (!t) return false`): an
anonymous caller without that credential meets the base's verdict, so the guard is the base
for the question "may an anonymous caller through" (an alias of the base, decided project-wide).
"""
from __future__ import annotations

from servicelens import ir


def base_verdict_kept(method: ir.Function, guard_methods: frozenset[str]) -> tuple[bool, str]:
    """(every value `canActivate` returns other than `true` is the base's verdict or, in the `catch`
    of a `try` returning it, a refusal or a setting; the setting's expression as written, or "")."""
    calls_base = False
    switch = ""
    for value, caught in _returns(method.body, False):
        value = _unawaited(value)
        if isinstance(value, ir.Const) and value.value is True and not caught:
            continue
        if _base_call(value, guard_methods):
            calls_base = True
            continue
        if caught and isinstance(value, ir.Const) and value.value is False:
            continue
        if caught and value is not None and _reads_nothing_of_the_call(value):
            switch = switch or _shown(value)
            continue
        return False, ""
    return calls_base, switch


def falls_back_from_base(method: ir.Function, guard_methods: frozenset[str], request_getters: frozenset[str]) -> bool:
    """`if (await super.canActivate(ctx)) return true` first, then only refusals and verdicts on a
    value read from the request, refused outright when the request lacks it (`if (!t) return false`)."""
    body = method.body
    if not body or not isinstance(body[0], ir.If) or body[0].orelse \
            or not _base_call(_unawaited(body[0].test), guard_methods) \
            or not any(isinstance(s, ir.Return) and _is_const(s.value, True) for s in body[0].body):
        return False
    rest = body[1:]
    read = {t.id for s in rest if isinstance(s, ir.Assign) and _from_request(s.value, request_getters)
            for t in s.targets if isinstance(t, ir.Name)}
    refuses_absent = any(isinstance(s, ir.If) and isinstance(s.test, ir.Unary) and s.test.op == "not"
                         and isinstance(s.test.operand, ir.Name) and s.test.operand.id in read
                         and any(isinstance(r, ir.Return) and _is_const(r.value, False) for r in s.body)
                         for s in rest)
    admits = any(isinstance(s, ir.Return) and _is_const(s.value, True) for s in ir.walk_stmts(rest))
    return refuses_absent and not admits


def _returns(body: tuple[ir.Stmt, ...], caught: bool):
    """Each returned value with whether it sits in the `catch` of a `try` whose body hands the
    request to the base (other `try`s keep the flag of where they are)."""
    for stmt in body:
        if isinstance(stmt, ir.Return):
            yield stmt.value, caught
        elif isinstance(stmt, ir.Try):
            yield from _returns(stmt.body, caught)
            for handler in stmt.handlers:
                yield from _returns(handler.body, True)
            yield from _returns(stmt.orelse, caught)
            yield from _returns(stmt.finalbody, caught)
        elif isinstance(stmt, ir.If):
            yield from _returns(stmt.body, caught)
            yield from _returns(stmt.orelse, caught)
        else:
            for inner in _nested_bodies(stmt):
                yield from _returns(inner, caught)


def _nested_bodies(stmt: ir.Stmt):
    for field in ("body", "orelse", "finalbody"):
        inner = getattr(stmt, field, None)
        if isinstance(inner, tuple):
            yield inner


def _unawaited(value: ir.Expr | None) -> ir.Expr | None:
    return value.value if isinstance(value, ir.Await) else value


def _is_const(value: ir.Expr | None, constant: bool) -> bool:
    return isinstance(value, ir.Const) and value.value is constant


def _base_call(value: ir.Expr | None, guard_methods: frozenset[str]) -> bool:
    return isinstance(value, ir.Call) and isinstance(value.func, ir.Attr) and value.func.attr in guard_methods \
        and ir.dotted_name(value.func.value) == "super"


def _reads_nothing_of_the_call(value: ir.Expr) -> bool:
    """`this.config.get('x')`, `SETTING`: only the instance's own members and constants, nothing of
    the execution context or the request."""
    names = [n.id for n in ir.walk_expr(value) if isinstance(n, ir.Name)]
    return bool(names) and all(n == "self" or n.isupper() for n in names)


def _shown(value: ir.Expr) -> str:
    """`self.config.get('share.allowAnon')` as written, short."""
    if isinstance(value, ir.Call):
        literal = next((a.value for a in value.args if isinstance(a, ir.Const) and isinstance(a.value, str)), None)
        return f"{ir.dotted_name(value.func)}({literal!r})" if literal is not None else f"{ir.dotted_name(value.func)}(...)"
    return ir.dotted_name(value) or "a setting"


def _from_request(value: ir.Expr | None, request_getters: frozenset[str]) -> bool:
    """A value read off the request (`ctx.switchToHttp().getRequest().cookies.t`)."""
    return value is not None and any(isinstance(n, ir.Call) and ir.last_name(n.func) in request_getters
                                     for n in ir.walk_expr(_unawaited(value)))
