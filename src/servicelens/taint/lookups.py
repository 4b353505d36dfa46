"""Lookups that raise unless a stored row matches: after one, the key it was given is a stored key.

`order = Order.objects.get(pk=order_id)` (Django raises DoesNotExist), `get_object_or_404(Order,
uuid=ref)`, `Order.query.get_or_404(order_id)`: the statements after it run only when a row has
that key, so `order_id` is no longer text of the client's choosing but an identifier the server
stored. The key may be given to the lookup or to a filter it is chained on
(`Order.objects.filter(pk=order_id).get()`). Only key fields count (`pk`, `id`, `uuid`, `*_id`, through relations: `owner__id`): a row
matched by `name=` holds whatever some user once typed. Which calls raise is library knowledge
(`raising_lookups` in models/python/*.yaml).
"""
from __future__ import annotations

import re
from typing import Callable, Container

from servicelens import ir
from servicelens.taint.models import LookupSpec, ModelIndex

_KEY_FIELD = re.compile(r"^(?:\w+__)?(?:pk|id|uuid|\w+_id|\w+_uuid|\w+_pk)$")


def key_field(name: str) -> bool:
    """`pk`, `id`, `uuid`, `order_id`, `owner__id`: a field that names a row by its key."""
    return bool(_KEY_FIELD.match(name))


def looked_up_keys(expr: ir.Expr, models: ModelIndex, qualify: Callable[[ir.Expr], str | None]) -> tuple[str, ...]:
    """The local names a raising lookup in `expr` (the whole value of a statement, awaited or not)
    matched against a stored key field."""
    if isinstance(expr, ir.Await):
        expr = expr.value
    if not isinstance(expr, ir.Call):
        return ()
    spec = _spec(expr, models, qualify)
    if spec is None:
        return ()
    names = [kw.value.id for call in _chain_calls(expr) for kw in call.kwargs
             if kw.name and key_field(kw.name) and isinstance(kw.value, ir.Name)]
    names.extend(arg.id for index, arg in enumerate(expr.args)
                 if index in spec.args and isinstance(arg, ir.Name) and not arg.id[:1].isupper())
    return tuple(names)


def _spec(call: ir.Call, models: ModelIndex, qualify: Callable[[ir.Expr], str | None]) -> LookupSpec | None:
    qualified = qualify(call.func)
    if qualified and qualified in models.call_lookups:
        return models.call_lookups[qualified]
    if not isinstance(call.func, ir.Attr):
        return None
    spec = models.method_lookups.get(call.func.attr)
    if spec is None or (spec.receiver_attr and not chained_through(call.func.value, (spec.receiver_attr,))):
        return None
    return spec


def _chain_calls(call: ir.Call) -> list[ir.Call]:
    """The lookup and the calls it is chained on (`Order.query.filter_by(id=x).first_or_404()`):
    the key may be given to any filter of the chain."""
    calls = []
    node: ir.Expr | None = call
    while isinstance(node, (ir.Call, ir.Attr)):
        if isinstance(node, ir.Call):
            calls.append(node)
            node = node.func
        else:
            node = node.value
    return calls


def chained_through(expr: ir.Expr, attrs: Container[str]) -> bool:
    """A call/attribute chain that passes through one of `attrs`: `Order.objects.filter(shop=shop)`
    goes through `.objects`, `session.query(...).first()` through `.query`."""
    node: ir.Expr = expr
    while True:
        if isinstance(node, ir.Attr):
            if node.attr in attrs:
                return True
            node = node.value
        elif isinstance(node, ir.Call):
            node = node.func
        else:
            return False


def registry_lookup(value: ir.Expr) -> tuple[ir.Expr, str] | None:
    """`REGISTRY.get(table)` -> (REGISTRY, "table"): a value looked up by the client's key in a
    container; the caller decides whether the container is the server's own (constant)."""
    if isinstance(value, ir.Await):
        value = value.value
    if isinstance(value, ir.Call) and isinstance(value.func, ir.Attr) and value.func.attr == "get" \
            and len(value.args) == 1 and not value.kwargs and isinstance(value.args[0], ir.Name):
        return value.func.value, value.args[0].id
    return None


def subscript_key(value: ir.Expr) -> tuple[ir.Expr, str] | None:
    """`HANDLERS[kind]` -> (HANDLERS, "kind"): raises KeyError (or IndexError) unless the key is
    one the container has."""
    if isinstance(value, ir.Subscript) and isinstance(value.index, ir.Name):
        return value.value, value.index.id
    return None


def found_branch(test: ir.Expr, found_by: dict[str, str]) -> tuple[str, bool] | None:
    """`if handler is None:` after `handler = REGISTRY.get(table)`: ("table", False), the key a
    constant registry has in the branch where the lookup found something (here the else branch;
    True for the body: `if handler:`, `if handler is not None:`)."""
    if isinstance(test, ir.Name) and test.id in found_by:
        return found_by[test.id], True
    if isinstance(test, ir.Unary) and test.op == "not" and isinstance(test.operand, ir.Name) \
            and test.operand.id in found_by:
        return found_by[test.operand.id], False
    if isinstance(test, ir.Compare) and len(test.ops) == 1 and isinstance(test.left, ir.Name) \
            and test.left.id in found_by and isinstance(test.comparators[0], ir.Const) \
            and test.comparators[0].value is None and test.ops[0] in ("is", "is not", "==", "!="):
        return found_by[test.left.id], test.ops[0] in ("is not", "!=")
    return None
