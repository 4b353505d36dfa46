"""Execution paths (rules/python/_flow.py): which statements can run in one call."""
from __future__ import annotations

from servicelens.lang.python import lower_module
from servicelens.rules.python._flow import paths
from servicelens.sources.parsing import ParserPool


def _paths(source: str, interesting: set[int], limit: int = 512):
    tree = ParserPool().parse("python", source.encode())
    function = lower_module(tree.root_node, "m.py", tuple(source.splitlines())).functions[0]
    found = paths(function.body, interesting, limit)
    return None if found is None else {frozenset(p) for p in found}


def test_branches_and_early_return_are_alternatives() -> None:
    source = ("def f(a):\n"          # 1
              "    if a == 1:\n"     # 2
              "        x()\n"        # 3
              "        return\n"     # 4
              "    elif a:\n"        # 5
              "        y()\n"        # 6
              "    z()\n")           # 7
    assert _paths(source, {3, 6, 7}) == {frozenset({3}), frozenset({6, 7}), frozenset({7})}


def test_exclusive_dispatch_tests_and_loops() -> None:
    source = ("def f(request, token, items):\n"           # 1
              "    if 'leave' in request.POST:\n"         # 2
              "        x()\n"                             # 3
              "    if 'rename' in request.POST:\n"        # 4
              "        y()\n"                             # 5
              "    if token.startswith('n.'):\n"          # 6
              "        z()\n"                             # 7
              "    if token.startswith('r.'):\n"          # 8
              "        w()\n"                             # 9
              "    for i in items:\n"                     # 10
              "        if i:\n"                           # 11
              "            u()\n"                         # 12
              "        else:\n"                           # 13
              "            v()\n")                        # 14
    found = _paths(source, {3, 5, 7, 9, 12, 14})
    assert not any({3, 5} <= p or {7, 9} <= p for p in found)
    assert all({12, 14} <= p for p in found)


def test_json_keys_are_not_exclusive_and_handlers_follow_the_try() -> None:
    source = ("def f(data):\n"                            # 1
              "    if 'email' in data:\n"                 # 2
              "        x()\n"                             # 3
              "    if 'plan' in data:\n"                  # 4
              "        y()\n"                             # 5
              "    try:\n"                                # 6
              "        z()\n"                             # 7
              "    except ValueError:\n"                  # 8
              "        w()\n")                            # 9
    found = _paths(source, {3, 5, 7, 9})
    assert frozenset({3, 5, 7, 9}) in found


def test_too_many_paths_gives_up() -> None:
    source = "def f(a):\n" + "".join(f"    if a{i}:\n        x{i}()\n" for i in range(12))
    assert _paths(source, set(range(1, 40)), limit=64) is None
