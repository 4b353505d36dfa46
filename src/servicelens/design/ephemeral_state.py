"""Liveness state: signals that only say "still here" belong in memory with a TTL.

A heartbeat or keep-alive is superseded by the next one from the same sender; nobody reads an
old one, and silence (no signal for a while) is what the product acts on. Sent periodically by
every connected sender, it is the highest write rate of a system (9M sessions every 30 s is
300,000 writes/s) and worthless a minute later. Writing a row per signal into the system of
record spends the database on garbage; the engineer's design keeps the latest per sender as a
key in an in-memory store whose TTL is the silence that counts as gone, refreshed by each
signal, with the key's expiry as the "gone" event. The database keeps only the state changes
the product needs.

Found when the text names a liveness signal sent on an interval ("send a heartbeat every 30
seconds", "keep-alives every 10 s"): the block `ephemeral_state` with the signal as its
argument; the signal is then no table of the database (`ephemeral_things`).
"""
from __future__ import annotations

import re

from servicelens.design.characteristics import Block
from servicelens.design.identifiers import entity_names
from servicelens.design.text import sentence_bounds
from servicelens.model.design import Component, Requirement

EPHEMERAL_BLOCKS = ("ephemeral_state",)

_SIGNAL = re.compile(r"\b(heart-?beats?|keep-?alives?)\b", re.I)
_PERIODIC = re.compile(r"\bevery\s+(?:~|about|around|roughly)?\s*\d|\b(?:once|twice|\d+\s+times)\s+(?:a|an|per)\s+"
                       r"(?:second|minute)\b|\bperiodic(?:ally)?\b", re.I)


# "raw heartbeats only for 30 days", "heartbeats are kept 90 days": the text keeps the signals, a
# time series of their own, not state superseded by the next one
_KEPT = re.compile(r"^\W*(?:(?:are|is|get|only|kept|retained|stored|archived|logged)\s+){0,3}?"
                   r"(?:for\s+)?(?:up\s+to\s+)?\d+\s*(?:days?|weeks?|months?|years?)\b|"
                   r"^\W*(?:are|is)\s+(?:kept|retained|stored|archived|logged)\b", re.I)


def find_ephemeral_state(text: str) -> tuple[tuple[str, str], ...]:
    """(`ephemeral_state`, the signal's plural) when a sentence sends a liveness signal on an
    interval and the text nowhere keeps the signals for a period."""
    if any(_KEPT.search(text[m.end():m.end() + 40]) for m in _SIGNAL.finditer(text)):
        return ()
    for m in _SIGNAL.finditer(text):
        a, b = sentence_bounds(text, m.start())
        if _PERIODIC.search(text, a, b):
            return (("ephemeral_state", entity_names(m.group(1).lower().replace("-", ""))[1]),)
    return ()


def ephemeral_things(req: Requirement) -> frozenset[str]:
    """The singular names of the signals kept in memory, never as database tables."""
    return frozenset(entity_names(arg)[0] for kind, arg in req.workloads if kind == "ephemeral_state")


def ephemeral_block(argument: str) -> Block:
    """The in-memory TTL store for a liveness signal, and the operation that sends one."""
    singular, plural = entity_names(argument or "heartbeats")
    said = singular.replace("_", " ")
    store = Component(f"In-memory store of {plural.replace('_', ' ')} with TTL",
                      f"the latest {said} per sender as one key whose TTL is the silence that counts as gone, refreshed by "
                      f"each {said}; the key's expiry is the offline event; no database row per {said}",
                      "Redis (SET key EX ttl; keyspace expiry notifications), sharded by sender id")
    why = (f"{plural.replace('_', ' ')} are ephemeral, high-rate state superseded by the next one: an in-memory store "
           f"with a TTL absorbs every {said} and turns silence into an expiry by itself, while the database keeps only "
           f"the state changes the product needs")
    op = (f"record_{singular}"[:40], "POST", f"/v1/{{entities}}/{{id}}/{singular}"[:44],
          f"Record a {said}: refreshes the sender's key and its TTL in the in-memory store (no database write)")
    return Block("ephemeral_state", (store,), why, f"ephemeral state: {plural.replace('_', ' ')}", (op,))
