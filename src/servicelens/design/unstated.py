"""The figures a design needed that the text gives no basis for, each with what was assumed
instead and the question that would settle it.

A design always needs a record size, a peak factor, how many of each kept thing arrive a day;
a requirement rarely states them all. Assuming silently would pass a guess off as a reading, so
the "Requirement as understood" part lists every such figure next to the ones the text gave:
- every default the design assumed (a record size, a retention, a stored item's size ...),
  with the open question already asked for it, or one asked here when none was;
- every main thing the design keeps whose volume the text never gives (no number counts it and
  no stated rate is about it): the design plans for it only inside its total writes.
A topic quoted from the text (an assumption about how to read a stated phrase) has a basis and
is not listed.
"""
from __future__ import annotations

import re

from servicelens.design.identifiers import entity_names, plural, text_word
from servicelens.model.design import Assumption, OpenQuestion, Requirement, Unstated

# How many of the main kept things are checked for a stated volume: the first ones the text keeps
# coming back to; the rest of a long tail would only pad the list.
_MAIN_THINGS = 3


def unstated_figures(req: Requirement, assumptions: tuple[Assumption, ...], questions: tuple[OpenQuestion, ...],
                     writes_per_day: float) -> tuple[tuple[Unstated, ...], tuple[OpenQuestion, ...]]:
    """(the figures with no basis in the text, the open questions to add for those no question
    asked yet)."""
    asked = {q.topic: q for q in questions}
    rows: list[Unstated] = []
    new: list[OpenQuestion] = []
    for a in assumptions:
        if a.topic.startswith(("'", '"')):
            continue  # a reading of a stated phrase, not a figure without a basis
        q = asked.get(a.topic)
        if q is None:
            q = OpenQuestion(f"Which {a.topic} holds for this system?", f"{a.topic}: {a.value}", a.topic)
            asked[a.topic] = q
            new.append(q)
        rows.append(Unstated(a.topic, a.value, q.question))
    for thing in _unsized_things(req):
        words = plural(text_word(thing)).replace("_", " ")
        topic = f"{words} per day"
        if topic in asked:
            continue
        assumed = f"not counted on their own: part of the {writes_per_day:,.0f} writes a day planned in total"
        q = OpenQuestion(f"How many {words} are created per day, and how many in the busiest hour?", assumed, topic)
        asked[topic] = q
        new.append(q)
        rows.append(Unstated(topic, assumed, q.question))
    return tuple(rows), tuple(new)


def _unsized_things(req: Requirement) -> list[str]:
    """The main things kept whose volume no stated number or rate gives."""
    stated = " ".join([f.phrase for f in req.figures] + [f"{r.subject} {r.source}" for r in req.rates]).lower()
    out = []
    for thing in req.entities[:_MAIN_THINGS]:
        word = text_word(entity_names(thing)[0])
        words = {w.replace("_", " ") for w in (thing, word, plural(word))}
        if not any(re.search(rf"\b{re.escape(w)}\b", stated) for w in words):
            out.append(thing)
    return out
