"""What blocks an event loop, and what it costs it (models/vocabulary/blocking_calls.yaml).

Not a rule (it defines no RULE). py-perf-blocking-async and py-perf-blocking-async-callees grade a
blocking call by its cost (perf_blocking_async.graded): which library call talks to a remote peer,
makes one database round trip, hashes a password or reads a file is library knowledge, kept as data
so that teaching the rules a new client is a line of YAML.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from servicelens.rules.python._purpose import vocabulary_file

# what a blocking call costs the loop (the vocabulary's `cost`), which grades the finding's confidence
HEAVY = "heavy"  # a remote peer, a child process, a sleep or deliberate CPU work: tens of ms to seconds
ROUND_TRIP = "round-trip"  # one database or cache round trip: heavy only when repeated or run for every request
# password hashing (~250 ms of CPU by design): heavy, and sure to matter where an anonymous caller can repeat it
HASHING = "hashing"
FILE = "file"  # local file I/O: its cost is the file's size, which the code does not show
COSTS = frozenset({HEAVY, ROUND_TRIP, HASHING, FILE})


@dataclass(frozen=True, slots=True)
class BlockingCall:
    """A library call that blocks: what it is, its async replacement and its cost."""

    what: str
    instead: str
    cost: str


@dataclass(frozen=True, slots=True)
class BlockingVocabulary:
    calls: Mapping[str, BlockingCall]  # qualified callee -> what it does
    clients: Mapping[str, str]  # constructor of a synchronous client -> cost of a call on it
    client_builders: frozenset[str]  # client methods that build a local object (no round trip)
    orm_runs: frozenset[str]
    session_io: frozenset[str]
    session_names: frozenset[str]
    hasher_methods: frozenset[str]
    hasher_receiver_words: tuple[str, ...]
    linter_codes: tuple[str, ...]  # rule-code prefixes of linters' blocking-call checks (a `noqa: ASYNC230` comment)


@lru_cache(maxsize=1)
def blocking_vocabulary() -> BlockingVocabulary:
    """The vocabulary, parsed and checked once per process (package data, never user input)."""
    data = vocabulary_file("blocking_calls.yaml")
    calls = {name: BlockingCall(**row) for name, row in data["calls"].items()}
    unknown = {c.cost for c in calls.values()} | set(data["clients"].values())
    if not unknown <= COSTS:
        raise ValueError(f"blocking_calls.yaml: unknown cost {sorted(unknown - COSTS)}")
    return BlockingVocabulary(
        calls, dict(data["clients"]), frozenset(data["client_builders"]), frozenset(data["orm_runs"]),
        frozenset(data["session_io"]), frozenset(data["session_names"]), frozenset(data["hasher_methods"]),
        tuple(data["hasher_receiver_words"]), tuple(data["linter_codes"]),
    )
