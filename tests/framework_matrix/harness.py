"""Run the pipeline over a small app and keep what the framework matrix asserts: the endpoint
inventory (method, path, handler) and the reach of every function (analysis/reach.py), the
same reach the report profile and the recall stages read."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from servicelens import __version__
from servicelens.analysis import project as project_phase
from servicelens.analysis.base import Project
from servicelens.analysis.revisit import Revisits
from servicelens.config.loader import load_settings
from servicelens.endpoints.inventory import with_inventory
from servicelens.frameworks.js_project import with_js_routes
from servicelens.runner import CODE_LANGUAGES, _file_facts, _operation_ids, _read_sources
from servicelens.sources.discovery import discover

# `def name(...):  # reach: request` (or `# reach: none` for code nothing may be said to reach); on
# any other line (a class body's `fields = ...`), the reach of that line itself
_MARK = re.compile(r"^\s*(?:(?:async\s+)?def\s+(\w+)|(\w+)).*#\s*reach:\s*([\w-]+)\s*$")


@dataclass(frozen=True, slots=True)
class Served:
    endpoints: frozenset[tuple[str, str, str]]  # (method, path, handler's module.qualname)
    reach: dict[tuple[str, int], str]  # (file, def line) -> reach kind ("" unknown)
    expected: dict[tuple[str, int], str]  # (file, def line) -> the kind the app's comment asks for
    names: dict[tuple[str, int], str]  # (file, def line) -> function name, for messages


def serve(root: Path) -> Served:
    settings = replace(load_settings(root), profile="extended", use_cache=False)
    found = discover(root, settings)
    sources = [s for s, _ in _read_sources(found, settings, {}) if s is not None]
    operation_ids = _operation_ids(sources)
    facts = with_js_routes(_file_facts([s for s in sources if s.kind in CODE_LANGUAGES], settings, operation_ids,
                                       None, None))
    project = Project(found.root, settings, tuple(sources), {})
    revisits = Revisits.of(((s.rel, s.text) for s in sources if s.kind == "python"), settings.extra_model_dirs,
                           operation_ids)
    report = project_phase.run_project_analyses(project, facts, (), __version__, revisits)
    index = project_phase._reach(with_inventory(facts, project_phase._operations(project, facts)), project)
    endpoints = frozenset((e.method, e.path, e.handler) for s in report.overview.services for e in s.endpoints)
    reach, expected, names = {}, {}, {}
    for source in sources:
        if source.kind != "python":
            continue
        for number, line in enumerate(source.text.splitlines(), 1):
            mark = _MARK.match(line)
            if mark:
                key = (source.rel, number)
                names[key] = mark.group(1) or mark.group(2)
                expected[key] = "" if mark.group(3) == "none" else mark.group(3)
                # a def: the first line of its body (the def line itself may carry decorators' reach)
                reach[key] = index.at(source.rel, number + 1 if mark.group(1) else number).kind
    return Served(endpoints, reach, expected, names)


def expected_endpoints(root: Path) -> frozenset[tuple[str, str, str]]:
    """`endpoints.tsv`: method, path, handler per line (# comments)."""
    path = root / "endpoints.tsv"
    if not path.exists():
        return frozenset()
    rows = [line.split("\t") for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    return frozenset((m, p, h) for m, p, h in rows)
