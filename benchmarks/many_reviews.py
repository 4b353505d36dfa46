#!/usr/bin/env python3
"""Memory of a long-running process (the MCP or HTTP server) that reviews many trees.

    python benchmarks/many_reviews.py TREE [TREE ...]

Reviews each tree in turn in this one process, inline (`--jobs 1`, as the server does for a
tree under `PARALLEL_MIN_FILES`) and without the cache, and prints after each review (and a
`gc.collect()`) its CPU seconds, the process's RSS and, on Python 3.12+, how many strings the
interpreter holds interned. Growth with every new tree is memory the reviews leave behind.
"""
from __future__ import annotations

import gc
import sys
import time
from dataclasses import replace
from pathlib import Path

from servicelens import api
from servicelens.config.loader import load_settings


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:  # Linux: resident pages are the second field
        return int(statm.read().split()[1]) * 4096 / 1e6


def interned() -> str:
    return str(sys.getunicodeinternedsize()) if hasattr(sys, "getunicodeinternedsize") else "n/a"


def main(trees: list[str]) -> int:
    print(f"python {sys.version.split()[0]}: start RSS {rss_mb():.0f} MB, interned {interned()}", flush=True)
    for number, tree in enumerate(trees, 1):
        root = Path(tree)
        settings = replace(load_settings(root), jobs=1, use_cache=False)
        start = time.process_time()
        report = api.review(root, settings)
        del report
        gc.collect()
        print(f"{number:2d} {root.name:45s} {time.process_time() - start:6.1f} CPU s  RSS {rss_mb():6.0f} MB  "
              f"interned {interned()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
