"""The fixture annotation grammar shared by every fixture test.

`expect: concern-id` as a trailing comment marks a line where a finding of that concern
must start; as a comment standing alone it marks the next code line. `expect: concern-id (high)`
also asserts the finding's confidence (high, medium or low), for rules that grade their evidence
(checked by tests/test_fixtures.py). `ok:` documents a
near miss that must stay silent; `todo-expect:` / `todo-ok:` are known misses / false
positives, which fail with "promote me" once they are fixed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_ANNOTATION = re.compile(r"(?:#|//|/\*|<!--)\s*(todo-expect|todo-ok|expect|ok):\s*([a-z0-9][a-z0-9, -]*[a-z0-9])")
_GRADE = re.compile(r"expect:\s*([a-z0-9-]+)\s*\((high|medium|low)\)")
_COMMENT_ONLY = re.compile(r"^\s*(#|//|/\*|<!--|\*)")


@dataclass
class Expectations:
    expect: set[tuple[str, int]] = field(default_factory=set)
    ok: set[tuple[str, int]] = field(default_factory=set)
    todo_expect: set[tuple[str, int]] = field(default_factory=set)
    todo_ok: set[tuple[str, int]] = field(default_factory=set)
    grades: dict[tuple[str, int], str] = field(default_factory=dict)  # expected line -> confidence


def read_expectations(root: Path, concern: str) -> Expectations:
    """Annotations for `concern` in every file under `root` (or in `root` itself)."""
    found = Expectations()
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in files:
        rel = path.name if root.is_file() else path.relative_to(root).as_posix()
        try:
            lines = path.read_text("utf-8").splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        for index, line in enumerate(lines):
            for match in _ANNOTATION.finditer(line):
                concerns = {c.strip() for c in match.group(2).split(",")}
                if concern not in concerns:
                    continue
                target = index + 1
                if _COMMENT_ONLY.match(line):
                    target = _next_code_line(lines, index)
                bucket = getattr(found, match.group(1).replace("-", "_"))
                bucket.add((rel, target))
            for graded in _GRADE.finditer(line):
                if graded.group(1) == concern:
                    found.grades[(rel, _next_code_line(lines, index) if _COMMENT_ONLY.match(line) else index + 1)] = \
                        graded.group(2)
    return found


def _next_code_line(lines: list[str], index: int) -> int:
    for later in range(index + 1, len(lines)):
        stripped = lines[later].strip()
        if stripped and not _COMMENT_ONLY.match(lines[later]):
            return later + 1
    return index + 1


def shape_params(rows) -> list:
    """One pytest param per shape-matrix row (`concern/shape` ids), a strict xfail for a row the
    rule does not meet yet (`todo-expect`/`todo-ok`): the Python and JS/TS matrices share it."""
    import pytest

    return [pytest.param(r, id=f"{r.concern}/{r.shape}",
                         marks=[pytest.mark.xfail(strict=True, reason="known gap")] if r.known_gap else [])
            for r in rows]
