"""Grading of timing-unsafe comparisons a signed check follows on every path
(fixture: tests/fixtures/timing-unsafe-comparison/second_factor.py): the compared key alone admits
no one, so the finding stays, at low confidence; an optional or swallowed check grades nothing."""
from __future__ import annotations

from pathlib import Path

from servicelens.analysis.python_file import analyze_python
from servicelens.model.finding import Confidence
from servicelens.rules.base import discover_rules
from servicelens.rules.python.timing_unsafe_comparison import TimingFacts
from servicelens.sources.parsing import ParserPool
from servicelens.taint.models import load_models

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "timing-unsafe-comparison" / "second_factor.py"


def _confidence_by_function() -> dict[str, Confidence]:
    text = FIXTURE.read_text("utf-8")
    facts = analyze_python(FIXTURE.name, text, ParserPool(), load_models(), frozenset(),
                           file_rules=discover_rules("servicelens.rules.python"))
    lines = text.splitlines()
    found: dict[str, Confidence] = {}
    # a comparison with a parameter is decided once the project is read: its finding waits as a candidate
    candidates = [c.finding for fact in dict(facts.collected).values() if isinstance(fact, TimingFacts)
                  for c in fact.candidates]
    for finding in [*facts.findings, *candidates]:
        if finding.concern != "timing-unsafe-comparison":
            continue
        line = finding.location.start_line
        owner = next(lines[i].split("(")[0].split()[-1] for i in range(line - 1, -1, -1)
                     if lines[i].startswith(("async def ", "def ")))
        found[owner] = finding.confidence
    return found


def test_a_required_signed_check_after_the_comparison_lowers_confidence() -> None:
    assert _confidence_by_function()["both_required"] == Confidence.LOW


def test_an_optional_swallowed_or_absent_signed_check_keeps_it_high() -> None:
    found = _confidence_by_function()
    assert (found["token_optional"], found["failure_swallowed"], found["key_alone"]) == (Confidence.HIGH,) * 3


def test_a_string_decode_after_the_comparison_is_no_signed_check() -> None:
    assert _confidence_by_function()["read_change_token"] == Confidence.HIGH
