"""Turn proven taint flows into findings: title, evidence path, why, and the fix."""
from __future__ import annotations

import re
from typing import Mapping, Sequence

from servicelens.analysis.fixes import fix_for
from servicelens.model.concerns import make_finding
from servicelens.analysis.postprocess import is_test_path
from servicelens.model.finding import Confidence, Finding, Location, Severity, TraceStep
from servicelens.taint.models import load_models
from servicelens.taint.resolve import THROUGH, TaintFlow
from servicelens.taint.values import Step, trace_key

_PHRASES = {
    "sql-injection": "SQL built from {src} reaches `{sink}`",
    "nosql-injection": "Database query document shaped by {src} reaches `{sink}`",
    "command-injection": "Command built from {src} reaches `{sink}`",
    "code-injection": "{Src} is executed as code by `{sink}`",
    "template-injection": "{Src} is used as template source by `{sink}`",
    "path-traversal": "File path built from {src} reaches `{sink}`",
    "ssrf": "{Src} chooses the host of an outbound request (`{sink}`)",
    "xss": "{Src} is written into an HTML response unescaped ({sink})",
    "open-redirect": "{Src} chooses the redirect target (`{sink}`)",
    "ldap-injection": "LDAP filter built from {src} reaches `{sink}`",
    "xpath-injection": "XPath expression built from {src} reaches `{sink}`",
    "xxe": "XML from {src} is parsed with external entities enabled (`{sink}`)",
    "insecure-deserialization": "{Src} is deserialized by `{sink}`",
    "header-injection": "{Src} is written into a log message unneutralised (`{sink}`)",
    "trust-boundary": "{Src} is stored in the session without validation",
    "redos": "{Src} is used as a regular expression (`{sink}`)",
    "weak-random": "Non-cryptographic random value ({src}) used as a secret ({sink})",
}


def flows_to_findings(flows: Sequence[TaintFlow], frameworks: Mapping[str, str],
                      include_tests: bool) -> list[Finding]:
    """One finding per sink and concern: a helper reached from twenty handlers is one place
    to fix, so the other entry points are listed in its evidence instead of twenty findings."""
    groups: dict[tuple[str, int, str], list[TaintFlow]] = {}
    for flow in flows:
        first = flow.source.trace[0] if flow.source.trace else None
        if not include_tests and first is not None and is_test_path(first.path):
            continue  # test helpers feeding production code are not an attack path
        if flow.sink.kind == "header-injection" and _crosses_functions(flow):
            continue  # log forging is reported where the handler itself logs raw request data
        if flow.sink.kind in _FIXED_AT_SOURCE and first is not None:
            # the fix is the generator, not the places its value ends up: one finding per source
            groups.setdefault((first.path, first.line, flow.sink.kind), []).append(flow)
            continue
        groups.setdefault((flow.sink_path, flow.sink.line, flow.sink.kind), []).append(flow)
    findings = []
    for key in sorted(groups):
        ordered = sorted(groups[key], key=lambda f: (len(f.source.trace), _entry(f), trace_key(f.source.trace)))
        findings.append(flow_to_finding(ordered[0], frameworks, ordered[1:]))
    return findings


# concerns whose one fix is where the value is made: a weak random token stored in three
# places is one `secrets.token_urlsafe` away from fixed, so it is said once
_FIXED_AT_SOURCE = frozenset({"weak-random"})
# a sink whose output is read somewhere other than the HTTP response (taint.models `renders`)
_RENDERED_PHRASES = {("xss", "e-mail"): "{Src} is written into the HTML of an e-mail unescaped ({sink})"}


def _renders(callee: str) -> str:
    return next((spec.renders for spec in load_models().call_sinks.get(callee, ()) if spec.renders), "")


def _entry(flow: TaintFlow) -> tuple[str, int]:
    first = flow.source.trace[0] if flow.source.trace else None
    return (first.path, first.line) if first else ("", 0)


def flow_to_finding(flow: TaintFlow, frameworks: Mapping[str, str], others: Sequence[TaintFlow] = ()) -> Finding:
    sink, source = flow.sink, flow.source
    label = str(source.base[2])
    phrase = _RENDERED_PHRASES.get((sink.kind, _renders(sink.callee)), _PHRASES[sink.kind])
    title = phrase.format(src=label, Src=label[:1].upper() + label[1:], sink=sink.callee)
    first = source.trace[0] if source.trace else None
    if first is not None and first.path != flow.sink_path:
        title += f", from `{first.path}:{first.line}`"
    steps = [TraceStep(Location(s.path, s.line), s.text, s.code) for s in source.trace]
    steps.append(TraceStep(Location(flow.sink_path, sink.line, sink.end_line), f"reaches the sink `{sink.callee}`", sink.code))
    more_sinks = 0
    for other in others:
        entry = other.source.trace[0] if other.source.trace else None
        if entry is not None and first is not None and (entry.path, entry.line) == (first.path, first.line):
            more_sinks += 1  # the same value, used at another sink (grouped by source)
            steps.append(TraceStep(Location(other.sink_path, other.sink.line, other.sink.end_line),
                                   f"also reaches the sink `{other.sink.callee}` here", other.sink.code))
        elif entry is not None:
            steps.append(TraceStep(Location(entry.path, entry.line),
                                   f"also reached from {other.source.base[2]} here", entry.code))
    if more_sinks:
        title += f" (and {more_sinks} more use{'s' if more_sinks > 1 else ''})"
    elif others:
        title += f" (and {len(others)} more entry point{'s' if len(others) > 1 else ''})"
    framework = frameworks.get(flow.sink_path, "python")
    built = next(((st.path, st.line, st.code) for st in source.trace
                  if st.code and (st.path, st.line) != (flow.sink_path, sink.line) and _builds_text(st.code)), None)
    confidence = evidence_grade(flow)  # the flow the evidence shows (the shortest), not the others listed
    return make_finding(
        sink.kind, Location(flow.sink_path, sink.line, sink.end_line), title,
        severity=Severity.LOW if sink.kind == "header-injection" else None,
        why="",
        confidence=confidence, evidence=_dedupe(steps), fix=fix_for(sink.kind, framework, sink.code, built, sink.callee),
        rule=f"taint-{sink.kind}", key=_flow_key(sink.callee, label, first),
    )


_WEAKER = {Confidence.HIGH: Confidence.MEDIUM, Confidence.MEDIUM: Confidence.LOW, Confidence.LOW: Confidence.LOW}
# sinks whose target a project function usually builds for the server when it computes it from a
# client's value (a thread's URL from its id, an export's path from a user id and a name), so a
# value that passed through one is weaker evidence. Measured on the development half of the triage
# corpus (session 22, labelled findings): open-redirect 0 true / 9 false through such a function
# against 7 / 10 otherwise, path-traversal 0 / 6 against 4 / 15. Not for text a helper formats
# (sql-injection: a helper that formats the ORDER BY is the injection itself; 1 / 2), nor where
# the labels showed no difference (ssrf 1 / 3 against 3 / 12; xss and trust-boundary had no true).
_BUILT_TARGETS = frozenset({"open-redirect", "path-traversal"})


def evidence_grade(flow: TaintFlow) -> Confidence:
    """How strongly the flow shows client data at the sink: the sink's own judgement of the value
    (taint/predicates.py), one grade lower for a redirect target or a file path that is the result
    a project function computed from the client's value (a `THROUGH` step: `get_thread(request,
    thread_id)`, `build_snapshot_url(id, path)`), which may be a row it looked up or a URL or path
    it laid out itself. A value read in the handler, or read by a helper and returned as it is
    (`returned by`), keeps the sink's grade."""
    grade = {"high": Confidence.HIGH, "low": Confidence.LOW}.get(flow.sink.confidence, Confidence.MEDIUM)
    if flow.sink.kind in _BUILT_TARGETS and any(step.text.startswith(THROUGH) for step in flow.source.trace):
        return _WEAKER[grade]
    return grade


def _flow_key(callee: str, label: str, first: Step | None) -> str:
    """What identifies a flow besides its sink line: the sink, the source and where the source
    is, by file and code, never by line, so fingerprints survive code moving around."""
    if first is None:
        return f"{callee}|{label}|"
    return f"{callee}|{label}|{first.path}:{' '.join(first.code.split())}"


def _dedupe(steps: list[TraceStep]) -> tuple[TraceStep, ...]:
    out: list[TraceStep] = []
    for step in steps:
        if out and out[-1].location.path == step.location.path and out[-1].location.start_line == step.location.start_line \
                and out[-1].description == step.description:
            continue
        out.append(step)
    return tuple(out)


def _builds_text(code: str) -> bool:
    """Does this line format a string (f-string, %, .format, +)? That is where to fix it."""
    return bool(re.search(r"""\bf["']|%\s*\(|%\s*\w|\.format\(|["']\s*\+|\+\s*["']""", code))


def _crosses_functions(flow: TaintFlow) -> bool:
    return any(step.text.startswith(("passed to", THROUGH, "returned by")) for step in flow.source.trace)
