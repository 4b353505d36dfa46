"""What a requirement text must satisfy before the parser reads it.

The parser is regex-driven; these checks keep its work linear and its numbers sane:
a length limit, no digit runs longer than any real figure (a 20,000-digit "number"
made several patterns quadratic), no overflowing values and no negative figures,
which the number pattern would otherwise read as positive.
"""
from __future__ import annotations

import math
import re

from servicelens.design.text import Number

MAX_REQUIREMENT_CHARS = 20_000
MAX_DIGITS = 30
# Bigger than any figure a requirement needs (bytes of an exabyte store are 1e18).
MAX_NUMBER = 1e21
_DIGIT_RUN = re.compile(rf"\d{{{MAX_DIGITS + 1},}}")
# A minus sign glued to a number, not a hyphen inside a word or a range ("3-5", "p-99").
_NEGATIVE = re.compile(r"(?<![\w.\-\u2212/+])[-\u2212](?=\d)")


def well_formed(text: str) -> str:
    """Text that can be written as UTF-8: undecodable bytes from the command line
    (surrogate escapes) become U+FFFD, other lone surrogates '?'. Otherwise a report
    that merely quotes the requirement would crash when written."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


class UnreadableText(ValueError):
    """The text cannot be parsed safely; the message says why and what to do."""


def check_raw(raw: str) -> None:
    """Checks on the text as given: length and digit runs."""
    if len(raw) > MAX_REQUIREMENT_CHARS:
        raise UnreadableText(
            f"the requirement text is {len(raw):,} characters; the limit is {MAX_REQUIREMENT_CHARS:,}. "
            "Summarise it, or write a YAML spec (see docs/design-spec.md) with the figures as fields.")
    run = _DIGIT_RUN.search(raw)
    if run:
        raise UnreadableText(
            f"the requirement has a number with {len(run.group(0)):,} digits (at character {run.start() + 1}); "
            f"no figure needs more than {MAX_DIGITS} - write large numbers as 2M, 5e9 or 10^12.")


def check_numbers(text: str, nums: tuple[Number, ...]) -> None:
    """Checks on the normalised text: negative and overflowing figures."""
    negative = _NEGATIVE.search(text)
    if negative:
        raise UnreadableText(
            f"negative figure in '{_around(text, negative.start())}': rates, sizes, counts and durations "
            "cannot be negative.")
    for n in nums:
        if not math.isfinite(n.value) or n.value > MAX_NUMBER:
            raise UnreadableText(
                f"the number '{n.text}' in '{_around(text, n.start)}' is too large to be meaningful "
                f"(the limit is {MAX_NUMBER:g}).")


def _around(text: str, pos: int, reach: int = 40) -> str:
    return " ".join(text[max(0, pos - reach):pos + reach].split())
