"""Blocks found from how people and devices interact with a system (design/interaction_blocks.py)."""
from __future__ import annotations

import pytest

from servicelens.design.interaction_blocks import find_interaction_blocks, interaction_block


@pytest.mark.parametrize("text,expected", [
    ("A live board shows bed status per ward and must update within 5 seconds.", ("live_push", "board")),
    ("Experts review sightings and either confirm or reject them.", ("review_queue", "sightings for experts")),
    ("Saturday mornings see a spike when ~40k parents check kickoff times.", ("read_spike", "kickoff times")),
    ("Guards scan QR codes at the gate, even when the connection drops.", ("offline_client", "qr codes scans")),
    ("Alert when a freezer stays above -18 C for more than 20 minutes.",
     ("window_rule", "above -18 C for more than 20 minutes")),
])
def test_each_interaction_shape_is_found_with_the_texts_words(text, expected):
    assert expected in find_interaction_blocks(text)


@pytest.mark.parametrize("text", [
    "We run 2,000 live campaigns at a time.",  # live = active, not a screen
    "SDKs evaluate flags in process (no network hop per request).",
    "Push notifications go to offline users.",
    "Parents check the schedule every week.",  # reading, no spike
])
def test_look_alikes_are_not_interaction_shapes(text):
    assert find_interaction_blocks(text) == ()


def test_each_block_names_a_component_with_its_reason():
    for block_id, arg in (("live_push", "board"), ("review_queue", "papers for chairs"), ("read_spike", "fixtures"),
                          ("offline_client", "ticket scans"), ("window_rule", "above 8 C for 15 minutes")):
        b = interaction_block(block_id, arg)
        assert b.components and b.why
        assert arg.split(" for ")[0] in b.components[0].name


def test_the_design_carries_the_push_channel(design):
    proposal = design("Nine hospitals share a bed allocator; 900 admissions a day. A live board shows bed status "
                      "per ward and must update within 5 seconds.")
    assert any(c.name.startswith("Push channel (WebSocket / SSE)") for c in proposal.components)
    assert not [s.name for s in proposal.self_check if s.status == "failed"]
