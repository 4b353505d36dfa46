"""The review self-check: honest when the engine is missing, strict when it reports."""
from __future__ import annotations

import sys
import types
from dataclasses import dataclass

from servicelens.design.selfcheck import check_review
from servicelens.model.design import GeneratedFile

FILES = (GeneratedFile("app/main.py", "python", "print('hi')\n"),)


@dataclass
class _Sev:
    rank: int
    value: str


@dataclass
class _Loc:
    path: str
    start_line: int


@dataclass
class _Finding:
    severity: _Sev
    concern: str
    title: str
    location: _Loc


def _fake_api(monkeypatch, findings, seen):
    module = types.ModuleType("servicelens.api")

    def review(path, settings=None):
        seen.append(sorted(p.name for p in path.rglob("*") if p.is_file()))
        return types.SimpleNamespace(findings=tuple(findings))
    module.review = review
    monkeypatch.setitem(sys.modules, "servicelens.api", module)


def test_review_not_run_without_engine(monkeypatch):
    monkeypatch.setitem(sys.modules, "servicelens.api", None)  # import raises ImportError
    check = check_review(FILES)
    assert check.status == "not-run" and check.details == ("not run: review engine unavailable",)


def test_review_passes_with_only_low_findings(monkeypatch):
    seen = []
    _fake_api(monkeypatch, [_Finding(_Sev(1, "low"), "x", "minor", _Loc("app/main.py", 1))], seen)
    check = check_review(FILES)
    assert check.status == "passed" and seen == [["main.py"]]


def test_review_fails_on_medium(monkeypatch):
    seen = []
    _fake_api(monkeypatch, [_Finding(_Sev(2, "medium"), "http-call-without-timeout", "No timeout", _Loc("app/main.py", 3))], seen)
    check = check_review(FILES)
    assert check.status == "failed"
    assert "medium http-call-without-timeout at app/main.py:3" in check.details[0]


def test_review_crash_is_reported_not_raised(monkeypatch):
    module = types.ModuleType("servicelens.api")

    def review(path, settings=None):
        raise RuntimeError("boom")
    module.review = review
    monkeypatch.setitem(sys.modules, "servicelens.api", module)
    check = check_review(FILES)
    assert check.status == "not-run" and "boom" in check.details[0]
