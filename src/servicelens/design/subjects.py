"""Stated quantities bound to the thing they size or multiply (their subject).

A number in a requirement means something only with its noun: "8 MB" is the size of an
image when the sentence counts images, "7 times" multiplies bags into scans. Capacity
arithmetic composes per subject (count x size = storage, rate x size = bandwidth, rate x
per-item factor = a second stream: compose.py), so the binding must say which noun each
size and factor belongs to. The noun is read by grammar, never from a list of domains:

    "1.5 MB per image", "300 bytes each"          the noun after per / each (or counted before it)
    "a scan event is 300 bytes", "payload 2 KB"   the noun the number is said of
    "12 million images ..., average original 8 MB" the counted or streamed noun of the sentence
    "each bag is scanned on average 7 times"      a per-item factor: bag -> scanned x 7
    "~3 webhook events per payment"               a per-item factor: payment -> webhook events x 3
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.design.held_volumes import is_held_volume
from servicelens.design.measures import SIZE_UNITS, _SIZE_RE
from servicelens.design.text import Number, clause_bounds, sentence_bounds

_STOP = frozenset("a an the of to for and or in on at by with from per each every is are be was were its their our our "
                  "your this that these those it they we us average avg typical typically about around roughly approx "
                  "approximately up most least max maximum min minimum on some any all one which who has have having "
                  "weighs weigh weighing averages averaging takes take uses use needs need size sized sizes total "
                  "together add adds another extra plus further more less than under over just only so then also".split())
_PERIODS = frozenset("second sec minute min hour hr day week month year night shift session request".split())
_CEILING_BEFORE = re.compile(r"\b(?:up\s+to|at\s+most|max(?:imum)?|no\s+(?:more|larger|bigger)\s+than|limit(?:ed)?\s+(?:of|to)|"
                             r"capped\s+at|not\s+exceed\w*|under|below|less\s+than)\s*~?\s*$", re.I)
_ADDITIVE = re.compile(r"\b(?:add|adds|adding|plus|another|extra|on\s+top|additional|together)\b", re.I)
_PER_AFTER = re.compile(r"\s*(?:each\s+)?(?:per|for\s+each|for\s+every|a|an|each|every)\s+(?P<noun>[a-z][a-z\-]+)\b", re.I)
_PER_PERIOD = re.compile(r"\s*(?:/|per|a|an|each|every)\s*(?:second|sec|s|minute|min|hour|hr|h|day|week|month|year)\b", re.I)
_EACH_AFTER = re.compile(r"\s*(?:each|apiece)\b", re.I)
_HOLDER_BEFORE = re.compile(r"\b(?:per|each|every)\s+$", re.I)
_NOUN_AFTER = re.compile(r"[a-z][a-z\-]+", re.I)
_WORD = re.compile(r"[a-z][a-z\-']*", re.I)
_WORKING = re.compile(r"\s*(?:of\s+)?(?:ram|memory|heap|working\s+set)\b|\s*(?:limit|quota|cap)\b", re.I)
# "each bag is scanned on average 7 times", "bags are scanned 7 times each"
_TIMES = re.compile(r"\b(?:each|every)\s+(?P<holder>[a-z][a-z\-]+)\s+(?:is|are|gets?|will\s+be|can\s+be|may\s+be)\s+"
                    r"(?P<verb>[a-z]+ed|read|seen|sent|shown|run|hit|written|done)\s+(?:[a-z]+\s+){0,3}?"
                    r"(?:on\s+average\s+|about\s+|around\s+|roughly\s+|~\s*)?(?P<n>\d+(?:\.\d+)?)\s+times\b"
                    r"(?!\s+(?:a|an|per|each|every)\s+(?:second|minute|hour|day|week|month|year)\b)", re.I)
_TIMES_AFTER = re.compile(r"\b(?P<holder>[a-z][a-z\-]+s)\s+(?:are|get|will\s+be|can\s+be)\s+(?P<verb>[a-z]+ed|read|seen|sent|shown|run)\s+"
                          r"(?:[a-z]+\s+){0,3}?(?:on\s+average\s+|about\s+|around\s+|roughly\s+|~\s*)?(?P<n>\d+(?:\.\d+)?)\s+times\s+"
                          r"(?:each|on\s+average)\b", re.I)
# "~3 webhook events per payment", "2 postings per transaction" (not "... per payment per day")
_PER_ITEM = re.compile(r"(?<![\d.,])(?:~\s*)?(?P<n>\d+(?:\.\d+)?)\s+(?P<thing>(?:[a-z][a-z\-]+\s+){0,2}?[a-z][a-z\-]+)\s+"
                       r"(?:per|for\s+each|for\s+every|on\s+each|on\s+every|with\s+each|with\s+every)\s+(?P<holder>[a-z][a-z\-]+)\b"
                       r"(?!\s+(?:per|a|an|each|every)\s+(?:second|sec|minute|min|hour|hr|day|week|month|year)\b)", re.I)


def stem(word: str) -> str:
    """A word's family key: lower case, a plural's s dropped, the first five letters."""
    w = word.lower().strip("'-")
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        w = w[:-1]
    return w[:5]


def same_word(a: str, b: str) -> bool:
    """One word family ("scan" / "scanned", "image" / "images"): a common prefix of at least
    three letters as long as the shorter stem."""
    sa, sb = stem(a), stem(b)
    k = min(len(sa), len(sb))
    return k >= 3 and sa[:k] == sb[:k]


def head(phrase: str) -> str:
    """The noun a phrase names: its last content word ("licensed images" -> "images")."""
    content = [w for w in _WORD.findall(phrase.lower()) if w not in _STOP]
    return content[-1] if content else ""


def about(phrase: str, subject: str) -> bool:
    """Whether a noun phrase is about a subject: its head is one of the phrase's words' family."""
    h = head(subject)
    return bool(h) and any(same_word(h, w) for w in _WORD.findall(phrase.lower()) if w not in _STOP)


@dataclass(frozen=True, slots=True)
class SubjectSize:
    """A stated size and the noun it is the size of."""

    subject: str
    value: float  # bytes
    phrase: str
    ceiling: bool  # "up to 8 MB": a bound, used only when no typical size is stated
    additive: bool  # "add about 1.5 MB per image": on top of the subject's other size


@dataclass(frozen=True, slots=True)
class PerItem:
    """A factor that turns one counted or streamed thing into several of another."""

    holder: str  # "bag", "payment"
    factor: float
    thing: str  # "scanned" (the act, for "N times"), "webhook events"
    phrase: str
    act: bool = False  # the thing is the holder's act ("scanned 7 times"), not a noun of its own

    def name(self) -> str:
        return f"{self.holder}s {self.thing}" if self.act else self.thing


def bind_sizes(text: str, nums: tuple[Number, ...], anchors: list[str]) -> list[SubjectSize]:
    """Every size the text states with its subject; `anchors` are the nouns the text counts or
    streams, the subject of a size said of a noun that is neither ("average original 8 MB")."""
    out = []
    for n in nums:
        # "a 120-byte record": a size written as a compound adjective
        m = _SIZE_RE.match(text, n.end) or (_SIZE_RE.match(text, n.end + 1) if text[n.end:n.end + 1] == "-" else None)
        if not m or m.group(1).lower() in ("characters", "chars") or _WORKING.match(text, m.end()):
            continue
        value = n.value * SIZE_UNITS[m.group(1).lower()]
        if _PER_PERIOD.match(text, m.end()) or is_held_volume(text, n.start, m.end()):
            continue  # "40 GB per day" is a data rate, "180 TB of originals" a stock: neither is one thing's size
        c0, _c1 = clause_bounds(text, n.start)
        before = text[c0:n.start]
        subject = _subject_after(text, m.end()) or _said_of(before)
        # "300 photos a day per shop, 2 MB each": each of the things counted, not of the holder
        counted = bool(_EACH_AFTER.match(text, m.end()))
        if subject and not any(about(subject, a) or about(a, subject) for a in anchors):
            subject = anchor_before(text, n.start, anchors, counted) or subject
        elif not subject:
            subject = anchor_before(text, n.start, anchors, counted)
        if not subject:
            continue
        s0, _s1 = sentence_bounds(text, n.start)
        out.append(SubjectSize(subject, value, " ".join(text[c0:m.end()].split()),
                               bool(_CEILING_BEFORE.search(before)), bool(_ADDITIVE.search(text[max(c0, s0):n.start]))))
    return out


def _subject_after(text: str, end: int) -> str:
    per = _PER_AFTER.match(text, end)
    if per:
        noun = per.group("noun").lower()
        return "" if noun in _PERIODS or noun in _STOP else noun
    if _EACH_AFTER.match(text, end):
        return ""  # "300 bytes each": the thing counted before it (an anchor)
    taken = []
    for w in _NOUN_AFTER.finditer(text, end, min(len(text), end + 40)):
        word = w.group(0).lower()
        if text[end:w.start()].strip() or word in _STOP or _looks_verb(word) or len(taken) == 2:
            break
        taken.append(word)
        end = w.end()
    return " ".join(taken)


def _looks_verb(word: str) -> bool:
    return word.endswith(("ed", "ing")) or word in ("is", "are", "be", "was", "were", "and", "or")


def _said_of(before: str) -> str:
    """The noun a size is said of: the last content words before it in its clause."""
    ws = _WORD.findall(before.lower())
    while ws and (ws[-1] in _STOP or ws[-1] in ("each", "weighs", "is", "are")):
        ws.pop()
    if not ws or _looks_verb(ws[-1]):
        return ""
    mod = ws[-2] if len(ws) > 1 and ws[-2] not in _STOP and not _looks_verb(ws[-2]) else ""
    return f"{mod} {ws[-1]}".strip()


def anchor_before(text: str, pos: int, anchors: list[str], counted: bool = False) -> str:
    """The counted or streamed noun named nearest before `pos` in its sentence. `counted`
    (a size said of "each") passes over a noun that only follows per / each / every: that
    one is the holder the things are counted per ("5 audit events per prescription, ~500
    bytes each" sizes the audit events)."""
    heads: dict[str, str] = {}
    for a in anchors:  # one head per distinct anchor, the first anchor naming it
        h = stem(head(a))
        if len(h) >= 3:
            heads.setdefault(h, a)
    s0, _s1 = sentence_bounds(text, pos)
    # this sentence, else the one before ("We store 1M invoices; a PDF of 200 KB each")
    for start in (s0, sentence_bounds(text, s0 - 2)[0] if s0 >= 2 else s0):
        for w in reversed(list(_WORD.finditer(text, start, pos))):
            if counted and _HOLDER_BEFORE.search(text, max(start, w.start() - 12), w.start()):
                continue
            ws = stem(w.group(0))
            for h, a in heads.items():
                k = min(len(h), len(ws))
                if k >= 3 and h[:k] == ws[:k]:
                    return a
    return ""


def bind_per_items(text: str) -> list[PerItem]:
    """Factors per one of a thing: "each bag is scanned 7 times", "3 webhook events per payment"."""
    out = []
    for pat in (_TIMES, _TIMES_AFTER):
        for m in pat.finditer(text):
            holder = m.group("holder").lower()
            holder = holder[:-1] if holder.endswith("s") and not holder.endswith("ss") else holder
            out.append(PerItem(holder, float(m.group("n")), m.group("verb").lower(), " ".join(m.group(0).split()), True))
    for m in _PER_ITEM.finditer(text):
        holder, thing = m.group("holder").lower(), m.group("thing").lower()
        if holder in _PERIODS or holder in _STOP or same_word(head(thing), holder) or head(thing) in _PERIODS:
            continue
        if _SIZE_RE.match(text, m.start("thing") - 1) or not head(thing):
            continue
        out.append(PerItem(holder, float(m.group("n")), thing, " ".join(m.group(0).split())))
    return out
