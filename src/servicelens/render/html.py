"""HTML renderer: one self-contained page, readable offline and safe to open.

Inline CSS and a few lines of vanilla JS (severity and category filters) ship from
`render/templates/`; a Content-Security-Policy forbids every external request, and all
report text is escaped, because findings quote code an attacker may have written.
"""
from __future__ import annotations

from servicelens.model.concerns import TAINT_CONCERNS

from collections import Counter
from importlib import resources

from servicelens.model import Construction, Finding, Location, Report, TraceStep
from servicelens.render.common import (
    SEVERITIES,
    code_language,
    split_sites,
    count_phrase,
    cwe_ids,
    endpoint_count,
    finding_groups,
    plural,
    severity_counts,
    shared_construction,
    snippet_of,
    urgent,
)
from servicelens.render.html_parts import (
    badge,
    esc,
    numbered_code,
    plain_code,
    prose,
    section,
    where,
)
from servicelens.render.html_sections import diagnostics, open_questions, overview, risks, stats

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'")


def render_html(report: Report) -> str:
    title = f"servicelens review: {report.root}"
    body = "".join([_header(report), _nav(), '<main class="wrap">', _urgent(report),
                    overview(report), _findings(report), risks(report),
                    open_questions(report), diagnostics(report), stats(report), "</main>"])
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            f"<title>{esc(title)}</title><style>{_asset('page.css')}</style></head>\n"
            f"<body>{body}<script>{_asset('page.js')}</script></body></html>\n")


def _asset(name: str) -> str:
    """CSS and JS live beside the templates so they can be edited as CSS and JS."""
    return resources.files("servicelens.render").joinpath("templates", name).read_text("utf-8")


def _header(report: Report) -> str:
    counts = severity_counts(report)
    tiles = "".join(
        f'<a class="count sev-{name}{" zero" if not counts[name] else ""}" href="#findings">'
        f"<b>{counts[name]}</b><span>{name}</span></a>" for name in SEVERITIES)
    services = len(report.overview.services)
    lede = (f"{count_phrase(report).capitalize()} across {plural(services, 'service')} and "
            f"{plural(endpoint_count(report), 'endpoint')}.")
    if report.diagnostics:
        lede += f" {plural(len(report.diagnostics), 'file')} could not be fully reviewed."
    return (f'<header class="top"><div class="wrap"><div class="brand">servicelens review</div>'
            f"<h1>Service review: <code>{esc(report.root)}</code></h1>"
            f'<p class="lede">{esc(lede)}</p><div class="counts">{tiles}</div></div></header>')


def _nav() -> str:
    links = [("overview", "Overview"), ("findings", "Recommendations"),
             ("risks", "Risks"), ("questions", "Open questions"), ("diagnostics", "Diagnostics")]
    return ('<nav class="toc wrap">'
            + "".join(f'<a href="#{anchor}">{label}</a>' for anchor, label in links) + "</nav>")


def _urgent(report: Report) -> str:
    """The few findings to fix first, linked to their cards."""
    first = urgent(report)
    if not first:
        return ""
    index = {id(finding): n for n, (finding, _) in enumerate(finding_groups(report.findings), start=1)}
    entries = "".join(
        f'<li>{badge(f.severity.value)} <a href="#finding-{index[id(f)]}">{prose(f.title)}</a> '
        f"{where(f.location)}</li>" for f in first)
    return f'<section class="panel urgent"><h3>Fix first</h3><ol>{entries}</ol></section>'


def _findings(report: Report) -> str:
    """Part 2: filter bar, then one card per finding in the runner's order."""
    if not report.findings:
        return section("findings", "2. Recommendations", '<p class="empty">No findings.</p>')
    cards = "".join(_card(n, f, others) for n, (f, others) in enumerate(finding_groups(report.findings), start=1))
    return section("findings", "2. Recommendations", _filters(report) + cards)


def _filters(report: Report) -> str:
    severity = Counter(f.severity.value for f in report.findings)
    category = Counter(f.category.value for f in report.findings)
    sev_buttons = [(name, f"{name} {severity[name]}") for name in SEVERITIES if severity[name]]
    cat_buttons = [(name, f"{name} {n}") for name, n in sorted(category.items())]
    return ('<div class="filters">' + _group("severity", "Severity", sev_buttons)
            + _group("category", "Category", cat_buttons)
            + f'<span class="shown" id="shown">{len(report.findings)} shown</span></div>')


def _group(key: str, label: str, buttons: list[tuple[str, str]]) -> str:
    chips = [("all", "all"), *buttons]
    rendered = "".join(
        f'<button type="button" class="chip{" active" if value == "all" else ""}" '
        f'data-value="{esc(value)}" aria-pressed="{"true" if value == "all" else "false"}">'
        f"{esc(text)}</button>" for value, text in chips)
    return (f'<div class="filter-group" data-filter="{key}">'
            f'<span class="label">{esc(label)}</span>{rendered}</div>')


def _card(number: int, finding: Finding, others: tuple[Finding, ...] = ()) -> str:
    made = shared_construction(finding, others)
    if made is not None:
        return _construction_card(number, made, (finding, *others))
    sev, cat = finding.severity.value, finding.category.value
    more = f" (and {plural(len(others), 'more place')} like it)" if others else ""
    head = (f'<div class="finding-head"><span class="num">{number}.</span>{badge(sev)}'
            f"<h3>{prose(finding.title)}{esc(more)}</h3></div>")
    plain, objects = split_sites(finding, others)
    sites = ("" if not plain else f"<h4>The same at {plural(len(plain), 'more place')}</h4><ul class=\"sites\">"
             + "".join(f"<li>{where(f.location)} {prose(f.title)}</li>" for f in plain) + "</ul>") \
        + _construction_list(objects)
    return (f'<article class="finding sev-{sev}" id="finding-{number}" data-severity="{sev}" '
            f'data-category="{esc(cat)}">{head}{_meta(finding)}{_evidence(finding)}'
            f'<h4>Why it matters</h4><p class="why">{prose(finding.why)}</p>{_fix(finding)}{sites}'
            "</article>")


def _construction_list(objects: list[tuple[Construction, tuple[Finding, ...]]]) -> str:
    """Within a repeated pattern, the calls on each client object, fixed once where it is made."""
    if not objects:
        return ""
    calls = sum(len(found) for _, found in objects)
    first = objects[0][0].fix
    head = (f"<h4>{esc(plural(calls, 'call'))} go through {esc(plural(len(objects), 'client object'))}, each fixed "
            "once where it is made</h4>" + (f"<p>{prose(first.description)}</p>" if first is not None else ""))
    rows = "".join(f"<li>{where(made.location)} <code>{esc(made.code)}</code>: "
                   + ", ".join(where(f.location) for f in found) + "</li>" for made, found in objects)
    return f'{head}<ul class="sites">{rows}</ul>'


def _construction_card(number: int, made: Construction, sites: tuple[Finding, ...]) -> str:
    """Calls on one client object: the place it is made, its one fix there, the calls it covers."""
    lead = sites[0]
    sev, cat = lead.severity.value, lead.category.value
    count = f" (at {plural(len(sites), 'place')})"
    head = (f'<div class="finding-head"><span class="num">{number}.</span>{badge(sev)}'
            f"<h3>{prose(made.title)}{esc(count)}</h3></div>")
    fix = made.fix
    fixed = "" if fix is None else (f"<h4>Fix, once, where it is made</h4><p>{prose(fix.description)}</p>"
                                    + (plain_code(fix.code, fix.language, "code plain fix") if fix.code else ""))
    calls = (f"<h4>The {plural(len(sites), 'call')} it covers</h4><ul class=\"sites\">"
             + "".join(f"<li>{where(f.location)} {prose(f.title)}</li>" for f in sites) + "</ul>")
    return (f'<article class="finding sev-{sev}" id="finding-{number}" data-severity="{sev}" '
            f'data-category="{esc(cat)}">{head}{_meta(lead, made.location)}<h4>Where it is made</h4>'
            f"{numbered_code(made.code, made.location.start_line)}"
            f'<h4>Why it matters</h4><p class="why">{prose(lead.why)}</p>{fixed}{calls}</article>')


def _meta(finding: Finding, at: Location | None = None) -> str:
    cwes = " ".join(f'<span class="tag">{esc(c)}</span>' for c in cwe_ids(finding.cwe))
    return (f'<div class="meta"><span>concern <code>{esc(finding.concern)}</code></span>'
            f"{('<span>' + cwes + '</span>') if cwes else ''}"
            f"<span>{esc(finding.category.value)}</span>"
            f"<span>confidence {esc(finding.confidence.value)}</span>"
            f"<span>{where(at or finding.location)}</span></div>")


def _evidence(finding: Finding) -> str:
    if not finding.evidence:
        snippet = snippet_of(finding)
        if not snippet:
            return ""
        return "<h4>Evidence</h4>" + numbered_code(snippet, finding.location.start_line)
    title = "Evidence: source to sink" if _is_path(finding) else "Evidence"
    steps = "".join(_step(step) for step in finding.evidence)
    single = " single" if len(finding.evidence) == 1 else ""
    return f'<h4>{title}</h4><ol class="steps{single}">{steps}</ol>'


def _step(step: TraceStep) -> str:
    code_block = numbered_code(step.code, step.location.start_line) if step.code else ""
    return (f'<li><div class="step-head">{where(step.location)}{prose(step.description)}</div>'
            f"{code_block}</li>")


def _fix(finding: Finding) -> str:
    fix = finding.fix
    if fix is None:
        return ""
    language = fix.language or code_language(finding.location.path)
    block = plain_code(fix.code, language, "code plain fix") if fix.code else ""
    return f"<h4>Fix</h4><p>{prose(fix.description)}</p>{block}"


def _is_path(finding: Finding) -> bool:
    """Taint evidence reads as a path from the source to the sink; other evidence is a list."""
    return finding.rule.startswith("taint-") or finding.concern in TAINT_CONCERNS
