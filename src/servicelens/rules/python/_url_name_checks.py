"""URL arguments a project middleware authorises, route by route, before the view runs.

A Django middleware's `process_view(self, request, view_func, view_args, view_kwargs)` may look its
checks up by the resolved route's name in a table of the project's (`checks =
URL_PERMISSIONS.get(request.resolver_match.url_name)`), read the URL argument each check names
(`obj = get_object_or_404(model, pk=view_kwargs.get(arg_name))`) and refuse the caller
(`user_has_permission_or_403(request.user, obj, permission)`, `raise PermissionDenied`). The object
such an argument names has then been judged against the caller for every route the table lists,
whatever the view does with it afterwards: a view's lookup keyed by that URL argument is checked.

Three facts, each from its own file: the middleware (`middleware_tables`: the tables it consults
by URL name), the tables (`url_tables`: a module-level dict from URL names to lists of check
tuples, with the strings of each route's entry), and the URLconfs' names of each view
(`view_url_names`). A route missing from the table, or a lookup keyed by an argument its entry
does not name, is judged as before.
"""
from __future__ import annotations

from typing import Iterator, Mapping

from servicelens import ir
from servicelens.frameworks.django_urls import url_patterns
from servicelens.taint.scope import ModuleScope

_HOOK = "process_view"
_NAME_ATTRS = frozenset({"url_name", "view_name"})

UrlTable = tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]  # (qualified name, ((url name, strings), ...))


def url_tables(module: ir.Module) -> Iterator[UrlTable]:
    """`URL_PERMISSIONS = {"delete_engagement": [("object", Engagement, "delete", "eid")], ...}`:
    a module-level dict keyed by strings whose values are lists of tuples; each key with the
    strings its tuples hold."""
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ir.Name) \
                or not isinstance(stmt.value, ir.DictExpr) or not stmt.value.keys:
            continue
        entries = []
        for key, value in zip(stmt.value.keys, stmt.value.values):
            if not (isinstance(key, ir.Const) and isinstance(key.value, str)) or not isinstance(value, ir.Seq) \
                    or not all(isinstance(item, ir.Seq) for item in value.elts):
                break
            strings = tuple(sorted({e.value for item in value.elts for e in item.elts  # type: ignore[union-attr]
                                    if isinstance(e, ir.Const) and isinstance(e.value, str)}))
            entries.append((key.value, strings))
        else:
            yield f"{module.module_name}.{stmt.targets[0].id}", tuple(entries)


def middleware_tables(module: ir.Module, scope: ModuleScope) -> Iterator[str]:
    """The tables (qualified) a middleware's `process_view` consults by the route's URL name,
    when it reads `view_kwargs` and can refuse the caller."""
    for function in module.functions:
        if function.name != _HOOK or function.class_name is None or len(function.params) < 5:
            continue
        kwargs = function.params[4].name
        nodes = [n for s in ir.walk_stmts(function.body) for e in ir.stmt_exprs(s) for n in ir.walk_expr(e)]
        raises = any(isinstance(s, ir.Raise) for s in ir.walk_stmts(function.body))
        refuses = raises or any(isinstance(n, ir.Call) and ("403" in (ir.last_name(n.func) or "")
                                                           or "denied" in (ir.last_name(n.func) or "").lower())
                                for n in nodes)
        reads_kwargs = any(_keyed_read_of(n, kwargs) for n in nodes)
        if not (refuses and reads_kwargs):
            continue
        names = _url_name_locals(function)
        for node in nodes:
            table = _table_by_url_name(node, names)
            if table:
                qualified = scope.imports.get(table) or f"{module.module_name}.{table}"
                yield qualified


def _keyed_read_of(node: ir.Expr, mapping: str) -> bool:
    if isinstance(node, ir.Subscript):
        return isinstance(node.value, ir.Name) and node.value.id == mapping
    return isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "get" \
        and isinstance(node.func.value, ir.Name) and node.func.value.id == mapping


def _is_url_name(expr: ir.Expr, names: set[str]) -> bool:
    if isinstance(expr, ir.Name):
        return expr.id in names
    return isinstance(expr, ir.Attr) and expr.attr in _NAME_ATTRS


def _url_name_locals(function: ir.Function) -> set[str]:
    """Locals bound to the route's URL name (`url_name = resolver_match.url_name`)."""
    return ir.names_assigned(function.body, _is_url_name)


def _table_by_url_name(node: ir.Expr, names: set[str]) -> str:
    """`TABLE.get(url_name)` / `TABLE[url_name]` -> "TABLE"."""
    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "get" and node.args \
            and isinstance(node.func.value, ir.Name) and _is_url_name(node.args[0], names):
        return node.func.value.id
    if isinstance(node, ir.Subscript) and isinstance(node.value, ir.Name) and _is_url_name(node.index, names):
        return node.value.id
    return ""


def view_url_names(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[str, str]]:
    """(dotted view, URL name) for each named pattern of a URLconf module."""
    if not any(isinstance(s, ir.Assign) and any(isinstance(t, ir.Name) and t.id == "urlpatterns" for t in s.targets)
               for s in ir.walk_stmts(module.body)):
        return
    for pattern in url_patterns(module, scope.imports):
        if pattern.kind == "view" and pattern.name:
            yield pattern.target, pattern.name


def checked_keys(views: tuple[str, ...], names: Mapping[str, frozenset[str]],
                 tables: Mapping[str, Mapping[str, frozenset[str]]]) -> frozenset[str]:
    """The URL arguments a consulted table's entries, for the routes serving one of `views`, name."""
    found: set[str] = set()
    for view in views:
        for url_name in names.get(view, ()):
            for table in tables.values():
                found.update(table.get(url_name, ()))
    return frozenset(found)
