"""The JSON the tools return. Built from the report's own stable JSON form
(render/json_report.py), so an agent and a CI job see the same fields and values.

A review page carries compact findings (enough to rank and cite: id, place, evidence
steps, fix); `finding(id)` gives one in full with the code around every evidence step.
Nothing is cut silently: lists longer than a page say their total and how to get the rest.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from servicelens.model import Finding, Report
from servicelens.render.common import cwe_ids
from servicelens.render.json_report import finding_payload, report_payload
from servicelens.render.safe_text import data_tree
from servicelens.sources.reading import decode_source
from servicelens.sources.safe_read import RefusedFile, read_capped

Json = dict[str, Any]
CONTEXT_LINES = 3  # lines shown before and after each evidence step
MAX_STEP_LINES = 40  # a step spanning more lines is shown from its start, and says so
MAX_CONTEXT_FILE_BYTES = 5_000_000
DIAGNOSTICS_SHOWN = 20


def finding_summary(finding: Finding) -> Json:
    """What an agent needs to rank and cite a finding; `finding(id)` has the rest."""
    loc = finding.location
    fix = None if finding.fix is None else {"description": finding.fix.description, "code": finding.fix.code,
                                             "language": finding.fix.language}
    return data_tree({
        "id": finding.fingerprint,
        "concern": finding.concern,
        "category": finding.category.value,
        "cwe": cwe_ids(finding.cwe),
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "title": finding.title,
        "file": loc.path,
        "line": loc.start_line,
        "end_line": loc.end_line,
        "evidence": [{"file": s.location.path, "line": s.location.start_line, "description": s.description}
                     for s in finding.evidence],
        "fix": fix,
        "reach": finding.reach,
        "held_back": finding.held_back,
    })


def review_page(report: Report, offset: int, size: int, cursor_token: str, first: bool) -> Json:
    """One page of findings; the first page also carries the overview, open questions,
    risks and diagnostics (later pages only findings, so paging stays cheap)."""
    total = len(report.findings)
    page = report.findings[offset:offset + size]
    end = offset + len(page)
    out: Json = {
        "root": report.root,
        "findings_total": total,
        "findings_offset": offset,
        "findings_returned": len(page),
        "next_cursor": f"{end}:{cursor_token}" if end < total else None,
        "findings": [finding_summary(f) for f in page],
    }
    if end < total:
        out["more"] = (f"{total - end} more findings: call review again with the same arguments and "
                       f"cursor={out['next_cursor']!r}")
    if first:
        full = report_payload(report)
        out["summary"] = full["summary"]
        out["overview"] = data_tree(full["overview"])
        out["open_questions"] = data_tree(full["open_questions"])
        out["risks"] = data_tree(full["risks"])
        diagnostics = full["diagnostics"]
        out["diagnostics_total"] = len(diagnostics)
        out["diagnostics"] = data_tree(diagnostics[:DIAGNOSTICS_SHOWN])
        if len(diagnostics) > DIAGNOSTICS_SHOWN:
            out["diagnostics_note"] = (f"the first {DIAGNOSTICS_SHOWN} of {len(diagnostics)} diagnostics; "
                                       "`servicelens review PATH -f json` lists all of them")
        out["stats"] = full["stats"]
    return out


def finding_detail(finding: Finding, base: Path, overlay: dict[str, str]) -> Json:
    """The finding in the report's own JSON form plus the code around each evidence step
    (the flagged location itself when there is no evidence trail)."""
    out = data_tree(finding_payload(finding))
    out["id"] = finding.fingerprint
    files: dict[str, list[str] | str] = {}
    steps = [s.location for s in finding.evidence] or [finding.location]
    spans = dict.fromkeys((loc.path, loc.start_line, loc.end_line) for loc in steps)  # two steps, one line: one excerpt
    out["context"] = [_context(rel, start, end, base, overlay, files) for rel, start, end in spans]
    return out


def _context(rel: str, start: int, end: int, base: Path, overlay: dict[str, str],
             files: dict[str, list[str] | str]) -> Json:
    if rel not in files:
        files[rel] = _lines(rel, base, overlay)
    lines = files[rel]
    if isinstance(lines, str):
        return {"file": rel, "line": start, "unavailable": lines}
    end = max(end, start)
    shown_end = min(end, start + MAX_STEP_LINES - 1)
    first = max(1, start - CONTEXT_LINES)
    last = min(len(lines), shown_end + CONTEXT_LINES)
    out: Json = {"file": rel, "line": start, "end_line": end,
                 "code": [{"line": n, "text": lines[n - 1]} for n in range(first, last + 1)]}
    if shown_end < end:
        out["note"] = f"lines {shown_end + 1}-{end} of this step are not shown"
    return data_tree(out)


def _lines(rel: str, base: Path, overlay: dict[str, str]) -> list[str] | str:
    """The file's lines, from the overlay when the report was made with one; a reason
    string when it cannot be read (changed, gone, or would lead outside the tree)."""
    if rel in overlay:
        return overlay[rel].splitlines()
    target = base / rel
    try:
        if not target.resolve().is_relative_to(base.resolve()):
            return "the file resolves outside the reviewed tree; not read"
        read = read_capped(target, MAX_CONTEXT_FILE_BYTES)
    except RefusedFile as exc:
        return exc.reason
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if read.over_cap:
        return "the file is too large to quote"
    text, _ = decode_source(rel, read.data)
    return text.splitlines()


def compare(before: Report, after: Report, rel: str) -> Json:
    """What a change did, by fingerprint: findings it removes and introduces."""
    old = {f.fingerprint: f for f in before.findings}
    new = {f.fingerprint: f for f in after.findings}
    removed = [f for f in before.findings if f.fingerprint not in new]
    introduced = [f for f in after.findings if f.fingerprint not in old]
    diagnostics = [d for d in report_payload(after)["diagnostics"] if d["path"] == rel]
    out: Json = {
        "file": rel,
        "removed": [finding_summary(f) for f in removed],
        "introduced": [finding_summary(f) for f in introduced],
        "unchanged": len(new) - len(introduced),
        "findings_before": len(before.findings),
        "findings_after": len(after.findings),
        "file_diagnostics": data_tree(diagnostics),
    }
    if diagnostics:
        out["note"] = ("the new content has diagnostics (see file_diagnostics); findings it 'removes' "
                       "may only be unseen, not fixed")
    return out
