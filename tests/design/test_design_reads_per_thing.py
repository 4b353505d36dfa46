"""Reads counted per written thing ("for every booking there are ~150 availability searches",
"25 views per listing") are the read:write ratio, and the read stream is named after them
(design/measures.py `_READS_PER_THING`, design/traffic.py). Fixtures in
tests/design/fixtures/reads-per-thing: ratios that must be read and counts per thing that must not."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design import design_from_text

_cases = fixture_cases("reads-per-thing")


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
