"""Privilege flags a request handler lets the client set by name: `User(..., admin=admin)` or
`user.is_staff = ...` where the value comes from the request body, by data flow
(`admin = body.get("admin")`) or because a branch on the body chose it
(`if body.get("admin"): admin = True`). A sign-up that honours `"admin": true` is mass
assignment written out field by field: the body still picks the privilege."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from servicelens import ir
from servicelens.rules.python import _access as access

# flags that make an account more powerful than its owner may make it (not a role name: roles
# are often assigned by team owners through checks of the project's own)
PRIVILEGE_FLAG = re.compile(r"(?i)^(is_|has_)?(admin|administrator|staff|superuser|super_user|privileged)$")
_CREATES = frozenset({"create", "create_user", "get_or_create", "update_or_create", "insert", "add"})


@dataclass(frozen=True, slots=True)
class FlagWrite:
    """Where the body reaches a privilege flag: the call or assignment, and the flag's name."""
    line: int
    end_line: int
    field: str
    target: str  # the model built or the object changed, as written


def body_names(function: ir.Function) -> set[str]:
    """Locals computed from the request body, or set to a constant by a branch that tests it."""
    def is_body(expr: ir.Expr) -> bool:
        return access.is_request_data(expr, body_only=True)

    held = access.flow_names(function.body, set(), is_body)
    for _ in range(2):
        chosen = _chosen_by_branch(function.body, held, is_body)
        if chosen <= held:
            break
        held |= access.flow_names(function.body, held | chosen, is_body)
    return held


def _chosen_by_branch(body: tuple[ir.Stmt, ...], held: set[str], is_body) -> set[str]:  # type: ignore[no-untyped-def]
    """`if body["admin"]: admin = True else: admin = False`: constants assigned directly under a
    test that reads the body carry the body's choice."""
    found: set[str] = set()
    for stmt in ir.walk_stmts(body):
        if not isinstance(stmt, ir.If) or not access.reads(stmt.test, held, is_body):
            continue
        for inner in (*stmt.body, *stmt.orelse):
            if isinstance(inner, ir.Assign) and isinstance(inner.value, ir.Const):
                found.update(t.id for t in inner.targets if isinstance(t, ir.Name))
    return found


def flag_writes(function: ir.Function, open_route: bool) -> Iterator[FlagWrite]:
    """Model constructors and `create` calls that set a privilege flag from the body, and attribute
    writes of one on the caller's own account or on a route anyone may call. (Setting the flag of
    another account a signed-in caller fetched is who-may-call-this: broken-function-authorization.)"""
    held = body_names(function)
    if not held:
        return
    principals = access.principal_names(function)
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:  # `x: int` binds nothing
            for target in stmt.targets:
                if isinstance(target, ir.Attr) and PRIVILEGE_FLAG.match(target.attr) and _from_body(stmt.value, held) \
                        and (open_route or access.is_principal(target.value, principals)):
                    yield FlagWrite(stmt.line, stmt.line, target.attr, ir.dotted_name(target.value) or "")
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and _builds_row(node):
                    for kw in node.kwargs:
                        if kw.name and PRIVILEGE_FLAG.match(kw.name) and _from_body(kw.value, held):
                            yield FlagWrite(node.line, node.end_line or node.line, kw.name,
                                            ir.dotted_name(node.func) or "")


def _from_body(value: ir.Expr, held: set[str]) -> bool:
    return access.reads(value, held, lambda e: access.is_request_data(e, body_only=True))


def _builds_row(call: ir.Call) -> bool:
    """`User(...)`, `User.objects.create(...)`, `crud.create_user(...)`."""
    name = ir.dotted_name(call.func) or ""
    last = name.rsplit(".", 1)[-1]
    return bool(last) and (last[0].isupper() and not last.isupper() or last in _CREATES)
