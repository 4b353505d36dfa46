"""Cross-file taint resolution expands each call site once (taint/resolve.py).

A function whose calls feed each other (`b = clean(a, a); c = clean(b, a); ...` through a
project helper that passes its arguments on) used to be expanded once per path through that
web of calls: exponential in the chain's length, a review that never finished on a 40k-line
Django project. The count below is what the design promises, independent of machine speed."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.taint import resolve

CHAIN = 24


def _project(root: Path) -> Path:
    (root / "app").mkdir()
    (root / "app/__init__.py").write_text("")
    (root / "app/text.py").write_text("def join(left, right):\n    return left + right\n")
    steps = ["    v0 = request.args.get('q')", "    v1 = join(v0, v0)"]
    steps += [f"    v{i} = join(v{i - 1}, v{i - 2})" for i in range(2, CHAIN)]
    (root / "app/views.py").write_text(
        "import sqlite3\nfrom flask import Flask, request\nfrom app.text import join\n\n"
        "app = Flask(__name__)\n\n\n@app.route('/search')\ndef search():\n" + "\n".join(steps)
        + f"\n    return sqlite3.connect('db').execute(v{CHAIN - 1}).fetchall()\n")
    return root


def test_each_call_site_is_expanded_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counts: Counter[tuple[str, int]] = Counter()
    original = resolve._Resolver._call_yields

    def counting(self, call, summary, depth):  # type: ignore[no-untyped-def]
        counts[(summary.key, call.index)] += 1
        return original(self, call, summary, depth)

    monkeypatch.setattr(resolve._Resolver, "_call_yields", counting)
    report = review(_project(tmp_path), Settings(use_cache=False, jobs=1, profile="extended",
                                                 select=frozenset({"sql-injection"})))
    found = [(f.concern, f.location.path, f.held_back) for f in report.findings]
    assert [f[:2] for f in found] == [("sql-injection", "app/views.py")], found  # the flow is still found
    assert counts and max(counts.values()) == 1
