#!/usr/bin/env python3
"""What demand-driven taint could save: the intra-procedural engine's time by what each function's
summary holds, and the engine's time with every parameter origin removed, in one process.

    python benchmarks/taint_demand.py ROOT [--repeat N]

Every Python file servicelens would analyse under ROOT (tests excluded) is lowered once with the
real `lower_python`; then `analyze_function` runs on every function, timed per function. Each
function is put in a class by its summary: no call in its body, calls but no project call record,
project call records; and whether any part (returns, sinks, call arguments, fields) carries an origin.
A summary with project call records is read by reach, state changes and the registries whatever its
taint, so only its taint can be left out, never its run. The second measure is that ceiling: the
engine with each parameter's origin dropped at entry (nearly all taint a function carries is its
parameters'; what is left is request sources and call results), alternating with the full engine
`--repeat` times. CPU seconds of this process.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

from servicelens import ir
from servicelens.analysis import python_file
from servicelens.analysis.postprocess import is_test_path
from servicelens.config.settings import Settings
from servicelens.sources.discovery import discover
from servicelens.sources.parsing import ParserPool
from servicelens.sources.reading import read_source
from servicelens.taint import calls, intra
from servicelens.taint.models import load_models
from servicelens.taint.summary import FunctionSummary
from servicelens.taint.values import Value


def _carries_taint(summary: FunctionSummary) -> bool:
    if summary.returns or summary.sinks or summary.returned_fields or any(t for _, _, t in summary.fields):
        return True
    return any(c.fallback or any(c.args) or any(t for _, t in c.kwargs) for c in summary.calls)


def _shape(function: ir.Function, summary: FunctionSummary) -> str:
    if next(ir.calls_in_body(function.body), None) is None:
        called = "no call"
    else:
        called = "project call records" if summary.calls else "calls, no project call record"
    return f"{called} / {'taint' if _carries_taint(summary) else 'no taint'}"


def _lowered(root: Path) -> list[python_file.LoweredPython]:
    found = discover(root, Settings())
    sources = [s for s, _ in (read_source(item) for item in found.files)
               if s is not None and s.kind == "python" and not is_test_path(s.rel)]
    parsers, models = ParserPool(), load_models("python", ())
    return [python_file.lower_python(s.rel, s.text, tuple(s.text.splitlines()), parsers, models, frozenset())
            for s in sources]


def _without_parameter_origins(original):  # type: ignore[no-untyped-def]
    def initial_params(self):  # type: ignore[no-untyped-def]
        return {name: Value(frozenset(o for o in value.taint if o.base[0] != "par"), value.const, value.elements,
                            value.shape, value.tags) for name, value in original(self).items()}
    return initial_params


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    lowered = _lowered(args.root)
    cost: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    for file in lowered:
        for function in file.module.functions:
            start = time.process_time()
            summary = intra.analyze_function(file.scope, function)
            shape = _shape(function, summary)
            cost[shape] += time.process_time() - start
            count[shape] += 1
    total = sum(cost.values())
    print(f"{len(lowered)} files, {sum(count.values())} functions: engine {total:.2f} s")
    for shape in sorted(cost, key=lambda k: -cost[k]):
        print(f"  {cost[shape]:7.3f} s {100 * cost[shape] / total:5.1f}%  {count[shape]:6d}  {shape}")
    original = calls.CallEvaluator.initial_params
    best = {"full": float("inf"), "no parameter origins": float("inf")}
    try:
        for _ in range(max(1, args.repeat)):
            for mode in best:
                calls.CallEvaluator.initial_params = original if mode == "full" else _without_parameter_origins(original)
                start = time.process_time()
                for file in lowered:
                    for function in file.module.functions:
                        intra.analyze_function(file.scope, function)
                best[mode] = min(best[mode], time.process_time() - start)
    finally:
        calls.CallEvaluator.initial_params = original
    print("engine, minimum of the runs: " + ", ".join(f"{mode} {seconds:.3f} s" for mode, seconds in best.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
