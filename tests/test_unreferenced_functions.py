"""Module-level functions nothing in the project names: findings there are held back like a
script's (performance, reliability, maintainability), and a decorator, a settings string or
another file's mention keeps a function referenced."""
from __future__ import annotations

from pathlib import Path

from servicelens.analysis.references import decorated
from servicelens.config.settings import Settings
from servicelens.api import review

CALLED = """import requests


def fetch_rates():
    return requests.get("https://rates.example.com/today").json()
"""
VIEW = """from flask import Flask
from rates import fetch_rates

app = Flask(__name__)


@app.get("/rates")
def rates():
    return fetch_rates()
"""
LEGACY = """import requests


def legacy_sync_partners():
    return requests.get("https://partners.example.com/all").json()


@register_hook
def hooked_sync_partners():
    return requests.get("https://partners.example.com/hook").json()


def named_in_settings():
    return requests.get("https://partners.example.com/set").json()
"""
SETTINGS = 'JOBS = ["legacy.named_in_settings"]\n'


def _reaches(tmp_path: Path) -> dict[int, str]:
    (tmp_path / "rates.py").write_text(CALLED)
    (tmp_path / "views.py").write_text(VIEW)
    (tmp_path / "legacy.py").write_text(LEGACY)
    (tmp_path / "settings.py").write_text(SETTINGS)
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    return {f.location.start_line: f.reach for f in report.findings
            if f.concern == "missing-timeout" and f.location.path == "legacy.py"}


def test_a_function_named_nowhere_else_is_unreferenced_and_held_back(tmp_path: Path) -> None:
    reaches = _reaches(tmp_path)
    assert reaches[5] == "unreferenced"
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    held = [f for f in report.findings if f.location.path == "legacy.py" and f.location.start_line == 5]
    assert held and held[0].held_back.startswith("in code nothing calls: `legacy_sync_partners` is named nowhere else")


def test_decorated_or_named_elsewhere_functions_stay_unknown(tmp_path: Path) -> None:
    reaches = _reaches(tmp_path)
    assert reaches[10] == "" and reaches[14] == ""


def test_a_called_function_is_not_unreferenced(tmp_path: Path) -> None:
    _reaches(tmp_path)
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    assert {f.reach for f in report.findings if f.location.path == "rates.py"} == {"request"}


def test_decorators_spanning_lines_are_seen() -> None:
    lines = ["@app.route(", "    '/x',", "    methods=['GET'],", ")", "def x():", "    pass"]
    assert decorated(lines, 5)
    assert not decorated(["x = 1", "", "def y():", "    pass"], 3)
