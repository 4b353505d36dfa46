"""A size that is the whole volume a system holds, not the size of one of its things.

"Roughly 300 million documents and 180 TB of originals", "40 databases, ~6 TB in total":
English states a stock's volume as "N TB of <things>" (a plural or a mass noun with no
word making it one thing's) or with "in total". Read as one object's size it makes every
figure absurd (an object of 180 TB times the objects written a day), and multiplied by a
count it sizes the store a million times over. Beside a count of the things held, it gives
what a principal engineer derives first: the average size of one (volume / count).

Sizes said of one thing keep their reading: "each build writes about 5 MB of logs",
"each application carries drawings and reports, typically 40 MB in total",
"filings of up to 200 MB of attachments", "5 MB of logs per build", and a volume per
period ("2 TB of logs a day") is a data rate.
"""
from __future__ import annotations

import re

from servicelens.design.text import clause_bounds, sentence_bounds
from servicelens.model.design import StatedFigure

# a word in the size's clause that makes it one thing's size, or a cap on one
_ONE_THING_BEFORE = re.compile(r"\b(?:each|every|per|individual|single|one|up\s+to|max(?:imum)?|at\s+most|"
                               r"no\s+(?:more|larger|bigger)\s+than|average|averaging|avg|typical(?:ly)?|median|mean)\b", re.I)
# a sentence about each one of something sizes that one ("each application carries drawings,
# typically 40 MB in total"; "each with 6 photos ... 3 versions totalling 600 KB")
# ("one per shard" spreads the counted things over holders: it sizes none of them)
_DISTRIBUTIVE = re.compile(r"\b(?:each|every)\b|(?<!\bone )\bper\s+(?!cent\b)[a-z]", re.I)
# a full stop (a semicolon or a bracket does not end what "each" governs)
_FULL_STOP = re.compile(r"[.!?](?:\s|$)")
_TOTAL_AFTER = re.compile(r"\s*(?:in\s+total|total|altogether|all\s+told|combined|overall)\b", re.I)
_TOTAL_BEFORE = re.compile(r"\b(?:(?:a\s+)?total(?:\s+of)?|totals?|totall?ing|amounts?\s+to|adds?\s+up\s+to)\s+"
                           r"(?:about|around|roughly|~|some|over|nearly|almost|just\s+under|just\s+over)?\s*~?\s*$", re.I)
_OF = re.compile(r"\s+of\s+", re.I)
_WORD = re.compile(r"\s*([a-z][a-z\-]*)\b", re.I)
# words that end a noun phrase ("180 TB of originals and ...", "of logs per build")
_PHRASE_END = frozenset("and or but in on at per a an each every for from with that which who we they is are was were "
                        "to by as across over under into".split())
_PERIODIC = re.compile(r"\s*(?:(?:/|per|a|an|each|every)\s*(?:second|sec|s|minute|min|hour|hr|h|day|week|month|year|night)\b|"
                       r"(?:hourly|daily|nightly|weekly|monthly|yearly|annually)\b)", re.I)
_ONE_THING_AFTER = re.compile(r"\s*(?:each|apiece|a\s+piece|per\s+[a-z]|for\s+(?:each|every)\b)", re.I)
# nouns for an amount of data that take no plural
_MASS = frozenset("data storage text audio video footage content history imagery media email mail telemetry".split())


# "a return is ~40 KB of structured data", "one record weighs about 2 KB": the size of one
# thing named just before the number, whatever noun follows it
_ONE_IS = re.compile(r"\b(?:a|an|one|the\s+average|the\s+typical)\s+(?:[a-z\-]+\s+){1,2}?(?:is|weighs|averages|takes(?:\s+up)?|comes\s+to)\s+"
                     r"(?:about|around|roughly|approximately|some|~)?\s*~?\s*$", re.I)


def is_held_volume(text: str, start: int, unit_end: int) -> bool:
    """Whether the size whose number starts at `start` (its unit ends at `unit_end`) is the
    volume of a stock of things rather than the size of one of them."""
    if _PERIODIC.match(text, unit_end):
        return False
    c0, _c1 = clause_bounds(text, start)
    before = text[c0:start]
    if _ONE_THING_BEFORE.search(before) or _ONE_IS.search(before) or _DISTRIBUTIVE.search(text[_full_stop_before(text, start):start]):
        return False
    if _TOTAL_AFTER.match(text, unit_end) or _TOTAL_BEFORE.search(before):
        return True
    of = _OF.match(text, unit_end)
    if not of:
        return False
    noun, end = _head_noun(text, of.end())
    plural = noun.endswith("s") and not noun.endswith("ss")
    return (plural or noun in _MASS) and not _PERIODIC.match(text, end) and not _ONE_THING_AFTER.match(text, end)


def _full_stop_before(text: str, at: int) -> int:
    """Where the sentence holding `at` starts, cut only at full stops (bounded look-back)."""
    lo = max(0, at - 400)
    stops = [m.end() for m in _FULL_STOP.finditer(text, lo, at)]
    return stops[-1] if stops else lo


def _head_noun(text: str, at: int) -> tuple[str, int]:
    """The last word of the noun phrase starting at `at` (at most three words), and its end."""
    noun, end = "", at
    for _ in range(3):
        w = _WORD.match(text, end)
        if not w or w.group(1).lower() in _PHRASE_END:
            break
        noun, end = w.group(1).lower(), w.end()
    return noun, end


HELD_MEANING = "data volume held"  # figures.py's meaning of a held volume


def held_counts(figures: tuple[StatedFigure, ...], text: str) -> list[tuple[StatedFigure, StatedFigure]]:
    """(volume, count) for each held volume stated in one sentence with a count of things: the
    largest count there is what the volume is made of (items outnumber their containers)."""
    pairs = []
    for vol in (f for f in figures if f.meaning == HELD_MEANING):
        at = text.find(vol.phrase)
        if at < 0:
            continue
        s0, s1 = sentence_bounds(text, at)
        counts = [f for f in figures if f.meaning.startswith("count of ") and f.value >= 1
                  and (k := text.find(f.phrase, s0)) >= 0 and k < s1]
        if counts:
            pairs.append((vol, max(counts, key=lambda f: f.value)))
    return pairs

