"""The triage runner counts the default report as a reader sees it: a pattern repeated at three
places or more is one recommendation (one verdict, by most of its labelled sites), a pattern at
fewer places one recommendation per site."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks" / "triage"))

import run_triage  # noqa: E402


def _finding(n: int, rule: str = "py-perf-missing-timeout", concern: str = "missing-timeout") -> dict:
    return {"fingerprint": f"fp{rule}{n}", "rule": rule, "concern": concern, "severity": "medium",
            "location": {"path": "app/clients.py", "start_line": 10 * n}}


def _label(finding: dict, verdict: str) -> dict:
    return {"fingerprint": finding["fingerprint"], "file": "app/clients.py",
            "line": finding["location"]["start_line"], "concern": finding["concern"], "verdict": verdict}


def test_a_repeated_pattern_is_one_recommendation_judged_by_most_of_its_sites() -> None:
    repeated = [_finding(n) for n in range(1, 6)]
    labels = [_label(repeated[0], "true"), _label(repeated[1], "true"), _label(repeated[2], "nit")]
    row = run_triage.score_groups(repeated, labels, slack=3)
    assert row["recommendations"] == 1 and row["true"] == 1 and row["nit"] == 0


def test_a_rare_pattern_counts_per_site_and_a_tie_is_a_nit() -> None:
    rare = [_finding(n, "py-timing-unsafe-comparison", "timing-unsafe-comparison") for n in (1, 2)]
    repeated = [_finding(n) for n in range(3, 7)]
    labels = [_label(rare[0], "true"), _label(rare[1], "false"),
              _label(repeated[0], "true"), _label(repeated[1], "false")]
    row = run_triage.score_groups(rare + repeated, labels, slack=3)
    assert row["recommendations"] == 3
    assert (row["true"], row["false"], row["nit"]) == (1, 1, 1)


def test_a_recommendation_without_a_labelled_site_is_unlabelled() -> None:
    row = run_triage.score_groups([_finding(n) for n in range(1, 4)], [], slack=3)
    assert row == {"recommendations": 1, "unlabelled": 1, "at_construction": 0, "client_objects": 0, "true": 0,
                   "nit": 0, "false": 0, "unsure": 0}


def _on_client(n: int, made: int) -> dict:
    """A call on the client object made at line `made` (its `group`)."""
    return dict(_finding(n), group={"location": {"path": "app/clients.py", "start_line": made},
                                    "code": "self.session = requests.Session()", "name": "self.session"})


def test_a_client_objects_calls_are_one_change_true_when_any_call_is() -> None:
    """One fix where the session is made covers every call: worth making if one call needs it."""
    calls = [_on_client(n, 5) for n in (1, 2, 3)]
    labels = [_label(calls[0], "true"), _label(calls[1], "nit"), _label(calls[2], "nit")]
    row = run_triage.score_groups(calls, labels, slack=3)
    assert (row["recommendations"], row["at_construction"], row["client_objects"]) == (1, 1, 1)
    assert (row["true"], row["nit"]) == (1, 0)


def test_below_the_pattern_threshold_two_calls_on_one_client_are_one_recommendation() -> None:
    on_client = [_on_client(n, 5) for n in (1, 2)]
    assert run_triage.score_groups(on_client, [], slack=3)["recommendations"] == 1
    assert run_triage.score_groups([_finding(n) for n in (1, 2)], [], slack=3)["recommendations"] == 2


def test_a_pattern_through_client_objects_is_one_recommendation_voted_per_change() -> None:
    """Seven calls, four on two sessions: one recommendation (the pattern), whose verdict counts each
    session once. Per call it would be a tie (3 true, 3 nit: a nit); per change it is true (3 of 4)."""
    first, second = [_on_client(n, 5) for n in (1, 2)], [_on_client(n, 50) for n in (3, 4)]
    rest = [_on_client(5, 90), _finding(6), _finding(7)]
    labels = [_label(first[0], "nit"), _label(first[1], "nit"), _label(second[0], "true"),
              _label(second[1], "nit"), _label(rest[0], "true"), _label(rest[1], "true")]
    row = run_triage.score_groups(first + second + rest, labels, slack=3)
    assert (row["recommendations"], row["at_construction"], row["client_objects"]) == (1, 0, 2)
    assert (row["true"], row["nit"]) == (1, 0)


def test_a_saved_report_is_read_back_without_its_labels(tmp_path) -> None:  # noqa: ANN001
    """--from-reports scores what --save-reports wrote, matching the labels files as they are now."""
    findings = [_finding(n) for n in range(1, 3)]
    labels = [dict(_label(findings[0], "true"), why="w")]
    path = tmp_path / "owner+repo.json"
    run_triage.save_report(path, findings, labels, slack=0)
    assert [f.get("label") for f in json.loads(path.read_text())][0] == {"verdict": "true", "why": "w"}
    assert run_triage.saved_report(path) == findings


def test_a_missing_saved_report_is_an_error_not_an_empty_review(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(RuntimeError, match="no saved report"):
        run_triage.saved_report(tmp_path / "absent.json")
