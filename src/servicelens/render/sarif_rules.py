"""SARIF `rules[]`: one reporting descriptor per concern that appears in the report.

GitHub code scanning reads severity, precision and CWE filters from the rule, not from
each result, so these are derived here from the findings the report carries.
"""
from __future__ import annotations

from typing import Any, Final

from servicelens.model import Finding, Report, Severity, load_taxonomy
from servicelens.render.common import cwe_ids, sarif_cwe_tag

SECURITY_SEVERITY: Final = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
LEVEL: Final = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}

Json = dict[str, Any]


def rule_ids(report: Report) -> list[str]:
    """Concern ids in order of first appearance, so `ruleIndex` is stable for a report."""
    return list(dict.fromkeys(finding.concern for finding in report.findings))


def build_rules(report: Report) -> list[Json]:
    return [_rule(concern, report.findings) for concern in rule_ids(report)]


def _rule(concern: str, findings: tuple[Finding, ...]) -> Json:
    """A rule's level and scores take the worst of its findings: the alert should not undersell."""
    own = [finding for finding in findings if finding.concern == concern]
    worst = max(own, key=lambda finding: finding.severity.rank)
    surest = max(own, key=lambda finding: finding.confidence.rank)
    description = _description(concern, worst)
    return {
        "id": concern,
        "name": _pascal(concern),
        "shortDescription": {"text": description},
        "fullDescription": {"text": _full_text(worst, description)},
        "help": {"text": _help_text(concern, worst, description),
                 "markdown": _help_markdown(concern, worst, description)},
        "defaultConfiguration": {"level": LEVEL[worst.severity.value]},
        "properties": {
            "tags": tags(worst),
            "precision": surest.confidence.value,
            "security-severity": SECURITY_SEVERITY[worst.severity.value],
        },
    }


def tags(finding: Finding) -> list[str]:
    """Category, concern, CWE ids in both the human and the code-scanning convention."""
    return [finding.category.value, finding.concern, *cwe_ids(finding.cwe),
            *(sarif_cwe_tag(number) for number in finding.cwe)]


def _description(concern: str, finding: Finding) -> str:
    """The taxonomy wording; a concern unknown to it still gets a readable line."""
    taxonomy = load_taxonomy()
    text = taxonomy[concern].description if concern in taxonomy else finding.title
    return text[:1].upper() + text[1:]


def _full_text(finding: Finding, description: str) -> str:
    cwes = ", ".join(cwe_ids(finding.cwe)) or "no CWE"
    return f"{description} ({finding.category.value}; {cwes})."


def _cwe_links(finding: Finding) -> list[tuple[str, str]]:
    """(`CWE-89`, its MITRE page): help text is read by people who want the background."""
    return [(f"CWE-{n}", f"https://cwe.mitre.org/data/definitions/{n}.html")
            for n in finding.cwe]


def _help_text(concern: str, finding: Finding, description: str) -> str:
    lines = [f"{description}.", f"Category: {finding.category.value}."]
    lines += [f"{cwe}: {url}" for cwe, url in _cwe_links(finding)]
    lines.append(f"Run `servicelens explain {concern}` for examples and the fix.")
    return "\n".join(lines)


def _help_markdown(concern: str, finding: Finding, description: str) -> str:
    links = ", ".join(f"[{cwe}]({url})" for cwe, url in _cwe_links(finding))
    parts = [f"**{description}.**", f"Category: `{finding.category.value}`."]
    if links:
        parts.append(f"Weaknesses: {links}.")
    parts.append(f"Run `servicelens explain {concern}` for examples and the fix.")
    return "\n\n".join(parts)


def _pascal(concern: str) -> str:
    """`sql-injection` -> `SqlInjection`: the `name` form SARIF viewers expect."""
    return "".join(part.capitalize() for part in concern.split("-"))


def level(severity: Severity) -> str:
    return LEVEL[severity.value]
