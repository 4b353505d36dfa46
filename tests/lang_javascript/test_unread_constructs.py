"""Type-only re-exports and bare ampersands in JSX attribute strings parse as they run, every
line and column kept, so the file around them is analysed without a syntax diagnostic."""
from __future__ import annotations

import pytest

from servicelens.lang.javascript.reading import parse_source
from servicelens.lang.javascript.unread_constructs import blank_unread_constructs
from servicelens.sources.parsing import ParserPool


@pytest.mark.parametrize(("grammar", "source"), [
    ("typescript", "export { parse } from './parse';\nexport type * from './types';\nexport const limit = 5;\n"),
    ("typescript", "export type * as Shapes from './shapes';\nexport function area() { return 1; }\n"),
    ("tsx", "export const Fonts = () => <link href='/css?family=Sans:wght@400;700&display=swap' rel='x' />;\n"),
    ("tsx", 'const A = () => <a title="Tom & Jerry" href="/q?a=1&b=2">x</a>;\nexport default A;\n'),
    # an ampersand in JSX text, as React renders it (novu, tianji, phase console, Maintainerr)
    ("tsx", "export const T = () => <h2 className='t'>Plans & Billing</h2>;\n"),
    ("tsx", "export const C = () => (\n  <pre>\n    <span>brew</span> tap cli &&{' '}\n    <span>brew</span> install\n  </pre>\n);\n"),
    ("tsx", "export const P = ({ a, b }) => (\n  <div>\n    a && b && (\n    <p>{a}</p>\n    )\n  </div>\n);\n"),
])
def test_the_construct_is_blanked_in_place_and_the_text_parses(grammar: str, source: str) -> None:
    pool = ParserPool()
    data = source.encode()
    tree = pool.parse(grammar, data)
    assert tree.root_node.has_error
    blanked = blank_unread_constructs(tree.root_node, data)
    assert blanked is not None and len(blanked) == len(data) and blanked.count(b"\n") == data.count(b"\n")
    # passes until nothing is left (`a && b && (`: one `&&` a pass), as lang/javascript/reading.py runs it
    assert not parse_source(pool, "x.tsx" if grammar == "tsx" else "x.ts", data).root_node.has_error


@pytest.mark.parametrize(("grammar", "source"), [
    ("typescript", "export type { Shape } from './shapes';\n"),          # already read by the grammar
    ("typescript", "export * from './values';\nlet x = ;\n"),           # another error: not this misreading
    ("tsx", "const A = () => <a title='Tom &amp; Jerry'>x</a>;\n"),      # a character reference
    ("tsx", "const q = 'a=1&b=2';\nlet y = ;\n"),                      # `&` in a plain string is read
    ("tsx", "const B = ({ a }) => <p>Tom &amp; Jerry {a && <b />}</p>;\nlet y = ;\n"),  # an entity, an operator
])
def test_what_the_grammar_reads_or_another_error_is_left_alone(grammar: str, source: str) -> None:
    pool = ParserPool()
    data = source.encode()
    assert blank_unread_constructs(pool.parse(grammar, data).root_node, data) is None


def test_the_file_is_reviewed_without_a_syntax_diagnostic() -> None:
    from servicelens.analysis.javascript_file import analyze_javascript
    facts = analyze_javascript("src/index.ts", "export type * from './types';\nexport const limit = 5;\n", ParserPool())
    assert facts.diagnostics == ()
