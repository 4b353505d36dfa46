"""Acts written in note style: a noun followed by what was done to it, with no "is" or "are".

Tickets, bullet lists and step-by-step flows drop the auxiliary: "weigh ticket printed",
"specimen received at the front desk, labelled, tested in the lab", "permit application
submitted online; reviewed by a planning officer; then approved or refused", "a fine paid at
the desk is cleared the same day". Each is the verb acting on the noun before it (a reduced
passive), and the participles that follow it in the same sentence, with no new noun between,
act on the same noun. What comes right after the participle tells it from an active past
tense ("staff scanned 300 parcels" has an object; "parcels scanned at the gate" has none).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.design.verb_phrases import DESCRIBING_PARTICIPLES, IRREGULAR_PAST, NOT_OPERATIONS, PARTICLES, lemma

# Participles spelt like their base ("split", "cut", "set") read as participles only after
# another participle ("checked in, split into aliquots").
_SAME_FORM = frozenset("split cut set put shut read hit spread cast".split())
# Past tenses that are never participles: "the hearing began at 10" is no act done to the hearing.
_SIMPLE_PAST = frozenset("took gave wrote drew withdrew threw chose froze broke drove stole saw did went ran began".split())
_BOUNDARY = frozenset(",;.:!?()") | {"->", "=>", "\u2192"}
_SENTENCE_END = frozenset(".!?:")
# What may follow a reduced passive: a prepositional phrase, an adverb, the end of its clause.
_AFTER = frozenset("by at in into to on onto from within after before for with without via under per during until "
                   "each every once online offline later late then again overnight same next when where "
                   "and or but".split())
# Words between two participles of one run ("labelled, then tested", "approved or refused").
_LINKS = frozenset("then later and or either also finally eventually afterwards subsequently".split())
_AUX = frozenset("is are was were gets get be".split())
_NOT_NOUNS = frozenset("""
a an the their its his her my our your this that these those each every any some no not and or but nor if when while
where which who whom whose what how why as at by for from in into of on onto to with within without via per than so
too very it they them we us you he she i me him there here be is are was were been being has have had do does did
can could may might must should shall will would also only just never always still often usually then later again
""".split())
# an arrow between steps ("case filed -> hearing scheduled") ends a step like a comma
_WORD = re.compile(r"->|=>|\u2192|[A-Za-z][A-Za-z\-]*|\d[\d.,]*[A-Za-z%]*|[,;.:!?()]")
_LIST_BREAK = re.compile(r"\n\s*(?:\n|[-*\u2022]\s|\d+[.)]\s)")


@dataclass(frozen=True, slots=True)
class NoteAct:
    """A verb (base form, particle joined by '_') done to a noun the text names before it."""

    verb: str
    noun: str  # as written, plural or singular
    phrase: str


def participle_verb(word: str, after_participle: bool = False) -> str:
    """The base verb of a past participle ("labelled" -> "label", "taken" -> "take"), or ''."""
    w = word.lower()
    if w in DESCRIBING_PARTICIPLES:
        return ""
    if w in IRREGULAR_PAST:
        return "" if w in _SIMPLE_PAST else IRREGULAR_PAST[w]
    if after_participle and w in _SAME_FORM:
        return w
    if len(w) > 4 and w.endswith("ed") and not w.endswith("eed"):
        return lemma(w)
    return ""


def reduced_passives(text: str, is_thing) -> tuple[NoteAct, ...]:
    """Every act a note-style phrase does to the noun before it; `is_thing` says whether a
    word can name a thing the system keeps."""
    # a list item or a line of its own ends its phrase ("- weigh ticket printed\n- ...")
    toks = [m.group(0) for m in _WORD.finditer(_LIST_BREAK.sub(" . ", text).replace("\n", " , "))]
    low = [t.lower() for t in toks]
    out: list[NoteAct] = []
    for k in range(1, len(low)):
        noun = low[k - 1]
        verb = participle_verb(low[k])
        if not verb or noun in _NOT_NOUNS or not is_thing(noun) or participle_verb(noun):
            continue
        if not _ends_phrase(low, k + 1):
            continue  # "staff scanned 300 parcels": an active verb with its object
        out.extend(_run(toks, low, k, noun))
    return tuple(dict.fromkeys(out))


def _ends_phrase(low: list[str], j: int) -> bool:
    """Whether nothing that could be an object follows a participle ending at j."""
    if _closes(low, j):
        return True  # "raised on site": a preposition, not a particle
    return j < len(low) and low[j] in PARTICLES and _closes(low, j + 1)  # "checked in", "signed off"


def _closes(low: list[str], j: int) -> bool:
    return j >= len(low) or low[j] in _BOUNDARY or low[j] in _AFTER or low[j].endswith("ly")


def _act(toks: list[str], low: list[str], k: int, verb: str, noun: str) -> NoteAct | None:
    if verb in NOT_OPERATIONS or len(verb) < 3 or "-" in verb:
        return None
    particle = ""
    if k + 1 < len(low) and low[k + 1] in PARTICLES and (k + 2 >= len(low) or low[k + 2] in _BOUNDARY | _LINKS | _AFTER):
        particle = low[k + 1]
    return NoteAct(f"{verb}_{particle}" if particle else verb, noun, f"{noun} {toks[k]}")


def _run(toks: list[str], low: list[str], k: int, noun: str) -> list[NoteAct]:
    """The participle at k and the ones joined to it: after a comma, semicolon or link word,
    or after "is"/"are" in the same clause ("a reading taken by the crew is uploaded")."""
    out: list[NoteAct] = []
    first = _act(toks, low, k, participle_verb(low[k]), noun)
    if first:
        out.append(first)
    m, joined = k + 1, False
    while m < len(low) and low[m] not in _SENTENCE_END:
        word = low[m]
        if word in _BOUNDARY or word in _LINKS:
            joined = True
        elif word in _AUX and m + 1 < len(low) and participle_verb(low[m + 1]):
            joined = True
        elif joined and participle_verb(word, after_participle=True):
            act = _act(toks, low, m, participle_verb(word, after_participle=True), noun)
            if act:
                out.append(act)
            joined = False
        elif joined and word not in _NOT_NOUNS and not word.endswith("ly"):
            break  # a new noun opens the next phrase
        m += 1
    return out
