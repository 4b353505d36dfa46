"""Markdown renderer: the default, written to be read like a principal engineer's review.

Layout: a short summary naming the most urgent problems, then the four parts of
DESIGN.md (overview, recommendations, risks, open questions), then diagnostics and stats.
Findings appear in the order the runner gave them.
"""
from __future__ import annotations

from servicelens.model.concerns import TAINT_CONCERNS

from servicelens.model import Construction, Finding, Fix, Location, Report, TraceStep
from servicelens.render.common import (
    code_language,
    split_sites,
    count_phrase,
    cwe_ids,
    endpoint_count,
    finding_groups,
    held_back_note,
    REACH_PHRASES,
    scope_note,
    shared_construction,
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
    made = shared_construction(finding, others)
    if made is not None:
        return _construction_block(number, made, (finding, *others))
    evidence = _evidence(finding)
    title = md_inline(finding.title) + (f" (and {plural(len(others), 'more place')} like it)" if others else "")
    lines = [f"### {number}. {title}", "", _meta_line(finding), "",
             *evidence, *([""] if evidence else []), "**Why it matters.** " + md_inline(finding.why),
             *_fix_lines("Fix.", finding.fix), *_held_back_lines(finding)]
    plain, objects = split_sites(finding, others)
    if plain:
        lines += _site_lines(f"**The same at {plural(len(plain), 'more place')}** (each with its own fix in the JSON "
                             "and SARIF reports):", plain)
    return lines + _construction_lines(objects)


def _construction_lines(objects: list[tuple[Construction, tuple[Finding, ...]]]) -> list[str]:
    """Within a repeated pattern, the calls on one client object: each object is fixed once where it
    is made (its `group.fix` in JSON: shown here for the first)."""
    if not objects:
        return []
    calls = sum(len(found) for _, found in objects)
    first = objects[0][0]
    lines = ["", f"**{plural(calls, 'call')} go through {plural(len(objects), 'client object')}, each fixed once "
             "where it is made**" + (f": {md_inline(first.fix.description)}" if first.fix is not None else ""), ""]
    lines += [f"- {code(line_span(made.location))} {code(made.code)}: "
              + ", ".join(code(line_span(f.location)) for f in found) for made, found in objects]
    if first.fix is not None and first.fix.code:
        lines += ["", f"For {code(first.name)}:", "", *fence(first.fix.code, first.fix.language)]
    return lines


def _construction_block(number: int, made: Construction, sites: tuple[Finding, ...]) -> list[str]:
    """Calls on one client object: one recommendation at the place it is made, its one fix there,
    then the calls it covers (each still a finding of its own in JSON and SARIF)."""
    lead = sites[0]
    return [f"### {number}. {md_inline(made.title)} (at {plural(len(sites), 'place')})", "",
            _meta_line(lead, made.location), "", "**Where it is made.**", "",
            *fence(made.code, code_language(made.location.path)), "", "**Why it matters.** " + md_inline(lead.why),
            *_fix_lines("Fix, once, where it is made.", made.fix), *_held_back_lines(lead),
            *_site_lines(f"**The {plural(len(sites), 'call')} it covers** (each with its own fix in the JSON and "
                         "SARIF reports):", sites)]


def _fix_lines(label: str, fix: Fix | None) -> list[str]:
    if fix is None:
        return []
    return ["", f"**{label}** {md_inline(fix.description)}", *(["", *fence(fix.code, fix.language)] if fix.code else [])]


def _held_back_lines(finding: Finding) -> list[str]:
    return ["", f"_Extended profile only: {md_inline(finding.held_back)}._"] if finding.held_back else []


def _site_lines(heading: str, sites: tuple[Finding, ...]) -> list[str]:
    return ["", heading, "", *(f"- {code(line_span(f.location))}: {md_inline(f.title)}" for f in sites)]


def _meta_line(finding: Finding, at: Location | None = None) -> str:
    cwes = ", ".join(cwe_ids(finding.cwe))
    concern = f"{code(finding.concern)} ({cwes})" if cwes else code(finding.concern)
    return " · ".join([f"**{finding.severity.value.capitalize()}**",
                       f"confidence {finding.confidence.value}", finding.category.value,
                       concern, code(line_span(at or finding.location)),
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
