#!/usr/bin/env python3
"""What the main process holds when the project phase starts: every file's facts, by field and
by cross-file rule, measured as object sizes (each object counted once per row) and as pickled
bytes, plus the peak RSS of this process so far.

    python benchmarks/fact_sizes.py ROOT [--jobs N] [--top N]

The review runs for real (`--no-cache`, extended profile; `--jobs 2` pickles the facts back
from workers, as a default review on two cores does); the project phase is not run. Sizes are
`sys.getsizeof` summed over the object graph, so strings shared between facts count once per
row, not once per reference: the number to compare between builds, not an RSS.
"""
from __future__ import annotations

import argparse
import pickle
import resource
import sys
from collections import Counter
from dataclasses import fields, replace
from pathlib import Path

import servicelens.runner as runner
from servicelens.config.loader import load_settings

_ATOMS = (str, bytes, int, float, bool, type(None))


class _Stop(Exception):
    """Raised in place of the project phase: the facts are all this script needs."""


def deep_size(obj: object, seen: set[int]) -> int:
    """Bytes of `obj` and everything it references that `seen` does not hold yet."""
    stack, total = [obj], 0
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, _ATOMS):
            continue
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (tuple, list, set, frozenset)):
            stack.extend(item)
        else:
            for cls in type(item).__mro__:
                stack.extend(getattr(item, slot) for slot in getattr(cls, "__slots__", ()) if hasattr(item, slot))
            if hasattr(item, "__dict__"):
                stack.append(item.__dict__)
    return total


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)
    captured: list[object] = []

    def stop(project: object, facts: object, diagnostics: object, version: object, *rest: object) -> object:
        captured.append(facts)
        raise _Stop

    runner.run_project_analyses = stop  # type: ignore[assignment]
    settings = replace(load_settings(args.root), use_cache=False, profile="extended", jobs=args.jobs)
    try:
        runner.review_tree(args.root, settings)
    except _Stop:
        pass
    facts = captured[0]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
    print(f"{len(facts)} files; peak RSS so far {peak:.1f} MB; all facts {deep_size(facts, set()) / 1e6:.2f} MB")
    by_field, pickled = Counter(), Counter()
    for name in (f.name for f in fields(facts[0])):
        seen: set[int] = set()
        for fact in facts:
            by_field[name] += deep_size(getattr(fact, name), seen)
            pickled[name] += len(pickle.dumps(getattr(fact, name), 5))
    by_rule, rule_pickled, entries = Counter(), Counter(), Counter()
    seen_rule: dict[str, set[int]] = {}
    for fact in facts:
        for rule, value in fact.collected:
            by_rule[rule] += deep_size(value, seen_rule.setdefault(rule, set()))
            rule_pickled[rule] += len(pickle.dumps(value, 5))
            entries[rule] += 1
    for name, size in by_field.most_common(args.top):
        print(f"  {name:24s} {size / 1e6:7.2f} MB   pickled {pickled[name] / 1e6:6.2f} MB")
    for rule, size in by_rule.most_common(args.top):
        print(f"    collected {rule:40s} {size / 1e6:6.2f} MB   pickled {rule_pickled[rule] / 1e6:5.2f} MB"
              f"   {entries[rule]} files")
    return 0


if __name__ == "__main__":
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    sys.exit(main(sys.argv[1:]))
