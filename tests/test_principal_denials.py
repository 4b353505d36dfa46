"""Per-file shortcuts must answer what their definitions answer, on every function of every
Python file under tests/fixtures, tests/projects and examples/: `_answers_forbidden` (a denial
dotted name tested by its parts, each part once per file) against the dotted name of every name
and attribute node, `keyed_names` (one walk per function) against `name["key"]` looked for
name by name, and `_may_deny` (the gate before every denial reading of `module_principals`):
where it says no, no block of the body exits denied and no statement refuses."""
from __future__ import annotations

from pathlib import Path

import pytest

from servicelens import ir
from servicelens.analysis.file_index import build_index
from servicelens.endpoints.principals import _answers_forbidden, _denial_name, _exits_denied, _may_deny, _refusing
from servicelens.lang.python import lower_module
from servicelens.sources.parsing import ParserPool
from servicelens.taint.returned import keyed_names

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(p for top in ("tests/fixtures", "tests/projects", "examples") for p in (ROOT / top).rglob("*.py"))
_PARSERS = ParserPool()


def _denies_by_dotted_name(function: ir.Function) -> bool:
    """The definition: a 401/403 constant, or a name or attribute whose dotted name is a denial."""
    for stmt in ir.walk_stmts(function.body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if type(node) is ir.Const and type(node.value) is not bool and node.value in (401, 403):
                    return True
                if type(node) in (ir.Name, ir.Attr) and _denial_name(ir.dotted_name(node) or ""):
                    return True
    return False


def _read_by_key(function: ir.Function, name: str) -> bool:
    return any(isinstance(node, ir.Subscript) and isinstance(node.value, ir.Name) and node.value.id == name
               and isinstance(node.index, ir.Const) and isinstance(node.index.value, str)
               for stmt in ir.walk_stmts(function.body) for root in ir.stmt_exprs(stmt) for node in ir.walk_expr(root))


def _module(path: Path) -> ir.Module:
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    tree = _PARSERS.parse("python", text.encode("utf-8", "surrogateescape"))
    return lower_module(tree.root_node, str(path.relative_to(ROOT)), tuple(text.splitlines()))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_shortcuts_answer_as_their_definitions(path: Path) -> None:
    module = _module(path)
    index = build_index(module)
    known: dict[str, bool] = {}
    for function in module.functions:
        assert _answers_forbidden(function, index, known) == _denies_by_dotted_name(function), function.qualname
        names = {n.id for s in ir.walk_stmts(function.body) for r in ir.stmt_exprs(s) for n in ir.walk_expr(r)
                 if isinstance(n, ir.Name)}
        keyed = keyed_names(function)
        assert {name for name in names if _read_by_key(function, name)} == keyed, function.qualname


def test_a_denial_is_found_in_any_part_of_a_chain_that_is_a_dotted_name() -> None:
    text = ("def a(e):\n    raise e.exceptions.PermissionDenied()\n"
            "def b(e):\n    return e.forbidden_reason\n"
            "def c(e):\n    return get().forbidden\n"
            "def d(e):\n    return e.status.FORBIDDEN\n"
            "def f(e):\n    return e.ok\n")
    tree = _PARSERS.parse("python", text.encode())
    module = lower_module(tree.root_node, "m.py", tuple(text.splitlines()))
    index = build_index(module)
    answers = {f.name: _answers_forbidden(f, index, {}) for f in module.functions}
    assert answers == {"a": True, "b": True, "c": False, "d": True, "f": False}


def _blocks(function: ir.Function) -> list[tuple[ir.Stmt, ...]]:
    """The body and every block nested in it, `except` blocks included."""
    found = [function.body]
    for stmt in ir.walk_stmts(function.body):
        found.extend(ir.child_blocks(stmt))
        if isinstance(stmt, ir.Try):
            found.extend(handler.body for handler in stmt.handlers)
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_denial_reading_where_the_gate_says_no(path: Path) -> None:
    module = _module(path)
    index = build_index(module)
    known: dict[str, int] = {}
    for function in module.functions:
        if _may_deny(function, index, known):
            continue
        for block in _blocks(function):
            assert not _exits_denied(block, redirect_ok=True), function.qualname
            assert not _exits_denied(block, redirect_ok=False), function.qualname
            assert not any(_refusing(stmt) for stmt in block), function.qualname


def test_the_gate_says_yes_to_each_kind_of_denial() -> None:
    text = """
def a():
    raise
def b(request):
    return redirect("/login")
def c():
    return 302
def d(exc):
    raise exc.PermissionDenied()
def e(status):
    return Response(status=status.HTTP_307_TEMPORARY_REDIRECT)
def f():
    return HttpResponseRedirect("/")
def g(x):
    return x + 1
"""
    tree = _PARSERS.parse("python", text.encode())
    module = lower_module(tree.root_node, "m.py", tuple(text.splitlines()))
    index = build_index(module)
    known: dict[str, int] = {}
    assert {f.name: _may_deny(f, index, known) for f in module.functions} == {
        "a": True, "b": True, "c": True, "d": True, "e": True, "f": True, "g": False}
