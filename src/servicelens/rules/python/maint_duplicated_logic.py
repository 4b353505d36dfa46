"""The same substantial function body written twice, and copies that have already diverged.

## What it finds
- Functions whose bodies have the same normalised shape (the same statements in the same
  order, calling the same functions and attributes with the same operators, where only local
  variable names and literal values differ) when the copy is substantial (at least 20
  statements: a procedure, not boilerplate) or verbatim (at least 8 statements identical
  name for name and literal for literal: copied, not written per case). One finding per
  group, at the second copy (ordered by path and line), listing the rest. A shorter copy is
  reported when it calculates (two or more arithmetic steps on values: a total, a tax, a
  limit): a business rule written twice is computed two ways the day one copy is fixed.
- A copy-paste slip in a function of ordinary complexity: four or more same-shaped sibling
  branches whose changing names share a word per branch, one of which kept a name of another
  branch (`if kind == RIVER: ... pools ...`). The copies have diverged the wrong way: that is
  the defect duplication causes, found rather than predicted. (In a function above
  complexity 25 the same slip is reported as high-complexity.)

Parallel code written per model, per integration or per plugin is usually the same short
shape with different names and literals by design; below 20 statements, not verbatim and
computing nothing, it is not reported.

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
from dataclasses import dataclass
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity, TraceStep
from servicelens.rules.base import Rule, contribution, no_findings
from servicelens.rules.python._common import is_test_path
from servicelens.rules.python._copy_slips import copy_slips, describe
from servicelens.rules.python.maint_complexity import complexity
from servicelens.rules.python.rel_shared import is_script_path
from servicelens.taint.scope import ModuleScope

_MIN_STATEMENTS = 8
_MIN_CALLS = 3
_SUBSTANTIAL = 20  # statements: past this a copy holds a procedure, not a per-case boilerplate shape
_COMPLEX = 25  # cyclomatic complexity above which high-complexity reports the slip instead
_RULE_CALCULATIONS = 2  # arithmetic steps on values that make a body a calculation, not plumbing
_ARITHMETIC = frozenset({"+", "-", "*", "/", "//", "**"})


@dataclass(frozen=True, slots=True)
class _Facts:
    # (shape hash, qualname, line, end, statements, text hash, computes a business rule)
    copies: tuple[tuple[str, str, int, int, int, str, bool], ...]
    slips: tuple[tuple[str, int, int, str], ...] = ()  # (qualname, function line, slip line, description)


_NOTHING = _Facts(())  # what a file that adds nothing to `combine` collects


def collect(module: ir.Module, scope: ModuleScope) -> _Facts | None:
    return contribution(_collect(module, scope), _NOTHING)


def _collect(module: ir.Module, scope: ModuleScope) -> _Facts:
    if is_test_path(module.path) or is_script_path(module.path):
        return _Facts(())
    out = []
    slips = []
    index = file_index(module, scope)
    for function in module.functions:
        found = copy_slips(function.body)
        if found and complexity(function.body, index) <= _COMPLEX:
            slips.append((function.qualname, function.line, found[0].line, describe(found[0])))
        stmts = list(index.walk_stmts(function.body))
        if len(stmts) < _MIN_STATEMENTS:
            continue
        tokens, calls = _shape(stmts, _locals(function, stmts, index), index)
        if calls >= _MIN_CALLS:
            digest = hashlib.blake2b(" ".join(tokens).encode(), digest_size=8).hexdigest()
            text = hashlib.blake2b(" ".join(_text(stmts, index)).encode(), digest_size=8).hexdigest()
            rule = _calculations(stmts, index) >= _RULE_CALCULATIONS
            out.append((digest, function.qualname, function.line, function.end_line, len(stmts), text, rule))
    return _Facts(tuple(out), tuple(slips))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    groups: dict[str, list[tuple[str, str, int, int, int, str, bool]]] = {}
    for path in sorted(per_file):
        facts = per_file[path]
        if not isinstance(facts, _Facts):
            continue
        for digest, qualname, line, end, size, text, rule in facts.copies:
            groups.setdefault(digest, []).append((path, qualname, line, end, size, text, rule))
        for qualname, function_line, slip_line, slip in facts.slips:
            yield _slip_finding(path, qualname, function_line, slip_line, slip)
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: (m[0], m[2]))
        verbatim = len({m[5] for m in members}) < len(members)
        if members[0][4] < _SUBSTANTIAL and not verbatim and not members[0][6]:
            continue  # a short shape repeated per case with its own names and literals
        # one finding per group (one refactoring fixes it), at the second copy, listing the rest
        yield _finding(members[1][:5], members[0][:5], len(members), tuple(m[:5] for m in members[2:]), verbatim)


def _calculations(stmts: list[ir.Stmt], index: FileIndex) -> int:
    """Arithmetic on values (not text joined with `+`): a body that computes an amount, a limit or
    a score encodes a business rule, which two copies will one day compute differently."""
    count = 0
    for stmt in stmts:
        if isinstance(stmt, ir.Assign) and stmt.op in _ARITHMETIC:
            count += 1
        for node in index.stmt_nodes(stmt):
            if isinstance(node, ir.BinOp) and node.op in _ARITHMETIC and not any(
                    isinstance(side, ir.FormattedString) or isinstance(side, ir.Const) and isinstance(side.value, str)
                    for side in (node.left, node.right)):
                count += 1
    return count


def _text(stmts: list[ir.Stmt], index: FileIndex) -> list[str]:
    """The statements as written, name for name and literal for literal."""
    tokens: list[str] = []
    for stmt in stmts:
        tokens.append(type(stmt).__name__ + (getattr(stmt, "op", None) or ""))
        for node in index.stmt_nodes(stmt):
            if isinstance(node, ir.Name):
                tokens.append(node.id)
            elif isinstance(node, ir.Attr):
                tokens.append("." + node.attr)
            elif isinstance(node, ir.Const):
                tokens.append(repr(node.value))
            else:
                tokens.append(type(node).__name__ + str(getattr(node, "op", "")))
    return tokens


def _locals(function: ir.Function, stmts: list[ir.Stmt], index: FileIndex) -> frozenset[str]:
    """Parameters and names bound in the body: renaming these does not change the logic; renaming a
    called function or a module constant does, so those stay in the shape."""
    bound = {p.name for p in function.params} | ir.assigned_names(stmts)
    # comprehension variables are locals too: `sum(1 for r in results ...)` and `... for m in matches`
    bound |= {node.id for stmt in stmts for comp in index.stmt_of_kind(stmt, ir.Comprehension)
              for target in comp.targets for node in ir.walk_expr(target) if isinstance(node, ir.Name)}
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


def _slip_finding(path: str, qualname: str, function_line: int, slip_line: int, slip: str) -> Finding:
    return make_finding(
        "duplicated-logic", Location(path, slip_line, slip_line),
        f"Copy-paste slip in `{qualname}`: {slip}",
        "The branches were written by copying one and editing its names; this one kept a name of the branch "
        "it was copied from, so it reads or writes the other case's data. Duplicated branches cost exactly "
        "this: an edit made in all copies but one.",
        severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
        evidence=(TraceStep(Location(path, function_line), "in", qualname),),
        fix=Fix("Use this branch's own name here; better, write the branch once over a table of the cases "
                "(`{CASE: collection}`), so no case can borrow another's."),
        rule=RULE.id, key=f"slip:{qualname}:{slip_line - function_line}",
    )


def _finding(copy: tuple[str, str, int, int, int], first: tuple[str, str, int, int, int], count: int,
             others: tuple[tuple[str, str, int, int, int], ...] = (), verbatim: bool = False) -> Finding:
    path, qualname, line, end, size = copy
    other_path, other_name, other_line, _, _ = first
    more = tuple(TraceStep(Location(p, ln), "and again", name) for p, name, ln, _, _ in others[:12])
    return make_finding(
        "duplicated-logic", Location(path, line, end),
        f"`{qualname}` repeats `{other_name}` ({other_path}:{other_line}): {size} statements of the same logic"
        + (" word for word" if verbatim else "") + (f", {count} copies in all" if count > 2 else ""),
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
