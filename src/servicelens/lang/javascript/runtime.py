"""The names a Node.js module may call without importing them (models/node/globals.yaml).

The taint engine and the rules resolve a call through the module's imports; a global such
as `eval` or `fetch` becomes an import of itself, unless the module binds that name.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Mapping

from servicelens.packaged_yaml import packaged_yaml


@lru_cache(maxsize=1)
def node_globals() -> frozenset[str]:
    text = resources.files("servicelens.models").joinpath("node/globals.yaml").read_text("utf-8")
    return frozenset(str(name) for name in packaged_yaml(text)["globals"])


@lru_cache(maxsize=1)
def node_core_modules() -> frozenset[str]:
    """Node's own modules (`path`, `fs`, `url` ...), as an import of one is named."""
    text = resources.files("servicelens.models").joinpath("node/globals.yaml").read_text("utf-8")
    return frozenset(str(name) for name in packaged_yaml(text)["core_modules"])


def with_globals(imports: Mapping[str, str], bound: frozenset[str]) -> dict[str, str]:
    """The module's imports plus every runtime global it does not shadow with a binding of its own."""
    resolved = {name: name for name in node_globals() if name not in bound}
    resolved.update(imports)
    return resolved
