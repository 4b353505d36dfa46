"""Findings from every analysis -> the final, deterministic list: selected concerns only,
severity overrides, inline suppressions, duplicates merged, snippets and fingerprints
attached, every quoted text bounded (analysis.excerpt), most important first."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterable

from servicelens.analysis.base import Project
from servicelens.analysis.excerpt import bounded_finding
from servicelens.analysis.fixes import why_for
from servicelens.model.finding import Finding, Severity
from servicelens.model.report import Diagnostic
from servicelens.sources.suppressions import find_suppressions, suppressed_lines


def finalize_findings(findings: Iterable[Finding], project: Project
                      ) -> tuple[tuple[Finding, ...], int, list[Diagnostic]]:
    settings = project.settings
    texts = {f.rel: f.text for f in project.files}
    suppressions = {rel: find_suppressions(text) for rel, text in texts.items()}
    diagnostics = [Diagnostic(rel, "suppression", f"line {line}: suppression of {', '.join(c)} gives no reason")
                   for rel, entries in suppressions.items() for line, c, reason in entries if not reason]
    silenced = {rel: suppressed_lines(entries) for rel, entries in suppressions.items() if entries}
    kept: dict[tuple[str, str, int, str], Finding] = {}
    lines_of: dict[str, list[str]] = {}
    suppressed = 0
    for finding in findings:
        if not settings.enabled(finding.concern):
            continue
        if not settings.include_tests and (is_test_path(finding.location.path) or is_tooling_path(finding.location.path)):
            continue
        if is_migration_path(finding.location.path) and finding.category.value in _RUN_ONCE_IRRELEVANT:
            continue  # a migration runs once, offline: N+1s and missing transactions there cost nothing
        lines = silenced.get(finding.location.path, {})
        if finding.concern in lines.get(finding.location.start_line, set()):
            suppressed += 1
            continue
        path = finding.location.path
        if path not in lines_of and path in texts:
            lines_of[path] = texts[path].splitlines()  # once per file, not once per finding
        finding = bounded_finding(_complete(finding, settings.severity_for(finding.concern), lines_of.get(path)))
        key = (finding.concern, finding.location.path, finding.location.start_line, finding.key or finding.title)
        if key not in kept or len(finding.evidence) < len(kept[key].evidence):
            kept[key] = finding
    ordered = sorted(kept.values(), key=Finding.sort_key)
    return _fingerprinted(ordered), suppressed, diagnostics


# directory names that hold only tests (`unittests/` and `integration_tests/` as much as `tests/`)
TEST_DIRECTORIES = frozenset({"tests", "test", "testing", "__tests__", "spec", "e2e", "e2etests", "e2e_tests",
                              "unittests", "unit_tests", "integration_tests", "functional_tests"})


def is_test_path(rel: str) -> bool:
    """Test code: a tests/ directory, test_*.py, *_test.py, conftest.py, *.spec.ts and the like."""
    parts = rel.lower().split("/")
    name = parts[-1]
    if any(p in TEST_DIRECTORIES for p in parts[:-1]):
        return True
    return name.startswith("test_") or name == "conftest.py" or bool(
        re.search(r"(_test\.(py|go)|\.(test|spec)\.[jt]sx?|Tests?\.java)$", name))


_RUN_ONCE_IRRELEVANT = frozenset({"performance", "scalability", "reliability", "maintainability"})
_MIGRATION = re.compile(r"(^|/)(migrations|alembic|revisions)/(.*/)?[^/]+\.py$|(^|/)versions/[^/]+\.py$")


def is_migration_path(rel: str) -> bool:
    """Django migrations, Alembic revisions."""
    return bool(_MIGRATION.search(rel))


def is_tooling_path(rel: str) -> bool:
    """Developer tooling in hidden directories (.devcontainer, .semgrep, ...): not what ships."""
    return any(part.startswith(".") and part not in (".", "..") for part in rel.split("/")[:-1])


def _complete(finding: Finding, severity: str | None, lines: list[str] | None) -> Finding:
    changes: dict[str, object] = {}
    if severity:
        changes["severity"] = Severity(severity)
    if not finding.why:
        changes["why"] = why_for(finding.concern)
    if not finding.snippet and lines is not None:
        start = finding.location.start_line
        end = min(max(finding.location.end_line, start), start + 4)
        changes["snippet"] = "\n".join(lines[start - 1:end]) if 0 < start <= len(lines) else ""
    return replace(finding, **changes) if changes else finding  # type: ignore[arg-type]


def plain_findings(findings: Iterable[Finding], enabled: Callable[[str], bool]) -> tuple[Finding, ...]:
    """What can still be reported when suppression and de-duplication failed: the enabled
    findings, bounded, sorted and fingerprinted like any others."""
    kept = [bounded_finding(f) for f in findings if enabled(f.concern)]
    return _fingerprinted(sorted(kept, key=Finding.sort_key))


def _fingerprinted(findings: list[Finding]) -> tuple[Finding, ...]:
    seen: dict[tuple[str, str, str, str], int] = {}
    out = []
    for finding in findings:
        identity = (finding.concern, finding.location.path, " ".join(finding.snippet.split()), finding.key)
        index = seen.get(identity, 0)
        seen[identity] = index + 1
        out.append(finding.with_fingerprint(index))
    return tuple(out)
