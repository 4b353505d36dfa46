"""The Python files servicelens itself would analyse under a root (tests excluded, as the runner
excludes them by default), read once; shared by compare.py and bench.py."""
from __future__ import annotations

from pathlib import Path

from servicelens.analysis.postprocess import is_test_path
from servicelens.config.settings import Settings
from servicelens.sources.discovery import discover
from servicelens.sources.reading import read_source


def python_sources(root: Path) -> list[tuple[str, str]]:
    """(rel, text) of every non-test Python file the review would read, in discovery order."""
    found = discover(root, Settings())
    out = []
    for item in found.files:
        source, _ = read_source(item)
        if source is not None and source.kind == "python" and not is_test_path(source.rel):
            out.append((source.rel, source.text))
    return out
