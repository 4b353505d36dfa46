"""A sanity bound refuses only what no system can be; a figure that is merely surprising is
designed as stated and flagged beside the plan (design/bounds.py `surprising`)."""
from __future__ import annotations

import pytest

from servicelens.design import DesignInputError, design_from_spec, design_from_text
from servicelens.design.bounds import FIELD_BOUNDS


def _scale_checks(proposal) -> list[str]:
    return [q.question for q in proposal.open_questions if q.question.startswith("Scale check")]


def test_a_surprising_object_size_is_designed_and_flagged():
    proposal = design_from_text("Forensics lab intake: each upload is a 50 TB disk image; examiners upload images and list them per case.")
    assert proposal.requirement.media_bytes.value == pytest.approx(50e12)
    assert any("media size" in q and "5e+13" in q for q in _scale_checks(proposal)), _scale_checks(proposal)


def test_an_object_size_no_storage_system_holds_is_refused():
    with pytest.raises(DesignInputError, match="at most"):
        design_from_text("Forensics lab intake: each upload is a 20,000 PB disk image; examiners upload images.")


def test_an_ordinary_object_size_is_not_flagged():
    proposal = design_from_text("Forensics lab intake: each upload is a 2 GB disk image; examiners upload images and list them per case.")
    assert not [q for q in _scale_checks(proposal) if "media size" in q], _scale_checks(proposal)


def test_a_spec_with_a_surprising_media_size_designs_with_the_flag():
    proposal = design_from_spec("version: 1\ndomains: [media]\ndata: {media_size: 2.0e+14}\n")
    assert any("media size" in q for q in _scale_checks(proposal)), _scale_checks(proposal)


@pytest.mark.parametrize("name", sorted(FIELD_BOUNDS))
def test_every_surprise_ceiling_lies_inside_its_hard_bound(name):
    bound = FIELD_BOUNDS[name]
    assert bound.surprising == float("inf") or bound.low < bound.surprising < bound.high
