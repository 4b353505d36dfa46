"""One table type for the rule readers that match a sentence against a list of patterns
(clause_forms, guard_shapes, invariant_shapes). Each of them used to walk its own patterns in a
loop of near-identical blocks; now each keeps its table of `Form`s and `read_forms` is the one
matcher. A form's `read` turns one match into the module's own reading (its subject and
mechanism), or None when the matched words are not what the rule is about ("it", "each").
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Words:
    """How a reader names what a match is about: the singular of a noun, whether a word can be
    the thing a rule guards, and the sentence around a position of the text."""

    singular: Callable[[str], str]
    noun: Callable[[str], bool]
    sentence: Callable[[int], str]


@dataclass(frozen=True, slots=True)
class Form(Generic[R]):
    """A sentence form: its pattern, the kind of rule it states, and how a match is read."""

    pattern: re.Pattern[str]
    kind: str
    read: Callable[[re.Match[str], Words], R | None]


@dataclass(frozen=True, slots=True)
class Reading(Generic[R]):
    """One match of a form: the kind, where it starts in the text, and what `read` made of it."""

    kind: str
    start: int
    value: R


def read_forms(text: str, forms: Sequence[Form[R]], words: Words) -> list[Reading[R]]:
    """Every reading of every form, in table order and then text order."""
    out: list[Reading[R]] = []
    for form in forms:
        for m in form.pattern.finditer(text):
            value = form.read(m, words)
            if value is not None:
                out.append(Reading(form.kind, m.start(), value))
    return out
