"""Names of the functions some route registration binds, read from every Python file's text first.

Frameworks that bind a handler where it is not declared call it with the request as a
positional argument, whatever the handler calls that parameter:

    app.router.add_get("/trace/{host}", self.trace)      aiohttp: `async def trace(self, req)`
    app.add_routes([web.get("/dig", handlers.dig)])       aiohttp: `async def dig(self, r)`
    path("orders/", views.orders)                        Django: `def orders(req)`
    bp.add_url_rule("/s", view_func=views.search)        Flask: `@login_required def search()`
    Route("/item/{name}", item)                          Starlette: `async def item(req)`
    router.add_api_route("/items", api.list_items)        FastAPI: a method of another class

A file cannot see the registration in another file, so before the per-file analysis (as for
Connexion's operationIds and the application's shared state) the bound names are collected as
`bound:<function name>` entries. A function of that name with the framework's handler shape is
then a handler candidate (a decorated Flask function too), whose request parameter is known by
position, not by its name, and the
endpoint inventory still lists it only where a registration names it. A name is all the text
gives: a helper sharing a bound handler's name and shape is taken as one too.
"""
from __future__ import annotations

import re
from typing import Iterable

PREFIX = "bound:"
# the start of a registration call; its arguments are read by `_arguments` (strings and nested calls
# skipped). No anchor in the pattern: what precedes a match is checked in `_registration_call`, which
# keeps the scan a literal search (a leading look-behind made it ~8x slower on a large tree)
_CALL = re.compile(r"""(?:add_(?:get|post|put|patch|delete|head|options|route|view|url_rule|api_route)"""
                   r"""|web\.(?:get|post|put|patch|delete|head|route|view)|re_path|path|url|WebSocketRoute|Route)\s*\(""")
_HINTS = ("add_", "web.", "path(", "url(", "Route(")
_DOTTED = re.compile(r"^[A-Za-z_][\w.]*$")
_MAX_ARGS_CHARS = 2000  # a registration's arguments fit in this; past it the call is something else


def bound_entries(texts: Iterable[str]) -> frozenset[str]:
    """`bound:<name>` for the last name of each handler a registration call passes (`self.trace`
    -> `trace`, `views.orders` -> `orders`): the last positional argument, or `handler=`/`endpoint=`."""
    found: set[str] = set()
    for text in texts:
        if not any(hint in text for hint in _HINTS):
            continue
        for match in _CALL.finditer(text):
            if not _registration_call(text, match.start()):
                continue
            target = _target(_arguments(text, match.end()))
            if target:
                found.add(PREFIX + target.rsplit(".", 1)[-1])
    return frozenset(found)


def _registration_call(text: str, start: int) -> bool:
    """`app.router.add_get(`, `web.get(` / `aiohttp.web.get(`, or a bare `path(`/`url(`/`Route(`:
    not `os.path(`, `self.url(` or `reroute(`."""
    before = text[start - 1] if start else " "
    if text.startswith("add_", start):
        return before == "."
    if text.startswith("web.", start):
        return not (before.isalnum() or before == "_")
    return not (before.isalnum() or before in "_.")


def _arguments(text: str, start: int) -> list[str]:
    """The top-level arguments of the call whose `(` ends at `start`, as written; a string literal
    is kept as `''` (its parentheses and commas are not the call's)."""
    parts: list[str] = []
    current: list[str] = []
    depth, i, end = 0, start, min(len(text), start + _MAX_ARGS_CHARS)
    while i < end:
        char = text[i]
        if char in "\"'":
            close = text.find(char, i + 1)
            while close != -1 and text[close - 1] == "\\":
                close = text.find(char, close + 1)
            if close == -1:
                return []
            current.append("''")
            i = close + 1
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                parts.append("".join(current).strip())
                return [part for part in parts if part]
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            i += 1
            continue
        current.append(char)
        i += 1
    return []


def _target(parts: list[str]) -> str:
    if len(parts) < 2:
        return ""
    for part in parts:
        name, eq, value = part.partition("=")
        if eq and name.strip() in ("handler", "endpoint", "view", "view_func"):
            return value.strip() if _DOTTED.match(value.strip()) else ""
    positional = [part for part in parts if "=" not in part]
    if len(positional) < 2 or not _DOTTED.match(positional[-1]) or positional[-1] in ("None", "True", "False"):
        return ""
    return positional[-1]


def bound_names(entries: Iterable[str]) -> frozenset[str]:
    """The function names `bound_entries` collected."""
    return frozenset(entry[len(PREFIX):] for entry in entries if entry.startswith(PREFIX))
