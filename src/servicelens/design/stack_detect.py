"""Which stack a repository uses, from its manifest file names (no file is executed)."""
from __future__ import annotations

from pathlib import Path

_MANIFESTS = (
    ("go.mod", "go"), ("pom.xml", "spring"), ("build.gradle", "spring"), ("build.gradle.kts", "spring"),
    ("package.json", "express"), ("pyproject.toml", "fastapi"), ("requirements.txt", "fastapi"),
    ("setup.py", "fastapi"), ("Pipfile", "fastapi"),
)


def detect_stack(root: Path) -> str:
    """The stack of the repo at `root`, or '' when no manifest is found at its top level."""
    for name, stack in _MANIFESTS:  # a few stat calls: never a walk of a huge directory
        try:
            if (root / name).is_file():
                return stack
        except OSError:
            continue
    return ""
