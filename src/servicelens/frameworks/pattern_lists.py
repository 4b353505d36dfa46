"""The lists of URL patterns a Django URLconf builds, however it builds them.

A URLconf rarely writes one literal list: it assigns, concatenates and extends lists at module
level, often under a switch of the settings, and includes one list in another:

    urlpatterns = [path("", views.index)]
    if settings.ENABLE_REST_API:
        api_patterns = [path("patches/", PatchList.as_view())]
        api_patterns += [path("series/", SeriesList.as_view())]
        urlpatterns += [re_path(r"^api/", include(api_patterns))]
    urlpatterns.append(path("about/", views.about))

Every branch's patterns are ones some configuration serves, so each module-level name gets
every expression that ever contributes to it (`=`, `+=`, `a + b`, `.extend()`, `.append()`,
`.insert()`), in source order, as one synthetic list: the URLconf reader
(frameworks.django_urls) walks that list like a literal one. Views bound once to a name
(`order_list = OrderViewSet.as_view({"get": "list"})`) are kept as the call itself.
"""
from __future__ import annotations

from servicelens import ir

_GROWING = frozenset({"extend", "append", "insert"})


def pattern_lists(module: ir.Module) -> dict[str, ir.Expr]:
    """Module-level name -> a list of what contributes to it, or the `X.as_view(...)` bound to it."""
    parts: dict[str, list[ir.Expr]] = {}
    views: dict[str, ir.Expr] = {}
    for stmt in ir.walk_stmts(module.body):  # `if settings.X:` / `try:` branches too, not defs
        if isinstance(stmt, ir.Assign) and stmt.value is not None and stmt.op in (None, "+"):
            for target in stmt.targets:
                if not isinstance(target, ir.Name):
                    continue
                if is_as_view(stmt.value):
                    views[target.id] = stmt.value
                else:  # a literal, a concatenation, `format_suffix_patterns([...])`: walked alike
                    parts.setdefault(target.id, []).extend(_operands(stmt.value))
        elif isinstance(stmt, ir.ExprStmt) and (grown := _grown(stmt.value)) is not None:
            parts.setdefault(grown[0], []).append(grown[1])
    lists: dict[str, ir.Expr] = {name: ir.Seq(exprs[0].line if exprs else 0, 0, "list", tuple(exprs))
                                 for name, exprs in parts.items()}
    lists.update({name: view for name, view in views.items() if name not in lists})
    return lists


def is_as_view(expr: ir.Expr | None) -> bool:
    return isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr == "as_view"


def _operands(expr: ir.Expr) -> list[ir.Expr]:
    """`a + [path(...)] + b` -> [a, [path(...)], b]."""
    if isinstance(expr, ir.BinOp) and expr.op == "+":
        return _operands(expr.left) + _operands(expr.right)
    return [expr]


def _grown(expr: ir.Expr) -> tuple[str, ir.Expr] | None:
    """`api_patterns.extend([...])` / `.append(path(...))` / `.insert(0, path(...))` -> (name, added)."""
    if not (isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr in _GROWING
            and isinstance(expr.func.value, ir.Name) and expr.args):
        return None
    return expr.func.value.id, expr.args[-1]
