"""Where a module refers to a class by name, and what runs on an instance it makes there.

A reading of one module's syntax for analysis/service_clients.py: each reference to the class
(by a local name, or `module.Class`) is a call making an instance, an attribute read on the class
(`Client.from_env()`: a call whose result is used may make one), a place that makes nothing (a base, an annotation, an `isinstance` type, a
module-level alias), or a value handed over. On an instance made by a call, what runs is the
method called on it at once (`Client(url).address()`) or, when it is bound to a local of the
function (`c = Client(url)`, `with Client(url) as c`), the methods every use of that local calls;
an instance used any other way (returned, stored, handed to a call, awaited) escapes, and any
method may run on it.
"""
from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass

from servicelens.analysis.unreferenced_methods import annotation_of


@dataclass(frozen=True, slots=True)
class Reference:
    """One place a module refers to a class: a call making one, `Class.method`, or a value."""

    path: str
    line: int
    calls: frozenset[str] | None  # the methods run on it there; None when it escapes (any may run)
    made: bool  # an instance is made by calling the class (Python runs its dunders)
    # what a call of a class attribute returns is used (`Client.connect(url).x()`): it may be an
    # instance a factory made, whose dunders run too; not counted as made by name
    may_make: bool = False


def parent_map(tree: ast.Module) -> dict[int, ast.AST]:
    """id of each node -> the node it is a child of."""
    return {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def references(path: str, tree: ast.Module, name: str, locals_: set[str], modules: set[str],
               parents: Mapping[int, ast.AST], harmless: set[int]) -> list[Reference]:
    """The module's references to the class `name`, spelled by one of `locals_` (the names it is
    imported or defined as) or as `m.name` for `m` in `modules` (names bound to its module).
    `parents` and `harmless`: parent_map and harmless_nodes of `tree`."""
    found = []
    for node in ast.walk(tree):
        named = (isinstance(node, ast.Name) and node.id in locals_) or (
            isinstance(node, ast.Attribute) and node.attr == name and isinstance(node.value, ast.Name)
            and node.value.id in modules)
        if not named or id(node) in harmless or isinstance(getattr(node, "ctx", None), ast.Store):
            continue
        parent = parents.get(id(node))
        if isinstance(parent, ast.Assign) and parent in tree.body and all(isinstance(t, ast.Name) for t in parent.targets):
            continue  # a module-level alias (`RESTfulClient = Client`): a member of the family itself
        if isinstance(parent, ast.Call) and parent.func is node:
            found.append(Reference(path, node.lineno, _calls_on(parent, parents), True))
        elif isinstance(parent, ast.Attribute) and parent.value is node:
            found.append(_attribute_reference(path, node.lineno, parent, parents))
        else:
            found.append(Reference(path, node.lineno, None, False))  # handed over as a value
    return found


def _attribute_reference(path: str, line: int, attribute: ast.Attribute,
                         parents: Mapping[int, ast.AST]) -> Reference:
    """`Client.x`: runs `x`; when it is called and what it returns is used, that may be an
    instance it makes (`Client.connect(url)`, a factory): what runs on the result runs too, and
    its dunders."""
    call = parents.get(id(attribute))
    if not isinstance(call, ast.Call) or call.func is not attribute or isinstance(parents.get(id(call)), ast.Expr):
        return Reference(path, line, frozenset({attribute.attr}), False)
    after = _calls_on(call, parents)
    return Reference(path, line, None if after is None else after | {attribute.attr}, False, may_make=True)


def harmless_nodes(tree: ast.Module) -> set[int]:
    """ids of the nodes in places that make nothing: bases, annotations, `isinstance` types,
    `except` types."""
    out: set[int] = set()
    for node in ast.walk(tree):
        held: list[ast.AST | None] = [annotation_of(node)]
        if isinstance(node, ast.ClassDef):
            held.extend(node.bases)
        elif isinstance(node, ast.ExceptHandler):
            held.append(node.type)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("isinstance", "issubclass") and len(node.args) == 2:
            held.append(node.args[1])
        out.update(id(n) for h in held if h is not None for n in ast.walk(h))
    return out


def _calls_on(call: ast.Call, parents: Mapping[int, ast.AST]) -> frozenset[str] | None:
    """The methods run on the instance a call makes: `Client(url).x()`, or through the local it is
    bound to in the same function (`c = Client(url)`, `with Client(url) as c`), every use of which is
    `c.x`; None when it escapes."""
    parent = parents.get(id(call))
    if isinstance(parent, ast.Attribute):
        return frozenset({parent.attr})
    if isinstance(parent, ast.Await):
        return None
    local = ""
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        local = parent.targets[0].id
    elif isinstance(parent, ast.withitem) and isinstance(parent.optional_vars, ast.Name):
        local = parent.optional_vars.id
    function = _enclosing_function(call, parents)
    if not local or function is None:
        return None
    calls = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id == local and isinstance(node.ctx, ast.Load):
            use = parents.get(id(node))
            if not isinstance(use, ast.Attribute):
                return None
            calls.add(use.attr)
    return frozenset(calls)


def _enclosing_function(node: ast.AST, parents: Mapping[int, ast.AST]) -> ast.AST | None:
    current = parents.get(id(node))
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
        current = parents.get(id(current))
    return current
