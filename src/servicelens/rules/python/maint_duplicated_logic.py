"""The same substantial function body written twice.

## What it finds
Functions of at least 8 statements whose bodies have the same normalised shape:
the same statements in the same order, calling the same functions and attributes with
the same operators, where only local variable names and literal values differ. Every
copy after the first (ordered by path and line) is reported, pointing at the first.

## Why it matters
A fix applied to one copy and not the other is how one checkout path starts rounding
tax differently from another, or one endpoint keeps a security check the other lost.
Every copy multiplies the cost of each later change and the chance of missing one.

## Example
`create_invoice` in billing/views.py and `create_credit_note` in billing/api.py, each
15 statements that load the customer, compute totals and render the same document.

## Fix
Extract the shared body into one function (parameters for what differs) and call it
from both places.

## Known problems
Only whole function bodies are compared, so a duplicated block inside two different
functions is missed. Tests, migrations and scripts are skipped: repetition there is
usually deliberate.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity, TraceStep
from servicelens.rules.base import Rule, no_findings
from servicelens.rules.python._common import is_test_path
from servicelens.rules.python.rel_shared import is_script_path
from servicelens.taint.scope import ModuleScope

_MIN_STATEMENTS = 8
_MIN_CALLS = 3

Facts = tuple[tuple[str, str, int, int, int], ...]  # (shape hash, qualname, line, end, statements)


def collect(module: ir.Module, scope: ModuleScope) -> Facts:
    if is_test_path(module.path) or is_script_path(module.path):
        return ()
    out = []
    index = file_index(module, scope)
    for function in module.functions:
        stmts = list(index.walk_stmts(function.body))
        if len(stmts) < _MIN_STATEMENTS:
            continue
        tokens, calls = _shape(stmts, _locals(function, stmts), index)
        if calls >= _MIN_CALLS:
            digest = hashlib.blake2b(" ".join(tokens).encode(), digest_size=8).hexdigest()
            out.append((digest, function.qualname, function.line, function.end_line, len(stmts)))
    return tuple(out)


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    groups: dict[str, list[tuple[str, str, int, int, int]]] = {}
    for path in sorted(per_file):
        for digest, qualname, line, end, size in per_file[path]:  # type: ignore[union-attr]
            groups.setdefault(digest, []).append((path, qualname, line, end, size))
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: (m[0], m[2]))
        # one finding per group (one refactoring fixes it), at the second copy, listing the rest
        yield _finding(members[1], members[0], len(members), tuple(members[2:]))


def _locals(function: ir.Function, stmts: list[ir.Stmt]) -> frozenset[str]:
    """Parameters and names bound in the body: renaming these does not change the logic; renaming a
    called function or a module constant does, so those stay in the shape."""
    bound = {p.name for p in function.params} | ir.assigned_names(stmts)
    return frozenset(bound)


def _shape(stmts: list[ir.Stmt], local: frozenset[str], index: FileIndex) -> tuple[list[str], int]:
    """Statement kinds, callee/attribute names and operators; locals numbered by first use."""
    names: dict[str, str] = {}
    tokens: list[str] = []
    calls = 0
    for stmt in stmts:
        tokens.append(type(stmt).__name__ + (getattr(stmt, "op", None) or ""))
        for node in index.stmt_nodes(stmt):
            if isinstance(node, ir.Name):
                tokens.append(names.setdefault(node.id, f"v{len(names)}") if node.id in local else node.id)
            elif isinstance(node, ir.Attr):
                tokens.append("." + node.attr)
            elif isinstance(node, ir.Call):
                calls += 1
                tokens.append("call" + "".join(f",{k.name}" for k in node.kwargs))
            elif isinstance(node, ir.Const):
                tokens.append(type(node.value).__name__)
            elif isinstance(node, (ir.BinOp, ir.BoolOp, ir.Unary)):
                tokens.append(node.op)
            elif isinstance(node, ir.Compare):
                tokens.append("".join(node.ops))
            else:
                tokens.append(type(node).__name__)
    return tokens, calls


def _finding(copy: tuple[str, str, int, int, int], first: tuple[str, str, int, int, int], count: int,
             others: tuple[tuple[str, str, int, int, int], ...] = ()) -> Finding:
    path, qualname, line, end, size = copy
    other_path, other_name, other_line, _, _ = first
    more = tuple(TraceStep(Location(p, ln), "and again", name) for p, name, ln, _, _ in others[:12])
    return make_finding(
        "duplicated-logic", Location(path, line, end),
        f"`{qualname}` repeats `{other_name}` ({other_path}:{other_line}): {size} statements of the same logic"
        + (f", {count} copies in all" if count > 2 else ""),
        "A fix made in one copy and not the other is how two code paths start disagreeing (tax rounded "
        "differently, a permission check kept in one endpoint and lost in the other); every copy multiplies "
        "the cost of each later change.",
        severity=Severity.LOW, confidence=Confidence.HIGH,
        evidence=(TraceStep(Location(other_path, other_line), "first copy", other_name),
                  TraceStep(Location(path, line), "same statements again", qualname)) + more,
        # no code: the shared statements, their inputs and outputs are not known here, and a
        # `def _shared(...)` sketch would be pseudo-code rather than this project's function
        fix=Fix(f"Extract the {size} shared statements into one function (its parameters: the names they read "
                f"that differ between copies; its return: what the callers use afterwards) and call it from "
                f"`{other_name}` ({other_path}:{other_line}) and `{qualname}` ({path}:{line})."),
        rule=RULE.id, key=f"{qualname}~{other_path}:{other_name}",
    )


RULE = Rule("py-duplicated-logic", frozenset({"duplicated-logic"}), "python", no_findings,
            collect=collect, combine=combine)
