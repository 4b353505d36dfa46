"""JS/TS fixtures: tests/lang_javascript/fixtures/<concern-id>/<case>, annotated and checked
like tests/fixtures (same grammar, same pipeline). Kept apart from tests/fixtures so the
golden file, which records every case there, keeps describing the Python results alone."""
from __future__ import annotations

from pathlib import Path

import pytest

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.model.concerns import load_taxonomy
from tests.fixture_annotations import read_expectations

FIXTURES = Path(__file__).parent / "fixtures"
CASES = [(concern.name, case) for concern in sorted(FIXTURES.iterdir()) if concern.is_dir()
         for case in sorted(concern.iterdir()) if not case.name.startswith((".", "_"))]


def test_fixture_directories_are_concerns() -> None:
    taxonomy = load_taxonomy()
    assert all(concern in taxonomy for concern, _ in CASES)


@pytest.mark.parametrize(("concern", "case"), CASES, ids=[f"{c}/{p.name}" for c, p in CASES])
def test_js_fixture(concern: str, case: Path) -> None:
    expected = read_expectations(case, concern)
    assert expected.expect, f"{case} marks no expected finding"
    report = review(case, Settings(select=frozenset({concern}), use_cache=False, profile="extended"))
    actual = {(f.location.path, f.location.start_line) for f in report.findings if f.concern == concern}
    assert actual == expected.expect, f"{case}: missed {sorted(expected.expect - actual)}, " \
                                      f"unexpected {sorted(actual - expected.expect)}"
    # `expect: concern (high)`: rules that grade their evidence are held to the grade
    misgraded = sorted((key, f.confidence.value, expected.grades[key]) for f in report.findings
                       if f.concern == concern and (key := (f.location.path, f.location.start_line)) in expected.grades
                       and f.confidence.value != expected.grades[key])
    assert not misgraded, f"{case}: confidence (line, found, expected): {misgraded}"
