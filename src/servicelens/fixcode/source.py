"""The finding's own code as something a fix can be written against.

A fix rewrites the offending statement, so it needs that statement without the reviewed
file's comments (a trailing `# noqa` or a fixture's `# expect:` is not part of the fix),
parsed, and a way to replace one node's text while every other character stays as the
author wrote it (quotes, spacing, names). `ast.unparse` would normalise all of that.
"""
from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize
from dataclasses import dataclass

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def strip_comment(line: str) -> str:
    """`line` without its trailing comment (a `#` inside a string literal stays)."""
    if "#" not in line:
        return line.rstrip()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return _strip_comment_by_quotes(line)
    for token in tokens:
        if token.type == tokenize.COMMENT:
            return line[:token.start[1]].rstrip()
    return line.rstrip()


def _strip_comment_by_quotes(line: str) -> str:
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote and line[index - 1] != "\\":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:index].rstrip()
    return line.rstrip()


def code_lines(code: str) -> str:
    """A block of the reviewed code, comments removed and dedented; blank lines dropped."""
    kept = [strip_comment(line) for line in code.split("\n")]
    return textwrap.dedent("\n".join(line for line in kept if line.strip()))


def indent_of(line: str) -> str:
    return line[:len(line) - len(line.lstrip())]


def names_in(code: str) -> set[str]:
    return set(_NAME.findall(code))


def parses(code: str) -> bool:
    try:
        ast.parse(textwrap.dedent(code))
    except SyntaxError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Statement:
    """One parsed statement of the reviewed code and its text, for splicing."""

    text: str
    node: ast.stmt

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text, node) or ""

    def span(self, node: ast.AST) -> tuple[int, int]:
        return _offset(self.text, node.lineno, node.col_offset), _offset(self.text, node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined,arg-type]

    def replace(self, node: ast.AST, new: str) -> str:
        """The statement with `node`'s text replaced by `new`."""
        start, end = self.span(node)
        return self.text[:start] + new + self.text[end:]

    def replace_many(self, edits: list[tuple[ast.AST, str]]) -> str:
        """Several non-overlapping replacements at once."""
        text = self.text
        for node, new in sorted(edits, key=lambda e: self.span(e[0])[0], reverse=True):
            start, end = self.span(node)
            text = text[:start] + new + text[end:]
        return text

    def calls(self) -> list[ast.Call]:
        """Every call in the statement, outermost first."""
        return [n for n in ast.walk(self.node) if isinstance(n, ast.Call)]


def statement(code: str) -> Statement | None:
    """The first statement of `code` (comments removed, dedented), or None if it does not
    parse. A compound statement's header (`with ...:`, `if ...:`) parses with its body cut."""
    text = code_lines(code)
    if not text:
        return None
    for candidate in (text, text.split("\n")[0]):
        node = _parse_first(candidate)
        if node is not None:
            return Statement(candidate, node)
    return None


def _parse_first(text: str) -> ast.stmt | None:
    for suffix in ("", "\n    pass"):
        try:
            tree = ast.parse(text + suffix)
        except SyntaxError:
            continue
        return tree.body[0] if tree.body else None
    return None


def _offset(text: str, line: int, col: int) -> int:
    """Character offset of (1-based line, UTF-8 byte column) in `text`."""
    lines = text.split("\n")
    before = sum(len(item) + 1 for item in lines[:line - 1])
    return before + len(lines[line - 1].encode()[:col].decode(errors="ignore"))


def dotted(node: ast.AST) -> str:
    """`a.b.c` for a name or attribute chain ('' for anything else)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def last_name(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def find_call(stmt: Statement, callee: str = "", names: tuple[str, ...] = ()) -> ast.Call | None:
    """The call to `callee` (matched on its last name) or to one of `names`; the outermost
    call when neither is given."""
    wanted = {callee.rsplit(".", 1)[-1]} if callee else set(names)
    for call in stmt.calls():
        if not wanted or last_name(call.func) in wanted:
            return call
    return None


def keyword(call: ast.Call, name: str) -> ast.keyword | None:
    return next((k for k in call.keywords if k.arg == name), None)


def without_keyword(stmt: Statement, call: ast.Call, name: str, text: str | None = None) -> str:
    """`text` (default: the statement) with keyword `name` removed from `call`, comma included."""
    text = stmt.text if text is None else text
    found = keyword(call, name)
    if found is None:
        return text
    start, end = stmt.span(found)
    head = text[:start].rstrip()
    if head.endswith(","):
        return head[:-1] + text[end:]
    tail = text[end:].lstrip()
    return text[:start] + (tail[1:].lstrip() if tail.startswith(",") else tail)


def is_constant_name(node: ast.AST) -> bool:
    """A module constant by convention (`UPLOAD_DIR`, `settings.MEDIA_ROOT`)."""
    name = last_name(node)
    return bool(name) and name.isupper()


def literal_text(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def string_parts(node: ast.AST) -> list[str | ast.expr] | None:
    """An f-string, a `+` chain or a `%`/`.format` template as literal text and the
    expressions spliced into it, in order; None for anything else."""
    if isinstance(node, ast.JoinedStr):
        parts: list[str | ast.expr] = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value, ast.FormattedValue):
                parts.append(value.value)
        return parts
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _operand(node.left), _operand(node.right)
        if not any(isinstance(p, str) for p in left + right):
            return None
        return left + right
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and literal_text(node.left) is not None:
        return _percent_parts(literal_text(node.left) or "", node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
            and literal_text(node.func.value) is not None:
        return _format_parts(literal_text(node.func.value) or "", node)
    return None


def _operand(node: ast.expr) -> list[str | ast.expr]:
    text = literal_text(node)
    if text is not None:
        return [text]
    parts = string_parts(node)
    return parts if parts is not None else [node]


def _percent_parts(template: str, values: ast.expr) -> list[str | ast.expr] | None:
    if isinstance(values, ast.Dict):
        by_key = {literal_text(k): v for k, v in zip(values.keys, values.values) if k is not None}
        pieces = re.split(r"%\((\w+)\)[sdr]", template)
        parts: list[str | ast.expr] = []
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                parts.append(piece.replace("%%", "%"))
            elif piece in by_key:
                parts.append(by_key[piece])
            else:
                return None
        return parts
    items = list(values.elts) if isinstance(values, ast.Tuple) else [values]
    pieces = re.split(r"(?<!%)%[sdr]", template.replace("%%", "\0"))
    if len(pieces) != len(items) + 1:
        return None
    parts = []
    for index, piece in enumerate(pieces):
        parts.append(piece.replace("\0", "%"))
        if index < len(items):
            parts.append(items[index])
    return parts


def _format_parts(template: str, call: ast.Call) -> list[str | ast.expr] | None:
    pieces = re.split(r"\{(\w*)\}", template)
    parts: list[str | ast.expr] = []
    position = 0
    named = {k.arg: k.value for k in call.keywords if k.arg}
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            parts.append(piece)
        elif piece == "" and position < len(call.args):
            parts.append(call.args[position])
            position += 1
        elif piece.isdigit() and int(piece) < len(call.args):
            parts.append(call.args[int(piece)])
        elif piece in named:
            parts.append(named[piece])
        else:
            return None
    return parts


def value_name(stmt: Statement, node: ast.AST, fallback: str = "value") -> str:
    """A variable name for `node`: itself when it is a name, else the key or attribute it
    reads (`request.form["theme"]` -> theme, `user.name` -> name)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and literal_text(node.slice):
        key = re.sub(r"\W+", "_", literal_text(node.slice) or "").strip("_").lower()
        return key if key.isidentifier() else fallback
    if isinstance(node, ast.Call):
        strings = [literal_text(a) for a in node.args if literal_text(a)]
        key = re.sub(r"\W+", "_", strings[0] or "").strip("_").lower() if strings else ""
        return key if key.isidentifier() and key != "_" else fallback
    return fallback


def with_keywords(code: str, callee: str, keywords: dict[str, str], replace_existing: bool = False) -> str | None:
    """`code` (a statement or a decorator line) with `keywords` added to the call of `callee`
    (kept as written when the call already has one, unless `replace_existing`); a bare decorator
    `@retry` becomes a call. None when the call is not in `code`."""
    prefix = "@" if code.lstrip().startswith("@") else ""
    stmt = statement(code.lstrip()[1:] if prefix else code)
    if stmt is None:
        return None
    call = find_call(stmt, callee)
    if call is None:
        if prefix and last_name(stmt.node.value if isinstance(stmt.node, ast.Expr) else stmt.node) == callee.rsplit(".", 1)[-1]:
            added = ", ".join(f"{k}={v}" for k, v in keywords.items())
            return f"@{stmt.text}({added})"
        return None
    edits: list[tuple[ast.AST, str]] = []
    added = []
    for name, value in keywords.items():
        found = keyword(call, name)
        if found is None:
            added.append(f"{name}={value}")
        elif replace_existing:
            edits.append((found.value, value))
    text = stmt.replace_many(edits) if edits else stmt.text
    if added:
        fixed = statement(text)
        call = find_call(fixed, callee) if fixed is not None else None
        if fixed is None or call is None:
            return None
        end = fixed.span(call)[1] - 1
        head = fixed.text[:end].rstrip()
        sep = "" if head.endswith("(") else " " if head.endswith(",") else ", "
        text = head + sep + ", ".join(added) + fixed.text[end:]
    return prefix + text
