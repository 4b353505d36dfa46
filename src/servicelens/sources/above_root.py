"""The directories above a review root where a project keeps what configures the code under it.

A review of `src/` or of one package still runs under the project's tsconfig and Django settings,
which live higher up. They are looked for in the few directories above the root, never past the
top of a repository (a directory holding `.git`) or the filesystem's root.
"""
from __future__ import annotations

from pathlib import Path

LEVELS = 3  # how far above the root a project's configuration is looked for


def directories_above(root: Path) -> list[Path]:
    """The parents of `root`, nearest first, up to `LEVELS`, stopping at a repository's top."""
    found: list[Path] = []
    here = root.resolve()
    for _ in range(LEVELS):
        if (here / ".git").exists() or here.parent == here:
            break
        here = here.parent
        found.append(here)
    return found
