"""Which URL variables a route keeps inside one path segment.

A router matches a variable against one segment of the URL unless its converter says
otherwise: Flask's and Django's default (`<name>`, `<string:name>`, `<str:name>`), `int`,
`float`, `uuid`, `slug`, `any(...)`, FastAPI/Starlette's `{name}` without `:path`, and a
Django regex group whose pattern cannot match `/` (`(?P<name>[^/]+)`, `(?P<pk>\\d+)`). Such a
value cannot hold a path separator, so, like the base name of a path, it names one entry of
whatever directory it is joined under: it cannot walk to another file by `../../etc/passwd`.
`path`, an unknown (project) converter and a regex that may match `/` carry anything.
"""
from __future__ import annotations

import re
from typing import Iterable

# converters of Flask/werkzeug, Django and Starlette that never match a `/`
_ONE_SEGMENT = frozenset({"", "string", "str", "int", "float", "uuid", "slug", "default"})
_ANGLE = re.compile(r"<(?:(\w+)(\([^)]*\))?:)?(\w+)>")
# `{name}`, `{name:int}`, and Falcon's converters with arguments (`{n:int(min=1)}`, `{day:dt("%Y-%m-%d")}`)
_BRACE = re.compile(r"\{(\w+)(?::(\w+)(?:\([^)]*\))?)?\}")


def segment_variables(route: str) -> frozenset[str]:
    """The variables of `route` that every place they appear in confines to one segment.
    A name also spelled with a `path` or unknown converter is left out."""
    return _every_place_converts(route, _ONE_SEGMENT)


# converters whose values are a number, a UUID, a slug ([-a-zA-Z0-9_]+) or a date (Falcon's `dt`, which
# hands the responder a datetime): no markup, quote or line break
_TYPED = frozenset({"int", "float", "uuid", "slug", "dt"})


def typed_variables(route: str) -> frozenset[str]:
    """The variables of `route` that every place they appear in types as a number, a UUID, a slug
    or one of a fixed list (`<any(a,b):kind>`): the router answers 404 before the handler runs
    unless the value is one, so it can spell no injection. (A Django regex group reaches here as
    `<name>`, frameworks.django_urls: not typed.)"""
    return _every_place_converts(route, _TYPED)


def _every_place_converts(route: str, converters: frozenset[str]) -> frozenset[str]:
    """The variables of `route` spelled with one of `converters` (or a listed `any(...)`) at every
    place they appear."""
    kept: set[str] = set()
    free: set[str] = set()
    for converter, arguments, name in _ANGLE.findall(route):
        one = converter in converters or (converter == "any" and bool(arguments))
        (kept if one else free).add(name)
    for name, converter in _BRACE.findall(route):
        (kept if converter in converters else free).add(name)
    return frozenset(kept - free)


def url_variables(route: str) -> frozenset[str]:
    """Every variable `route` names, whatever its converter."""
    return frozenset(name for _, _, name in _ANGLE.findall(route)) | \
        frozenset(name for name, _ in _BRACE.findall(route))


_POSITIONAL_GROUP = re.compile(r"\((?!\?)")


def routed_variables(routes: Iterable[str]) -> frozenset[str] | None:
    """Every variable a project's Django URL patterns `routes` pass a view by name: a view parameter
    outside it is never filled by the URL. None when the patterns cannot show that: there are none,
    or one passes a regex group by position only (`re_path(r"^(\\d+)/$", view)`; a pattern that
    names a group passes only the named ones)."""
    routes = tuple(routes)
    if not routes or any(_POSITIONAL_GROUP.search(route) and not url_variables(route) for route in routes):
        return None
    return frozenset().union(*(url_variables(route) for route in routes))


_CLASS_ESCAPES_WITHOUT_SLASH = frozenset("dwsbB")  # \d \w \s match no `/` (\D \W \S do)
_QUANTIFIER = re.compile(r"[*+?]\??|\{\d*(?:,\d*)?\}\??")


def regex_without_slash(pattern: str) -> bool:
    """Whether a regex (a Django `re_path` group's body) can never match text holding `/`.
    Only flat patterns are judged: literals, escapes, character classes and quantifiers,
    alternatives joined by `|`; anything else (nested groups, `.`, lookarounds) may."""
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            if i + 1 >= len(pattern):
                return False
            escaped = pattern[i + 1]
            if escaped.isalpha() and escaped not in _CLASS_ESCAPES_WITHOUT_SLASH:
                return False  # \D, \W, \S, \x2f ... may be a `/`
            if escaped == "/":
                return False
            i += 2
        elif char == "[":
            end = class_end(pattern, i)
            if end < 0 or not _class_without_slash(pattern[i + 1:end]):
                return False
            i = end + 1
        elif char in "(./)":
            return False  # a group, any character, or a separator itself
        else:
            quantifier = _QUANTIFIER.match(pattern, i)
            i = quantifier.end() if quantifier and quantifier.end() > i else i + 1
    return True


def class_end(pattern: str, start: int) -> int:
    """Index of the `]` closing the class opened at `start`, or -1."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1  # `[]...]`: a literal `]` first
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "]":
            return i
        i += 1
    return -1


def _class_without_slash(body: str) -> bool:
    """A character class's members, without its brackets: a negated class must name `/`, a
    plain one must not hold it, nor a range spanning it (`!-~`), nor an escape that may be one."""
    if body.startswith("^"):
        return "/" in body[1:] or "\\/" in body[1:]
    i = 0
    while i < len(body):
        if body[i] == "\\":
            escaped = body[i + 1:i + 2]
            if escaped == "/" or (escaped.isalpha() and escaped not in _CLASS_ESCAPES_WITHOUT_SLASH):
                return False
            i += 2
            continue
        if body[i] == "/":
            return False
        if i + 2 < len(body) and body[i + 1] == "-" and body[i] <= "/" <= body[i + 2]:
            return False
        i += 1
    return True
