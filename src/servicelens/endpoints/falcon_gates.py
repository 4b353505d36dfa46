"""Falcon middleware that lets some resources through by what they declare.

    class AuthMiddleware:                                    class Health:
        def process_resource(self, req, resp, resource, params):    auth = {"exempt_methods": ["GET"]}
            if resource is None:                                      def on_get(self, req, resp): ...
                return
            settings = getattr(resource, "auth", {})          class Status:
            if req.method in settings.get("exempt_methods", []):      auth_required = False
                return
            if not getattr(resource, "auth_required", True):
                return
            ...check the token, raise falcon.HTTPUnauthorized...

Falcon hands `process_resource` the resource instance a route is added with, so such a
middleware reads the resource's class attributes and the request's method before it checks
the caller. Per file this module keeps the tests of each such method's early exits (`if T:
return`, and `if T: <the check>` with nothing refusing outside it), with the method's own
local names written out, and each class's class-level attributes (their literal values).
`passes` then evaluates those tests for one resource class and one HTTP method: True when the
middleware lets that route through unchecked, False when it checks it, None when a test reads
something the review cannot know (an attribute set at run time, the request's path, a call).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from servicelens import ir


@dataclass(frozen=True, slots=True)
class ResourceGate:
    """A middleware method whose `if` tests read the resource it is handed.

    `exits`: tests under which it returns before checking the caller; `only_if`: tests under
    which alone it checks (the check is the `if`'s body); `read`: every `if` reading the
    resource is one of these (otherwise what it lets through is not known)."""

    key: str
    resource: str
    request: str
    locals: tuple[tuple[str, ir.Expr], ...]
    exits: tuple[ir.Expr, ...]
    only_if: tuple[ir.Expr, ...]
    read: bool


@dataclass(frozen=True, slots=True)
class DeclaredAttributes:
    """A class's class-level attributes: name -> literal value (None when not a literal)."""

    key: str
    attributes: tuple[tuple[str, ir.Expr | None], ...]


def resource_gates(module: ir.Module) -> tuple[ResourceGate, ...]:
    """The module's `process_resource` methods whose `if` tests read the resource."""
    found = []
    for function in module.functions:
        if not function.class_name or function.name not in ("process_resource", "process_resource_async"):
            continue
        params = [p.name for p in function.params if p.name != "self"]
        if len(params) < 3:
            continue
        gate = _gate(f"{module.module_name}.{function.qualname}", function.body, params[0], params[2])
        if gate is not None:
            found.append(gate)
    return tuple(found)


def _gate(key: str, body: tuple[ir.Stmt, ...], request: str, resource: str) -> ResourceGate | None:
    assigned: dict[str, ir.Expr] = {}
    exits: list[ir.Expr] = []
    only_if: list[ir.Expr] = []
    for stmt in body:
        if isinstance(stmt, ir.Assign) and stmt.op is None and stmt.value is not None and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ir.Name):
            assigned.setdefault(stmt.targets[0].id, stmt.value)  # the first binding: what the tests below read
        elif isinstance(stmt, ir.If) and _reads(stmt.test, resource, assigned):
            if _only_returns(stmt.body) and not stmt.orelse:
                exits.append(stmt.test)
            elif not stmt.orelse and stmt is body[-1]:
                only_if.append(stmt.test)  # the check is the last thing it does, under this test
    tests = [s.test for s in ir.walk_stmts(body) if isinstance(s, ir.If) and _reads(s.test, resource, assigned)]
    if not tests:
        return None
    bindings = [t.id for s in ir.walk_stmts(body) if isinstance(s, ir.Assign) for t in s.targets
                if isinstance(t, ir.Name) and t.id in assigned]
    # every test reading the resource is one read here, and no name they read is bound twice
    read = len(tests) == len(exits) + len(only_if) and len(bindings) == len(set(bindings))
    return ResourceGate(key, resource, request, tuple(assigned.items()), tuple(exits), tuple(only_if), read)


def _only_returns(body: tuple[ir.Stmt, ...]) -> bool:
    return len(body) == 1 and isinstance(body[0], ir.Return)


def _reads(test: ir.Expr, name: str, assigned: Mapping[str, ir.Expr], depth: int = 0) -> bool:
    for node in ir.walk_expr(test):
        if isinstance(node, ir.Name) and (node.id == name or depth < 4 and node.id in assigned
                                          and _reads(assigned[node.id], name, assigned, depth + 1)):
            return True
    return False


def declared_attributes(module: ir.Module) -> tuple[DeclaredAttributes, ...]:
    """Every class's class-level attributes (`auth_required = False`, `auth = {...}`)."""
    found = []
    for cls in module.classes:
        attributes: dict[str, ir.Expr | None] = {}
        for stmt in cls.body:
            if isinstance(stmt, ir.Assign) and stmt.value is not None:
                for target in stmt.targets:
                    if isinstance(target, ir.Name):
                        attributes[target.id] = stmt.value if stmt.op is None and _literal(stmt.value) else None
        if attributes:
            found.append(DeclaredAttributes(f"{module.module_name}.{cls.qualname}", tuple(attributes.items())))
    return tuple(found)


def _literal(expr: ir.Expr) -> bool:
    if isinstance(expr, ir.Const):
        return True
    if isinstance(expr, ir.Seq):
        return all(_literal(e) for e in expr.elts)
    if isinstance(expr, ir.DictExpr):
        return all(k is not None and _literal(k) for k in expr.keys) and all(_literal(v) for v in expr.values)
    return False


_UNKNOWN = object()
_RESOURCE = object()  # the resource instance itself: never None, never equal to a literal


def passes(gate: ResourceGate, attributes: Mapping[str, ir.Expr | None] | None, method: str) -> bool | None:
    """Whether the gate lets a resource declaring `attributes` (every class of its ancestry read;
    None when not) through unchecked for `method`; None when the review cannot tell."""
    if not gate.read or attributes is None:
        return None
    scope = _Scope(gate, attributes, method)
    values = [scope.truth(test) for test in gate.exits] + [_negate(scope.truth(t)) for t in gate.only_if]
    if True in values:
        return True
    return None if None in values else False


def _negate(value: bool | None) -> bool | None:
    return None if value is None else not value


@dataclass(frozen=True, slots=True)
class _Scope:
    gate: ResourceGate
    attributes: Mapping[str, ir.Expr | None]
    method: str

    def truth(self, test: ir.Expr) -> bool | None:
        value = self.value(test, 0)
        if value is _UNKNOWN:
            return None
        return True if value is _RESOURCE else bool(value)

    def value(self, expr: ir.Expr, depth: int) -> object:
        if depth > 8:
            return _UNKNOWN
        if isinstance(expr, ir.Const):
            return expr.value
        if isinstance(expr, ir.Seq):
            items = [self.value(e, depth + 1) for e in expr.elts]
            return _UNKNOWN if any(i is _UNKNOWN or i is _RESOURCE for i in items) else tuple(items)
        if isinstance(expr, ir.DictExpr):
            keys = [self.value(k, depth + 1) if k is not None else _UNKNOWN for k in expr.keys]
            values = [self.value(v, depth + 1) for v in expr.values]
            if any(x is _UNKNOWN or x is _RESOURCE for x in keys + values):
                return _UNKNOWN
            try:
                return dict(zip(keys, values))
            except TypeError:  # an unhashable key
                return _UNKNOWN
        if isinstance(expr, ir.Name):
            if expr.id == self.gate.resource:
                return _RESOURCE
            bound = dict(self.gate.locals).get(expr.id)
            return self.value(bound, depth + 1) if bound is not None else _UNKNOWN
        if isinstance(expr, ir.Attr):
            if isinstance(expr.value, ir.Name) and expr.value.id == self.gate.request and expr.attr == "method":
                return self.method
            if self.value(expr.value, depth + 1) is _RESOURCE:
                return self._attribute(expr.attr, None, depth)
            return _UNKNOWN
        if isinstance(expr, ir.Call):
            return self._call(expr, depth)
        if isinstance(expr, ir.Unary) and expr.op == "not":
            inner = self.value(expr.operand, depth + 1)
            return _UNKNOWN if inner is _UNKNOWN else inner is not _RESOURCE and not inner
        if isinstance(expr, ir.BoolOp):
            return self._bool(expr, depth)
        if isinstance(expr, ir.Compare) and len(expr.ops) == 1:
            return _compare(expr.ops[0], self.value(expr.left, depth + 1), self.value(expr.comparators[0], depth + 1))
        return _UNKNOWN

    def _attribute(self, name: str, default: ir.Expr | None, depth: int) -> object:
        if name in self.attributes:
            literal = self.attributes[name]
            return self.value(literal, depth + 1) if literal is not None else _UNKNOWN
        return self.value(default, depth + 1) if default is not None else _UNKNOWN

    def _call(self, call: ir.Call, depth: int) -> object:
        name = ir.dotted_name(call.func) or ""
        first = call.arg(0)
        attr = call.arg(1)
        if name in ("getattr", "hasattr") and first is not None and self.value(first, depth + 1) is _RESOURCE \
                and isinstance(attr, ir.Const) and isinstance(attr.value, str):
            if name == "hasattr":
                return attr.value in self.attributes
            return self._attribute(attr.value, call.arg(2), depth)  # no default: an undeclared one raises
        if isinstance(call.func, ir.Attr) and call.func.attr == "get" and first is not None:
            held = self.value(call.func.value, depth + 1)
            key = self.value(first, depth + 1)
            default = self.value(call.arg(1), depth + 1) if call.arg(1) is not None else None
            if isinstance(held, dict) and key is not _UNKNOWN and default is not _UNKNOWN:
                try:
                    return held.get(key, default)
                except TypeError:
                    return _UNKNOWN
        return _UNKNOWN

    def _bool(self, expr: ir.BoolOp, depth: int) -> object:
        """`a or b` is the first truthy operand (else the last), `a and b` the first falsy one."""
        decisive = expr.op == "or"
        values = [self.value(v, depth + 1) for v in expr.values]
        truths = [None if v is _UNKNOWN else (True if v is _RESOURCE else bool(v)) for v in values]
        for index, truth in enumerate(truths):
            if truth is None:  # the whole is decided only by a later operand that decides it
                return decisive if decisive in truths[index:] else _UNKNOWN
            if truth is decisive:
                return values[index]
        return values[-1]


def _compare(op: str, left: object, right: object) -> object:
    if left is _UNKNOWN or right is _UNKNOWN:
        return _UNKNOWN
    if left is _RESOURCE or right is _RESOURCE:
        other = right if left is _RESOURCE else left
        if op in ("is", "==") and other is None:
            return False
        if op in ("is not", "!=") and other is None:
            return True
        return _UNKNOWN
    try:
        if op == "in":
            return left in right  # type: ignore[operator]
        if op == "not in":
            return left not in right  # type: ignore[operator]
    except TypeError:
        return _UNKNOWN
    if op in ("is", "is not"):  # literals: None, True and False are the ones `is` compares
        same = left == right and type(left) is type(right)
        return same if op == "is" else not same
    return {"==": left == right, "!=": left != right}.get(op, _UNKNOWN)


def read_attributes(gate: ResourceGate) -> tuple[str, ...]:
    """The resource attributes the gate's tests (and the names they read) look up, for evidence."""
    exprs = list(gate.exits) + list(gate.only_if) + [value for _, value in gate.locals]
    found: list[str] = []
    for expr in exprs:
        for node in ir.walk_expr(expr):
            if isinstance(node, ir.Call) and ir.dotted_name(node.func) in ("getattr", "hasattr") \
                    and isinstance(node.arg(0), ir.Name) and node.arg(0).id == gate.resource \
                    and isinstance(node.arg(1), ir.Const) and isinstance(node.arg(1).value, str):  # type: ignore[union-attr]
                found.append(node.arg(1).value)  # type: ignore[union-attr]
            elif isinstance(node, ir.Attr) and isinstance(node.value, ir.Name) and node.value.id == gate.resource:
                found.append(node.attr)
    return tuple(dict.fromkeys(found))


def inherited(chain: Sequence[str], declared: Mapping[str, Mapping[str, ir.Expr | None]]) -> dict[str, ir.Expr | None]:
    """A class's attributes over its ancestry (`chain`: the class first, then its bases in
    Python's lookup order): the nearest class declaring a name wins."""
    found: dict[str, ir.Expr | None] = {}
    for key in chain:
        for name, value in declared.get(key, {}).items():
            found.setdefault(name, value)
    return found
