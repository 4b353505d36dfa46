"""One fix per client object (issue 9: a pattern repeated is one finding): calls without a timeout on
one requests session are fixed once where the session is made. A repeated pattern stays one
recommendation and lists its calls by the session they go through; below the pattern threshold a
session's calls are one recommendation led by its construction. JSON and SARIF keep one finding
per call, each naming that construction as its `group`."""
from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.model import Construction, Report
from servicelens.render import render
from servicelens.render.common import (
    GROUP_MIN_SITES,
    constructions,
    finding_groups,
    shared_construction,
    site_groups,
)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "missing-timeout" / "client_groups"


@pytest.fixture(scope="module")
def report() -> Report:
    return review(FIXTURE, Settings(select=frozenset({"missing-timeout"}), use_cache=False, profile="extended"))


def _recommendations(report: Report, min_sites: int = GROUP_MIN_SITES) -> dict[tuple[int, ...], Construction | None]:
    """Each recommendation's call lines (lead first) and the construction its calls share."""
    return {(lead.location.start_line, *(o.location.start_line for o in others)): shared_construction(lead, others)
            for lead, others in finding_groups(report.findings, min_sites)}


def test_a_repeated_pattern_stays_one_recommendation_listing_its_client_objects(report: Report) -> None:
    """The fixture's eleven calls are one pattern (same concern, rule and severity): one recommendation,
    whose sites are listed by the session they go through, each session once, with its one fix."""
    groups = finding_groups(report.findings)
    assert len(groups) == 1
    lead, others = groups[0]
    objects = constructions((lead, *others))
    assert [(made.location.start_line, [f.location.start_line for f in calls]) for made, calls in objects] == [
        (21, [27, 30, 33]), (11, [45, 48]), (64, [66, 67]), (78, [82, 85])]
    text = render(report, "markdown")
    assert "**9 calls go through 4 client objects, each fixed once where it is made**" in text
    assert "- `partners.py:21` `self.session = requests.Session()`: `partners.py:27`, `partners.py:30`, " \
           "`partners.py:33`" in text
    assert "**The same at 2 more places**" in text  # the two single calls, listed as before


# below the pattern threshold (fewer calls of the pattern than GROUP_MIN_SITES), a client object's
# calls are one recommendation at its construction: the threshold is lifted out of reach here
APART = 100


def test_three_calls_on_one_session_are_one_recommendation_at_its_construction(report: Report) -> None:
    """CarrierClient's calls use the session its base class makes in `__init__`."""
    made = _recommendations(report, APART)[(27, 30, 33)]
    assert made is not None
    assert (made.location.path, made.location.start_line) == ("partners.py", 21)
    assert made.code == "self.session = requests.Session()" and made.name == "self.session"
    assert made.fix is not None and 'self.session.mount("https://", TimeoutAdapter())' in made.fix.code


def test_calls_on_two_sessions_are_two_recommendations(report: Report) -> None:
    """TaxClient's session comes from a factory (grouped where the factory makes it); export_orders
    makes its own in a `with` block."""
    groups = _recommendations(report, APART)
    tax, export = groups[(45, 48)], groups[(66, 67)]
    assert tax is not None and export is not None and tax != export
    assert (tax.location.start_line, tax.code) == (11, "session = requests.Session()")
    assert (export.location.start_line, export.code) == (64, "with requests.Session() as http:")
    assert '    http.mount("http://", TimeoutAdapter())' in (export.fix.code if export.fix else "")


def test_one_call_on_a_session_is_no_group(report: Report) -> None:
    groups = _recommendations(report, APART)
    assert groups[(56,)] is None and groups[(60,)] is None
    assert len(groups) == 6  # 3 + 2 + 2 + 2 calls on four sessions, and the two single calls


def test_a_field_set_to_none_in_init_is_grouped_where_a_method_binds_it(report: Report) -> None:
    made = _recommendations(report, APART)[(82, 85)]
    assert made is not None and (made.location.start_line, made.code) == (78, "self.client = requests.Session()")


def test_machine_formats_keep_one_finding_per_call(report: Report) -> None:
    document = json.loads(render(report, "json"))
    assert len(document["findings"]) == 11
    grouped = [f for f in document["findings"] if f["location"]["start_line"] in (27, 30, 33)]
    assert {(f["group"]["location"]["start_line"], f["group"]["name"]) for f in grouped} == {(21, "self.session")}
    assert len({f["fingerprint"] for f in grouped}) == 3
    schema = json.loads(resources.files("servicelens.data").joinpath("report.schema.json").read_text("utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(document)) == []
    sarif = json.loads(render(report, "sarif"))
    assert sum("group" in r["properties"] for r in sarif["runs"][0]["results"]) == 11


def test_markdown_leads_one_objects_calls_with_the_construction(report: Report) -> None:
    carrier = replace(report, findings=tuple(f for f in report.findings if f.location.start_line in (27, 30, 33)))
    text = render(carrier, "markdown")
    block = text.split("## 2. Recommendations")[1].split("### ")[1]
    assert block.startswith("1. self.session (requests.Session()) sends requests without a timeout (at 3 places)")
    assert "**Where it is made.**" in block and "self.session = requests.Session()" in block
    assert "`partners.py:21`" in block
    assert all(f"`partners.py:{line}`" in block for line in (27, 30, 33))
    assert render(carrier, "html").count("Where it is made") == 1


def test_site_groups_on_json_findings() -> None:
    """The triage scorer groups the JSON form the same way: below the pattern threshold, two calls on
    one client are one recommendation and two calls without one stay two; at the threshold the
    pattern is one recommendation, a client object's calls counted with its first call's pattern."""
    def site(line: int, made: int | None, severity: str = "medium") -> dict[str, object]:
        return {"concern": "missing-timeout", "rule": "r", "severity": severity, "line": line, "made": made}

    def lines(sites: list[dict[str, object]]) -> list[tuple[object, list[object]]]:
        groups = site_groups(sites, lambda f: (f["concern"], f["rule"], f["severity"]), lambda f: f["made"])
        return [(lead["line"], [o["line"] for o in others]) for lead, others in groups]

    assert lines([site(1, 9), site(2, None, "high"), site(3, 9), site(4, None, "low")]) == [(1, [3]), (2, []), (4, [])]
    assert lines([site(1, 9), site(2, None), site(3, 9, "high"), site(4, None)]) == [(1, [2, 3, 4])]
