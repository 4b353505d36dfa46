"""Bounded excerpts: the report quotes the reviewed code, never copies it wholesale.

Snippets and evidence quote source lines. A minified or generated file can put megabytes
on one line (a one-line JSON contract), and every finding on it would quote all of it: a
1.7 MB line made a 98 MB report. So every quoted line is cut to a window of `LINE_WIDTH`
characters around the place the finding cites, with `…` marking each side that was cut;
blocks keep at most `MAX_LINES` lines; free text (titles, descriptions, names) is capped.
Names the repository chose (services, endpoint paths, handlers, images), open questions
and diagnostics are capped the same way. The report then grows with the number of
findings, not with the length of lines.

Where a finding carries no column, the window is put around the first thing its title
names (a backticked name, a path) that occurs on the line, else at the line's start.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from servicelens.model.finding import Construction, Finding, Fix, TraceStep
from servicelens.model.report import Diagnostic, OpenQuestion, Overview, Service

ELLIPSIS = "…"
LINE_WIDTH = 200  # per quoted source line: real code lines stay whole, minified ones are cut
MAX_LINES = 12  # per quoted snippet or evidence block; snippets are cut at 5 lines already
MAX_FIX_LINES = 60  # a fix's example code is ours, but may quote the repository's names
MAX_STEPS = 200  # evidence steps per finding
INLINE_WIDTH = 300  # titles, step descriptions, names
TEXT_WIDTH = 2000  # explanations, messages
_LEAD = LINE_WIDTH // 3  # context kept before the cited column
_MAX_TOKENS = 3
_BACKTICKED = re.compile(r"`([^`]+)`")
_PATH_LIKE = re.compile(r"[^\s`'\"(),]*[/.][^\s`'\"(),]+")


def excerpt_line(line: str, column: int = 0, width: int = LINE_WIDTH) -> str:
    """`line` cut to `width` characters around `column` (0-based), `…` on each cut side."""
    if len(line) <= width:
        return line
    start = min(max(0, column - _LEAD), len(line) - width)
    end = start + width
    return (ELLIPSIS if start > 0 else "") + line[start:end] + (ELLIPSIS if end < len(line) else "")


def excerpt_code(text: str, column: int = 0, hint: str = "", width: int = LINE_WIDTH,
                 max_lines: int = MAX_LINES) -> str:
    """A quoted block: at most `max_lines` lines, each cut around its cited place. The
    first line is cut around `column`; without one, around the first `hint` it contains."""
    lines = text.split("\n")
    kept = lines[:max_lines]
    out = []
    for index, line in enumerate(kept):
        where = column if index == 0 and column > 0 else anchor_column(line, hint)
        out.append(excerpt_line(line, where, width))
    if len(lines) > max_lines:
        out.append(f"{ELLIPSIS} ({len(lines) - max_lines} more lines)")
    return "\n".join(out)


def anchor_column(line: str, hint: str) -> int:
    """Where on `line` the first thing `hint` names occurs (0 when none does)."""
    if len(line) <= LINE_WIDTH or not hint:
        return 0
    for token in _tokens(hint)[:_MAX_TOKENS]:  # each miss scans the whole line
        at = line.find(token)
        if at >= 0:
            return at
    return 0


def _tokens(hint: str) -> list[str]:
    """Names a title cites: backticked spans first, then path- or dotted-looking words."""
    found = [m.group(1).strip() for m in _BACKTICKED.finditer(hint)]
    found += [m.group(0) for m in _PATH_LIKE.finditer(_BACKTICKED.sub(" ", hint))]
    return [t for t in found if len(t) >= 2]


def quote_line(lines: Sequence[str], line: int, hint: str = "") -> str:
    """The 1-based `line` of `lines` as a bounded, stripped excerpt ("" when out of range)."""
    if not 1 <= line <= len(lines):
        return ""
    raw = lines[line - 1]
    return excerpt_line(raw, anchor_column(raw, hint)).strip()


def clip(text: str, width: int = INLINE_WIDTH) -> str:
    """Free text cut to `width` characters, with `…` where it was cut."""
    return text if len(text) <= width else text[:width] + ELLIPSIS


def bounded_step(step: TraceStep, hint: str = "") -> TraceStep:
    """The step's own words name what its code shows first; the finding's title second."""
    return replace(step, code=excerpt_code(step.code, step.location.start_col, f"{step.description} {hint}"),
                   description=clip(step.description))


def bounded_evidence(steps: tuple[TraceStep, ...], hint: str) -> tuple[TraceStep, ...]:
    """At most `MAX_STEPS` steps (an aggregate over many workloads lists them all up to
    there), then one closing step saying how many more there were."""
    kept = tuple(bounded_step(s, hint) for s in steps[:MAX_STEPS])
    if len(steps) <= MAX_STEPS:
        return kept
    return (*kept, TraceStep(steps[MAX_STEPS].location, f"{ELLIPSIS} and {len(steps) - MAX_STEPS} more places"))


def bounded_finding(finding: Finding) -> Finding:
    """Every text a finding carries, cut to its bound (a no-op for ordinary findings)."""
    title = clip(finding.title)
    group = finding.group
    if group is not None:
        group = Construction(group.location, excerpt_code(group.code), clip(group.name), clip(group.title),
                             _bounded_fix(group.fix))
    return replace(
        finding,
        title=title,
        why=clip(finding.why, TEXT_WIDTH),
        snippet=excerpt_code(finding.snippet, finding.location.start_col, title),
        evidence=bounded_evidence(finding.evidence, title),
        fix=_bounded_fix(finding.fix),
        group=group,
    )


def _bounded_fix(fix: Fix | None) -> Fix | None:
    if fix is None:
        return None
    return Fix(clip(fix.description, TEXT_WIDTH), excerpt_code(fix.code, max_lines=MAX_FIX_LINES), fix.language)


def bounded_overview(overview: Overview) -> Overview:
    """Names the repository chose (services, paths, handlers, images) cut to their bound."""
    return replace(overview, services=tuple(_bounded_service(s) for s in overview.services))


def _bounded_service(service: Service) -> Service:
    return replace(
        service, name=clip(service.name), root=clip(service.root),
        endpoints=tuple(replace(e, path=clip(e.path), handler=clip(e.handler), auth_evidence=clip(e.auth_evidence))
                        for e in service.endpoints),
        outbound_calls=tuple(replace(c, target=clip(c.target)) for c in service.outbound_calls),
        deployables=tuple(replace(d, name=clip(d.name), image=clip(d.image)) for d in service.deployables),
    )


def bounded_question(question: OpenQuestion) -> OpenQuestion:
    return OpenQuestion(clip(question.question, TEXT_WIDTH), clip(question.assumption, TEXT_WIDTH),
                        clip(question.context, TEXT_WIDTH))


def bounded_diagnostic(diagnostic: Diagnostic) -> Diagnostic:
    return replace(diagnostic, message=clip(diagnostic.message, TEXT_WIDTH))
