"""Retention per data class: how long each kind of stored thing is kept.

Requirements keep different data for different times ("GPS traces are kept for 1 year, trip
records for 7 years"; "raw logs are kept 13 months"; "an audit log ... kept for 8 years"). One
retention for the whole design sizes every stream on whichever was said first, and lists the
others as contradictions although they are about other things. Here each stated retention is
bound to the noun it is said of, read by grammar:

    "raw logs are kept 13 months"                the words before the keep verb
    "trip records for 7 years"                   an elliptical clause: the words before "for"
    "we keep raw events for 13 months"           the words after an active keep verb
    "an audit log (...) that is kept for 8 years" a relative clause: the noun before "that"

A stream uses the retention bound to its subject: the same head noun ("trips" / "trip"), or a
record of it ("audit log" keeps "audit events", "trip records" keep "trips"); otherwise the
retention said first, as before.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from servicelens.design.subjects import head, same_word
from servicelens.model.design import Quantity, Requirement

# Nouns that name the stored form of something else: "audit log", "trip records", "ride history".
_CONTAINERS = frozenset("log logs record records history histories entry entries trail trails line lines row rows "
                        "archive archives data copy copies file files".split())
# Subjects that are the data as a whole: a retention for everything, bound to nothing in particular.
_WHOLE = frozenset("data everything it they them all this that these those which information stuff".split())
_STOP = frozenset("a an the of to for and or in on at by is are be was were been being will must should shall can may "
                  "we our you your their its then also only each every all any some about around roughly up while".split())
_PASSIVE = re.compile(r"\b(?:kept|stored|retained|archived|preserved|held)\b", re.I)
_ACTIVE = re.compile(r"\b(?:keep|keeps|store|stores|retain|retains|archive|archives|preserve|preserves)\s+(?P<obj>[a-z][a-z\- ]*?)"
                     r"\s+(?:for|during|over|\d)", re.I)
_ELLIPSIS = re.compile(r"^\s*(?:and\s+|then\s+|while\s+|but\s+|,\s*)?(?P<obj>[a-z][a-z\- ]*?)\s+(?:for|kept|stored)\s+(?:up\s+to\s+|about\s+)?\d", re.I)
_WORD = re.compile(r"[a-z][a-z\-]*", re.I)


@dataclass(frozen=True, slots=True)
class SubjectRetention:
    """A stated retention and the noun it is said of ("" when said of the data as a whole)."""

    subject: str
    seconds: float
    phrase: str


def _content(words: list[str]) -> list[str]:
    return [w for w in words if w.lower() not in _STOP]


def _last_noun_phrase(before: str) -> str:
    """The last one or two content words of `before`, a parenthetical at its end passed over."""
    before = before.rstrip()
    if before.endswith(")") and "(" in before:
        before = before[:before.rfind("(")].rstrip()
    ws = _content(_WORD.findall(before))
    return " ".join(ws[-2:]).lower()


def subject_of(text: str, phrase: str) -> str:
    """The noun a retention clause is said of, read in `text` (whitespace-normalised)."""
    m = _PASSIVE.search(phrase)
    if m:
        ws = _content(_WORD.findall(phrase[:m.start()]))
        ws = [w for w in ws if w.lower() not in ("that", "which", "who", "are", "is", "get", "gets")]
        if ws:
            return _whole_or(" ".join(ws[-2:]).lower())
        at = text.find(phrase)  # "an audit log (...) that is kept": the noun the relative clause is about
        return _whole_or(_last_noun_phrase(text[max(0, at - 200):at])) if at >= 0 else ""
    a = _ACTIVE.search(phrase)
    if a:
        return _whole_or(" ".join(_content(_WORD.findall(a.group("obj")))[-2:]).lower())
    e = _ELLIPSIS.search(phrase)
    if e:
        return _whole_or(" ".join(_content(_WORD.findall(e.group("obj")))[-2:]).lower())
    return ""


def _whole_or(subject: str) -> str:
    return "" if not subject or head(subject) in _WHOLE or subject in _WHOLE else subject


def keeps(retained: str, subject: str) -> bool:
    """Whether data said to be kept (`retained`) is `subject` or a record of it."""
    if not retained or not subject:
        return False
    h = head(retained)
    if h and any(same_word(h, w) for w in _WORD.findall(subject.lower())):
        return True
    if h.lower() in _CONTAINERS:
        mods = [w for w in _WORD.findall(retained.lower())[:-1] if w not in _STOP]
        return any(same_word(m, w) for m in mods for w in _WORD.findall(subject.lower()))
    return False


_DURATION = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?)\b", re.I)


def own_part(phrase: str, seconds: float) -> str:
    """The part of a clause that states this retention: from after the duration before it
    ("Raw logs are kept 30 days and invoices for 10 years": "and invoices for 10 years")."""
    from servicelens.design.measures import DURATION_S, duration_unit
    spans = list(_DURATION.finditer(phrase))
    for k, m in enumerate(spans):
        if abs(float(m.group("n")) * DURATION_S[duration_unit(m.group("u"))] - seconds) <= 1e-6 * seconds:
            return phrase[spans[k - 1].end():m.end()] if k else phrase
    return phrase


@lru_cache(maxsize=16)
def _bind(text: str, stated: tuple[tuple[float, str], ...]) -> tuple[SubjectRetention, ...]:
    flat = " ".join(text.split())
    return tuple(SubjectRetention(subject_of(flat, own_part(" ".join(p.split()), v)), v, p) for v, p in stated)


def bound_retentions(req: Requirement) -> tuple[SubjectRetention, ...]:
    """Every retention the text states, with its subject."""
    from servicelens.design.text import normalise
    stated = tuple((f.value, f.phrase) for f in req.figures if f.meaning == "retention" and f.unit == "s")
    return _bind(normalise(req.text), stated)


def retention_for(req: Requirement, subject: str) -> Quantity | None:
    """How long `subject` is kept: a retention said of it or of its records, else the first stated."""
    for r in bound_retentions(req):
        if keeps(r.subject, subject):
            return Quantity(r.seconds, "s", r.phrase)
    return req.retention


def same_data(text: str, a: Quantity, b: Quantity) -> bool:
    """Whether two stated retentions are about the same data (then two values contradict)."""
    flat = " ".join(text.split())
    sa, sb = (subject_of(flat, own_part(" ".join(q.source.split()), q.value)) for q in (a, b))
    return sa == sb or keeps(sa, sb) or keeps(sb, sa)
