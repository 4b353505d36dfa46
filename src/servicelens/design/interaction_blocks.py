"""Building blocks called for by how people and devices interact with the system, found
from the shape of a sentence and named with the text's own words:

- live_push      something is shown live or must reach screens within seconds ("a live board
                 shows bed status", "drivers are pushed new jobs") -> a push channel;
- review_queue   people decide on things others submitted ("experts confirm or reject
                 sightings") -> a work queue that hands each item to one reviewer;
- read_spike     a crowd reads the same thing at once ("a spike when ~40k parents check
                 kickoff times") -> a cache / CDN in front of that read;
- offline_client the text says the network drops where the work happens -> a client that
                 keeps working from a local copy and syncs;
- window_rule    a condition must hold for a while before it counts ("above 8 C for more
                 than 15 minutes") -> a stateful rule evaluated over a time window.

No domain is named: each is a sentence shape with a reason a principal engineer would give.
"""
from __future__ import annotations

import re

from servicelens.design.characteristics import Block
from servicelens.design.identifiers import snake_identifier
from servicelens.design.text import sentence_bounds
from servicelens.model.design import Component

INTERACTION_BLOCKS = ("live_push", "review_queue", "read_spike", "offline_client", "window_rule")

_NOUN = r"(?P<what>[a-z][a-z\-]{2,}(?:\s+[a-z][a-z\-]{2,})?)"
# What a screen shows: "live" before one of these is a display, not an active thing ("live campaigns").
_DISPLAYS = r"(?:board|boards|dashboard|dashboards|map|maps|view|views|feed|feeds|scores?|tracking|status|updates|" \
            r"locations?|positions?|counters?|charts?|leaderboards?|results|standings|occupancy|availability|queue|lists?|screens?|" \
            r"wallboards?)"
_LIVE = re.compile(
    rf"\b(?:live|real-?time|realtime)\s+(?:[a-z]+\s+)?(?P<what>{_DISPLAYS})\b|\b(?:real-?time|realtime)\s+(?P<rt>[a-z][a-z\-]{{2,}})|"
    r"\b(?:push(?:es|ed)?|stream(?:s|ed)?)\s+(?:new\s+|live\s+)?(?P<pushed>[a-z][a-z\-]{2,})\s+to\s+(?:the\s+)?"
    r"(?P<to>[a-z][a-z\-]{2,})|"
    # "must update within 5 seconds", "should see the new price within a second", "should show up on the
    # others in a couple of seconds": what someone sees, bounded in seconds
    r"\b(?:update|updates|updated|refresh|refreshes|appear|appears|show|shows|shown|see|sees|seen)\s+"
    r"(?:up\s+)?(?:[\w']+\s+){0,4}?(?:within|in\s+under|in\s+less\s+than|in)\s+(?:\d+|a|one|two|few|a\s+few|a\s+couple\s+of)\s*"
    r"(?:s|sec|secs|seconds?)\b|"
    # "see each other's strokes and cursors with under 150 ms delay": what others do, seen within a bound
    r"\b(?:see|sees|seen)\s+each\s+other'?s?\s+(?P<other>[a-z][a-z\-]{2,})[^.;]{0,60}?\b(?:within|under|less\s+than|below)\s+"
    r"\d+\s*(?:ms|milliseconds?|s|secs?|seconds?)\b", re.I)
_NOT_LIVE = {"and", "with", "data", "the", "traffic", "in", "on", "for", "of", "to"}
_PEOPLE_DECIDE = re.compile(
    r"\b(?P<who>[a-z][a-z\-]{2,}s)\s+(?:then\s+)?(?:(?:review|reviews|moderate|moderates|vet|vets|triage|triages)\s+"
    r"(?:the\s+|each\s+|every\s+|new\s+|submitted\s+)?(?P<what>[a-z][a-z\-]{2,})|"
    r"(?:either\s+)?(?:confirm|approve|accept)\s+or\s+(?:reject|decline)\s+(?:the\s+|each\s+)?(?P<what2>[a-z][a-z\-]{2,}))", re.I)
_NOT_REVIEWERS = {"users", "customers", "clients", "visitors", "we", "systems", "services", "apps", "devices", "sensors"}
_SPIKE = re.compile(r"\b(?:spikes?|spiking|surges?|rush|burst|bursts|stampede|flood)\b", re.I)
_READ_OBJECT = re.compile(
    r"\b(?:check|checks|checking|view|views|viewing|see|look\s+at|looks\s+at|browse|browses|load|loads|open|opens|"
    r"visit|visits|refresh|refreshes|read|reads)\s+(?:the\s+|their\s+|its\s+|our\s+|a\s+)?"
    r"(?P<what>[a-z][a-z\-]{2,}(?:\s+(?:times|pages?|lists?|tables?|results|scores|schedules?|maps?|status))?)", re.I)
_OFFLINE = re.compile(
    r"\b(?:(?:work|works|working|usable|keep\s+working|keeps\s+working|function|functions)\s+offline|"
    r"offline\s+(?:mode|first|support|scanning|capable|use)|(?:when|while|if)\s+(?:they\s+are\s+|it\s+is\s+)?offline|"
    r"connection\s+drops|connectivity\s+drops|(?:no|poor|patchy|spotty|flaky|intermittent)\s+"
    r"(?:signal|connectivity|connection|coverage|internet|reception)\b(?!\s+(?:pool|pooling|string|hop))|without\s+(?:a\s+)?(?:connection|"
    r"connectivity|network|internet|signal))\b", re.I)
_ACTOR_VERB = re.compile(r"\b(?P<who>[a-z][a-z\-]{2,})\s+(?:staff\s+)?(?P<verb>scan|scans|record|records|log|logs|check|checks|"
                         r"take|takes|capture|captures|enter|enters|collect|collects|sell|sells|inspect|inspects)\s+"
                         r"(?:the\s+|a\s+|an\s+)?(?P<what>[a-z][a-z\-]{1,}(?:\s+codes?)?)", re.I)
_WINDOW = re.compile(
    r"\b(?:above|below|over|under|exceeds?|exceeding|higher\s+than|lower\s+than|more\s+than|less\s+than)\s+[-\u2212]?[\d.,]+\s*"
    r"(?:[a-z%°]+\s+){0,3}?(?:for\s+(?:more\s+than\s+|longer\s+than\s+|over\s+|at\s+least\s+)?[\d.,]+\s*"
    r"(?:seconds?|minutes?|mins?|hours?)|"
    r"within\s+(?:a|any|one)\s+[\d.,]*\s*(?:seconds?|minutes?|hours?)\s+window)", re.I)
_NO_SIGNAL_FOR = re.compile(r"\bno\s+(?P<what>[a-z][a-z\-]{2,})\s+(?:\w+\s+){0,2}?for\s+(?:more\s+than\s+)?[\d.,]+\s*"
                            r"(?:seconds?|minutes?|mins?|hours?)", re.I)


def find_interaction_blocks(text: str) -> tuple[tuple[str, str], ...]:
    """(block id, argument from the text) for each interaction shape, in a fixed order."""
    out: list[tuple[str, str]] = []
    for block_id, finder in (("live_push", _live), ("review_queue", _reviewed), ("read_spike", _spiked),
                             ("offline_client", _offline), ("window_rule", _window)):
        argument = finder(text)
        if argument:
            out.append((block_id, argument))
    return tuple(out)


def _live(text: str) -> str:
    for m in _LIVE.finditer(text):
        if m.group("what"):
            return _words(m.group("what"))
        if m.group("rt") and m.group("rt").lower() not in _NOT_LIVE:
            return _words(m.group("rt"))
        if m.group("other"):
            return f"{_words(m.group('other'))} to the others"
        if m.group("pushed"):
            return f"{_words(m.group('pushed'))} to {_words(m.group('to'))}"
        if m.group(0).lower().startswith(("update", "refresh", "appear", "show", "see")):
            a, _ = sentence_bounds(text, m.start())
            subject = re.match(r"\s*(?:(?:a|an|the|each|every)\s+)?(?:[a-z\-]+\s+){0,2}?(?P<n>[a-z][a-z\-]{2,})\s+"
                               r"(?:must|should|will|has\s+to|have\s+to|is|are|needs?\s+to)?\s*(?:\w+\s+){0,3}?"
                               r"(?:update|refresh|appear|show|see)", text[a:m.start() + 8], re.I)
            return _words(subject.group("n")) if subject else "updates"
    return ""


def _reviewed(text: str) -> str:
    for m in _PEOPLE_DECIDE.finditer(text):
        who, what = m.group("who").lower(), (m.group("what") or m.group("what2") or "").lower()
        if who in _NOT_REVIEWERS or not what or what in ("them", "it", "that", "this", "for", "whether", "if"):
            continue
        return f"{what} for {who}"
    return ""


def _spiked(text: str) -> str:
    for m in _SPIKE.finditer(text):
        a, b = sentence_bounds(text, m.start())
        read = _READ_OBJECT.search(text, m.end(), b) or _READ_OBJECT.search(text, a, m.start())
        if read:
            return _words(read.group("what"))
    return _heavy_reads(text)


# A stated read rate in the thousands per second ("~20,000 page views per second", "5k lookups a
# second"): the same pages or records are read far more often than they change.
_READ_RATE = re.compile(r"(?P<n>\d[\d.,]*)\s*(?P<k>k|thousand)?\s+(?:(?P<what>[a-z][a-z\-]{2,})\s+)?"
                        r"(?:page\s*views|views|page\s+loads|reads|lookups|visits)\s+(?:per|a|an|each|every)\s+"
                        r"(?:second|sec)\b", re.I)
_HEAVY_READS_PER_SECOND = 1000
_PAGE_OF = re.compile(r"\b(?P<what>[a-z][a-z\-]{2,})\s+pages?\b", re.I)


def _heavy_reads(text: str) -> str:
    """What is read at thousands of reads per second: the "... page" its sentence names, else
    the counted thing ("lookups")."""
    for m in _READ_RATE.finditer(text):
        try:
            n = float(m.group("n").replace(",", "")) * (1000 if m.group("k") else 1)
        except ValueError:
            continue
        if n < _HEAVY_READS_PER_SECOND:
            continue
        a, b = sentence_bounds(text, m.start())
        page = next((p for p in _PAGE_OF.finditer(text, a, b) if p.group("what").lower() not in ("per", "the", "its", "their")), None)
        return f"{page.group('what').lower()} pages" if page else "reads"
    return ""


def _offline(text: str) -> str:
    m = _OFFLINE.search(text)
    if not m:
        return ""
    a, b = sentence_bounds(text, m.start())
    act = _ACTOR_VERB.search(text, a, b)
    return f"{_words(act.group('what'))} {act.group('verb').lower().rstrip('s')}s" if act else "field work"


def _window(text: str) -> str:
    m = _WINDOW.search(text)
    if m:
        return " ".join(m.group(0).split())[:60]
    m = _NO_SIGNAL_FOR.search(text)
    return " ".join(m.group(0).split())[:60] if m else ""


def _words(raw: str) -> str:
    return " ".join(raw.lower().split())


def interaction_block(block_id: str, argument: str) -> Block:
    """The block for a found (or spec-given) pair; `argument` is free text from the user."""
    arg = " ".join(re.sub(r"[^\w .&'/%-]", " ", argument).split())[:60] or "updates"
    trigger = f"{block_id.replace('_', ' ')}: {arg}"
    if block_id == "live_push":
        return Block(block_id, (Component(f"Push channel (WebSocket / SSE) for {arg}", "clients hold a connection and "
                                          "receive each change as it is committed (published after the transaction, "
                                          "fanned out across instances by pub/sub); a reconnect resumes from the last "
                                          "event id", "WebSocket / SSE gateway + Redis pub/sub or Postgres LISTEN/NOTIFY"),),
                     "a screen that must show changes within seconds is pushed to, not polled; polling every few "
                     "seconds multiplies reads by the number of open screens", trigger)
    if block_id == "review_queue":
        what, _, who = arg.partition(" for ")
        return Block(block_id, (Component(f"Review queue of {what} for {who or 'reviewers'}", f"each submitted {what} "
                                          "waits in a queue table; a reviewer claims the next one (SELECT ... FOR UPDATE "
                                          "SKIP LOCKED, with a lease that lapses) so no two reviewers decide the same item",
                                          "queue table in the database"),),
                     "people deciding on submitted items need each item handed to exactly one of them, and items "
                     "nobody finished handed out again", trigger,
                     ((f"claim_next_{snake_identifier(what)}"[:40], "POST", "/v1/review_queue/claim",
                       f"Claim the next {what} to review (leased to one reviewer)"),))
    if block_id == "read_spike":
        return Block(block_id, (Component(f"Cache and CDN for {arg}", f"the {arg} everyone reads during the spike are "
                                          "served from a CDN / cache with a short TTL, invalidated on change, so the "
                                          "database sees one read per change instead of one per reader",
                                          "CDN + Redis (short TTL)"),),
                     "a crowd reading the same thing at the same moment is a cache's best case; without one the spike "
                     "lands on the database", trigger)
    if block_id == "offline_client":
        return Block(block_id, (Component(f"Offline-capable client for {arg}", "the client keeps a local copy of what "
                                          "it needs (e.g. valid codes, signed so they can be checked locally), queues what "
                                          "it records with client-generated ids, and syncs when the connection is back; the "
                                          "server deduplicates by those ids", "local store and upload queue on the device + background sync with "
                                          "retries (idempotent replay) + signed data"),),
                     "the text says the connection drops where the work happens; the work must not stop, and replays "
                     "after reconnecting must not double-apply", trigger)
    if block_id == "window_rule":
        return Block(block_id, (Component(f"Windowed rule evaluator ({arg})", "keeps per-device state of when the "
                                          "condition started and fires once when it has held for the stated time (and "
                                          "once when it clears), evaluated as readings arrive plus a timer for silence",
                                          "stream processor or a worker over the readings table"),),
                     "a condition that must last a while before it counts needs state across readings; one reading "
                     "alone cannot decide it", trigger)
    raise ValueError(f"unknown block {block_id!r}; known: {', '.join(INTERACTION_BLOCKS)}")
