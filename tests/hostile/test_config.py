"""The reviewed repository's own config is input too: typed, bounded, never followed outside."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from servicelens.cli.main import main
from servicelens.config.loader import ConfigError, load_settings
from servicelens.config.settings import available_cpus
from tests.hostile.conftest import VULNERABLE


@pytest.fixture(autouse=True)
def _private_cache(cache_home: Path) -> Path:
    return cache_home


def review(tree: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main(["review", str(tree), "--profile", "extended", "-q", "-f", "json", "--no-cache", *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("body", "message"), [
    ('jobs = "many"', ('pyproject.toml [tool.servicelens] jobs: expected an integer >= 1 (at most 1024), '
                       'got the string "many"')),
    ("jobs = 0", "jobs: expected an integer >= 1 (at most 1024), got the integer 0"),
    ("jobs = true", "jobs: expected an integer >= 1 (at most 1024), got the boolean true"),
    ("exclude = 5", "exclude: expected a list of strings, got the integer 5"),
    ('exclude = "x.py"', 'exclude: expected a list of strings, got the string "x.py"'),
    ('max-file-bytes = "big"', 'max-file-bytes: expected an integer between 1 and 100000000, got the string "big"'),
    ("max-file-bytes = 1e12", "max-file-bytes: expected an integer between 1 and 100000000, got the number 1000000000000.0"),
    ("models = [1]", "models: expected a list of strings, got a list whose item 0 is the integer 1"),
    ('cache = "no"', 'cache: expected a boolean (true or false), got the string "no"'),
    ('include-tests = "false"', 'include-tests: expected a boolean (true or false), got the string "false"'),
    ('auth-middleware = "gateway"', 'auth-middleware: expected a list of strings, got the string "gateway"'),
    ("trusted-hosts = [{a = 1}]", "trusted-hosts: expected a list of strings, got a list whose item 0 is a table"),
    ('severity = "high"', ('severity: expected a table of concern = level (critical/high/medium/low), '
                           'got the string "high"')),
    ('severity = { "sql-injection" = 3 }', 'got the integer 3 for "sql-injection"'),
    ('select = "sql-injection"', 'select: expected a list of strings, got the string "sql-injection"'),
])
def test_wrong_types_are_exit_2_naming_file_key_and_expectation(tree: Path, body: str, message: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "pyproject.toml").write_text(f"[tool.servicelens]\n{body}\n")
    code, out, err = review(tree, capsys, "--fail-on", "low")
    assert code == 2 and not out
    assert err.startswith("servicelens: error: pyproject.toml [tool.servicelens] ") and err.count("\n") == 1
    assert message in err


def test_servicelens_toml_errors_name_that_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "servicelens.toml").write_text('jobs = "many"\n')
    assert review(tree, capsys)[2] == ('servicelens: error: servicelens.toml jobs: expected an integer >= 1 '
                                       '(at most 1024), got the string "many"\n')


@pytest.mark.parametrize("content", [b"[tool.servicelens\njobs = 1\n", b'jobs = "\xff"\n', b"jobs = 1\njobs = 2\n"])
def test_unreadable_toml_is_exit_2_one_line(tree: Path, content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "servicelens.toml").write_bytes(content)
    code, _, err = review(tree, capsys)
    assert code == 2 and err.startswith("servicelens: error: servicelens.toml: ") and err.count("\n") == 1


def test_oversized_config_is_exit_2(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "servicelens.toml").write_text("# padding\n" * 200_000)
    code, _, err = review(tree, capsys)
    assert code == 2 and "larger than 1 MB" in err


def test_tool_servicelens_that_is_not_a_table(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "pyproject.toml").write_text("[tool]\nservicelens = 5\n")
    assert "expected a table, got the integer 5" in review(tree, capsys)[2]
    (tree / "pyproject.toml").write_text("tool = 5\n")  # not ours to judge: no config
    assert load_settings(tree).config_file == ""


def test_unknown_keys_are_shown_on_one_line(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "servicelens.toml").write_text('"evil\\nkey" = 1\n')
    code, _, err = review(tree, capsys)
    assert code == 2 and err.count("\n") == 1 and '"evil\\nkey"' in err


def test_valid_config_is_applied(tree: Path) -> None:
    (tree / "pyproject.toml").write_text('[tool.servicelens]\njobs = 1\ncache = false\ninclude-tests = true\n'
                                         'exclude = ["scripts/"]\nmax-file-bytes = 5000\n')
    settings = load_settings(tree)
    assert (settings.jobs, settings.use_cache, settings.include_tests) == (1, False, True)
    assert settings.exclude == ("scripts/",) and settings.max_file_bytes == 5000
    assert settings.config_file == "pyproject.toml"


def test_jobs_are_capped_at_the_available_cpus(tree: Path) -> None:
    (tree / "servicelens.toml").write_text("jobs = 100\n")
    assert load_settings(tree).jobs == min(100, available_cpus())
    assert load_settings(tree, jobs=500).jobs == min(500, available_cpus())
    if hasattr(os, "sched_getaffinity"):
        assert available_cpus() == len(os.sched_getaffinity(0))


@pytest.mark.parametrize("name", ["servicelens.toml", "pyproject.toml"])
def test_symlinked_config_is_not_followed(tree: Path, tmp_path: Path, name: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside.toml"
    table = "" if name == "servicelens.toml" else "[tool.servicelens]\n"
    outside.write_text(f'{table}exclude = ["vulnerable.py"]\n')
    (tree / name).symlink_to(outside)
    code, out, _ = review(tree, capsys)
    assert code == 0
    report = json.loads(out)
    assert any(f["location"]["path"] == "vulnerable.py" for f in report["findings"])
    config_diagnostics = [d for d in report["diagnostics"] if d["path"] == name and d["kind"] == "config"]
    assert len(config_diagnostics) == 1 and "not read as configuration" in config_diagnostics[0]["message"]


def test_symlinked_config_inside_the_tree_is_not_followed_either(tree: Path) -> None:
    (tree / "real.toml").write_text("jobs = 1\n")
    (tree / "servicelens.toml").symlink_to(tree / "real.toml")
    assert load_settings(tree).config_file == ""


def test_models_outside_the_tree_are_refused_without_echoing_them(tree: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.yaml").write_text("secret_key_from_outside: 1\n")
    for entry in (str(elsewhere), "../elsewhere"):
        (tree / "servicelens.toml").write_text(f"models = [{json.dumps(entry)}]\n")
        code, _, err = review(tree, capsys)
        assert code == 2 and err.count("\n") == 1
        assert f"servicelens.toml models[0]: {json.dumps(entry)} is outside the reviewed tree" in err
        assert "secret_key_from_outside" not in err


def test_models_dir_symlinked_outside_is_refused(tree: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tree / "models").symlink_to(elsewhere)
    (tree / "servicelens.toml").write_text('models = ["models"]\n')
    code, _, err = review(tree, capsys)
    assert code == 2 and "outside the reviewed tree" in err


def test_models_inside_the_tree_are_used(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "models").mkdir()
    (tree / "models" / "extra.yaml").write_text("framework: inhouse\nlanguage: python\n")
    (tree / "servicelens.toml").write_text('models = ["models"]\n')
    code, out, _ = review(tree, capsys)
    assert code == 0 and json.loads(out)["findings"]


def test_a_bad_model_file_in_the_tree_is_exit_2(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "models").mkdir()
    (tree / "models" / "bad.yaml").write_text("framework: [unclosed\n")
    (tree / "servicelens.toml").write_text('models = ["models"]\n')
    code, _, err = review(tree, capsys)
    assert code == 2 and err.startswith("servicelens: error: models: bad.yaml: line 2: invalid YAML") and err.count("\n") == 1


def test_a_fifo_model_file_does_not_hang(tree: Path, tmp_path: Path) -> None:
    (tree / "models").mkdir()
    os.mkfifo(tree / "models" / "pipe.yaml")
    (tree / "servicelens.toml").write_text('models = ["models"]\n')
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-m", "servicelens", "review", str(tree), "--profile", "extended", "-q", "--no-cache"],
                          capture_output=True, timeout=60, env=env, check=False)
    assert done.returncode == 2
    assert b"pipe.yaml: is a FIFO (named pipe), not a regular file" in done.stderr


def test_invalid_exclude_entries_are_diagnostics_naming_key_and_index(tree: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "skip.py").write_text(VULNERABLE)
    (tree / "servicelens.toml").write_text('exclude = ["[z-a]", "!", "skip.py"]\n')
    code, out, _ = review(tree, capsys)
    assert code == 0
    report = json.loads(out)
    assert {f["location"]["path"] for f in report["findings"]} == {"vulnerable.py"}
    messages = [d["message"] for d in report["diagnostics"] if d["path"] == "servicelens.toml"]
    assert any(m.startswith("exclude[0] '[z-a]': reversed range") for m in messages)
    assert any(m.startswith("exclude[1] '!':") for m in messages)


def test_config_error_names_no_traceback(tree: Path) -> None:
    (tree / "servicelens.toml").write_text('max-file-bytes = "big"\n')
    with pytest.raises(ConfigError, match=r'max-file-bytes: expected an integer between 1 and 100000000'):
        load_settings(tree)


@pytest.mark.parametrize("body", ["tool = 5", "project = 5", "[project]\ndependencies = 5",
                                  "[project]\noptional-dependencies = {a = 5}", "[tool.poetry]\ndependencies = 5"])
def test_a_pyproject_of_the_wrong_shape_is_read_as_declaring_nothing(tree: Path, capsys: pytest.CaptureFixture[str],
                                                                     body: str) -> None:
    (tree / "pyproject.toml").write_text(body + "\n")
    code, out, _ = review(tree, capsys)
    report = json.loads(out)
    assert code == 0
    assert not [d for d in report["diagnostics"] if d["kind"] == "analysis-error"]
    assert any(f["location"]["path"] == "vulnerable.py" for f in report["findings"])
