#!/usr/bin/env python3
"""The floor any tree-sitter-based reviewer stands on: read every file, parse it with
tree-sitter-python and visit every node once (a TreeCursor walk reading each node's type),
in one process. servicelens's cold time is compared with this, not with zero.

    python benchmarks/parse_walk_floor.py ROOT FILE_LIST   # FILE_LIST: one path per line, relative to ROOT

Prints one JSON object: files, nodes, seconds (wall, inside this process, after imports).
Run it with a Python that has tree_sitter and tree_sitter_python (the project venv does).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import tree_sitter_python
from tree_sitter import Language, Parser


def walk(tree) -> int:
    """Pre-order visit of every node with one cursor: the cheapest complete traversal."""
    cursor = tree.walk()
    nodes = 0
    while True:
        nodes += 1
        _ = cursor.node.type
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return nodes


def main(root: Path, file_list: Path) -> dict[str, float]:
    rels = [line for line in file_list.read_text().splitlines() if line]
    parser = Parser(Language(tree_sitter_python.language()))
    start = time.perf_counter()
    nodes = 0
    for rel in rels:
        nodes += walk(parser.parse((root / rel).read_bytes()))
    return {"files": len(rels), "nodes": nodes, "seconds": time.perf_counter() - start}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]))))
