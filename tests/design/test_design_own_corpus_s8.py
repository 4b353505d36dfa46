"""Ten requirements of kinds neither the corpus nor earlier own requirements hold
(tests/design/own_corpus_s8/dev, expectations written before the tool ran on them). Each
asserts a mechanism this session built: the rule kinds their sentences call for, and the
products of stated numbers."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CORPUS = Path(__file__).parent / "own_corpus_s8" / "dev"

RULES = {
    "pharmacy-refills": {"capacity-limit", "audit", "expiry"},
    "desk-booking": {"no-double-sell", "tenant-isolation", "expiry"},
    "lab-samples": {"immutable", "no-double-sell", "audit"},
    "museum-tickets": {"capacity-limit"},
    "stadium-turnstiles": {"cutoff"},
    "permit-office": {"gapless-sequence", "immutable"},
    "farm-equipment": {"no-double-sell", "gapless-sequence"},
    "camera-traps": {"exactly-once-effect", "immutable"},
}


def _text(name: str) -> str:
    return yaml.safe_load((CORPUS / f"{name}.yaml").read_text(encoding="utf-8"))["text"]


@pytest.mark.parametrize("name", sorted(RULES))
def test_the_rules_of_an_unseen_kind_are_found_by_their_shape(design, name):
    proposal = design(_text(name))
    assert RULES[name] <= {i.kind for i in proposal.requirement.invariants}
    assert not [s.name for s in proposal.self_check if s.status == "failed"]


@pytest.mark.parametrize("name, item, value, unit", [
    ("camera-traps", "media storage per day", 300.0, "GB/day"),     # 800 traps x 150 photos x 2.5 MB
    ("permit-office", "media storage per year", 312.0, "GB/year"),  # 6,500 applications x 12 drawings x 4 MB
    ("pharmacy-refills", "new records per month", 1.5e6, "count/month"),  # 1.5M patients x one refill a month
])
def test_products_of_stated_numbers_reach_the_capacity_plan(design, name, item, value, unit):
    proposal = design(_text(name))
    got = next(i for i in proposal.capacity if i.name == item)
    assert got.unit == unit and got.value == pytest.approx(value, rel=0.1)


def test_every_file_keeps_its_expectations_next_to_the_text():
    for path in sorted(CORPUS.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert doc["id"] == path.stem and doc["describes_a_system"]
        assert doc["operations"] and doc["components"] and doc["figures"] and doc["invariants"]
