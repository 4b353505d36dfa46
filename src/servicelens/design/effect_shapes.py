"""Invariants implied by what a system does with its records, even when no rule is written:

- handed over    "approved expenses are exported to SAP", "orders are synced to the ERP" -> the
                 handover must happen once per record however often the job re-runs: an export
                 id per record under a unique constraint, the record id as the idempotency key;
- once per key   "members vote once per election", "each employee is paid exactly once per pay
                 period" -> a unique constraint over (actor, key);
- aggregated     "an ad click aggregator", "readings are aggregated per hour" -> events that
                 senders resend must be counted once: dedup by event id before aggregation;
- reserved       "stock is reserved at payment time", "credits are held when a job starts" ->
                 a counted quantity taken by a conditional decrement, released on failure;
- immediate      "unsubscribes must be respected immediately" -> the latest state is read at
                 the moment of each action, never from a list built earlier;
- batch deadline "a 20M campaign must finish within 1 hour" -> a throughput the workers must
                 reach together, within the outside provider's quota;
- clock deadline "statements are available by 06:00", "all accruals posted by 05:00", "the file
                 reaches the bank before the 10:30 cut-off", "the job finishes inside the window"
                 -> a run that must be done by a time of day, modal or not: started early enough,
                 partitioned over parallel workers sized to the window, resumable, and watched.

Each shape returns (kind, phrase, subject, mechanism) so `invariant_shapes` treats it like
every other shape; the mechanism names the text's own nouns.
"""
from __future__ import annotations

import re
from collections.abc import Callable

_WORD = r"[a-z][a-z\-]{2,}"
_HANDOVER = re.compile(
    rf"\b(?P<what>{_WORD})\s+(?:are|is|get|gets|will\s+be|must\s+be|should\s+be)\s+(?:then\s+|automatically\s+|nightly\s+|daily\s+)?"
    r"(?:exported|synced|synchronised|synchronized|pushed|posted|forwarded|uploaded|transferred|handed\s+over|reported)\s+"
    r"(?:\w+\s+){0,2}?(?:to|into)\s+(?:the\s+|our\s+|their\s+|an?\s+)?(?P<dest>[A-Za-z][\w\-]+(?:\s+[A-Z][\w\-]+)?)", re.I)
_AGGREGATED = re.compile(
    rf"\b(?P<what>{_WORD})\s+(?:aggregator|aggregation|counter|counting|tally)\b|"
    rf"\b(?P<what2>{_WORD})\s+(?:are|is|get|gets|must\s+be)\s+(?:\w+\s+)?(?:aggregated|counted|tallied|summed)\b", re.I)
_RESERVED = re.compile(
    rf"\b(?P<what>{_WORD})\s+(?:is|are|gets|get|must\s+be)\s+(?:\w+\s+)?(?:reserved|held\s+back|set\s+aside|earmarked|deducted|decremented)"
    r"\s+(?:at|when|on|as\s+soon\s+as|before|while)\b", re.I)
_IMMEDIATE = re.compile(
    rf"\b(?P<what>{_WORD})\s+(?:must|should|have\s+to|has\s+to|need\s+to|needs\s+to)\s+(?:be\s+)?(?:\w+\s+)?"
    r"(?:immediately|instantly|right\s+away|at\s+once|without\s+delay)\b", re.I)
_BATCH_DEADLINE = re.compile(
    rf"\b(?:an?\s+|each\s+|every\s+|the\s+)?(?:[\d.,]+\s*[kmb]?\s+)?(?P<what>{_WORD})\s+(?:must|should|has\s+to|needs\s+to)\s+"
    r"(?:be\s+)?(?:finish|finished|complete|completed|done|processed|produced|generated|run|delivered\s+in\s+full)\s+"
    r"(?:with)?in\s+(?:under\s+|less\s+than\s+)?(?P<d>(?:a|an|one|\d[\d.,]*)\s*(?:min\w*|hours?|h|days?|nights?)\b)", re.I)
# A time of day: "06:00", "5:30", "6am", "noon" (a bare "by 2" is no clock).
_CLOCK = r"(?:\d{1,2}:\d\d(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?|noon|midday|midnight)(?:\s+(?-i:[A-Z]{2,4})\b)?"
# The acts that finish a run's output or hand it over: done, ready, posted, uploaded, on the phones.
_DONE = (r"(?:available|ready|done|finished|complete|completed|posted|uploaded|delivered|published|produced|generated|"
         r"computed|calculated|loaded|imported|exported|sent|emailed|printed|in\s+place|"
         r"on\s+(?:the\s+)?[\w']+\s+(?:phones?|devices?|tablets?|screens?|handhelds?))")
# "<statements> (of a cycle) are (all) available by 06:00", "routes need to be on the drivers' phones by 05:30"
_BY_CLOCK = re.compile(
    rf"\b(?P<what>{_WORD})\s+(?:of\s+(?:[\w']+\s+){{1,3}}?)?(?:(?:is|are|must|should|will|need\s+to|needs\s+to|has\s+to|have\s+to|"
    rf"be|get|gets|all)\s+){{0,3}}{_DONE}\s+(?:[\w']+\s+){{0,3}}?(?:by|no\s+later\s+than)\s+(?P<d>{_CLOCK})", re.I)
# "the file reaches the bank before the 10:30 CET cut-off": a hand-over due before a clock cut-off
_BEFORE_CUTOFF = re.compile(
    rf"\b(?P<what>{_WORD})\s+(?:must\s+|should\s+|has\s+to\s+|needs\s+to\s+)?(?:reach\w*|arriv\w*|be\s+(?:sent|delivered|submitted|"
    rf"uploaded)|is\s+(?:sent|delivered|submitted|uploaded)|gets?\s+to)\b[^.;]{{0,40}}?\bbefore\s+(?:the\s+)?(?P<d>{_CLOCK})\s*"
    r"cut-?off\b", re.I)
# "the job finishes inside the window", "the run finishes within 6 hours": a run bounded by its window
_RUN_WITHIN = re.compile(
    rf"\b(?P<what>{_WORD})\s+(?:must\s+|should\s+|has\s+to\s+|needs\s+to\s+)?(?:finishes|finish|completes|complete|ends)\s+"
    rf"(?:with)?in(?:side)?\s+(?P<d>the\s+(?:[\w-]+\s+)?window|(?:a|an|one|\d[\d.,]*)\s*(?:hours?|h|nights?)\b)", re.I)
_ONCE_PER = re.compile(
    rf"\b(?P<actor>{_WORD})\s+(?:can\s+|may\s+|must\s+|is\s+|are\s+|gets?\s+)?(?:only\s+)?(?P<verb>[a-z]+)\s+"
    r"(?:exactly\s+|only\s+|at\s+most\s+)?once\s+(?:per|in\s+each|for\s+each|each|in\s+an?|in\s+the)\s+"
    rf"(?P<key>{_WORD}(?:\s+(?:period|cycle|window|slot|round|run|term|season))?)\b"
    # "paid once per member per year": a second key makes the pair the unique key
    rf"(?:\s+(?:and\s+)?(?:per|in\s+each|for\s+each|each)\s+(?P<key2>{_WORD}))?", re.I)
_NOT_THINGS = frozenset("it they we you he she this that which who one each every all there here what data "
                        "everything something anything".split())


# shapes naming one subject (`what`): the invariant's kind, and its mechanism in the text's nouns
_ONE_SUBJECT: tuple[tuple[re.Pattern[str], str, Callable[[str, re.Match[str]], str]], ...] = (
    (_AGGREGATED, "exactly-once-effect", lambda what, m: (
        f"dedup by {what} id before aggregation: each {what} carries a unique id, and a resent {what} is dropped (an "
        f"idempotent upsert keyed by the id, or dedup in the stream processor with checkpoints) so it is counted "
        f"exactly once")),
    (_RESERVED, "capacity-limit", lambda what, m: (
        f"reservation by a conditional decrement of the available {what} (UPDATE ... SET available = available - $2 "
        f"WHERE id = $1 AND available >= $2) in the same transaction that records the reservation, with expires_at so "
        f"a reservation whose payment or step fails is released")),
    (_IMMEDIATE, "strong-read", lambda what, m: (
        f"{what} state checked at the moment of use: a lookup immediately before each action it governs reads the "
        f"latest {what} rows from the primary (not a cache or a list built earlier), so a change applies to the very "
        f"next action, not only at build time")),
    (_BATCH_DEADLINE, "batch-deadline", lambda what, m: (
        f"each {what} split into chunks processed by parallel workers sized to the required rate (volume / "
        f"{m.group('d')}), with enough aggregate quota at the outside provider and a rate limiter per provider account "
        f"or pool; progress per {what} is tracked so a run falling behind its deadline is seen early")),
    (_BY_CLOCK, "batch-deadline", lambda what, m: _due_by(what, m.group("d"))),
    (_BEFORE_CUTOFF, "batch-deadline", lambda what, m: _due_by(what, m.group("d"))),
    (_RUN_WITHIN, "batch-deadline", lambda what, m: _due_by(what, " ".join(m.group("d").split()))),
)


def _due_by(what: str, due: str) -> str:
    """How a run is made to finish by a time: the start, the split, the resumption, the watch."""
    return (f"deadline for the {what}s ({due}): a scheduled run started early enough for the deadline (its start set back "
            f"by the expected duration plus a margin); the {what}s split into partitions processed by parallel workers "
            f"sized to the window (volume / time left to the deadline); checkpoint and resume per partition so a crashed "
            f"run continues instead of starting over; progress monitoring with alerting when the run is behind schedule "
            f"(deadline monitoring), and a fallback plan (the previous output, or the finished part flagged) if it is "
            f"missed")


def effect_shapes(text: str, sentence: Callable[[int], str], singular: Callable[[str], str],
                  is_noun: Callable[[str], bool]) -> list[tuple[str, str, str, str]]:
    """(kind, sentence, subject, mechanism) for each effect shape in the text."""
    out: list[tuple[str, str, str, str]] = []

    def ok(word: str | None) -> bool:
        return bool(word) and word.lower() not in _NOT_THINGS and is_noun(word)

    for m in _HANDOVER.finditer(text):
        if ok(m.group("what")):
            what, dest = singular(m.group("what")).replace("_", " "), m.group("dest")
            out.append(("exactly-once-effect", sentence(m.start()), singular(m.group("what")),
                        f"idempotent export to {dest}: each {what} records the export (batch) id it went out in, under a "
                        f"unique constraint (one export per {what}), and the call to {dest} carries the {what} id as its "
                        f"idempotency key, so a retried or re-run export hands each {what} over once"))
    for m in _ONCE_PER.finditer(text):
        key = m.group("key").split()[0]
        if ok(m.group("actor")) and ok(key):
            actor, key_name = singular(m.group("actor")), singular(m.group("key").split()[-1]) if " " not in m.group("key") \
                else m.group("key").lower()
            # the second key may be a period ("per year"): any word but a pronoun
            key2 = singular(m.group("key2")) if m.group("key2") and m.group("key2").lower() not in _NOT_THINGS else ""
            if key2:  # "dividends are paid once per member per year": unique over (what, key, key2)
                out.append(("uniqueness", sentence(m.start()), actor,
                            f"unique constraint on ({key_name.replace(' ', '_')} id, {key2}): one {actor} "
                            f"{m.group('verb').lower()} per {key_name} per {key2}, claimed with an idempotent insert before "
                            f"the side effect (the pair is the idempotency key), so a restarted run or a retry never "
                            f"repeats it"))
                continue
            out.append(("uniqueness", sentence(m.start()), actor,
                        f"unique constraint on ({actor} id, {key_name.replace(' ', '_')} id): one {m.group('verb').lower()} "
                        f"per {actor} per {key_name}, a second insert fails (an idempotent insert returns the first), so a "
                        f"retry or a second attempt never counts twice"))
    for pattern, kind, mechanism in _ONE_SUBJECT:
        for m in pattern.finditer(text):
            word = m.group("what") or (m.groupdict().get("what2") or "")
            if ok(word):
                what = singular(word)
                out.append((kind, sentence(m.start()), what, mechanism(what, m)))
    return out


def handovers(text: str) -> list[tuple[str, str]]:
    """(what, destination) for each record kind the text hands to an outside system."""
    return [(m.group("what").lower(), m.group("dest")) for m in _HANDOVER.finditer(text)
            if m.group("what").lower() not in _NOT_THINGS]
