"""Content-hash cache of per-file facts (and of whole reports) in the user cache dir.

Keys hash the tool version, the settings that change results, the user's model files
and the file content, so a stale entry can never be served. Entries are data
(sources/cache_codec.py), never code. The directory is shared state: people review
untrusted trees as root in CI, so before reading anything the cache checks that the
directory, its subdirectories and each entry belong to the current user and nobody else
can write them; a directory that fails is not used at all, and the run says why.
Entries are written atomically (rename) so parallel reviews cannot read half a file.
"""
from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from servicelens import __version__
from servicelens.sources.cache_codec import (
    CorruptEntry,
    UncacheableValue,
    decode,
    encode,
)

FORMAT = "4"  # bump when the shape of cached objects changes
MAX_ENTRY_BYTES = 128 * 1024 * 1024  # far above any real entry; a bound on what a read may cost
_SUFFIX = ".slc"
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


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
class CacheRefused:
    """The cache directory exists but cannot be trusted; `reason` is for the report."""

    directory: str
    reason: str


@dataclass(frozen=True, slots=True)
class Cache:
    directory: Path
    salt: str  # settings fingerprint, user model contents; for per-file facts, what other files declare

    @classmethod
    def open(cls, directory: str, salt: str) -> Cache | CacheRefused | None:
        """The cache at `directory` (created 0700 if missing), a refusal saying why it is
        not trusted, or None when there is no usable place (a read-only home: only slower)."""
        if not directory:
            return None  # no cache dir configured: never fall back to the working directory
        path = Path(directory)
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            if not _make_private_dirs(path):
                return None
            try:
                info = os.lstat(path)
            except OSError:
                return None
        except OSError:
            return None
        problem = untrusted_because(info)
        if problem is not None:
            return CacheRefused(str(path), f"cache directory {path} {problem}; cache not used")
        return cls(path, salt)

    def salted(self, extra: str) -> Cache:
        """This cache with `extra` added to what every key depends on."""
        return Cache(self.directory, f"{self.salt}\0{extra}")

    def key(self, *parts: str) -> str:
        raw = "\0".join((FORMAT, __version__, package_fingerprint(), self.salt) + parts)
        return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()

    def get(self, key: str) -> object | None:
        """The value stored under `key`, or None for a miss, whatever is on disk."""
        data = self.get_bytes(key)
        if data is None:
            return None
        try:
            return decode(data)
        except CorruptEntry:
            return None

    def get_bytes(self, key: str) -> bytes | None:
        folder = self.directory / key[:2]
        try:
            if untrusted_because(os.lstat(folder)) is not None:
                return None
            fd = os.open(folder / f"{key}{_SUFFIX}", _READ_FLAGS)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if untrusted_because(info, regular_file=True) is not None or info.st_size > MAX_ENTRY_BYTES:
                return None
            return _read_capped(fd, info.st_size)
        except OSError:
            return None
        finally:
            os.close(fd)

    def put(self, key: str, value: object) -> None:
        data = entry_bytes(value)
        if data is not None:
            self.put_bytes(key, data)

    def put_bytes(self, key: str, data: bytes) -> None:
        """Atomic and private: a 0600 temp file in a checked 0700 folder, then rename."""
        folder = self.directory / key[:2]
        try:
            try:
                os.mkdir(folder, 0o700)
            except FileExistsError:
                if untrusted_because(os.lstat(folder)) is not None:
                    return
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")  # O_EXCL, mode 0600
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, folder / f"{key}{_SUFFIX}")
            except BaseException:
                _remove_quietly(tmp)
                raise
        except OSError:
            return  # a cache that cannot be written only costs speed


def entry_bytes(value: object) -> bytes | None:
    """The entry for `value`, or None when it holds something outside the allow-list
    (then it is simply analysed again next time)."""
    try:
        return encode(value)
    except UncacheableValue:
        return None


def untrusted_because(info: os.stat_result, regular_file: bool = False) -> str | None:
    """Why a cache directory (or entry) must not be trusted, or None when it may be.
    Anyone who can write there could plant entries the next reviewer reads."""
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link"
    if regular_file and not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if not regular_file and not stat.S_ISDIR(info.st_mode):
        return "is not a directory"
    if info.st_uid != os.geteuid():
        return f"is owned by another user (uid {info.st_uid})"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by other users"
    return None


def _read_capped(fd: int, expected: int) -> bytes | None:
    """The file's bytes, or None past MAX_ENTRY_BYTES. Reads what fstat announced (plus
    one byte to notice growth) rather than allocating the cap for every entry."""
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, max(expected + 1 - total, 1 << 16))
        if not chunk:
            return b"".join(parts)
        total += len(chunk)
        if total > MAX_ENTRY_BYTES:
            return None
        parts.append(chunk)


def _make_private_dirs(path: Path) -> bool:
    """Create `path` and any missing parents with mode 0700 (not umask-dependent 0777)."""
    missing = []
    current = path
    while not os.path.lexists(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    try:
        for folder in reversed(missing):
            try:
                os.mkdir(folder, 0o700)
            except FileExistsError:
                continue  # a parallel review made it first; trust is checked afterwards
    except OSError:
        return False
    return True


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
