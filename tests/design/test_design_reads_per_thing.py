"""Reads counted per written thing ("for every booking there are ~150 availability searches",
"25 views per listing") are the read:write ratio, and the read stream is named after them
(design/measures.py `_READS_PER_THING`, design/traffic.py). Fixtures in
tests/design/fixtures/reads-per-thing: ratios that must be read and counts per thing that must not."""
from __future__ import annotations

import os

import pytest
import yaml

from servicelens.design import design_from_text

HERE = os.path.join(os.path.dirname(__file__), "fixtures", "reads-per-thing")


def _cases(name: str) -> list[dict]:
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_reads_per_thing_are_the_ratio(case):
    design = design_from_text(case["text"])
    ratio = design.requirement.read_write_ratio
    assert ratio is not None and ratio.value == case["ratio"]
    reads = next(i for i in design.capacity if i.name.startswith("read requests per second (average)"))
    writes = next(i for i in design.capacity if i.name.startswith("write requests per second (average)"))
    assert f"[{case['reads']}]" in reads.name
    assert abs(reads.value - writes.value * case["ratio"]) <= 2e-3 * reads.value
    assert any(i.name.startswith("reads per day (average)") for i in design.capacity)


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_a_count_per_thing_that_is_no_read_is_no_ratio(case):
    assert design_from_text(case["text"]).requirement.read_write_ratio is None
