"""Which stage of the pipeline lost each planted defect the review missed, as a category.

Used by `run_recall.py --stages`. It reads a service's `planted.yaml` and servicelens's own
facts about the service (the files it analysed, the findings before and after the project
phase, how each line is reached and by whom, the sinks its models know), never the planted
text: a category per missed defect, so that held-out sets can be diagnosed in aggregate
without anyone reading their code.

not_analysed       the defect's file was not analysed (excluded, skipped, a parse or analysis
                   error, or test code the review does not read);
dropped_late       a rule reported it, and a later project stage dropped it (de-duplication,
                   suppression, a project-wide authentication or lookup check, the profile);
near_miss_line     its concern was reported in that file, at another line (or the finding's
                   evidence passes within the slack of the defect but the finding stands elsewhere);
across_call        its concern was reported in a function on the defect's call path (one that calls the
                   defect's function, or one it calls, up to three calls away), not at the defect: the
                   rule fired, and the finding stands at the other end of the call (the handler
                   instead of the service method it calls, the repository query instead of the handler);
near_miss_concern  another concern was reported within the slack of the defect;
no_rule            no rule of the file's language reports this concern;
no_entry_point     the concern needs a request path, and no endpoint was found that reaches the
                   line (the handler was not seen as a route, or the call chain was not followed).
                   This is reach as the report profile computes it (analysis/reach.py): it decides
                   what the default report shows, while the rules that need a route read their own
                   route facts, so for a miss in the extended report it is a proxy, not the cause;
auth_wrong         an endpoint reaches the line, and the callers it allows contradict the defect
                   (a missing check judged present, a privileged route where any user calls);
sink_unknown       taint concern: no call near the line is a sink of that kind in the models;
source_not_seen    taint concern: a modelled sink of that kind is there, and what reaches it was
                   not seen as client-controlled (or the flow was lost between functions);
other_reached      the rule ran over a line some handler, job or command reaches, and said nothing;
other_unreached    the same, on a line nothing was found to reach (the call graph lost the caller).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

STAGES = ("not_analysed", "dropped_late", "near_miss_line", "across_call", "near_miss_concern", "no_rule",
          "no_entry_point",
          "auth_wrong", "sink_unknown", "source_not_seen", "other_reached", "other_unreached")

# concerns whose defect exists only on a path a client can drive: a line no request reaches
# cannot have them
REQUEST_CONCERNS = frozenset({
    "missing-authentication", "broken-object-authorization", "broken-function-authorization", "csrf",
    "mass-assignment", "auth-brute-force", "missing-rate-limit", "unbounded-query", "missing-idempotency",
    "unbounded-request-body", "account-enumeration", "excessive-data-exposure", "error-details-exposed",
})
# what callers each authorisation defect implies: a route the review says only these may call
# contradicts the defect
CONTRADICTING_CALLERS = {
    "missing-authentication": frozenset({"signed-in", "privileged"}),
    "broken-function-authorization": frozenset({"privileged"}),
    "broken-object-authorization": frozenset({"privileged"}),
    "mass-assignment": frozenset({"privileged"}),
    "csrf": frozenset({"anyone"}),
}


@dataclass(frozen=True, slots=True)
class Hit:
    """A finding as the classifier needs it: where it stands and the lines its evidence passes."""

    concern: str
    path: str
    line: int
    evidence: tuple[tuple[str, int], ...] = ()
    function: str = ""  # key (module.qualname) of the innermost function around the finding


@dataclass(frozen=True, slots=True)
class LineFacts:
    """What servicelens knows about one planted line: language-neutral."""

    analysed: bool  # the file was read and analysed without error
    language: str  # the analyser's language for the file ("" when not analysed)
    reach: str  # "request" | "command" | "task" | ... | "" (unknown)
    callers: str  # "anyone" | "signed-in" | "privileged" | "" (for a request path)
    sink_event: bool  # the taint pass recorded a sink of the concern's kind near the line
    sink_call: bool  # a call near the line has the name of a modelled sink of the concern's kind
    layer: str = ""  # "handler": in a route handler; "called": in a function a request reaches; "" otherwise
    # keys of the functions on the defect's call path: those calling its function and those it
    # calls, up to three calls away (the project's call graph)
    linked: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ServiceFacts:
    final: tuple[Hit, ...]  # the extended report's findings
    raw: tuple[Hit, ...]  # what the rules reported before the project phase's filters
    concerns_by_language: Mapping[str, frozenset[str]]  # what some rule of each language reports
    taint_concerns: frozenset[str]
    lines: Mapping[tuple[str, int, str], LineFacts]  # (file, line, concern) -> facts


def near(hit: Hit, item: Mapping[str, Any], slack: int) -> bool:
    return hit.concern == item["concern"] and hit.path == item["file"] and abs(hit.line - item["line"]) <= slack


def classify(item: Mapping[str, Any], facts: ServiceFacts, slack: int) -> str:
    """The first stage, in pipeline order, that explains why `item` was not reported."""
    line = facts.lines[(item["file"], item["line"], item["concern"])]
    concern, path, at = item["concern"], item["file"], item["line"]
    if not line.analysed:
        return "not_analysed"
    if any(near(h, item, slack) for h in facts.raw):
        return "dropped_late"
    same = [h for h in facts.final if h.concern == concern]
    if any(h.path == path for h in same) or any(
            p == path and abs(n - at) <= slack for h in same for p, n in h.evidence):
        return "near_miss_line"
    if any(h.function and h.function in line.linked for h in same):
        return "across_call"
    if any(h.path == path and abs(h.line - at) <= slack for h in facts.final):
        return "near_miss_concern"
    if concern not in facts.concerns_by_language.get(line.language, frozenset()):
        return "no_rule"
    if (concern in REQUEST_CONCERNS or concern in facts.taint_concerns) and line.reach != "request":
        return "no_entry_point"
    if line.callers in CONTRADICTING_CALLERS.get(concern, frozenset()):
        return "auth_wrong"
    if concern in facts.taint_concerns:
        return "source_not_seen" if line.sink_event or line.sink_call else "sink_unknown"
    return "other_reached" if line.reach else "other_unreached"


def tally(rows: Iterable[tuple[str, str]]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """(concern, stage) rows -> counts per stage and per (concern, stage)."""
    rows = list(rows)
    return Counter(stage for _, stage in rows), Counter(rows)


def silent_in_service(item: Mapping[str, Any], facts: ServiceFacts) -> bool:
    """No finding of the defect's concern anywhere in the service: the rule does not
    recognise this service's style at all, rather than missing one case of it."""
    return not any(h.concern == item["concern"] for h in facts.final)


def layer_counts(rows: Sequence[tuple[str, str, str]]) -> str:
    """For rule-silent misses (other_*): how many stand in a route handler, in a function a
    request reaches (a service, repository or model layer), or elsewhere."""
    counts = Counter(layer or "elsewhere" for _, stage, layer in rows if stage.startswith("other"))
    return ", ".join(f"{name} {counts[name]}" for name in ("handler", "called", "elsewhere"))


def layer_by_concern(rows: Sequence[tuple[str, str, str]]) -> str:
    """The rule-silent misses per concern and layer, counts only: which rules stay silent in
    the functions a request reaches (a family to fix by mechanism, without reading the code)."""
    counts = Counter((concern, layer or "elsewhere") for concern, stage, layer in rows if stage.startswith("other"))
    lines = []
    for concern in sorted({c for c, _ in counts}):
        parts = ", ".join(f"{name} {counts[(concern, name)]}" for name in ("handler", "called", "elsewhere")
                          if counts[(concern, name)])
        lines.append(f"  {concern:30} {parts}")
    return "\n".join(lines)


def aggregate_table(rows: Sequence[tuple[str, str]], flagged: Sequence[str], silent: int | None = None) -> str:
    """Counts only: no file, line, code or planted text (safe for held-out sets)."""
    by_stage, by_pair = tally(rows)
    out = [f"missed {len(rows)}: " + ", ".join(f"{s} {by_stage[s]}" for s in STAGES if by_stage[s])]
    if silent is not None:
        out.append(f"  of which the concern is reported nowhere in its service: {silent}")
    for concern in sorted({c for c, _ in rows}):
        parts = ", ".join(f"{s} {by_pair[(concern, s)]}" for s in STAGES if by_pair[(concern, s)])
        out.append(f"  {concern:30} {parts}")
    looks = Counter(flagged)
    out.append(f"look-alikes flagged {len(flagged)}: " + ", ".join(f"{c} {n}" for c, n in sorted(looks.items())))
    return "\n".join(out)


# ---- gathering: servicelens's own facts about a service, in process -------------------------

_NOT_READ = frozenset({"analysis-error", "parse-error", "too-large", "binary", "unreadable", "not-a-regular-file"})
_CALL_NAME = re.compile(r"([A-Za-z_$][\w$]*)\s*\(")


def gather(root: Path, items: Sequence[Mapping[str, Any]], slack: int) -> ServiceFacts:
    """Review `root` (extended profile) keeping the facts the classifier reads."""
    from servicelens import __version__
    from servicelens.analysis import project as project_phase
    from servicelens.analysis.authentication import missing_authentication
    from servicelens.analysis.base import Project
    from servicelens.analysis.overview import service_roots
    from servicelens.analysis.revisit import Revisits
    from servicelens.config.loader import load_settings
    from servicelens.endpoints.inventory import with_inventory
    from servicelens.frameworks.js_project import with_js_routes
    from servicelens.runner import CODE_LANGUAGES, _file_facts, _operation_ids, _read_sources, js_configs
    from servicelens.sources.discovery import discover

    settings = replace(load_settings(root), profile="extended", use_cache=False)
    found = discover(root, settings)
    pairs = list(_read_sources(found, settings, {}))
    sources = [s for s, _ in pairs if s is not None]
    diagnostics = tuple(found.diagnostics) + tuple(d for _, d in pairs if d is not None)
    code = [s for s in sources if s.kind in CODE_LANGUAGES]
    operation_ids = _operation_ids(sources)
    facts = with_js_routes(_file_facts(code, settings, operation_ids, None, None), js_configs(sources))
    diagnostics += tuple(d for f in facts for d in f.diagnostics)
    project = Project(found.root, settings, tuple(sources), {})
    revisits = Revisits.of(((s.rel, s.text) for s in sources if s.kind == "python"), settings.extra_model_dirs,
                           operation_ids)
    report = project_phase.run_project_analyses(project, facts, diagnostics, __version__, revisits)
    served = with_inventory(facts, project_phase._operations(project, facts))
    reach = project_phase._reach(served, project)
    raw = [f for fact in facts for f in fact.findings]
    raw += project_phase._taint_findings(facts, settings)
    raw += missing_authentication(served, settings, service_roots(project, served))
    raw += [f for f in project_phase._combined_rule_results(served, settings, [], revisits, project)[0]
            if hasattr(f, "concern")]
    failed = {d.path for d in diagnostics if d.kind in _NOT_READ}
    by_rel = {f.rel: f for f in facts}
    sink_names = _sink_names()
    graph = _call_graph(facts)
    lines = {}
    kinds = {s.rel: s.kind for s in sources}
    for item in items:
        fact = by_rel.get(item["file"])
        language = _language(fact) if fact is not None else kinds.get(item["file"], "")
        analysed = bool(language) and item["file"] not in failed and (fact is None or _reviewed(fact, settings))
        where = reach.at(item["file"], item["line"]) if analysed else None
        span = _span(fact, item["line"], slack) if fact is not None else (item["line"] - slack, item["line"] + slack)
        lines[(item["file"], item["line"], item["concern"])] = LineFacts(
            analysed=analysed, language=language if analysed else "",
            reach=where.kind if where else "", callers=where.callers if where else "",
            sink_event=fact is not None and any(e.kind == item["concern"] and span[0] <= e.line <= span[1]
                                                for s in fact.summaries for e in s.sinks),
            sink_call=_names_called(root / item["file"], span) & sink_names.get(
                (_language(fact) if fact else "", item["concern"]), frozenset()) != set(),
            layer=_layer(fact, item["line"], where.kind if where else ""),
            linked=_linked(graph, _function_at(fact, item["line"])) if fact is not None else frozenset())
    return ServiceFacts(final=tuple(_hit(f, by_rel) for f in report.findings), raw=tuple(_hit(f, by_rel) for f in raw),
                        concerns_by_language=_concerns_by_language(set(kinds.values())), taint_concerns=_taint_concerns(),
                        lines=lines)


def _call_graph(facts: Sequence[Any]) -> tuple[Mapping[str, frozenset[str]], Mapping[str, frozenset[str]]]:
    """(callees, callers) of each function key, as the reach analysis resolves calls."""
    from servicelens.analysis import project as project_phase
    from servicelens.taint.resolve import call_graph
    from servicelens.taint.summary import FunctionSummary
    from servicelens.taint.values import EMPTY

    summaries = [s for fact in facts for s in fact.summaries]
    known = {s.key for s in summaries}
    silent = [FunctionSummary(key, fact.rel, span.line, (), EMPTY, (), ()) for fact in facts for span in fact.spans
              if (key := f"{fact.module_name}.{span.qualname}") not in known]
    callees = call_graph(summaries + silent, project_phase._resolvable(facts))
    callers: dict[str, set[str]] = {}
    for caller, called in callees.items():
        for key in called:
            callers.setdefault(key, set()).add(caller)
    return callees, {key: frozenset(value) for key, value in callers.items()}


def _linked(graph: tuple[Mapping[str, frozenset[str]], Mapping[str, frozenset[str]]], start: str) -> frozenset[str]:
    """Functions up to three calls away from `start`, up (its callers) and down (its callees)."""
    if not start:
        return frozenset()
    found: set[str] = set()
    for edges in graph:
        frontier = {start}
        for _ in range(3):
            frontier = {n for key in frontier for n in edges.get(key, ())} - found - {start}
            found |= frontier
    return frozenset(found)


def _function_at(fact: Any, line: int) -> str:
    """Key of the innermost function around `line` ("" at a module's top level)."""
    around = [s for s in fact.spans if s.line <= line <= s.end_line]
    return f"{fact.module_name}.{max(around, key=lambda s: s.line).qualname}" if around else ""


def _layer(fact: Any, line: int, reach: str) -> str:
    if fact is None:
        return ""
    around = [s for s in fact.spans if s.line <= line <= s.end_line]
    inner = max(around, key=lambda s: s.line).qualname if around else ""
    if inner and any(route.qualname == inner for route in fact.routes):
        return "handler"
    return "called" if reach == "request" else ""


def _reviewed(fact: Any, settings: Any) -> bool:
    from servicelens.analysis.postprocess import is_test_path

    return settings.include_tests or not is_test_path(fact.rel)


def _language(fact: Any) -> str:
    return "python" if fact.language == "python" else "javascript"


def _span(fact: Any, line: int, slack: int) -> tuple[int, int]:
    """The innermost function around `line`, or `slack` lines either side at top level."""
    around = [s for s in fact.spans if s.line <= line <= s.end_line]
    if not around:
        return line - slack, line + slack
    best = max(around, key=lambda s: s.line)
    return best.line, best.end_line


def _names_called(path: Path, span: tuple[int, int]) -> set[str]:
    try:
        text = path.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return set()
    return {m.group(1) for row in text[max(span[0] - 1, 0):span[1]] for m in _CALL_NAME.finditer(row)}


def _sink_names() -> dict[tuple[str, str], frozenset[str]]:
    """(language, sink kind) -> the last names of every modelled sink call and method."""
    from servicelens.taint.models import load_models

    out: dict[tuple[str, str], set[str]] = {}
    for language in ("python", "javascript"):
        models = load_models(language)
        for table in (models.call_sinks, models.method_sinks):
            for name, specs in table.items():
                for spec in specs:
                    out.setdefault((language, spec.kind), set()).add(name.rsplit(".", 1)[-1])
    return {key: frozenset(value) for key, value in out.items()}


def _concerns_by_language(kinds: set[str]) -> dict[str, frozenset[str]]:
    """What some rule, analysis or sink model of each language can report; documents
    (manifests, Dockerfiles, contracts) get every document analysis's concerns."""
    from servicelens.analysis.project import document_analyses
    from servicelens.rules.base import discover_rules

    documents = frozenset().union(*(a.concerns for a in document_analyses()))
    out: dict[str, frozenset[str]] = {kind: documents for kind in kinds}
    for language in ("python", "javascript"):
        rules = discover_rules(f"servicelens.rules.{language}")
        sinks = {kind for (lang, kind) in _sink_names() if lang == language}
        if language == "python":  # the Python taint pass also records sinks of its own (cookies, secrets)
            sinks |= _taint_concerns()
        out[language] = frozenset().union(*(r.concerns for r in rules)) | sinks | {"missing-authentication"}
    return out


def _taint_concerns() -> frozenset[str]:
    from servicelens.taint.kinds import SINK_KINDS

    return frozenset(SINK_KINDS)


def _hit(finding: Any, by_rel: Mapping[str, Any]) -> Hit:
    fact = by_rel.get(finding.location.path)
    return Hit(finding.concern, finding.location.path, finding.location.start_line,
               tuple((e.location.path, e.location.start_line) for e in finding.evidence if e.location is not None),
               _function_at(fact, finding.location.start_line) if fact is not None else "")
