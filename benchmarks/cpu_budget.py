#!/usr/bin/env python3
"""CPU budget check: what a cold review costs, as a multiple of the parse-and-walk floor measured
in the same run, so a merge that adds rule cost shows up before it lands.

    python benchmarks/cpu_budget.py [ROOT] [--repeat N] [--jobs N] [--budget RATIO] [--json]

ROOT defaults to the pinned saleor checkout of the triage corpus
(/work/corpus/saleor+saleor/saleor). Each repeat runs, one after the other, in child processes:

- the floor: `parse_walk_floor.py` (read every Python file servicelens reviews, tests excluded,
  parse it with tree-sitter and visit every node once, in one process);
- a cold servicelens review (`review ROOT --no-cache`, JSON to /dev/null, default profile).

Each side's CPU seconds are user + system of the child and everything it waited for (the review's
workers), read from `os.wait4`; the minimum over the repeats is kept. The ratio of the two is what
the check reports: CPU seconds, not wall time, and both measured under the same load, so the ratio
moves little with the machine's load while each time alone moves a lot. It is not a test: tests
never depend on machine speed. `--budget RATIO` exits 1 when the ratio is above it.
`PYTHONPATH=<other checkout>/src` measures another version the same way.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = Path("/work/corpus/saleor+saleor/saleor")

_LIST_FILES = r"""
import sys
from pathlib import Path
from servicelens.analysis.postprocess import is_test_path
from servicelens.config.loader import load_settings
from servicelens.sources.discovery import discover
root = Path(sys.argv[1])
found = discover(root, load_settings(root))
print("\n".join(f.rel for f in found.files if f.kind == "python" and not is_test_path(f.rel)))
"""


@dataclass(frozen=True, slots=True)
class Run:
    cpu: float  # user + system seconds of the child and its waited-for descendants
    status: int


def run_child(cmd: list[str]) -> Run:
    """Start `cmd` with its output discarded and return its CPU seconds, children included."""
    with open(os.devnull, "wb") as null:
        process = subprocess.Popen(cmd, stdout=null, stderr=null)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    return Run(usage.ru_utime + usage.ru_stime, process.returncode)


def reviewed_files(root: Path) -> list[str]:
    """The Python files servicelens reviews under `root` with test code excluded (its default)."""
    out = subprocess.run([sys.executable, "-c", _LIST_FILES, str(root)], capture_output=True, text=True, check=True)
    return [line for line in out.stdout.splitlines() if line]


def measure(root: Path, repeat: int, jobs: int) -> dict[str, object]:
    files = reviewed_files(root)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(files) + "\n")
    review = [sys.executable, "-m", "servicelens", "review", str(root), "--no-cache", "-q", "--format", "json",
              "--output", os.devnull]
    if jobs:
        review += ["--jobs", str(jobs)]
    floors: list[float] = []
    reviews: list[float] = []
    try:
        for _ in range(repeat):
            floor = run_child([sys.executable, str(HERE / "parse_walk_floor.py"), str(root), listing.name])
            cold = run_child(review)
            if floor.status != 0 or cold.status not in (0, 1):
                raise SystemExit(f"cpu_budget: a child failed (floor exit {floor.status}, review exit {cold.status})")
            floors.append(floor.cpu)
            reviews.append(cold.cpu)
    finally:
        os.unlink(listing.name)
    return {"root": str(root), "files": len(files), "repeat": repeat, "jobs": jobs or "default",
            "floor_cpu_s": round(min(floors), 2), "review_cpu_s": round(min(reviews), 2),
            "floor_runs": [round(x, 2) for x in floors], "review_runs": [round(x, 2) for x in reviews],
            "ratio": round(min(reviews) / min(floors), 2), "load_1min": round(os.getloadavg()[0], 1)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, nargs="?", default=DEFAULT_ROOT)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each side; the minimum is kept (default 2)")
    parser.add_argument("--jobs", type=int, default=0, help="the review's worker processes (default: its own choice)")
    parser.add_argument("--budget", type=float, default=None, help="exit 1 when the ratio is above this")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"cpu_budget: {args.root} is not a directory", file=sys.stderr)
        return 2
    result = measure(args.root.resolve(), max(1, args.repeat), args.jobs)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['files']} files under {result['root']}, min of {result['repeat']} "
              f"(load {result['load_1min']}):")
        print(f"  floor (parse + one walk, one process)  {result['floor_cpu_s']:7.2f} CPU s  {result['floor_runs']}")
        print(f"  servicelens cold review (jobs {result['jobs']})    {result['review_cpu_s']:7.2f} CPU s  "
              f"{result['review_runs']}")
        print(f"  ratio {result['ratio']:.2f}x the floor" + (f" (budget {args.budget:.2f}x)" if args.budget else ""))
        print(json.dumps(result))
    return 1 if args.budget is not None and result["ratio"] > args.budget else 0  # type: ignore[operator]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
