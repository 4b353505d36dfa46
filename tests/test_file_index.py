"""The per-file index: one walk, and answers identical to the `ir` walking helpers."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from servicelens import ir
from servicelens.analysis.file_index import build_index, file_index
from servicelens.lang.python import lower_module
from servicelens.sources.parsing import ParserPool
from servicelens.taint.models import load_models
from servicelens.taint.scope import ModuleScope

_SOURCE = (
    "import requests\n"
    "TIMEOUT = compute(1)\n"
    "class Client:\n"
    "    base = make_base('x')\n"
    "    def fetch(self, ids, retries=default_retries()):\n"
    "        for i in ids:\n"
    "            requests.get(url(i), timeout=TIMEOUT)\n"
    "            if i:\n"
    "                log(i)\n"
    "        def inner():\n"
    "            return hidden()\n"
    "        with open_session() as s:\n"
    "            s.post([x.y for x in ids])\n"
    "        return inner()\n"
)


def _lower(source: str) -> ir.Module:
    tree = ParserPool().parse("python", source.encode())
    return lower_module(tree.root_node, "pkg/client.py", tuple(source.splitlines()))


def _names(calls: tuple[ir.Call, ...]) -> list[str]:
    return [ir.dotted_name(call.func) or "?" for call in calls]


def test_calls_of_a_function_body_exclude_nested_defs_and_keep_walk_order() -> None:
    module = _lower(_SOURCE)
    index = build_index(module)
    fetch = next(f for f in module.functions if f.name == "fetch")
    inner = next(f for f in module.functions if f.name == "inner")
    assert _names(index.block_of_kind(fetch.body, ir.Call)) == [
        "requests.get", "url", "log", "open_session", "s.post", "inner"]
    assert _names(index.block_of_kind(inner.body, ir.Call)) == ["hidden"]
    assert _names(index.block_of_kind(module.body, ir.Call)) == ["compute"]
    assert _names(index.block_of_kind(module.classes[0].body, ir.Call)) == ["make_base"]


def test_statements_of_a_nested_block_and_of_a_body() -> None:
    module = _lower(_SOURCE)
    index = build_index(module)
    fetch = next(f for f in module.functions if f.name == "fetch")
    loop = fetch.body[0]
    assert isinstance(loop, ir.For)
    assert [type(s).__name__ for s in index.walk_stmts(loop.body)] == ["ExprStmt", "If", "ExprStmt"]
    assert _names(index.block_of_kind(loop.body, ir.Call)) == ["requests.get", "url", "log"]
    assert [s.line for s in index.walk_stmts(fetch.body)] == [s.line for s in ir.walk_stmts(fetch.body)]
    assert index.walk_stmts(()) == ()


def test_statement_nodes_are_its_own_expressions_only() -> None:
    module = _lower(_SOURCE)
    index = build_index(module)
    fetch = next(f for f in module.functions if f.name == "fetch")
    loop = fetch.body[0]
    # the for statement evaluates its iterable and target; its body's calls are not its own
    assert [type(n).__name__ for n in index.stmt_nodes(loop)] == ["Name", "Name"]
    assert index.stmt_of_kind(loop, ir.Call) == ()
    with_stmt = fetch.body[2]
    assert _names(index.stmt_of_kind(with_stmt, ir.Call)) == ["open_session"]


def test_expression_subtrees_and_kinds_under_them() -> None:
    module = _lower(_SOURCE)
    index = build_index(module)
    fetch = next(f for f in module.functions if f.name == "fetch")
    post = index.block_of_kind(fetch.body, ir.Call)[4]
    assert index.walk(post) == tuple(ir.walk_expr(post))
    assert [n.attr for n in index.under(post, ir.Attr)] == ["post", "y"]
    assert index.under(post, ir.Comprehension) and not index.under(post, ir.Const)


def test_expressions_outside_bodies_are_indexed_too() -> None:
    module = _lower(_SOURCE)
    index = build_index(module)
    fetch = next(f for f in module.functions if f.name == "fetch")
    default = fetch.params[2].default
    assert default is not None
    assert index.walk(default) == tuple(ir.walk_expr(default))
    assert "default_retries" in _names(index.of_kind(ir.Call))


def test_nodes_made_after_the_walk_are_walked_on_the_spot() -> None:
    module = _lower(_SOURCE)
    index = build_index(module)
    made = ir.Call(1, 0, ir.Name(1, 0, "fresh"), (ir.Const(1, 6, "x"),), ())
    assert index.walk(made) == tuple(ir.walk_expr(made))
    assert _names(index.under(made, ir.Call)) == ["fresh"]
    copied = tuple(dataclasses.replace(s) for s in module.body)  # same content, not laid out
    assert index.walk_stmts(copied) == tuple(ir.walk_stmts(copied))
    assert _names(index.block_of_kind(copied, ir.Call)) == ["compute"]


def test_statements_with_their_function_in_module_class_function_order() -> None:
    module = _lower(_SOURCE)
    index = build_index(module)
    owners = [(f.name if f else None, s.line) for f, s in index.stmts_with_function]
    # module body (import at line 1 is kept in Module.imports), class body, then every function
    # in Module.functions order (the nested `inner` is listed before its parent here)
    assert owners == [(None, 2), (None, 3), (None, 4), (None, 5), ("inner", 11), ("fetch", 6), ("fetch", 7),
                      ("fetch", 8), ("fetch", 9), ("fetch", 10), ("fetch", 12), ("fetch", 13), ("fetch", 14)]
    assert len(owners) == len(index.statements)


def test_one_index_per_file_through_the_scope() -> None:
    module = _lower(_SOURCE)
    scope = ModuleScope(module, load_models("python", ()), {}, frozenset(), frozenset(), {}, {})
    assert file_index(module, scope) is file_index(module, scope)


def test_same_answers_as_the_ir_helpers_on_the_fixtures() -> None:
    """Every body, statement, nested block and expression of the fixture projects."""
    root = Path(__file__).parent / "fixtures"
    checked = 0
    for path in sorted(root.rglob("*.py"))[:150]:
        module = _lower(path.read_text(errors="replace"))
        index = build_index(module)
        for body in [module.body] + [c.body for c in module.classes] + [f.body for f in module.functions]:
            assert index.walk_stmts(body) == tuple(ir.walk_stmts(body)), path
            for stmt in ir.walk_stmts(body):
                own = tuple(n for e in ir.stmt_exprs(stmt) for n in ir.walk_expr(e))
                assert index.stmt_nodes(stmt) == own, (path, stmt.line)
                assert index.stmt_of_kind(stmt, ir.Call) == tuple(n for n in own if isinstance(n, ir.Call))
                for block in ir.child_blocks(stmt):
                    assert index.block_nodes(block) == tuple(
                        n for s in ir.walk_stmts(block) for e in ir.stmt_exprs(s) for n in ir.walk_expr(e))
                for node in own:
                    assert index.walk(node) == tuple(ir.walk_expr(node))
                checked += 1
    assert checked > 1000


def test_calls_by_the_callee_last_name_in_the_file_and_in_a_block() -> None:
    module = _lower(_SOURCE)
    index = build_index(module)
    fetch = next(f for f in module.functions if f.name == "fetch")
    assert [c.line for c in index.calls_named("get")] == [7]
    assert [c.line for c in index.calls_named("post", fetch.body)] == [13]
    assert index.calls_named("hidden", fetch.body) == ()  # in the nested def, not in fetch
    assert [c.line for c in index.calls_named("hidden")] == [11]
    assert index.calls_named("nowhere") == () and index.calls_named("nowhere", fetch.body) == ()
    loop = fetch.body[0]
    assert isinstance(loop, ir.For)
    assert [c.line for c in index.calls_named("log", loop.body)] == [9]


def test_every_body_statements_read_once_per_module() -> None:
    """`ir.body_statements`: the module body's walk, then each function's, as `ir.walk_stmts` has
    them (nested definitions are bodies of their own; class bodies are not functions'), once per
    module; a scope walks a body through the shared index, and without one as the walk does."""
    module = _lower(_SOURCE)
    read = ir.body_statements(module)
    assert read is ir.body_statements(module)
    assert [f.qualname if f else None for f, _ in read] == [None] + [f.qualname for f in module.functions]
    assert {f.qualname for f in module.functions} == {"Client.fetch", "Client.fetch.<locals>.inner"}
    assert [s for _, s in read] == [tuple(ir.walk_stmts(body)) for body in
                                    [module.body] + [f.body for f in module.functions]]
    fetched = next(statements for f, statements in read if f is not None and f.qualname == "Client.fetch")
    assert [type(s).__name__ for s in fetched] == ["For", "ExprStmt", "If", "ExprStmt", "Def", "With", "ExprStmt",
                                                      "Return"]
    scope = ModuleScope(module, load_models("python", ()), {}, frozenset(), frozenset(), {}, {})
    fetch = next(f.body for f in module.functions if f.qualname == "Client.fetch")
    assert scope.walk_stmts(fetch) == tuple(ir.walk_stmts(fetch))  # no index shared yet: walked
    index = file_index(module, scope)
    assert scope.walk_stmts(fetch) == index.walk_stmts(fetch) == tuple(ir.walk_stmts(fetch))
