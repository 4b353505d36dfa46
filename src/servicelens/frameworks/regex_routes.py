"""A Django `re_path` regex written as the path it serves.

    r"^api/(?:(?P<version>(1.0|1.1))/)?patches/(?P<pk>[0-9]+)/$"  ->  "api/patches/<pk>/"

Anchors go; a named group becomes `<name>`, or `<path:name>` when its pattern may match a `/`
(frameworks.url_segments), optional or not; any other group the regex makes optional (`(?:...)?`,
`(...)*`) is left out, the shortest path that reaches the view. Groups are matched with their nesting, so a named group
holding an alternation (`(?P<version>(1.0|1.1))`) is one variable, not a broken fragment.
"""
from __future__ import annotations

from servicelens.frameworks.url_segments import class_end, regex_without_slash


def regex_route(route: str) -> str:
    """The path `route` (a regex as written in `re_path`/`url`) serves."""
    return _rewrite(route.lstrip("^").rstrip("$"))


def _rewrite(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            out.append(text[i:i + 2])
            i += 2
        elif char == "[":
            end = class_end(text, i)
            end = len(text) - 1 if end < 0 else end
            out.append(text[i:end + 1])
            i = end + 1
        elif char == "(":
            end = _group_end(text, i)
            if end < 0:
                out.append(text[i:])
                break
            body, after = text[i + 1:end], text[end + 1:end + 2]
            i = end + 1
            if after in ("?", "*"):
                i += 1
                if not body.startswith("?P<"):  # optional: the path without it reaches the view too
                    continue
            out.append(_group(body))
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _group(body: str) -> str:
    if body.startswith("?P<") and ">" in body:
        name, pattern = body[3:].split(">", 1)
        return f"<{name}>" if regex_without_slash(pattern) else f"<path:{name}>"
    return "(" + _rewrite(body) + ")"


def _group_end(text: str, start: int) -> int:
    """Index of the `)` closing the group opened at `start`, or -1."""
    depth = 0
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            end = class_end(text, i)
            if end < 0:
                return -1
            i = end + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1
