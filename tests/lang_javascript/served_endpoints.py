"""Run one endpoint-matrix case (tests/lang_javascript/endpoint_matrix/<form>/) through the
review's own pipeline and return what the matrix asserts: the endpoint inventory the overview
lists, and the reach of every line a request must (or must not) run.

A case is a small application written as its framework's documentation shows the form, with
`endpoints.yaml` (each endpoint: method, full path, handler, auth) and reach marks in the code:
`// reach: request` on a line a request runs (the handler's body, what it calls), `// reach: none`
on a look-alike no request runs (a function no route names).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from servicelens.analysis import project as project_phase
from servicelens.analysis.base import Project
from servicelens.analysis.overview import endpoints_of
from servicelens.config.settings import Settings
from servicelens.endpoints.inventory import with_inventory
from servicelens.frameworks.js_project import with_js_routes
from servicelens.runner import CODE_LANGUAGES, _file_facts, _read_sources, js_configs
from servicelens.sources.discovery import discover

_MARK = re.compile(r"//\s*reach:\s*(request|none)\b")


@dataclass(frozen=True, slots=True)
class Served:
    endpoints: frozenset[tuple[str, str, str, str]]  # (method, path, handler, auth)
    reach: dict[tuple[str, int], str]  # (file, line) of every mark -> the reach found there
    marks: dict[tuple[str, int], str]  # (file, line) -> the reach the mark demands


def expected_endpoints(case: Path) -> frozenset[tuple[str, str, str, str]]:
    rows = yaml.safe_load((case / "endpoints.yaml").read_text("utf-8"))["endpoints"]
    return frozenset((r["method"], r["path"], r["handler"], r["auth"]) for r in rows)


def serve(case: Path) -> Served:
    settings = replace(Settings(use_cache=False), profile="extended")
    found = discover(case, settings)
    sources = [s for s, _ in _read_sources(found, settings, {}) if s is not None]
    facts = with_js_routes(_file_facts([s for s in sources if s.kind in CODE_LANGUAGES], settings,
                                       frozenset(), None, None), js_configs(sources))
    project = Project(found.root, settings, tuple(sources), {})
    served = with_inventory(facts)
    index = project_phase._reach(served, project)
    endpoints = frozenset((e.method, e.path, e.handler.removeprefix(fact.module_name + "."), e.auth)
                          for fact in served for e in endpoints_of(fact))
    marks = {(s.rel, number): match.group(1) for s in sources
             for number, text in enumerate(s.text.splitlines(), 1) if (match := _MARK.search(text))}
    reach = {key: index.at(*key).kind or "unknown" for key in marks}
    return Served(endpoints, reach, marks)

