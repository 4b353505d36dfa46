"""`_kept_values.kept_values` lays a function's assignments out once so many calls can be asked
about; each answer must be the one walking the body for that call alone gives (the definition
below: the first assignment whose value holds the call, then locals passed on a few times). Checked
on every call of every function of every Python file under tests/fixtures, tests/projects and
examples/, and on inline shapes (a global, a wrapper, a derived figure)."""
from __future__ import annotations

from pathlib import Path

import pytest

from servicelens import ir
from servicelens.lang.python import lower_module
from servicelens.analysis.file_index import build_index
from servicelens.rules.python._kept_values import _stored, _whole, kept_values
from servicelens.sources.parsing import ParserPool

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p for top in ("tests/fixtures", "tests/projects", "examples") for p in (ROOT / top).rglob("*.py"))
_PARSERS = ParserPool()


def _walking(function: ir.Function, call: ir.Call) -> bool:
    """The definition, one walk of the body per call."""
    shared = {name for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.Global) for name in stmt.names}
    assigns = [stmt for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.Assign) and stmt.value is not None]
    holders: set[str] = set()
    for stmt in assigns:
        if not any(node is call for node in ir.walk_expr(stmt.value)):
            continue
        if any(_stored(t, shared) for t in stmt.targets):
            return True
        holders.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
        break
    if not holders:
        return False
    for _ in range(3):
        grown = False
        for stmt in assigns:
            if stmt.line < call.line or not _whole(stmt.value, holders):
                continue
            if any(_stored(t, shared) for t in stmt.targets):
                return True
            for target in stmt.targets:
                if isinstance(target, ir.Name) and target.id not in holders:
                    holders.add(target.id)
                    grown = True
        if not grown:
            return False
    return False


def _module(text: str, path: str = "m.py") -> ir.Module:
    return lower_module(_PARSERS.parse("python", text.encode("utf-8", "surrogateescape")).root_node, path,
                        tuple(text.splitlines()))


def _check(module: ir.Module) -> int:
    asked = 0
    index = build_index(module)
    for function in module.functions:
        kept = kept_values(function, index)
        for stmt in ir.walk_stmts(function.body):
            for top in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(top):
                    if type(node) is ir.Call:
                        assert kept.keeps(node) == _walking(function, node), (module.path, function.qualname, node.line)
                        asked += 1
    return asked


def test_inline_shapes() -> None:
    module = _module(
        "def get():\n"
        "    global _client\n"
        "    _client = make()\n"
        "def wrap(self):\n"
        "    c = build()\n"
        "    w = Wrapper(c)\n"
        "    self.w = w\n"
        "def figure():\n"
        "    info = fetch()\n"
        "    self.amount = info.amount\n")
    index = build_index(module)
    kept = {f.name: kept_values(f, index) for f in module.functions}
    calls = {c.func.id: (f, c) for f in module.functions for s in ir.walk_stmts(f.body) for t in ir.stmt_exprs(s)
             for c in ir.walk_expr(t) if type(c) is ir.Call and type(c.func) is ir.Name}
    assert kept["get"].keeps(calls["make"][1]) and kept["wrap"].keeps(calls["build"][1])
    assert not kept["figure"].keeps(calls["fetch"][1])
    assert _check(module) == 4


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_answer_as_walking_per_call(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    _check(_module(text, str(path)))
