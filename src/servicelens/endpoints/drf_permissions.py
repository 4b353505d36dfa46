"""REST framework views that choose their permission classes per request in `get_permissions`:

    def get_permissions(self):
        if self.action == "retrieve":                 # or `in ("list", "retrieve")`,
            permission_classes = [AllowAny]           #    `self.request.method in SAFE_METHODS`
        else:
            permission_classes = [DjangoModelPermissions]
        return [permission() for permission in permission_classes]

For one action and HTTP method the branches are followed to the list that applies; a test this
module cannot evaluate, or a body of another shape, decides nothing (the class attribute and the
project's defaults then decide, as before)."""
from __future__ import annotations

from servicelens import ir

_SAFE = ("GET", "HEAD", "OPTIONS")


_UNKNOWN = object()  # a statement or test not followed: the method decides nothing


def chosen_permissions(method: ir.Function, action: str, verb: str) -> ir.Expr | None:
    """The permission classes `get_permissions` returns for this action and verb; None when it
    cannot be followed or returns the class's own `permission_classes` (which then decide)."""
    found = _run(method.body, action, verb, {})
    return None if found is None or found is _UNKNOWN else found  # type: ignore[return-value]


def _run(body: tuple[ir.Stmt, ...], action: str, verb: str, local: dict[str, ir.Expr | None]) -> object:
    for stmt in body:
        if isinstance(stmt, ir.Assign) and stmt.op is None and stmt.value is not None:
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    local[target.id] = stmt.value
                elif isinstance(target, ir.Attr) and target.attr == "permission_classes":
                    local["self.permission_classes"] = stmt.value
        elif isinstance(stmt, ir.If):
            taken = _test(stmt.test, action, verb)
            if taken is None:
                return _UNKNOWN
            found = _run(stmt.body if taken else stmt.orelse, action, verb, local)
            if found is not None:
                return found
        elif isinstance(stmt, ir.Return):
            return _returned(stmt.value, local)
        elif not isinstance(stmt, (ir.ExprStmt, ir.Jump)):
            return _UNKNOWN  # loops, try blocks: not followed
    return None


def _returned(value: ir.Expr | None, local: dict[str, ir.Expr | None]) -> object:
    if value is None:
        return _UNKNOWN
    if isinstance(value, ir.Comprehension):  # `[p() for p in permission_classes]`
        return _listed(value.iters[0] if value.iters else None, local)
    if isinstance(value, ir.Seq):  # `[IsAuthenticated(), IsOwner()]`
        return value
    if isinstance(value, ir.Call) and (ir.dotted_name(value.func) or "").endswith("get_permissions"):
        return local.get("self.permission_classes") or _UNKNOWN  # super().get_permissions()
    return _UNKNOWN


def _listed(source: ir.Expr | None, local: dict[str, ir.Expr | None]) -> object:
    if isinstance(source, ir.Name) and source.id in local:
        return local[source.id] or _UNKNOWN
    if isinstance(source, ir.Attr) and source.attr == "permission_classes":
        return local.get("self.permission_classes") or _UNKNOWN
    if isinstance(source, ir.Seq):
        return source
    return _UNKNOWN


def _test(test: ir.Expr, action: str, verb: str) -> bool | None:
    """`self.action == "x"`, `in (...)`, `!=`, `not in`, on the action or the request method
    (`self.request.method in SAFE_METHODS`); `and`/`or`/`not` of those. None when unknown."""
    if isinstance(test, ir.Unary) and test.op == "not":
        inner = _test(test.operand, action, verb)
        return None if inner is None else not inner
    if isinstance(test, ir.BoolOp):
        parts = [_test(v, action, verb) for v in test.values]
        if None in parts:
            return None
        return all(parts) if test.op == "and" else any(parts)
    if not (isinstance(test, ir.Compare) and len(test.ops) == 1):
        return None
    subject = ir.dotted_name(test.left) or ""
    if subject.endswith(".action"):
        value = action
    elif subject.endswith("request.method"):
        value = verb
    else:
        return None
    wanted = _strings(test.comparators[0])
    if wanted is None:
        return None
    op = test.ops[0]
    if op in ("==", "in"):
        return value in wanted
    if op in ("!=", "not in"):
        return value not in wanted
    return None


def _strings(expr: ir.Expr) -> tuple[str, ...] | None:
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return (expr.value,)
    if isinstance(expr, ir.Seq) and all(isinstance(e, ir.Const) and isinstance(e.value, str) for e in expr.elts):
        return tuple(str(e.value) for e in expr.elts)  # type: ignore[union-attr]
    if (ir.dotted_name(expr) or "").endswith("SAFE_METHODS"):
        return _SAFE
    return None
