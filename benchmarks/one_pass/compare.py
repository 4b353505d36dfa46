#!/usr/bin/env python3
"""Site-by-site comparison of the two table queries (queries.py) with today's rules, on one tree.

    python -m benchmarks.one_pass.compare ROOT [--json]   # from the worktree root, with the project venv

Today's side runs the real rules on the real lowering (analysis.python_file.lower_python, as every
rule sees a file): perf_query_in_loop's `check`, and perf_missing_timeout's `collect` + `combine`
(restricted to its requests/httpx findings, the part the query re-expresses). Prints every site
only one side finds, with the source line, then one JSON line of counts.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import tree_sitter_python
from tree_sitter import Language, Parser

from servicelens.analysis.python_file import lower_python
from servicelens.config.settings import Settings
from servicelens.sources.parsing import ParserPool
from servicelens.taint.models import load_models
from servicelens.rules.python import perf_missing_timeout, perf_query_in_loop

from .queries import loop_round_trips, missing_timeouts
from .sources import python_sources
from .tables import build

_LOOP = frozenset({"query-in-loop", "n-plus-one-query"})


def today(sources: list[tuple[str, str]]) -> tuple[set, set, dict]:
    """(timeout sites, loop sites (rel, line, concern)) from today's rules."""
    parsers, models = ParserPool(), load_models("python", ())
    loop_sites, collected = set(), {}
    for rel, text in sources:
        lowered = lower_python(rel, text, tuple(text.splitlines()), parsers, models, frozenset())
        module, scope = lowered.module, lowered.scope
        for f in perf_query_in_loop.RULE.check(module, scope):
            loop_sites.add((rel, f.location.start_line, f.concern))
        facts = perf_missing_timeout.collect(module, scope)
        if facts is not None:
            collected[rel] = facts
    timeout_sites, other = set(), {}
    for f in perf_missing_timeout.combine(collected, Settings()):
        site = (f.location.path, f.location.start_line, f.concern)
        if "requests sets" in f.why or "httpx" in f.why:
            timeout_sites.add(site)
        else:
            other[site] = f.key  # urllib, redis, psycopg, ...: outside the query's scope
    return timeout_sites, loop_sites, other


def tables_side(sources: list[tuple[str, str]]) -> tuple[set, set]:
    parser = Parser(Language(tree_sitter_python.language()))
    timeout_sites, loop_sites = set(), set()
    for rel, text in sources:
        data = text.encode("utf-8", "surrogateescape")
        tables = build(parser.parse(data), data, rel)
        timeout_sites |= {(rel, h.line, h.concern) for h in missing_timeouts(tables)}
        loop_sites |= {(rel, h.line, h.concern) for h in loop_round_trips(tables)}
    return timeout_sites, loop_sites


def _diff(name: str, old: set, new: set, lines: dict[str, list[str]], by_site: bool) -> dict:
    key = (lambda s: s[:2]) if by_site else (lambda s: s)
    old_keys, new_keys = {key(s): s for s in old}, {key(s): s for s in new}
    only_old = sorted(set(old_keys) - set(new_keys))
    only_new = sorted(set(new_keys) - set(old_keys))
    both = set(old_keys) & set(new_keys)
    concern_differs = sorted(k for k in both if old_keys[k][2] != new_keys[k][2])
    for label, rows in (("only today", only_old), ("only tables", only_new)):
        for k in rows:
            rel, line = k[0], k[1]
            text = lines[rel][line - 1].strip() if rel in lines and 0 < line <= len(lines[rel]) else ""
            print(f"  {name} {label}: {rel}:{line} {old_keys.get(k, new_keys.get(k))[2]}  | {text[:110]}")
    for k in concern_differs:
        print(f"  {name} concern: {k[0]}:{k[1]} today {old_keys[k][2]}, tables {new_keys[k][2]}")
    return {"today": len(old), "tables": len(new), "both": len(both), "only_today": len(only_old),
            "only_tables": len(only_new), "concern_differs": len(concern_differs)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--cache", type=Path, help="keep today's sites here and reuse them (same commit only)")
    args = parser.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    sources = python_sources(args.root)
    lines = {rel: text.splitlines() for rel, text in sources}
    if args.cache is not None and args.cache.exists():
        saved = json.loads(args.cache.read_text())
        old_timeouts, old_loops, other = ({tuple(s) for s in saved[0]}, {tuple(s) for s in saved[1]}, saved[2])
    else:
        old_timeouts, old_loops, found = today(sources)
        other = [list(site) for site in found]
        if args.cache is not None:
            args.cache.write_text(json.dumps([sorted(old_timeouts), sorted(old_loops), other]))
    new_timeouts, new_loops = tables_side(sources)
    print(f"{args.root}: {len(sources)} files")
    result = {"root": str(args.root), "files": len(sources),
              "missing_timeout": _diff("missing-timeout", old_timeouts, new_timeouts, lines, True),
              "loop": _diff("query-in-loop", old_loops, new_loops, lines, True),
              "timeout_other_libraries": len(other)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
