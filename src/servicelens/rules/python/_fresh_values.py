"""Values that differ on every call (models/vocabulary/fresh_values.yaml).

Not a rule (it defines no RULE). An idempotency key exists to be the same on a retry; one built
at the call from a random or time-based generator (`idempotency_key=str(uuid.uuid4())`,
`headers={"Idempotency-Key": uuid4().hex}`, or a local bound to one) is a new key on every
attempt, so the provider or the unique constraint never sees a repeat: the code names the
protection and does not have it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.rules.python._common import const_str
from servicelens.rules.python._purpose import vocabulary_file
from servicelens.taint.scope import ModuleScope


@lru_cache(maxsize=1)
def fresh_generators() -> frozenset[str]:
    return frozenset(vocabulary_file("fresh_values.yaml")["generators"])


@dataclass(frozen=True, slots=True)
class FreshValues:
    """What in one function is new on every call: its generator calls and the locals bound only to them."""

    scope: ModuleScope
    function: ir.Function
    locals: frozenset[str]

    def is_fresh(self, expr: ir.Expr) -> bool:
        """The expression holds a fresh value anywhere in it (`f"refund-{uuid4()}"` is unique per call too)."""
        nodes = file_index(self.scope.module, self.scope).walk(expr)  # a slice for a statement's expression
        return any(isinstance(node, ir.Name) and node.id in self.locals
                   or isinstance(node, ir.Call) and self._generator(node) for node in nodes)

    def _generator(self, call: ir.Call) -> bool:
        dotted = ir.dotted_name(call.func)
        if dotted is None:
            return False
        qualified = self.scope.qualify(dotted, self.function, frozenset()) or dotted
        return qualified in fresh_generators()


def fresh_values(function: ir.Function, scope: ModuleScope) -> FreshValues:
    """Locals of the function bound to a fresh value at every assignment (`key = str(uuid.uuid4())`).
    Made once per function and file (missing-idempotency asks twice, the request-path view once)."""
    return scope.memo(f"fresh-values:{id(function)}", lambda: _fresh_values(function, scope))


def _fresh_values(function: ir.Function, scope: ModuleScope) -> FreshValues:
    probe = FreshValues(scope, function, frozenset())
    bound: dict[str, bool] = {}
    for stmt in file_index(scope.module, scope).walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    bound[target.id] = bound.get(target.id, True) and probe.is_fresh(stmt.value)
    return FreshValues(scope, function, frozenset(name for name, fresh in bound.items() if fresh))


def key_tokens(expr: ir.Expr, fresh: FreshValues, needle: str) -> list[str]:
    """Lower-cased names, attributes, keyword names and strings of the expression, leaving out a
    key that is fresh: a keyword named like `needle` with a fresh value, a dict entry whose key says
    `needle` with a fresh value, a local bound only to fresh values."""
    out: list[str] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ir.Call):
            for kw in node.kwargs:
                if kw.name and needle in kw.name.lower() and fresh.is_fresh(kw.value):
                    continue
                if kw.name:
                    out.append(kw.name.lower())
                stack.append(kw.value)
            stack.append(node.func)
            stack.extend(node.args)
            continue
        if isinstance(node, ir.DictExpr):
            for key, value in zip(node.keys, node.values):
                if key is not None and needle in (const_str(key) or "").lower() and fresh.is_fresh(value):
                    continue
                if key is not None:
                    stack.append(key)
                stack.append(value)
            continue
        if isinstance(node, ir.Name):
            if node.id not in fresh.locals:
                out.append(node.id.lower())
        elif isinstance(node, ir.Attr):
            out.append(node.attr.lower())
        elif isinstance(node, ir.Const) and isinstance(node.value, str):
            out.append(node.value.lower())
        stack.extend(ir.child_exprs(node))
    return out
