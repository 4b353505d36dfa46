"""Repository text in a report is data, never markup: the one place that makes it so.

File names, service names, endpoint paths, handlers, image names and quoted code all come
from the reviewed repository, which may be hostile. A file named
`x\\n## Heading [x](javascript:...)` must not add a heading or a link to a Markdown
report; a name must not break a Mermaid diagram; a lone surrogate (an undecodable byte
in a file name) must neither crash the writer nor reach JSON or SARIF as invalid Unicode;
a terminal escape sequence must not reach the terminal of whoever runs `cat report.md`.

    printable(text)     control, bidi and line-separator characters shown as escapes
    md_text(text)       Markdown inline text: printable, every Markdown special escaped
    md_code(text)       a Markdown code span longer than any backtick run inside
    md_inline(text)     prose whose `backticked` spans stay code spans and the rest is md_text
    md_block(text)      the body of a fenced block: one line ending, no control characters
    html_text(text)     HTML-escaped, quotes included (values also land in attributes), no controls
    data_text(text)     JSON/SARIF strings: lone surrogates escaped, the rest left to json.dumps
    data_tree(value)    data_text over every string of a JSON-ready tree
    mermaid_label(text) a Mermaid node label: every character outside a safe set as `#code;`
"""
from __future__ import annotations

import html
import re
from typing import Any

_SURROGATE = re.compile(r"[\ud800-\udfff]")
# C0 and C1 controls, DEL, line/paragraph separators, bidi embeddings/overrides/isolates
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_UNPRINTABLE_IN_BLOCK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_MD_SPECIAL = re.compile(r"([\\`*\[\]#<>~&$])")
_LOOSE_UNDERSCORE = re.compile(r"(?<!\w)_|_(?!\w)")
_LINE_START_MARK = re.compile(r"^(\s*\d*)([-+=.)])")  # `- x`, `+ x`, `1. x`, `1) x`, setext `===`
_BACKTICK_RUN = re.compile(r"`+")
_TICKED = re.compile(r"`([^`]+)`")
_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 _.,:/@+=()'!?*%~-]")  # plain inside a quoted label
MERMAID_LABEL_WIDTH = 60


def data_text(text: str) -> str:
    """`text` with lone surrogates written as `\\udcff` (valid UTF-8 everywhere)."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def data_tree(value: Any) -> Any:
    """A JSON-ready tree with `data_text` applied to every string, keys included."""
    if isinstance(value, str):
        return data_text(value)
    if isinstance(value, dict):
        return {data_tree(k): data_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [data_tree(v) for v in value]
    return value


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """One line of visible text: newlines and other controls become `\\n`-style escapes."""
    return _UNPRINTABLE.sub(_escape_char, data_text(text))


def md_text(text: str, table: bool = False, leading: bool = False) -> str:
    """Inline Markdown text that renders as exactly these characters: nothing in it can
    start a heading, list, quote, link, image, HTML tag, emphasis, code span or (with
    `table`, inside a table cell) a new cell; `leading` text may begin a line, so a list
    or heading mark there is escaped too. An underscore between word characters
    cannot open emphasis (CommonMark's flanking rule), so `snake_case` stays readable."""
    escaped = _MD_SPECIAL.sub(r"\\\1", printable(text))
    escaped = _LOOSE_UNDERSCORE.sub(r"\\_", escaped)
    if table:
        escaped = escaped.replace("|", "\\|")
    return _LINE_START_MARK.sub(r"\1\\\2", escaped, count=1) if leading else escaped


def md_code(text: str) -> str:
    """An inline code span that survives backticks inside the text (CommonMark rule)."""
    body = printable(text)
    longest = max((len(run) for run in _BACKTICK_RUN.findall(body)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or not body.strip(" ") else ""
    return f"{ticks}{pad}{body}{pad}{ticks}"


def md_inline(text: str, table: bool = False, leading: bool = False) -> str:
    """Prose as its authors meant it (`backticked` names as code spans) with everything
    else inert. In a table cell (`table`), pipes inside code spans are escaped as GFM needs."""
    parts: list[str] = []
    last = 0
    for match in _TICKED.finditer(text):
        parts.append(md_text(text[last:match.start()], table, leading=leading and last == 0))
        span = md_code(match.group(1))
        parts.append(span.replace("|", "\\|") if table else span)
        last = match.end()
    parts.append(md_text(text[last:], table, leading=leading and last == 0))
    return "".join(parts)


def md_block(text: str) -> str:
    """A fenced block's body: `\\r\\n` and lone `\\r` (CommonMark line endings) become `\\n`,
    so every line gets the block's indentation; other controls are shown as escapes."""
    unified = data_text(text).replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE_IN_BLOCK.sub(_escape_char, unified)


def html_text(text: object) -> str:
    """HTML-escaped text, quotes included; line breaks and tabs kept (code blocks need
    them), other controls, bidi overrides and lone surrogates shown as escapes."""
    return html.escape(md_block(str(text)), quote=True)


def mermaid_label(text: str) -> str:
    """A label for a quoted Mermaid node (`id["..."]`): short, one line, and with every
    character that Mermaid or the HTML it renders could read as syntax written as an entity
    code (`#35;` is `#`), so no name can close the node, add an edge or inject markup."""
    flat = printable(text)
    if len(flat) > MERMAID_LABEL_WIDTH:
        flat = flat[:MERMAID_LABEL_WIDTH] + "..."
    return "".join(c if _MERMAID_SAFE.fullmatch(c) else f"#{ord(c)};" for c in flat)
