"""What a scoped review was filtered against: the lines a change touched, or an earlier
report. The whole tree is always analysed; the scope only decides which findings are shown."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class ChangedLines:
    """Lines added or changed since a base revision, per path relative to the review root.

    Lines that only moved (the same text removed elsewhere in the change) are not in
    `lines`; files in `whole` (new, untracked) count as changed on every line."""

    lines: Mapping[str, frozenset[int]] = field(default_factory=lambda: MappingProxyType({}))
    whole: frozenset[str] = frozenset()

    def touches(self, path: str, start: int, end: int = 0) -> bool:
        if path in self.whole:
            return True
        changed = self.lines.get(path)
        if not changed:
            return False
        return any(line in changed for line in range(start, max(start, end) + 1))

    @property
    def files(self) -> int:
        return len(self.whole | {path for path, lines in self.lines.items() if lines})


@dataclass(frozen=True, slots=True)
class Scope:
    """Shown in every report format: a scoped report must never pass for a full one."""

    kind: str  # "diff" (--diff BASE) | "baseline" (--baseline report.json)
    against: str  # the revision as given, or the baseline file as given
    merge_base: str = ""  # diff: the commit compared against (merge-base of BASE and HEAD)
    changed_files: int = 0  # diff: files under the review root with added or changed lines
    baseline_findings: int = 0  # baseline: fingerprints in the earlier report
    total_findings: int = 0  # findings the same review reports for the whole tree
