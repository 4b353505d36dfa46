"""Inline suppressions and [tool.servicelens] configuration, through the public API."""
from __future__ import annotations

from pathlib import Path

import pytest

from servicelens.api import review
from servicelens.config.loader import ConfigError, load_settings

VULNERABLE = (
    "import os\n"
    "from flask import Flask, request\n"
    "app = Flask(__name__)\n\n"
    "@app.route('/a')\n"
    "def a():\n"
    "    os.system(request.args['c'])  # servicelens: ignore[command-injection] admin-only maintenance hook\n"
    "    # servicelens: ignore[command-injection]\n"
    "    os.system(request.args['d'])\n"
    "    os.system(request.args['e'])\n"
    "    return 'ok'\n"
)


def test_suppressions_with_and_without_reason(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(VULNERABLE)
    report = review(tmp_path, load_settings(tmp_path, use_cache=False, profile="extended"))
    lines = sorted(f.location.start_line for f in report.findings if f.concern == "command-injection")
    assert lines == [10]
    assert report.stats.suppressed == 2
    assert any(d.kind == "suppression" and "line 8" in d.message for d in report.diagnostics)


def test_pyproject_config_excludes_ignores_and_overrides(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(VULNERABLE.replace("# servicelens: ignore[command-injection]", "#"))
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "tool.py").write_text(VULNERABLE)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.servicelens]\n"
        'exclude = ["scripts/"]\n'
        'ignore = ["missing-authentication"]\n'
        'severity = { "command-injection" = "medium" }\n')
    report = review(tmp_path, load_settings(tmp_path, use_cache=False, profile="extended"))
    assert {f.location.path for f in report.findings} == {"app.py"}
    assert {f.severity.value for f in report.findings if f.concern == "command-injection"} == {"medium"}
    assert not any(f.concern == "missing-authentication" for f in report.findings)


def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "servicelens.toml").write_text('select = ["sql-injecton"]\n')
    with pytest.raises(ConfigError, match="did you mean 'sql-injection'"):
        load_settings(tmp_path)
    (tmp_path / "servicelens.toml").write_text('colour = "blue"\n')
    with pytest.raises(ConfigError, match="unknown key"):
        load_settings(tmp_path)
