"""What a thing does by itself: "holds expire after 7 days", "subscriptions renew monthly",
"invoices close at month end". A verb of change whose subject is a plural noun, with no object
after it, changes that noun's state: the design offers it as an operation on the noun (expire
holds).

Only verbs that English uses without an agent for the thing that changes (ergative verbs), and
rarely with a person as subject, are read this way: "drivers accept" names who acts, not what
changes, and "drivers arrive" is no operation on drivers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ERGATIVE = frozenset("expire renew close reopen lapse settle end fail pause resume".split())
# "<plural> <verb>" with nothing the verb could take as its object after it: the end of the
# clause, a preposition, a conjunction or an adverb ("holds expire after 7 days", "renew monthly")
_PLURAL_THEN_VERB = re.compile(
    r"\b([a-z][a-z\-]{2,}s)\s+(?:automatically\s+|only\s+|also\s+|then\s+|always\s+|never\s+)?([a-z]+)"
    r"(?=\s*(?:[.,;:!?)\n]|$)|\s+(?:after|at|in|on|within|by|when|if|unless|once|and|or|every|each|before|"
    r"without|until|[a-z]+ly)\b)", re.I)


@dataclass(frozen=True, slots=True)
class SubjectChange:
    verb: str  # base form: "expire"
    noun: str  # the plural as written: "holds"
    phrase: str  # "Holds expire"


# One thing that changes by itself, named with its determiner: "the paper locks", "the page
# escalates to the next level", "the next wave may start only after ...". These verbs also say
# what a thing does on its own when its subject is one thing (a person "starts" or "opens"
# something, with an object, which the object rule below excludes).
# ("the timer ends", "a job fails" are events a design reacts to, not calls: end and fail stay out)
SINGULAR_CHANGES = (ERGATIVE - {"end", "fail"}) | frozenset("lock unlock open start escalate finish complete".split())
_AFTER_CHANGE = (r"(?=\s*(?:[.,;:!?)\n]|$)|\s+(?:after|at|in|on|within|by|when|if|unless|once|and|or|every|each|before|"
                 r"without|until|to|for|[a-z]+ly)\b)")
_ONE_THEN_VERB = re.compile(
    r"\b(?:the|a|an|each|every|this|that)\s+(?:(?:next|previous|current|first|last|new)\s+)?([a-z][a-z\-]{2,})\s+"
    r"(?:(?:may|can|will|must|should|then|automatically|also)\s+)?([a-z]+)" + _AFTER_CHANGE, re.I)


def _base(word: str) -> str:
    w = word.lower()
    if w.endswith("es") and w[:-2] in SINGULAR_CHANGES:
        return w[:-2]
    if w.endswith("s") and w[:-1] in SINGULAR_CHANGES:
        return w[:-1]
    return w


def subject_changes(text: str) -> tuple[SubjectChange, ...]:
    """Each "<plural noun> <ergative verb>" with no object, in order; then each "the <noun>
    <changes>" ("the paper locks", "the next wave may start")."""
    out = []
    for m in _PLURAL_THEN_VERB.finditer(text):
        noun, verb = m.group(1), m.group(2).lower()
        if verb in ERGATIVE and not noun.lower().endswith(("ss", "us")):
            out.append(SubjectChange(verb, noun, " ".join(m.group(0).split())))
    for m in _ONE_THEN_VERB.finditer(text):
        noun, written = m.group(1), m.group(2).lower()
        verb = _base(written)
        modal = re.search(r"\b(?:may|can|will|must|should)\s+\S+$", m.group(0), re.I)
        # a singular subject takes the -s form ("locks"); after a modal the base form ("may start")
        if verb in SINGULAR_CHANGES and (written != verb or modal) and not noun.lower().endswith("s"):
            out.append(SubjectChange(verb, noun, " ".join(m.group(0).split())))
    return tuple(out)
