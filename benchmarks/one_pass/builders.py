#!/usr/bin/env python3
"""Where the table build's time goes, and whether the tree-sitter query engine builds the same
tables cheaper than the Python cursor walk, on one tree (tests excluded; trees parsed before the clock).

    python -m benchmarks.one_pass.builders ROOT   # from the worktree root, project venv

Prints CPU seconds: the bare cursor walk with dispatch by node type (no handler), the walk plus
each handler alone, the full build by walk and by query (alternately, twice), whether the two give
identical tables, and the rows per table. One JSON line at the end.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import tree_sitter_python
from tree_sitter import Language, Parser

from benchmarks.one_pass import tables as tb
from benchmarks.one_pass.sources import python_sources


def _time(fn, trees) -> float:
    start = time.process_time()
    for rel, data, tree in trees:
        fn(tree, data, rel)
    return time.process_time() - start


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    parser = Parser(Language(tree_sitter_python.language()))
    trees = [(rel, data, parser.parse(data))
             for rel, data in ((rel, text.encode("utf-8", "surrogateescape")) for rel, text in python_sources(root))]
    out: dict[str, float | int | bool] = {}
    for round_ in (1, 2):
        out[f"build by walk ({round_})"] = _time(tb.build, trees)
        out[f"build by query ({round_})"] = _time(tb.build_by_query, trees)
    saved = dict(tb._HANDLERS)
    try:
        tb._HANDLERS.clear()
        out["walk + dispatch, no handler"] = _time(tb.build, trees)
        for kind in ("call", "assignment", "function_definition", "string", "for_statement", "return_statement"):
            tb._HANDLERS.clear()
            tb._HANDLERS[kind] = saved[kind]
            out[f"walk + {kind} handler only"] = _time(tb.build, trees)
    finally:
        tb._HANDLERS.clear()
        tb._HANDLERS.update(saved)
    walked = [tb.build(tree, data, rel) for rel, data, tree in trees]
    queried = [tb.build_by_query(tree, data, rel) for rel, data, tree in trees]
    out["identical"] = walked == queried
    for name in tb.Tables.__slots__[1:]:
        out[f"rows: {name}"] = sum(len(getattr(t, name)) for t in walked)
    for key, value in out.items():
        print(f"  {key:36s} {value:.3f}" if isinstance(value, float) else f"  {key:36s} {value}")
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
