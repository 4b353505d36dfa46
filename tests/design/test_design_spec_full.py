"""The full spec (version 2): text -> spec -> design equals text -> design, edits change
only what they touch, and a bad field is one clear line naming the line and the field."""
from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from servicelens.design import SpecError, design_from_spec, design_from_text
from servicelens.design.spec_full import QUANTITY_UNITS, SECTIONS, dump_spec, spec_of
from servicelens.render.design_json import render_design_json

TEXTS = (
    "Gym class booking for 30 studios: members book classes in the app, and a class holds at most 25 members. "
    "About 4,000 bookings a day, peak 10x. Pay via Mollie.",
    "Design a URL shortener: 100M new URLs per month, 100:1 read:write ratio, links are kept for 5 years.",
    "Pharmacies push dispensing records to us every hour; 9,000 pharmacies, 3M records a day, p99 under 300 ms, "
    "99.95% availability, EU data residency, records are immutable once dispensed.",
    "Chat for 2M DAU, each user sends 40 messages a day, messages must arrive in order within a conversation.",
)


@pytest.mark.parametrize("text", TEXTS)
def test_text_to_spec_to_design_equals_text_to_design(catalog, text):
    direct = design_from_text(text, "fastapi", catalog)
    again = design_from_spec(dump_spec(direct.requirement, "fastapi"), None, catalog)
    assert again.requirement == direct.requirement
    assert render_design_json(again) == render_design_json(direct)


def test_the_spec_holds_every_field_of_the_requirement_model(catalog):
    req = design_from_text(TEXTS[2], "fastapi", catalog).requirement
    spec = spec_of(req)
    held = set(spec) | set(spec["quantities"]) | set(QUANTITY_UNITS) | {"text", "operations", "figures"}
    from dataclasses import fields
    assert {f.name for f in fields(req)} <= held | {"requirement"}
    assert set(spec) <= set(SECTIONS)


def _edited(catalog, text: str, edit) -> tuple:
    base = design_from_text(text, "fastapi", catalog)
    data = yaml.safe_load(dump_spec(base.requirement))
    edit(data)
    return base, design_from_spec(yaml.safe_dump(data, sort_keys=False), "fastapi", catalog)


def test_an_added_invariant_reaches_the_schema(catalog):
    base, edited = _edited(catalog, TEXTS[0], lambda d: d["invariants"].append({"kind": "immutable",
                                                                                  "phrase": "bookings are final"}))
    assert "REVOKE UPDATE, DELETE" not in base.ddl and "REVOKE UPDATE, DELETE" in edited.ddl
    assert any(i.kind == "immutable" and "append-only" in i.mechanism for i in edited.requirement.invariants)


def test_a_removed_workload_removes_its_block(catalog):
    def drop(d):
        d["workloads"] = [w for w in d["workloads"] if w["shape"] != "payment_provider"]
    base, edited = _edited(catalog, TEXTS[0], drop)
    assert any("Mollie" in c.name for c in base.components)
    assert not any("Mollie" in c.name for c in edited.components)


def test_an_edited_rate_changes_the_arithmetic(catalog):
    def tenfold(d):
        d["rates"][0]["count"] = d["rates"][0]["count"] * 10
    base, edited = _edited(catalog, TEXTS[3], tenfold)
    peak = lambda p: next(i.value for i in p.capacity if i.name == "write requests per second (peak)")  # noqa: E731
    assert peak(edited) == pytest.approx(peak(base) * 10, rel=0.01)


def test_a_constraint_without_a_consequence_gets_the_catalogued_one(catalog):
    _, edited = _edited(catalog, TEXTS[1], lambda d: d["constraints"].append({"kind": "sso", "value": "Okta"}))
    assert any(c.name == "Okta SSO login" for c in edited.components)


@pytest.mark.parametrize("fragment,line,message", [
    ("invariants:\n- kind: never-twice\n", 4, "invariants[0].kind: unknown 'never-twice'"),
    ("rates:\n- subject: orders\n  count: many\n  period: day\n", 5, "rates[0].count: must be a number, not text"),
    ("rates:\n- subject: orders\n  count: 5\n  period: fortnight\n", 6, "rates[0].period: unknown 'fortnight'"),
    ("workloads:\n- shape: waiting_rom\n", 4, "(did you mean 'waiting_room'?)"),
    ("quantities:\n  peak_factr: 3\n", 4, "quantities.peak_factr: unknown field (did you mean 'peak_factor'?)"),
    ("domains: [shop]\n", 3, "domains: unknown domain 'shop'"),
    ("constraints:\n- kind: sso\n", 4, "constraints[0]: needs `value`"),
    ("wrkloads: []\n", 3, "(did you mean 'workloads'?)"),
])
def test_a_bad_field_is_one_line_naming_line_and_field(catalog, fragment, line, message):
    with pytest.raises(SpecError) as err:
        design_from_spec("version: 2\nrequirement: Chat for 2M DAU\n" + fragment.replace("\n", "\n", 1), None, catalog)
    text = str(err.value)
    assert "\n" not in text and message in text and text.startswith(f"line {line}:")


def test_the_cli_emits_a_spec_that_runs_again(tmp_path):
    from servicelens.cli.main import app
    spec = tmp_path / "spec.yaml"
    runner = CliRunner()
    first = runner.invoke(app, ["design", TEXTS[0], "--emit-spec", "-o", str(spec)])
    assert first.exit_code == 0 and spec.read_text().startswith("# servicelens design spec, version 2")
    from_text = runner.invoke(app, ["design", TEXTS[0], "-f", "json", "--stack", "fastapi"])
    from_spec = runner.invoke(app, ["design", str(spec), "-f", "json", "--stack", "fastapi"])
    assert from_spec.exit_code == 0
    assert json.loads(from_spec.stdout) == json.loads(from_text.stdout)
