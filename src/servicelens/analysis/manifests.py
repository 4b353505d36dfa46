"""Which packages a Python project declares (requirements, pyproject, Pipfile, setup.py):
used to name frameworks the review does not model even when no file imports them yet."""
from __future__ import annotations

import re
import tomllib
from pathlib import PurePosixPath

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_QUOTED_REQUIREMENT = re.compile(r"""["']([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;].*)?["']""")


def declared_packages(rel: str, text: str) -> set[str]:
    name = PurePosixPath(rel).name
    if name.startswith("requirements") or name.endswith(".in"):
        return {_norm(m.group(1)) for line in text.splitlines()
                if not line.lstrip().startswith(("#", "-")) and (m := _REQUIREMENT.match(line))}
    if name == "pyproject.toml":
        return _pyproject(text)
    if name in ("Pipfile", "setup.py", "setup.cfg"):
        return {_norm(m.group(1)) for m in _QUOTED_REQUIREMENT.finditer(text)} | (
            {_norm(m.group(1)) for line in text.splitlines() if (m := re.match(r"^\s*([A-Za-z0-9._-]+)\s*=", line))}
            if name == "Pipfile" else set())
    return set()


def _pyproject(text: str) -> set[str]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return set()
    found: set[str] = set()
    project = _table(data, "project")
    extras = _table(project, "optional-dependencies")
    for requirement in _strings(project.get("dependencies")) + [
            r for extra in extras.values() for r in _strings(extra)]:
        match = _REQUIREMENT.match(requirement)
        if match:
            found.add(_norm(match.group(1)))
    poetry = _table(_table(data, "tool"), "poetry")
    for table in ("dependencies", "dev-dependencies"):
        found.update(_norm(k) for k in _table(poetry, table) if k != "python")
    return found


def _table(data: dict[str, object], key: str) -> dict[str, object]:
    """A manifest is repository content: a key of the wrong type reads as absent."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
