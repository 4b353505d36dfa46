"""What each format must say, checked on the parsed output rather than on bytes."""
from __future__ import annotations

import json
import re
from dataclasses import replace

from servicelens.model import Report
from servicelens.render import render
from servicelens.render.markdown_text import cell, code, fence

HOSTILE = '<script>alert("x")</script> & `tick` | pipe'


def _hostile(report: Report) -> Report:
    """The first finding's title and an endpoint handler carry markup and table breakers."""
    findings = (replace(report.findings[0], title=HOSTILE), *report.findings[1:])
    service = report.overview.services[0]
    endpoint = replace(service.endpoints[0], handler=HOSTILE)
    service = replace(service, endpoints=(endpoint, *service.endpoints[1:]))
    overview = replace(report.overview, services=(service, *report.overview.services[1:]))
    return replace(report, findings=findings, overview=overview)


def test_html_escapes_script_in_title(report: Report) -> None:
    page = render(_hostile(report), "html")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # only our own filter script


def test_html_makes_no_external_requests(report: Report) -> None:
    page = render(report, "html")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert "default-src 'none'" in page


def test_html_has_filters_and_every_finding(report: Report) -> None:
    page = render(report, "html")
    for number, finding in enumerate(report.findings, start=1):
        assert f'id="finding-{number}" data-severity="{finding.severity.value}"' in page
    assert 'data-filter="severity"' in page and 'data-filter="category"' in page


def test_markdown_tables_survive_pipes(report: Report) -> None:
    text = render(_hostile(report), "markdown")
    row = next(line for line in text.splitlines() if line.startswith("| POST | `/charges`"))
    unescaped = re.findall(r"(?<!\\)\|", row)
    assert len(unescaped) == 7  # six columns, no extra cell from the handler's pipe


def test_markdown_summary_names_the_most_urgent(report: Report) -> None:
    head = render(report, "markdown").split("## 1. Overview")[0]
    assert "1 critical, 1 high, 1 medium and 1 low findings" in head
    assert report.findings[0].title in head


def test_markdown_keeps_runner_order(report: Report) -> None:
    text = render(report, "markdown")
    positions = [text.index(f"### {n}. {f.title}") for n, f in
                 enumerate(report.findings, start=1)]
    assert positions == sorted(positions)


def test_markdown_helpers() -> None:
    assert cell("a | b\nc") == "a \\| b c"
    assert code("x`y") == "``x`y``"
    assert fence("```\ninner\n```", "md")[0] == "````md"


def test_json_finding_fields(report: Report) -> None:
    data = json.loads(render(report, "json"))
    first = data["findings"][0]
    assert first["concern"] == "sql-injection" and first["category"] == "security"
    assert first["cwe"] == [89] and first["cwe_ids"] == ["CWE-89"]
    assert len(first["evidence"]) == 3 and first["fingerprint"]
    assert data["schema_version"] == report.schema_version
    assert data["overview"]["severity_counts"] == {"critical": 1, "high": 1, "medium": 1, "low": 1}


def test_sarif_rules_and_results(report: Report) -> None:
    run = json.loads(render(report, "sarif"))["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert list(rules) == [f.concern for f in report.findings]
    sqli = rules["sql-injection"]["properties"]
    assert sqli["tags"] == ["security", "sql-injection", "CWE-89", "external/cwe/cwe-089"]
    assert sqli["security-severity"] == "9.5" and sqli["precision"] == "high"
    levels = [result["level"] for result in run["results"]]
    assert levels == ["error", "error", "warning", "note"]
    taint = run["results"][0]
    assert len(taint["codeFlows"][0]["threadFlows"][0]["locations"]) == 3
    assert taint["partialFingerprints"] == {"servicelens/v1": report.findings[0].fingerprint}
    assert taint["properties"]["severity"] == "critical"


def test_sarif_diagnostics_are_notifications(report: Report) -> None:
    run = json.loads(render(report, "sarif"))["runs"][0]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == [d.kind for d in report.diagnostics]


def test_empty_report_renders_in_every_format(report: Report) -> None:
    empty = replace(report, findings=(), risks=(), open_questions=(), diagnostics=(),
                    overview=replace(report.overview, services=(), diagram="",
                                     severity_counts=()))
    for fmt in ("markdown", "json", "sarif", "html"):
        assert render(empty, fmt).endswith("\n")
    assert "no findings" in render(empty, "markdown").lower()


def _repeated(report: Report, times: int) -> Report:
    """The missing-timeout finding at `times` places (same concern, rule and severity)."""
    [timeout] = [f for f in report.findings if f.concern == "missing-timeout"]
    copies = tuple(replace(timeout, location=replace(timeout.location, start_line=timeout.location.start_line + 10 * n,
                                                    end_line=timeout.location.end_line + 10 * n))
                   for n in range(times))
    return replace(report, findings=(*[f for f in report.findings if f is not timeout], *copies))


def test_a_pattern_at_many_places_is_one_recommendation_listing_its_sites(report: Report) -> None:
    grouped = _repeated(report, 4)
    page = render(grouped, "markdown")
    assert page.count("(and 3 more places like it)") == 1
    assert "**The same at 3 more places**" in page
    lines = [f.location.start_line for f in grouped.findings if f.concern == "missing-timeout"]
    assert all(f":{line}" in page for line in lines)  # every site still named
    html = render(grouped, "html")
    assert html.count('class="finding sev-') == len(report.findings)  # 4 sites -> 1 card
    assert json.loads(render(grouped, "json"))["findings"].__len__() == len(grouped.findings)  # machines get all


def test_a_pattern_at_two_places_stays_two_recommendations(report: Report) -> None:
    page = render(_repeated(report, 2), "markdown")
    assert "more place" not in page
