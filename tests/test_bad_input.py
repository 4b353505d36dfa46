"""Bad input becomes diagnostics; the rest of the review proceeds; nothing crashes."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from servicelens.api import review
from servicelens.config.settings import Settings

VULNERABLE = 'from flask import Flask, request\napp = Flask(__name__)\n\n@app.route("/x")\ndef x():\n    import os\n    os.system(request.args["c"])\n'


def _diag(report: object) -> dict[str, str]:
    return {d.path: d.kind for d in report.diagnostics}  # type: ignore[attr-defined]


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "svc"
    root.mkdir()
    (root / "app.py").write_text(VULNERABLE)
    (root / "broken.py").write_text("def broken(:\n    pass\n\nimport os\nos.system(input())\n")
    (root / "latin1.py").write_bytes("# café\nname = 'é'\n".encode("latin-1"))
    (root / "binary.py").write_bytes(b"\x00\x01\x02garbage")
    (root / "empty.py").write_text("")
    (root / "big.py").write_text("x = 1\n" * 400_000)
    (root / "loop").symlink_to(root)
    return root


def test_bad_files_become_diagnostics_and_the_rest_is_reviewed(tree: Path) -> None:
    report = review(tree, Settings(use_cache=False, profile="extended", max_file_bytes=2_000_000))
    kinds = _diag(report)
    assert kinds["broken.py"] == "parse-error"
    assert kinds["latin1.py"] == "not-utf8"
    assert kinds["binary.py"] == "binary"
    assert kinds["empty.py"] == "empty"
    assert kinds["big.py"] == "too-large"
    assert kinds["loop"] == "symlink-loop"
    assert any(f.concern == "command-injection" and f.location.path == "app.py" for f in report.findings)


def test_unreadable_file(tree: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read everything")
    (tree / "secret.py").write_text("x = 1\n")
    (tree / "secret.py").chmod(0)
    assert _diag(review(tree, Settings(use_cache=False, profile="extended")))["secret.py"] == "unreadable"


def test_python_syntax_newer_than_the_interpreter(tmp_path: Path) -> None:
    """PEP 695 and PEP 701 code parses even where the running interpreter's ast cannot."""
    source = (
        "from flask import Flask, request\n"
        "app = Flask(__name__)\n"
        "type Alias[T] = list[T]\n"
        "def first[T](items: list[T]) -> T:\n"
        "    return items[0]\n"
        "@app.route('/q')\n"
        "def q():\n"
        "    data = {'a': request.args['a']}\n"
        "    import os\n"
        "    os.system(f\"echo {data[\"a\"]}\")\n"
        "    match data:\n"
        "        case {'a': value}:\n"
        "            return value\n"
    )
    (tmp_path / "modern.py").write_text(source)
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    assert not report.diagnostics
    assert [f.location.start_line for f in report.findings if f.concern == "command-injection"] == [10]


def test_review_never_writes_into_the_tree(tree: Path) -> None:
    before = sorted((p.relative_to(tree), p.stat().st_mtime) for p in tree.glob("*") if not p.is_symlink())
    review(tree, Settings(use_cache=False, profile="extended"))
    after = sorted((p.relative_to(tree), p.stat().st_mtime) for p in tree.glob("*") if not p.is_symlink())
    assert before == after


def test_deeply_nested_generated_code_is_still_reviewed(tmp_path: Path) -> None:
    (tmp_path / "generated.py").write_text("x = " + " + ".join(["'a'"] * 3000) + "\n" + VULNERABLE)
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    assert not report.diagnostics
    assert [f.concern for f in report.findings if f.concern == "command-injection"] == ["command-injection"]
