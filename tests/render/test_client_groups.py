"""One recommendation per client object (issue 9: a pattern repeated is one finding): calls without
a timeout on one requests session are one recommendation at the place the session is made, while
JSON and SARIF keep one finding per call, each naming that construction as its `group`."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.model import Construction, Report
from servicelens.render import render
from servicelens.render.common import finding_groups, shared_construction, site_groups

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "missing-timeout" / "client_groups"


@pytest.fixture(scope="module")
def report() -> Report:
    return review(FIXTURE, Settings(select=frozenset({"missing-timeout"}), use_cache=False, profile="extended"))


def _recommendations(report: Report) -> dict[tuple[int, ...], Construction | None]:
    """Each recommendation's call lines (lead first) and the construction its calls share."""
    return {(lead.location.start_line, *(o.location.start_line for o in others)): shared_construction(lead, others)
            for lead, others in finding_groups(report.findings)}


def test_three_calls_on_one_session_are_one_recommendation_at_its_construction(report: Report) -> None:
    """CarrierClient's calls use the session its base class makes in `__init__`."""
    made = _recommendations(report)[(27, 30, 33)]
    assert made is not None
    assert (made.location.path, made.location.start_line) == ("partners.py", 21)
    assert made.code == "self.session = requests.Session()" and made.name == "self.session"
    assert made.fix is not None and 'self.session.mount("https://", TimeoutAdapter())' in made.fix.code


def test_calls_on_two_sessions_are_two_recommendations(report: Report) -> None:
    """TaxClient's session comes from a factory (grouped where the factory makes it); export_orders
    makes its own in a `with` block."""
    groups = _recommendations(report)
    tax, export = groups[(45, 48)], groups[(66, 67)]
    assert tax is not None and export is not None and tax != export
    assert (tax.location.start_line, tax.code) == (11, "session = requests.Session()")
    assert (export.location.start_line, export.code) == (64, "with requests.Session() as http:")
    assert '    http.mount("http://", TimeoutAdapter())' in (export.fix.code if export.fix else "")


def test_one_call_on_a_session_is_no_group(report: Report) -> None:
    groups = _recommendations(report)
    assert groups[(56,)] is None and groups[(60,)] is None
    assert len(groups) == 5  # 3 + 2 + 2 calls on three sessions, and the two single calls


def test_machine_formats_keep_one_finding_per_call(report: Report) -> None:
    document = json.loads(render(report, "json"))
    assert len(document["findings"]) == 9
    grouped = [f for f in document["findings"] if f["location"]["start_line"] in (27, 30, 33)]
    assert {(f["group"]["location"]["start_line"], f["group"]["name"]) for f in grouped} == {(21, "self.session")}
    assert len({f["fingerprint"] for f in grouped}) == 3
    schema = json.loads(resources.files("servicelens.data").joinpath("report.schema.json").read_text("utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(document)) == []
    sarif = json.loads(render(report, "sarif"))
    assert sum("group" in r["properties"] for r in sarif["runs"][0]["results"]) == 9


def test_markdown_leads_with_the_construction_and_lists_the_calls(report: Report) -> None:
    text = render(report, "markdown")
    block = text.split("## 2. Recommendations")[1].split("### ")[1]
    assert block.startswith("1. self.session (requests.Session()) sends requests without a timeout (at 3 places)")
    assert "**Where it is made.**" in block and "self.session = requests.Session()" in block
    assert "`partners.py:21`" in block
    assert all(f"`partners.py:{line}`" in block for line in (27, 30, 33))
    html = render(report, "html")
    assert html.count("Where it is made") == 3


def test_site_groups_on_json_findings() -> None:
    """The triage scorer groups the JSON form the same way: two calls on one client are one
    recommendation, two calls of one pattern without a client stay two."""
    def site(line: int, made: int | None) -> dict[str, object]:
        return {"concern": "missing-timeout", "rule": "r", "severity": "medium", "line": line, "made": made}

    sites = [site(1, 9), site(2, None), site(3, 9), site(4, None)]
    groups = site_groups(sites, lambda f: (f["concern"], f["rule"], f["severity"]), lambda f: f["made"])
    assert [(lead["line"], [o["line"] for o in others]) for lead, others in groups] == [(1, [3]), (2, []), (4, [])]

