"""Markdown building blocks that stay correct whatever text a finding carries.

Titles, handlers and code come from the reviewed repository, so they may contain pipes,
backticks, fences or line breaks; these helpers (over render.safe_text) keep such text
from breaking a table or a code block or adding markup of its own.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from servicelens.render.safe_text import md_block, md_code, md_inline, md_text

_BACKTICK_RUN = re.compile(r"`+")


def cell(text: str) -> str:
    """Text for a table cell: line breaks folded so the row stays one line, the rest inert
    (pipes and Markdown escaped, `backticked` names kept as code)."""
    flat = " ".join(text.replace("\r", "").split("\n"))
    return md_inline(flat, table=True).strip() or " "


def code(text: str) -> str:
    """An inline code span that survives backticks and line breaks inside the text."""
    return md_code(text)


def code_cell(text: str) -> str:
    """Inline code inside a table: GFM needs the pipe escaped even within the span."""
    return md_code(text).replace("|", "\\|") if text else " "


def fence(body: str, language: str = "", indent: str = "") -> list[str]:
    """A fenced block longer than any backtick run in the body, so it cannot be closed early;
    every body line carries the indentation, so it cannot leave an enclosing list item."""
    safe = md_block(body)
    longest = max((len(run) for run in _BACKTICK_RUN.findall(safe)), default=0)
    marker = "`" * max(3, longest + 1)
    lines = [f"{indent}{marker}{md_text(language)}"]
    lines += [f"{indent}{line}" if line else "" for line in safe.rstrip("\n").split("\n")]
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
