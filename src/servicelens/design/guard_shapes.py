"""Rules that guard a counter, a holder or a trail, read from the shape of the sentence.

Writers state these rules in many words, but a few grammatical shapes carry most of them:

    "a ticket is never sold beyond a slot's capacity"          -> a bounded counter (capacity)
    "a refill is never dispensed when none remain"             -> a counter that may not go below zero
    "no desk may be booked by two members for overlapping times"
    "a machine can't be out to two farms on the same day"      -> two takers of one thing at once
    "a sample is held by exactly one custodian at any moment"  -> one holder at a time
    "every access to a prescription is logged"                 -> an audit trail
    "unpicked refills go back to stock after 10 days"
    "a booking not checked in by 10:30 is released automatically" -> something must expire
    "devices may resend the same reading"                      -> a replay must not apply twice

    "a ticket can be transferred up to 2 hours before kick-off"  -> a cut-off on a transition

Each yields (kind, sentence, subject, counted, limit, duration, mechanism); the caller turns it
into a Shape. The subject is the thing the rule guards, so the mechanism can name it; a
mechanism is written here only where the shape asks for another one than the kind's template
(an overlap in time is an exclusion constraint, not a status flag).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from servicelens.design.forms import Form, Words, read_forms

_W = r"[a-z][a-z\-]{2,}"
_DURATION = r"\d[\d.,]*\s*-?\s*(?:second|minute|hour|day|week|month|year)s?"
_BEYOND = re.compile(
    rf"\b(?P<what>{_W})\s+(?:is|are|gets?|can\s+be|may\s+be|must\s+be)?\s*(?:never|not|cannot|can't|must\s+not|may\s+not)\s+"
    rf"(?:be\s+)?(?:\w+\s+){{0,2}}?(?:beyond|over|above|past|more\s+than)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+|each\s+)?"
    rf"(?P<holder>{_W})(?:'s)?\s+(?:capacity|limit|quota|allowance|maximum|size)\b", re.I)
_NONE_LEFT = re.compile(
    rf"\b(?P<what>{_W})\s+(?:is|are|can\s+be|may\s+be)?\s*(?:never|not|cannot|can't|must\s+not|may\s+not)\s+(?:be\s+)?(?:\w+\s+){{0,2}}?"
    r"(?:when|once|if|after)\s+(?:none|nothing|no\s+\w+)\s+(?:remain|remains|is\s+left|are\s+left|left|is\s+available|are\s+available)\b",
    re.I)
_TWO_AT_ONCE = re.compile(
    rf"\b(?:no\s+(?P<no>{_W})\s+(?:may|can|must|should|will)\s+be|(?P<holder>{_W})\s+(?:must|can|should|may|will)?\s*"
    r"(?:never|not|can't|cannot|won't)\s+be)\s+(?:\w+\s+){0,3}?(?:by|to|for|with|in)\s+(?:two|2|several|multiple|more\s+than\s+one)\s+"
    r"\w+\s+(?:for\s+overlapping\s+\w+|on\s+the\s+same\s+\w+|in\s+the\s+same\s+\w+|at\s+overlapping\s+\w+|simultaneously|"
    r"at\s+the\s+same\s+(?:moment|time)|at\s+once)", re.I)
_ONE_HOLDER = re.compile(
    rf"\b(?P<what>{_W})\s+(?:is|are|must\s+be|can\s+be|may\s+be)\s+(?:\w+\s+){{0,2}}?(?:by|to|with|in)\s+(?:exactly|only)\s+one\s+"
    rf"(?P<holder>{_W})\s+at\s+(?:any|a|one|each)\s+(?:time|moment|point)\b", re.I)
_EVERY_LOGGED = re.compile(
    rf"\b(?:every|each|all|any)\s+(?P<act>{_W})\s+(?:(?:to|of|on)\s+(?:a|an|the|their|its)?\s*(?P<what>{_W})\s+)?"
    r"(?:[\w']+\s+){0,3}?(?:is|are|must\s+be|gets|get|will\s+be|has\s+to\s+be|have\s+to\s+be)\s+(?:\w+\s+)?"
    r"(?:logged|recorded|audited|tracked|journaled|journalled)\b", re.I)
_BACK_AFTER = re.compile(
    rf"\b(?P<what>{_W})\s+(?:go|goes|return|returns|revert|reverts|fall|falls|move|moves|are\s+returned|is\s+returned)\s+back\b"
    rf"[^.;]{{0,40}}?\bafter\s+(?P<d>{_DURATION})", re.I)
_RELEASED_AUTOMATICALLY = re.compile(
    rf"\b(?P<what>{_W})\s+(?:[^.;]{{0,50}}?)\b(?:is|are|gets|get|will\s+be)\s+(?:released|cancelled|canceled|freed|expired|voided|"
    r"withdrawn|returned)\s+automatically\b", re.I)
_RESENT = re.compile(
    rf"\b(?:resend|resends|re-send|re-sends|resent|retry|retries|retried|redeliver|redelivers|replay|replays)\s+"
    rf"(?:\w+\s+){{0,2}}?the\s+same\s+(?P<what>{_W})", re.I)
_CUTOFF = re.compile(
    rf"\b(?:up\s+to|until|no\s+later\s+than|at\s+the\s+latest)\s+(?P<d>{_DURATION})\s+"
    r"before\s+(?:the\s+|its\s+|their\s+|a\s+)?(?P<event>[a-z][a-z\-]{2,})", re.I)
# the action the cut-off limits: the verb after the last modal before it ("can transfer")
_MODAL_VERB = re.compile(r"\b(?:can|may|must|could|should|is|are|be)\s+(?:be\s+|only\s+)?(?P<verb>[a-z][a-z\-]{2,})", re.I)
_IN_TIME = re.compile(r"overlapping|same\s+(?:day|date|night|week|slot|period|shift|hour)", re.I)
_NOT_GUARDED = {"access", "change", "changes", "action", "actions", "time", "times", "one", "request", "requests"}
_ACTS = {"access", "change", "read", "view", "edit", "update", "hand-off", "handoff", "action", "transfer", "movement",
         "decision", "modification", "login", "override", "approval", "deletion", "export", "dispense", "dispensing",
         "scan", "step"}

Found = tuple[str, str, str, str, str, str, str]


Reading = tuple[str, str, str, str, str]  # (subject, counted, limit, duration, mechanism)


def _beyond(m: re.Match[str], w: Words) -> Reading | None:
    if not w.noun(m.group("holder")):
        return None
    return w.singular(m.group("holder")), _plural(m.group("what")), "capacity", "", ""


def _none_left(m: re.Match[str], w: Words) -> Reading | None:
    if not w.noun(m.group("what")):
        return None
    what = w.singular(m.group("what"))
    return what, f"{what}s remaining", "0", "", ""


def _two_at_once(m: re.Match[str], w: Words) -> Reading | None:
    holder = m.group("no") or m.group("holder")
    if not w.noun(holder):
        return None
    thing = w.singular(holder)
    mech = (f"exclusion constraint on ({thing} id, time range) (EXCLUDE USING gist ({thing}_id WITH =, period WITH &&)), "
            f"so two bookings of one {thing} cannot overlap; for whole days or fixed slots a unique constraint on "
            f"({thing} id, day or slot); the insert that loses answers 409") if _IN_TIME.search(m.group(0)) else ""
    return thing, "", "", "", mech


def _one_holder(m: re.Match[str], w: Words) -> Reading | None:
    if not (w.noun(m.group("what")) and w.noun(m.group("holder"))):
        return None
    what, holder = w.singular(m.group("what")), w.singular(m.group("holder"))
    return what, holder, "1", "", (f"current {holder} column on the {what} row changed only by an atomic conditional update "
                                   f"(UPDATE ... SET {holder}_id = $new WHERE id = $1 AND {holder}_id = $expected) in the "
                                   f"transaction that records the hand-over; a unique partial index allows one open {holder} "
                                   f"row per {what}")


def _every_logged(m: re.Match[str], w: Words) -> Reading | None:
    act = m.group("act").lower()
    if w.singular(act) not in _ACTS and act not in _ACTS:
        return None
    what = m.group("what") or ""
    return (w.singular(what) if what and w.noun(what) else ""), act, "", "", ""


def _back_after(m: re.Match[str], w: Words) -> Reading | None:
    if not w.noun(m.group("what")) or m.group("what").lower() in _NOT_GUARDED:
        return None
    return w.singular(m.group("what")), "", "", " ".join(m.group("d").split()), ""


def _released(m: re.Match[str], w: Words) -> Reading | None:
    if not w.noun(m.group("what")) or m.group("what").lower() in _NOT_GUARDED:
        return None
    return w.singular(m.group("what")), "", "", "", ""


def _resent(m: re.Match[str], w: Words) -> Reading | None:
    return (w.singular(m.group("what")), "", "", "", "") if w.noun(m.group("what")) else None


def _cutoff(m: re.Match[str], w: Words) -> Reading | None:
    event, d = m.group("event").lower(), " ".join(m.group("d").split())
    lead = w.sentence(m.start())
    verbs = list(_MODAL_VERB.finditer(lead[:lead.lower().find(m.group(0).lower())] if m.group(0).lower() in lead.lower() else lead))
    verb = verbs[-1].group("verb").lower() if verbs else "transition"
    if not w.noun(event) or event in _NOT_GUARDED:
        return None
    column = event.replace("-", "_")
    return "", verb, "", d, (f"deadline check inside the {verb} update (... AND now() <= {column}_at - interval '{d}'): after "
                             f"the cut-off the update changes no row and the call answers 409")


GUARD_FORMS: tuple[Form[Reading], ...] = (
    Form(_BEYOND, "capacity-limit", _beyond),
    Form(_NONE_LEFT, "capacity-limit", _none_left),
    Form(_TWO_AT_ONCE, "no-double-sell", _two_at_once),
    Form(_ONE_HOLDER, "no-double-sell", _one_holder),
    Form(_EVERY_LOGGED, "audit", _every_logged),
    Form(_BACK_AFTER, "expiry", _back_after),
    Form(_RELEASED_AUTOMATICALLY, "expiry", _released),
    Form(_RESENT, "exactly-once-effect", _resent),
    Form(_CUTOFF, "cutoff", _cutoff),
)


def guard_shapes(text: str, sentence: Callable[[int], str], singular: Callable[[str], str],
                 noun: Callable[[str], bool]) -> list[Found]:
    """(kind, sentence, subject, counted, limit, duration, mechanism) for every guard shape."""
    return [(r.kind, sentence(r.start), *r.value) for r in read_forms(text, GUARD_FORMS, Words(singular, noun, sentence))]


def _plural(word: str) -> str:
    w = word.lower()
    return w if w.endswith("s") else w + "s"
