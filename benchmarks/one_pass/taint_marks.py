#!/usr/bin/env python3
"""How many functions would a table query hand to the taint engine? A first estimate for the
projection in README.md (the engine runs on every function today).

    python -m benchmarks.one_pass.taint_marks ROOT   # from the worktree root, project venv

A function is marked when it holds a request source, read from the taint models (a parameter named
or annotated as a request, a call through a request object or a source call/method, `self.request`),
and then, to a fixpoint, when a marked function calls it with arguments (callee matched by its last
name, any module: an over-approximation of the call graph). Prints the functions and lines marked,
per step, and one JSON line. Sinks are not a reason to mark: a sink is only reached by what a
source-holding function hands down, which the closure follows.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import tree_sitter_python
from tree_sitter import Language, Parser

from benchmarks.one_pass.queries import qualify
from benchmarks.one_pass.sources import python_sources
from benchmarks.one_pass.tables import (
    BIND_FUNC, BIND_VALUE, CALL_CHAIN, CALL_FUNC, CALL_NARGS, CALL_KW, FN_END, FN_LINE, FN_NAME, FN_PARAMS, build,
)
from servicelens.taint.models import load_models


def main(argv: list[str]) -> int:
    models = load_models("python", ())
    request_names = set(models.request_param_names)
    annotations = {a.rpartition(".")[2] for a in models.request_param_annotations}
    source_calls = set(models.call_sources) | set(models.request_objects)
    source_methods = set(models.method_sources)
    parser = Parser(Language(tree_sitter_python.language()))
    functions: list[tuple[str, int]] = []  # (name, lines) per function of the tree
    marked: set[int] = set()
    calls_from: dict[int, set[str]] = {}
    for rel, text in python_sources(Path(argv[0])):
        data = text.encode("utf-8", "surrogateescape")
        t = build(parser.parse(data), data, rel)
        base = len(functions)
        imports = dict(t.imports)
        for row, f in enumerate(t.functions):
            functions.append((f[FN_NAME], f[FN_END] - f[FN_LINE] + 1))
            if any(name in request_names or (a and a.rpartition(".")[2] in annotations) for name, a in f[FN_PARAMS]):
                marked.add(base + row)
        for call in t.calls:
            if call[CALL_FUNC] < 0:
                continue
            name = call[CALL_CHAIN]
            parts = name.replace("()", "").split(".")
            if qualify(name, imports) in source_calls or parts[-1] in source_methods \
                    or qualify(".".join(parts[:-1]), imports) in source_calls or "request" in parts[:-1]:
                marked.add(base + call[CALL_FUNC])
            if call[CALL_NARGS] or call[CALL_KW]:
                calls_from.setdefault(base + call[CALL_FUNC], set()).add(parts[-1])
        for bind in t.binds:
            if bind[BIND_FUNC] >= 0 and "request" in bind[BIND_VALUE].replace("()", "").split("."):
                marked.add(base + bind[BIND_FUNC])
    by_name: dict[str, list[int]] = {}
    for index, (name, _) in enumerate(functions):
        by_name.setdefault(name, []).append(index)
    steps = [len(marked)]
    frontier = set(marked)
    while frontier:
        reached = {callee for caller in frontier for name in calls_from.get(caller, ()) for callee in by_name.get(name, ())}
        frontier = reached - marked
        marked |= frontier
        steps.append(len(marked))
    lines = sum(n for _, n in functions)
    marked_lines = sum(functions[i][1] for i in marked)
    out = {"functions": len(functions), "marked_at_source": steps[0], "marked_after_closure": len(marked),
           "closure_steps": len(steps) - 1, "function_lines": lines, "marked_lines": marked_lines,
           "share_functions": round(len(marked) / max(1, len(functions)), 3),
           "share_lines": round(marked_lines / max(1, lines), 3)}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
