"""Functions whose cyclomatic complexity is far above the rest of the project.

## What it finds
Functions with cyclomatic complexity (1 + each `if`/`elif`, loop, `except`, boolean
operator, conditional expression and comprehension filter) above 25 **and** in the top
1% of the project's own functions. The bar is relative so a codebase is judged
against its own style; the absolute floor keeps small projects quiet.

## Why it matters
Each independent path is a case to test and a place for a bug to hide: a function with
60 paths needs 60 tests to cover once, and a change in one branch breaks another
nobody re-read. Such functions attract most of a codebase's defects and slow every
review that touches them.

## Example
A 200-line `process_order` with nested `if`s for every payment method, country and
coupon type.

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
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule, no_findings
from servicelens.rules.python._common import is_test_path
from servicelens.rules.python.rel_shared import is_script_path
from servicelens.taint.scope import ModuleScope

_FLOOR = 25
_KEEP = 10  # only functions above this travel to combine; the rest only as counts

Facts = tuple[tuple[int, ...], tuple[tuple[str, int, int, int], ...]]  # (all scores, (qualname, line, end, cc))


def collect(module: ir.Module, scope: ModuleScope) -> Facts:
    if is_test_path(module.path) or is_script_path(module.path):
        return (), ()
    index = file_index(module, scope)
    scores = [(f, complexity(f.body, index)) for f in module.functions]
    return tuple(cc for _, cc in scores), tuple((f.qualname, f.line, f.end_line, cc) for f, cc in scores if cc > _KEEP)


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    everything = sorted(cc for facts in per_file.values() for cc in facts[0])  # type: ignore[index]
    if not everything:
        return
    p99 = everything[min(len(everything) - 1, int(len(everything) * 0.99))]
    median = everything[len(everything) // 2]
    threshold = max(_FLOOR, p99)
    for path in sorted(per_file):
        for qualname, line, end, cc in per_file[path][1]:  # type: ignore[index]
            if cc > threshold:
                yield _finding(path, qualname, line, end, cc, median, p99)


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


def _finding(path: str, qualname: str, line: int, end: int, cc: int, median: int, p99: int) -> Finding:
    return make_finding(
        "high-complexity", Location(path, line, end),
        f"`{qualname}` has cyclomatic complexity {cc} (project median {median}, 99th percentile {p99})",
        f"{cc} independent paths means {cc} cases to test just to run each once; changes to one branch break "
        "others nobody re-read, and functions like this collect a large share of a codebase's defects.",
        severity=Severity.LOW if cc < 50 else Severity.MEDIUM, confidence=Confidence.HIGH,
        fix=Fix("Split it by decision: guard clauses that return early, one function per case (a dispatch "
                "table instead of an if/elif chain), validation in its own function.",
                "HANDLERS = {\n    \"card\": _handle_card,\n    \"bank_transfer\": _handle_transfer,\n}\n\n"
                f"def {qualname.rsplit('.', 1)[-1]}(kind, *args):\n    return HANDLERS[kind](*args)\n", "python"),
        rule=RULE.id, key=qualname,
    )


RULE = Rule("py-high-complexity", frozenset({"high-complexity"}), "python", no_findings,
            collect=collect, combine=combine)
