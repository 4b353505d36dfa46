"""The pre-commit hook as a user meets it: `pre-commit try-repo` on a clone of this project,
run in small sample repositories, one with a planted injection (the commit is refused) and
one clean (it passes); plus the mapping from staged files to the services to review."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from servicelens.sources.service_roots import service_roots

ROOT = Path(__file__).resolve().parents[1]
GIT = ["git", "-c", "user.name=servicelens tests", "-c", "user.email=tests@servicelens.invalid",
       "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]

HANDLER = '''\
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.get("/users")
def users():
    name = request.args.get("name", "")
    conn = sqlite3.connect("app.db")
    rows = conn.execute({query}).fetchall()
    return {{"ids": [row[0] for row in rows]}}
'''
VULNERABLE = HANDLER.format(query='"SELECT id FROM users WHERE name = \'" + name + "\'"')
CLEAN = HANDLER.format(query='"SELECT id FROM users WHERE name = ? LIMIT 100", (name,)')


def test_manifest_declares_the_hook() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "servicelens" and hook["language"] == "python"
    assert hook["entry"] == "servicelens pre-commit" and hook["args"] == ["--fail-on", "high"]
    assert hook["pass_filenames"] is True and hook["require_serial"] is True


def test_staged_files_map_to_their_services(tmp_path: Path) -> None:
    for service in ("services/payments", "services/users"):
        (tmp_path / service / "app").mkdir(parents=True)
        (tmp_path / service / "pyproject.toml").write_text("[project]\nname='x'\n", "utf-8")
    (tmp_path / "pyproject.toml").write_text("[project]\nname='top'\n", "utf-8")
    (tmp_path / "scripts").mkdir()
    files = [tmp_path / "services/payments/app/db.py", tmp_path / "services/payments/app/api.py",
             tmp_path / "services/users/app/api.py"]
    assert service_roots(files, tmp_path) == [tmp_path / "services/payments", tmp_path / "services/users"]
    # a file outside any service belongs to the top, which covers the services inside it
    assert service_roots([*files, tmp_path / "scripts/run.py"], tmp_path) == [tmp_path]
    assert service_roots([], tmp_path) == []


def _git(cwd: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def project_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this project holding its working tree as it is now (uncommitted work included),
    committed so that try-repo uses it as is and installs the hook's environment once."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: pre-commit needs it")
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git checkout, so there is nothing to clone")
    clone = tmp_path_factory.mktemp("pre-commit") / "servicelens"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)], check=True, capture_output=True)
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
        elif not source.exists():
            (clone / name).unlink(missing_ok=True)
    _git(clone, "add", "-A")
    _git(clone, "commit", "-q", "--allow-empty", "-m", "working tree under test")
    return clone


def _sample_repo(base: Path, name: str, source: str, config: str = "") -> Path:
    repo = base / name
    (repo / "app").mkdir(parents=True)
    if config:
        (repo / "servicelens.toml").write_text(config, "utf-8")
    (repo / "app" / "main.py").write_text(source, "utf-8")
    (repo / "requirements.txt").write_text("flask\n", "utf-8")
    (repo / "README.md").write_text("# sample\n", "utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    return repo


def _try_repo(clone: Path, repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {"PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(clone), "servicelens", "--all-files"],
                          cwd=repo, env={**os.environ, **env}, capture_output=True, text=True, timeout=900,
                          check=False)


@pytest.mark.external
def test_try_repo_refuses_an_injection_and_passes_a_clean_service(project_clone: Path, tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit comes with the test extras")
    home = tmp_path / "pre-commit-home"  # one environment install, shared by both runs
    # a team that gates commits on every rule, including those the default profile still holds back
    bad = _try_repo(project_clone, _sample_repo(tmp_path, "bad", VULNERABLE, 'profile = "extended"\n'), home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "app/main.py:12: critical sql-injection" in bad.stdout
    assert "1 service(s) reviewed (.)" in bad.stdout

    good = _try_repo(project_clone, _sample_repo(tmp_path, "good", CLEAN), home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout


def _monorepo(base: Path) -> Path:
    """Two services, each with its own manifest; only `payments` holds an injection."""
    for service, source in (("payments", VULNERABLE), ("users", CLEAN)):
        (base / "services" / service / "app").mkdir(parents=True)
        (base / "services" / service / "app" / "main.py").write_text(source, "utf-8")
        (base / "services" / service / "requirements.txt").write_text("flask\n", "utf-8")
    return base


def test_only_the_services_touched_are_reviewed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from servicelens.cli.main import main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(_monorepo(tmp_path / "repo"))
    assert main(["pre-commit", "--profile", "extended", "services/users/app/main.py"]) == 0
    assert "1 service(s) reviewed (services/users): " in capsys.readouterr().out

    # every finding: a rule the default profile still holds back (not yet measured) can block a commit
    assert main(["pre-commit", "--profile", "extended", "services/payments/app/main.py",
                 "services/users/app/main.py"]) == 1
    out = capsys.readouterr().out
    assert "services/payments/app/main.py:12: critical sql-injection" in out
    assert "2 service(s) reviewed (services/payments, services/users)" in out

    assert main(["pre-commit", "--fail-on", "never", "services/payments/app/main.py"]) == 0
    assert main(["pre-commit"]) == 0, "nothing staged that matters: nothing to review"
    assert "0 service(s) reviewed" in capsys.readouterr().out
