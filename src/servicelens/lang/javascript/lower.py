"""Statements and definitions: a tree-sitter JavaScript or TypeScript tree to an ir.Module.

Functions are named like Python's so the engine resolves them unchanged: `function f` and
`const f = () => {}` at module level are `f`, methods `Class.method`, anything nested
`outer.<locals>.inner`; a function with no name of its own (a handler passed to
`router.get`, a `.then` callback) is `<anon@LINE>` (`<anon@LINE:COL>` when a line has
several) in the same scheme, and the call site passes a Name of that function.
`require()` bound to a name or destructured is an import like `import`. TypeScript types
are kept as parameter and return annotations, parameter decorators on their parameter;
interfaces and object type aliases carry no flow: their members' declared types are kept as
`TypeShape`s (what a value typed so holds); enums and overload signatures are dropped.
Unknown statements become expression statements over their children, never a crash.
"""
from __future__ import annotations

from tree_sitter import Node

from servicelens import ir
from servicelens.lang.javascript.lower_expr import INLINE_REQUIRE, ExprLowerer, pos, text_of
from servicelens.lang.javascript.imports import ImportReader
from servicelens.lang.javascript.modules import NAMESPACE_EXPORT, STAR_EXPORT, module_name_for, resolve_specifier
from servicelens.lang.javascript.patterns import bindings

_FUNCTION_DECLARATIONS = frozenset({"function_declaration", "generator_function_declaration"})
_CLASS_DECLARATIONS = frozenset({"class_declaration", "abstract_class_declaration", "class"})
_TYPE_ONLY = frozenset({"interface_declaration", "type_alias_declaration", "enum_declaration", "ambient_declaration",
                        "function_signature", "abstract_method_signature", "method_signature", "index_signature",
                        "empty_statement", "debugger_statement", "comment", "hash_bang_line",
                        "module", "internal_module", "import_alias"})
_DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration"})
_PARAMETER_PROPERTY = frozenset({"accessibility_modifier", "readonly"})


def lower_module(root: Node, rel: str, lines: tuple[str, ...], language: str) -> ir.Module:
    lowerer = _ModuleLowerer(rel)
    body = lowerer.block(root.named_children, scope="")
    return ir.Module(path=rel, module_name=module_name_for(rel), language=language,
                     imports=tuple(lowerer.imports), body=body, functions=tuple(lowerer.functions),
                     classes=tuple(lowerer.classes), lines=lines, quoted={}, shapes=tuple(lowerer.shapes))


def _line(node: Node) -> int:
    return node.start_point[0] + 1


def _end(node: Node) -> int:
    return node.end_point[0] + 1


def _named(node: Node | None) -> list[Node]:
    return [c for c in node.named_children if c.type != "comment"] if node is not None else []


class _ModuleLowerer:
    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.exprs = ExprLowerer(self._function_in_expression, self._inline_require)
        self.import_reader = ImportReader(rel, self.exprs)
        self.imports: list[ir.Import] = []
        self.functions: list[ir.Function] = []
        self.classes: list[ir.ClassDef] = []
        self.shapes: list[ir.TypeShape] = []
        self._qualnames: set[str] = set()
        self._scope = ""  # qualname of the function being lowered, "" at module level

    def _inline_require(self, specifier: str, line: int) -> str:
        """The local name of a module `require`d inside an expression: an import of its own."""
        target = resolve_specifier(self.rel, specifier)
        local = INLINE_REQUIRE + "".join(c if c.isalnum() else "_" for c in target)
        if not any(i.local == local for i in self.imports):
            self.imports.append(ir.Import(line, local, target))
        return local

    # ---------------------------------------------------------------- blocks
    def block(self, nodes: list[Node] | tuple[Node, ...], scope: str) -> tuple[ir.Stmt, ...]:
        outer_pending, self.exprs.pending = self.exprs.pending, []
        outer_scope, self._scope = self._scope, scope
        out: list[ir.Stmt] = []
        for child in nodes:
            if child.type == "comment":
                continue
            lowered = self.statement(child)
            if self.exprs.pending:
                out.extend(self.exprs.pending)
                self.exprs.pending = []
            out.extend(lowered)
        self.exprs.pending, self._scope = outer_pending, outer_scope
        return tuple(out)

    def _body(self, node: Node | None) -> tuple[ir.Stmt, ...]:
        """A statement used as a body: a `{...}` block's statements, or the one statement."""
        if node is None:
            return ()
        if node.type == "statement_block":
            return self.block(node.named_children, self._scope)
        return self.block([node], self._scope)

    def statement(self, node: Node) -> list[ir.Stmt]:
        kind = node.type
        line, end = _line(node), _end(node)
        if kind in _TYPE_ONLY:
            if kind in ("interface_declaration", "type_alias_declaration") and not self._scope:
                self._shape(node)
            return []
        if kind == "expression_statement":
            return [s for child in _named(node) for s in self._expression_statement(child)]
        if kind in _DECLARATIONS:
            return [s for d in _named(node) if d.type == "variable_declarator" for s in self._declarator(d)]
        if kind == "statement_block":
            return list(self.block(node.named_children, self._scope))
        if kind == "return_statement":
            value = _named(node)
            return [ir.Return(line, end, self.exprs.lower(value[0]) if value else None)]
        if kind == "throw_statement":
            value = _named(node)
            return [ir.Raise(line, end, self.exprs.lower(value[0]) if value else None)]
        if kind == "if_statement":
            return [self._if(node)]
        if kind == "for_statement":
            return self._for(node)
        if kind == "for_in_statement":
            return [self._for_in(node)]
        if kind in ("while_statement", "do_statement"):
            return [ir.While(line, end, self._condition(node), self._body(node.child_by_field_name("body")))]
        if kind == "try_statement":
            return [self._try(node)]
        if kind == "switch_statement":
            return [self._switch(node)]
        if kind in ("break_statement", "continue_statement"):
            return [ir.Jump(line, end, kind.split("_")[0])]
        if kind == "labeled_statement":
            return [s for child in _named(node)[1:] for s in self.statement(child)]
        if kind in _FUNCTION_DECLARATIONS:
            qualname = self.define(node, text_of(node.child_by_field_name("name")))
            return [ir.Def(line, end, qualname)]
        if kind in _CLASS_DECLARATIONS:
            return [self._class(node, ())]
        if kind == "import_statement":
            found = self.import_reader.import_statement(node)
            self.imports.extend(found)
            return [ir.ImportStmt(line, end, found)] if self._scope and found else []
        if kind == "export_statement":
            return self._export(node)
        return [ir.ExprStmt(line, end, self.exprs.lower(node))]

    # ---------------------------------------------------------------- simple statements
    def _expression_statement(self, node: Node) -> list[ir.Stmt]:
        line, end = _line(node), _end(node)
        if node.type == "assignment_expression":
            return self._assignment(node)
        if node.type == "augmented_assignment_expression":
            op_node = node.child_by_field_name("operator")
            op = op_node.type.rstrip("=") if op_node is not None else "?"
            target, value = node.child_by_field_name("left"), node.child_by_field_name("right")
            if target is not None and value is not None:
                return [ir.Assign(line, end, (self.exprs.lower(target),), self.exprs.lower(value), op=op)]
        if node.type == "update_expression":
            argument = node.child_by_field_name("argument")
            op_node = node.child_by_field_name("operator")
            op = "-" if op_node is not None and op_node.type == "--" else "+"
            if argument is not None:
                return [ir.Assign(line, end, (self.exprs.lower(argument),), ir.Const(*pos(node), 1), op=op)]
        return [ir.ExprStmt(line, end, self.exprs.lower(node))]

    def _assignment(self, node: Node) -> list[ir.Stmt]:
        """`a = b = v` is one Assign with both targets; a pattern on the left is destructured."""
        targets: list[Node] = []
        current: Node | None = node
        while current is not None and current.type == "assignment_expression":
            left = current.child_by_field_name("left")
            if left is not None:
                targets.append(left)
            current = current.child_by_field_name("right")
        if current is None:
            return []
        line, end = _line(node), _end(node)
        value = self._value(current, targets[-1] if len(targets) == 1 else None)
        if all(t.type not in ("object_pattern", "array_pattern") for t in targets):
            return [ir.Assign(line, end, tuple(self.exprs.lower(t) for t in targets), value)]
        out: list[ir.Stmt] = []
        for target in targets:
            out.extend(ir.Assign(line, end, (t,), v) for t, v in bindings(target, value, self.exprs))
        return out

    def _declarator(self, node: Node) -> list[ir.Stmt]:
        name_node = node.child_by_field_name("name")
        value_node = node.child_by_field_name("value")
        if name_node is None:
            return []
        line, end = _line(node), _end(node)
        required = self.import_reader.require_binding(name_node, value_node) if value_node is not None else None
        if required is not None:
            self.imports.extend(required)
            return [ir.ImportStmt(line, end, required)] if self._scope and required else []
        if name_node.type == "identifier":
            name = text_of(name_node)
            if value_node is not None and value_node.type in ("arrow_function", "function_expression", "function"):
                return [ir.Def(line, end, self.define(value_node, name))]
            annotation = node.child_by_field_name("type")
            value = self._value(value_node, name_node) if value_node is not None else None
            return [ir.Assign(line, end, (ir.Name(*pos(name_node), name),), value,
                              annotation=self._annotation(annotation))]
        if value_node is None:
            return []
        value = self.exprs.lower(value_node)
        return [ir.Assign(line, end, (t,), v) for t, v in bindings(name_node, value, self.exprs)]

    def _value(self, node: Node, target: Node | None) -> ir.Expr:
        """A class expression assigned to a name is a class of that name."""
        if node.type == "class" and target is not None and target.type == "identifier":
            self._class(node, (), text_of(target))
            return ir.Name(*pos(node), text_of(target))
        return self.exprs.lower(node)

    def _annotation(self, node: Node | None) -> ir.Expr | None:
        inner = _named(node)
        return self.exprs.lower_type(inner[0]) if inner else None

    # ---------------------------------------------------------------- compound statements
    def _condition(self, node: Node) -> ir.Expr:
        condition = node.child_by_field_name("condition")
        if condition is None:
            return ir.Const(*pos(node), True)
        if condition.type in ("expression_statement", "empty_statement"):
            inner = _named(condition)
            return self.exprs.lower(inner[0]) if inner else ir.Const(*pos(condition), True)
        return self.exprs.lower(condition)

    def _if(self, node: Node) -> ir.If:
        test = self._condition(node)
        body = self._body(node.child_by_field_name("consequence"))
        alternative = node.child_by_field_name("alternative")
        orelse: tuple[ir.Stmt, ...] = ()
        if alternative is not None:
            inner = _named(alternative)
            orelse = self._body(inner[0]) if inner else ()
        return ir.If(_line(node), _end(node), test, body, orelse)

    def _for(self, node: Node) -> list[ir.Stmt]:
        """`for (init; cond; step) body` is `init; while (cond) { body; step }`."""
        before: list[ir.Stmt] = []
        initializer = node.child_by_field_name("initializer")
        if initializer is not None:
            before.extend(self.block([initializer], self._scope))
        body = list(self._body(node.child_by_field_name("body")))
        increment = node.child_by_field_name("increment")
        if increment is not None:
            body.extend(self._expression_statement(increment))
        return before + [ir.While(_line(node), _end(node), self._condition(node), tuple(body))]

    def _for_in(self, node: Node) -> ir.For:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        iterable = self.exprs.lower(right) if right is not None else ir.Const(*pos(node), None)
        body = list(self._body(node.child_by_field_name("body")))
        target: ir.Expr = ir.Name(*pos(node), "_")
        if left is not None and left.type in ("object_pattern", "array_pattern"):
            # `for (const { id } of items)`: the loop binds the item, the pattern takes it apart
            item = ir.Name(*pos(left), f"<item@{_line(left)}>")
            target = item
            body[:0] = [ir.Assign(_line(left), _line(left), (t,), v) for t, v in bindings(left, item, self.exprs)]
        elif left is not None:
            target = self.exprs.lower(left)
        is_async = any(c.type == "await" for c in node.children)
        return ir.For(_line(node), _end(node), target, iterable, tuple(body), (), is_async)

    def _try(self, node: Node) -> ir.Try:
        handlers: list[ir.Handler] = []
        handler = node.child_by_field_name("handler")
        if handler is not None:
            parameter = handler.child_by_field_name("parameter")
            name = text_of(parameter) if parameter is not None and parameter.type == "identifier" else None
            handlers.append(ir.Handler(_line(handler), _end(handler), None, name,
                                       self._body(handler.child_by_field_name("body"))))
        finalizer = node.child_by_field_name("finalizer")
        final = self._body(finalizer.child_by_field_name("body")) if finalizer is not None else ()
        return ir.Try(_line(node), _end(node), self._body(node.child_by_field_name("body")), tuple(handlers),
                      (), final)

    def _switch(self, node: Node) -> ir.Stmt:
        """`switch` becomes an if/else chain comparing the subject with each case."""
        value = node.child_by_field_name("value")
        subject = self.exprs.lower(_named(value)[0]) if value is not None and _named(value) else \
            ir.Const(*pos(node), None)
        body = node.child_by_field_name("body")
        cases = _named(body)
        orelse: tuple[ir.Stmt, ...] = ()
        for case in reversed(cases):
            test_node = case.child_by_field_name("value")
            statements = [c for i, c in enumerate(case.children)
                          if case.field_name_for_child(i) == "body" and c.type != "comment"]
            block = self.block(statements, self._scope)
            if case.type == "switch_default" or test_node is None:
                orelse = block + orelse if not orelse else (ir.If(_line(case), _end(case), ir.Const(*pos(case), True),
                                                                  block, orelse),)
                continue
            test = ir.Compare(*pos(case), subject, ("==",), (self.exprs.lower(test_node),))
            orelse = (ir.If(_line(case), _end(case), test, block, orelse),)
        return orelse[0] if len(orelse) == 1 else ir.If(_line(node), _end(node), ir.Const(*pos(node), True), orelse, ())

    # ---------------------------------------------------------------- functions
    def _unique(self, qualname: str, node: Node) -> str:
        if qualname not in self._qualnames:
            return qualname
        return f"{qualname}:{node.start_point[1]}" if f"{qualname}:{node.start_point[1]}" not in self._qualnames \
            else f"{qualname}@{_line(node)}:{node.start_point[1]}"

    def _qualname(self, name: str, class_name: str | None) -> str:
        if class_name:
            return f"{class_name}.{name}"
        return f"{self._scope}.<locals>.{name}" if self._scope else name

    def _function_in_expression(self, node: Node, _hint: str | None) -> ir.Expr:
        """A function written inside an expression: lowered on its own, referenced by name."""
        own = node.child_by_field_name("name") if node.type != "method_definition" else None
        name = text_of(own) if own is not None else f"<anon@{_line(node)}>"
        qualname = self.define(node, name)
        return ir.Name(*pos(node), qualname.rsplit(".", 1)[-1] if ".<locals>." in qualname else qualname)

    def define(self, node: Node, name: str, class_name: str | None = None,
               decorators: tuple[ir.Expr, ...] = ()) -> str:
        qualname = self._unique(self._qualname(name, class_name), node)
        self._qualnames.add(qualname)
        params, prologue = self._params(node, class_name is not None and name == "constructor")
        body_node = node.child_by_field_name("body")
        if body_node is not None and body_node.type == "statement_block":
            body = prologue + self.block(body_node.named_children, qualname)
        elif body_node is not None:  # an arrow function's expression body is its return value
            outer, self._scope = self._scope, qualname
            value = self.exprs.lower(body_node)
            pending, self.exprs.pending = self.exprs.pending, []
            self._scope = outer
            body = prologue + tuple(pending) + (ir.Return(_line(body_node), _end(body_node), value),)
        else:
            body = prologue
        returns = node.child_by_field_name("return_type")
        self.functions.append(ir.Function(
            name=name, qualname=qualname, line=_line(node), end_line=_end(node), params=params,
            decorators=decorators, body=body, is_async=any(c.type == "async" for c in node.children),
            class_name=class_name, parent=self._scope if self._scope and class_name is None else None,
            returns=self._annotation(returns)))
        return qualname

    def _params(self, node: Node, constructor: bool) -> tuple[tuple[ir.Param, ...], tuple[ir.Stmt, ...]]:
        """Parameters, and the statements a parameter implies before the body runs: a
        destructured parameter taken apart, a TypeScript parameter property stored on `this`."""
        single = node.child_by_field_name("parameter")
        if single is not None:
            return (ir.Param(_line(single), text_of(single), "positional"),), ()
        params_node = node.child_by_field_name("parameters")
        params: list[ir.Param] = []
        prologue: list[ir.Stmt] = []
        for index, child in enumerate(_named(params_node)):
            if child.type == "decorator":
                continue
            line = _line(child)
            pattern, annotation, default, kind = child, None, None, "positional"
            decorators = tuple(self._decorator(c) for c in child.named_children if c.type == "decorator")
            if child.type in ("required_parameter", "optional_parameter"):
                pattern = child.child_by_field_name("pattern") or child
                annotation = self._annotation(child.child_by_field_name("type"))
                value = child.child_by_field_name("value")
                default = self.exprs.lower(value) if value is not None else None
                if constructor and any(c.type in _PARAMETER_PROPERTY for c in child.children) \
                        and pattern.type == "identifier":
                    name = text_of(pattern)
                    prologue.append(ir.Assign(line, line, (ir.Attr(line, 0, ir.Name(line, 0, "self"), name),),
                                              ir.Name(line, 0, name)))
            if pattern.type == "assignment_pattern":
                right = pattern.child_by_field_name("right")
                default = self.exprs.lower(right) if right is not None else default
                pattern = pattern.child_by_field_name("left") or pattern
            if pattern.type == "rest_pattern":
                kind = "vararg"
                inner = _named(pattern)
                pattern = inner[0] if inner else pattern
            if pattern.type == "identifier":
                params.append(ir.Param(line, text_of(pattern), kind, default, annotation, decorators))
                continue
            name = f"<param{index}>"  # a destructured parameter: bound whole, then taken apart
            params.append(ir.Param(line, name, kind, default, annotation, decorators))
            prologue.extend(ir.Assign(line, line, (t,), v)
                            for t, v in bindings(pattern, ir.Name(line, pattern.start_point[1], name), self.exprs))
        return tuple(params), tuple(prologue)

    # ---------------------------------------------------------------- classes
    def _class(self, node: Node, decorators: tuple[ir.Expr, ...], name: str | None = None) -> ir.Stmt:
        name = name or text_of(node.child_by_field_name("name")) or f"<class@{_line(node)}>"
        qualname = name if not self._scope else f"{self._scope}.<locals>.{name}"
        decorators = decorators + tuple(self._decorator(c) for c in node.named_children if c.type == "decorator")
        bases: list[ir.Expr] = []
        for heritage in (c for c in node.named_children if c.type == "class_heritage"):
            for clause in _named(heritage):
                if clause.type == "extends_clause":
                    bases.extend(self.exprs.lower(v) for v in _named(clause) if v.type != "type_arguments")
                elif clause.type not in ("implements_clause",):
                    bases.append(self.exprs.lower(clause))
        body: list[ir.Stmt] = []
        methods: list[str] = []
        pending: list[ir.Expr] = []
        for member in _named(node.child_by_field_name("body")):
            if member.type == "decorator":
                pending.append(self._decorator(member))
                continue
            if member.type == "method_definition":
                method = text_of(member.child_by_field_name("name")).lstrip("#")
                outer, self._scope = self._scope, ""
                method_qualname = self.define(member, method, qualname, tuple(pending))
                self._scope = outer
                methods.append(method_qualname)
                body.append(ir.Def(_line(member), _end(member), method_qualname))
            elif member.type in ("field_definition", "public_field_definition"):
                method_qualname = self._field_method(member, qualname, tuple(pending))
                if method_qualname:
                    methods.append(method_qualname)
                    body.append(ir.Def(_line(member), _end(member), method_qualname))
                else:
                    body.extend(self._field(member))
            pending = []
        self.classes.append(ir.ClassDef(name=name, qualname=qualname, line=_line(node), end_line=_end(node),
                                        bases=tuple(bases), keywords=(), decorators=decorators, body=tuple(body),
                                        methods=tuple(methods)))
        return ir.Def(_line(node), _end(node), qualname, is_class=True)

    def _field_method(self, node: Node, class_qualname: str, decorators: tuple[ir.Expr, ...]) -> str:
        """`get = async (req, res) => { ... }`: a field holding a function is a method of the
        class (an arrow function's `this` is the instance), defined under the field's name so
        `controller.get` and `this.get()` find it; '' for any other field. A field holding a
        wrapper's result, `get = asyncHandler(async (req, res) => { ... })`, is the function
        handed to the wrapper: a wrapper given one function returns one that calls it."""
        name_node = node.child_by_field_name("property") or node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if value is not None and value.type == "call_expression":
            arguments = _named(value.child_by_field_name("arguments"))
            value = arguments[0] if len(arguments) == 1 else None
        if name_node is None or value is None or value.type not in ("arrow_function", "function_expression",
                                                                     "function"):
            return ""
        outer, self._scope = self._scope, ""
        method_qualname = self.define(value, text_of(name_node).lstrip("#"), class_qualname, decorators)
        self._scope = outer
        return method_qualname

    def _field(self, node: Node) -> list[ir.Stmt]:
        name_node = node.child_by_field_name("property") or node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if name_node is None:
            return []
        target = ir.Name(*pos(name_node), text_of(name_node).lstrip("#"))
        return [ir.Assign(_line(node), _end(node), (target,), self.exprs.lower(value) if value is not None else None,
                          annotation=self._annotation(node.child_by_field_name("type")))]

    def _shape(self, node: Node) -> None:
        """`interface Deps { orders: OrderService; clients: { pay: PayClient } }` and
        `type Deps = {...}`: each member's path and declared type."""
        name = node.child_by_field_name("name")
        body = node.child_by_field_name("body") or node.child_by_field_name("value")
        if name is None or body is None or body.type not in ("interface_body", "object_type"):
            return
        members = tuple(self._members(body, ""))
        if members:
            self.shapes.append(ir.TypeShape(text_of(name), _line(node), members))

    def _members(self, body: Node, prefix: str) -> list[tuple[str, ir.Expr]]:
        found: list[tuple[str, ir.Expr]] = []
        for member in _named(body):
            key, declared = member.child_by_field_name("name"), member.child_by_field_name("type")
            if member.type != "property_signature" or key is None or declared is None:
                continue
            path = prefix + text_of(key)
            inner = _named(declared)
            if inner and inner[0].type == "object_type":
                found.extend(self._members(inner[0], path + "."))
            elif inner:
                found.append((path, self.exprs.lower_type(inner[0])))
        return found

    def _decorator(self, node: Node) -> ir.Expr:
        inner = _named(node)
        return self.exprs.lower(inner[0]) if inner else ir.Const(*pos(node), None)

    # ---------------------------------------------------------------- modules
    def _re_exported(self, node: Node, found: tuple[ir.Import, ...]) -> list[ir.Stmt]:
        """`export { listTags } from './tags'`, `export * as users from './users'`: the module's
        `listTags` / `users` is that import (`exports.listTags = listTags`, as CommonJS writes it);
        `export * from './orders'` re-exports every name of `orders`, recorded as an import under
        a name no identifier can have (STAR_EXPORT + the module), which the file phase reads."""
        line = _line(node)
        source = node.child_by_field_name("source")
        namespace = next((c for c in node.named_children if c.type == "namespace_export"), None)
        out: list[ir.Stmt] = [ir.Assign(line, line, (ir.Attr(line, 0, ir.Name(line, 0, "exports"), i.local),),
                                         ir.Name(line, 0, i.local)) for i in found]
        if source is not None and namespace is not None:
            names = [c for c in namespace.named_children if c.type == "identifier"]
            target = resolve_specifier(self.rel, self.exprs.string_value(source))
            if names:
                local = text_of(names[0])
                self.imports.append(ir.Import(line, local, target))
                self.imports.append(ir.Import(line, NAMESPACE_EXPORT + local, target))
                out.append(ir.Assign(line, line, (ir.Attr(line, 0, ir.Name(line, 0, "exports"), local),),
                                     ir.Name(line, 0, local)))
        elif source is not None and not found and any(c.type == "*" for c in node.children):
            target = resolve_specifier(self.rel, self.exprs.string_value(source))
            self.imports.append(ir.Import(line, STAR_EXPORT + target, target))
        return out

    @staticmethod
    def _export_clause(node: Node) -> list[ir.Stmt]:
        """`export { renameTag as rename }`: the module's `rename` is its `renameTag`, as
        `exports.rename = renameTag` says in CommonJS (a name exported as itself needs nothing)."""
        out: list[ir.Stmt] = []
        for clause in (c for c in node.named_children if c.type == "export_clause"):
            for spec in (c for c in clause.named_children if c.type == "export_specifier"):
                name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                if name is None or alias is None or text_of(alias) == text_of(name):
                    continue
                line = _line(spec)
                target = ir.Name(line, 0, "default") if text_of(alias) == "default" else \
                    ir.Attr(line, 0, ir.Name(line, 0, "exports"), text_of(alias))
                out.append(ir.Assign(line, line, (target,), ir.Name(*pos(name), text_of(name))))
        return out

    def _export(self, node: Node) -> list[ir.Stmt]:
        """`export <declaration>` declares; `export default <value>` binds the name `default`."""
        decorators = tuple(self._decorator(c) for c in node.named_children if c.type == "decorator")
        declaration = node.child_by_field_name("declaration")
        line, end = _line(node), _end(node)
        if declaration is not None:
            declared = [self._class(declaration, decorators)] if declaration.type in _CLASS_DECLARATIONS \
                else self.statement(declaration)
            own = declaration.child_by_field_name("name")
            if any(c.type == "default" for c in node.children) and own is not None:
                # `export default async function routes() {}`: the module's default is that function
                declared.append(ir.Assign(line, end, (ir.Name(line, 0, "default"),), ir.Name(line, 0, text_of(own))))
            return declared
        value = node.child_by_field_name("value")
        if value is None and any(c.type == "=" for c in node.children) and node.named_children:
            # TypeScript's `export = new SettingsController()`: CommonJS's `module.exports =`
            exported = ir.Attr(line, 0, ir.Name(line, 0, "module"), "exports")
            return [ir.Assign(line, end, (exported,), self.exprs.lower(node.named_children[-1]))]
        if value is None:
            found = self.import_reader.re_export(node)
            self.imports.extend(found)
            if node.child_by_field_name("source") is None:
                return self._export_clause(node)
            return self._re_exported(node, found)
        if value.type in _FUNCTION_DECLARATIONS or value.type in ("function_expression", "function", "arrow_function"):
            own = value.child_by_field_name("name")
            qualname = self.define(value, text_of(own) if own is not None else "default")
            return [ir.Def(line, end, qualname)] + ([ir.Assign(line, end, (ir.Name(line, 0, "default"),),
                                                               ir.Name(line, 0, qualname))] if own else [])
        if value.type in _CLASS_DECLARATIONS:
            definition = self._class(value, decorators)
            assert isinstance(definition, ir.Def)
            return [definition, ir.Assign(line, end, (ir.Name(line, 0, "default"),), ir.Name(line, 0, definition.qualname))]
        return [ir.Assign(line, end, (ir.Name(line, 0, "default"),), self.exprs.lower(value))]
