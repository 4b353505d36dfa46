"""`review --diff BASE` and `review --baseline REPORT`: only what a change introduced.

One temporary git repository holds a small Flask service with defects already in it
(an SQL injection, an outbound call without a timeout, a hard-coded secret), then:
  add   a commit adding an endpoint with an f-string SQL query and one calling
        `requests.get` without a timeout;
  move  a commit that only moves code: a handler to the end of the file, lines shifting.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from servicelens.cli.main import main
from servicelens.sources.git_diff import changes_from_hunks, parse_diff

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BASE_APP = '''\
import sqlite3

import requests
from flask import Flask, jsonify, request

from service.settings import INVENTORY_URL

app = Flask(__name__)
app.config["SECRET_KEY"] = "s3cr3t-key-do-not-share-123456"


def get_db():
    return sqlite3.connect("orders.db")


@app.route("/orders/<order_id>")
def get_order(order_id):
    db = get_db()
    row = db.execute(f"SELECT * FROM orders WHERE id = '{order_id}'").fetchone()
    return jsonify(row)


@app.route("/orders", methods=["POST"])
def create_order():
    payload = request.get_json()
    stock = requests.post(f"{INVENTORY_URL}/reserve", json=payload)
    db = get_db()
    db.execute("INSERT INTO orders (item, qty) VALUES (?, ?)", (payload["item"], payload["qty"]))
    db.commit()
    return jsonify(stock.json()), 201


@app.route("/health")
def health():
    return {"status": "ok"}
'''

ADDED_HANDLERS = '''\
@app.route("/orders/search")
def search_orders():
    customer = request.args.get("customer", "")
    db = get_db()
    rows = db.execute(f"SELECT id, item FROM orders WHERE customer = '{customer}'").fetchall()
    return jsonify(rows)


@app.route("/rates/<currency>")
def exchange_rate(currency):
    response = requests.get(f"https://rates.example.com/latest/{currency}")
    return jsonify(response.json())


'''

SQL_LINE = "rows = db.execute("
TIMEOUT_LINE = "response = requests.get("


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
                           "-c", "commit.gpgsign=false", *args],
                          cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _move_get_order_to_the_end(text: str) -> str:
    start = text.index('@app.route("/orders/<order_id>")')
    end = text.index('@app.route("/orders", methods=["POST"])')
    block = text[start:end]
    return text[:start] + text[end:].rstrip("\n") + "\n\n\n" + block.rstrip("\n") + "\n"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("diffrepo")
    _git(root, "init", "-q", "-b", "main")
    service = root / "service"
    service.mkdir()
    (service / "__init__.py").write_text("")
    (service / "settings.py").write_text('INVENTORY_URL = "https://inventory.internal.example.com"\n')
    (service / "app.py").write_text(BASE_APP)
    (root / "README.md").write_text("# orders\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "orders service")
    base = _git(root, "rev-parse", "HEAD")

    app = service / "app.py"
    app.write_text(BASE_APP.replace('@app.route("/health")', ADDED_HANDLERS + '@app.route("/health")'))
    (root / "README.md").write_text("# orders\n\nSearch and exchange rates.\n")  # outside the review root
    _git(root, "commit", "-q", "-am", "search and exchange rates")
    added = _git(root, "rev-parse", "HEAD")

    app.write_text(_move_get_order_to_the_end(app.read_text()))
    _git(root, "commit", "-q", "-am", "move get_order to the end")
    moved = _git(root, "rev-parse", "HEAD")
    return {"root": root, "base": base, "added": added, "moved": moved}


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _at(repo: dict[str, object], commit: str) -> Path:
    root = repo["root"]
    assert isinstance(root, Path)
    _git(root, "checkout", "-q", "--detach", str(repo[commit]))
    return root / "service"


def _review(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> dict[str, object]:
    assert main(["review", str(path), "--profile", "extended", "-f", "json", "-q", *args]) == 0
    report = json.loads(capsys.readouterr().out)
    assert isinstance(report, dict)
    return report


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def _sites(report: dict[str, object]) -> set[tuple[str, str, int]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return {(f["concern"], f["location"]["path"], f["location"]["start_line"]) for f in findings}


def _fingerprints(report: dict[str, object]) -> set[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return {f["fingerprint"] for f in findings}


def test_diff_reports_what_the_commit_introduced_and_nothing_older(
        repo: dict[str, object], cache_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _review(capsys, _at(repo, "base"), "--profile", "extended")
    assert {"sql-injection", "missing-timeout"} <= {c for c, _, _ in _sites(before)}  # defects already there
    service = _at(repo, "added")
    report = _review(capsys, service, "--diff", "HEAD~1")
    app = service / "app.py"
    sites = _sites(report)
    assert ("sql-injection", "app.py", _line_of(app, SQL_LINE)) in sites
    assert ("missing-timeout", "app.py", _line_of(app, TIMEOUT_LINE)) in sites
    first, last = _line_of(app, '"/orders/search"'), _line_of(app, "return jsonify(response.json())")
    assert all(first <= line <= last for _, _, line in sites), sites
    assert not _fingerprints(report) & _fingerprints(before)
    scope = report["scope"]
    assert scope == {"kind": "diff", "against": "HEAD~1", "merge_base": repo["base"], "changed_files": 1,
                     "baseline_findings": 0, "total_findings": scope["total_findings"]}  # type: ignore[index]
    assert scope["total_findings"] > len(sites)  # type: ignore[index]
    summary = report["summary"]
    assert isinstance(summary, dict) and summary["findings"] == len(sites)


def test_diff_of_a_commit_that_only_moves_code_reports_nothing(
        repo: dict[str, object], cache_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    service = _at(repo, "moved")
    for profile in ("default", "extended"):
        report = _review(capsys, service, "--diff", "HEAD~1", "--profile", profile)
        assert report["findings"] == [], profile
        assert report["scope"]["changed_files"] == 0  # type: ignore[index]
        assert report["scope"]["total_findings"] > 0  # type: ignore[index]
        assert report["stats"]["held_back"] == 0  # type: ignore[index]


def test_baseline_reports_only_findings_the_parent_report_lacks(
        repo: dict[str, object], cache_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parent = tmp_path / "parent.json"
    assert main(["review", str(_at(repo, "base")), "--profile", "extended", "-f", "json", "-q", "-o", str(parent)]) == 0
    service = _at(repo, "added")
    by_baseline = _review(capsys, service, "--baseline", str(parent))
    by_diff = _review(capsys, service, "--diff", "HEAD~1")
    assert _sites(by_baseline) == _sites(by_diff)
    assert {"sql-injection", "missing-timeout"} <= {c for c, _, _ in _sites(by_baseline)}
    known = len(json.loads(parent.read_text())["findings"])
    assert by_baseline["scope"] == {"kind": "baseline", "against": str(parent), "merge_base": "",  # type: ignore[index]
                                    "changed_files": 0, "baseline_findings": known,
                                    "total_findings": by_baseline["scope"]["total_findings"]}  # type: ignore[index]


def test_baseline_of_a_commit_that_only_moves_code_reports_nothing(
        repo: dict[str, object], cache_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Fingerprints survive line shifts and a handler moving to the end of the file, also
    for taint flows and for findings the default profile holds back."""
    parent = tmp_path / "parent.json"
    assert main(["review", str(_at(repo, "added")), "--profile", "extended", "-f", "json", "-q", "--profile", "extended",
                 "-o", str(parent)]) == 0
    moved = _review(capsys, _at(repo, "moved"), "--profile", "extended")
    assert _fingerprints(moved) == {f["fingerprint"] for f in json.loads(parent.read_text())["findings"]}
    assert _sites(moved) != _sites(json.loads(parent.read_text()))  # the lines did move
    report = _review(capsys, _at(repo, "moved"), "--baseline", str(parent), "--profile", "extended")
    assert report["findings"] == []


def test_every_format_says_what_it_was_filtered_against(
        repo: dict[str, object], cache_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    service = _at(repo, "added")
    assert main(["review", str(service), "--profile", "extended", "-q", "--diff", "HEAD~1"]) == 0
    markdown = capsys.readouterr().out
    assert "**Scope:** Only findings introduced since HEAD" in markdown
    assert main(["review", str(service), "--profile", "extended", "-q", "-f", "sarif", "--diff", "HEAD~1"]) == 0
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["runs"][0]["properties"]["servicelens"]["scope"]["kind"] == "diff"
    assert main(["review", str(service), "--profile", "extended", "-q"]) == 0
    assert "**Scope:**" not in capsys.readouterr().out


def test_uncommitted_edits_and_untracked_files_count_as_changes(
        repo: dict[str, object], cache_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    service = _at(repo, "moved")
    new = service / "rates_client.py"
    new.write_text("import requests\n\n\ndef fetch_rates():\n"
                   "    return requests.get('https://rates.example.com/latest').json()\n")
    try:
        report = _review(capsys, service, "--diff", "HEAD", "--profile", "extended")
        assert ("missing-timeout", "rates_client.py", 5) in _sites(report)
        assert {path for _, path, _ in _sites(report)} == {"rates_client.py"}
    finally:
        new.unlink()


@pytest.mark.parametrize("case", ["not-git", "unknown-revision", "option-like-revision"])
def test_bad_diff_input_is_one_line_and_exit_2(case: str, repo: dict[str, object], tmp_path: Path,
                                                cache_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, base = {"not-git": (tmp_path, "HEAD~1"), "unknown-revision": (_at(repo, "added"), "no-such-branch"),
                  "option-like-revision": (_at(repo, "added"), "--output=/tmp/x")}[case]
    (tmp_path / "app.py").write_text("x = 1\n")
    assert main(["review", str(path), "--profile", "extended", "-q", "--diff", base]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("servicelens: error: --diff: "), captured.err
    expected = {"not-git": "is not in a git repository", "unknown-revision": "unknown revision 'no-such-branch'",
                "option-like-revision": "not a revision"}[case]
    assert expected in lines[0]


@pytest.mark.parametrize(("content", "expected"), [
    ("x = 1\n", "not JSON"),
    ("[1, 2]\n", "not an object"),
    ('{"tool": {"name": "servicelens"}}', "no `findings` list"),
    ('{"tool": {"name": "other"}, "findings": []}', "no `tool.name` of servicelens"),
    ('{"tool": {"name": "servicelens"}, "findings": [{"concern": "x"}]}', "finding 1 has no `fingerprint`"),
    ('{"version": "2.1.0", "runs": []}', "it is a SARIF log"),
    (b"\xff\xfe".decode("latin-1"), "not UTF-8"),
    (None, "no such file"),
])
def test_a_baseline_that_is_not_a_servicelens_report_is_one_line_and_exit_2(
        content: str | None, expected: str, tmp_path: Path, cache_home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "app.py").write_text("x = 1\n")
    baseline = tmp_path / "baseline.json"
    if content is not None:
        baseline.write_bytes(content.encode("latin-1"))
    assert main(["review", str(tmp_path / "app.py"), "--profile", "extended", "-q", "--baseline", str(baseline)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert captured.out == "" and len(lines) == 1, captured.err
    assert lines[0].startswith("servicelens: error: --baseline: ") and expected in lines[0], lines[0]


def test_diff_and_baseline_together_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(tmp_path), "--profile", "extended", "-q", "--diff", "HEAD", "--baseline", "r.json"]) == 2
    assert "cannot be combined" in capsys.readouterr().err


PATCH = b"""\
diff --git a/app.py b/app.py
index 1111111..2222222 100644
--- a/app.py
+++ b/app.py
@@ -3,2 +2,0 @@ import os
-def old():
-    return 1
@@ -10 +8,2 @@ def keep():
-    x = compute(a)
+    x = compute(b)
+
@@ -20,0 +20,2 @@ def tail():
+def old():
+    return 1
@@ -30,1 +31,0 @@ def gone():
-    @login_required
diff --git "a/we\\tird.py" "b/we\\tird.py"
--- "a/we\\tird.py"
+++ "b/we\\tird.py"
@@ -0,0 +1 @@
+print(1)
diff --git a/deleted.py b/deleted.py
--- a/deleted.py
+++ /dev/null
@@ -1 +0,0 @@
-x = 1
"""


def test_moved_lines_are_not_changes_and_deletions_touch_their_neighbours() -> None:
    changes = changes_from_hunks(parse_diff(PATCH), ["new.py"])
    # the moved `old` function (lines 20-21) is not a change; the edited line 8 is, the blank
    # line 9 holds nothing; the removed decorator touches lines 31 and 32 around it
    assert changes.lines["app.py"] == frozenset({8, 31, 32})
    assert changes.lines["we\tird.py"] == frozenset({1})
    assert "deleted.py" not in changes.lines
    assert changes.touches("new.py", 123) and not changes.touches("app.py", 20, 21)
    assert changes.touches("app.py", 5, 8) and changes.files == 3
