"""Markdown renderer: the default, written to be read like a principal engineer's review.

Layout: a short summary naming the most urgent problems, then the four parts of
DESIGN.md (overview, recommendations, risks, open questions), then diagnostics and stats.
Findings appear in the order the runner gave them.
"""
from __future__ import annotations

from servicelens.model.concerns import TAINT_CONCERNS

from servicelens.model import Finding, Report, TraceStep
from servicelens.render.common import (
    code_language,
    count_phrase,
    cwe_ids,
    endpoint_count,
    finding_groups,
    held_back_note,
    REACH_PHRASES,
    scope_note,
    line_span,
    plural,
    snippet_of,
    urgent,
)
from servicelens.render.markdown_overview import (
    diagnostics,
    open_questions,
    overview,
    risks,
    stats,
)
from servicelens.render.markdown_text import code, fence
from servicelens.render.safe_text import md_inline


def render_markdown(report: Report) -> str:
    sections = [summary(report), overview(report), recommendations(report), risks(report),
                open_questions(report), diagnostics(report), stats(report)]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def summary(report: Report) -> list[str]:
    """The paragraph a busy lead reads instead of the report: how bad, and what first."""
    services = len(report.overview.services)
    scope = (f"across {plural(services, 'service')} and "
             f"{plural(endpoint_count(report), 'endpoint')}")
    lines = [f"# Service review: {code(report.root)}", "",
             f"**{count_phrase(report).capitalize()}** {scope}."]
    if report.diagnostics:
        lines[-1] += (f" {plural(len(report.diagnostics), 'file')} could not be fully reviewed"
                      " (see Diagnostics).")
    scoped = scope_note(report)
    if scoped:
        lines += ["", f"**Scope:** {md_inline(scoped)}"]
    first = urgent(report)
    if first:
        lines += ["", "**Verdict:** fix these before shipping:", ""]
        lines += [f"{n}. **{md_inline(f.title)}** ({f.severity.value}, {code(line_span(f.location))})"
                  for n, f in enumerate(first, start=1)]
    elif report.findings:
        lines += ["", "**Verdict:** nothing critical or high"
                  + (" among the findings measured worth acting on" if report.stats.held_back_severe else "")
                  + "; the findings below are worth scheduling, not an emergency."]
    note = held_back_note(report)
    if note:
        lines += ["", f"_{note}_"]
    return lines


def recommendations(report: Report) -> list[str]:
    """Part 2: every finding, most important first, each proven by its evidence."""
    lines = ["## 2. Recommendations"]
    if not report.findings:
        return [*lines, "", "_No findings._"]
    for number, (finding, others) in enumerate(finding_groups(report.findings), start=1):
        lines += ["", *finding_block(number, finding, others)]
    return lines


def finding_block(number: int, finding: Finding, others: tuple[Finding, ...] = ()) -> list[str]:
    evidence = _evidence(finding)
    title = md_inline(finding.title) + (f" (and {plural(len(others), 'more place')} like it)" if others else "")
    lines = [f"### {number}. {title}", "", _meta_line(finding), "",
             *evidence, *([""] if evidence else []), "**Why it matters.** " + md_inline(finding.why)]
    if finding.fix is not None:
        lines += ["", f"**Fix.** {md_inline(finding.fix.description)}"]
        if finding.fix.code:
            lines += ["", *fence(finding.fix.code, finding.fix.language)]
    if finding.held_back:
        lines += ["", f"_Extended profile only: {md_inline(finding.held_back)}._"]
    if others:
        lines += ["", f"**The same at {plural(len(others), 'more place')}** (each with its own fix in the JSON "
                  "and SARIF reports):", ""]
        lines += [f"- {code(line_span(f.location))}: {md_inline(f.title)}" for f in others]
    return lines


def _meta_line(finding: Finding) -> str:
    cwes = ", ".join(cwe_ids(finding.cwe))
    concern = f"{code(finding.concern)} ({cwes})" if cwes else code(finding.concern)
    return " · ".join([f"**{finding.severity.value.capitalize()}**",
                       f"confidence {finding.confidence.value}", finding.category.value,
                       concern, code(line_span(finding.location)),
                       *([f"runs {REACH_PHRASES[finding.reach]}"] if finding.reach in REACH_PHRASES else [])])


def _evidence(finding: Finding) -> list[str]:
    """Taint paths as numbered steps; a lone snippet as one code block."""
    if len(finding.evidence) == 1:
        return ["**Evidence.**", "", *_step("", finding.evidence[0])[:-1]]
    if not finding.evidence:
        snippet = snippet_of(finding)
        if not snippet:
            return []
        return ["**Evidence.**", "", *fence(snippet, code_language(finding.location.path))]
    lines = ["**Evidence** (source to sink):" if _is_path(finding) else "**Evidence.**", ""]
    for number, step in enumerate(finding.evidence, start=1):
        lines += _step(f"{number}. ", step)
    return lines[:-1]


def _step(marker: str, step: TraceStep) -> list[str]:
    """One evidence step; code is indented under a list marker so it stays in the item."""
    lines = [f"{marker}{code(line_span(step.location))}: {md_inline(step.description)}"]
    if step.code:
        indent = " " * len(marker)
        lines += ["", *fence(step.code, code_language(step.location.path), indent=indent)]
    return [*lines, ""]


def _is_path(finding: Finding) -> bool:
    """Taint evidence reads as a path from the source to the sink; other evidence is a list."""
    return finding.rule.startswith("taint-") or finding.concern in TAINT_CONCERNS
