"""Lowering looks fields and node kinds up by grammar id: the ids must mean the names."""
from __future__ import annotations

from servicelens.lang.python import fields
from servicelens.lang.python.fields import kind_ids
from servicelens.sources.parsing import ParserPool


def test_field_ids_find_the_same_children_as_field_names() -> None:
    tree = ParserPool().parse("python", b"def f(a):\n    return g(a, b=1)\n")
    function = tree.root_node.children[0]
    assert function.child_by_field_id(fields.NAME) == function.child_by_field_name("name")
    assert function.child_by_field_id(fields.BODY) == function.child_by_field_name("body")
    call = function.child_by_field_id(fields.BODY).children[0].children[1]
    assert call.child_by_field_id(fields.FUNCTION).text == b"g"
    assert call.child_by_field_id(fields.ARGUMENTS) == call.child_by_field_name("arguments")


def test_kind_ids_cover_every_node_of_that_type() -> None:
    tree = ParserPool().parse("python", b"x = [lambda y: y, None, True]\nawait z\n")
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        assert node.kind_id in kind_ids(node.type)
        stack.extend(node.children)
    assert kind_ids("no-such-node-type") == ()
