"""HTML fragments shared by the page sections: escaping, code blocks, tables, badges.

Everything that came from the reviewed code or the report passes through `esc`; the
only unescaped text is markup written here.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from servicelens.model import Location
from servicelens.render.common import line_span
from servicelens.render.safe_text import html_text


def esc(text: object) -> str:
    """Escape quotes too: values also land in attributes (render.safe_text.html_text)."""
    return html_text(text)


_TICKED = re.compile(r"`([^`\n]+)`")


def prose(text: str) -> str:
    """Escaped prose whose `backticked` spans become <code>, as authors of findings intend."""
    return _TICKED.sub(lambda match: f"<code>{match.group(1)}</code>", esc(text))


def code(text: str) -> str:
    return f"<code>{esc(text)}</code>"


def where(location: Location, root: str = "") -> str:
    """A location; inside a service's panel the service root is implied and dropped."""
    full = line_span(location)
    prefix = root.rstrip("/") + "/"
    if root and full.startswith(prefix):
        return f'<code title="{esc(full)}">{esc(full[len(prefix):])}</code>'
    return code(full)


def numbered_code(body: str, first_line: int, css: str = "code") -> str:
    """A dark code block with a line-number gutter starting at the evidence line."""
    lines = body.rstrip("\n").split("\n")
    if first_line < 1:
        return f'<pre class="{css} plain"><code>{esc(body.rstrip())}</code></pre>'
    rows = "".join(f'<span class="line"><span class="ln">{first_line + i}</span>{esc(line)}</span>'
                   for i, line in enumerate(lines))
    return f'<pre class="{css}"><code>{rows}</code></pre>'


def plain_code(body: str, language: str, css: str = "code plain") -> str:
    label = f'<span class="lang">{esc(language)}</span>' if language else ""
    return f'<pre class="{css}">{label}<code>{esc(body.rstrip())}</code></pre>'


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Cells are trusted markup: callers escape their text first."""
    head = "".join(f"<th>{esc(name)}</th>" for name in header)
    body = "".join("<tr>" + "".join(f"<td>{value}</td>" for value in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def level(value: str) -> str:
    """A high/medium/low pill for likelihood and impact."""
    return f'<span class="level level-{esc(value)}">{esc(value)}</span>'


def badge(severity: str) -> str:
    return f'<span class="badge sev-{esc(severity)}">{esc(severity)}</span>'


def items(values: Iterable[str], empty: str = "none found") -> str:
    """An unordered list of trusted markup, or a muted placeholder."""
    rendered = "".join(f"<li>{value}</li>" for value in values)
    return f"<ul>{rendered}</ul>" if rendered else f'<p class="none">{esc(empty)}</p>'


def section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>{body}</section>'
