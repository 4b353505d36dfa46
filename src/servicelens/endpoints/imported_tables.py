"""Route tables registered by a loop in another module than the one that declares them.

    # api/v1/routes.py
    API_ROUTES = [(SketchListResource, "/sketches/"), (SketchResource, "/sketches/<int:sketch_id>/")]

    # app.py
    from app.api.v1.routes import API_ROUTES as V1_API_ROUTES
    def create_app():
        api_v1 = Api(app, prefix="/api/v1")
        for route in V1_API_ROUTES:
            api_v1.add_resource(*route)                 # each row, below the Api's prefix

Per file: the module-level (path, view) tables a module declares, each row's view named
project-wide in the declaring module (`declared_tables`), and the loops over an imported table
that hand each row to a registering call (`imported_table_loops`, with the prefix of the object
registering them, built in the same function or at module level). Project-wide, each loop's
table rows become registrations of the looping module (`with_imported_tables`), joined like any
other by the inventory. A table nobody loops over registers nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from servicelens import ir
from servicelens.endpoints.registrations import UNRESOLVED, Registration
from servicelens.endpoints.route_tables import REGISTERING_CALLS, rows_of

if TYPE_CHECKING:  # the per-file phase imports this module before the facts it fills
    from servicelens.analysis.facts import FileFacts


@dataclass(frozen=True, slots=True)
class DeclaredTable:
    name: str  # project-wide: `app.api.v1.routes.API_ROUTES`
    rows: tuple[tuple[str, str, int], ...]  # (path, project-wide view, line)


@dataclass(frozen=True, slots=True)
class TableLoop:
    table: str  # the imported table, project-wide as the import names it
    prefix: str  # of the object the loop registers each row on
    line: int


def declared_tables(module: ir.Module, target: Callable[[ir.Expr], str]) -> tuple[DeclaredTable, ...]:
    """Module-level route tables, their views named by `target` (the module's own resolution)."""
    found = []
    for stmt in module.body:
        if not (isinstance(stmt, ir.Assign) and stmt.value is not None and stmt.op is None):
            continue
        rows = tuple((row.path, name, row.line) for row in rows_of(stmt.value)
                     if (name := target(row.view)) and not name.startswith(UNRESOLVED))
        if rows:
            found.extend(DeclaredTable(f"{module.module_name}.{t.id}", rows) for t in stmt.targets
                         if isinstance(t, ir.Name))
    return tuple(found)


def imported_table_loops(module: ir.Module, imports: Mapping[str, str],
                         prefixes_in: Callable[[tuple[ir.Stmt, ...]], Mapping[str, str]]) -> tuple[TableLoop, ...]:
    """`for route in TABLE: api.add_resource(*route)` (or `for view, path in TABLE: ...(view, path)`)
    over a name the module imports, in the module body or a function; `prefixes_in(body)`: the
    prefixes of the blueprints and APIs a body builds."""
    found = []
    module_prefixes = prefixes_in(module.body)
    for function, statements in ir.body_statements(module):
        prefixes = {**module_prefixes, **prefixes_in(function.body)} if function is not None else module_prefixes
        for stmt in statements:
            if not (isinstance(stmt, ir.For) and isinstance(stmt.iter, ir.Name) and stmt.iter.id in imports):
                continue
            receiver = _registering_receiver(stmt)
            if receiver is not None:
                found.append(TableLoop(imports[stmt.iter.id], prefixes.get(receiver, ""), stmt.line))
    return tuple(found)


def _registering_receiver(loop: ir.For) -> str | None:
    """The object a registering call in the loop is made on, when the call is handed the row
    (`*route`) or the names it was unpacked into."""
    bound = {loop.target.id} if isinstance(loop.target, ir.Name) else \
        {e.id for e in loop.target.elts if isinstance(e, ir.Name)} if isinstance(loop.target, ir.Seq) else set()
    for call in ir.calls_in_body(loop.body):
        if isinstance(call.func, ir.Attr) and call.func.attr in REGISTERING_CALLS and any(
                isinstance(node, ir.Name) and node.id in bound for arg in call.args for node in ir.walk_expr(arg)):
            return ir.dotted_name(call.func.value) or ""
    return None


def with_imported_tables(facts: Sequence["FileFacts"], same: Callable[[str, str], bool]) -> list["FileFacts"]:
    """Each loop's table rows as registrations of the module that loops (flask, its prefix in front)."""
    loops = [(index, loop) for index, fact in enumerate(facts) for loop in fact.table_loops]
    if not loops:
        return list(facts)
    tables = [table for fact in facts for table in fact.route_tables]
    out = list(facts)
    for index, loop in loops:
        matches = [table for table in tables if same(table.name, loop.table)]
        if len(matches) != 1:
            continue
        fact = out[index]
        added = tuple(Registration(view, loop.prefix.rstrip("/") + path, (), "flask", line, fact.module_name)
                      for path, view, line in matches[0].rows)
        out[index] = replace(fact, registrations=fact.registrations + added)
    return out
