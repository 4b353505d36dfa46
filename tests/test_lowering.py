"""The Python adapter: tree-sitter syntax to IR, for syntax the running interpreter may not have."""
from __future__ import annotations

from servicelens import ir
from servicelens.lang.python import lower_module
from servicelens.sources.parsing import ParserPool


def _lower(source: str, rel: str = "pkg/sub/mod.py") -> ir.Module:
    tree = ParserPool().parse("python", source.encode())
    return lower_module(tree.root_node, rel, tuple(source.splitlines()))


def test_imports_resolve_relative_and_aliased_names() -> None:
    module = _lower("from . import views\nfrom ..core import db as database\nimport os.path as p\nimport json\n")
    assert {(i.local, i.target) for i in module.imports} == {
        ("views", "pkg.sub.views"), ("database", "pkg.core.db"), ("p", "os.path"), ("json", "json")}


def test_qualnames_for_methods_nested_functions_and_decorators() -> None:
    module = _lower(
        "class View:\n"
        "    @route('/x')\n"
        "    async def get(self, request, *args, key=1, **kw):\n"
        "        def inner():\n"
        "            return 1\n"
        "        return inner()\n")
    functions = {f.qualname: f for f in module.functions}
    assert set(functions) == {"View.get", "View.get.<locals>.inner"}
    method = functions["View.get"]
    assert method.is_async and method.class_name == "View"
    assert [(p.name, p.kind) for p in method.params] == [
        ("self", "positional"), ("request", "positional"), ("args", "vararg"), ("key", "keyword"), ("kw", "kwarg")]
    assert isinstance(method.decorators[0], ir.Call)
    assert module.classes[0].methods == ("View.get",)


def test_pep_701_fstrings_pep_695_generics_and_match() -> None:
    module = _lower(
        "def first[T](items: list[T]) -> T:\n"
        "    match items:\n"
        "        case [x, *_]:\n"
        "            return f\"{x['a']!r:>{10}} {'nested \"quotes\"'}\"\n"
        "        case _:\n"
        "            raise ValueError\n")
    function = module.functions[0]
    match = function.body[0]
    assert isinstance(match, ir.If) and isinstance(match.test, ir.Opaque)
    returned = match.body[0]
    assert isinstance(returned, ir.Return) and isinstance(returned.value, ir.FormattedString)


def test_walrus_becomes_an_assignment_before_its_statement() -> None:
    module = _lower("if (m := find(x)):\n    use(m)\n")
    assign, branch = module.body
    assert isinstance(assign, ir.Assign) and isinstance(assign.targets[0], ir.Name) and assign.targets[0].id == "m"
    assert isinstance(branch, ir.If)


def test_string_literals_are_constants_with_their_values() -> None:
    module = _lower("a = 'x' 'y'\nb = b'\\x00z'\nc = r'\\d+'\nd = -5\n")
    values = [s.value.value for s in module.body if isinstance(s, ir.Assign) and isinstance(s.value, ir.Const)]
    assert values == ["xy", b"\x00z", "\\d+", -5]
