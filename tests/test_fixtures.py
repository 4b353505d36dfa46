"""One runner for every fixture: tests/fixtures/<concern-id>/<case> (a file, or a directory
reviewed as a project), through the whole pipeline with only that concern selected, in the
extended profile: a fixture tests what the rule finds, not what the default report keeps
(tests/test_profiles.py does that)."""
from __future__ import annotations

from pathlib import Path

import pytest

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.model.concerns import load_taxonomy
from tests.fixture_annotations import read_expectations

FIXTURES = Path(__file__).parent / "fixtures"


def _cases() -> list[tuple[str, Path]]:
    cases = []
    for concern_dir in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for case in sorted(concern_dir.iterdir()):
            if case.name.startswith((".", "_")) or case.suffix == ".expect":
                continue
            cases.append((concern_dir.name, case))
    return cases


CASES = _cases()


def test_fixture_directories_are_concerns() -> None:
    taxonomy = load_taxonomy()
    unknown = sorted({c for c, _ in CASES if c not in taxonomy})
    assert not unknown, f"fixture directories that are not concern ids: {unknown}"


@pytest.mark.parametrize(("concern", "case"), CASES, ids=[f"{c}/{p.name}" for c, p in CASES])
def test_fixture(concern: str, case: Path) -> None:
    expected = read_expectations(case, concern)
    report = review(case, Settings(select=frozenset({concern}), use_cache=False, profile="extended"))
    actual = {(f.location.path, f.location.start_line) for f in report.findings if f.concern == concern}
    missed = sorted(expected.expect - actual)
    unexpected = sorted(actual - expected.expect - expected.todo_ok)
    promote = sorted((expected.todo_expect & actual) | (expected.todo_ok - actual))
    misgraded = sorted((f.location.path, f.location.start_line, f.confidence.value, expected.grades[key])
                       for f in report.findings if f.concern == concern
                       and (key := (f.location.path, f.location.start_line)) in expected.grades
                       and f.confidence.value != expected.grades[key])
    assert not missed and not unexpected and not promote and not misgraded, (
        f"{case}:\n  missed lines: {missed}\n  unexpected lines: {unexpected}\n"
        f"  todo annotations to promote: {promote}\n  confidence (line, found, expected): {misgraded}")
