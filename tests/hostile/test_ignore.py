"""The gitignore matcher: git's semantics, linear-ish time, invalid patterns reported."""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from servicelens.sources.ignore import BudgetExhausted, MatchBudget, compile_patterns, parse_pattern

# (pattern, path, is_dir, ignored?) from gitignore(5) and git's wildmatch behaviour
TABLE = [
    ("*.py", "app.py", False, True),
    ("*.py", "deep/down/app.py", False, True),
    ("*.py", "app.pyc", False, False),
    ("foo", "foo", True, True),
    ("foo", "a/foo", False, True),
    ("foo/", "a/foo", True, True),
    ("foo/", "a/foo", False, False),
    ("/foo", "foo", False, True),
    ("/foo", "a/foo", False, False),
    ("doc/frotz", "doc/frotz", False, True),
    ("doc/frotz", "a/doc/frotz", False, False),
    ("doc/*.txt", "doc/x.txt", False, True),
    ("doc/*.txt", "doc/sub/x.txt", False, False),
    ("**/foo", "foo", False, True),
    ("**/foo", "x/y/foo", False, True),
    ("**/foo/bar", "x/foo/bar", False, True),
    ("abc/**", "abc/x", False, True),
    ("abc/**", "abc/x/y", False, True),
    ("abc/**", "abc", True, False),
    ("a/**/b", "a/b", False, True),
    ("a/**/b", "a/x/b", False, True),
    ("a/**/b", "a/x/y/b", False, True),
    ("a/**/b", "a/x/c", False, False),
    ("a**b", "axxb", False, True),
    ("a**b", "ax/xb", False, False),
    ("?.py", "a.py", False, True),
    ("?.py", "ab.py", False, False),
    ("[abc].py", "b.py", False, True),
    ("[!abc].py", "b.py", False, False),
    ("[^abc].py", "d.py", False, True),
    ("[a-c]x", "bx", False, True),
    ("[a-c]x", "dx", False, False),
    ("[]]x", "]x", False, True),
    ("[[:digit:]]x", "7x", False, True),
    ("[[:digit:]]x", "ax", False, False),
    ("\\!important", "!important", False, True),
    ("\\#hash", "#hash", False, True),
    ("trail\\ ", "trail ", False, True),
    ("trail   ", "trail", False, True),
    ("\\*", "*", False, True),
    ("\\*", "x", False, False),
]


@pytest.mark.parametrize(("pattern", "path", "is_dir", "expected"), TABLE)
def test_documented_semantics(pattern: str, path: str, is_dir: bool, expected: bool) -> None:
    rules, skipped = compile_patterns([pattern])
    assert not skipped
    assert bool(rules.decision(path, is_dir)) is expected


def test_last_match_wins_and_negation_reincludes() -> None:
    rules, _ = compile_patterns(["*.log", "!keep.log", "# a comment", "", "keep.log.old"])
    assert rules.decision("x.log", False) is True
    assert rules.decision("keep.log", False) is False
    assert rules.decision("x.py", False) is None
    rules, _ = compile_patterns(["!keep.log", "*.log"])
    assert rules.decision("keep.log", False) is True


@pytest.mark.parametrize(("pattern", "reason"), [
    ("[z-a]", "reversed range"),
    ("!", "negates nothing"),
    ("x[ab", "unterminated"),
    ("foo\\", "backslash"),
    ("[[:nope:]]", "unknown character class"),
    ("/", "matches nothing"),
])
def test_invalid_patterns_are_skipped_with_a_reason(pattern: str, reason: str) -> None:
    rules, skipped = compile_patterns(["*.tmp", pattern, "*.bak"])
    assert [(s.index, s.text) for s in skipped] == [(1, pattern)]
    assert reason in skipped[0].reason
    assert rules.decision("a.bak", False) and rules.decision("a.tmp", False)


def test_comments_and_blank_lines_are_not_patterns() -> None:
    assert parse_pattern("# comment") is None
    assert parse_pattern("   ") is None
    assert parse_pattern("") is None


def test_pathological_pattern_is_fast() -> None:
    rules, _ = compile_patterns(["*a*a*a*a*a*a*a*a*a*a*c", "**/**/**/**/**/**/*a*a*a*a*c/**"])
    name = "a" * 5000
    deep = "/".join(["a" * 50] * 100)
    started = time.monotonic()
    assert rules.decision(name, False) is None
    assert rules.decision(deep, False) is None
    assert compile_patterns(["*a*a*a*a*a*a*a*a*a*a*b"])[0].decision("a" * 5000 + "b", False)
    assert compile_patterns(["*a?a?[ab]a?aa*b"])[0].decision("a" * 5000, False) is None
    assert time.monotonic() - started < 1.0


def _git_ignored(repo: Path, patterns: list[str], paths: list[str]) -> set[str]:
    (repo / ".gitignore").write_text("\n".join(patterns) + "\n")
    for rel in paths:
        target = repo / rel.rstrip("/")
        if rel.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("x")
    result = subprocess.run(["git", "check-ignore", "--no-index", "--stdin", "-v", "-n"],
                            cwd=repo, input="\n".join(p.rstrip("/") for p in paths), capture_output=True,
                            text=True, check=False, timeout=30)
    ignored = set()
    for line in result.stdout.splitlines():
        source, path = line.split("\t", 1)
        if source != "::" and not source.split(":")[2].startswith("!"):
            ignored.add(path)
    return ignored


GIT_CASES = [
    (["*.py", "!keep.py"], ["a.py", "keep.py", "d/keep.py", "d/b.py", "x.txt"]),
    (["/top.txt", "mid/*.txt", "**/deep/*.log"], ["top.txt", "s/top.txt", "mid/a.txt", "mid/s/a.txt",
                                                  "deep/a.log", "x/y/deep/b.log", "x/deep/c/d.log"]),
    (["build/", "cache"], ["build/", "src/build/", "cache", "src/cache", "lib/cache/"]),
    (["a/**/z", "b/**", "[0-9]*.dat", "[!x]?.md"], ["a/z", "a/1/2/z", "a/zz", "b/q", "b/r/s", "1.dat",
                                                     "x.dat", "yy.md", "xy.md", "y.md"]),
    (["\\#x", "\\!y", "sp\\ ", "tr   "], ["#x", "!y", "sp ", "tr", "sp"]),
]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize(("patterns", "paths"), GIT_CASES)
def test_agrees_with_git_check_ignore(tmp_path: Path, patterns: list[str], paths: list[str]) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, timeout=30)
    expected = _git_ignored(tmp_path, patterns, paths)
    rules, skipped = compile_patterns(patterns)
    assert not skipped
    ours = {p.rstrip("/") for p in paths if rules.decision(p.rstrip("/"), p.endswith("/"))}
    assert ours == expected


def test_budget_bounds_the_product_of_patterns_and_paths() -> None:
    rules, _ = compile_patterns(["*a?a?a?a?a?a?a?a?a?b*"] * 1000)
    budget = MatchBudget(50_000)
    with pytest.raises(BudgetExhausted):
        for index in range(1000):
            rules.decision("a" * 200 + str(index), False, budget)
    assert budget.remaining < 0


def test_discovery_stops_ignoring_when_the_budget_is_spent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from servicelens.config.settings import Settings
    from servicelens.sources import discovery

    monkeypatch.setattr(discovery, "IGNORE_MATCH_BUDGET", 100_000)
    (tmp_path / ".gitignore").write_text("*.py\n" + "*a?a?a?a?a?a?a?a?a?b*\n" * 2000)
    for index in range(30):
        (tmp_path / f"{'a' * 200}{index}.py").write_text("x = 1\n")
    started = time.monotonic()
    found = discovery.discover(tmp_path, Settings())
    assert time.monotonic() - started < 20
    assert found.files  # after the budget, nothing more is ignored
    assert [d.message for d in found.diagnostics if d.path == "."] == [
        "the .gitignore and exclude patterns cost too much to evaluate; from here on no path is ignored"]
