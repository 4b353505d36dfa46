"""Node text sliced from the file must be exactly what tree-sitter's `Node.text` decodes to."""
from __future__ import annotations

from servicelens import ir
from servicelens.lang.python import lower_module
from servicelens.lang.python.source_text import SourceText
from servicelens.lang.python.strings import literal_prefix
from servicelens.sources.parsing import ParserPool


def _nodes(root):  # type: ignore[no-untyped-def]
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


def _every_node_matches(data: bytes) -> int:
    root = ParserPool().parse("python", data).root_node
    source = SourceText.of(root)
    count = 0
    for node in _nodes(root):
        assert source.text(node) == node.text.decode("utf-8", "replace"), node.type
        count += 1
    return count


def test_ascii_file_is_decoded_once_and_sliced() -> None:
    data = b"\n\n# a comment before the first statement\nx = call(a, b='c')  # trailing\n"
    root = ParserPool().parse("python", data).root_node
    assert root.start_byte > 0  # the module starts after the leading blank lines and comment
    assert SourceText.of(root).decoded is not None
    assert _every_node_matches(data) > 10


def test_non_ascii_file_is_sliced_as_bytes() -> None:
    data = "naïve = 'ünïcödé'\nπ = f'{naïve}…'\n".encode()
    root = ParserPool().parse("python", data).root_node
    assert SourceText.of(root).decoded is None  # byte offsets are not str offsets here
    assert _every_node_matches(data) > 10


def test_undecodable_bytes_read_as_replacement_characters() -> None:
    text = "x = 'caf\udce9'\n"  # a Latin-1 byte read with surrogateescape, as the reader does
    data = text.encode("utf-8", "surrogateescape")
    _every_node_matches(data)
    module = lower_module(ParserPool().parse("python", data).root_node, "m.py", (text,))
    assign = module.body[0]
    assert isinstance(assign, ir.Assign) and isinstance(assign.value, ir.Const)
    assert assign.value.value == "caf\ufffd"


def test_no_node_has_no_text() -> None:
    root = ParserPool().parse("python", b"x = 1\n").root_node
    assert SourceText.of(root).text(None) == ""


def test_literal_prefix_from_the_opening_token() -> None:
    assert literal_prefix('"') == ""
    assert literal_prefix("'''") == ""
    assert literal_prefix("") == ""
    assert literal_prefix('Rb"') == "rb"
    assert literal_prefix("f'") == "f"
