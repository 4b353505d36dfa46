"""The CLI as a user meets it: formats, exit codes, bad input, one-line errors."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from servicelens.cli.main import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "payments-service"


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_markdown_review_of_the_example(capsys: pytest.CaptureFixture[str], cache_home: Path) -> None:
    assert main(["review", str(EXAMPLE), "--profile", "extended", "--quiet"]) == 0
    out = capsys.readouterr().out
    for heading in ("## 1. Overview", "## 2. Recommendations", "## 3. Risks", "## 4. Open questions"):
        assert heading in out
    assert "sql-injection" in out and "/accounts/search" in out


@pytest.mark.parametrize("fmt", ["json", "sarif", "html", "markdown"])
def test_every_format_writes_to_output(fmt: str, tmp_path: Path, cache_home: Path) -> None:
    target = tmp_path / f"report.{fmt}"
    assert main(["review", str(EXAMPLE), "--profile", "extended", "--format", fmt, "--output", str(target), "--quiet"]) == 0
    text = target.read_text("utf-8")
    assert text.strip()
    if fmt in ("json", "sarif"):
        json.loads(text)


def test_fail_on_sets_exit_code(cache_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(EXAMPLE), "--profile", "extended", "--fail-on", "high", "--quiet", "-f", "json"]) == 1
    assert main(["review", str(EXAMPLE), "--profile", "extended", "--fail-on", "never", "--quiet", "-f", "json"]) == 0


def test_select_limits_concerns(cache_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(EXAMPLE), "--profile", "extended", "--select", "sql-injection", "-f", "json", "--quiet"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["findings"] and {f["concern"] for f in data["findings"]} == {"sql-injection"}


def test_ignore_by_category(cache_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(EXAMPLE), "--profile", "extended", "--ignore", "security", "-f", "json", "--quiet"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert all(f["category"] != "security" for f in data["findings"])


def test_missing_path_is_a_one_line_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "/no/such/path"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err


def test_unknown_concern_suggests_a_close_one(capsys: pytest.CaptureFixture[str], cache_home: Path) -> None:
    assert main(["review", str(EXAMPLE), "--profile", "extended", "--select", "sql-injecton"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'sql-injection'" in err and err.count("\n") == 1


def test_bad_flag_value(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(EXAMPLE), "--profile", "extended", "--format", "pdf"]) == 2
    assert main(["review", str(EXAMPLE), "--profile", "extended", "--no-such-flag"]) == 2


def test_output_is_deterministic_cached_or_not_and_across_jobs(tmp_path: Path, cache_home: Path) -> None:
    tree = tmp_path / "svc"
    shutil.copytree(EXAMPLE, tree)
    outputs = []
    for extra in (["--no-cache"], [], [], ["--jobs", "2", "--no-cache"]):
        for fmt in ("json", "sarif"):
            target = tmp_path / f"out-{len(outputs)}.{fmt}"
            assert main(["review", str(tree), "--profile", "extended", "-f", fmt, "-o", str(target), "--quiet"] + extra) == 0
            outputs.append((fmt, target.read_bytes()))
    for fmt in ("json", "sarif"):
        texts = {data for kind, data in outputs if kind == fmt}
        assert len(texts) == 1, f"{fmt} output differs between runs"


def test_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    assert "sql-injection" in capsys.readouterr().out
    assert main(["explain", "sql-injection"]) == 0
    assert "CWE-89" in capsys.readouterr().out
    assert main(["explain", "not-a-concern"]) == 2
