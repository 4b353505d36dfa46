"""analysis.ast_nodes: the one walk the unreferenced readings share must be `ast.walk`'s."""
from __future__ import annotations

import ast
import textwrap

from servicelens.analysis.ast_nodes import ast_nodes
from servicelens.analysis.unreferenced import python_spellings
from servicelens.analysis.unreferenced_methods import module_uses

_SOURCE = textwrap.dedent('''
    """Module docstring."""
    import os
    from . import helpers as h  # type: ignore[attr-defined]
    __all__ = ["Client"]


    class Client(Base, metaclass=Meta):
        """Class docstring."""
        def send(self, x: "Payload") -> int:
            return self._post(x) + cls.other
        async def _post(self, x):
            return [await h.call(y) for y in x if y]


    def run(client: Client = None, *args, **kwargs):
        lambda q: q.send(getattr(client, kwargs["name"]))
        try:
            pass
        except (ValueError, os.error) as exc:
            raise RuntimeError from exc


    class Other:
        def send(self):
            return self.send()
''')


def test_order_is_ast_walks_on_modules_and_subtrees() -> None:
    tree = ast.parse(_SOURCE, type_comments=True)
    assert ast_nodes(tree).nodes == list(ast.walk(tree))
    for statement in tree.body:
        assert ast_nodes(statement).nodes == list(ast.walk(statement))


def test_each_node_knows_its_module_level_statement() -> None:
    tree = ast.parse(_SOURCE)
    laid = ast_nodes(tree)
    assert laid.tops[0] == -1
    for position, statement in enumerate(tree.body):
        held = [node for node, top in zip(laid.nodes, laid.tops) if top == position]
        assert held == list(ast.walk(statement))


def test_readings_from_the_shared_walk() -> None:
    uses = module_uses(_SOURCE, frozenset())
    assert uses is not None
    assert uses.own_calls == {"_post": (("Client", 11),), "send": (("Other", 26),)}
    assert "Client" not in uses.quoted  # `__all__` entries are inert
    assert uses.computed_getattr
    assert uses.classes["Client"].registered and uses.classes["Client"].bases == ("Base",)
    spellings = python_spellings(_SOURCE)
    assert spellings is not None
    assert "Module docstring." not in spellings.strings and "Client" not in spellings.strings
    assert spellings.definitions["send"] == (10, 25)
