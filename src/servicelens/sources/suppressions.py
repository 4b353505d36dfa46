"""Inline suppressions: `servicelens: ignore[concern-id, ...] reason` on the line or the line above."""
from __future__ import annotations

import re

_PATTERN = re.compile(r"servicelens:\s*ignore\[([a-z0-9,\s-]+)\]\s*(.*)")


def find_suppressions(text: str) -> tuple[tuple[int, tuple[str, ...], str], ...]:
    """(line, concern ids, reason) for every suppression comment; cheap: a substring test first."""
    if "servicelens:" not in text:
        return ()
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _PATTERN.search(line)
        if match:
            concerns = tuple(sorted(c.strip() for c in match.group(1).split(",") if c.strip()))
            reason = match.group(2).strip().rstrip("*/-> ").strip()
            found.append((number, concerns, reason))
    return tuple(found)


def suppressed_lines(entries: tuple[tuple[int, tuple[str, ...], str], ...], lines_of_code: list[str] | None = None
                     ) -> dict[int, set[str]]:
    """Line -> concerns suppressed there: the comment's own line, and the next line when the
    comment stands alone."""
    result: dict[int, set[str]] = {}
    for line, concerns, _ in entries:
        result.setdefault(line, set()).update(concerns)
        result.setdefault(line + 1, set()).update(concerns)
    return result
