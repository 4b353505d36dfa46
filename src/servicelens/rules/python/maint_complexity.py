"""Functions far more complex than the rest of the project whose complexity already hides a defect.

## What it finds
Functions with cyclomatic complexity (1 + each `if`/`elif`, loop, `except`, boolean
operator, conditional expression and comprehension filter) above 25 where that complexity has a concrete
consequence in the code: a copy-paste slip among its repeated branches (four or more
sibling branches of the same shape whose changing names share a word per branch, one of
which kept a name from another branch; see `_copy_slips.py`). The same slip in a simpler
function is reported as duplicated-logic. The title still gives the project's median so the
number can be read against the codebase's own style.

A complexity number alone is not reported: on public code a long flat dispatch, a
field-by-field mapping or a sequence of independent checks scores high and is no defect, and
a reviewer would not ask for a refactor on the number alone. A slip is what such a function
costs: the branch nobody re-read is the one that is wrong.

## Why it matters
Each independent path is a case to test and a place for a bug to hide: a function with
60 paths needs 60 tests to cover once, and a change in one branch breaks another
nobody re-read. Such functions attract most of a codebase's defects and slow every
review that touches them.

## Example
A 200-line `export_rows` with a branch per axis (`if axis == LABEL: ... label_details ...`,
`if axis == STATE: ... state_details ...`) where the `MODULE` branch still reads
`label_details`.

## Fix
Split by decision: one function per payment method (a dispatch table), guard clauses
that return early, and validation moved into its own function.

## Known problems
`match` statements are not counted. Generated code (migrations, parsers) is skipped by
path only.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity, TraceStep
from servicelens.rules.base import Rule, no_findings
from servicelens.rules.python._common import is_test_path
from servicelens.rules.python._copy_slips import copy_slips, describe
from servicelens.rules.python.rel_shared import is_script_path
from servicelens.taint.scope import ModuleScope

_FLOOR = 25

# (all scores, (qualname, line, end, cc, slip line, slip description)) - only functions with a slip travel
Facts = tuple[tuple[int, ...], tuple[tuple[str, int, int, int, int, str], ...]]


def collect(module: ir.Module, scope: ModuleScope) -> Facts:
    if is_test_path(module.path) or is_script_path(module.path):
        return (), ()
    index = file_index(module, scope)
    scores = [(f, complexity(f.body, index)) for f in module.functions]
    kept = []
    for function, cc in scores:
        if cc > _FLOOR:
            slips = copy_slips(function.body)
            if slips:
                kept.append((function.qualname, function.line, function.end_line, cc, slips[0].line, describe(slips[0])))
    return tuple(cc for _, cc in scores), tuple(kept)


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    everything = sorted(cc for facts in per_file.values() for cc in facts[0])  # type: ignore[index]
    if not everything:
        return
    median = everything[len(everything) // 2]
    for path in sorted(per_file):
        # above the floor, a function that already hides a slip is complex enough to have cost
        # something whatever the project's percentile (below it, duplicated-logic reports the slip)
        for qualname, line, end, cc, slip_line, slip in per_file[path][1]:  # type: ignore[index]
            if cc > _FLOOR:
                yield _finding(path, qualname, line, end, cc, median, slip_line, slip)


def complexity(body: tuple[ir.Stmt, ...], index: FileIndex) -> int:
    score = 1
    for stmt in index.walk_stmts(body):
        if isinstance(stmt, (ir.If, ir.For, ir.While)):
            score += 1
        elif isinstance(stmt, ir.Try):
            score += len(stmt.handlers)
    # a sum: the order the nodes come in does not matter, so ask for each kind on its own
    score += sum(len(node.values) - 1 for node in index.block_of_kind(body, ir.BoolOp))
    score += len(index.block_of_kind(body, ir.IfExp))
    score += sum(len(node.conds) for node in index.block_of_kind(body, ir.Comprehension))
    return score


def _finding(path: str, qualname: str, line: int, end: int, cc: int, median: int, slip_line: int, slip: str) -> Finding:
    return make_finding(
        "high-complexity", Location(path, line, end),
        f"`{qualname}` (cyclomatic complexity {cc}, project median {median}) already hides a copy-paste slip "
        f"at line {slip_line}",
        f"{slip}. {cc} independent paths are more than anyone re-reads after a change: the repeated branches "
        "were pasted and edited by hand, and one edit was missed. Splitting the function by case (one helper "
        "or one table entry per case) makes each case written once.",
        severity=Severity.MEDIUM, confidence=Confidence.HIGH,
        evidence=(TraceStep(Location(path, slip_line), "the slipped copy", slip),),
        fix=Fix("Split it by decision: guard clauses that return early, one function per case (a dispatch "
                "table instead of an if/elif chain), validation in its own function.",
                "HANDLERS = {\n    \"card\": _handle_card,\n    \"bank_transfer\": _handle_transfer,\n}\n\n"
                f"def {qualname.rsplit('.', 1)[-1]}(kind, *args):\n    return HANDLERS[kind](*args)\n", "python"),
        rule=RULE.id, key=qualname,
    )


RULE = Rule("py-high-complexity", frozenset({"high-complexity"}), "python", no_findings,
            collect=collect, combine=combine)
