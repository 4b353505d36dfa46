"""Fixtures for renderer tests: the one fixed report every golden file is made from."""
from __future__ import annotations

import pytest

from servicelens.model import Report

from .sample_report import sample_report


@pytest.fixture(scope="module")
def report() -> Report:
    return sample_report()
