"""The in-memory overlay: a proposed edit is reviewed as if it were on disk, and the disk
is never touched (the MCP `check` tool depends on both)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from servicelens.api import OverlayError, review
from servicelens.config.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "payments-service"
SETTINGS = Settings(use_cache=False, profile="extended")  # what an overlay changes, whatever the gate


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "svc"
    shutil.copytree(EXAMPLE, root)
    (root / ".gitignore").write_text("ignored.py\n")
    (root / "ignored.py").write_text("import requests\nrequests.get('http://x')\n")
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_overlay_replaces_a_file_without_writing_it(tree: Path) -> None:
    before = _snapshot(tree)
    provider = (tree / "payments/provider.py").read_text()
    fixed = provider.replace("Config.PROVIDER_API_KEY})", "Config.PROVIDER_API_KEY}, timeout=10)")
    assert fixed != provider
    base = {(f.concern, f.location.path, f.location.start_line) for f in review(tree, SETTINGS).findings}
    after = {(f.concern, f.location.path, f.location.start_line)
             for f in review(tree, SETTINGS, overlay={"payments/provider.py": fixed}).findings}
    assert base - after == {("missing-timeout", "payments/provider.py", 12)}
    assert _snapshot(tree) == before


def test_overlay_adds_a_new_file(tree: Path) -> None:
    text = "import requests\n\n\ndef fetch(url):\n    return requests.get(url)\n"
    report = review(tree, SETTINGS, overlay={"payments/new_client.py": text})
    assert any(f.concern == "missing-timeout" and f.location.path == "payments/new_client.py"
               for f in report.findings)
    assert not (tree / "payments/new_client.py").exists()


def test_overlay_refuses_a_file_the_review_would_not_read(tree: Path) -> None:
    with pytest.raises(OverlayError, match="not part of this review"):
        review(tree, SETTINGS, overlay={"ignored.py": "x = 1\n"})
    with pytest.raises(OverlayError, match="does not review files of this kind"):
        review(tree, SETTINGS, overlay={"notes.txt": "hello\n"})
