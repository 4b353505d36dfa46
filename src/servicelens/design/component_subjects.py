"""What each generic building block holds or carries, named from the requirement model.

A design that says "Queue" or "CDN" leaves the reader to guess what flows through it; a
principal engineer writes "queue of scans (90,000 a day)" and "CDN for audio". The patterns
choose the blocks from the capacity metrics; this module only names them after the text's own
things and puts the figure that justifies each in its role:

    Database      the tables the system keeps (its first entities)
    API service   the same things: what its operations serve
    Queue         the largest write stream the text states (its subject and rate)
    Cache         the largest read stream the text states, else the main entity
    CDN           what the object storage holds (the media the text names)
    Object storage  one with the block that stores the text's files, when there is one
    Notifier      the channels the text tells people through (push, SMS, e-mail, phone call)

A name changes only when the requirement gives a subject; edges follow the new names.
"""
from __future__ import annotations

import re
from dataclasses import replace

from servicelens.design.capacity import n
from servicelens.design.ephemeral_state import ephemeral_things
from servicelens.design.identifiers import entity_names, plural, text_word
from servicelens.model.design import Component, RateMention, Requirement

# Words of a rate's subject that say how it is counted, not what is counted ("splits reads",
# "arrival lookups", "position updates", "300 million times").
_COUNTING_WORDS = frozenset("reads read writes write lookups lookup updates update requests request calls call times "
                            "events event hits hit queries query views view operations operation transactions "
                            "transaction actions action each every a an the per total new".split())
_WORD = re.compile(r"[a-z][a-z\-]{2,}")


def rate_subject(rate: RateMention) -> str:
    """The thing a stated rate counts, in the plural ("buses each report a gps position" ->
    positions, "splits reads" -> splits), or '' when it counts only requests or times."""
    words = [w for w in _WORD.findall(rate.subject.lower()) if w not in _COUNTING_WORDS]
    return entity_names(words[-1])[1].replace("_", " ") if words else ""


def _largest(rates: tuple[RateMention, ...], kinds: tuple[str, ...], users: float) -> tuple[str, RateMention] | None:
    """The largest named stream of these kinds; a rate per user counts for every daily user."""
    named = [(rate_subject(r), r) for r in rates if r.kind in kinds]
    named = [(s, r) for s, r in named if s]
    return max(named, key=lambda sr: sr[1].per_second * (users if sr[1].per_user else 1.0)) if named else None


def _shown(entity: str) -> str:
    """An entity as the text writes it, in the plural ("group_item" -> groups; "media" stays)."""
    word = text_word(entity_names(entity)[0])
    return (word if word.endswith(("ia", "ta")) else plural(word)).replace("_", " ")


def _justified(subject: str, rate: RateMention, users: float) -> str:
    said = f"(\"{_short(rate.source)}\")"
    if not rate.per_user:
        return f"carries {subject}: {n(rate.count_per_period)} per {rate.period} {said}"
    if not users:
        return f"carries {subject}: {n(rate.count_per_period)} per user per {rate.period} {said}"
    return (f"carries {subject}: {n(rate.count_per_period)} per user per {rate.period} x {n(users)} daily users = "
            f"{n(rate.count_per_period * users)} per {rate.period} {said}")


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# The channels people are told through, as a text writes them ("paged by push, SMS or phone call",
# "receives an e-mail", "get a text"): the notifier is named after the ones the text names.
_CHANNELS = (("push", re.compile(r"\bpush\s+(?:notifications?|messages?|alerts?)\b|\b(?:by|via|a|an|the)\s+push\b", re.I)),
             ("SMS", re.compile(r"\bsms\b|\btext\s+messages?\b|\btexted\b|\btexts\s+(?:may|must|can|are|go|is)\b"
                                r"|\b(?:gets?|got|receives?|received|sends?|sent)\s+(?:them\s+|him\s+|her\s+|me\s+|us\s+)?"
                                r"(?:a|an)\s+text\b", re.I)),
             ("e-mail", re.compile(r"\be-?mail(?:s|ed)?\b", re.I)),
             ("phone call", re.compile(r"\b(?:phone|voice)\s+calls?\b", re.I)),
             ("WhatsApp", re.compile(r"\bwhatsapp\b", re.I)))
_NOTIFIER = "Notifier (email/SMS) behind a queue"


def notified_channels(text: str) -> list[tuple[str, str]]:
    """(channel, its label in the text's own word) for each channel the text names, in the
    text's order: "get a text" is an SMS text, "e-mail" keeps its hyphen."""
    found = [(m.start(), name, m.group(0).lower()) for name, pattern in _CHANNELS for m in [pattern.search(text)] if m]
    return [(name, _label(name, words)) for _, name, words in sorted(found)]


def _label(name: str, words: str) -> str:
    if name == "SMS":
        return "SMS text" if "text" in words else "SMS"
    if name == "e-mail":
        return "e-mail" if "-" in words else "email"
    return name


def subject_names(comps: tuple[Component, ...], req: Requirement) -> dict[str, Component]:
    """Old name -> the component named after what it holds, for the generic blocks the
    requirement gives a subject to."""
    by_name = {c.name: c for c in comps}
    out: dict[str, Component] = {}
    memory = ephemeral_things(req)  # liveness signals live in memory with a TTL, not in the database
    tables = list(dict.fromkeys(_shown(e) for e in req.entities if entity_names(e)[0] not in memory))[:3]
    if "Database" in by_name and tables:
        c = by_name["Database"]
        out["Database"] = replace(c, name=f"Database of {_joined(tables)}")
    if "API service" in by_name and tables:  # the service is named after what it serves, as its database is
        out["API service"] = replace(by_name["API service"], name=f"API service for {_joined(tables)}")
    users = req.daily_active_users.value if req.daily_active_users else 0.0
    write = _largest(req.rates, ("write", "total"), users)
    if "Queue" in by_name and write:
        c = by_name["Queue"]
        out["Queue"] = replace(c, name=f"Queue of {write[0]}", role=f"{c.role}; {_justified(*write, users)}")
    read = _largest(req.rates, ("read",), users)
    if "Cache" in by_name and read:
        c = by_name["Cache"]
        out["Cache"] = replace(c, name=f"Cache of {read[0]}", role=f"{c.role}; {_justified(*read, users)}")
    stored = next((c.name[len("Object storage for "):] for c in comps if c.name.startswith("Object storage for ")), "")
    if "Object storage" in by_name and stored:  # one store of the files, named by the block that keeps them
        out["Object storage"] = replace(by_name["Object storage"], name=f"Object storage for {stored}")
    if "CDN" in by_name and stored:
        c = by_name["CDN"]
        out["CDN"] = replace(c, name=f"CDN for {stored}", role=f"{c.role}: the {stored} kept in object storage")
    channels = notified_channels(req.text)
    if _NOTIFIER in by_name and channels:
        c = by_name[_NOTIFIER]
        said = "/".join(words for _, words in channels)
        out[_NOTIFIER] = replace(c, name=f"Notifier ({said}) behind a queue",
                                 role=f"{c.role}; the text names {_joined([w for _, w in channels])}",
                                 technology=f"queue + worker + {' / '.join(name for name, _ in channels)} provider")
    return out


def with_subjects(comps: tuple[Component, ...], links: list[tuple[str, str, str]],
                  req: Requirement) -> tuple[tuple[Component, ...], list[tuple[str, str, str]]]:
    """The components and edges with the generic blocks named after what they hold."""
    renamed = subject_names(comps, req)
    if not renamed:
        return comps, links
    names = {old: c.name for old, c in renamed.items()}
    taken = {c.name for c in comps}
    # a block already named so ("CDN for photos" of the stored files) is the same component:
    # the generic one is dropped and its edges go to the block's
    merged = {old for old, new in names.items() if new != old and new in taken}
    kept = tuple(renamed.get(c.name, c) for c in comps if c.name not in merged)
    out: list[tuple[str, str, str]] = []
    for a, b, label in links:
        edge = (names.get(a, a), names.get(b, b), label)
        if edge not in out:
            out.append(edge)
    return kept, out
