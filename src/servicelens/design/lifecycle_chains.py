"""Operations from a life cycle written as a chain of states.

Engineers often write the life of a thing as arrows rather than sentences: "a report moves
new -> triaged -> scheduled -> fixed", "samples go through received -> extracted -> QC ->
sequenced -> archived". Each state written as a participle names the act that puts the thing
in it (triage, schedule, fix; extract, sequence, archive); the thing is the noun the sentence
is about (its first noun, or the subject of "moves"/"goes"). States that are nouns or
adjectives ("QC", "library prep", "new") name no act and are left to the life-cycle reader.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.design.text import sentence_bounds

# "a -> b", "a → b", "a => b": two or more states joined by arrows
_ARROW = r"\s*(?:->|→|=>|⟶)\s*"
_STATE = r"[A-Za-z][A-Za-z\-]*(?:\s+[A-Za-z][A-Za-z\-]*)?"
_CHAIN = re.compile(rf"(?P<chain>{_STATE}(?:{_ARROW}{_STATE})+)")
# words that name the chain itself, never the thing that moves along it
_CHAIN_WORDS = frozenset("step steps stage stages state states status statuses phase phases flow lifecycle life cycle "
                         "workflow pipeline".split())
_SKIP = frozenset("a an the each every any its their our your this that these those one all".split())
_NOT_ACTS = frozenset("need needed based used called named".split())


@dataclass(frozen=True, slots=True)
class ChainAct:
    """An act read from a state of a chain: its verb, the thing it moves, and the chain."""

    verb: str
    noun: str  # as written, singular or plural
    phrase: str


def chain_acts(text: str, is_thing, verb_of_participle) -> tuple[ChainAct, ...]:
    """The acts that move a thing along each arrow chain of `text` (`is_thing` tells a noun,
    `verb_of_participle` undoes a participle by spelling rules)."""
    out: list[ChainAct] = []
    for m in _CHAIN.finditer(text):
        states = [s.strip() for s in re.split(_ARROW, m.group("chain"))]
        start, _ = sentence_bounds(text, m.start())
        noun = _subject(text[start:m.start()], is_thing)
        if not noun:
            continue
        # the first state is where a thing starts: nobody calls an act to create it that way
        for state in states[1:]:
            word = state.split()[-1].lower()
            if not re.fullmatch(r"[a-z]{3,}(?:ed|en)", word) or word in _NOT_ACTS:
                continue
            verb = verb_of_participle(word)
            if verb and verb != word and len(verb) >= 3:
                out.append(ChainAct(verb, noun, m.group("chain")))
    return tuple(dict.fromkeys(out))


def _subject(before: str, is_thing) -> str:
    """The thing a chain is about: the first noun of its sentence, past determiners, skipping the
    words that name the chain ("moves through steps:")."""
    for word in re.findall(r"[A-Za-z][A-Za-z\-]*", before):
        low = word.lower()
        if low in _SKIP or low in _CHAIN_WORDS:
            continue
        return low if is_thing(low) else ""
    return ""
