"""The triage script's matching of today's findings to labels (benchmarks/triage/run_triage.py).
Findings alike in code share a fingerprint but for an occurrence index taken in report order;
when one of them changes severity the indices swap, and matching by fingerprint first gave each
finding the other's verdict."""
from __future__ import annotations

import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "run_triage", Path(__file__).resolve().parents[1] / "benchmarks" / "triage" / "run_triage.py")
assert _SPEC is not None and _SPEC.loader is not None
run_triage = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(run_triage)


def _finding(line: int, fingerprint: str, concern: str = "missing-timeout") -> dict:
    return {"concern": concern, "fingerprint": fingerprint,
            "location": {"path": "app/client.py", "start_line": line}}


def _label(line: int, fingerprint: str, verdict: str, concern: str = "missing-timeout") -> dict:
    return {"file": "app/client.py", "line": line, "concern": concern, "fingerprint": fingerprint,
            "verdict": verdict}


def test_swapped_occurrence_indices_keep_each_site_its_own_verdict() -> None:
    labels = [_label(10, "fp-0", "true"), _label(50, "fp-1", "nit")]
    findings = [_finding(50, "fp-0"), _finding(10, "fp-1")]  # the line 50 one now sorts first
    pairs, new, lost = run_triage.match(findings, labels, slack=0)
    assert {f["location"]["start_line"]: lab["verdict"] for f, lab in pairs} == {10: "true", 50: "nit"}
    assert new == [] and lost == []


def test_a_finding_moved_to_another_line_of_the_same_code_keeps_its_label_by_fingerprint() -> None:
    pairs, new, lost = run_triage.match([_finding(12, "fp-0")], [_label(10, "fp-0", "true")], slack=0)
    assert [lab["verdict"] for _, lab in pairs] == ["true"] and not new and not lost


def test_two_findings_on_one_line_prefer_the_label_with_their_fingerprint() -> None:
    labels = [_label(10, "fp-a", "true"), _label(10, "fp-b", "false")]
    pairs, _, _ = run_triage.match([_finding(10, "fp-b"), _finding(10, "fp-a")], labels, slack=0)
    assert {f["fingerprint"]: lab["verdict"] for f, lab in pairs} == {"fp-a": "true", "fp-b": "false"}


def test_another_concern_at_the_same_site_is_new_not_matched() -> None:
    pairs, new, lost = run_triage.match([_finding(10, "fp-x", concern="ssrf")], [_label(10, "fp-0", "true")], slack=3)
    assert pairs == [] and len(new) == 1 and len(lost) == 1
