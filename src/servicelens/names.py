"""One string object per distinct name within one batch of files, and no longer.

Function keys, parameter and callee names repeat in every file's summaries and in several
rules' facts. A batch's facts travel to the main process as one pickle, which writes an object
once however often it is referenced: so equal names that are the *same* object arrive as one
object, and the main process (which holds every file's facts) keeps one copy.

`sys.intern` did that until session 11, but an interned string can outlive the review: on
CPython 3.12.0-3.12.6 every interned string is immortal (cpython gh-113993), so a long-running
server (MCP, HTTP) reviewing many trees kept every name of every tree it had seen. A table
owned by the batch is dropped with it, on every Python version.
"""
from __future__ import annotations


class NameTable:
    """`table(text)` is the first string equal to `text` this table was given. Created per batch
    by the runner (or per file when none is passed) and handed down with the module's scope."""

    __slots__ = ("_names",)

    def __init__(self) -> None:
        self._names: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        return self._names.setdefault(text, text)

    def __len__(self) -> int:
        return len(self._names)
