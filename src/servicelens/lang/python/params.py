"""Function and lambda parameters."""
from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node

from servicelens import ir
from servicelens.lang.python import fields

if TYPE_CHECKING:
    from servicelens.lang.python.lower_expr import ExprLowerer


def lower_params(node: Node, exprs: ExprLowerer) -> tuple[ir.Param, ...]:
    params: list[ir.Param] = []
    keyword_only = False
    for child in node.named_children:
        line = child.start_point[0] + 1
        kind = child.type
        if kind == "identifier":
            params.append(ir.Param(line, exprs.text(child), "keyword" if keyword_only else "positional"))
        elif kind in ("typed_parameter", "default_parameter", "typed_default_parameter"):
            params.append(_one(child, exprs, keyword_only))
        elif kind == "list_splat_pattern":
            keyword_only = True
            params.append(ir.Param(line, _first_identifier(child, exprs), "vararg"))
        elif kind == "dictionary_splat_pattern":
            params.append(ir.Param(line, _first_identifier(child, exprs), "kwarg"))
        elif kind == "keyword_separator":
            keyword_only = True
    return tuple(params)


def _one(child: Node, exprs: ExprLowerer, keyword_only: bool) -> ir.Param:
    line = child.start_point[0] + 1
    name_node = child.child_by_field_id(fields.NAME)
    type_node = child.child_by_field_id(fields.TYPE)
    value_node = child.child_by_field_id(fields.VALUE)
    kind = "keyword" if keyword_only else "positional"
    if name_node is None:  # typed_parameter keeps the name as first child
        inner = child.named_children[0] if child.named_child_count else None
        if inner is not None and inner.type == "list_splat_pattern":
            kind, name = "vararg", _first_identifier(inner, exprs)
        elif inner is not None and inner.type == "dictionary_splat_pattern":
            kind, name = "kwarg", _first_identifier(inner, exprs)
        else:
            name = exprs.text(inner) if inner is not None else "_"
    else:
        name = exprs.text(name_node)
    return ir.Param(
        line, name, kind,
        default=exprs.lower(value_node) if value_node is not None else None,
        annotation=exprs.lower(type_node) if type_node is not None else None,
    )


def _first_identifier(node: Node, exprs: ExprLowerer) -> str:
    for child in node.named_children:
        if child.type == "identifier":
            return exprs.text(child)
    return "_"
