"""The shape matrices, one row per test: `tests/fixtures/<concern>/matrix_*` files whose
`expect:`/`ok:` annotations follow a `# shape: name` tag on the same line. A row is one documented way a
framework or library expresses the defect (must fire) or its correct counterpart (must not).

test_fixtures.py already checks these files as a whole; this test names the shape that breaks,
so a rule change that loses one idiom says which.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from servicelens.api import review
from servicelens.config.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
# `# shape: <name>  # expect: <concern>`: the shape first, so the annotation still ends the line
_ROW = re.compile(r"#\s*shape:\s*([a-z0-9-]+)\s*#\s*(todo-expect|todo-ok|expect|ok):\s*([a-z0-9-]+)\s*$")


@dataclass(frozen=True)
class Row:
    concern: str
    fixture: Path
    line: int
    must_fire: bool
    shape: str
    known_gap: bool  # `todo-expect`/`todo-ok`: the rule does not meet this row yet


def _rows() -> list[Row]:
    rows = []
    for path in sorted(FIXTURES.glob("*/matrix_*")):
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*.py"))
        for file in files:
            for number, text in enumerate(file.read_text("utf-8").splitlines(), start=1):
                match = _ROW.search(text)
                if match and match.group(3) == path.parent.name:
                    kind = match.group(2)
                    rows.append(Row(path.parent.name, file, number, kind.endswith("expect"), match.group(1),
                                    kind.startswith("todo-")))
    return rows


ROWS = _rows()


@functools.lru_cache(maxsize=None)
def _lines(concern: str, fixture: Path) -> frozenset[tuple[str, int]]:
    root = next(p for p in fixture.parents if p.parent.parent == FIXTURES) if fixture.parent.parent != FIXTURES else fixture
    report = review(root, Settings(select=frozenset({concern}), use_cache=False, profile="extended"))
    return frozenset((Path(f.location.path).name, f.location.start_line)
                     for f in report.findings if f.concern == concern)


def test_every_matrix_has_both_kinds() -> None:
    concerns = {r.concern for r in ROWS}
    for concern in concerns:
        kinds = {r.must_fire for r in ROWS if r.concern == concern}
        assert kinds == {True, False}, f"{concern}: a matrix needs must-fire and must-not rows"


@pytest.mark.parametrize("row", [
    pytest.param(r, id=f"{r.concern}/{r.shape}",
                 marks=[pytest.mark.xfail(strict=True, reason="known gap")] if r.known_gap else [])
    for r in ROWS])
def test_shape(row: Row) -> None:
    fired = (row.fixture.name, row.line) in _lines(row.concern, row.fixture)
    verb = "must fire" if row.must_fire else "must stay silent"
    assert fired == row.must_fire, f"{row.fixture.name}:{row.line} {verb} ({row.shape})"
