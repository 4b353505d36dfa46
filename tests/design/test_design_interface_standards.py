"""Message standards the system exchanges data in (design/interface_standards.py): an acronym
and a version written as the form or channel of an exchange becomes an `interface` constraint and
the adapter component that speaks it; the same form of name that is only conformed to, an
identifier or a size adds nothing. Fixtures in tests/design/fixtures/interface-standards."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design.interface_standards import KIND, interface_standards

_cases = fixture_cases("interface-standards")


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_a_standard_the_text_exchanges_data_in_is_an_interface(case, design):
    proposal = design(case["text"])
    kept = [c for c in proposal.requirement.constraints if c.kind == KIND]
    assert [c.value for c in kept] == [case["standard"]]
    assert any(c.name == f"{case['standard']} interface" for c in proposal.components)


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_a_standard_only_conformed_to_is_no_interface(case, catalog):
    assert interface_standards(case["text"], catalog.characteristics) == ()


def test_a_standard_named_twice_is_one_interface(catalog):
    text = ("Labs send results as HL7 v2 messages. A result that fails HL7 v2 validation is sent back "
            "via HL7 v2 with an error acknowledgement.")
    assert [c.value for c in interface_standards(text, catalog.characteristics)] == ["HL7 v2"]


def test_the_emitted_spec_gives_the_same_design(catalog):
    from servicelens.design import design_from_spec, design_from_text
    from servicelens.design.spec_full import dump_spec
    from servicelens.render.design_json import render_design_json
    text = "Pharmacies reach us via NCPDP 2017 and send 10,000 claims a day."
    direct = design_from_text(text, "fastapi", catalog)
    again = design_from_spec(dump_spec(direct.requirement, "fastapi"), None, catalog)
    assert "NCPDP 2017" in dump_spec(direct.requirement, "fastapi")
    assert render_design_json(again) == render_design_json(direct)
