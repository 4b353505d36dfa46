"""Matches of a pattern anchored at the start of a line, read only at the lines that can hold one.

The whole-project text scans that run before the per-file analysis (view bases, declared return
types, class definitions) look for statements at the start of a line with `(?m)^...` patterns.
Python's `re` has no fast path for a pattern that starts with `^`: `finditer` tries the pattern at
every character of every file, and on a large tree that serial scan costs tenths of a second per
pattern. Such a pattern can only match where a line starts with its leading word (after the
indentation it allows), so the word's occurrences, found by `str.find`, name every line worth
trying; the pattern is then matched there, and the scan resumes after each match exactly as
`finditer` does.
"""
from __future__ import annotations

import re
from typing import Iterator


def line_matches(pattern: re.Pattern[str], text: str, leads: tuple[str, ...],
                 indent: str = "") -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` yields, for a MULTILINE `pattern` that matches only at the start
    of a line where, after characters of `indent` only (none when empty), one of `leads` is written
    (`^[ \\t]*class\\b...` has leads `("class",)` and indent " \\t"). The caller's pattern states that
    shape; the result is the same matches, in the same order, without trying the other lines."""
    starts = sorted(_line_starts(text, leads, indent))
    resume = 0
    for start in starts:
        if start < resume:
            continue  # inside the previous match: finditer went on after its end
        match = pattern.match(text, start)
        if match is not None:
            yield match
            resume = max(match.end(), start + 1)


def _line_starts(text: str, leads: tuple[str, ...], indent: str) -> set[int]:
    """The start of each line whose first characters after `indent` spell one of `leads`."""
    starts: set[int] = set()
    find, rfind = text.find, text.rfind
    for lead in leads:
        at = find(lead)
        while at != -1:
            start = rfind("\n", 0, at) + 1
            if start == at or (indent and not text[start:at].strip(indent)):
                starts.add(start)
            at = find(lead, at + 1)
    return starts
