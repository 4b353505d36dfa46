r"""Expressions: tree-sitter JavaScript/TypeScript nodes to IR expressions.

What JS has and Python does not is mapped onto what the engine already follows:
`a?.b` is `a.b` (the engine tracks values, not nullness), `new X(a)` is the call `X(a)`,
`this` is `self` (so method resolution by class works unchanged), `&&` / `||` / `??` are
`and` / `or`, `===` is `==`, a template literal is a FormattedString and a tagged template
`sql\`...\`` the call `sql(<template>)`. A function written inside an expression (an arrow
function passed to `router.get`, a `.then` callback) is lowered as its own ir.Function by
the statement lowerer and appears here as a Name bound to its qualname, so flow can follow
it like a Python function passed by name. TypeScript-only wrappers (`x as T`, `x!`,
`<T>x`, `x satisfies T`, `f<T>`) are dropped around their expression.
"""
from __future__ import annotations

from typing import Callable

from tree_sitter import Node

from servicelens import ir

_BOOL_OPS = {"&&": "and", "||": "or", "??": "or"}
_COMPARE_OPS = {"===": "==", "!==": "!=", "==": "==", "!=": "!=", "<": "<", ">": ">", "<=": "<=",
                ">=": ">=", "in": "in", "instanceof": "instanceof"}
_UNARY_OPS = {"!": "not", "-": "-", "+": "+", "~": "~", "typeof": "typeof", "void": "void", "delete": "delete"}
_FUNCTION_KINDS = frozenset({"arrow_function", "function_expression", "function", "generator_function"})
# `f<T>` (an instantiation expression) is `f`: the grammar also reads a generic tagged template
# (`sql<Row[]>\`select ...\``, `styled.div<P>\`...\``) as one, called with the template
_TS_WRAPPERS = frozenset({"as_expression", "satisfies_expression", "non_null_expression", "type_assertion",
                          "instantiation_expression"})
_TYPE_NODES = frozenset({"type_arguments", "type_annotation", "predefined_type", "type_identifier", "generic_type",
                         "union_type", "object_type", "array_type", "literal_type", "tuple_type", "function_type"})
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}

# lowers a function node found inside an expression, returns the reference standing for it
DefineFunction = Callable[[Node, str | None], ir.Expr]
InlineRequire = Callable[[str, int], str]  # specifier, line -> the local name its module is imported under
INLINE_REQUIRE = "__require_"  # how such a local name starts


def text_of(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text else ""


def pos(node: Node) -> tuple[int, int]:
    row, col = node.start_point
    return row + 1, col


def decode_escape(raw: str) -> str:
    """The character a JS escape sequence stands for; unknown ones stand for themselves."""
    body = raw[1:]
    if body in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[body]
    if body[:1] in ("x", "u"):
        digits = body[1:].strip("{}")
        try:
            return chr(int(digits, 16))
        except ValueError:
            return body
    return body


def _named_types(node: Node | None) -> list[Node]:
    return [c for c in node.named_children if c.type != "comment"] if node is not None else []


class ExprLowerer:
    """Stateless apart from `pending`: assignments written inside an expression
    (`if ((m = re.exec(s)))`), which the statement lowerer emits before the statement."""

    def __init__(self, define_function: DefineFunction, inline_require: InlineRequire | None = None) -> None:
        self.define_function = define_function
        self.inline_require = inline_require
        self.pending: list[ir.Assign] = []
        self._dispatch: dict[str, Callable[[Node], ir.Expr]] = {
            "identifier": self._name, "property_identifier": self._name, "shorthand_property_identifier": self._name,
            "this": self._this, "super": self._name, "undefined": self._null, "null": self._null,
            "true": self._true, "false": self._false, "number": self._number, "string": self._string,
            "template_string": self._template, "regex": self._regex,
            "member_expression": self._member, "subscript_expression": self._subscript,
            "call_expression": self._call, "new_expression": self._new,
            "binary_expression": self._binary, "unary_expression": self._unary,
            "ternary_expression": self._ternary, "parenthesized_expression": self._paren,
            "array": self._array, "object": self._object, "await_expression": self._await,
            "spread_element": self._spread, "assignment_expression": self._assignment,
            "augmented_assignment_expression": self._assignment, "update_expression": self._update,
        }

    def lower(self, node: Node) -> ir.Expr:
        kind = node.type
        handler = self._dispatch.get(kind)
        if handler is not None:
            return handler(node)
        if kind in _FUNCTION_KINDS:
            return self.define_function(node, None)
        if kind in _TS_WRAPPERS:
            inner = [c for c in node.named_children if c.type not in _TYPE_NODES and c.type != "comment"]
            return self.lower(inner[-1 if kind == "type_assertion" else 0]) if inner else ir.Const(*pos(node), None)
        return ir.Opaque(*pos(node), kind, tuple(self.lower(c) for c in node.named_children
                                                 if c.type != "comment" and c.type not in _TYPE_NODES))

    def lower_type(self, node: Node) -> ir.Expr:
        """A TypeScript type as a Python annotation would read: `Request` a Name,
        `express.Request` an Attr, `Promise<User>` the Subscript `Promise[User]`."""
        kind = node.type
        if kind in ("type_identifier", "predefined_type", "identifier"):
            return ir.Name(*pos(node), text_of(node))
        if kind == "nested_type_identifier":
            parts = text_of(node).split(".")
            expr: ir.Expr = ir.Name(*pos(node), parts[0])
            for part in parts[1:]:
                expr = ir.Attr(*pos(node), expr, part)
            return expr
        if kind == "generic_type":
            name = node.child_by_field_name("name")
            arguments = [self.lower_type(c) for c in _named_types(node.child_by_field_name("type_arguments"))]
            base = self.lower_type(name) if name is not None else ir.Opaque(*pos(node), "missing", ())
            index = arguments[0] if len(arguments) == 1 else ir.Seq(*pos(node), "tuple", tuple(arguments))
            return ir.Subscript(*pos(node), base, index)
        return ir.Opaque(*pos(node), kind, tuple(self.lower_type(c) for c in _named_types(node)))

    # -- atoms
    def _name(self, node: Node) -> ir.Expr:
        return ir.Name(*pos(node), text_of(node))

    def _this(self, node: Node) -> ir.Expr:
        return ir.Name(*pos(node), "self")

    def _null(self, node: Node) -> ir.Expr:
        return ir.Const(*pos(node), None)

    def _true(self, node: Node) -> ir.Expr:
        return ir.Const(*pos(node), True)

    def _false(self, node: Node) -> ir.Expr:
        return ir.Const(*pos(node), False)

    def _number(self, node: Node) -> ir.Expr:
        raw = text_of(node).replace("_", "").lower().removesuffix("n")
        value: object
        try:
            value = int(raw, 0) if raw[:2] in ("0x", "0o", "0b") or raw.isdigit() else float(raw)
        except ValueError:
            value = raw
        return ir.Const(*pos(node), value)

    def _string(self, node: Node) -> ir.Expr:
        return ir.Const(*pos(node), self.string_value(node))

    @staticmethod
    def string_value(node: Node) -> str:
        chunks = []
        for child in node.named_children:
            if child.type == "string_fragment":
                chunks.append(text_of(child))
            elif child.type == "escape_sequence":
                chunks.append(decode_escape(text_of(child)))
        return "".join(chunks)

    def _regex(self, node: Node) -> ir.Expr:
        return ir.Const(*pos(node), text_of(node.child_by_field_name("pattern")))

    def _template(self, node: Node) -> ir.Expr:
        parts: list[ir.Expr] = []
        chunks: list[str] = []
        for child in node.named_children:
            if child.type == "string_fragment":
                chunks.append(text_of(child))
            elif child.type == "escape_sequence":
                chunks.append(decode_escape(text_of(child)))
            elif child.type == "template_substitution":
                if chunks:
                    parts.append(ir.Const(*pos(child), "".join(chunks)))
                    chunks = []
                inner = [c for c in child.named_children if c.type != "comment"]
                if inner:
                    parts.append(self.lower(inner[0]))
        if not parts:
            return ir.Const(*pos(node), "".join(chunks))
        if chunks:
            parts.append(ir.Const(*pos(node), "".join(chunks)))
        return ir.FormattedString(*pos(node), tuple(parts))

    # -- access and calls
    def _member(self, node: Node) -> ir.Expr:
        obj = node.child_by_field_name("object")
        prop = node.child_by_field_name("property")
        base = self.lower(obj) if obj is not None else ir.Opaque(*pos(node), "missing", ())
        name = text_of(prop)
        if prop is not None and prop.type == "private_property_identifier":
            name = name.lstrip("#")
        return ir.Attr(*pos(node), base, name)

    def _subscript(self, node: Node) -> ir.Expr:
        obj = node.child_by_field_name("object")
        index = node.child_by_field_name("index")
        base = self.lower(obj) if obj is not None else ir.Opaque(*pos(node), "missing", ())
        lowered = self.lower(index) if index is not None else ir.Const(*pos(node), None)
        if isinstance(lowered, ir.Const) and isinstance(lowered.value, str) and lowered.value.isidentifier():
            return ir.Attr(*pos(node), base, lowered.value)  # obj["name"] reads the property `name`
        return ir.Subscript(*pos(node), base, lowered)

    def arguments(self, node: Node | None) -> tuple[ir.Expr, ...]:
        if node is None:
            return ()
        if node.type == "template_string":  # a tagged template: the tag is called with the template
            return (self._template(node),)
        return tuple(self.lower(c) for c in node.named_children if c.type != "comment")

    def _call(self, node: Node) -> ir.Expr:
        func = node.child_by_field_name("function")
        required = self._required(node, func)
        if required is not None:
            return required
        callee = self.lower(func) if func is not None else ir.Opaque(*pos(node), "missing", ())
        args = self.arguments(node.child_by_field_name("arguments"))
        if isinstance(callee, ir.Await):
            # `await db.query<Row>(sql)`: the TypeScript grammar puts a generic call's `await` on
            # the callee; what is awaited is the call
            return ir.Await(callee.line, callee.col, ir.Call(*pos(node), callee.value, args, (), node.end_point[0] + 1))
        return ir.Call(*pos(node), callee, args, (), node.end_point[0] + 1)

    def _required(self, node: Node, func: Node | None) -> ir.Expr | None:
        """`require('./routes/importer')()`, `require('child_process').exec(cmd)`: a module loaded
        where it is used is named like one bound by `const x = require(...)`, so calls through it
        resolve to the module's functions (the statement lowerer records the import)."""
        if self.inline_require is None or func is None or func.type != "identifier" or text_of(func) != "require":
            return None
        arguments = _named_types(node.child_by_field_name("arguments"))
        if len(arguments) != 1 or arguments[0].type != "string":
            return None
        return ir.Name(*pos(node), self.inline_require(self.string_value(arguments[0]), pos(node)[0]))

    def _new(self, node: Node) -> ir.Expr:
        ctor = node.child_by_field_name("constructor")
        callee = self.lower(ctor) if ctor is not None else ir.Opaque(*pos(node), "missing", ())
        args = self.arguments(node.child_by_field_name("arguments"))
        return ir.Call(*pos(node), callee, args, (), node.end_point[0] + 1)

    # -- operators
    def _binary(self, node: Node) -> ir.Expr:
        op_node = node.child_by_field_name("operator")
        op = op_node.type if op_node is not None else "?"
        left = self._operand(node.child_by_field_name("left"), node)
        right = self._operand(node.child_by_field_name("right"), node)
        if op in _BOOL_OPS:
            name = _BOOL_OPS[op]
            values: list[ir.Expr] = []
            for side in (left, right):
                values.extend(side.values if isinstance(side, ir.BoolOp) and side.op == name else (side,))
            return ir.BoolOp(*pos(node), name, tuple(values))
        if op in _COMPARE_OPS:
            return ir.Compare(*pos(node), left, (_COMPARE_OPS[op],), (right,))
        return ir.BinOp(*pos(node), op, left, right)

    def _operand(self, child: Node | None, parent: Node) -> ir.Expr:
        return self.lower(child) if child is not None else ir.Const(*pos(parent), None)

    def _unary(self, node: Node) -> ir.Expr:
        op_node = node.child_by_field_name("operator")
        op = _UNARY_OPS.get(op_node.type if op_node is not None else "", "?")
        operand = self._operand(node.child_by_field_name("argument"), node)
        if isinstance(operand, ir.Const) and isinstance(operand.value, (int, float)) and op in ("-", "+"):
            return ir.Const(*pos(node), -operand.value if op == "-" else operand.value)
        return ir.Unary(*pos(node), op, operand)

    def _ternary(self, node: Node) -> ir.Expr:
        return ir.IfExp(*pos(node), self._operand(node.child_by_field_name("condition"), node),
                        self._operand(node.child_by_field_name("consequence"), node),
                        self._operand(node.child_by_field_name("alternative"), node))

    def _paren(self, node: Node) -> ir.Expr:
        inner = [c for c in node.named_children if c.type != "comment"]
        if len(inner) == 1:
            return self.lower(inner[0])
        return ir.Opaque(*pos(node), node.type, tuple(self.lower(c) for c in inner))

    def _assignment(self, node: Node) -> ir.Expr:
        """An assignment used as a value: bound before the statement, read as its target."""
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        value = self._operand(right, node)
        if left is None or left.type not in ("identifier", "member_expression", "subscript_expression"):
            return value
        target = self.lower(left)
        op_node = node.child_by_field_name("operator")
        op = op_node.type.rstrip("=") if node.type == "augmented_assignment_expression" and op_node else None
        line = pos(node)[0]
        self.pending.append(ir.Assign(line, node.end_point[0] + 1, (target,), value, op=op))
        return target

    def _update(self, node: Node) -> ir.Expr:
        argument = node.child_by_field_name("argument")
        return self.lower(argument) if argument is not None else ir.Const(*pos(node), None)

    # -- containers and the rest
    def _array(self, node: Node) -> ir.Expr:
        return ir.Seq(*pos(node), "list", tuple(self.lower(c) for c in node.named_children if c.type != "comment"))

    def _object(self, node: Node) -> ir.Expr:
        """An object literal is a DictExpr with constant keys: an options object
        (`{ timeout: 5000 }`) reads like Python keyword arguments gathered in a dict."""
        keys: list[ir.Expr | None] = []
        values: list[ir.Expr] = []
        for child in node.named_children:
            kind = child.type
            if kind == "pair":
                keys.append(self.property_key(child.child_by_field_name("key"), child))
                values.append(self._operand(child.child_by_field_name("value"), child))
            elif kind == "shorthand_property_identifier":
                keys.append(ir.Const(*pos(child), text_of(child)))
                values.append(ir.Name(*pos(child), text_of(child)))
            elif kind == "spread_element":
                keys.append(None)
                inner = child.named_children[0] if child.named_child_count else child
                values.append(self.lower(inner))
            elif kind == "method_definition":
                name = text_of(child.child_by_field_name("name"))
                keys.append(ir.Const(*pos(child), name))
                values.append(self.define_function(child, None))
        return ir.DictExpr(*pos(node), tuple(keys), tuple(values))

    def property_key(self, key: Node | None, parent: Node) -> ir.Expr:
        if key is None:
            return ir.Const(*pos(parent), None)
        if key.type in ("property_identifier", "identifier"):
            return ir.Const(*pos(key), text_of(key))
        if key.type == "string":
            return ir.Const(*pos(key), self.string_value(key))
        if key.type == "computed_property_name":
            inner = [c for c in key.named_children if c.type != "comment"]
            return self.lower(inner[0]) if inner else ir.Const(*pos(key), None)
        return self.lower(key)

    def _await(self, node: Node) -> ir.Expr:
        inner = [c for c in node.named_children if c.type != "comment"]
        return ir.Await(*pos(node), self.lower(inner[0]) if inner else ir.Const(*pos(node), None))

    def _spread(self, node: Node) -> ir.Expr:
        inner = [c for c in node.named_children if c.type != "comment"]
        return ir.Starred(*pos(node), self.lower(inner[0]) if inner else ir.Const(*pos(node), None))
