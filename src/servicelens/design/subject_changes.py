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


def subject_changes(text: str) -> tuple[SubjectChange, ...]:
    """Each "<plural noun> <ergative verb>" with no object, in order."""
    out = []
    for m in _PLURAL_THEN_VERB.finditer(text):
        noun, verb = m.group(1), m.group(2).lower()
        if verb in ERGATIVE and not noun.lower().endswith(("ss", "us")):
            out.append(SubjectChange(verb, noun, " ".join(m.group(0).split())))
    return tuple(out)
