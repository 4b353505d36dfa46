"""The names a project publishes itself under, read from its own manifests at the review root.

An image called after the project (`FROM acme/ledger:develop` in the `ledger` project) is the
project's own build, not a third party's: who it runs as is decided by the project's own root
Dockerfile. Only the root manifests count: a vendored or example package deeper in the tree names
something else.
"""
from __future__ import annotations

import configparser
import json
import re
import tomllib
from typing import Iterable

from servicelens.analysis.base import SourceFile

_ROOT_MANIFESTS = ("pyproject.toml", "package.json", "setup.cfg")


def project_names(files: Iterable[SourceFile]) -> frozenset[str]:
    """Normalised names (`Acme_Ledger` -> `acme-ledger`) the root manifests give the project."""
    names: set[str] = set()
    for f in files:
        if f.rel in _ROOT_MANIFESTS:
            name = _manifest_name(f.rel, f.text)
            if name:
                names.add(normalise(name))
    return frozenset(names)


def normalise(name: str) -> str:
    """Package names compare case-insensitively with `_`, `.` and `-` alike (PEP 503); an npm
    scope (`@acme/ledger`) is the publisher, not the name."""
    return re.sub(r"[-_.]+", "-", name.rsplit("/", 1)[-1]).lower()


def _manifest_name(rel: str, text: str) -> str:
    try:
        if rel == "pyproject.toml":
            data = tomllib.loads(text)
            name = (data.get("project") or {}).get("name") or \
                ((data.get("tool") or {}).get("poetry") or {}).get("name")
        elif rel == "package.json":
            name = json.loads(text).get("name")
        else:
            parser = configparser.ConfigParser(interpolation=None)
            parser.read_string(text)
            name = parser.get("metadata", "name", fallback=None)
    except (ValueError, AttributeError, configparser.Error):
        return ""
    return name if isinstance(name, str) else ""
