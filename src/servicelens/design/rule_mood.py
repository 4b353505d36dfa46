"""A clause that says what usually happens describes the system; it states no rule.

"Orders are usually processed in the order received" reports a habit: nothing breaks when one
order overtakes another, so no per-key ordering is designed for it. A hedge ("usually",
"typically", "mostly", "in general") without a word of obligation ("must", "never",
"always", "guarantee", ...) makes the clause a description. "Payments usually settle in a day,
but a refund must never exceed the charge" keeps its rule: the obligation is there.
"""
from __future__ import annotations

import re

# "sometimes", "occasionally" are not hedges: "terminals sometimes replay a payment" names a hazard to design for
_HEDGE = re.compile(r"\b(?:usually|typically|generally|normally|mostly|in\s+general|"
                    r"more\s+or\s+less|roughly|tends?\s+to|as\s+a\s+rule\s+of\s+thumb)\b", re.I)
_OBLIGATION = re.compile(r"\b(?:must|never|always|cannot|can't|shall|guarantee\w*|required|requires?|has\s+to|have\s+to|"
                         r"needs?\s+to|may\s+not|not\s+allowed|only|exactly|at\s+most|at\s+least|ensure\w*)\b", re.I)


def described_only(phrase: str) -> bool:
    """The clause hedges what happens and obliges nothing."""
    plain = re.sub(r"\([^)]*\)", " ", phrase)  # "N copies per title (usually 1-3)": the hedge is on the example
    vague = _VAGUE_BOUND.search(plain)
    if vague and not _OBLIGATION.search(plain[:vague.start()] + " " + plain[vague.end():]):
        return True  # "no more than a few users" sizes the system, it bounds nothing
    return bool(_HEDGE.search(plain)) and not _OBLIGATION.search(plain)


# a bound with no number: "no more than a few users", "at most a handful of requests"
_VAGUE_BOUND = re.compile(r"\b(?:no\s+more\s+than|not\s+more\s+than|at\s+most|up\s+to|max(?:imum)?(?:\s+of)?)\s+"
                          r"(?:a\s+few|a\s+handful|a\s+couple|some|several|a\s+dozen|dozens|hundreds|thousands)\b", re.I)
