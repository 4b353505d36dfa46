"""Scale-out patterns rest on a stream the text rates (design/patterns.py `rests_on`).

A user count with no rate of anything gives writes and reads only through an assumed engagement
(writes per active user a day); sharding that only this guess calls for is held back with its
arithmetic and the question that decides it. A stated stream large enough for it still shards
(even when the other stream follows from an assumed ratio), and the decision says which load one
primary cannot hold.
"""
from __future__ import annotations

import pytest

_SHARDING = "Partitioning / sharding"


def _decision(proposal, title):
    return next(d for d in proposal.decisions if d.pattern == title)


@pytest.mark.parametrize("text", [
    # users stated, no rate of anything: the data over the retention period is the assumed engagement
    "A photo-sharing club for hobby gardeners: 4 million monthly active users post pictures of their plots "
    "and comment on each other's beds.",
    "A marketplace for used bikes: 30 million monthly active users list bikes and message sellers.",
])
def test_sharding_is_not_chosen_on_assumed_writes(design, text):
    proposal = design(text)
    shard = _decision(proposal, _SHARDING)
    assert not shard.chosen, shard
    assert "assum" in shard.why and "writes" in shard.why, shard.why
    assert not any("shards" in c.role for c in proposal.components), [c.role for c in proposal.components]


@pytest.mark.parametrize("text, reason, not_reason", [
    ("orders API, 20k orders per second at peak, keep 1 year", "writes/s at peak", "assum"),
    # 463 writes/s fit one primary; 7 years of 2 KB entries do not
    ("Ledger service: 40 million ledger entries a day, each ~2 KB, kept for 7 years.", "TB over the retention period",
     "writes/s at peak"),
    # the writes follow from a stated read stream and a stated ratio: no assumption
    ("A file host serves 2 billion downloads a day; read:write 10:1; records are kept 5 years.", "writes/s at peak", "assum"),
    # one stated stream anchors the load; the other follows from it
    ("Design a beacon collector: 10k beacons/sec at peak, queried per site over the last 90 days.", "writes/s at peak", "assum"),
])
def test_sharding_on_a_stated_stream_says_which_load_does_not_fit(design, text, reason, not_reason):
    shard = _decision(design(text), _SHARDING)
    assert shard.chosen, shard
    assert reason in shard.why and not_reason not in shard.why, shard.why
