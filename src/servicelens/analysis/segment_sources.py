"""Path traversal needs a separator: URL variables the router keeps in one segment have none.

A handler's parameter filled from the URL (`/backups/<str:filename>`, `@app.get("/x/{name}")`)
reaches it unable to hold `/` unless its converter is `path` (frameworks.url_segments). Joined
under a directory such a value names one entry there, as `os.path.basename(...)` would, so a
path built from it is not a traversal. Where the URL rule is written is often another file (a
Django URLconf, a Flask `add_url_rule`), so this is decided once the project's routes are
bound, over the resolved flows: a path-traversal flow whose client value is such a variable
is dropped; other kinds keep it (the segment can still spell markup or SQL). A variable every
rule types as a number, a UUID, a slug or a plain regex group (frameworks.url_segments
`typed_variables`) can spell nothing at all: every flow from it is dropped, but for
trust-boundary, where what matters is whose value it is, not what it can spell.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable, Iterable, Sequence

from servicelens.analysis.facts import FileFacts
from servicelens.analysis.overview import endpoints_of, view_paths
from servicelens.frameworks.url_segments import segment_variables, typed_variables, url_variables
from servicelens.taint.carriers import param_source_name
from servicelens.taint.resolve import TaintFlow

_KIND = "path-traversal"
_CLIENTS_STILL = "trust-boundary"


def without_segment_traversals(flows: Sequence[TaintFlow], facts: Sequence[FileFacts]) -> list[TaintFlow]:
    """`flows` less the path-traversal ones whose source is a one-segment URL variable, and
    every one whose source is a typed URL variable."""
    # a typed value is still the client's: stored in the session it still crosses the trust boundary
    spelled = {id(flow) for flow in _without([flow for flow in flows if flow.sink.kind != _CLIENTS_STILL], facts,
                                             typed_variables, None)}
    flows = [flow for flow in flows if flow.sink.kind == _CLIENTS_STILL or id(flow) in spelled]
    return _without(flows, facts, segment_variables, _KIND)


def _without(flows: Sequence[TaintFlow], facts: Sequence[FileFacts],
             variables: Callable[[str], frozenset[str]], kind: str | None) -> list[TaintFlow]:
    candidates = [flow for flow in flows if _parameter_source(flow, kind) is not None]
    if not candidates:
        return list(flows)
    confined = _confined_parameters(facts, {flow.source.trace[0].path for flow in candidates}, variables)
    return [flow for flow in flows if not _confined(flow, confined, kind)]


def _parameter_source(flow: TaintFlow, kind: str | None) -> tuple[str, int, str] | None:
    """(file, line, parameter) of a flow (of `kind`, if given) that starts at a handler parameter."""
    source = flow.source
    if (kind is not None and flow.sink.kind != kind) or source.base[0] != "src" or not source.trace:
        return None
    first = source.trace[0]
    name = param_source_name(first.text)
    return (first.path, first.line, name) if name else None


def _confined(flow: TaintFlow, confined: dict[str, list[tuple[int, int, frozenset[str]]]], kind: str | None) -> bool:
    found = _parameter_source(flow, kind)
    if found is None:
        return False
    rel, line, name = found
    spans = [names for start, end, names in confined.get(rel, ()) if start <= line <= end]
    return bool(spans) and name in spans[-1]  # the innermost handler whose lines hold the parameter


def _confined_parameters(facts: Sequence[FileFacts], rels: Iterable[str], variables: Callable[[str], frozenset[str]]
                         ) -> dict[str, list[tuple[int, int, frozenset[str]]]]:
    """file -> (first line, last line, one-segment variables) of each of its handlers, outer
    first: the variables every path the handler answers at confines (a handler bound at two
    rules, one of them `<path:name>`, confines only what both do)."""
    wanted = set(rels)
    paths = view_paths(facts)
    rebound = _bound_more_than_once(facts)
    out: dict[str, list[tuple[int, int, frozenset[str]]]] = {}
    for fact in facts:
        if fact.rel not in wanted or not fact.routes:
            continue
        ends = {span.line: span.end_line for span in fact.spans}
        by_line: dict[int, frozenset[str] | None] = {}
        for endpoint in endpoints_of(fact, paths):
            line = endpoint.location.start_line
            if any(endpoint.handler == t or endpoint.handler.endswith("." + t) for t in rebound):
                by_line[line] = frozenset()  # listed at its first URL only: the others may say otherwise
                continue
            # two URL parameters declared on one line share one origin (taint keys origins by
            # label and line), so a handler is judged only when all its URL variables are confined
            names = variables(endpoint.path)
            names = names if names == url_variables(endpoint.path) else frozenset()
            known = by_line.get(line)
            by_line[line] = names if line not in by_line else (known or frozenset()) & names
        out[fact.rel] = sorted((line, ends.get(line, line), names or frozenset()) for line, names in by_line.items())
    return out


def _bound_more_than_once(facts: Sequence[FileFacts]) -> frozenset[str]:
    """Django views a URLconf binds at more than one pattern (the endpoint lists the first)."""
    seen = Counter(p.target for fact in facts for p in fact.url_patterns or () if p.kind == "view")
    return frozenset(target for target, count in seen.items() if count > 1)
