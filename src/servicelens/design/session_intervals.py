"""The interval at which connected clients send something, when the text states it.

"Clients hold a persistent connection and send a heartbeat every 30 seconds" names no count
of clients: the clients that hold a connection are the sessions open at once, which the text
counts elsewhere ("9M concurrent at peak"). Their rate is then sessions / stated interval
(300,000 heartbeats/s), in place of the assumed activity of a connected session. An interval
said of things the text counts itself ("400 trucks report every 30 s") is a population's rate
(derived.interval_rate) and not one of connected sessions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.design.measures import unit_seconds
from servicelens.model.design import Requirement

_EVERY = re.compile(r"\bevery\s*(?:~|about|around|roughly)?\s*(\d+(?:\.\d+)?)\s*(s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?)\b",
                    re.I)
# the actors of the interval keep a connection open: "hold a persistent connection", "connected
# devices", "over the open WebSocket", "while online"
_CONNECTED = re.compile(r"\b(?:connections?|connected|online|websockets?|sockets?|sessions?)\b", re.I)
# what is sent: the noun after a/an/one just before "every" ("send a heartbeat every 30 s")
_SENT = re.compile(r"\b(?:a|an|one|their|its)\s+([a-z][a-z\-]{2,})\s*$", re.I)


@dataclass(frozen=True, slots=True)
class SessionInterval:
    """A stated interval between sends of each connected session."""

    seconds: float
    sent: str  # the thing sent, plural ("heartbeats"), or "requests" when the text names none
    phrase: str


def connected_interval(req: Requirement) -> SessionInterval | None:
    """The first stated interval whose sentence says its actors hold a connection."""
    for f in req.figures:
        if f.meaning != "interval between events":
            continue
        m = _EVERY.search(f.phrase)
        if not m or not _CONNECTED.search(f.phrase[:m.start()]):
            continue
        seconds = float(m.group(1)) * unit_seconds(m.group(2))
        if seconds <= 0:
            continue
        sent = _SENT.search(f.phrase[:m.start()])
        noun = sent.group(1).lower() if sent else ""
        return SessionInterval(seconds, f"{noun}s" if noun and not noun.endswith("s") else (noun or "requests"), f.phrase)
    return None
