"""Code that runs once per process, when Python imports its module, and code that never runs.

A module's own top-level statements and its class bodies run when the module is first
imported: a worker or web process pays for them once, at boot, never per request (reach
`startup`, like an `AppConfig.ready`). What a function defined there does is decided by who
calls it (analysis/reach.py), not here.

A module `pkg/name.py` beside a package `pkg/name/__init__.py` can never be imported: Python's
path finder looks for the package directory before the module file, so `import pkg.name` (and
every `from pkg.name import ...`) loads the package. Such a module is a leftover of a move to a
package; nothing in it runs (reach `dead`). This is exact by the import rules and needs nothing
but the two paths, so it holds in a partial review too: when the package is not in the review,
nothing is concluded.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from servicelens import ir
from servicelens.analysis.entry_points import is_main_guard

DEAD = "dead"
_INIT_FILES = ("__init__.py",)


def import_time_lines(module: ir.Module) -> tuple[tuple[int, int], ...]:
    """(first, last) line of each statement that makes a call when Python imports `module`: the
    module's top level and the bodies of classes defined there, without function bodies (they run
    when called) and without the `if __name__ == "__main__":` block (it runs only as a script).
    A declaration without a call (`DEBUG = True`, a serializer's `fields = "__all__"`) is not
    code that runs once but a value the service uses on every request: it keeps its reach."""
    ranges = list(_statements(module.body))
    for cls in module.classes:
        if ".<locals>." not in cls.qualname:  # a class defined in a function is built when it runs
            ranges.extend(_statements(cls.body))
    return tuple(sorted(set(ranges)))


def _statements(body: tuple[ir.Stmt, ...]) -> Iterator[tuple[int, int]]:
    for stmt in body:
        if isinstance(stmt, ir.Def) or is_main_guard(stmt):
            continue
        if isinstance(stmt, ir.If):
            yield from _calling(stmt, stmt.line, stmt.line)
            yield from _statements(stmt.body)
            yield from _statements(stmt.orelse)
        elif isinstance(stmt, ir.Try):
            for block in (stmt.body, stmt.orelse, stmt.finalbody, *(h.body for h in stmt.handlers)):
                yield from _statements(block)
        elif isinstance(stmt, (ir.With, ir.For, ir.While)):
            yield from _calling(stmt, stmt.line, stmt.line)
            yield from _statements(stmt.body)
            yield from _statements(getattr(stmt, "orelse", ()))
        else:
            yield from _calling(stmt, stmt.line, stmt.end_line)


def _calling(stmt: ir.Stmt, first: int, last: int) -> Iterator[tuple[int, int]]:
    """The statement's lines when its own expressions make a call (a compound statement's header:
    the test, the iterable, the context managers)."""
    if any(isinstance(node, ir.Call) for expr in ir.stmt_exprs(stmt) for node in ir.walk_expr(expr)):
        yield first, last


def shadowed_modules(paths: Iterable[str]) -> dict[str, str]:
    """Python module files that a same-named package in the same directory shadows, each with
    the package that is imported instead."""
    present = set(paths)
    out: dict[str, str] = {}
    for path in present:
        if not path.endswith(".py") or path.rpartition("/")[2] in _INIT_FILES:
            continue
        package = path[:-3]
        init = next((f"{package}/{name}" for name in _INIT_FILES if f"{package}/{name}" in present), None)
        if init is not None:
            out[path] = (f"the package `{package}/` ({init}) has the same name, and Python imports a package "
                         "before a module: this file can never be imported")
    return out


def in_ranges(ranges: tuple[tuple[int, int], ...], line: int) -> bool:
    return any(first <= line <= last for first, last in ranges)
