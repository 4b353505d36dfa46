"""Helpers for design-mode tests (a uniquely named module, so it never shadows another conftest)."""
from __future__ import annotations

import os
from typing import Callable

import yaml

_FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


def cap(proposal, name_prefix: str) -> float:
    """The value of the first capacity item whose name starts with `name_prefix`."""
    for item in proposal.capacity:
        if item.name.startswith(name_prefix):
            return item.value
    raise KeyError(f"{name_prefix!r} not in {[i.name for i in proposal.capacity]}")


def fixture_cases(directory: str) -> Callable[[str], list[dict]]:
    """The loader of one fixture directory's case files (`fire.yaml`, `quiet.yaml`): texts that must
    produce an item and look-alikes that must not, under tests/design/fixtures/<directory>."""
    def cases(name: str) -> list[dict]:
        with open(os.path.join(_FIXTURES, directory, name), encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    return cases
