"""Rates stated as a ceiling, not as a load: "our SMS provider accepts at most 100 messages
per second", "the rate limit is 100 requests per minute per key", "the partner API is
capped at 50 calls/s".

A ceiling bounds what the system may send or accept; sizing the system on it would
multiply a provider's quota into database shards. It is read from the sentence's shape:
a limit noun before the number, or a verb of accepting or allowing followed by an upper
bound ("at most", "up to", "no more than") right before the number, or one holder's bound
("each user may refer at most 20 friends a year"). A load with an upper
bound ("must handle up to 5,000 requests/s") has neither and stays a load.
"""
from __future__ import annotations

import re

from servicelens.design.text import clause_bounds, sentence_bounds

_LIMIT_NOUN = re.compile(r"\b(?:rate[- ]limits?|limits?|quotas?|caps?|ceilings?|throttl\w*)\b(?!\s+(?:latency|cost|risk|exposure|access|scope))", re.I)
_ALLOW_VERB = re.compile(r"\b(?:accepts?|allows?|permits?|lets?|capped|limited|throttles?)\b", re.I)
_BOUND = re.compile(r"(?:at\s+most|up\s+to|no\s+more\s+than|a\s+maximum\s+of|max(?:imum)?|only)\s*(?:of\s*)?~?\s*$", re.I)
# A ceiling is on a rate: a period follows within a few words ("100 messages per second per account").
_PERIOD_AFTER = re.compile(r"\s*(?:[a-z\-]+\s*){0,3}?(?:(?:per|a|an|every|each)\s+|/\s*)(?:second|sec|s|minute|min|hour|hr|h|day|d|week|month|year|yr)\b", re.I)
# "a household gets at most 1 pickup per week", "each user can refer at most 20 friends a
# year": an upper bound on what one holder may do is that holder's quota, not the load
_ONE_HOLDER = re.compile(r"\b(?:a|an|each|every|one|any)\s+(?:[a-z\-]+\s+){0,2}?[a-z\-]+\s+(?:\w+\s+){0,3}?"
                         r"(?:at\s+most|no\s+more\s+than|a\s+maximum\s+of)\s*~?\s*$", re.I)
_CAPPED = re.compile(r"\b(?:capped|limited)\s+(?:at|to)\s*~?\s*$", re.I)


def is_ceiling(text: str, start: int) -> bool:
    """Whether the number at `start` is a limit on a rate rather than a rate the system carries."""
    end = re.match(r"[\d.,]+\s*[kmb]?", text[start:], re.I)
    if not end or not _PERIOD_AFTER.match(text, start + end.end()):
        return False
    s0, _ = sentence_bounds(text, start)
    c0, _ = clause_bounds(text, start)
    before = text[s0:start]
    if _LIMIT_NOUN.search(before):
        return True
    clause = text[c0:start]
    return bool(_CAPPED.search(clause) or (_ALLOW_VERB.search(clause) and _BOUND.search(clause))
                or _ONE_HOLDER.search(clause))
