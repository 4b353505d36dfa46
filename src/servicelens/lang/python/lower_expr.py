"""Expressions: tree-sitter Python nodes to IR expressions."""
from __future__ import annotations

from typing import Callable

from tree_sitter import Node

from servicelens import ir
from servicelens.lang.python import fields
from servicelens.lang.python.fields import kind_ids
from servicelens.lang.python.source_text import SourceText
from servicelens.lang.python.strings import decode_content, literal_prefix, to_value

_BINARY_OPS = {"+", "-", "*", "/", "//", "%", "**", "@", "|", "&", "^", "<<", ">>"}


def _pos(node: Node) -> tuple[int, int]:
    row, col = node.start_point
    return row + 1, col


class ExprLowerer:
    """Stateless apart from `pending`: walrus assignments found while lowering, which the
    statement lowerer emits before the statement that contains them."""

    def __init__(self, source: SourceText) -> None:
        self.text = source.text
        self.pending: list[ir.Assign] = []

    def _token(self, node: Node) -> str:
        """An operator keyword or symbol: an anonymous node's type is its text, so nothing is
        decoded (a third of all text reads while lowering arithmetic-heavy code are operators).
        Two-word operators (`not in`, `is not`) are aliases whose text keeps the source's spacing."""
        kind = node.type
        return kind if " " not in kind else self.text(node)

    def lower(self, node: Node) -> ir.Expr:
        handler = _BY_KIND_ID.get(node.kind_id)
        if handler is not None:
            return handler(self, node)
        line, col = _pos(node)
        return ir.Opaque(line, col, node.type, tuple(self.lower(c) for c in node.named_children
                                                     if c.type != "comment"))

    # -- atoms
    def _name(self, node: Node) -> ir.Expr:
        row, col = node.start_point
        return ir.Name(row + 1, col, self.text(node))

    def _integer(self, node: Node) -> ir.Expr:
        raw = self.text(node).replace("_", "").lower()
        try:
            value: object = int(raw, 0) if not raw.endswith(("j", "l")) else raw
        except ValueError:
            value = raw
        return ir.Const(*_pos(node), value)

    def _float(self, node: Node) -> ir.Expr:
        raw = self.text(node).replace("_", "")
        try:
            value: object = float(raw)
        except ValueError:
            value = raw
        return ir.Const(*_pos(node), value)

    def _true(self, node: Node) -> ir.Expr:
        return ir.Const(*_pos(node), True)

    def _false(self, node: Node) -> ir.Expr:
        return ir.Const(*_pos(node), False)

    def _none(self, node: Node) -> ir.Expr:
        return ir.Const(*_pos(node), None)

    def _ellipsis(self, node: Node) -> ir.Expr:
        return ir.Const(*_pos(node), Ellipsis)

    def _string(self, node: Node) -> ir.Expr:
        # `children`, not `named_children`: the tokens are told apart by type below anyway,
        # and the plain list is cheaper to get from tree-sitter
        children = node.children
        prefix = literal_prefix(self.text(children[0])) if children else ""
        line, col = _pos(node)
        parts: list[ir.Expr] = []
        chunks: list[str] = []
        for child in children:
            kind = child.type
            if kind == "string_content" or kind == "escape_sequence":
                chunks.append(decode_content(self.text(child), prefix))
            elif kind == "interpolation":
                if chunks:
                    parts.append(ir.Const(line, col, "".join(chunks)))
                    chunks = []
                inner = child.child_by_field_id(fields.EXPRESSION)
                if inner is None and child.named_child_count:
                    inner = child.named_children[0]
                if inner is not None:
                    parts.append(self._converted(child, self.lower(inner)))
        if not parts:
            return ir.Const(line, col, to_value("".join(chunks), prefix))
        if not any(not isinstance(p, ir.Const) for p in parts):
            text = "".join(str(p.value) for p in parts if isinstance(p, ir.Const)) + "".join(chunks)
            return ir.Const(line, col, to_value(text, prefix))
        if chunks:
            parts.append(ir.Const(line, col, "".join(chunks)))
        return ir.FormattedString(line, col, tuple(parts))

    def _converted(self, interpolation: Node, inner: ir.Expr) -> ir.Expr:
        """`{x!r}` formats `repr(x)` and `{x!a}` `ascii(x)`: lowered as that call, so what the
        conversion escapes (a quote, CR and LF) is escaped for every reader of the IR."""
        for child in interpolation.children:
            if child.type == "type_conversion" and self.text(child) in ("!r", "!a"):
                name = "repr" if self.text(child) == "!r" else "ascii"
                line, col = _pos(interpolation)
                return ir.Call(line, col, ir.Name(line, col, name), (inner,), (), line)
        return inner

    def _concat(self, node: Node) -> ir.Expr:
        pieces = [self._string(c) for c in node.named_children if c.type == "string"]
        if all(isinstance(p, ir.Const) for p in pieces):
            values = [p.value for p in pieces if isinstance(p, ir.Const)]
            if all(isinstance(v, bytes) for v in values):
                return ir.Const(*_pos(node), b"".join(v for v in values if isinstance(v, bytes)))
            return ir.Const(*_pos(node), "".join(str(v) for v in values))
        parts: list[ir.Expr] = []
        for piece in pieces:
            parts.extend(piece.parts if isinstance(piece, ir.FormattedString) else (piece,))
        return ir.FormattedString(*_pos(node), tuple(parts))

    # -- access and calls
    def _attribute(self, node: Node) -> ir.Expr:
        obj = node.child_by_field_id(fields.OBJECT)
        attr = node.child_by_field_id(fields.ATTRIBUTE)
        return ir.Attr(*_pos(node), self.lower(obj) if obj else ir.Opaque(*_pos(node), "missing", ()),
                       self.text(attr) if attr else "")

    def _subscript(self, node: Node) -> ir.Expr:
        value = node.child_by_field_id(fields.VALUE)
        indexes = [c for i, c in enumerate(node.children)
                   if node.field_name_for_child(i) == "subscript"]
        index: ir.Expr
        if len(indexes) == 1:
            index = self.lower(indexes[0])
        else:
            index = ir.Seq(*_pos(node), "tuple", tuple(self.lower(c) for c in indexes))
        base = self.lower(value) if value is not None else ir.Opaque(*_pos(node), "missing", ())
        return ir.Subscript(*_pos(node), base, index)

    def _call(self, node: Node) -> ir.Expr:
        func = node.child_by_field_id(fields.FUNCTION)
        arguments = node.child_by_field_id(fields.ARGUMENTS)
        args: list[ir.Expr] = []
        kwargs: list[ir.Keyword] = []
        if arguments is not None and arguments.type == "generator_expression":
            args.append(self.lower(arguments))
        elif arguments is not None:
            for child in arguments.named_children:
                if child.type == "keyword_argument":
                    name = child.child_by_field_id(fields.NAME)
                    value = child.child_by_field_id(fields.VALUE)
                    kwargs.append(ir.Keyword(self.text(name) if name else None,
                                             self.lower(value) if value else ir.Const(*_pos(child), None)))
                elif child.type == "dictionary_splat":
                    inner = child.named_children[0] if child.named_child_count else child
                    kwargs.append(ir.Keyword(None, self.lower(inner)))
                elif child.type != "comment":
                    args.append(self.lower(child))
        callee = self.lower(func) if func is not None else ir.Opaque(*_pos(node), "missing", ())
        return ir.Call(*_pos(node), callee, tuple(args), tuple(kwargs), node.end_point[0] + 1)

    def _kwarg_expr(self, node: Node) -> ir.Expr:
        value = node.child_by_field_id(fields.VALUE)
        return self.lower(value) if value is not None else ir.Const(*_pos(node), None)

    # -- operators
    def _binary(self, node: Node) -> ir.Expr:
        left = node.child_by_field_id(fields.LEFT)
        right = node.child_by_field_id(fields.RIGHT)
        op = node.child_by_field_id(fields.OPERATOR)
        return ir.BinOp(*_pos(node), self._token(op) if op else "?", self.lower(left), self.lower(right))  # type: ignore[arg-type]

    def _boolean(self, node: Node) -> ir.Expr:
        op = self._token(node.child_by_field_id(fields.OPERATOR))  # type: ignore[arg-type]
        values: list[ir.Expr] = []
        for side in (fields.LEFT, fields.RIGHT):
            child = node.child_by_field_id(side)
            if child is None:
                continue
            lowered = self.lower(child)
            if isinstance(lowered, ir.BoolOp) and lowered.op == op:
                values.extend(lowered.values)
            else:
                values.append(lowered)
        return ir.BoolOp(*_pos(node), op, tuple(values))

    def _compare(self, node: Node) -> ir.Expr:
        operands: list[ir.Expr] = []
        ops: list[str] = []
        pending_op: list[str] = []
        for child in node.children:
            if child.is_named and child.type != "comment":
                if pending_op:
                    ops.append(" ".join(pending_op))
                    pending_op = []
                operands.append(self.lower(child))
            elif not child.is_named:
                pending_op.append(self._token(child))
        if not operands:
            return ir.Opaque(*_pos(node), "compare", ())
        return ir.Compare(*_pos(node), operands[0], tuple(ops), tuple(operands[1:]))

    def _not(self, node: Node) -> ir.Expr:
        arg = node.child_by_field_id(fields.ARGUMENT)
        return ir.Unary(*_pos(node), "not", self.lower(arg) if arg else ir.Const(*_pos(node), None))

    def _unary(self, node: Node) -> ir.Expr:
        arg = node.child_by_field_id(fields.ARGUMENT)
        op = node.child_by_field_id(fields.OPERATOR)
        operand = self.lower(arg) if arg else ir.Const(*_pos(node), None)
        if isinstance(operand, ir.Const) and isinstance(operand.value, (int, float)) and op is not None:
            sign = self._token(op)
            if sign == "-":
                return ir.Const(*_pos(node), -operand.value)
            if sign == "+":
                return operand
        return ir.Unary(*_pos(node), self._token(op) if op else "?", operand)

    # -- containers
    def _seq(self, node: Node) -> ir.Expr:
        kind = {"list": "list", "set": "set", "list_pattern": "list"}.get(node.type, "tuple")
        return ir.Seq(*_pos(node), kind, tuple(self.lower(c) for c in node.named_children
                                                if c.type != "comment"))

    def _dict(self, node: Node) -> ir.Expr:
        keys: list[ir.Expr | None] = []
        values: list[ir.Expr] = []
        for child in node.named_children:
            if child.type == "pair":
                key = child.child_by_field_id(fields.KEY)
                value = child.child_by_field_id(fields.VALUE)
                keys.append(self.lower(key) if key else None)
                values.append(self.lower(value) if value else ir.Const(*_pos(child), None))
            elif child.type == "dictionary_splat":
                keys.append(None)
                inner = child.named_children[0] if child.named_child_count else child
                values.append(self.lower(inner))
        return ir.DictExpr(*_pos(node), tuple(keys), tuple(values))

    def _ifexp(self, node: Node) -> ir.Expr:
        parts = [c for c in node.named_children if c.type != "comment"]
        if len(parts) != 3:
            return ir.Opaque(*_pos(node), "ifexp", tuple(self.lower(p) for p in parts))
        body, test, orelse = (self.lower(p) for p in parts)
        return ir.IfExp(*_pos(node), test, body, orelse)

    def _lambda(self, node: Node) -> ir.Expr:
        from servicelens.lang.python.params import lower_params

        params = node.child_by_field_id(fields.PARAMETERS)
        body = node.child_by_field_id(fields.BODY)
        lowered_params = lower_params(params, self) if params is not None else ()
        return ir.Lambda(*_pos(node), lowered_params,
                         self.lower(body) if body else ir.Const(*_pos(node), None))

    def _await(self, node: Node) -> ir.Expr:
        inner = node.named_children[0] if node.named_child_count else None
        return ir.Await(*_pos(node), self.lower(inner) if inner else ir.Const(*_pos(node), None))

    def _comp(self, node: Node) -> ir.Expr:
        kind = {"list_comprehension": "list", "set_comprehension": "set",
                "dictionary_comprehension": "dict"}.get(node.type, "generator")
        body = node.child_by_field_id(fields.BODY)
        targets: list[ir.Expr] = []
        iters: list[ir.Expr] = []
        conds: list[ir.Expr] = []
        for child in node.named_children:
            if child.type == "for_in_clause":
                left = child.child_by_field_id(fields.LEFT)
                right = child.child_by_field_id(fields.RIGHT)
                if left is not None:
                    targets.append(self.lower(left))
                if right is not None:
                    iters.append(self.lower(right))
            elif child.type == "if_clause" and child.named_child_count:
                conds.append(self.lower(child.named_children[0]))
        elt: ir.Expr
        value: ir.Expr | None = None
        if body is not None and body.type == "pair":
            key = body.child_by_field_id(fields.KEY)
            val = body.child_by_field_id(fields.VALUE)
            elt = self.lower(key) if key else ir.Const(*_pos(node), None)
            value = self.lower(val) if val else None
        else:
            elt = self.lower(body) if body else ir.Const(*_pos(node), None)
        return ir.Comprehension(*_pos(node), kind, elt, value, tuple(targets), tuple(iters), tuple(conds))

    def _paren(self, node: Node) -> ir.Expr:
        inner = [c for c in node.named_children if c.type != "comment"]
        if len(inner) == 1:
            return self.lower(inner[0])
        return ir.Opaque(*_pos(node), node.type, tuple(self.lower(c) for c in inner))

    def _walrus(self, node: Node) -> ir.Expr:
        name = node.child_by_field_id(fields.NAME)
        value = node.child_by_field_id(fields.VALUE)
        lowered = self.lower(value) if value else ir.Const(*_pos(node), None)
        if name is not None:
            line = _pos(node)[0]
            self.pending.append(ir.Assign(line, line, (self._name(name),), lowered))
            return self._name(name)
        return lowered

    def _splat(self, node: Node) -> ir.Expr:
        inner = node.named_children[0] if node.named_child_count else None
        value = self.lower(inner) if inner else ir.Const(*_pos(node), None)
        return ir.Starred(*_pos(node), value, node.type.startswith("dictionary"))

    def _as_pattern(self, node: Node) -> ir.Expr:
        inner = node.named_children[0] if node.named_child_count else None
        return self.lower(inner) if inner else ir.Const(*_pos(node), None)


# node type -> the ExprLowerer method that lowers it (looked up by grammar kind id, see below)
_HANDLER_NAMES: dict[str, str] = {
    "identifier": "_name", "attribute": "_attribute", "subscript": "_subscript",
    "call": "_call", "string": "_string", "concatenated_string": "_concat",
    "integer": "_integer", "float": "_float", "true": "_true",
    "false": "_false", "none": "_none", "binary_operator": "_binary",
    "boolean_operator": "_boolean", "comparison_operator": "_compare",
    "not_operator": "_not", "unary_operator": "_unary",
    "list": "_seq", "tuple": "_seq", "set": "_seq", "expression_list": "_seq",
    "pattern_list": "_seq", "tuple_pattern": "_seq", "list_pattern": "_seq",
    "dictionary": "_dict", "conditional_expression": "_ifexp",
    "lambda": "_lambda", "await": "_await",
    "list_comprehension": "_comp", "set_comprehension": "_comp",
    "generator_expression": "_comp", "dictionary_comprehension": "_comp",
    "parenthesized_expression": "_paren", "named_expression": "_walrus",
    "list_splat": "_splat", "dictionary_splat": "_splat",
    "list_splat_pattern": "_splat", "dictionary_splat_pattern": "_splat",
    "as_pattern": "_as_pattern", "type": "_paren", "keyword_argument": "_kwarg_expr",
    "ellipsis": "_ellipsis",
}

# by kind id, once for every lowerer: `node.kind_id` is a small cached int where `node.type`
# builds a new string (and hashes it) on every call, once per node lowered
_BY_KIND_ID: dict[int, Callable[[ExprLowerer, Node], ir.Expr]] = {
    kind: getattr(ExprLowerer, method) for name, method in _HANDLER_NAMES.items() for kind in kind_ids(name)}
