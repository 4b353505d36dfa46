"""An error response that shows the exception, rewritten to log it and answer generically.

The same `return`/`raise` with what carries the exception (`str(exc)`, `repr(e)`, an f-string
part `{exc}`, `traceback.format_exc()`) taken out: an f-string keeps its own words
(`f"provider failed: {exc}"` -> `"provider failed"`), a dict loses its trace entry, anything
else becomes "internal error"; the exception is logged on the line before.
"""
from __future__ import annotations

import ast

from servicelens.fixcode.source import Statement, dotted, statement

_GENERIC = '"internal error"'


def generic_error(code: str, exc: str, logger: str = "logger") -> str | None:
    """The statement `code` answering without the text of exception `exc` (None when nothing in
    it refers to the exception or a traceback)."""
    stmt = statement(code)
    if stmt is None or not isinstance(stmt.node, (ast.Return, ast.Raise)):
        return None
    edits: list[tuple[ast.AST, str]] = []
    _collect(stmt, stmt.node, exc, edits)
    if not edits:
        return None
    message = "unhandled error" if not exc else "request failed"
    return f"{logger}.exception(\"{message}\")\n{stmt.replace_many(edits)}"


def _collect(stmt: Statement, node: ast.AST, exc: str, edits: list[tuple[ast.AST, str]]) -> None:
    """The innermost pieces that carry the exception, replaced; the calls around them kept
    (`jsonify({...})` stays, only its `str(exc)` goes)."""
    if isinstance(node, ast.Dict):
        leaky = [i for i, v in enumerate(node.values) if _exposes(v, exc)]
        if leaky and len(leaky) < len(node.values):
            kept = [f"{stmt.segment(k)}: {stmt.segment(v)}" if k is not None else f"**{stmt.segment(v)}"
                    for i, (k, v) in enumerate(zip(node.keys, node.values)) if i not in leaky]
            edits.append((node, "{" + ", ".join(kept) + "}"))
            return
    if isinstance(node, ast.JoinedStr) and _exposes(node, exc):
        edits.append((node, _without(stmt, node, exc)))
        return
    if isinstance(node, ast.Call) and _exposes(node, exc) and (
            dotted(node.func) in ("str", "repr", "format") or dotted(node.func).startswith("traceback.")):
        edits.append((node, _GENERIC))
        return
    if isinstance(node, ast.Name) and exc and node.id == exc:
        edits.append((node, _GENERIC))
        return
    for child in ast.iter_child_nodes(node):
        _collect(stmt, child, exc, edits)


def _exposes(node: ast.AST, exc: str) -> bool:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name) and exc and inner.id == exc:
            return True
        if isinstance(inner, ast.Call) and dotted(inner.func).startswith("traceback."):
            return True
    return False


def _without(stmt: Statement, node: ast.AST, exc: str) -> str:
    if isinstance(node, ast.JoinedStr):
        text = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant)).strip().rstrip(":").strip()
        return f'"{text}"' if text else _GENERIC
    return _GENERIC
