"""Small, format-neutral helpers shared by every renderer.

They phrase what the report already says (counts, spans, CWE ids); they never choose,
filter or reorder findings, so all four formats stay in agreement.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Final, TypeVar

from servicelens.model import Construction, Diagnostic, Finding, Location, Report

SEVERITIES: Final = ("critical", "high", "medium", "low")

_LANGUAGE_BY_SUFFIX: Final = (
    (".py", "python"), (".js", "javascript"), (".mjs", "javascript"), (".cjs", "javascript"),
    (".jsx", "jsx"), (".ts", "typescript"), (".tsx", "tsx"), (".java", "java"),
    (".kt", "kotlin"), (".go", "go"), (".rb", "ruby"), (".php", "php"), (".cs", "csharp"),
    (".yaml", "yaml"), (".yml", "yaml"), (".json", "json"), (".toml", "toml"),
    (".sql", "sql"), (".sh", "bash"), (".tf", "hcl"),
)


def cwe_ids(cwe: Iterable[int]) -> list[str]:
    """`CWE-89` style ids: the form people search for and GitHub shows."""
    return [f"CWE-{number}" for number in cwe]


def sarif_cwe_tag(number: int) -> str:
    """The tag code-scanning tools key CWE filters on (`external/cwe/cwe-089`)."""
    return f"external/cwe/cwe-{number:03d}"


def line_span(location: Location) -> str:
    """`path:12` or `path:12-14`: the form editors and terminals make clickable."""
    if location.end_line > location.start_line:
        return f"{location.path}:{location.start_line}-{location.end_line}"
    return f"{location.path}:{location.start_line}"


def severity_counts(report: Report) -> dict[str, int]:
    """The runner's counts, with every severity present even if the runner omitted one."""
    counts = dict.fromkeys(SEVERITIES, 0)
    counts.update(dict(report.overview.severity_counts))
    return counts


def count_phrase(report: Report) -> str:
    """`2 critical, 1 high and 1 low findings`; severities with no findings are left out."""
    counts = severity_counts(report)
    parts = [f"{counts[name]} {name}" for name in SEVERITIES if counts[name]]
    if not parts:
        return "no findings"
    noun = "finding" if sum(counts.values()) == 1 else "findings"
    if len(parts) == 1:
        return f"{parts[0]} {noun}"
    return f"{', '.join(parts[:-1])} and {parts[-1]} {noun}"


def plural(count: int, noun: str) -> str:
    """`1 service`, `3 services`: English only, enough for our nouns."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def endpoint_count(report: Report) -> int:
    return sum(len(service.endpoints) for service in report.overview.services)


def frameworks(report: Report) -> list[str]:
    """Every service's frameworks once, in order of first appearance (stable output)."""
    seen: dict[str, None] = {}
    for service in report.overview.services:
        seen.update(dict.fromkeys(service.frameworks))
    return list(seen)


REACH_PHRASES = {"request": "on a request path", "command": "in a command", "task": "in a background task",
                 "script": "in a script", "startup": "at start-up",
                 "dead": "in code that can never run", "unreferenced": "in code nothing in the review names",
                 "client": "in a client of this service that the service never runs"}


def held_back_note(report: Report) -> str:
    """What the default profile left out, and how to see it, and what no profile shows; "" when
    nothing was left out."""
    count = report.stats.held_back
    never = (f"{plural(report.stats.unreachable, 'finding')} on lines that can never run (after a `return`, "
             "a `raise` or a call that never returns) left out of every profile."
             if report.stats.unreachable else "")
    if not count:
        return never
    severe = report.stats.held_back_severe
    among = f", {severe} of them rated critical or high," if severe else ""
    return (f"{plural(count, 'more finding')}{among} held back from this default report (rules not yet shown to "
            "be right at least 80% of the time on code they were not tuned on, performance and reliability "
            "findings in code that never serves a request, or flaws only administrators can reach); "
            "`--profile extended` shows them with the reason." + (f" {never}" if never else ""))


def scope_note(report: Report) -> str:
    """What a scoped report was filtered against (`--diff`, `--baseline`); "" for a full review.
    Said in every format, so a diff review is never mistaken for a clean bill of health."""
    scope = report.scope
    if scope is None:
        return ""
    whole = f"the whole tree has {plural(scope.total_findings, 'finding')}"
    if scope.kind == "diff":
        return (f"Only findings introduced since {scope.against} (merge-base {scope.merge_base[:12]}): on lines "
                f"added or changed in {plural(scope.changed_files, 'file')}, or with evidence passing through "
                f"one; {whole}.")
    return (f"Only findings not in the baseline {scope.against} ({plural(scope.baseline_findings, 'known finding')}),"
            f" matched by fingerprint; {whole}.")


GROUP_MIN_SITES = 3
SHARED_MIN_SITES = 2  # calls on one client object: their fix is one change at its construction

T = TypeVar("T")


def site_groups(items: Sequence[T], pattern: Callable[[T], Hashable], made_at: Callable[[T], Hashable | None],
                min_sites: int = GROUP_MIN_SITES) -> list[tuple[T, tuple[T, ...]]]:
    """(lead, other sites) per recommendation, in the order of the leads. A pattern repeated at
    `min_sites` places or more (same concern, rule and severity: `pattern`) is one recommendation;
    the calls on one client object (`made_at`: where it is made, their one fix) count with the
    pattern of the first of them, so an object's calls are never split. Below `min_sites`, the
    calls on one object are one recommendation from `SHARED_MIN_SITES` on, and every other site
    is one recommendation. Works on findings and on their JSON form alike (the triage scorer
    counts what a reader sees)."""
    made = [made_at(item) for item in items]
    first_of: dict[Hashable, int] = {}
    count: dict[Hashable, int] = {}
    for index, key in enumerate(made):
        if key is not None:
            first_of.setdefault(key, index)
            count[key] = count.get(key, 0) + 1
    shared = [key if key is not None and count[key] >= SHARED_MIN_SITES else None for key in made]
    patterns = [pattern(items[first_of[key]]) if key is not None else pattern(item) for item, key in zip(items, shared)]
    by_pattern: dict[Hashable, list[int]] = {}
    for index, key in enumerate(patterns):
        by_pattern.setdefault(key, []).append(index)
    unit = [("pattern", key) if len(by_pattern[key]) >= min_sites else ("made", made_key) if made_key is not None
            else ("site", index) for index, (key, made_key) in enumerate(zip(patterns, shared))]
    members: dict[Hashable, list[T]] = {}
    for item, key in zip(items, unit):
        members.setdefault(key, []).append(item)
    return [(item, tuple(members[key][1:])) for item, key in zip(items, unit) if members[key][0] is item]


def constructions(sites: Sequence[Finding]) -> list[tuple[Construction, tuple[Finding, ...]]]:
    """The client objects two or more of a recommendation's sites go through, each with its calls."""
    calls: dict[Construction, list[Finding]] = {}
    for site in sites:
        if site.group is not None:
            calls.setdefault(site.group, []).append(site)
    return [(made, tuple(found)) for made, found in calls.items() if len(found) >= SHARED_MIN_SITES]


def split_sites(lead: Finding, others: Sequence[Finding]
                ) -> tuple[tuple[Finding, ...], list[tuple[Construction, tuple[Finding, ...]]]]:
    """A recommendation's other sites that stand alone, and its client objects with their calls
    (`constructions`): what every format lists under it, decided once."""
    objects = constructions((lead, *others))
    through = {id(call) for _, calls in objects for call in calls}
    return tuple(other for other in others if id(other) not in through), objects


def finding_groups(findings: Iterable[Finding], min_sites: int = GROUP_MIN_SITES
                   ) -> list[tuple[Finding, tuple[Finding, ...]]]:
    """For reading: calls on one client object whose fix is one change where it is made (the
    finding's `group`) are one recommendation at that construction; otherwise a pattern repeated
    at many places (same concern, rule and severity) is one recommendation listing its sites, led
    by its most important one; a pattern at fewer than `min_sites` places stays one recommendation
    per site. Machine formats keep every site."""
    return site_groups(list(findings), lambda f: (f.concern, f.rule, f.severity.value),
                       lambda f: (f.concern, f.rule, f.group) if f.group is not None else None, min_sites)


def shared_construction(lead: Finding, others: tuple[Finding, ...]) -> Construction | None:
    """The construction a recommendation's sites share (their one fix), when it is one."""
    if lead.group is None or not others or any(other.group != lead.group for other in others):
        return None
    return lead.group


def urgent(report: Report, limit: int = 3) -> list[Finding]:
    """The first critical/high problems, each pattern once: the runner already put the most
    important first."""
    leads = (lead for lead, _ in finding_groups(report.findings))
    return [f for f in leads if f.severity.value in SEVERITIES[:2]][:limit]


def diagnostics_by_kind(report: Report) -> list[tuple[str, list[Diagnostic]]]:
    """Group diagnostics so a reader sees "12 parse errors" rather than 12 lines of noise."""
    groups: dict[str, list[Diagnostic]] = {}
    for diagnostic in report.diagnostics:
        groups.setdefault(diagnostic.kind, []).append(diagnostic)
    return sorted(groups.items())


def code_language(path: str, fallback: str = "") -> str:
    """A highlighting hint for evidence code, guessed from the file name only."""
    name = path.rsplit("/", 1)[-1].lower()
    if name == "dockerfile" or name.startswith("dockerfile."):
        return "dockerfile"
    for suffix, language in _LANGUAGE_BY_SUFFIX:
        if name.endswith(suffix):
            return language
    return fallback


def snippet_of(finding: Finding) -> str:
    """The code at the finding's own location: its snippet, else the last evidence step's code."""
    if finding.snippet:
        return finding.snippet
    for step in reversed(finding.evidence):
        if step.location == finding.location and step.code:
            return step.code
    return finding.evidence[-1].code if finding.evidence else ""
