"""Falcon routes added in a loop over a table, and resources a factory function builds.

    ROUTES = [("/notes", Notes), ("/notes/{note_id}", Notes, "detail")]
    for path, resource, *rest in ROUTES: ...              # a loop over a literal table
    for path, resource in {"/tags": Tags()}.items(): ...   # or over a dict's items
        app.add_route(path, resource())

    app.add_route("/search", make_search(db))              # def make_search(db): return Search(db)

A loop over a table written out in the module (or the function running the loop) adds one
route per row exactly as one `add_route` per row would: `looped_calls` writes each row's values
into the loop's `add_route` call, for the usual reading of that call (endpoints.registrations).
A resource built by a project function is an instance of the class that function returns
(its summary's `returns_class`, taint/summary.py): `built_by` names that class.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterator, Mapping, Protocol, Sequence, TypeVar

from servicelens import ir


def looped_calls(body: tuple[ir.Stmt, ...], tables: Mapping[str, ir.Expr]) -> Iterator[ir.Call]:
    """Each `x.add_route(...)` of a `for` loop over a literal table in `body`, once per row,
    with the row's values in place of the loop's names. `tables`: names bound to literal
    tables where the body can read them (the module's, the body's own)."""
    local = {**tables, **literal_tables(body)}
    for stmt in ir.walk_stmts(body):
        if not isinstance(stmt, ir.For):
            continue
        rows = _rows(stmt.iter, local)
        names = _target_names(stmt.target)
        if not rows or not names:
            continue
        for call in _adds(stmt.body):
            for row in rows:
                if len(row) >= len(names):
                    yield _substituted(call, dict(zip(names, row)))


def literal_tables(body: tuple[ir.Stmt, ...]) -> dict[str, ir.Expr]:
    """Names the body's own statements bind to a literal list/tuple or dict."""
    found: dict[str, ir.Expr] = {}
    for stmt in body:
        if isinstance(stmt, ir.Assign) and stmt.op is None and isinstance(stmt.value, (ir.Seq, ir.DictExpr)):
            found.update({t.id: stmt.value for t in stmt.targets if isinstance(t, ir.Name)})
    return found


def _rows(iterated: ir.Expr, tables: Mapping[str, ir.Expr]) -> list[tuple[ir.Expr, ...]]:
    """The rows a loop walks: tuples of a list/tuple table, or (key, value) of a dict's `.items()`."""
    items = isinstance(iterated, ir.Call) and isinstance(iterated.func, ir.Attr) and iterated.func.attr == "items" \
        and not iterated.args
    source = iterated.func.value if items else iterated  # type: ignore[union-attr]
    table = tables.get(source.id) if isinstance(source, ir.Name) else source
    if items and isinstance(table, ir.DictExpr):
        return [(k, v) for k, v in zip(table.keys, table.values) if k is not None]
    if not items and isinstance(table, ir.Seq):
        rows = [e.elts for e in table.elts if isinstance(e, ir.Seq) and e.kind == "tuple"]
        return rows if len(rows) == len(table.elts) else []
    return []


def _target_names(target: ir.Expr) -> list[str]:
    """`path, resource` (a `*rest` ends the names read) -> ["path", "resource"]."""
    if not isinstance(target, ir.Seq):
        return []
    names = []
    for element in target.elts:
        if isinstance(element, ir.Starred):
            break
        names.append(element.id if isinstance(element, ir.Name) else "")
    return names


def _adds(body: tuple[ir.Stmt, ...]) -> Iterator[ir.Call]:
    for stmt in ir.walk_stmts(body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "add_route":
                    yield node


def _substituted(call: ir.Call, values: Mapping[str, ir.Expr]) -> ir.Call:
    """The call with the loop's names written as the row's values: an argument that is one of
    them, or calls one (`resource()`, the class the row names built here)."""
    def put(expr: ir.Expr) -> ir.Expr:
        if isinstance(expr, ir.Name) and expr.id in values:
            return values[expr.id]
        if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Name) and expr.func.id in values:
            return replace(expr, func=values[expr.func.id])
        return expr
    return replace(call, args=tuple(put(a) for a in call.args),
                   kwargs=tuple(replace(k, value=put(k.value)) for k in call.kwargs))


class _Read(Protocol):
    line: int


class _Registration(Protocol):
    framework: str
    target: str


R = TypeVar("R", bound=_Registration)


def built_by(target: str, by_tail: Mapping[str, Sequence[tuple[str, str]]], same: Callable[[str, str], bool]) -> str:
    """The class a factory function `target` returns an instance of ("" when not one of those).
    `by_tail`: (function key, class returned) by the function's last name (`returned_by_tail`)."""
    found = {cls for key, cls in by_tail.get(target.rsplit(".", 1)[-1], ()) if same(key, target)}
    return found.pop() if len(found) == 1 else ""


def returned_by_tail(returned: Mapping[str, str]) -> dict[str, list[tuple[str, str]]]:
    """{function key: class it returns} indexed by the function's last name: one pass, not one per route."""
    index: dict[str, list[tuple[str, str]]] = {}
    for key, cls in returned.items():
        index.setdefault(key.rsplit(".", 1)[-1], []).append((key, cls))
    return index


def with_factories(registrations: Sequence[R], returned: Mapping[str, str],
                   same: Callable[[str, str], bool]) -> list[R]:
    """Falcon registrations whose resource a project function builds, bound to the class it returns."""
    if not any(r.framework == "falcon" for r in registrations):
        return list(registrations)
    by_tail = returned_by_tail(returned)
    return [replace(r, target=cls) if r.framework == "falcon"
            and (cls := built_by(r.target, by_tail, same)) else r for r in registrations]


def unread_adds(module: ir.Module, registered: Sequence[_Read]) -> tuple[int, ...]:
    """Lines of the module's `add_route` calls that bound no resource the review can name (a
    resource handed in as a parameter, a path built at run time): any resource may be added there.
    A module need not import falcon to add routes: `def init(application): application.add_route(...)`
    receives the app, so every unread `add_route` counts, whatever the module imports."""
    read = {r.line for r in registered}
    return tuple(sorted({node.line for function, statements in ir.body_statements(module) for stmt in statements
                         for expr in ir.stmt_exprs(stmt) for node in ir.walk_expr(expr)
                         if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr)
                         and node.func.attr == "add_route" and node.line not in read}))
