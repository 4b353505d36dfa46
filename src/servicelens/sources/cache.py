"""Content-hash cache of per-file facts (and of whole reports) in the user cache dir.

Keys hash the tool version, the settings that change results, and the file content, so
a stale entry can never be served; entries are written atomically (rename) so parallel
reviews of the same tree cannot read half a file.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from servicelens import __version__

FORMAT = "3"  # bump when the shape of cached objects changes


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """Hash of servicelens's own code and data: a changed rule, model or text invalidates
    every cached result, even between releases (an editable install in development)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".yaml", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Cache:
    directory: Path
    salt: str  # settings fingerprint plus model/rule versions

    @classmethod
    def open(cls, directory: str, salt: str) -> Cache | None:
        try:
            path = Path(directory)
            path.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return cls(path, salt)

    def key(self, *parts: str) -> str:
        raw = "\0".join((FORMAT, __version__, package_fingerprint(), self.salt) + parts)
        return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()

    def get(self, key: str) -> Any | None:
        path = self.directory / key[:2] / f"{key}.pickle"
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None

    def put(self, key: str, value: Any) -> None:
        folder = self.directory / key[:2]
        try:
            folder.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, folder / f"{key}.pickle")
        except OSError:
            return  # a cache that cannot be written only costs speed
