"""Library objects a project function says it returns, by its return annotation, across modules.

Services keep their HTTP clients, sessions and connections behind a small accessor
(`def get_client(name: str) -> httpx.AsyncClient: return _clients[name]`, `def
build_lab_session(token) -> requests.Session`) and call it from another module. The value it
returns is read out of a dict or built several calls away, so the taint engine cannot tell it
is an HTTP client, and `client.post(url)` with a client-chosen `url` is never a sink. The
annotation says what it is. Like the application's shared state (endpoints.app_state), the
annotations are read from every Python file's text before the per-file analysis and travel with
the project-wide handler names, as `returns:<module.function>=<qualified type>` entries; the
engine gives a call of that function the instance tag the models declare for the type.
Only module-level functions whose annotation names a type the models know by its last name
(`AsyncClient`, `Session`, `ClientSession`, `PoolManager`, ...) are recorded.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Mapping

from servicelens.sources.line_matches import line_matches

PREFIX = "returns:"
# a module-level `def name(...) -> Type:`; parameters may span lines and hold one level of brackets
_DEF = re.compile(r"(?m)^(?:async\s+)?def\s+(?P<name>\w+)\s*\((?P<params>(?:[^()]|\([^()]*\))*)\)\s*->\s*"
                  r"(?P<type>[A-Za-z_][\w.]*)\s*:")
_FROM = re.compile(r"(?m)^from\s+(?P<module>[\w.]+)\s+import\s+(?P<names>[^\n(]+)$")
_IMPORT = re.compile(r"(?m)^import\s+(?P<module>[\w.]+)(?:\s+as\s+(?P<alias>\w+))?\s*$")


@lru_cache(maxsize=1)
def _known_last_names() -> frozenset[str]:
    from servicelens.taint.models import load_models

    return frozenset(api.rsplit(".", 1)[-1] for api in load_models("python").instances)


def declared_return_entries(files: Iterable[tuple[str, str]]) -> frozenset[str]:
    """`returns:<module>.<function>=<qualified type>` for each (module name, text) of the project."""
    known = _known_last_names()
    found: set[str] = set()
    for module, text in files:
        if "->" not in text or "def " not in text:
            continue
        imports: dict[str, str] | None = None
        for match in line_matches(_DEF, text, ("def", "async")):
            declared = match.group("type")
            if declared[:1].islower() and "." not in declared:
                continue  # `-> dict`, `-> str`: no library object
            if imports is None:
                imports = _imports(text)
            head, _, rest = declared.partition(".")
            qualified = imports.get(head, head) + ("." + rest if rest else "")
            if qualified.rsplit(".", 1)[-1] in known:  # `-> HttpSession` imported `as` from requests.Session
                found.add(f"{PREFIX}{module}.{match.group('name')}={qualified}")
    return frozenset(found)


def _imports(text: str) -> dict[str, str]:
    """Local name -> imported dotted name, from single-line imports (enough for a type's module)."""
    out: dict[str, str] = {}
    for match in line_matches(_FROM, text, ("from",)):
        for part in match.group("names").split(","):
            name, _, alias = part.strip().partition(" as ")
            if name.isidentifier():
                out[(alias.strip() or name)] = f"{match.group('module')}.{name}"
    for match in line_matches(_IMPORT, text, ("import",)):
        module = match.group("module")
        out[match.group("alias") or module.split(".", 1)[0]] = module if match.group("alias") else module.split(".", 1)[0]
    return out


def declared_returns(entries: Iterable[str]) -> dict[str, str]:
    """`module.function` -> qualified type, from the entries `declared_return_entries` made."""
    return dict(entry[len(PREFIX):].split("=", 1) for entry in entries if entry.startswith(PREFIX))


def returned_type(callee: str, returns: Mapping[str, str]) -> str | None:
    """The type `callee` (a qualified call name) is declared to return: by its exact name, or by a
    dotted suffix either way when the review starts inside or above the package."""
    found = returns.get(callee)
    if found is not None or "." not in callee:
        return found
    matches = {t for name, t in returns.items() if name.endswith("." + callee) or callee.endswith("." + name)}
    return matches.pop() if len(matches) == 1 else None
