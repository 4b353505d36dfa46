"""Tornado URL specs a module lists for the application to assemble.

    # notes/handlers.py
    note_id = r"(?P<note_id>\\w+)"
    default_handlers = [(r"/api/notes", NotesHandler), (r"/api/notes/%s" % note_id, NoteHandler)]

    # server.py
    def load_handlers(name):                     # a module named at run time
        return __import__(name, fromlist=["default_handlers"]).default_handlers
    app = web.Application(load_handlers("app.notes.handlers") + [(r"/", MainHandler)])

Per file: the module-level lists of `(pattern, HandlerClass, ...)` specs (or `url(pattern,
Handler)`) a Tornado module declares, and those its functions list where they build the app, each pattern read from its literal text and the module's
string constants (`%`, `+`, f-strings; a name it cannot read is written as `<name>`), each
handler named project-wide (`handler_tables`); and what the module reads of such lists: its own
lists used anywhere in its code, the lists of modules it imports that it gathers into another
(`for mod in (auth, users): specs.extend(mod.default_handlers)`), and the attributes it reads of
modules it imports at run time
(`__import__(name).default_handlers`, `import_module(name).X`, `getattr(module, "X")`) as
`*.X` (`table_reads`). Project-wide, a list that some module reads, by that use, by importing it
(`from notes.handlers import default_handlers`) or as such an attribute, registers its specs
(`with_handler_tables`), as does a list a function builds; a module-level list nothing reads
serves nothing.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Iterator, Mapping, Sequence

from servicelens import ir
from servicelens.endpoints.imported_tables import DeclaredTable
from servicelens.endpoints.registrations import UNRESOLVED, Registration

if TYPE_CHECKING:  # the per-file phase imports this module before the facts it fills
    from servicelens.analysis.facts import FileFacts
    from servicelens.analysis.file_index import FileIndex

DYNAMIC = "*."  # a read of an attribute of a module imported at run time
LOCAL = "<locals>"  # the specs a function lists: read where it builds them
_SPEC_CALLS = frozenset({"url", "URLSpec"})
_IMPORTERS = frozenset({"__import__", "import_module"})
_PERCENT = re.compile(r"%[sdr]")
_ADDERS = frozenset({"append", "insert"})
_GATHERING = frozenset({"extend", "append", "insert", "Application", "add_handlers"})
_EMPTY = ir.Seq(0, 0, "list", ())


def handler_tables(module: ir.Module, imports: Mapping[str, str],
                   target: Callable[[ir.Expr], str]) -> tuple[DeclaredTable, ...]:
    """The module-level URL spec lists of a Tornado module, handlers named by `target`."""
    if not any(t.split(".")[0] == "tornado" for t in imports.values()):
        return ()
    constants = _string_constants(module)
    found = []
    named: set[int] = set()
    for stmt in module.body:
        if not (isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Seq) and stmt.op is None):
            continue
        rows = _specs(stmt.value, constants, target)
        if rows:
            named.add(id(stmt.value))
            found.extend(DeclaredTable(f"{module.module_name}.{t.id}", rows) for t in stmt.targets
                         if isinstance(t, ir.Name))
    # `handlers = [...]` in the function that builds the app, `web.Application([...])`: read there
    for scope, body in [("", module.body), *((f.qualname + ".", f.body) for f in module.functions)]:
        rows = tuple(row for stmt in ir.walk_stmts(body) for expr in ir.stmt_exprs(stmt)
                     for node in ir.walk_expr(expr) if id(node) not in named
                     for row in _specs(_listed(node), constants, target))
        if rows:
            found.append(DeclaredTable(f"{module.module_name}.{scope}{LOCAL}", rows))
    return tuple(found)


def _listed(node: ir.Expr) -> ir.Seq:
    """A list of specs as written, or the one spec `handlers.append((r"/", MainHandler))` adds."""
    if isinstance(node, ir.Seq):
        return node
    if isinstance(node, ir.Call) and ir.last_name(node.func) in _ADDERS and node.args \
            and isinstance(node.args[-1], ir.Seq) and node.args[-1].kind == "tuple":
        return ir.Seq(node.line, node.col, "list", (node.args[-1],))
    return _EMPTY


def _specs(listed: ir.Seq, constants: Mapping[str, str],
           target: Callable[[ir.Expr], str]) -> tuple[tuple[str, str, int], ...]:
    """(pattern, handler, line) of each spec; () unless every element is a spec."""
    rows = []
    for element in listed.elts:
        parts = element.elts if isinstance(element, ir.Seq) and element.kind == "tuple" else \
            element.args if isinstance(element, ir.Call) and ir.last_name(element.func) in _SPEC_CALLS else ()
        pattern = _pattern(parts[0], constants) if len(parts) >= 2 else None
        if pattern is None or not isinstance(parts[1], (ir.Name, ir.Attr)):
            return ()
        handler = target(parts[1])
        if handler and not handler.startswith(UNRESOLVED):
            rows.append((pattern, handler, element.line))
    return tuple(rows)


def _string_constants(module: ir.Module) -> dict[str, str]:
    """`path_regex = r"(?P<path>...)"`: the module's names bound once to literal text."""
    found: dict[str, str] = {}
    assigned: dict[str, int] = {}
    for stmt in module.body:
        if isinstance(stmt, ir.Assign):
            for t in stmt.targets:
                if isinstance(t, ir.Name):
                    assigned[t.id] = assigned.get(t.id, 0) + 1
                    text = _pattern(stmt.value, found) if stmt.value is not None and stmt.op is None else None
                    if text is not None and "<" not in text.replace("(?P<", ""):
                        found[t.id] = text
    return {name: text for name, text in found.items() if assigned.get(name) == 1}


def _pattern(expr: ir.Expr, constants: Mapping[str, str]) -> str | None:
    """The text a pattern expression makes from literals and the module's constants."""
    if isinstance(expr, ir.Const):
        return expr.value if isinstance(expr.value, str) else None
    if isinstance(expr, ir.Name):
        return constants.get(expr.id, f"<{expr.id}>")
    if isinstance(expr, ir.BinOp) and expr.op == "+":
        left, right = _pattern(expr.left, constants), _pattern(expr.right, constants)
        return left + right if left is not None and right is not None else None
    if isinstance(expr, ir.BinOp) and expr.op == "%" and isinstance(expr.left, ir.Const) \
            and isinstance(expr.left.value, str):
        values = [_pattern(v, constants) for v in (expr.right.elts if isinstance(expr.right, ir.Seq) else (expr.right,))]
        if any(v is None for v in values):
            return None
        pending = iter(values)
        return _PERCENT.sub(lambda _: next(pending, ""), expr.left.value)
    if isinstance(expr, ir.FormattedString):
        texts = [_pattern(part, constants) for part in expr.parts]
        return "".join(texts) if all(t is not None for t in texts) else None  # type: ignore[arg-type]
    return None


def table_reads(module: ir.Module, tables: Sequence[DeclaredTable], index: "FileIndex") -> tuple[str, ...]:
    """The module's own spec lists its code uses and the lists of modules it imports that it gathers
    (project-wide names), and the attributes it reads of modules imported at run time
    (`*.default_handlers`). Each kind of read is looked for only when the file's index holds what
    it is made of (most modules hold no spec list, import nothing by name at run time, and gather
    no attribute of a module they import)."""
    own = {table.name.rsplit(".", 1)[-1]: table.name for table in tables}
    found: list[str] = []
    for stmt, expr in _expressions(module) if own else ():
        for node in ir.walk_expr(expr):
            if isinstance(node, ir.Name) and node.id in own and not _defines(stmt, node.id):
                found.append(own[node.id])
    if any(index.calls_named(name) for name in _IMPORTERS):
        found.extend(DYNAMIC + name for name in _dynamic_attributes(module))
    if _may_gather(module, index):
        found.extend(_gathered_attributes(module))
    return tuple(dict.fromkeys(found))


def _may_gather(module: ir.Module, index: "FileIndex") -> bool:
    """Does some call gathering lists, or some `+`, take `m.NAME` for a name `m` the module imports
    or loops over imported modules with? Without one `_gathered_attributes` finds nothing."""
    if not module.imports:
        return False
    names = {imp.local for imp in module.imports}
    for order in index.stmt_orders(ir.For):
        stmt = index.statements[order]
        if isinstance(stmt, ir.For) and isinstance(stmt.target, ir.Name):
            names.add(stmt.target.id)
    nodes = [*(call for name in _GATHERING for call in index.calls_named(name)),
             *(node for node in index.of_kind(ir.BinOp) if node.op == "+")]
    return any(isinstance(read.value, ir.Name) and read.value.id in names for node in nodes for read in _gathered(node))


def _gathered_attributes(module: ir.Module) -> list[str]:
    """`h.extend(handlers.default_handlers)`, `for mod in (auth, users): specs.extend(mod.default_handlers)`:
    a list an imported module holds, gathered into another (extended, appended, added, handed to the
    application): its project-wide name."""
    imports = {imp.local: imp.target for imp in module.imports}
    found: list[str] = []
    for body in [module.body, *(f.body for f in module.functions)]:
        modules = {name: [target] for name, target in imports.items()}
        for stmt in ir.walk_stmts(body):  # `for mod in (auth, users)`: each module in turn
            if isinstance(stmt, ir.For) and isinstance(stmt.target, ir.Name) and isinstance(stmt.iter, ir.Seq):
                targets = [imports[e.id] for e in stmt.iter.elts if isinstance(e, ir.Name) and e.id in imports]
                if targets:
                    modules[stmt.target.id] = targets
        for stmt in ir.walk_stmts(body):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    for read in _gathered(node):
                        if isinstance(read.value, ir.Name) and read.value.id in modules:
                            found.extend(f"{target}.{read.attr}" for target in modules[read.value.id])
    return found


def _gathered(node: ir.Expr) -> list[ir.Attr]:
    """The `module.NAME` operands a call gathering lists (`extend`, `append`, `Application`) is
    handed, or that `+` joins."""
    if isinstance(node, ir.Call) and ir.last_name(node.func) in _GATHERING:
        operands: tuple[ir.Expr, ...] = node.args
    elif isinstance(node, ir.BinOp) and node.op == "+":
        operands = (node.left, node.right)
    else:
        return []
    return [operand for operand in operands if isinstance(operand, ir.Attr)]


def _expressions(module: ir.Module) -> Iterator[tuple[ir.Stmt, ir.Expr]]:
    for body in [module.body, *(f.body for f in module.functions)]:
        for stmt in ir.walk_stmts(body):
            for expr in ir.stmt_exprs(stmt):
                yield stmt, expr


def _defines(stmt: ir.Stmt, name: str) -> bool:
    return isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == name for t in stmt.targets)


def _dynamic_attributes(module: ir.Module) -> list[str]:
    """`mod = __import__(name, fromlist=[...]); mod.X`, `importlib.import_module(name).X`,
    `getattr(mod, "X")`: the attributes read of a module the code imports by name at run time."""
    found: list[str] = []
    for body in [module.body, *(f.body for f in module.functions)]:
        modules = {t.id for stmt in ir.walk_stmts(body) if isinstance(stmt, ir.Assign) and _imports_by_name(stmt.value)
                   for t in stmt.targets if isinstance(t, ir.Name)}
        for stmt in ir.walk_stmts(body):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    subject = node.value if isinstance(node, ir.Attr) else \
                        node.args[0] if isinstance(node, ir.Call) and ir.last_name(node.func) == "getattr" \
                        and len(node.args) >= 2 else None
                    if subject is None or not (_imports_by_name(subject) or isinstance(subject, ir.Name)
                                               and subject.id in modules):
                        continue
                    name = node.attr if isinstance(node, ir.Attr) else \
                        node.args[1].value if isinstance(node, ir.Call) and isinstance(node.args[1], ir.Const) else None
                    if isinstance(name, str):
                        found.append(name)
    return found


def _imports_by_name(expr: ir.Expr | None) -> bool:
    return isinstance(expr, ir.Call) and ir.last_name(expr.func) in _IMPORTERS


def with_handler_tables(facts: Sequence["FileFacts"], same: Callable[[str, str], bool]) -> list["FileFacts"]:
    """Each spec list some module reads: its specs as registrations of the declaring module."""
    if not any(fact.handler_tables for fact in facts):
        return list(facts)
    dynamic = {read[len(DYNAMIC):] for fact in facts for read in fact.table_reads if read.startswith(DYNAMIC)}
    named: dict[str, list[str]] = {}
    for fact in facts:
        for name in (*fact.imports, *(r for r in fact.table_reads if not r.startswith(DYNAMIC))):
            named.setdefault(name.rsplit(".", 1)[-1], []).append(name)
    out = list(facts)
    for index, fact in enumerate(facts):
        added = tuple(Registration(view, path, (), "tornado", line, fact.module_name)
                      for table in fact.handler_tables if _read(table.name, dynamic, named, same)
                      for path, view, line in table.rows)
        if added:
            out[index] = replace(fact, registrations=fact.registrations + added)
    return out


def _read(table: str, dynamic: set[str], named: Mapping[str, list[str]], same: Callable[[str, str], bool]) -> bool:
    last = table.rsplit(".", 1)[-1]
    return last == LOCAL or last in dynamic or any(same(table, name) for name in named.get(last, ()))
