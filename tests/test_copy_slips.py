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
        def badge(kind, pools, rivers, lakes, seas):
            if kind == POOL:
                pool = next(p for p in pools if p.kind == POOL)
                return pool.badge
            if kind == RIVER:
                river = next(r for r in pools if r.kind == RIVER)
                return river.badge
            if kind == LAKE:
                lake = next(lk for lk in lakes if lk.kind == LAKE)
                return lake.badge
            if kind == SEA:
                sea = next(sa for sa in seas if sa.kind == SEA)
                return sea.badge
        """)
    assert [(s.line, s.kept, s.copy_line, s.source_line) for s in found] == [(7, "pools", 6, 3)]
    assert "river" in describe(found[0]) and "`pools`" in describe(found[0])


def test_elif_arms_are_copies_too() -> None:
    found = _slips("""
        def colour(kind, reds, greens, blues, greys):
            if kind == RED:
                shade = reds[RED]
            elif kind == GREEN:
                shade = greens[GREEN]
            elif kind == BLUE:
                shade = greens[BLUE]
            elif kind == GREY:
                shade = greys[GREY]
            return shade
        """)
    assert [(s.line, s.kept) for s in found] == [(8, "greens")]


def test_consistent_copies_are_not_slips() -> None:
    assert _slips("""
        def badge(kind, pools, rivers, lakes, seas):
            if kind == POOL:
                pool = next(p for p in pools if p.kind == POOL)
                return pool.badge
            if kind == RIVER:
                river = next(r for r in rivers if r.kind == RIVER)
                return river.badge
            if kind == LAKE:
                lake = next(lk for lk in lakes if lk.kind == LAKE)
                return lake.badge
            if kind == SEA:
                sea = next(sa for sa in seas if sa.kind == SEA)
                return sea.badge
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
            if client.wants_seas:
                seas = client.get(SEAS_URL, timeout=LONG)
        """) == ()


def test_three_copies_are_too_few_to_tell_a_slip_from_a_shared_name() -> None:
    assert _slips("""
        def apply(kind, path, exif_tags):
            if kind == EXIF:
                return apply_exif(exif_tags)
            elif kind == PATH:
                return apply_path(path)
            elif kind == FILESYSTEM:
                return apply_filesystem(path)
        """) == ()


def test_the_tail_of_an_elif_chain_is_not_compared_apart_from_its_head() -> None:
    assert _slips("""
        def clear(kind, entity, shots_service, edits_service, concepts_service):
            if shots_service.is_sequence(entity):
                shots_service.clear_sequence_cache(entity)
            elif shots_service.is_edit(entity):
                edits_service.clear_edit_cache(entity)
            elif shots_service.is_episode(entity):
                shots_service.clear_episode_cache(entity)
            elif concepts_service.is_concept(entity):
                concepts_service.clear_concept_cache(entity)
        """) == ()


def test_a_lookup_table_written_as_branches_may_share_a_value() -> None:
    assert _slips("""
        def sort_column(order):
            if order == SortBy.created_at:
                return Shipment.created_at
            elif order == SortBy.weight:
                return Shipment.weight
            elif order == SortBy.carrier:
                return Shipment.carrier
            elif order == SortBy.dispatch_order:
                return Shipment.created_at
        """) == ()
