"""Whether a project predicate proves a URL stays on this site, judged by its body wherever it is defined.

A predicate is a same-site check when its body asks about the URL's shape: a parsed URL's host or
scheme (`urlparse(url).netloc`), its leading slash (`url.startswith("/")`, `url[0] == "/"`), a
pattern pinned to a local path (`re.fullmatch(r"/[^/]\\S*", url)`), or a library check that does so
(`url_has_allowed_host_and_scheme`). Browsers read a backslash as a slash in a URL, so `/\\evil.net`
leaves the site as `//evil.net` does: such a body proves the URL local (`strict`) only when it
considers backslashes (a text or a pattern with one: `url.replace("\\\\", "/")`, `"\\\\" in url`,
`[^/\\\\]`) or delegates to the library check, which folds them; one that only counts leading slashes
or asks `urlparse(url).netloc` lets `/\\evil.net` through (`loose`), whatever the predicate is called.

The body is read from the source text, in the module being reviewed (`local_verdict`) or in any
other module of the project, where the verdicts are gathered before the per-file analysis and
travel with the project-wide names as `url-check:<module.qualname>=<verdict>` entries
(`same_site_entries`). A predicate whose body asks nothing of the URL's shape, or that no reviewed
file defines (a library, a package outside the review), is judged by its name (taint.guards).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.taint.declared_returns import returned_type

PREFIX = "url-check:"
STRICT = "strict"
LOOSE = "loose"
# what a body reads of a URL's shape: a parsed URL's host or scheme, its leading slash, or a pattern
# pinned to a local path; and the library checks that answer the same question
_SHAPE = re.compile(r"""\.(?:netloc|hostname|scheme|origin|protocol)\b|url_has_allowed_host_and_scheme|is_safe_url|"""
                    r"""starts[wW]ith\(\s*\(?\s*[rb]?["'`]/|\[0\]\s*[!=]==?\s*[rb]?["'`]/|"""
                    r"""match\(\s*[rb]?["']\^?/""")
_LIBRARY_CHECK = re.compile(r"url_has_allowed_host_and_scheme|is_safe_url")
# a backslash written in the source: `"\\"`, `r"[^/\\]"`, `"\\\\"`; not a pattern's own escape
# (`"\\S"`, `"\\w"` stand for a class of characters, not for a backslash)
_BACKSLASH = re.compile(r"\\\\(?![A-Za-z])")
_DEF = re.compile(r"^(?P<indent>[ \t]*)(?:async[ \t]+)?def[ \t]+(?P<name>\w+)[ \t]*\(")
_CLASS = re.compile(r"^class[ \t]+(?P<name>\w+)")


def body_verdict(text: str) -> str | None:
    """`strict`, `loose`, or None when the body asks nothing of a URL's shape (see the module docstring)."""
    if not _SHAPE.search(text):
        return None
    return STRICT if _LIBRARY_CHECK.search(text) or _BACKSLASH.search(text) else LOOSE


def local_verdict(module: ir.Module, qualified: str | None) -> str | None:
    """The verdict on the function of this module a call's qualified name names
    (`pkg.views.Mixin.is_relative_url`), read from its source lines; None when it is not defined here."""
    prefix = module.module_name + "."
    if not qualified or not qualified.startswith(prefix):
        return None
    qualname = qualified[len(prefix):]
    definition = next((f for f in module.functions if f.qualname == qualname), None)
    if definition is None:
        return None
    return body_verdict("\n".join(module.lines[definition.line - 1:definition.end_line]))


def project_verdict(qualified: str | None, verdicts: Mapping[str, str]) -> str | None:
    """The verdict on a function another module of the project defines, by its qualified name (or a
    dotted suffix either way, when the review starts inside or above the package)."""
    return returned_type(qualified, verdicts) if qualified and verdicts else None


def same_site_entries(files: Iterable[tuple[str, str]]) -> frozenset[str]:
    """`url-check:<module>.<qualname>=<verdict>` for each module-level function and method of the
    (module name, text) Python files whose body asks about a URL's shape."""
    found: set[str] = set()
    for module, text in files:
        if "def " not in text or not _SHAPE.search(text):
            continue  # one scan of the text: most files ask nothing of a URL's shape
        for qualname, body in _functions(text):
            verdict = body_verdict(body)
            if verdict is not None:
                found.add(f"{PREFIX}{module}.{qualname}={verdict}")
    return frozenset(found)


@lru_cache(maxsize=4)
def same_site_verdicts(entries: frozenset[str]) -> Mapping[str, str]:
    """`module.qualname` -> verdict, from the entries `same_site_entries` made (once per review: every
    file of it asks with the same entries)."""
    return dict(entry[len(PREFIX):].rsplit("=", 1) for entry in entries if entry.startswith(PREFIX))


def _functions(text: str) -> Iterator[tuple[str, str]]:
    """(qualname, source) of each module-level function and each method of a module-level class:
    a `def` line and the lines indented under it."""
    lines = text.splitlines()
    owner, member_indent = "", 0
    for index, line in enumerate(lines):
        declared = _CLASS.match(line)
        if declared:
            owner, member_indent = declared.group("name"), 0
            continue
        if line[:1] not in ("", " ", "\t", "#"):
            owner = ""  # a module-level statement ends the class above
        match = _DEF.match(line)
        if match is None:
            continue
        indent = len(match.group("indent").expandtabs())
        if indent and owner and not member_indent:
            member_indent = indent  # the class's first method sets where its methods stand
        if indent and (not owner or indent != member_indent):
            continue  # a function nested in another: not callable by name from elsewhere
        end = index + 1
        while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
            end += 1
        qualname = f"{owner}.{match.group('name')}" if indent else match.group("name")
        yield qualname, "\n".join(lines[index:end])
