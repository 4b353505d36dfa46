"""Scoped reports: the whole tree's findings narrowed to what a change introduced.

The review itself is never narrowed (a flow from an unchanged module into a changed
handler still needs that module's facts); only the finished report is. The tree is
reviewed with every finding marked (the extended profile), so the default profile's
"held back" count can be given for the scope rather than for the whole tree.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from servicelens.analysis.overview import severity_counts
from servicelens.analysis.profiles import shown_in
from servicelens.analysis.risks import roll_up_risks
from servicelens.model.finding import Finding
from servicelens.model.report import Report
from servicelens.model.scope import ChangedLines, Scope


def introduced_by(changes: ChangedLines) -> Callable[[Finding], bool]:
    """A finding the change introduced: its own line is a changed line, or one step of its
    evidence (a taint path's source, propagation or sink) is."""

    def keep(finding: Finding) -> bool:
        places = [finding.location, *(step.location for step in finding.evidence)]
        return any(changes.touches(at.path, at.start_line, at.end_line) for at in places)

    return keep


def not_in(fingerprints: frozenset[str]) -> Callable[[Finding], bool]:
    """A finding the earlier report did not have, matched by fingerprint, never by line."""
    return lambda finding: finding.fingerprint not in fingerprints


def scoped_report(report: Report, keep: Callable[[Finding], bool], scope: Scope, profile: str) -> Report:
    """`report` (reviewed with the extended profile) narrowed to `keep`, then to `profile`,
    with the counts and risk register recomputed for what is shown."""
    kept = [f for f in report.findings if keep(f)]
    shown = tuple(f for f in kept if shown_in(profile, f))
    total = sum(1 for f in report.findings if shown_in(profile, f))
    return replace(
        report,
        findings=shown,
        overview=replace(report.overview, severity_counts=severity_counts(shown)),
        risks=roll_up_risks(shown),
        stats=replace(report.stats, held_back=len(kept) - len(shown)),
        scope=replace(scope, total_findings=total),
    )
