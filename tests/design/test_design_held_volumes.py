"""A size that is the volume a system holds ("180 TB of originals", "6 TB in total") is read
as held data, not as one object's size, and beside a count of the things held gives their
average size (design/held_volumes.py, derived.py `_held_volumes`). Sizes of one thing, caps on
one thing and volumes per period keep their reading. Fixtures in
tests/design/fixtures/held-volumes."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design import design_from_text

_cases = fixture_cases("held-volumes")


def _held(proposal) -> list[float]:
    return [f.value for f in proposal.requirement.figures if f.meaning == "data volume held"]


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_a_stated_stock_volume_is_held_data_not_an_object_size(case):
    proposal = design_from_text(case["text"])
    assert _held(proposal) == [pytest.approx(case["volume"])], proposal.requirement.figures
    media = proposal.requirement.media_bytes
    assert media is None or media.value != pytest.approx(case["volume"]), media


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_a_held_volume_beside_a_count_gives_the_average_size_of_one(case):
    proposal = design_from_text(case["text"])
    items = [i for i in proposal.capacity if i.name.startswith("average size of one of the")]
    if not case["average"]:
        assert not items, items
        return
    assert len(items) == 1, items
    scale = {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "PB": 1e15}[items[0].unit]
    assert items[0].value * scale == pytest.approx(case["average"], rel=0.01), items[0]


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_a_size_of_one_thing_keeps_its_reading(case):
    proposal = design_from_text(case["text"])
    assert not _held(proposal), proposal.requirement.figures
    if case["field"]:
        qty = getattr(proposal.requirement, case["field"])
        assert qty is not None and qty.value == pytest.approx(case["value"]), qty
