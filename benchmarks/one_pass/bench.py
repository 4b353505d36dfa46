#!/usr/bin/env python3
"""CPU seconds and peak memory: the parse-and-walk floor, the flat-table build plus the two queries,
and today's lowering + file index + scope + the same two rules, on one tree (tests excluded).

    python -m benchmarks.one_pass.bench ROOT [--repeat N]   # from the worktree root, project venv

Each side runs in its own child process (so each has its own peak RSS); the files are read before
the clock starts. Times are process CPU seconds (`time.process_time`), the minimum over `--repeat`
runs. Today's functions are timed where `lower_python` looks them up, as benchmarks/phase_costs.py
does; the rules get the same gates the runner gives them (`requires` text, `needs` index).
Prints a table and one JSON line.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _floor(sources: list[tuple[str, str]]) -> dict[str, float]:
    import tree_sitter_python
    from tree_sitter import Language, Parser

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from parse_walk_floor import walk

    parser = Parser(Language(tree_sitter_python.language()))
    datas = [text.encode("utf-8", "surrogateescape") for _, text in sources]
    start = time.process_time()
    nodes = sum(walk(parser.parse(data)) for data in datas)
    return {"parse+walk": time.process_time() - start, "nodes": nodes}


def _tables(sources: list[tuple[str, str]]) -> dict[str, float]:
    import tree_sitter_python
    from tree_sitter import Language, Parser

    from benchmarks.one_pass.queries import http_client_constructors, loop_round_trips, missing_timeouts
    from benchmarks.one_pass.tables import build
    from servicelens.rules.python._http_clients import http_clients

    clients = http_clients()
    http_client_constructors()  # data files read once, before the clock, as a rule module's import would
    parser = Parser(Language(tree_sitter_python.language()))
    datas = [(rel, text.encode("utf-8", "surrogateescape")) for rel, text in sources]
    costs: dict[str, float] = defaultdict(float)
    hits = 0
    for rel, data in datas:
        t0 = time.process_time()
        tree = parser.parse(data)
        t1 = time.process_time()
        tables = build(tree, data, rel)
        t2 = time.process_time()
        hits += len(missing_timeouts(tables, clients))
        t3 = time.process_time()
        hits += len(loop_round_trips(tables))
        t4 = time.process_time()
        costs["parse"] += t1 - t0
        costs["tables build"] += t2 - t1
        costs["query missing-timeout"] += t3 - t2
        costs["query query-in-loop"] += t4 - t3
    costs["TOTAL"] = sum(costs.values())
    costs["hits"] = hits
    return dict(costs)


def _today(sources: list[tuple[str, str]]) -> dict[str, float]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from phase_costs import _timed  # the per-phase timer today's phase profile uses

    from servicelens.analysis import python_file
    from servicelens.analysis.python_file import lower_python
    from servicelens.collector import collector_paused
    from servicelens.config.settings import Settings
    from servicelens.rules.python import perf_missing_timeout, perf_query_in_loop
    from servicelens.sources.parsing import ParserPool
    from servicelens.taint.models import load_models

    parsers, models = ParserPool(), load_models("python", ())
    costs: dict[str, float] = defaultdict(float)
    patched = {name: getattr(python_file, name) for name in ("lower_module", "build_index")}
    python_file.lower_module = _timed(costs, "lowering", patched["lower_module"])
    python_file.build_index = _timed(costs, "file index", patched["build_index"])
    parsers.parse = _timed(costs, "parse", ParserPool.parse.__get__(parsers))  # type: ignore[method-assign]
    loop_rule, timeout_rule = perf_query_in_loop.RULE, perf_missing_timeout.RULE
    collected, found = {}, 0
    try:
        for rel, text in sources:
            with collector_paused():
                t0 = time.process_time()
                lowered = lower_python(rel, text, tuple(text.splitlines()), parsers, models, frozenset())
                t1 = time.process_time()
                lower_text = text.lower()
                for rule, key in ((loop_rule, "rule query-in-loop"), (timeout_rule, "rule missing-timeout")):
                    start = time.process_time()
                    if rule.applies_to(lower_text) and (rule.needs is None or lowered.index.holds(rule.needs)):
                        found += len(list(rule.check(lowered.module, lowered.scope)))
                        if rule.collect is not None and (facts := rule.collect(lowered.module, lowered.scope)):
                            collected[rel] = facts
                    costs[key] += time.process_time() - start
                costs["lower_python"] += t1 - t0
        start = time.process_time()
        found += len(list(perf_missing_timeout.combine(collected, Settings())))
        costs["rule missing-timeout"] += time.process_time() - start
    finally:
        for name, fn in patched.items():
            setattr(python_file, name, fn)
    costs["scope (facts, module-body taint)"] = costs["lower_python"] - costs["parse"] - costs["lowering"] \
        - costs["file index"]
    del costs["lower_python"]
    costs["TOTAL"] = sum(costs.values())
    costs["hits"] = found
    return dict(costs)


_SIDES = {"floor": _floor, "tables": _tables, "today": _today}


def child(side: str, root: Path, repeat: int) -> dict[str, float]:
    """One side in this process: read the files, then run it `repeat` times, keeping minima."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    from benchmarks.one_pass.sources import python_sources

    sources = python_sources(root)
    before = _rss_mb()
    best: dict[str, float] = {}
    for _ in range(repeat):
        for key, value in _SIDES[side](sources).items():
            best[key] = min(best.get(key, value), value)
    best.update({"files": len(sources), "lines": sum(t.count("\n") + 1 for _, t in sources),
                 "rss_before_mb": round(before, 1), "peak_rss_mb": round(_rss_mb(), 1)})
    return best


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--side", choices=sorted(_SIDES), help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args(argv)
    if args.side:
        print(json.dumps(child(args.side, args.root, max(1, args.repeat))))
        return 0
    results = {}
    for side in ("floor", "tables", "today"):
        out = subprocess.run([sys.executable, "-m", "benchmarks.one_pass.bench", str(args.root), "--side", side,
                              "--repeat", str(args.repeat)], capture_output=True, text=True, check=True)
        results[side] = json.loads(out.stdout.strip().splitlines()[-1])
    floor, tables, today = results["floor"], results["tables"], results["today"]
    print(f"{args.root}: {floor['files']} files, {floor['lines']} lines (tests excluded)")
    for side in ("floor", "tables", "today"):
        row = results[side]
        total = row.get("TOTAL", row.get("parse+walk"))
        print(f"  {side:7s} {total:7.2f} s CPU  peak RSS {row['peak_rss_mb']:.0f} MB "
              f"(after reading the files {row['rss_before_mb']:.0f} MB)")
        for key, value in row.items():
            if key not in ("TOTAL", "files", "lines", "rss_before_mb", "peak_rss_mb", "nodes", "hits"):
                print(f"            {key:36s} {value:7.2f} s")
    print(f"  tables / floor {tables['TOTAL'] / floor['parse+walk']:.2f}x; today / floor "
          f"{today['TOTAL'] / floor['parse+walk']:.2f}x; today / tables {today['TOTAL'] / tables['TOTAL']:.1f}x")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
