#!/usr/bin/env python3
"""What the second, demand-driven per-file pass (servicelens/analysis/revisit.py) costs in a review:
per rule that asks, how many files and functions it asked about and the CPU seconds of lowering
them again and answering. `phase_costs.py` times the first pass only; this is the rest of the
per-file work, done in the project phase.

    python benchmarks/revisit_costs.py ROOT [--jobs N]

Reviews ROOT (extended profile, no cache) through the real runner with `Revisits.asker` wrapped.
`PYTHONPATH=<other checkout>/src` measures another version (one without the second pass reports
nothing asked).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from servicelens.api import review
from servicelens.config.settings import Settings


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args(argv)
    costs: dict[str, dict[str, float]] = defaultdict(lambda: {"files": 0, "functions": 0, "cpu_s": 0.0})
    try:
        from servicelens.analysis import revisit
    except ImportError:  # pragma: no cover - a checkout without the second pass
        revisit = None  # type: ignore[assignment]
    if revisit is not None:
        original = revisit.Revisits.asker

        def asker(self, rule):  # type: ignore[no-untyped-def]
            ask = original(self, rule)

            def timed(wanted):  # type: ignore[no-untyped-def]
                start = time.process_time()
                try:
                    return ask(wanted)
                finally:
                    row = costs[rule.id]
                    row["files"] += sum(1 for names in wanted.values() if names)
                    row["functions"] += sum(len(names) for names in wanted.values())
                    row["cpu_s"] += time.process_time() - start
            return timed

        revisit.Revisits.asker = asker  # type: ignore[method-assign]
    start = time.process_time()
    report = review(args.root, Settings(jobs=args.jobs, use_cache=False, profile="extended"))
    total = time.process_time() - start
    for rule, row in sorted(costs.items()):
        print(f"  {rule}: {int(row['files'])} files, {int(row['functions'])} functions, {row['cpu_s']:.3f} CPU s")
    print(json.dumps({"findings": len(report.findings), "this_process_cpu_s": round(total, 3),
                      "second_pass": {k: {**v, "cpu_s": round(v["cpu_s"], 3)} for k, v in sorted(costs.items())}}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
