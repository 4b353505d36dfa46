"""Schema documents a project keeps above the review root, for the rules that read them.

    evolution-api/prisma/schema.prisma   model Instance { name String @unique ... }
    evolution-api/src/                    <- the review root

A review of `src/` does not hold the Prisma schema, which the project keeps beside it
(`prisma/*.prisma` at the package's top), so the rules that ask which column is unique or stores
a credential would see no model. When the reviewed tree holds no document of a kind, the same
directories above the root a tsconfig or Django settings module is looked for in
(`sources/above_root.py`) are searched, nearest first, and the first directory holding such
documents supplies them (their keys say where they were found).
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

from servicelens.sources.above_root import directories_above

# where a project keeps each kind of document, relative to a directory above the root
_PLACES = {"prisma": ("prisma/*.prisma", "*.prisma"),
           "sql": ("migrations/*.sql", "db/migrations/*.sql", "db/*.sql", "sql/*.sql", "*.sql")}
_MAX_BYTES = 524_288


def documents_above(root: Path, kinds: frozenset[str], reviewed: Mapping[str, str]) -> dict[str, str]:
    """{"(above the review root) <path>": text} of each kind the reviewed tree lacks."""
    found: dict[str, str] = {}
    for kind in sorted(kinds):
        if kind not in _PLACES or any(_kind_of(rel) == kind for rel in reviewed):
            continue
        for directory in directories_above(root):
            texts = {f"(above the review root) {path.relative_to(directory).as_posix()}": text
                     for pattern in _PLACES[kind] for path in sorted(directory.glob(pattern))
                     if (text := _read(path)) is not None}
            if texts:
                found.update(texts)
                break
    return found


def _kind_of(rel: str) -> str:
    return "prisma" if rel.endswith(".prisma") else "sql" if rel.endswith(".sql") else ""


def _read(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > _MAX_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
