"""Any clause that states a rule yields an invariant whose kind is read from the rule's shape
(data/characteristics.yaml `cues`), whatever the system is; a clause that states no rule yields none."""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.invariant_shapes import cue_shapes

SPECS = load_catalog().characteristics["invariants"]


def kinds(text: str) -> list[str]:
    return [s.kind for s in cue_shapes(text, SPECS)]


@pytest.mark.parametrize("text, kind", [
    ("Certificate serials must run without gaps within each authority.", "gapless-sequence"),
    ("Moves of one game must be applied in the order the players made them.", "per-key-order"),
    ("Two curators may edit a caption at the same time and must end with the same text.", "convergence"),
    ("A signed waiver can never be altered afterwards.", "immutable"),
    ("No meter reading may be lost when the gateway restarts.", "at-least-once"),
    ("A kennel must never hold two dogs at once.", "no-double-sell"),
    ("Each guest gets only one wristband per festival.", "uniqueness"),
    ("A ferry must never carry more than its licensed capacity.", "capacity-limit"),
    ("A refund must never be paid twice.", "exactly-once-effect"),
    ("A tee time hold must expire if not confirmed.", "expiry"),
    ("Schools must never see another school's pupils.", "tenant-isolation"),
    ("Only the original author can withdraw a motion.", "ownership"),
    ("Every override of a dosage must be audited.", "audit"),
])
def test_a_rule_gets_the_kind_its_shape_names(text, kind):
    assert kinds(text) == [kind]


def test_several_rules_in_one_sentence_are_read_separately():
    got = kinds("A kennel must never hold two dogs at once, and a waiver can never be altered afterwards.")
    assert got == ["no-double-sell", "immutable"]


@pytest.mark.parametrize("text", [
    "Owners book kennels for their dogs and pay at pick-up.",
    "The ferry carries up to 300 cars in summer.",  # a description of load, not a rule
])
def test_a_clause_without_a_rule_yields_nothing(text):
    assert kinds(text) == []


def test_the_cue_invariant_names_its_subject_and_joins_the_requirement(design):
    proposal = design("Kennel booking for 40 kennels and 2,000 owners: owners book kennels online. "
                      "A kennel must never hold two dogs at once.")
    inv = {i.kind: i for i in proposal.requirement.invariants}
    assert "no-double-sell" in inv and "kennel" in inv["no-double-sell"].mechanism
