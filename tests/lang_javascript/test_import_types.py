"""Import types (`import('./x.js').Name` used as a type) parse as TypeScript reads them where the
grammar cannot (followed by `[]`, inside type arguments, after `keyof`), every line and column
kept; a dynamic `import('./x.js')` in value position is left exactly as written."""
from __future__ import annotations

from pathlib import Path

import pytest

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.lang.javascript.import_types import rename_import_types
from servicelens.lang.javascript.reading import error_count, parse_source
from servicelens.sources.parsing import ParserPool

FIXTURE = Path(__file__).parent / "fixtures" / "sql-injection" / "import_types.ts"


def _rename(grammar: str, source: str) -> tuple[bytes, bytes | None]:
    pool = ParserPool()
    data = source.encode()
    return data, rename_import_types(pool.parse(grammar, data), grammar, data, lambda text: pool.parse(grammar, text))


@pytest.mark.parametrize(("grammar", "source"), [
    # Checkmate's monitor.type.ts: the `[]` after the import type spoiled the rest of the interface
    ("typescript", ('export interface Details {\n  groupedChecks: import("../checks/check.type.js").GroupedCheck[];\n'
                    '  stats: import("../stats.js").Stats | null;\n  total: number;\n}\n')),
    ("typescript", "const req = context.switchToHttp().getRequest<import('fastify').FastifyRequest>();\n"),
    ("typescript", "type SubscribeName = keyof import('./shared.js').SubscribeEventMap;\n"),
    ("typescript", ("vi.mock('./env.js', async (original) => ({\n"
                    "  ...(await original<typeof import('./env.js')>()),\n  ready: true,\n}));\n")),
    ("tsx", ("type Props = { name: import('expo-symbols').SymbolViewProps['name'] };\n"
             "export const Icon = (p: Props) => <b>{p.name}</b>;\n")),
])
def test_an_import_type_is_renamed_in_place_and_the_text_parses(grammar: str, source: str) -> None:
    data, renamed = _rename(grammar, source)
    assert renamed is not None and len(renamed) == len(data) and renamed.count(b"\n") == data.count(b"\n")
    assert b"import(" not in renamed
    assert not ParserPool().parse(grammar, renamed).root_node.has_error


def test_the_name_after_the_import_is_kept_as_a_qualified_type_name() -> None:
    _, renamed = _rename("typescript", 'let checks: import("./check.js").GroupedCheck[];\n')
    assert renamed == b"let checks: " + b"_" * len(b'import("./check.js")') + b".GroupedCheck[];\n"


@pytest.mark.parametrize("source", [
    'const m = await import("./x.js"); m.run();\n',                    # no error: nothing to do
    'const m = await import("./x.js"); m.run();\nlet y = ;\n',         # another error: a dynamic import stays
    "const routes = { admin: import('./admin.js'), home: () => import('./home.js') };\nlet y = ;\n",
    "// see import('./x.js').Thing[]\nconst s = \"import('./x.js').T[]\";\nlet y = ;\n",  # a comment and a string
])
def test_a_dynamic_import_or_another_error_is_left_alone(source: str) -> None:
    assert _rename("typescript", source)[1] is None


def test_javascript_has_no_import_types() -> None:
    assert _rename("javascript", 'const m = await import("./x.js");\nlet y = ;\n')[1] is None


def test_in_one_file_the_import_type_is_renamed_and_the_dynamic_import_kept() -> None:
    source = ("export async function load(id: string) {\n  const store = await import('./store.js');\n"
              "  const rows: import('./rows.js').Row[] = await store.rows(id);\n  return rows;\n}\n")
    _, renamed = _rename("typescript", source)
    assert renamed is not None
    assert b"await import('./store.js');" in renamed and b"rows: " + b"_" * len(b"import('./rows.js')") + b".Row[]" in renamed
    tree = ParserPool().parse("typescript", renamed)
    calls = [n for n in _walk(tree.root_node) if n.type == "call_expression" and n.children[0].type == "import"]
    assert [c.text for c in calls] == [b"import('./store.js')"]


def test_the_rewritten_parse_is_kept_only_with_fewer_errors() -> None:
    pool = ParserPool()
    data = FIXTURE.read_bytes()
    assert error_count(pool.parse("typescript", data)) > 0
    assert error_count(parse_source(pool, "src/import_types.ts", data)) == 0
    clean = b'const m = await import("./x.js");\nm.run();\n'
    assert parse_source(pool, "src/run.ts", clean).root_node.text == clean


def test_the_fixture_is_analysed_whole() -> None:
    facts = analyze_javascript("src/import_types.ts", FIXTURE.read_text(), ParserPool())
    assert facts.diagnostics == ()
    assert sorted((route.methods, route.path) for route in facts.routes) == [
        (("GET",), "/items/:id"), (("POST",), "/items/:id/notes"), (("POST",), "/search")]


def _walk(node):  # type: ignore[no-untyped-def]
    yield node
    for child in node.children:
        yield from _walk(child)
