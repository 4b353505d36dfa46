"""Copy-paste slips among sibling branches (rules/python/_copy_slips.py)."""
from __future__ import annotations

from textwrap import dedent

from servicelens.lang.python import lower_module
from servicelens.rules.python._copy_slips import copy_slips, describe
from servicelens.sources.parsing import ParserPool


def _slips(source: str):
    source = dedent(source)
    tree = ParserPool().parse("python", source.encode())
    function = lower_module(tree.root_node, "m.py", tuple(source.splitlines())).functions[0]
    return copy_slips(function.body)


def test_a_branch_that_kept_another_branchs_collection_is_a_slip() -> None:
    found = _slips("""
        def badge(kind, pools, rivers, lakes):
            if kind == POOL:
                pool = next(p for p in pools if p.kind == POOL)
                return pool.badge
            if kind == RIVER:
                river = next(r for r in pools if r.kind == RIVER)
                return river.badge
            if kind == LAKE:
                lake = next(lk for lk in lakes if lk.kind == LAKE)
                return lake.badge
        """)
    assert [(s.line, s.kept, s.copy_line, s.source_line) for s in found] == [(7, "pools", 6, 3)]
    assert "river" in describe(found[0]) and "`pools`" in describe(found[0])


def test_elif_arms_are_copies_too() -> None:
    found = _slips("""
        def colour(kind, reds, greens, blues):
            if kind == RED:
                shade = reds[RED]
            elif kind == GREEN:
                shade = greens[GREEN]
            elif kind == BLUE:
                shade = greens[BLUE]
            return shade
        """)
    assert [(s.line, s.kept) for s in found] == [(8, "greens")]


def test_consistent_copies_are_not_slips() -> None:
    assert _slips("""
        def badge(kind, pools, rivers, lakes):
            if kind == POOL:
                pool = next(p for p in pools if p.kind == POOL)
                return pool.badge
            if kind == RIVER:
                river = next(r for r in rivers if r.kind == RIVER)
                return river.badge
            if kind == LAKE:
                lake = next(lk for lk in lakes if lk.kind == LAKE)
                return lake.badge
        """) == ()


def test_a_shared_setting_with_no_word_of_the_copies_is_deliberate() -> None:
    assert _slips("""
        def fetch_all(client):
            if client.wants_pools:
                pools = client.get(POOLS_URL, timeout=SHORT)
            if client.wants_rivers:
                rivers = client.get(RIVERS_URL, timeout=SHORT)
            if client.wants_lakes:
                lakes = client.get(LAKES_URL, timeout=LONG)
        """) == ()


def test_two_copies_cannot_say_which_one_slipped() -> None:
    assert _slips("""
        def badge(kind, pools, rivers):
            if kind == POOL:
                return pools[POOL]
            if kind == RIVER:
                return pools[RIVER]
        """) == ()
