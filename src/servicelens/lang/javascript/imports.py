"""Imports of a JS/TS module: `import` in every form, TypeScript `import x = require()`,
re-exports, and `require()` bound to a name or destructured.

A default import of a project file binds `<module>.default` (what `export default` or
`module.exports =` gives it); of a package, the package itself (`import express from
'express'` is `express`, so `express.Router` reads as the library's). Relative specifiers
are resolved to module names (modules.py).
"""
from __future__ import annotations

from tree_sitter import Node

from servicelens import ir
from servicelens.lang.javascript.lower_expr import ExprLowerer, text_of
from servicelens.lang.javascript.modules import resolve_specifier


def _named(node: Node | None) -> list[Node]:
    return [c for c in node.named_children if c.type != "comment"] if node is not None else []


class ImportReader:
    def __init__(self, rel: str, exprs: ExprLowerer) -> None:
        self.rel = rel
        self.exprs = exprs

    def import_statement(self, node: Node) -> tuple[ir.Import, ...]:
        source = node.child_by_field_name("source")
        line = node.start_point[0] + 1
        require = next((c for c in node.named_children if c.type == "import_require_clause"), None)
        if require is not None:  # TypeScript `import x = require('m')`
            inner_source = require.child_by_field_name("source")
            names = [c for c in require.named_children if c.type == "identifier"]
            if inner_source is None or not names:
                return ()
            return (ir.Import(line, text_of(names[0]),
                              resolve_specifier(self.rel, self.exprs.string_value(inner_source))),)
        if source is None:
            return ()
        specifier = self.exprs.string_value(source)
        return self.names(node, resolve_specifier(self.rel, specifier), line, relative=specifier.startswith("."))

    def re_export(self, node: Node) -> tuple[ir.Import, ...]:
        """`export { a } from './m'` binds nothing here, but names what the module re-exports."""
        source = node.child_by_field_name("source")
        if source is None:
            return ()
        return self.names(node, resolve_specifier(self.rel, self.exprs.string_value(source)), node.start_point[0] + 1)

    def names(self, node: Node, target: str, line: int, relative: bool = True) -> tuple[ir.Import, ...]:
        found: list[ir.Import] = []
        for clause in (c for c in node.named_children if c.type in ("import_clause", "export_clause")):
            for part in clause.named_children:
                if part.type == "identifier":  # default import: a project module's `default`, a package itself
                    found.append(ir.Import(line, text_of(part), f"{target}.default" if relative else target))
                elif part.type == "namespace_import":
                    names = [c for c in part.named_children if c.type == "identifier"]
                    if names:
                        found.append(ir.Import(line, text_of(names[0]), target))
                elif part.type == "named_imports":
                    found.extend(_specifiers(part, target, line))
            if clause.type == "export_clause":
                found.extend(_specifiers(clause, target, line))
        return tuple(found)

    def require_binding(self, name: Node, value: Node) -> tuple[ir.Import, ...] | None:
        """`const x = require('m')`, `const { a, b: c } = require('m')`, `const y = require('m').y`
        as imports, and the same shapes of a dynamic import (`const r = (await import('m')).default`,
        `const { default: r } = await import('m')`): a module loaded later still binds what it
        exports. None when the declaration is not one."""
        member = ""
        call = _awaited(value)
        if call.type == "member_expression":
            member = text_of(call.child_by_field_name("property"))
            call = _awaited(call.child_by_field_name("object") or call)
        if call.type != "call_expression" or text_of(call.child_by_field_name("function")) not in _LOADERS:
            return None
        args = _named(call.child_by_field_name("arguments"))
        if len(args) != 1 or args[0].type != "string":
            return None
        target = resolve_specifier(self.rel, self.exprs.string_value(args[0]))
        if member:
            target = f"{target}.{member}"
        line = name.start_point[0] + 1
        if name.type == "identifier":
            return (ir.Import(line, text_of(name), target),)
        if name.type != "object_pattern":
            return None
        found: list[ir.Import] = []
        for child in name.named_children:
            if child.type == "shorthand_property_identifier_pattern":
                found.append(ir.Import(line, text_of(child), f"{target}.{text_of(child)}"))
            elif child.type == "pair_pattern":
                key, alias = child.child_by_field_name("key"), child.child_by_field_name("value")
                if key is not None and alias is not None and alias.type == "identifier":
                    found.append(ir.Import(line, text_of(alias), f"{target}.{text_of(key)}"))
        return tuple(found)


_LOADERS = frozenset({"require", "import"})


def _awaited(node: Node) -> Node:
    """`(await import('m'))` is the call `import('m')`: parentheses and `await` add nothing to what it loads."""
    while node.type in ("parenthesized_expression", "await_expression"):
        inner = _named(node)
        if len(inner) != 1:
            return node
        node = inner[0]
    return node


def _specifiers(node: Node, target: str, line: int) -> list[ir.Import]:
    out = []
    for spec in node.named_children:
        if spec.type not in ("import_specifier", "export_specifier"):
            continue
        name = text_of(spec.child_by_field_name("name"))
        alias = text_of(spec.child_by_field_name("alias")) or name
        out.append(ir.Import(line, alias, f"{target}.{name}"))
    return out
