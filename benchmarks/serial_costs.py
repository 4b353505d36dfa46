#!/usr/bin/env python3
"""What the main process of one review spends, step by step, next to what its workers spend.

    python benchmarks/serial_costs.py ROOT [--jobs N] [--profile default|extended] [--output REPORT.json]

With two workers on two cores the wall time of a review is roughly the main process's own
work before and after the per-file phase (start-up, discovery, reading, the operation ids
every worker needs, the project phase, rendering) plus half the workers' CPU: the first part
is serial, so a CPU second there costs a full second of wall time, twice what a second inside
a worker costs. `phase_costs.py` times the per-file phase in one process; this script times
the rest. The runner's own functions are wrapped where `review_tree` looks them up, so nothing
here re-implements the review. Prints one line per step (CPU and wall seconds of this
process), then this process's and its children's CPU; `--output` writes the JSON report.
`PYTHONPATH=<other checkout>/src` measures another version the same way.
"""
from __future__ import annotations

import time

_START = (time.process_time(), time.perf_counter())  # before the imports: start-up is a step too

import argparse
import resource
import sys
from dataclasses import replace
from pathlib import Path
from typing import Callable

from servicelens import runner
from servicelens.config.loader import load_settings
from servicelens.render.json_report import render_json

_STEPS = ("discover", "_read_sources", "_operation_ids", "_file_facts", "run_project_analyses")


def _marked(marks: list[tuple[str, float, float]], name: str, fn: Callable) -> Callable:
    def run(*args, **kwargs):
        result = fn(*args, **kwargs)
        if name == "_read_sources":  # a generator: its cost is in consuming it
            result = list(result)
        marks.append((name, time.process_time(), time.perf_counter()))
        return result
    return run


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: the CPU count)")
    parser.add_argument("--profile", default="default")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"serial_costs: {args.root} is not a directory", file=sys.stderr)
        return 2
    marks = [("start-up (imports)", time.process_time(), time.perf_counter())]
    for name in _STEPS:
        setattr(runner, name, _marked(marks, name, getattr(runner, name)))
    settings = replace(load_settings(args.root), use_cache=False, profile=args.profile, jobs=args.jobs)
    report = runner.review_tree(args.root, settings)
    text = render_json(report)
    marks.append(("render", time.process_time(), time.perf_counter()))
    if args.output is not None:
        args.output.write_text(text)
    cpu, wall = _START
    for label, at_cpu, at_wall in marks:
        print(f"  {label:22s} CPU {at_cpu - cpu:6.2f} s  wall {at_wall - wall:6.2f} s")
        cpu, wall = at_cpu, at_wall
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"main process CPU {time.process_time() - _START[0]:.2f} s, workers CPU "
          f"{children.ru_utime + children.ru_stime:.2f} s, wall {time.perf_counter() - _START[1]:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
