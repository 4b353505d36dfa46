"""The one way a file from the reviewed tree is opened.

The tree is hostile: a FIFO, a device or a symlink named like source must never block,
exhaust memory or lead outside the tree, and a file growing while it is read must not
defeat the size limit. So: no symlink is followed at open, only regular files are read
(checked on the open descriptor, which closes the stat/open race), and reading stops one
byte past the cap.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) \
    | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
_CHUNK = 1 << 16


class RefusedFile(Exception):
    """A file that is not read; `kind` and `reason` become a Diagnostic."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Capped:
    data: bytes  # at most the cap
    over_cap: bool  # the file had more bytes than the cap


def read_capped(path: Path | str, cap: int) -> Capped:
    """At most `cap` bytes of the regular file at `path`, never following a final symlink."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _refusal(exc) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFile("not-a-regular-file", f"is a {file_type(info.st_mode)}, not a regular file; not read")
        chunks: list[bytes] = []
        remaining = cap + 1
        while remaining > 0:
            chunk = os.read(fd, min(_CHUNK, remaining))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise _refusal(exc) from exc
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return Capped(data[:cap], len(data) > cap)


def read_whole(path: Path | str, cap: int) -> bytes:
    """The whole content of a small file the tool needs entire (a config, an ignore file,
    a model): refused, like any other problem, when it is over `cap`."""
    read = read_capped(path, cap)
    if read.over_cap:
        raise RefusedFile("too-large", f"larger than {cap / 1e6:g} MB; not read")
    return read.data


def is_plain_file(path: Path) -> bool:
    """A regular file that is not a symlink (config and ignore files must be exactly that)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def file_type(mode: int) -> str:
    """A human name for what a directory entry is."""
    for test, name in ((stat.S_ISFIFO, "FIFO (named pipe)"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"), (stat.S_ISLNK, "symlink"),
                       (stat.S_ISDIR, "directory"), (stat.S_ISREG, "regular file")):
        if test(mode):
            return name
    return "special file"


def _refusal(exc: OSError) -> RefusedFile:
    if exc.errno == errno.ELOOP:
        return RefusedFile("symlink", "is a symlink; not followed")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return RefusedFile("unreadable", "cannot be read (permissions)")
    if exc.errno in (errno.ENXIO, errno.ENODEV, errno.EWOULDBLOCK):
        return RefusedFile("not-a-regular-file", "is not a regular file; not read")
    return RefusedFile("unreadable", f"cannot be read: {exc.strerror or exc.__class__.__name__}")
