"""Statements and definitions: a tree-sitter Python tree to an ir.Module.

Every syntax from Python 3.8 to 3.13 parses (tree-sitter's grammar, not the running
interpreter's `ast`), so a 3.11 interpreter still reviews PEP 695/701 code. Unknown
statements degrade to expression statements over their children so data still flows.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from tree_sitter import Node

from servicelens import ir
from servicelens.lang.python import fields
from servicelens.lang.python.lower_expr import ExprLowerer
from servicelens.lang.python.params import lower_params
from servicelens.lang.python.source_text import SourceText

_SIMPLE_JUMPS = {"pass_statement": "pass", "break_statement": "break", "continue_statement": "continue"}


def module_name_for(rel: str) -> str:
    """`pkg/sub/mod.py` -> `pkg.sub.mod`; `pkg/__init__.py` -> `pkg`."""
    parts = list(PurePosixPath(rel).with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def lower_module(root: Node, rel: str, lines: tuple[str, ...]) -> ir.Module:
    module_name = module_name_for(rel)
    lowerer = _ModuleLowerer(rel, module_name, SourceText.of(root))
    body = lowerer.block(root, scope="")
    return ir.Module(
        path=rel,
        module_name=module_name,
        language="python",
        imports=tuple(lowerer.imports),
        body=body,
        functions=tuple(lowerer.functions),
        classes=tuple(lowerer.classes),
        lines=lines,
        quoted={},
    )


def _line(node: Node) -> int:
    return node.start_point[0] + 1


def _end(node: Node) -> int:
    return node.end_point[0] + 1


class _ModuleLowerer:
    def __init__(self, rel: str, module_name: str, source: SourceText) -> None:
        self.rel = rel
        self.package = module_name.rsplit(".", 1)[0] if "/" in rel else ""
        if rel.endswith("__init__.py"):
            self.package = module_name
        self.exprs = ExprLowerer(source)
        self._text = source.text
        self.imports: list[ir.Import] = []
        self.functions: list[ir.Function] = []
        self.classes: list[ir.ClassDef] = []
        self._class_stack: list[str | None] = [None]

    # ---------------------------------------------------------------- blocks
    def block(self, node: Node | None, scope: str) -> tuple[ir.Stmt, ...]:
        if node is None:
            return ()
        # walrus targets found in a compound statement's header belong before that statement,
        # in the enclosing block: keep them aside while this nested block is lowered
        outer, self.exprs.pending = self.exprs.pending, []
        out: list[ir.Stmt] = []
        for child in node.named_children:
            if child.type == "comment":
                continue
            lowered = self.statement(child, scope)
            if self.exprs.pending:
                out.extend(self.exprs.pending)
                self.exprs.pending = []
            out.extend(lowered)
        self.exprs.pending = outer
        return tuple(out)

    def statement(self, node: Node, scope: str) -> list[ir.Stmt]:
        kind = node.type
        line, end = _line(node), _end(node)
        if kind == "expression_statement":
            return self._expression_statement(node)
        if kind in _SIMPLE_JUMPS:
            return [ir.Jump(line, end, _SIMPLE_JUMPS[kind])]
        if kind == "return_statement":
            value = node.named_children[0] if node.named_child_count else None
            return [ir.Return(line, end, self.exprs.lower(value) if value is not None else None)]
        if kind == "if_statement":
            return [self._if(node, scope)]
        if kind == "for_statement":
            return [self._for(node, scope)]
        if kind == "while_statement":
            return [ir.While(line, end, self._field_expr(node, fields.CONDITION),
                             self.block(node.child_by_field_id(fields.BODY), scope),
                             self._else_block(node, scope))]
        if kind == "try_statement":
            return [self._try(node, scope)]
        if kind == "with_statement":
            return [self._with(node, scope)]
        if kind == "raise_statement":
            value = node.named_children[0] if node.named_child_count else None
            return [ir.Raise(line, end, self.exprs.lower(value) if value is not None else None)]
        if kind in ("function_definition", "class_definition", "decorated_definition"):
            return [self._definition(node, scope, ())]
        if kind in ("import_statement", "import_from_statement", "future_import_statement"):
            found = self._import(node)
            return [ir.ImportStmt(line, end, found)] if scope and found else []
        if kind == "delete_statement":
            return [ir.Delete(line, end, tuple(self.exprs.lower(c) for c in node.named_children))]
        if kind in ("global_statement", "nonlocal_statement"):
            names = tuple(self._text(c) for c in node.named_children if c.type == "identifier")
            return [ir.Global(line, end, names, kind == "nonlocal_statement")]
        if kind == "match_statement":
            return [self._match(node, scope)]
        if kind == "assert_statement":
            return [ir.ExprStmt(line, end, ir.Opaque(line, node.start_point[1], "assert",
                                                     tuple(self.exprs.lower(c) for c in node.named_children)))]
        if kind == "type_alias_statement":
            # `type X = Annotated[...]` (PEP 695): an alias, as `X: TypeAlias = ...` is lowered
            alias = ir.Name(line, node.start_point[1], "TypeAlias")
            return [ir.Assign(line, end, (self._field_expr(node, fields.LEFT),), self._field_expr(node, fields.RIGHT),
                              annotation=alias)]
        return [ir.ExprStmt(line, end, self.exprs.lower(node))]

    def _expression_statement(self, node: Node) -> list[ir.Stmt]:
        out: list[ir.Stmt] = []
        for child in node.named_children:
            if child.type == "assignment":
                out.append(self._assignment(child))
            elif child.type == "augmented_assignment":
                op = self._text(child.child_by_field_id(fields.OPERATOR)).rstrip("=")
                out.append(ir.Assign(_line(child), _end(child), (self._field_expr(child, fields.LEFT),),
                                     self._field_expr(child, fields.RIGHT), op=op))
            elif child.type != "comment":
                out.append(ir.ExprStmt(_line(child), _end(child), self.exprs.lower(child)))
        return out

    def _assignment(self, node: Node) -> ir.Assign:
        targets: list[ir.Expr] = []
        current: Node | None = node
        annotation: ir.Expr | None = None
        while current is not None and current.type == "assignment":
            left = current.child_by_field_id(fields.LEFT)
            if left is not None:
                targets.append(self.exprs.lower(left))
            type_node = current.child_by_field_id(fields.TYPE)
            if type_node is not None:
                annotation = self.exprs.lower(type_node)
            current = current.child_by_field_id(fields.RIGHT)
        value = self.exprs.lower(current) if current is not None else None
        return ir.Assign(_line(node), _end(node), tuple(targets), value, annotation=annotation)

    def _field_expr(self, node: Node, field: int) -> ir.Expr:
        child = node.child_by_field_id(field)
        if child is None:
            return ir.Const(_line(node), node.start_point[1], None)
        return self.exprs.lower(child)

    def _else_block(self, node: Node, scope: str) -> tuple[ir.Stmt, ...]:
        alternative = node.child_by_field_id(fields.ALTERNATIVE)
        if alternative is None:
            return ()
        return self.block(alternative.child_by_field_id(fields.BODY) or alternative, scope)

    # ---------------------------------------------------------------- compound
    def _if(self, node: Node, scope: str) -> ir.If:
        test = self._field_expr(node, fields.CONDITION)
        body = self.block(node.child_by_field_id(fields.CONSEQUENCE), scope)
        clauses = [node.children[i] for i in range(node.child_count)
                   if node.field_name_for_child(i) == "alternative"]
        orelse: tuple[ir.Stmt, ...] = ()
        for clause in reversed(clauses):
            if clause.type == "else_clause":
                orelse = self.block(clause.child_by_field_id(fields.BODY), scope)
            else:  # elif_clause
                orelse = (ir.If(_line(clause), _end(clause), self._field_expr(clause, fields.CONDITION),
                                self.block(clause.child_by_field_id(fields.CONSEQUENCE), scope), orelse),)
        return ir.If(_line(node), _end(node), test, body, orelse)

    def _for(self, node: Node, scope: str) -> ir.For:
        is_async = node.child(0) is not None and node.child(0).type == "async"  # type: ignore[union-attr]
        return ir.For(_line(node), _end(node), self._field_expr(node, fields.LEFT),
                      self._field_expr(node, fields.RIGHT),
                      self.block(node.child_by_field_id(fields.BODY), scope),
                      self._else_block(node, scope), is_async)

    def _try(self, node: Node, scope: str) -> ir.Try:
        handlers: list[ir.Handler] = []
        orelse: tuple[ir.Stmt, ...] = ()
        final: tuple[ir.Stmt, ...] = ()
        for child in node.named_children:
            if child.type in ("except_clause", "except_group_clause"):
                handlers.append(self._handler(child, scope))
            elif child.type == "else_clause":
                orelse = self.block(child.child_by_field_id(fields.BODY), scope)
            elif child.type == "finally_clause":
                block = next((c for c in child.named_children if c.type == "block"), None)
                final = self.block(block, scope)
        return ir.Try(_line(node), _end(node), self.block(node.child_by_field_id(fields.BODY), scope),
                      tuple(handlers), orelse, final)

    def _handler(self, node: Node, scope: str) -> ir.Handler:
        value = node.child_by_field_id(fields.VALUE)
        name: str | None = None
        types: ir.Expr | None = None
        if value is not None and value.type == "as_pattern":
            alias = value.child_by_field_id(fields.ALIAS)
            name = self._text(alias) or None
            inner = value.named_children[0] if value.named_child_count else None
            types = self.exprs.lower(inner) if inner is not None else None
        elif value is not None:
            types = self.exprs.lower(value)
        else:
            exprs = [c for c in node.named_children if c.type not in ("block", "comment")]
            types = self.exprs.lower(exprs[0]) if exprs else None
        block = next((c for c in node.named_children if c.type == "block"), None)
        return ir.Handler(_line(node), _end(node), types, name, self.block(block, scope))

    def _with(self, node: Node, scope: str) -> ir.With:
        items: list[ir.WithItem] = []
        clause = next((c for c in node.named_children if c.type == "with_clause"), None)
        for item in (clause.named_children if clause is not None else ()):
            if item.type != "with_item":
                continue
            value = item.child_by_field_id(fields.VALUE)
            if value is not None and value.type == "as_pattern":
                alias = value.child_by_field_id(fields.ALIAS)
                inner = value.named_children[0]
                target_node = alias.named_children[0] if alias is not None and alias.named_child_count else alias
                items.append(ir.WithItem(self.exprs.lower(inner),
                                         self.exprs.lower(target_node) if target_node is not None else None))
            elif value is not None:
                items.append(ir.WithItem(self.exprs.lower(value), None))
        is_async = node.child(0) is not None and node.child(0).type == "async"  # type: ignore[union-attr]
        return ir.With(_line(node), _end(node), tuple(items),
                       self.block(node.child_by_field_id(fields.BODY), scope), is_async)

    def _match(self, node: Node, scope: str) -> ir.Stmt:
        """`match` becomes an if/elif chain whose tests keep the subject and patterns."""
        subject = self._field_expr(node, fields.SUBJECT)
        body = node.child_by_field_id(fields.BODY)
        cases = [c for c in (body.named_children if body is not None else ()) if c.type == "case_clause"]
        orelse: tuple[ir.Stmt, ...] = ()
        for case in reversed(cases):
            patterns = tuple(self.exprs.lower(c) for c in case.named_children
                             if c.type not in ("block", "comment"))
            test = ir.Opaque(_line(case), case.start_point[1], "case", (subject,) + patterns)
            block = case.child_by_field_id(fields.CONSEQUENCE) or next(
                (c for c in case.named_children if c.type == "block"), None)
            orelse = (ir.If(_line(case), _end(case), test, self.block(block, scope), orelse),)
        return orelse[0] if orelse else ir.ExprStmt(_line(node), _end(node), subject)

    # ---------------------------------------------------------------- definitions
    def _definition(self, node: Node, scope: str, decorators: tuple[ir.Expr, ...]) -> ir.Stmt:
        if node.type == "decorated_definition":
            decos = tuple(self.exprs.lower(c.named_children[0]) for c in node.named_children
                          if c.type == "decorator" and c.named_child_count)
            inner = node.child_by_field_id(fields.DEFINITION)
            if inner is None:
                return ir.Jump(_line(node), _end(node), "pass")
            return self._definition(inner, scope, decos)
        name = self._text(node.child_by_field_id(fields.NAME))
        enclosing_class = self._class_stack[-1]
        if scope and not enclosing_class:
            qualname = f"{scope}.<locals>.{name}"
        else:
            qualname = f"{scope}.{name}" if scope else name
        if node.type == "class_definition":
            self._class(node, qualname, decorators)
            return ir.Def(_line(node), _end(node), qualname, is_class=True)
        self._function(node, qualname, scope, decorators, enclosing_class)
        return ir.Def(_line(node), _end(node), qualname)

    def _function(self, node: Node, qualname: str, scope: str, decorators: tuple[ir.Expr, ...],
                  class_name: str | None) -> None:
        params_node = node.child_by_field_id(fields.PARAMETERS)
        params = lower_params(params_node, self.exprs) if params_node is not None else ()
        returns = node.child_by_field_id(fields.RETURN_TYPE)
        is_async = node.child(0) is not None and node.child(0).type == "async"  # type: ignore[union-attr]
        body_node = node.child_by_field_id(fields.BODY)
        self._class_stack.append(None)
        body = self.block(body_node, qualname)
        self._class_stack.pop()
        self.functions.append(ir.Function(
            name=self._text(node.child_by_field_id(fields.NAME)), qualname=qualname,
            line=_line(node), end_line=_end(node), params=params, decorators=decorators,
            body=body, is_async=is_async, class_name=class_name,
            parent=scope if scope and class_name is None else None,
            returns=self.exprs.lower(returns) if returns is not None else None,
            docstring=_docstring(body),
        ))

    def _class(self, node: Node, qualname: str, decorators: tuple[ir.Expr, ...]) -> None:
        bases: list[ir.Expr] = []
        keywords: list[ir.Keyword] = []
        superclasses = node.child_by_field_id(fields.SUPERCLASSES)
        for child in (superclasses.named_children if superclasses is not None else ()):
            if child.type == "keyword_argument":
                keywords.append(ir.Keyword(self._text(child.child_by_field_id(fields.NAME)),
                                           self._field_expr(child, fields.VALUE)))
            elif child.type != "comment":
                bases.append(self.exprs.lower(child))
        self._class_stack.append(qualname)
        body = self.block(node.child_by_field_id(fields.BODY), qualname)
        self._class_stack.pop()
        methods = tuple(s.qualname for s in body if isinstance(s, ir.Def) and not s.is_class)
        self.classes.append(ir.ClassDef(
            name=self._text(node.child_by_field_id(fields.NAME)), qualname=qualname, line=_line(node),
            end_line=_end(node), bases=tuple(bases), keywords=tuple(keywords),
            decorators=decorators, body=body, methods=methods))

    # ---------------------------------------------------------------- imports
    def _import(self, node: Node) -> tuple[ir.Import, ...]:
        line = _line(node)
        found: list[ir.Import] = []
        if node.type == "import_statement":
            for child in node.named_children:
                if child.type == "aliased_import":
                    target = self._text(child.child_by_field_id(fields.NAME))
                    found.append(ir.Import(line, self._text(child.child_by_field_id(fields.ALIAS)), target))
                elif child.type == "dotted_name":
                    target = self._text(child)
                    found.append(ir.Import(line, target.split(".")[0], target.split(".")[0]))
        elif node.type == "import_from_statement":
            module_node = node.child_by_field_id(fields.MODULE_NAME)
            base = self._resolve_module(module_node)
            for i in range(node.child_count):
                if node.field_name_for_child(i) != "name":
                    continue
                child = node.children[i]
                if child.type == "aliased_import":
                    name = self._text(child.child_by_field_id(fields.NAME))
                    local = self._text(child.child_by_field_id(fields.ALIAS))
                else:
                    name = local = self._text(child)
                found.append(ir.Import(line, local, f"{base}.{name}" if base else name))
            if any(c.type == "wildcard_import" for c in node.named_children):
                found.append(ir.Import(line, "*", base))
        self.imports.extend(found)
        return tuple(found)

    def _resolve_module(self, node: Node | None) -> str:
        if node is None:
            return ""
        if node.type != "relative_import":
            return self._text(node)
        prefix = next((c for c in node.named_children if c.type == "import_prefix"), None)
        dots = len(self._text(prefix)) if prefix is not None else 0
        rest = next((c for c in node.named_children if c.type == "dotted_name"), None)
        package = self.package.split(".") if self.package else []
        base_parts = package[: len(package) - (dots - 1)] if dots > 1 else package
        if rest is not None:
            base_parts = base_parts + self._text(rest).split(".")
        return ".".join(p for p in base_parts if p)


def _docstring(body: tuple[ir.Stmt, ...]) -> str | None:
    if body and isinstance(body[0], ir.ExprStmt) and isinstance(body[0].value, ir.Const) \
            and isinstance(body[0].value.value, str):
        return body[0].value.value
    return None
