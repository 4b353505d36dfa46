#!/usr/bin/env python3
"""Where servicelens's per-file phase spends its time, in one process: parse, lowering,
intra-procedural taint, the file index, each rule's `check` and `collect`, each framework
fact, and the rest; plus, outside the total, what the runner spends on the test files it
does not analyse (unless `--include-tests`): since session 12 a name and a line count, no parse.

    python benchmarks/phase_costs.py ROOT [--include-tests] [--top N] [--repeat N]

Every Python file servicelens would analyse under ROOT (tests excluded unless asked) goes
through the real `analyze_python`; the phases are timed by wrapping the functions it calls,
so nothing here re-implements the analysis. Times are CPU seconds of this process (on a
shared machine less noisy than wall time). With `--repeat N` each file is analysed N times
and the minimum per phase is kept. Prints a table and one JSON line with the totals. Each file
runs with the cyclic collector paused, as in the runner.
`PYTHONPATH=<other checkout>/src` measures another version the same way.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Callable

from servicelens.analysis import python_file
from servicelens.analysis.postprocess import is_test_path
from servicelens.config.settings import Settings
from servicelens.rules.base import Rule, discover_rules
from servicelens.sources.discovery import discover
from servicelens.sources.parsing import ParserPool
from servicelens.sources.reading import read_source
from servicelens.taint.models import load_models

try:  # the runner pauses the cyclic collector per file; older checkouts did not
    from servicelens.collector import collector_paused
except ImportError:  # pragma: no cover - measuring an older checkout
    from contextlib import nullcontext as collector_paused  # type: ignore[assignment]


# functions `analyze_python` calls, timed where it looks them up (a version without one is
# timed without it, so the script also measures older checkouts)
_PHASES = (("lower_module", "lowering"), ("analyze_function", "taint (functions)"),
           ("analyze_module_body", "taint (module body)"), ("file_index", "file index (the one traversal)"),
           ("build_index", "file index (the one traversal)"),
           # the framework and project facts, each once per file
           *((name, f"facts: {name}") for name in (
               "registrations", "find_handlers", "module_principals", "entry_points", "url_patterns",
               "settings_facts", "router_includes", "applications", "request_hooks", "class_decorator_refs",
               "function_spans", "receiver_calls", "privileged_handlers", "find_suppressions",
               "_class_bases", "_auth_classes",
               # read for every file too, and untimed until session 30 (registry_facts was ~0.6 s of saleor)
               "registry_facts", "path_facts", "unreachable_statements", "framework_calls", "signature_checks",
               "table_reads", "verifying_handlers", "writing_functions", "import_time_lines", "method_maps",
               # untimed until session 39 (pattern_decorating_helpers was ~0.28 s of saleor)
               "pattern_decorating_helpers", "handed_functions", "parameter_runners", "attribute_classes",
               "personal_reads", "session_enders", "returned_routers", "bound_routers", "falcon_applications",
               "resource_gated_methods", "recording_decorators", "declared_tables", "imported_table_loops",
               "handler_tables", "decorator_mounts", "app_deadlines", "route_patterns", "default_permissions",
               "security_policies", "generic_view_candidates", "dependency_sources")))


def _timed(costs: dict[str, float], key: str, fn: Callable) -> Callable:
    def run(*args, **kwargs):
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            costs[key] += time.process_time() - start
    return run


def _timed_generator(costs: dict[str, float], key: str, fn: Callable) -> Callable:
    """`check` is usually a generator: its cost is in consuming it, so consume it here."""
    def run(*args, **kwargs):
        start = time.process_time()
        try:
            return list(fn(*args, **kwargs))
        finally:
            costs[key] += time.process_time() - start
    return run


def _timed_rules(rules: tuple[Rule, ...], costs: dict[str, float]) -> tuple[Rule, ...]:
    out = []
    for rule in rules:
        collect = _timed(costs, f"collect {rule.id}", rule.collect) if rule.collect is not None else None
        out.append(replace(rule, check=_timed_generator(costs, f"check {rule.id}", rule.check), collect=collect))
    return tuple(out)


def measure(root: Path, include_tests: bool, repeat: int) -> tuple[dict[str, float], int, int]:
    settings = Settings()
    found = discover(root, settings)
    sources = [s for s, _ in (read_source(item) for item in found.files) if s is not None and s.kind == "python"]
    tests = [] if include_tests else [s for s in sources if is_test_path(s.rel)]
    if not include_tests:
        sources = [s for s in sources if not is_test_path(s.rel)]
    parsers, models = ParserPool(), load_models("python", ())
    best: dict[str, float] = {}
    for _ in range(repeat):
        costs: dict[str, float] = defaultdict(float)
        rules = _timed_rules(discover_rules("servicelens.rules.python"), costs)
        patched = {name: getattr(python_file, name) for name, _ in _PHASES if hasattr(python_file, name)}
        for name, label in _PHASES:
            if name in patched:
                setattr(python_file, name, _timed(costs, label, patched[name]))
        parsers.parse = _timed(costs, "parse", ParserPool.parse.__get__(parsers))  # type: ignore[method-assign]
        try:
            start = time.process_time()
            for source in sources:
                with collector_paused():  # as the runner analyses each file
                    python_file.analyze_python(source.rel, source.text, parsers, models, frozenset(), rules)
            costs["TOTAL"] = time.process_time() - start
        finally:
            for name, original in patched.items():
                setattr(python_file, name, original)
            del parsers.parse
        # test code the runner does not analyse (not in TOTAL): parsed for syntax diagnostics
        # before session 12, only named and counted since
        start = time.process_time()
        for source in tests:
            python_file.analyze_python(source.rel, source.text, parsers, models, frozenset(), rules, False)
        costs["TESTS"] = time.process_time() - start
        for key, value in costs.items():
            best[key] = min(best.get(key, value), value)
    lines = sum(s.text.count("\n") + 1 for s in sources)
    return best, len(sources), lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--include-tests", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"phase_costs: {args.root} is not a directory", file=sys.stderr)
        return 2
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    costs, files, lines = measure(args.root, args.include_tests, max(1, args.repeat))
    total, tests = costs.pop("TOTAL"), costs.pop("TESTS")
    rules_check = sum(v for k, v in costs.items() if k.startswith("check "))
    rules_collect = sum(v for k, v in costs.items() if k.startswith("collect "))
    accounted = sum(costs.values())
    print(f"{files} files, {lines} lines: {total:.2f} s per-file phase")
    print(f"  rules check {rules_check:.2f} s, rules collect {rules_collect:.2f} s, "
          f"other facts {total - accounted:.2f} s")
    if tests:
        print(f"  test files not analysed (not in the total): {tests:.2f} s")
    for key, value in sorted(costs.items(), key=lambda kv: -kv[1])[:args.top]:
        print(f"  {value:8.3f} s  {100 * value / total:5.1f}%  {key}")
    print(json.dumps({"files": files, "lines": lines, "total": round(total, 3), "rules_check": round(rules_check, 3),
                      "rules_collect": round(rules_collect, 3), "other": round(total - accounted, 3),
                      "tests_parsed": round(tests, 3),
                      **{k: round(v, 3) for k, v in costs.items() if not k.startswith(("check ", "collect "))}}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
