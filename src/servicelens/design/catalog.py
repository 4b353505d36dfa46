"""Loads design mode's data files (package data under design/data/).

The catalogue is built once per `design()` call and passed down explicitly; nothing
is cached at module level, so tests can hand in their own tables.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from servicelens.design.identifiers import entity_names
from servicelens.packaged_yaml import packaged_yaml


@dataclass(frozen=True, slots=True)
class Catalog:
    vocabulary: dict[str, Any]
    domains: dict[str, Any]
    patterns: dict[str, Any]
    stacks: dict[str, Any]
    sizing: dict[str, Any]
    characteristics: dict[str, Any] = field(default_factory=dict)  # invariants, constraints, blocks
    lifecycles: dict[str, Any] = field(default_factory=dict)  # archetypes and their steps
    compositions: dict[str, Any] = field(default_factory=dict)  # workload shape -> building block rules


def _load(name: str) -> Any:
    text = resources.files("servicelens.design").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return packaged_yaml(text)


@lru_cache(maxsize=1)
def people_nouns() -> frozenset[str]:
    """The plural nouns the vocabulary counts people with ("drivers", "staff", "tutors")."""
    return frozenset(w.lower() for w in _load("vocabulary.yaml")["user_nouns"] if w.endswith("s") or w in ("people", "staff"))


def load_catalog() -> Catalog:
    stacks = _load("stacks.yaml")
    return Catalog(
        vocabulary=_load("vocabulary.yaml"),
        domains=_load("domains.yaml"),
        patterns=_load("patterns.yaml"),
        stacks=stacks["stacks"],
        sizing=stacks["sizing"],
        characteristics=_load("characteristics.yaml"),
        lifecycles=_load("lifecycles.yaml"),
        compositions=_load("compositions.yaml"),
    )


def domain_spec(catalog: Catalog, domain: str, entity: str = "") -> dict[str, Any]:
    """A domain's spec; the generic CRUD domain is instantiated for the named entity,
    whose name is first made a safe identifier (it becomes a table, paths and code names)."""
    spec = copy.deepcopy(catalog.domains[domain])
    if not spec.get("fallback"):
        return spec
    singular, plural = entity_names(entity)
    text = json.dumps(spec).replace("{plural}", plural).replace("{singular}", singular)
    return json.loads(text)
