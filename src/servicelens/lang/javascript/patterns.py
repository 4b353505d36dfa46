"""Destructuring: a binding pattern and the value it takes apart, as plain assignments.

`const { id, name: n = 'x', ...rest } = req.params` binds `id = req.params.id`,
`n = req.params.name or 'x'` and `rest = req.params`; `[a, b] = pair` binds `a = pair[0]`,
`b = pair[1]`. The engine then follows each name from the attribute it was read from,
as it does for Python's `id = request.args["id"]`.
"""
from __future__ import annotations

from tree_sitter import Node

from servicelens import ir
from servicelens.lang.javascript.lower_expr import ExprLowerer, pos, text_of

_NAME_PATTERNS = frozenset({"identifier", "shorthand_property_identifier_pattern"})


def bindings(pattern: Node, value: ir.Expr, exprs: ExprLowerer) -> list[tuple[ir.Expr, ir.Expr]]:
    """(target, value) pairs, in source order, for every name the pattern binds."""
    kind = pattern.type
    if kind in _NAME_PATTERNS:
        return [(ir.Name(*pos(pattern), text_of(pattern)), value)]
    if kind in ("member_expression", "subscript_expression"):
        return [(exprs.lower(pattern), value)]
    if kind == "object_pattern":
        return _object(pattern, value, exprs)
    if kind == "array_pattern":
        return _array(pattern, value, exprs)
    if kind in ("assignment_pattern", "object_assignment_pattern"):
        left = pattern.child_by_field_name("left")
        right = pattern.child_by_field_name("right")
        if left is None:
            return []
        if right is not None:
            value = ir.BoolOp(*pos(pattern), "or", (value, exprs.lower(right)))
        return bindings(left, value, exprs)
    if kind == "rest_pattern":
        inner = [c for c in pattern.named_children if c.type != "comment"]
        return bindings(inner[0], value, exprs) if inner else []
    if kind in ("required_parameter", "optional_parameter"):
        inner = pattern.child_by_field_name("pattern")
        return bindings(inner, value, exprs) if inner is not None else []
    return []


def _object(pattern: Node, value: ir.Expr, exprs: ExprLowerer) -> list[tuple[ir.Expr, ir.Expr]]:
    out: list[tuple[ir.Expr, ir.Expr]] = []
    for child in pattern.named_children:
        kind = child.type
        if kind == "shorthand_property_identifier_pattern":
            name = text_of(child)
            out.append((ir.Name(*pos(child), name), ir.Attr(*pos(child), value, name)))
        elif kind == "object_assignment_pattern":
            left = child.child_by_field_name("left")
            if left is not None:
                read = ir.Attr(*pos(child), value, text_of(left))
                out.extend(bindings(child, read, exprs))
        elif kind == "pair_pattern":
            key = exprs.property_key(child.child_by_field_name("key"), child)
            target = child.child_by_field_name("value")
            if target is None:
                continue
            if isinstance(key, ir.Const) and isinstance(key.value, str):
                read: ir.Expr = ir.Attr(*pos(child), value, key.value)
            else:
                read = ir.Subscript(*pos(child), value, key)
            out.extend(bindings(target, read, exprs))
        elif kind == "rest_pattern":
            out.extend(bindings(child, value, exprs))
    return out


def _array(pattern: Node, value: ir.Expr, exprs: ExprLowerer) -> list[tuple[ir.Expr, ir.Expr]]:
    out: list[tuple[ir.Expr, ir.Expr]] = []
    index = 0
    for child in pattern.children:
        if child.type == ",":
            index += 1
        elif child.type == "rest_pattern":
            out.extend(bindings(child, value, exprs))
        elif child.is_named and child.type != "comment":
            read = ir.Subscript(*pos(child), value, ir.Const(*pos(child), index))
            out.extend(bindings(child, read, exprs))
    return out
