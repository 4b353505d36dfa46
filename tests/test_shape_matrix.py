"""The shape matrices (tests/fixtures/<concern>/matrix_*, listed in docs/shape-matrix.md), one row
per test. A row is a line written from a library's documented API, not from any test service: one
way a framework expresses the defect (`# shape: name  # expect: concern`, must fire) or its correct
counterpart (`# shape: name  # ok: concern`, must stay silent). Every row of a matrix carries its
shape tag, so a rule change that loses an idiom says which; every concern's matrices hold both
kinds of row. test_fixtures.py checks the same files as a whole.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from servicelens.api import review
from servicelens.config.settings import Settings
from tests.fixture_annotations import read_expectations, shape_params

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
MATRICES = sorted(FIXTURES.glob("*/matrix_*"))
CONCERNS = sorted({p.parent.name for p in MATRICES})


def test_matrices_exist() -> None:
    assert len(CONCERNS) >= 11


@pytest.mark.parametrize("matrix", MATRICES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_row_has_a_shape(matrix: Path) -> None:
    """One annotation style: each `expect:`/`ok:` of the matrix's concern is a tagged row."""
    annotated = read_expectations(matrix, matrix.parent.name)
    tagged = {(r.fixture.name if matrix.is_file() else r.fixture.relative_to(matrix).as_posix(), r.line)
              for r in ROWS if r.fixture == matrix or matrix in r.fixture.parents}
    untagged = (annotated.expect | annotated.ok | annotated.todo_expect | annotated.todo_ok) - tagged
    assert not untagged, f"rows without a `# shape:` tag: {sorted(untagged)}"


@functools.lru_cache(maxsize=None)
def _lines(concern: str, fixture: Path) -> frozenset[tuple[str, int]]:
    root = next(p for p in fixture.parents if p.parent.parent == FIXTURES) if fixture.parent.parent != FIXTURES else fixture
    report = review(root, Settings(select=frozenset({concern}), use_cache=False, profile="extended"))
    return frozenset((Path(f.location.path).name, f.location.start_line)
                     for f in report.findings if f.concern == concern)


@pytest.mark.parametrize("concern", CONCERNS)
def test_matrix_has_both_kinds_of_row(concern: str) -> None:
    kinds = {r.must_fire for r in ROWS if r.concern == concern}
    assert True in kinds, f"{concern}: no matrix row that must fire"
    assert False in kinds, f"{concern}: no correct look-alike that must stay silent"


@pytest.mark.parametrize("row", shape_params(ROWS))
def test_shape(row: Row) -> None:
    fired = (row.fixture.name, row.line) in _lines(row.concern, row.fixture)
    verb = "must fire" if row.must_fire else "must stay silent"
    assert fired == row.must_fire, f"{row.fixture.name}:{row.line} {verb} ({row.shape})"
