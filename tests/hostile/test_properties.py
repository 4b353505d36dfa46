"""Property: whatever a repository holds, a review ends, in bounded time, with a report.

Hypothesis builds trees of random files: names (unicode, spaces, newlines, bytes that
are not UTF-8), contents (Python, YAML with anchors and merge keys, JSON, random bytes,
other encodings, coding cookies), `.gitignore` files with random patterns and
`[tool.servicelens]` tables with random values. The only outcomes allowed:

- exit 0 or 1 (1 only with --fail-on) and a complete JSON report on stdout, or
- exit 2 with one line on stderr, and only when the configuration itself is invalid.

A hang is caught by an alarm; a traceback, an exit 1 without --fail-on, or a report that
is not valid UTF-8 JSON fails the property.
"""
from __future__ import annotations

import io
import json
import os
import signal
import string
import sys
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from servicelens.cli.main import main

TIME_BOUND_S = 30  # generous: a tiny tree reviews in well under a second

_NAME_CHARS = string.ascii_letters + string.digits + "._- #[]!*?\\'\"$%&()+,;=@^`{}~" + "éß漢\u202e\n\t"
_PY_LINES = [
    "import os", "from flask import Flask, request", "app = Flask(__name__)",
    "@app.route('/x', methods=['POST'])", "def handler():", "    return os.system(request.args['c'])",
    "class A(B, metaclass=M):", "    x: int = 1", "def f(*a, **k): yield from a",
    "x = " + "(" * 60 + "1" + ")" * 60, "s = 'a' " + "+ 'b' " * 200, "async def g(): await h()",
    "try:\n    pass\nexcept* ValueError:\n    pass", "match x:\n    case {'a': [1, *rest]}: pass",
    "# coding: latin-1", "# coding: unicode_escape", "'\\ud800'", "def broken(:", "\x00", "lambda: (yield)",
]
_YAML_DOCS = [
    "services:\n  web:\n    image: python:3.12\n    ports: ['80:80']\n",
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
    "services:\n  web: &w\n    <<: *w\n",
    "x: &x\n  <<: [*x]\n",
    "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: app.handler\n      responses: {'200': {description: ok}}\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: nginx}]\n",
    "{{ .Values.image }}\nkind: Service\n", "key: [unclosed\n", "---\n---\n...\n", "!!python/object:os.system ls\n",
    "a: " + "[" * 300 + "]" * 300 + "\n",
]
_GITIGNORE_LINES = ["*.pyc", "[z-a]", "!", "\\!x", "**/", "a/**/b", "*a*a*a*a*a*a*a*a*a*a*c", "[", "/", "#c", "!*.py", " ", "***"]
_CONFIG_VALUES = {
    "jobs": [1, 2, 0, -1, 100, "many", 2.5, True],
    "exclude": [[], ["x.py"], "x.py", 5, ["[z-a]"], [1]],
    "max-file-bytes": [1, 1000, 2_000_000, "big", -5, 0],
    "cache": [True, False, "no"],
    "include-tests": [True, False, "false"],
    "models": [[], ["/etc"], [1], ["../outside"], "models"],
    "select": [[], ["sql-injection"], ["nope"], "security"],
    "severity": [{}, {"sql-injection": "low"}, {"sql-injection": "urgent"}, 3],
}


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return repr(value)


names = st.one_of(
    st.text(_NAME_CHARS, min_size=1, max_size=24).filter(lambda s: s not in (".", "..") and "/" not in s),
    st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b"..")),
)
suffixes = st.sampled_from([".py", ".yaml", ".yml", ".json", ".graphql", "", ".toml", ".txt"])
contents = st.one_of(
    st.lists(st.sampled_from(_PY_LINES), max_size=12).map(lambda ls: "\n".join(ls).encode()),
    st.lists(st.sampled_from(_YAML_DOCS), min_size=1, max_size=3).map(lambda ds: "---\n".join(ds).encode()),
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from(["utf-16", "latin-1", "cp1252"]).flatmap(
        lambda enc: st.text(string.printable + "éü", max_size=100).map(lambda t, enc=enc: t.encode(enc))),
)
files = st.tuples(st.lists(names, min_size=0, max_size=2), names, suffixes, contents)
gitignores = st.lists(st.sampled_from(_GITIGNORE_LINES), max_size=5).map(lambda ls: "\n".join(ls))
configs = st.dictionaries(st.sampled_from(sorted(_CONFIG_VALUES)), st.just(None), max_size=3).flatmap(
    lambda keys: st.fixed_dictionaries({k: st.sampled_from(_CONFIG_VALUES[k]) for k in keys}))


def _as_bytes(name: str | bytes) -> bytes:
    return name if isinstance(name, bytes) else name.encode("utf-8", "surrogatepass")


def _write_tree(root: Path, tree: list, gitignore: str, config: dict[str, object]) -> None:
    base = os.fsencode(root)
    for dirs, name, suffix, data in tree:
        folder = os.path.join(base, *(_as_bytes(d) for d in dirs)) if dirs else base
        try:
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, _as_bytes(name) + suffix.encode()), "wb") as handle:
                handle.write(data)
        except OSError:
            continue  # a name the file system refuses (e.g. a directory already named so)
    (root / ".gitignore").write_text(gitignore, encoding="utf-8")
    if config:
        table = "\n".join(f"{key} = {_toml_value(value)}" for key, value in config.items())
        (root / "servicelens.toml").write_text(table + "\n", encoding="utf-8")
    (root / "ok.py").write_text("import os\nfrom flask import request\n\ndef v():\n    os.system(request.args['c'])\n")


@contextmanager
def _time_bound(seconds: int) -> Iterator[None]:
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"review did not end within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), _time_bound(TIME_BOUND_S):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _ignores_ok_py(gitignore: str) -> bool:
    """Whether git itself would ignore `ok.py`: of the sampled lines only `***` (every file, as
    `*`) matches it, and a later `!*.py` takes it back."""
    ignored = False
    for line in gitignore.splitlines():
        if line == "***":
            ignored = True
        elif line == "!*.py":
            ignored = False
    return ignored


def _config_is_valid(config: dict[str, object]) -> bool | None:
    """True/False when the table is plainly valid/invalid; None when either is defensible."""
    checks = {
        "jobs": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
        "exclude": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "max-file-bytes": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
        "cache": lambda v: isinstance(v, bool),
        "include-tests": lambda v: isinstance(v, bool),
        "models": lambda v: v == [],  # any path must stay inside the tree and exist
        "select": lambda v: isinstance(v, list) and v in ([], ["sql-injection"]),
        "severity": lambda v: isinstance(v, dict) and v in ({}, {"sql-injection": "low"}),
    }
    return all(checks[key](value) for key, value in config.items())


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names and signals")
@settings(max_examples=40, deadline=None, derandomize=True, phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(tree=st.lists(files, max_size=8), gitignore=gitignores, config=configs,
       fmt=st.sampled_from(["json", "markdown", "sarif", "html"]), fail_on=st.booleans())
def test_a_review_always_ends_with_a_report(tmp_path_factory: pytest.TempPathFactory, tree: list, gitignore: str,
                                            config: dict[str, object], fmt: str, fail_on: bool) -> None:
    root = tmp_path_factory.mktemp("tree")
    _write_tree(root, tree, gitignore, config)
    argv = ["review", str(root), "--format", fmt, "--no-cache", "--quiet", "--profile", "extended"] + \
        (["--fail-on", "low"] if fail_on else [])
    code, out, err = _run(argv)
    if code == 2:
        assert not _config_is_valid(config), f"exit 2 with a valid configuration: {err}"
        assert err.count("\n") == 1 and err.startswith("servicelens: error:"), err
        assert "Traceback" not in err
        return
    assert _config_is_valid(config) is not False, f"invalid configuration accepted: {config}"
    assert code in ((0, 1) if fail_on else (0,)), (code, err)
    out.encode("utf-8")  # no lone surrogates: the report is valid UTF-8
    if fmt in ("json", "sarif"):
        json.loads(out)
    if fmt == "json" and not _ignores_ok_py(gitignore):
        report = json.loads(out)
        assert any(f["location"]["path"] == "ok.py" for f in report["findings"]), "the rest of the review was lost"


@settings(max_examples=15, deadline=None, derandomize=True, phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tree=st.lists(files, max_size=6), garbage=st.binary(max_size=200))
def test_a_poisoned_cache_never_changes_the_report(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                                                   tree: list, garbage: bytes) -> None:
    root = tmp_path_factory.mktemp("tree")
    cache = tmp_path_factory.mktemp("cache")
    _write_tree(root, tree, "", {})
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    argv = ["review", str(root), "--format", "json", "--quiet", "--profile", "extended"]
    clean = _run(argv + ["--no-cache"])
    first = _run(argv)
    for path in (cache / "servicelens").rglob("*"):
        if path.is_file():
            path.write_bytes(garbage)  # every entry replaced by garbage of the same name
    poisoned = _run(argv)
    assert clean[0] == first[0] == poisoned[0] == 0
    assert clean[1] == first[1] == poisoned[1]
