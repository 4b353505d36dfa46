"""Lexing requirement text: normalisation, numbers with multipliers, sentences, clauses.

Everything downstream works on the normalised text, so the spans here are the only
offsets the parser uses. Number words are rewritten to digits first because users write
"ten million" as often as "10M".
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from servicelens.design.identifiers import singular
from servicelens.design.number_words import spelled_numbers

MULTIPLIERS = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mil": 1e6, "million": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9, "t": 1e12, "trillion": 1e12,
}
_WORD_FOLLOWERS = (
    r"thousand|million|billion|trillion|years?|months?|weeks?|days?|hours?|minutes?|"
    r"seconds?|times|x\b|percent|nines|users|requests|messages|videos|photos|tweets|"
    r"searches|posts|replicas|regions|"
    # a counted thing with a period ("about one refill a month", "two backups per day"):
    # the word is a rate's count, where "one tenant" or "one patient at a time" is not
    r"(?:[a-z\-]+\s+){1,2}(?:a|an|per|each|every)\s+(?:day|week|month|year|hour)\b"
)
_FOLLOWER_RE = re.compile(r"\s+(?:" + _WORD_FOLLOWERS + r")", re.I)
# A plural noun, with at most one modifier, is what a spelled number above one counts
# ("forty volunteers", "four households per slot", "two small pantries"); after "one" a word
# in -s is a verb ("one gets a refund"), and "no two" stays the rule it states.
_PLURAL_FOLLOWER = re.compile(r"\s+(?:[a-z]+\s+)?[a-z]{2,}(?<!ss)(?<!ous)(?<!is)s\b", re.I)


def _counts_things(text: str, end: int, value: float) -> bool:
    if _FOLLOWER_RE.match(text, end):
        return True
    start = text.rfind(" ", 0, max(0, end - 1))
    return value >= 2 and bool(_PLURAL_FOLLOWER.match(text, end)) \
        and not re.search(r"\bno\s+\S+\s*$", text[max(0, start - 4):end], re.I)
# A bare b/B is "billion" only when a word follows ("5B searches"), else it is bytes.
_NUMBER_RE = re.compile(
    r"(?<![\w.])(?P<num>\d+(?:\.\d+)?(?:e\d+)?)"
    r"(?:\s*(?P<mult>thousand|million|billion|trillion|mil|mm|bn|k|m|t|b(?=\+?\s+(?!each\b|per\b|of\b|and\b|or\b|in\b)[a-z]))"
    r"(?![a-z]))?\+?",
    re.I,
)
# A line break ends a sentence only before a blank line or a list item: requirements are
# hard-wrapped anywhere, also in the middle of "must never / go negative".
_SENTENCE_SPLIT = re.compile(r"(?<!\d)[.;!?]+|[.;!?]+(?!\d)|\n\s*(?:\n|(?=[-*\u2022]|\d+[.)]\s))")
# How far a sentence or clause may reach on either side of a number. Real sentences are
# far shorter; the bound keeps a text without full stops from making every lookup scan
# the whole text (which made parsing quadratic).
CONTEXT_REACH = 400
# A power is written out only while it stays a sane figure; beyond this it becomes
# e-notation, which the bounds check then rejects, instead of building a huge integer.
_MAX_POWER_DIGITS = 21
_CLAUSE_SPLIT = re.compile(r",|\bbut\b|\bwhile\b|\bwhere\b|\bwhich\b|\(|\)")


@dataclass(frozen=True, slots=True)
class Number:
    """A number in the text: its value after the multiplier and its span."""

    value: float
    start: int
    end: int
    text: str


# A bare "each" stands for things counted before it: it is followed by a verb or "with",
# not by a noun of its own ("each with 12 drawings", "each passes through 8 hand-offs",
# "each requesting one refill a month"; not "each driver").
BARE_EACH = re.compile(r"\b(?:each(?:\s+one|\s+of\s+(?:them|those|these))?|every\s+one)\b(?=\s*(?:,|with\b|has\b|have\b|having\b|is\b|are\b|can\b|will\b|may\b|"
                         r"should\b|must\b|of\s+(?:them|which|those|these)\b|[a-z]+(?:es|ing)\b|[a-z]+[^s\W]s\b))", re.I)


# Who speaks in a chat transcript or a meeting note ("[PM] ...", "eng-b: ..."): a label,
# not a thing of the system. Bracketed labels always; "name:" labels when three or more
# lines carry one (a lone "Background:" heading is content).
_BRACKET_SPEAKER = re.compile(r"^[ \t]*\[[^\]\n]{1,24}\][ \t]*", re.M)
_NAME_SPEAKER = re.compile(r"^[ \t]*@?[A-Za-z][\w.\-]{0,19}:[ \t]+", re.M)


def without_speakers(text: str) -> str:
    """The text with speaker labels of a chat or meeting transcript removed."""
    out = _BRACKET_SPEAKER.sub("", text)
    if len(_NAME_SPEAKER.findall(out)) >= 3:
        out = _NAME_SPEAKER.sub("", out)
    return out


@lru_cache(maxsize=8)
def normalise(text: str) -> str:
    """Unify spellings that change how numbers read; case is kept for display. Memoised: a
    design reads its one requirement text once per subject and workload it binds (a long text
    stating hundreds of rates was normalised thousands of times)."""
    out = text.replace("\u2009", " ").replace("\u00a0", " ").replace("\u2264", "<=")
    out = out.translate(_QUOTES)
    out = _CONTRACTION.sub(_uncontract, out)
    out = out.replace("\u2013", "-").replace("\u2014", " - ").replace("\u00d7", "x")
    out = re.sub(r"(?<=\d)[,_'](?=\d{3}\b)", "", out)
    out = re.sub(r"(?<=\d)[,_'](?=\d{3}\b)", "", out)  # twice: 1,000,000
    out = re.sub(r"(\d+)\s*\^\s*(\d+)|10\*\*(\d+)", _power, out)
    out = _ONCE.sub(_once, out)
    return spelled_numbers(out, _counts_things)


# "takes readings twice a day", "orders a refill roughly once a month": the count of the
# noun before it per period; a hedge between them stays in front of the count.
_ONCE = re.compile(r"\b([a-z]+)\s+(?:(about|around|roughly|approximately|typically|usually|maybe)\s+)?(once|twice)\s+"
                   r"(?:a|an|per|every|each)\s+(day|week|month|hour)\b", re.I)


def _once(m: re.Match[str]) -> str:
    hedge = f"{m.group(2)} " if m.group(2) else ""
    return f"{hedge}{1 if m.group(3).lower() == 'once' else 2} {m.group(1)} per {m.group(4)}"


# Typographic quotes (what chat tools and word processors type) read as plain ones, and a
# negative contraction as its two words, so that every rule reads "shouldn't", "won't" and
# "mustn’t" as the "should not", "will not" and "must not" they are.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2032": "'"})
_CONTRACTION = re.compile(r"\b([A-Za-z]+)n't\b")
_IRREGULAR = {"ca": "can", "wo": "will", "sha": "shall"}


def _uncontract(m: re.Match[str]) -> str:
    head = m.group(1)
    if head.lower() == "ca":
        return head[0] + "annot"
    return f"{_IRREGULAR.get(head.lower(), head)} not" if head.lower() in _IRREGULAR else f"{head} not"


def _power(m: re.Match[str]) -> str:
    base, exponent = (10, int(m.group(3))) if m.group(3) else (int(m.group(1)), int(m.group(2)))
    if base <= 1:
        return str(base if exponent else 1)
    magnitude = exponent * math.log10(base)
    if magnitude > _MAX_POWER_DIGITS:
        return f"1e{int(magnitude)}"
    return _fmt(base ** exponent)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def numbers(text: str) -> tuple[Number, ...]:
    """Every number with its multiplier applied ("2.5M" -> 2,500,000)."""
    found = []
    for m in _NUMBER_RE.finditer(text):
        value = float(m.group("num"))
        mult = (m.group("mult") or "").lower()
        value *= MULTIPLIERS.get(mult, 1.0)
        found.append(Number(value, m.start(), m.end(), m.group(0).strip()))
    return tuple(found)


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The start and end offsets of the sentence holding `pos`."""
    lo, hi = max(0, pos - CONTEXT_REACH), min(len(text), pos + CONTEXT_REACH)
    start, end = lo, hi
    for m in _SENTENCE_SPLIT.finditer(text, lo, hi):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


# A line that is a statement of its own although no full stop ends it: a table row, or a step
# of an acceptance criterion written as Given/When/Then (the format's own keywords).
OWN_LINE = re.compile(r"\s*(?:\||(?:Given|When|Then|And|But|Scenario|Feature|Background)\b)")


def statement_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence holding `pos`, cut to its line when that line is a table row or a
    Given/When/Then step: rules written in such lines end at the line, not at a full stop."""
    start, end = sentence_bounds(text, pos)
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    next_line = text[line_end + 1:text.find("\n", line_end + 1) if text.find("\n", line_end + 1) >= 0 else len(text)]
    if OWN_LINE.match(text[line_start:line_end]) or (line_end < end and OWN_LINE.match(next_line)):
        return max(start, line_start), min(end, line_end)
    return start, end


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """Like a sentence, but commas and conjunctions also split."""
    s_start, s_end = sentence_bounds(text, pos)
    start, end = s_start, s_end
    for m in _CLAUSE_SPLIT.finditer(text, s_start, s_end):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def words(fragment: str) -> list[str]:
    """Lower-case word tokens; '/' is kept as its own token for "payments/day"."""
    return re.findall(r"[a-z][a-z0-9\-']*|/", fragment.lower())


def phrase_pattern(phrase: str) -> str:
    """A phrase as a regular expression in which any run of whitespace matches any other:
    requirements wrap lines anywhere, also between "never" and "go negative"."""
    return r"\s+".join(re.escape(w) for w in phrase.lower().split())


def has_phrase(text: str, phrases: list[str] | tuple[str, ...]) -> str:
    """The first phrase present as whole words, or ''."""
    low = text.lower()
    for phrase in phrases:
        if re.search(r"(?<![a-z])" + phrase_pattern(phrase) + r"(?![a-z])", low):
            return phrase
    return ""


# Currency symbols before a number and ISO codes or names after it: an amount of money is
# a price or a threshold, never a count of events ("payouts above 5,000 GBP").
_MONEY_BEFORE = re.compile(r"[$€£¥]\s*$")
_MONEY_AFTER = re.compile(r"\s*(?:k|m|bn)?\s*(?:usd|eur|gbp|chf|jpy|cad|aud|nzd|sek|nok|dkk|pln|inr|brl|zar|"
                          r"dollars?|euros?|pounds?|cents?|pence|yen)\b", re.I)


def is_money(text: str, start: int, end: int) -> bool:
    return bool(_MONEY_BEFORE.search(text[max(0, start - 3):start]) or _MONEY_AFTER.match(text, end))


# "09:00", "9am", "6 p.m.": either number of a time of day is a point on the clock, not a count
# "9-10am", "between 6 and 8pm": the start of a span of the clock is a time of day as well
_CLOCK_AFTER = re.compile(r"(?::\d\d(?!\d))|\s*(?:am|pm|a\.m\.|p\.m\.)(?![a-z])"
                          r"|\s*(?:-|\u2013|to|until|and)\s*\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)(?![a-z])", re.I)
_CLOCK_BEFORE = re.compile(r"\d:$")


def is_clock_time(text: str, start: int, end: int) -> bool:
    """The number at text[start:end] is the hour or the minutes of a time of day."""
    return bool(_CLOCK_AFTER.match(text, end) or _CLOCK_BEFORE.search(text[max(0, start - 2):start]))


# Words that follow a verb, never a noun used as a name: "follow their progress", "post a note".
_OBJECT_START = r"(?:their|the|a|an|our|its|his|her|my|your|them|us|me|him)"


def only_as_verb(text: str, word: str) -> bool:
    """Every use of `word` in the text is a verb taking an object ("follow their progress"),
    so it does not name a catalogued system ("follows" of a social feed) or the things it stores."""
    w = re.escape(word.replace("_", " "))
    uses = list(re.finditer(rf"\b{w}s?\b", text, re.I))
    return bool(uses) and all(re.match(rf"\s+{_OBJECT_START}\b", text[m.end():], re.I) for m in uses)


def lower_singular(word: str) -> str:
    """A lower-cased noun's singular, for matching a plural in one sentence with its singular in
    another ("ladders" ... "a ladder"): the one singulariser of design mode (identifiers.singular),
    which keeps "status", "bus" and "analysis" whole."""
    return singular(word.lower())
