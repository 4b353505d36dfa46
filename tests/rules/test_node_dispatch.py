"""Dispatch by node kind (analysis.node_dispatch) hands a rule the same nodes, in the same order
and with the same statement and function, as the walk it replaces: every Python file under
tests/fixtures, tests/projects and examples/ is lowered and, for several sets of kinds (an
expression kind, statement kinds, both mixed, kinds that sit outside any body), `sites` is
compared with the walk over `iter_stmts_with_function`, `iter_exprs` and the decorators,
defaults, annotations and class bases."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterator

import pytest

from servicelens import ir
from servicelens.analysis.file_index import build_index
from servicelens.analysis.node_dispatch import sites
from servicelens.lang.python import lower_module
from servicelens.rules.python._common import iter_exprs, iter_stmts_with_function
from servicelens.sources.parsing import ParserPool

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p for top in ("tests/fixtures", "tests/projects", "examples") for p in (ROOT / top).rglob("*.py"))
KINDS = ((ir.Call,), (ir.Assign,), (ir.Assign, ir.Call), (ir.For, ir.While, ir.Call, ir.Attr),
         (ir.Return, ir.Name, ir.Const), (ir.If, ir.Try, ir.Subscript, ir.Lambda), (ir.Jump, ir.Def, ir.Global))


@lru_cache(maxsize=1)
def _parsers() -> ParserPool:
    return ParserPool()


def _walked(module: ir.Module, kinds: tuple[type, ...]) -> Iterator[tuple[object, object, object]]:
    for function, stmt in iter_stmts_with_function(module):
        if type(stmt) in kinds:
            yield stmt, stmt, function
        for node in iter_exprs(stmt):
            if type(node) in kinds:
                yield node, stmt, function
    for function in module.functions:
        tops = [*function.decorators]
        for param in function.params:
            tops += [e for e in (param.default, param.annotation) if e is not None]
        tops += [function.returns] if function.returns is not None else []
        yield from ((n, None, function) for top in tops for n in ir.walk_expr(top) if type(n) in kinds)
    for cls in module.classes:
        tops = [*cls.bases, *(kw.value for kw in cls.keywords), *cls.decorators]
        yield from ((n, None, None) for top in tops for n in ir.walk_expr(top) if type(n) in kinds)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_sites_are_the_walk(path: Path) -> None:
    text = path.read_text("utf-8", errors="surrogateescape")
    tree = _parsers().parse("python", text.encode("utf-8", "surrogateescape"))
    module = lower_module(tree.root_node, path.name, tuple(text.splitlines()))
    index = build_index(module)
    for kinds in KINDS:
        found = [(id(s.node), id(s.stmt), id(s.function)) for s in sites(index, kinds)]
        expected = [(id(n), id(s), id(f)) for n, s, f in _walked(module, kinds)]
        assert found == expected, kinds
