"""A function type whose one parameter is named like a type keyword (`(unknown) => T`) parses as
TypeScript reads it, so the declaration around it is analysed whole."""
from __future__ import annotations

import pytest

from servicelens.lang.javascript.keyword_parameters import rename_keyword_parameters
from servicelens.sources.parsing import ParserPool


@pytest.mark.parametrize("source", [
    "class Card extends Model {\n  declare getCharges: (unknown) => Promise<Charge[]>;\n  declare id: number;\n}\n",
    "type Listener = (string) => void;\n",
    "function on(event: string, cb: (any) => void) {\n  return cb(event);\n}\n",
    # in an arrow function's parameters and in its return type (novu): the grammar closes them early
    "const onChange = (value: string, cb: (string) => void) => {\n  cb(value);\n};\n",
    "export const get = (): {\n  ready: (string) => boolean;\n  name: string;\n} => {\n  return x;\n};\n",
])
def test_a_keyword_named_parameter_of_a_function_type_is_renamed_in_place(source: str) -> None:
    pool = ParserPool()
    data = source.encode()
    tree = pool.parse("typescript", data)
    assert tree.root_node.has_error
    renamed = rename_keyword_parameters(tree, "typescript", data)
    assert renamed is not None and len(renamed) == len(data) and renamed.count(b"\n") == data.count(b"\n")
    assert not pool.parse("typescript", renamed).root_node.has_error


@pytest.mark.parametrize("source", [
    "let width: (number) = 3;\n",               # a parenthesized type, no arrow after it
    "const twice = (n: number) => n * 2;\n",     # an arrow function, already parsed
    "let f: (x) => void;\n",                     # a plain parameter name
])
def test_what_the_grammar_reads_is_left_alone(source: str) -> None:
    pool = ParserPool()
    data = source.encode()
    assert rename_keyword_parameters(pool.parse("typescript", data), "typescript", data) is None
