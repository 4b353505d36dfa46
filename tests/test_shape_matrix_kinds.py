"""Every shape matrix (tests/fixtures/<concern>/matrix_*): each row is a line of a fixture marked
`expect:` (must fire) or `ok:` (a correct look-alike that must not), written from the libraries'
documented APIs rather than from any test service (docs/shape-matrix.md lists them). The fixture
runner (test_fixtures.py) checks every row; this test keeps each matrix a matrix: both kinds of
row for every concern (a matrix may be one file per shape, or one file per library)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixture_annotations import read_expectations

FIXTURES = Path(__file__).parent / "fixtures"
MATRICES = sorted(p for p in FIXTURES.glob("*/matrix_*"))


def test_matrices_exist() -> None:
    assert len({p.parent.name for p in MATRICES}) >= 11


CONCERNS = sorted({p.parent.name for p in MATRICES})


@pytest.mark.parametrize("concern", CONCERNS)
def test_matrix_has_both_kinds_of_row(concern: str) -> None:
    must_fire = must_not = 0
    for matrix in (p for p in MATRICES if p.parent.name == concern):
        rows = read_expectations(matrix, concern)
        must_fire += len(rows.expect | rows.todo_expect)
        must_not += len(rows.ok)
    assert must_fire, f"{concern}: no matrix row that must fire"
    assert must_not, f"{concern}: no correct look-alike that must stay silent"
