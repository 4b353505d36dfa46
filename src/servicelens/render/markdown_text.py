"""Markdown building blocks that stay correct whatever text a finding carries.

Titles, handlers and code come from the reviewed repository, so they may contain pipes,
backticks or fences; these helpers keep such text from breaking a table or a code block.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_BACKTICK_RUN = re.compile(r"`+")


def cell(text: str) -> str:
    """Text for a table cell: pipes escaped, line breaks folded so the row stays one line."""
    flat = " ".join(text.replace("\r", "").split("\n"))
    return flat.replace("\\", "\\\\").replace("|", "\\|").strip() or " "


def code(text: str) -> str:
    """An inline code span that survives backticks inside the text (CommonMark rule)."""
    longest = max((len(run) for run in _BACKTICK_RUN.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def code_cell(text: str) -> str:
    """Inline code inside a table: GFM needs the pipe escaped even within the span."""
    return code(text).replace("|", "\\|") if text else " "


def fence(body: str, language: str = "", indent: str = "") -> list[str]:
    """A fenced block longer than any backtick run in the body, so it cannot be closed early."""
    longest = max((len(run) for run in _BACKTICK_RUN.findall(body)), default=0)
    marker = "`" * max(3, longest + 1)
    lines = [f"{indent}{marker}{language}"]
    lines += [f"{indent}{line}" if line else "" for line in body.rstrip("\n").split("\n")]
    lines.append(f"{indent}{marker}")
    return lines


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GFM table; cells must already be escaped with `cell` or `code_cell`."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def bullets(items: Iterable[str], empty: str = "none found") -> list[str]:
    rendered = [f"- {item}" for item in items]
    return rendered or [f"- _{empty}_"]
