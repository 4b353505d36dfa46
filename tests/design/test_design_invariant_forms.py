"""Invariants by form: rules implied by an act (act_forms) and rules stated in grammatical
forms (clause_forms), each naming its mechanism in the text's nouns. The cases live in
tests/design/fixtures/invariant_forms/ as data (design forms are not review concerns, so not
under tests/fixtures): texts that must yield a kind with the words its mechanism names, and
look-alikes that must not yield it."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from servicelens.design.catalog import load_catalog
from servicelens.design.requirement import parse_requirement

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "invariant_forms"
CATALOG = load_catalog()


def _cases(kind: str) -> list[dict]:
    out = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        out.extend(yaml.safe_load(path.read_text(encoding="utf-8"))[kind])
    return out


def _invariants(text: str) -> list[tuple[str, str]]:
    return [(i.kind, i.mechanism) for i in parse_requirement(text, CATALOG).invariants]


@pytest.mark.parametrize("case", _cases("fire"), ids=lambda c: c["text"][:40])
def test_a_form_names_its_mechanism(case):
    found = _invariants(case["text"])
    assert any(kind == case["kind"] and all(w in mech for w in case["words"]) for kind, mech in found), found


@pytest.mark.parametrize("case", _cases("not_fire"), ids=lambda c: c["text"][:40])
def test_a_look_alike_states_no_rule_of_that_form(case):
    found = _invariants(case["text"])
    assert not {kind for kind, _ in found} & set(case["kinds"]), found
