"""The process pool gives exactly the same report as one process (and as the cache)."""
from __future__ import annotations

from pathlib import Path

import pytest

from servicelens import runner
from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.render import render

FIXTURES = Path(__file__).parent / "fixtures"


def test_parallel_review_matches_single_process(monkeypatch: pytest.MonkeyPatch) -> None:
    single = render(review(FIXTURES, Settings(use_cache=False, jobs=1)), "json")
    monkeypatch.setattr(runner, "PARALLEL_MIN_FILES", 2)  # force the pool on a small tree
    parallel = render(review(FIXTURES, Settings(use_cache=False, jobs=2)), "json")
    assert parallel == single
