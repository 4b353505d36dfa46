"""Which service a file belongs to: the nearest enclosing directory with a project manifest.

Used where servicelens is handed a list of files (a pre-commit hook) but must review whole
services, because a flow from a request to a query routinely crosses files. Without any
manifest between a file and the top, the file belongs to the top directory itself.
"""
from __future__ import annotations

from pathlib import Path

MANIFESTS = ("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "Pipfile", "package.json",
             "go.mod", "pom.xml", "build.gradle", "build.gradle.kts")


def service_root(file: Path, top: Path) -> Path:
    """The nearest directory from `file` up to `top` (inclusive) holding a manifest, else `top`."""
    top = top.resolve()
    directory = file.resolve().parent
    if directory != top and top not in directory.parents:
        return directory  # outside the top: its own directory is all we can say
    while directory != top:
        if any((directory / name).is_file() for name in MANIFESTS):
            return directory
        directory = directory.parent
    return top


def service_roots(files: list[Path], top: Path) -> list[Path]:
    """The distinct service roots of `files`, outermost kept when one lies inside another, sorted."""
    roots = sorted({service_root(file, top) for file in files}, key=lambda p: (len(p.parts), str(p)))
    kept: list[Path] = []
    for root in roots:
        if not any(parent in root.parents for parent in kept):
            kept.append(root)
    return sorted(kept)
