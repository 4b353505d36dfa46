"""Every shape matrix (tests/fixtures/<concern>/matrix_*): each row is a line of a fixture marked
`expect:` (must fire) or `ok:` (a correct look-alike that must not), written from the libraries'
documented APIs rather than from any test service (docs/shape-matrix.md lists them). The fixture
runner (test_fixtures.py) checks every row; this test keeps each matrix a matrix: both kinds of
row in every file, and the concern's own annotations only."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixture_annotations import read_expectations

FIXTURES = Path(__file__).parent / "fixtures"
MATRICES = sorted(p for p in FIXTURES.glob("*/matrix_*"))


def test_matrices_exist() -> None:
    assert len({p.parent.name for p in MATRICES}) >= 11


@pytest.mark.parametrize("matrix", MATRICES, ids=[f"{p.parent.name}/{p.name}" for p in MATRICES])
def test_matrix_has_both_kinds_of_row(matrix: Path) -> None:
    rows = read_expectations(matrix, matrix.parent.name)
    must_fire = rows.expect | rows.todo_expect
    assert must_fire, f"{matrix}: no row that must fire"
    assert rows.ok, f"{matrix}: no correct look-alike that must stay silent"
