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
Each entry also carries how the method narrows the rows (`for_seller(s)`: `filter(seller=s)`, one
seller's rows; `recent()`: an `order_by`), so a chain on it is judged as if the filter were written
at the call (one parent's children stay bounded by the parent); a name two classes define with
different filters is left out. It carries too the relation paths the method loads with string
lookups (`return self.prefetch_related("tags__tag")`), so a chain on it counts them as loaded
(n-plus-one-query); a name two classes define keeps only what both load.
"""
from __future__ import annotations

import ast
import re
from typing import Iterable

PREFIX = "queryset-method:"
_DJANGO_BASES = frozenset({"QuerySet", "Manager", "BaseManager"})
# Django's own queryset methods that hand back rows of the same model
_ROW_METHODS = frozenset({"all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "annotate",
                          "distinct", "only", "defer", "using", "reverse", "select_for_update", "alias", "none",
                          "union", "get_queryset"})


# a class statement's name and base list, read without parsing the file (a module holding no method body to read)
_CLASS_HEADER = re.compile(r"^[ \t]*class[ \t]+(\w+)[ \t]*\(([^)]*)\)[ \t]*:", re.M)


def queryset_method_entries(texts: Iterable[str]) -> frozenset[str]:
    """`queryset-method:<name>` for each method of a project QuerySet/Manager returning its rows."""
    classes: dict[str, tuple[tuple[str, ...], tuple[ast.FunctionDef | ast.AsyncFunctionDef, ...]]] = {}
    for text in texts:
        if "django" not in text or ("QuerySet" not in text and "Manager" not in text):
            continue
        if "return self." not in text:  # no method here can return a chain on self: its classes' bases suffice
            for header in _CLASS_HEADER.finditer(text):
                bases = tuple(b.strip().rsplit(".", 1)[-1] for b in header.group(2).split(",") if b.strip() and "=" not in b)
                classes.setdefault(header.group(1), (bases, ()))
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
    shapes: dict[str, set[RowShape]] = {}
    for _ in range(3):  # a method chaining on another carries that one's filter too
        known = {name: next(iter(seen)) for name, seen in shapes.items() if len(seen) == 1}
        shapes = {}
        for method in candidates:
            if method.name in found:
                shapes.setdefault(method.name, set()).add(_shape(method, known))
    loads = _loads(candidates, found)
    return frozenset(PREFIX + name + "=" + _encoded(next(iter(seen))) + ";" + ",".join(sorted(loads.get(name, ())))
                     for name, seen in shapes.items() if len(seen) == 1)


# (columns compared with one value, ordered, a range closed at both ends, relation paths it loads)
RowShape = tuple[tuple[str, ...], bool, bool]
MethodFacts = tuple[tuple[str, ...], bool, bool, tuple[str, ...]]


def queryset_methods(entries: Iterable[str]) -> dict[str, MethodFacts]:
    """Method name -> how it narrows the rows and what it loads, from the entries `queryset_method_entries` made."""
    out: dict[str, MethodFacts] = {}
    for entry in entries:
        if entry.startswith(PREFIX):
            name, _, shape = entry[len(PREFIX):].partition("=")
            columns, ordered, ranged, *loaded = shape.split(";")
            out[name] = (tuple(c for c in columns.split(",") if c), ordered == "o", ranged == "r",
                         tuple(p for p in (loaded[0] if loaded else "").split(",") if p))
    return out


def _encoded(shape: RowShape) -> str:
    return f"{','.join(shape[0])};{'o' if shape[1] else ''};{'r' if shape[2] else ''}"


_LOADING = frozenset({"select_related", "prefetch_related"})


def _loads(candidates: list[ast.FunctionDef | ast.AsyncFunctionDef], found: set[str]) -> dict[str, frozenset[str]]:
    """`def prefetch_default_related(self): return self.prefetch_related("tags__tag")`: the relation
    paths each method loads with string lookups (also through another such method it chains on);
    a name two classes define is held to what every definition loads."""
    loads: dict[str, frozenset[str]] = {}
    for _ in range(3):
        seen: dict[str, list[frozenset[str]]] = {}
        for method in candidates:
            if method.name in found:
                paths: set[str] = set()
                for node in ast.walk(method):
                    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                        if node.func.attr in _LOADING:
                            paths.update(_lookup(arg) for arg in node.args)
                        paths.update(loads.get(node.func.attr, ()) if node.func.attr != method.name else ())
                seen.setdefault(method.name, []).append(frozenset(p for p in paths if p))
        loads = {name: frozenset.intersection(*sets) for name, sets in seen.items()}
    return loads


def _lookup(arg: ast.expr) -> str:
    """A lookup string, or the one a `Prefetch("tags", ...)` names; "" otherwise."""
    if isinstance(arg, ast.Call) and arg.args:
        arg = arg.args[0]
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and "," not in arg.value \
        and ";" not in arg.value else ""


def _shape(method: ast.FunctionDef | ast.AsyncFunctionDef, known: dict[str, RowShape]) -> RowShape:
    """What every return's chain filters on (read as perf_orm.shape_of reads a written filter),
    with the filters of the project's own methods it chains on (`known`)."""
    equal: list[str] = []
    ordered = ranged = False
    bounds: dict[str, set[str]] = {}
    for node in ast.walk(method):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        inner = known.get(node.func.attr)
        if inner is not None:
            equal.extend(inner[0])
            ordered, ranged = ordered or inner[1], ranged or inner[2]
        if node.func.attr == "order_by":
            ordered = True
        if node.func.attr != "filter":
            continue
        for kw in node.keywords:
            parts = (kw.arg or "").split("__")
            if not parts[0]:
                continue
            if len(parts) == 1 or (len(parts) == 2 and parts[1] in ("exact", "id", "pk")):
                equal.append(parts[0][:-3] if parts[0].endswith("_id") else parts[0])
            elif len(parts) == 2 and parts[1] == "range":
                bounds[parts[0]] = {"gt", "lt"}
            elif len(parts) == 2 and parts[1] in ("gt", "gte", "lt", "lte"):
                bounds.setdefault(parts[0], set()).add(parts[1][:2])
    return tuple(sorted(set(equal))), ordered, ranged or any(ends == {"gt", "lt"} for ends in bounds.values())


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
