"""An item's expiry ("a voucher expires 28 days after issue") is a field or TTL of that item,
not how long data is kept (design/measures.py `_item_expiry`). Fixtures in
tests/design/fixtures/item-expiry: expiries that must not become the retention and retentions
that must stay one."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design import design_from_text

_cases = fixture_cases("item-expiry")


def _meanings(text: str, phrase: str) -> list[str]:
    return [f.meaning for f in design_from_text(text).requirement.figures if phrase in f.phrase]


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_an_item_expiry_is_not_the_retention(case):
    meanings = _meanings(case["text"], case["phrase"])
    assert meanings and "retention" not in meanings, meanings
    assert "hold / expiry duration" in meanings


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_a_retention_stays_the_retention(case):
    assert "retention" in _meanings(case["text"], case["phrase"])


def test_the_expiry_becomes_an_expires_at_of_the_item():
    design = design_from_text(_cases("fire.yaml")[0]["text"])
    assert not design.requirement.retention
    assert any("expires_at" in i.mechanism for i in design.requirement.invariants)
