"""The project's own Django queryset methods: `Payout.objects.awaiting_review()` is a queryset.

Teams name their common filters on a custom QuerySet or Manager (`def for_seller(self, seller):
return self.filter(seller=seller)`, attached by `objects = LedgerQuerySet.as_manager()` or
`Manager.from_queryset(...)`), and views chain on them: `LedgerEntry.objects.for_seller(s)
.order_by("-created_at")`. Without knowing what the method returns, the chain is not a query, and
the rules that ask how many rows a query returns or which relations it loads (unbounded-query,
n-plus-one-query) say nothing about it. The method's own body says it: every `return` hands back
a chain on `self` (or `self.get_queryset()`, `super().get_queryset()`) ending in a method that
keeps the rows (`filter`, `exclude`, `order_by`, ... or another such method of the project).

The classes live in one module (models.py, managers.py) and the views in others, so the names are
read from every Python file's text before the per-file analysis and travel with the project-wide
handler names, as `queryset-method:<name>` entries (like endpoints.app_state). Only methods of a
class deriving from a Django QuerySet or Manager (directly, or through another such class of the
project) count; a method that returns one row (`.get()`, `.first()`), a number or a list is none.
"""
from __future__ import annotations

import ast
from typing import Iterable

PREFIX = "queryset-method:"
_DJANGO_BASES = frozenset({"QuerySet", "Manager", "BaseManager"})
# Django's own queryset methods that hand back rows of the same model
_ROW_METHODS = frozenset({"all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "annotate",
                          "distinct", "only", "defer", "using", "reverse", "select_for_update", "alias", "none",
                          "union", "get_queryset"})


def queryset_method_entries(texts: Iterable[str]) -> frozenset[str]:
    """`queryset-method:<name>` for each method of a project QuerySet/Manager returning its rows."""
    classes: dict[str, tuple[tuple[str, ...], tuple[ast.FunctionDef | ast.AsyncFunctionDef, ...]]] = {}
    for text in texts:
        if "django" not in text or ("QuerySet" not in text and "Manager" not in text):
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                methods = tuple(s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)))
                classes[node.name] = (tuple(_last_name(b) for b in node.bases), methods)
    query_classes = _query_classes(classes)
    candidates = [m for name in query_classes for m in classes[name][1]]
    found: set[str] = set()
    changed = True
    while changed:  # a method chaining on another of the project's (`return self.active().filter(...)`)
        changed = False
        for method in candidates:
            if method.name not in found and _returns_rows(method, _ROW_METHODS | found):
                found.add(method.name)
                changed = True
    return frozenset(PREFIX + name for name in found)


def queryset_methods(entries: Iterable[str]) -> frozenset[str]:
    """The method names `queryset_method_entries` recorded."""
    return frozenset(entry[len(PREFIX):] for entry in entries if entry.startswith(PREFIX))


def _query_classes(classes: dict[str, tuple[tuple[str, ...], tuple[object, ...]]]) -> set[str]:
    found = {name for name, (bases, _) in classes.items() if _DJANGO_BASES & set(bases)}
    changed = True
    while changed:
        changed = False
        for name, (bases, _) in classes.items():
            if name not in found and found & set(bases):
                found.add(name)
                changed = True
    return found


def _returns_rows(method: ast.FunctionDef | ast.AsyncFunctionDef, chain: frozenset[str]) -> bool:
    if not method.args.args or method.args.args[0].arg != "self" or method.name.startswith("__"):
        return False
    returns = [n for n in ast.walk(method) if isinstance(n, ast.Return)]
    return bool(returns) and all(r.value is not None and _rows_of_self(r.value, chain) for r in returns)


def _rows_of_self(expr: ast.expr, chain: frozenset[str]) -> bool:
    """`self.filter(...).order_by(...)`, `self.get_queryset().exclude(...)`, `super().get_queryset()`."""
    node = expr
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr not in chain:
            return False
        node = node.func.value
        if isinstance(node, ast.Name) and node.id == "self":
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super":
            return True
    return False


def _last_name(expr: ast.expr) -> str:
    if isinstance(expr, ast.Subscript):
        expr = expr.value
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Call):  # `models.Manager.from_queryset(LedgerQuerySet)`
        return _last_name(expr.func.value) if isinstance(expr.func, ast.Attribute) else ""
    return ""
