"""The last few reports, kept in memory so `finding(id)` and page cursors can refer back.

A conversation reviews a tree, then asks about one finding or the next page: re-running
the review for each would cost time and could answer from a tree edited in between. The
store is small (an agent works on one or two trees at once) and bounded, so a long
session never grows the server without limit. Calls run on worker threads, hence the lock.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from servicelens.model import Finding, Report

MAX_REPORTS = 8


@dataclass(frozen=True)
class Options:
    """What, besides the tree, changes a report: the key of the store."""

    select: tuple[str, ...] | None = None
    profile: str | None = None
    diff_base: str | None = None  # report only what changed since this git revision


@dataclass(frozen=True)
class Entry:
    path: Path  # the reviewed file or directory, resolved
    options: Options
    report: Report
    overlay: dict[str, str] = field(default_factory=dict)  # in-memory files (`check`), by relative path

    @property
    def base(self) -> Path:
        """The directory report paths are relative to."""
        return self.path if self.path.is_dir() else self.path.parent

    @property
    def token(self) -> str:
        """Identity of the findings list, so a cursor cannot page through a different one."""
        joined = "\0".join(f.fingerprint for f in self.report.findings)
        return hashlib.sha256(joined.encode()).hexdigest()[:12]


class RecentReports:
    def __init__(self, limit: int = MAX_REPORTS) -> None:
        self._limit = limit
        self._entries: OrderedDict[tuple[object, ...], Entry] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(path: Path, options: Options, overlay: dict[str, str]) -> tuple[object, ...]:
        digest = hashlib.sha256(repr(sorted(overlay.items())).encode()).hexdigest() if overlay else ""
        return (str(path), options, digest)

    def put(self, entry: Entry) -> None:
        key = self._key(entry.path, entry.options, entry.overlay)
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self._limit:
                self._entries.popitem(last=False)

    def get(self, path: Path, options: Options) -> Entry | None:
        with self._lock:
            return self._entries.get(self._key(path, options, {}))

    def find(self, finding_id: str, path: Path | None = None) -> tuple[Entry, Finding] | None:
        """The finding with this id in the most recent report that has it."""
        with self._lock:
            entries = list(reversed(self._entries.values()))
        for entry in entries:
            if path is not None and entry.path != path:
                continue
            for finding in entry.report.findings:
                if finding.fingerprint == finding_id:
                    return entry, finding
        return None
