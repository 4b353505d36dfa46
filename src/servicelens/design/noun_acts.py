"""Acts the text writes as adjectives or as nouns rather than as verbs with an object.

Engineers name acts in three shapes besides "verb the thing": as a participle qualifying the
thing ("an acknowledged or resolved incident must never page again", "a cancelled booking"),
and as a list of act nouns whose thing is the one the text is about ("refunds, reloads and
pre-authorisations", "acknowledgements and resolutions stop the escalation", "publishes, yanks
and deprecations are audited"). Both name operations of the API; the first carries its
object, the second binds to the thing the text's other acts are done to most.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z][A-Za-z\-]*|[.;:!?,()]")
_QUALIFY_BEFORE = frozenset("a an the each every any its their our your this that these those no".split())
_BOUNDARY = frozenset(".;:!?()")


@dataclass(frozen=True, slots=True)
class NounAct:
    """A verb (base form) and the noun it acts on, with the words it was read from."""

    verb: str
    noun: str
    phrase: str


def participle_acts(text: str, verb_of, is_thing) -> tuple[NounAct, ...]:
    """"an acknowledged or resolved incident" -> acknowledge / resolve incident: participles
    (joined by and/or) after a determiner, qualifying the noun after them. `verb_of` maps a
    participle to a base verb that names a state change, or ''."""
    toks = [m.group(0) for m in _WORD.finditer(text)]
    low = [t.lower() for t in toks]
    out: list[NounAct] = []
    for i, word in enumerate(low):
        if word not in _QUALIFY_BEFORE:
            continue
        verbs, k = [], i + 1
        # "a closed or escalated ticket": every participle of the run qualifies the noun after it;
        # those whose verb changes no state ("a signed and closed contract") are read past
        while k < len(low) and (low[k].endswith("ed") or verb_of(low[k])):
            if verb_of(low[k]):
                verbs.append(verb_of(low[k]))
            if k + 2 < len(low) and low[k + 1] in ("or", "and") and (low[k + 2].endswith("ed") or verb_of(low[k + 2])):
                k += 2
            else:
                k += 1
        if not verbs or k >= len(low):
            continue
        noun = low[k]
        if noun in _BOUNDARY or noun == "," or not is_thing(noun):
            continue
        for verb in verbs:
            out.append(NounAct(verb, noun, " ".join(toks[i + 1:k + 1])))
    return tuple(dict.fromkeys(out))


# a list of two or more nouns joined by commas and a final and/or
_LIST = re.compile(r"\b([A-Za-z][A-Za-z\-]+(?:\s*,\s*[A-Za-z][A-Za-z\-]+)*\s*,?\s+(?:and|or)\s+[A-Za-z][A-Za-z\-]+)\b")


def listed_act_nouns(text: str, act_of, objects: tuple[str, ...]) -> tuple[NounAct, ...]:
    """"refunds, reloads and pre-authorisations": a list with two or more nouns of acts (`act_of`
    maps a word to its verb or '') names those acts; each is bound to the thing the text's other
    acts are done to most (`objects`, in the order the text acts on them)."""
    if not objects:
        return ()
    thing = Counter(objects).most_common(1)[0][0]
    out: list[NounAct] = []
    for m in _LIST.finditer(text):
        words = [w for w in re.split(r"\s*,\s*|\s+(?:and|or)\s+", m.group(1).strip()) if w]
        verbs = [v for v in (act_of(w.lower()) for w in words) if v]
        if len(verbs) < 2:
            continue
        for verb in verbs:
            out.append(NounAct(verb, thing, m.group(1)))
    return tuple(dict.fromkeys(out))


def act_noun_verb(word: str, nominal_verb, known) -> str:
    """The verb a noun of an act names ("refunds" -> refund, "acknowledgements" -> acknowledge,
    "resolutions" -> resolve, "pre-authorisations" -> preauthorise): a nominal suffix (undone by
    `nominal_verb`) always names an act, a bare plural only when `known` says its singular is a
    verb of operations; else ''."""
    w = word.lower()
    prefix = ""
    if "-" in w:
        prefix, _, w = w.rpartition("-")
        prefix = prefix.replace("-", "")
    one = w[:-1] if w.endswith("s") and not w.endswith("ss") else w
    if one.endswith("olution"):
        verb = one[: -len("olution")] + "olve"  # resolution, dissolution
    else:
        verb = nominal_verb(one)
    if verb:  # the suffix itself says the noun names an act
        return prefix + verb
    if w != one and known(one):
        return prefix + one  # "refunds", "yanks": a plural whose singular is a verb of operations
    return ""


# "a follower of that report", "reviewers of each paper": the agent noun of an act and its thing
_AGENT_OF = re.compile(r"\b([a-z]{3,}(?:er|or))s?\s+of\s+(?:(?:a|an|the|that|this|their|its|each|every|any)\s+)?([a-z][a-z\-]{2,})\b",
                       re.I)


def agent_acts(text: str, known, is_thing, people: frozenset[str] = frozenset()) -> tuple[NounAct, ...]:
    """"the resident becomes a follower of that report" -> follow report: an agent noun of a
    verb of operations (`known`), with "of" and the thing it acts on. Words for people in general
    (`people`: users, customers) name nobody's act."""
    out: list[NounAct] = []
    for m in _AGENT_OF.finditer(text):
        agent, thing = m.group(1).lower(), m.group(2).lower()
        if agent in people or agent + "s" in people or not is_thing(thing):
            continue
        stem = agent[:-2]
        verb = next((v for v in (stem, stem + "e", stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else "")
                     if v and known(v)), "")
        if verb:
            out.append(NounAct(verb, thing, " ".join(m.group(0).split())))
    return tuple(dict.fromkeys(out))
