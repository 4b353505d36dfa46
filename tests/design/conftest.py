"""Shared fixtures for design-mode tests: one catalogue per session (it is read-only)."""
from __future__ import annotations

import pytest

from servicelens.design import load_catalog


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def design(catalog):
    from servicelens.design import design_from_text

    def run(text: str, stack: str = "fastapi"):
        return design_from_text(text, stack, catalog)
    return run
