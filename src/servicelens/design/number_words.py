"""Numbers written as words: "two thousand", "three hundred thousand", "twenty-five",
"half a million", and the vague amounts people write in tickets and chat ("a few hundred",
"a couple of megabytes", "tens of thousands").

A run of number words is read by its grammar (units and tens add, "hundred" multiplies
what came before, a larger scale closes a group), so any spelled number reads, not a
list of phrases. A vague amount is read at a stated point of its range (a few = 3, several
= 5, "thousands of" = 3 thousand): a design sizes from one number, and the text keeps the
words beside it so the reader sees where the number came from.
"""
from __future__ import annotations

import re
from typing import Callable

_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
          "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12}
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# The point of a vague amount's range a design sizes from.
VAGUE = {"a few": 3, "a couple of": 2, "a couple": 2, "several": 5, "a handful of": 5}
_WORD = r"(?:" + "|".join(sorted(list(_UNITS) + list(_SCALES), key=len, reverse=True)) + r")"
# A spelled number: optional "a"/"half a"/vague lead, then number words joined by spaces,
# hyphens or "and" ("two hundred and fifty thousand", "twenty-five").
# A fraction of a scale ("a quarter million", "three quarters of a million", "a third of a billion").
FRACTIONS = {"a quarter": 0.25, "quarter": 0.25, "three quarters": 0.75, "a third": 1 / 3, "one third": 1 / 3,
             "two thirds": 2 / 3, "a fifth": 0.2, "a tenth": 0.1}
_FRACTION_LEAD = "|".join(v.replace(" ", r"\s+") + r"(?:\s+of\s+an?)?" for v in sorted(FRACTIONS, key=len, reverse=True))
_RUN = re.compile(
    r"\b(?P<lead>" + _FRACTION_LEAD + r"|half\s+an?|an?|" + "|".join(v.replace(" ", r"\s+") for v in sorted(VAGUE, key=len, reverse=True)) + r")?\s*"
    r"(?P<run>" + _WORD + r"(?:(?:\s+and\s+|\s*-\s*|\s+)" + _WORD + r")*)\b"
    r"(?P<half>\s+and\s+a\s+half\b(?:\s+(?P<tail>thousand|million|billion)\b)?)?", re.I)
# "tens of thousands", "hundreds of millions", "thousands of": an order of magnitude.
_PLURAL_SCALE = re.compile(r"\b(?P<a>tens|dozens|hundreds|thousands|millions|billions)\s+of"
                           r"(?:\s+(?P<b>thousands|millions|billions)(?:\s+of)?)?\b", re.I)
_PLURAL_VALUE = {"tens": 10, "dozens": 12, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
# Size units after a vague amount ("a couple of megabytes"): a vague amount of a unit is a size.
_VAGUE_UNITS = re.compile(r"\s+(?:kilobytes|megabytes|gigabytes|terabytes|kb|mb|gb|tb)\b", re.I)


def read_run(run: str) -> float:
    """The value of a run of number words ("three hundred thousand" -> 300,000)."""
    total, group = 0.0, 0.0
    for word in re.findall(r"[a-z]+", run.lower()):
        if word == "and":
            continue
        if word in _UNITS:
            group += _UNITS[word]
        elif word == "hundred":
            group = (group or 1) * 100
        else:
            total += (group or 1) * _SCALES[word]
            group = 0.0
    return total + group


def spelled_numbers(text: str, gate: Callable[[str, int, float], bool]) -> str:
    """`text` with spelled numbers as digits. `gate(text, end, value)` says whether a run without a
    scale word is a quantity ("one tenant" or "one at a time" is not); runs with a scale
    word ("hundred", "thousand", ...) and vague amounts of a scale always are."""
    text = vague_sizes(_PLURAL_SCALE.sub(_plural, text))
    return _RUN.sub(lambda m: _replace(m, gate), text)


def _plural(m: re.Match[str]) -> str:
    value = 3 * _PLURAL_VALUE[m.group("a").lower()] * (_PLURAL_VALUE[m.group("b").lower()] if m.group("b") else 1)
    return f"~{_fmt(value)}"


def _replace(m: re.Match[str], gate: Callable[[str, int, float], bool]) -> str:
    run = m.group("run")
    if not m.group("lead") and re.search(r"\d\s*$", m.string[:m.start("run")]):
        return m.group(0)  # "1.5 million": the digits carry the number, the word its scale
    words = [w.lower() for w in re.findall(r"[a-z]+", run) if w.lower() != "and"]
    lead = " ".join((m.group("lead") or "").lower().split())
    scaled = any(w in _SCALES for w in words)
    value = read_run(run)
    fraction = re.sub(r"\s+of\s+an?$", "", lead)
    if fraction in FRACTIONS:
        if not scaled:
            return m.group(0)  # "a quarter of the users", "a third party": no amount to size from
        value = round(value * FRACTIONS[fraction])  # a third of a billion is a count, written in digits
    elif lead.startswith("half"):
        value *= 0.5
    elif lead in VAGUE:
        if not scaled:
            return m.group(0)  # "a few tickets", "several teams": no amount to size from
        value *= VAGUE[lead]
    if m.group("half"):
        value += 0.5 * (_SCALES.get(words[-1], 1) if scaled else 1)
        if m.group("tail"):  # "two and a half million"
            value, scaled = value * _SCALES[m.group("tail").lower()], True
    if not scaled and not gate(m.string, m.end(), value):
        return m.group(0)
    keep = m.group(0)[: len(m.group(0)) - len(m.group(0).lstrip())]
    prefix = "~" if lead in VAGUE else ""
    return f"{keep}{prefix}{_fmt(value)}"


def vague_sizes(text: str) -> str:
    """"a couple of megabytes" -> "~2 megabytes": a vague count of a size unit is a size."""
    pattern = re.compile(r"\b(" + "|".join(v.replace(" ", r"\s+") for v in sorted(VAGUE, key=len, reverse=True)) + r")(?=" + _VAGUE_UNITS.pattern + ")", re.I)
    return pattern.sub(lambda m: f"~{VAGUE[' '.join(m.group(1).lower().split())]}", text)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
