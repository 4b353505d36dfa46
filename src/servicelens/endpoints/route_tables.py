"""Routes declared as a table of (path, view) pairs that a loop or a project helper registers.

    ROUTES = [("/invoices", InvoiceList), ("/invoices/<id>", InvoiceItem)]
    for path, view in ROUTES:                                   # a registering loop
        bp.add_url_rule(path, view_func=view.as_view(path))
    register_views(bp, ROUTES, decorators=[login_required])    # a helper the project defines

The table binds each path to its view exactly like one `add_url_rule` per row would; the
helper's `decorators=` wrap every view it registers, so they reach each row's handler. A
row's view only becomes an endpoint where it is a handler (a MethodView/Resource class, a
view function): a table of other pairs binds nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Mapping

from servicelens import ir

REGISTERING_CALLS = frozenset({"add_url_rule", "add_resource", "route", "register_api", "add_view"})


@dataclass(frozen=True, slots=True)
class TableRow:
    path: str
    view: ir.Expr
    line: int


@dataclass(frozen=True, slots=True)
class TableUse:
    """A table registered once: by a loop over it or by a call that is handed it."""

    rows: tuple[TableRow, ...]
    receiver: str  # dotted name of the blueprint/app/api the rows are registered on ("" unknown)
    decorators: tuple[ir.Expr, ...]  # `decorators=[...]` given to the helper
    line: int


def table_uses(module: ir.Module, bodies: Iterator[tuple[ir.Stmt, ...]]) -> list[TableUse]:
    """Every registration of a route table in the given bodies of the module."""
    tables = _module_tables(module)
    found: list[TableUse] = []
    for body in bodies:
        local = {**tables, **_tables_in(body)}
        for stmt in ir.walk_stmts(body):
            if isinstance(stmt, ir.For):
                found.extend(_loop_use(stmt, local))
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if isinstance(node, ir.Call):
                        found.extend(_helper_use(node, local))
    return found


def _module_tables(module: ir.Module) -> dict[str, tuple[TableRow, ...]]:
    return _tables_in(module.body)


def _tables_in(body: tuple[ir.Stmt, ...]) -> dict[str, tuple[TableRow, ...]]:
    """`ROUTES = [(path, view), ...]` assigned in this body (not nested bodies), by name."""
    found: dict[str, tuple[TableRow, ...]] = {}
    for stmt in body:
        if isinstance(stmt, ir.Assign) and stmt.value is not None and stmt.op is None:
            rows = rows_of(stmt.value)
            for target in stmt.targets:
                if rows and isinstance(target, ir.Name):
                    found[target.id] = rows
    return found


def rows_of(expr: ir.Expr) -> tuple[TableRow, ...]:
    """The rows of a literal list/tuple of pairs whose one string element is a URL path."""
    if not isinstance(expr, ir.Seq) or not expr.elts:
        return ()
    rows = []
    for element in expr.elts:
        row = _row(element)
        if row is None:
            return ()  # not a route table: every element must be a (path, view) pair
        rows.append(row)
    return tuple(rows)


def _row(element: ir.Expr) -> TableRow | None:
    """`("/loans", LoanList)`, or `("/loans/<id>", LoanItem, "loan_item")` with the endpoint name
    the registering loop gives `as_view`: one URL path, a view, other strings beside them."""
    if not isinstance(element, ir.Seq) or element.kind != "tuple" or len(element.elts) < 2:
        return None
    paths = [e.value for e in element.elts if isinstance(e, ir.Const) and isinstance(e.value, str)
             and e.value.startswith("/")]
    views = [e for e in element.elts if isinstance(e, (ir.Name, ir.Attr, ir.Call))]
    if len(paths) != 1 or not views:
        return None
    return TableRow(paths[0], views[0], element.line)


def _table(expr: ir.Expr | None, tables: Mapping[str, tuple[TableRow, ...]]) -> tuple[TableRow, ...]:
    if isinstance(expr, ir.Name):
        return tables.get(expr.id, ())
    return rows_of(expr) if expr is not None else ()


def _loop_use(loop: ir.For, tables: Mapping[str, tuple[TableRow, ...]]) -> list[TableUse]:
    """`for path, view in ROUTES: bp.add_url_rule(path, view_func=...)`: the loop registers."""
    rows = _table(loop.iter, tables)
    if not rows or not isinstance(loop.target, ir.Seq):
        return []
    for stmt in ir.walk_stmts(loop.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) \
                        and node.func.attr in REGISTERING_CALLS:
                    return [TableUse(rows, ir.dotted_name(node.func.value) or "", (), loop.line)]
    return []


def _helper_use(call: ir.Call, tables: Mapping[str, tuple[TableRow, ...]]) -> list[TableUse]:
    """`register_views(bp, ROUTES, decorators=[...])`: a call handed a route table. The
    framework's own registration methods take one path each and are read elsewhere."""
    name = ir.dotted_name(call.func) or ""
    if not name or name.rsplit(".", 1)[-1] in REGISTERING_CALLS:
        return []
    listed = call.kwarg("decorators")
    decorators = listed.elts if isinstance(listed, ir.Seq) else ()
    given = [*call.args, *(k.value for k in call.kwargs if k.name and k.name != "decorators")]
    for index, arg in enumerate(given):
        rows = _table(arg, tables)
        if rows:  # handed by position or by keyword (`setup_urls(blueprint=bp, urls=URLS)`)
            receiver = next((ir.dotted_name(a) or "" for a in given[:index] if isinstance(a, (ir.Name, ir.Attr))), "")
            return [TableUse(rows, receiver, decorators, call.line)]
    return _view_with_paths(call, decorators)


def _view_with_paths(call: ir.Call, decorators: tuple[ir.Expr, ...]) -> list[TableUse]:
    """`register_view(bp, routes=["/a", "/b"], view_func=Page.as_view("page"))`: a helper
    handed one class view and the literal paths it is served at. A flask-restful resource is
    handed as its class (`resource_map(resource=UserResource, url="/users/<id>")`, the entry a
    project's `add_resource` loop reads later): one class named in CapWords with the paths. The
    row binds only where that class is a handler (its own `get`/`post`... decide the methods)."""
    given = list(call.args) + [k.value for k in call.kwargs if k.name]
    views = [a for a in given if _is_class_view(a)] or [a for a in given if _is_class_name(a)]
    paths = [p for a in given if a not in views for p in _paths(a)]
    if len(views) != 1 or not paths:
        return []
    receiver = ir.dotted_name(call.args[0]) or "" if call.args and isinstance(call.args[0], (ir.Name, ir.Attr)) else ""
    return [TableUse(tuple(TableRow(path, views[0], call.line) for path in paths), receiver, decorators, call.line)]


def _is_class_view(expr: ir.Expr) -> bool:
    while isinstance(expr, ir.Call) and not (isinstance(expr.func, ir.Attr) and expr.func.attr == "as_view"):
        if len(expr.args) != 1:
            return False
        expr = expr.args[0]  # `login_required(Page.as_view("page"))`
    return isinstance(expr, ir.Call)


def _is_class_name(expr: ir.Expr) -> bool:
    """`UserResource` / `users.UserResource`: a class by the naming convention (CapWords, not a
    CONSTANT), the only way one file can tell a class it imports."""
    name = (ir.dotted_name(expr) or "").rpartition(".")[2] if isinstance(expr, (ir.Name, ir.Attr)) else ""
    return name[:1].isupper() and any(c.islower() for c in name)


def _paths(expr: ir.Expr) -> list[str]:
    items = expr.elts if isinstance(expr, ir.Seq) else (expr,)
    found = [e.value for e in items if isinstance(e, ir.Const) and isinstance(e.value, str) and e.value.startswith("/")]
    return found if len(found) == len(items) else []


def decorator_names(decorators: tuple[ir.Expr, ...], qualify: Callable[[ir.Expr], str]) -> tuple[str, ...]:
    """`[require_person, jwt_required()]`: the project-wide names of what wraps each view."""
    named = (qualify(d.func if isinstance(d, ir.Call) else d) for d in decorators)
    return tuple(dict.fromkeys(n for n in named if n))
