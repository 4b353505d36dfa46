"""Helpers for design-mode tests (a uniquely named module, so it never shadows another conftest)."""
from __future__ import annotations


def cap(proposal, name_prefix: str) -> float:
    """The value of the first capacity item whose name starts with `name_prefix`."""
    for item in proposal.capacity:
        if item.name.startswith(name_prefix):
            return item.value
    raise KeyError(f"{name_prefix!r} not in {[i.name for i in proposal.capacity]}")
