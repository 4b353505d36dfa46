"""Work repeated on every loop iteration that could be done once, or with a better structure.

## What it finds
Inside a `for`/`while` loop or comprehension:
- `x in names` inside a loop over the rows of a query, cursor or file, where `names` is a list
  built before the loop from such rows (`values_list(...)`, a comprehension or `list(...)`
  over them): a linear scan per row, O(n*m) with both sides growing with the tables;
- `sorted(data)` / `data.sort()` of data the loop does not change;
- `json.loads` / `yaml.safe_load` of the same constant or loop-invariant value;
- `qs.count()` / `len(list(qs))` of a queryset defined before the loop: the same query per item;
- `text += ...` building a string over the rows of a query or a collection of unknown size.
`re.compile`/`re.match` with a constant pattern is not reported: `re` caches compiled patterns.

## Why it matters
The cost multiplies by the loop length: a 10,000-item membership test against a
10,000-item list is 10^8 comparisons (seconds of CPU on a request thread); re-sorting or
re-parsing the same data per item turns an O(n) pass into O(n^2 log n).

## Example
```python
known = [u.email for u in users]
new = [row for row in rows if row["email"] not in known]
```

## Fix
```python
known = {u.email for u in users}
new = [row for row in rows if row["email"] not in known]
```
Hoist invariant `sorted`/`json.loads`/`count()` above the loop; build strings with
`"".join(parts)` or `io.StringIO`.

## Known problems
Loop invariance is judged by names: a list mutated through an alias inside the loop is
not seen. A membership scan is reported only when both sides grow with stored data: the loop
iterates the rows of a query, cursor or file, and the list is built from such rows
(`values_list`, a comprehension or `list()` over them) in the same function. A scan where one
side is a request's ids, one object's lines, a parameter or a settings list is left out
(readers of public code judged every such finding negligible; false negative when a
parameter carries a whole table), and so is one where either side is fixed by the code
(`_loop_bounds`: constants, enum members, a model's `_meta` fields, one object's related rows).
"""
from __future__ import annotations

from typing import Iterable, Iterator

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule
from servicelens.rules.python._loop_bounds import bounded_iterable
from servicelens.rules.python.perf_common import FunctionView, Loop, PerfContext, call_name, method_of, names_in, reviewable
from servicelens.taint.scope import ModuleScope

_PARSERS = frozenset({"json.loads", "yaml.safe_load", "yaml.load", "ujson.loads", "orjson.loads"})
_LIST_BUILDERS = frozenset({"list", "values_list", "split", "readlines", "keys_list"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if not reviewable(module):
        return
    index = file_index(module, scope)
    for function, view in PerfContext.shared(module, scope).bodies():
        if not view.loops:
            continue
        body = function.body if function is not None else module.body
        changed = _assigned_in_loops(body, view.loops, index)
        seen: set[int] = set()
        for finding in _findings(module, scope, function, view, body, changed, index):
            if finding.location.start_line not in seen:
                seen.add(finding.location.start_line)
                yield finding


def _assigned_in_loops(body: tuple[ir.Stmt, ...], loops: tuple[Loop, ...], index: FileIndex) -> dict[int, set[str]]:
    """Names each loop (keyed by its first line) rebinds or mutates: its targets and what its body assigns."""
    out = {loop.line: set(loop.targets) for loop in loops}
    for stmt in index.walk_stmts(body):
        names: set[str] = set()
        if isinstance(stmt, ir.Assign):
            names = {n for t in stmt.targets for n in _bound(t)}
        elif isinstance(stmt, (ir.For, ir.With)):
            names = set(names_in(stmt.target)) if isinstance(stmt, ir.For) else {
                n for i in stmt.items if i.target is not None for n in _bound(i.target)}
        elif isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call) and isinstance(stmt.value.func, ir.Attr):
            names = {ir.dotted_name(stmt.value.func.value) or ""}  # data.append(...), data.sort(): mutated
        for loop in loops:
            if loop.line <= stmt.line <= loop.end_line:
                out[loop.line] |= names
    return out


def _bound(target: ir.Expr) -> Iterator[str]:
    name = ir.dotted_name(target)
    if name:
        yield name
        yield name.split(".")[0]
    yield from names_in(target)


def _findings(module: ir.Module, scope: ModuleScope, function: ir.Function | None, view: FunctionView,
              body: tuple[ir.Stmt, ...], changed: dict[int, set[str]], index: FileIndex) -> Iterator[Finding]:
    once = _exit_branch_lines(body, index)
    for site in view.sites:
        loop = site.loop
        if loop is None or site.deferred or site.call.line in once:
            continue
        mutated = changed.get(loop.line, set())
        call, name = site.call, call_name(site.call, scope, function)
        if name == "sorted" and call.args and _invariant(call.args[0], mutated):
            yield _finding(module, call.line, "sorted() of the same data on every iteration",
                           "Sort once before the loop (or keep the data ordered with bisect/heapq).")
        elif method_of(call) == "sort" and not _is_target(call.func.value, loop) \
                and _invariant(call.func.value, mutated - {_name(call.func.value)}):  # type: ignore[union-attr]
            yield _finding(module, call.line, "list.sort() of the same list on every iteration",
                           "Sort once after filling the list, or insert in order with bisect.insort.")
        elif name in _PARSERS and call.args and _invariant(call.args[0], mutated) and not _is_target(call.args[0], loop):
            yield _finding(module, call.line, f"{name}() parses the same input on every iteration",
                           "Parse it once before the loop and reuse the result.")
        elif method_of(call) == "count" and not call.args and _query_var(call.func.value, view, mutated):  # type: ignore[union-attr]
            yield _finding(module, call.line, "The same COUNT query runs on every iteration",
                           "Count once before the loop (or annotate the counts in one query).")
    yield from _memberships(module, view, body, changed, index, function)
    yield from _string_building(module, view, body, index)


def _exit_branch_lines(body: tuple[ir.Stmt, ...], index: FileIndex) -> set[int]:
    """Lines of branches that leave the loop (end in raise/return/break): they run at most once."""
    lines: set[int] = set()
    for stmt in index.walk_stmts(body):
        if not isinstance(stmt, ir.If):
            continue
        for block in (stmt.body, stmt.orelse):
            if block and (isinstance(block[-1], (ir.Raise, ir.Return))
                          or (isinstance(block[-1], ir.Jump) and block[-1].kind == "break")):
                lines.update(range(block[0].line, block[-1].end_line + 1))
    return lines


def _name(expr: ir.Expr) -> str:
    return ir.dotted_name(expr) or ""


def _invariant(expr: ir.Expr, mutated: set[str]) -> bool:
    """Built only from names the loop does not touch (and constants), and not a call."""
    names = [n for n in ir.walk_expr(expr) if isinstance(n, (ir.Name, ir.Attr))]
    if any(isinstance(n, (ir.Call, ir.Lambda, ir.Comprehension)) for n in ir.walk_expr(expr)):
        return False
    if not names:
        return isinstance(expr, ir.Const)
    return all(_name(n) not in mutated and _name(n).split(".")[0] not in mutated for n in names if _name(n))


def _is_target(expr: ir.Expr, loop: Loop) -> bool:
    return any(isinstance(n, ir.Name) and n.id in loop.targets for n in ir.walk_expr(expr))


def _query_var(expr: ir.Expr, view: FunctionView, mutated: set[str]) -> bool:
    name = _name(expr)
    value = view.assigns.get(name)
    if not name or name in mutated or not isinstance(value, ir.Call):
        return False
    return ".objects." in f".{_name(value.func)}." or any(
        isinstance(n, ir.Attr) and n.attr == "objects" for n in ir.walk_expr(value.func))


def _memberships(module: ir.Module, view: FunctionView, body: tuple[ir.Stmt, ...],
                 changed: dict[int, set[str]], index: FileIndex, function: ir.Function | None) -> Iterator[Finding]:
    for loop in view.loops:
        mutated = changed.get(loop.line, set())
        for node in _loop_exprs(body, loop, index):
            if not isinstance(node, ir.Compare) or not any(op in ("in", "not in") for op in node.ops):
                continue
            for op, right in zip(node.ops, node.comparators):
                name = _name(right) if isinstance(right, ir.Name) else ""
                if op in ("in", "not in") and name and name not in mutated and _built_list(view.assigns.get(name)) \
                        and _both_sides_grow(loop, view.assigns.get(name), view) \
                        and not _either_side_small(loop, view.assigns.get(name), module, function, index):
                    yield _finding(module, node.line, f"`{op}` on the list `{name}` inside a loop: a linear scan per item",
                                   f"Make `{name}` a set (or dict) once before the loop: O(1) lookups instead of "
                                   "O(len) per item.", code=f"{name} = set({name})", severity=Severity.LOW)


def _both_sides_grow(loop: Loop, listed: ir.Expr | None, view: FunctionView) -> bool:
    """A scan per item costs len(loop) x len(list): it reaches seconds only when both grow with
    stored data, the loop over the rows of a query, cursor or file and the list built from such
    rows (`values_list(...)`, a comprehension or `list()` over them). A request's ids, one
    object's lines or a settings list keep one side at a handful (no reader of public code
    judged such a scan worth a change)."""
    if loop.iter is None or not _rows(loop.iter, view):
        return False
    if isinstance(listed, ir.Comprehension):
        return any(_rows(it, view) for it in listed.iters)
    if isinstance(listed, ir.Call) and _name(listed.func) == "list":
        return bool(listed.args) and _rows(listed.args[0], view)
    return listed is not None and _rows(listed, view)


def _rows(iterable: ir.Expr, view: FunctionView, depth: int = 0) -> bool:
    """The rows of a query, a cursor or a file, through local names and chained calls
    (`Model.objects.filter(...).values_list(...)`, `csv.DictReader(fh)`)."""
    node = view.assigns.get(iterable.id, iterable) if isinstance(iterable, ir.Name) and depth < 3 else iterable
    if node is not iterable:
        return _rows(node, view, depth + 1)
    return isinstance(node, ir.Call) and ir.last_name(node.func) in _ROW_SOURCES


def _either_side_small(loop: Loop, listed: ir.Expr | None, module: ir.Module, function: ir.Function | None,
                       index: FileIndex) -> bool:
    """A scan per item costs len(loop) x len(list): negligible when either is fixed by the code
    (`_loop_bounds`: constants, enum members, a model's fields, one object's related rows)."""
    if loop.iter is not None and bounded_iterable(loop.iter, module, function, index=index):
        return True
    if isinstance(listed, ir.Comprehension):
        return bool(listed.iters) and all(bounded_iterable(it, module, function, index=index) for it in listed.iters)
    if isinstance(listed, ir.Call):
        if _name(listed.func) == "list":
            return bool(listed.args) and bounded_iterable(listed.args[0], module, function, index=index)
        return bounded_iterable(listed, module, function, index=index)  # `invoice.lines.values_list(...)`
    return False


def _loop_exprs(body: tuple[ir.Stmt, ...], loop: Loop, index: FileIndex) -> Iterator[ir.Expr]:
    """Expressions evaluated once per iteration of `loop` (its body, or a comprehension's condition/element)."""
    for stmt in index.walk_stmts(body):
        in_loop = loop.line < stmt.line <= loop.end_line
        # outside the loop's lines only a comprehension on the loop's line contributes
        for node in index.stmt_nodes(stmt) if in_loop else index.stmt_of_kind(stmt, ir.Comprehension):
            if isinstance(node, ir.Comprehension) and node.line == loop.line:
                for part in node.conds + (node.elt,):
                    yield from ir.walk_expr(part)
            elif in_loop:
                yield node


def _built_list(value: ir.Expr | None) -> bool:
    """A list made from data at run time (not a literal of a few constants)."""
    if isinstance(value, ir.Comprehension):
        # `[kw.value for kw in RelationalKeyword]`: the members of an enum or a constant, a handful of items
        fixed = all(isinstance(it, ir.Seq) or (isinstance(it, ir.Name) and it.id[:1].isupper()) for it in value.iters)
        return value.kind == "list" and not fixed
    if isinstance(value, ir.Call):
        func = _name(value.func).rsplit(".", 1)[-1]
        return func in _LIST_BUILDERS and not (func == "values_list" and value.kwarg("flat") is None)
    return False


def _string_building(module: ir.Module, view: FunctionView, body: tuple[ir.Stmt, ...],
                     index: FileIndex) -> Iterator[Finding]:
    strings = {name for name, value in view.assigns.items()
               if isinstance(value, (ir.FormattedString,)) or (isinstance(value, ir.Const) and isinstance(value.value, str))}
    for loop in view.loops:
        if loop.iter is None or not _unbounded(loop.iter, view):
            continue
        for stmt in index.walk_stmts(body):
            if isinstance(stmt, ir.Assign) and stmt.op == "+" and loop.line < stmt.line <= loop.end_line \
                    and len(stmt.targets) == 1 and _name(stmt.targets[0]) in strings:
                yield _finding(module, stmt.line, f"String `{_name(stmt.targets[0])}` built with += over every row",
                               "Collect the parts in a list and join once: each += may copy the whole string, "
                               "O(n^2) bytes copied for n rows.",
                               code=f"parts = []\n# in the loop: parts.append(...)\n{_name(stmt.targets[0])} = \"\".join(parts)",
                               severity=Severity.LOW)
                break


_ROW_SOURCES = frozenset({"all", "filter", "exclude", "iterator", "fetchall", "fetchmany", "readlines", "scalars",
                          "values", "values_list", "order_by", "execute", "reader", "DictReader", "iter_rows"})


def _unbounded(iterable: ir.Expr, view: FunctionView) -> bool:
    """Rows of a query, a cursor or a file: collections that grow with the data."""
    node = view.assigns.get(iterable.id, iterable) if isinstance(iterable, ir.Name) else iterable
    if isinstance(node, ir.Call):
        return _name(node.func).rsplit(".", 1)[-1] in _ROW_SOURCES
    return False


def _finding(module: ir.Module, line: int, title: str, fix: str, code: str = "",
             severity: Severity | None = None) -> Finding:
    return make_finding(
        "inefficient-loop-work", Location(module.path, line), title,
        "The work is repeated for every item although its result does not change (or a better structure exists): "
        "the cost grows with the product of the sizes, e.g. 10,000 x 10,000 = 10^8 steps, seconds of CPU "
        "on a request thread.",
        severity=severity, confidence=Confidence.MEDIUM, rule=RULE.id, key=module.line_text(line),
        fix=Fix(fix, code or f"# before the loop:\n# value = ...  ({module.line_text(line)})", "python"),
    )


RULE = Rule("py-perf-inefficient-loop-work", frozenset({"inefficient-loop-work"}), "python", check, requires=("for ",))
