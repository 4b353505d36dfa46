"""The further objects of one verb, listed after its first: "clerks register births, deaths and
marriages", "crews log leaks, pressure readings and valve faults from the van", "record
receipts from the wholesaler, administrations and dispensings to patients, and destructions
of expired stock". Each listed noun is acted on by the same verb.

An item of the list is a short noun phrase, its head being the last word before a
preposition or an adverbial ("variation orders every Friday" -> orders); the list ends at the
sentence's end or at an item that is a clause of its own ("..., and judges issue rulings":
a plural subject followed by its verb) or is no noun phrase at all ("..., about 9,000 a year").
"""
from __future__ import annotations

import re

from servicelens.design.verb_phrases import lemma

_WORD = re.compile(r"[A-Za-z][A-Za-z\-']*|\d[\d.,]*[A-Za-z%]*|[,;.:!?()]")
_SENTENCE_END = frozenset(";.:!?()")
_SEPARATORS = frozenset({",", "and", "or"})
# Words that end an item's noun phrase: prepositions, adverbials, numbers' company.
_ENDS_ITEM = frozenset("""
of from to for in into on onto at by with within without via per during until after before under over about
around across through between against among every each when if once twice daily weekly monthly nightly yearly
so that which who whose where while as than but then also using including like such
""".split())
_DETERMINERS = frozenset("a an the their its his her my our your this that these those any some all new other own".split())
_PRONOUNS = frozenset("it them one ones this that these those".split())
_MAX_ITEM = 3  # "valve faults", "pressure relief valve tests": longer runs are clauses, not names


def listed_objects(text: str, phrase: str, is_thing, verbs: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The nouns listed after the verb phrase `phrase` (verb + first object, as the text wrote
    it); `is_thing` says whether a word can name a thing the system keeps, `verbs` are the base
    forms the text uses as verbs ("..., and prescribe drugs" opens a clause, not an item)."""
    at = _find(text, phrase)
    if at < 0 or phrase.split()[-1].lower() in _PRONOUNS:
        return ()  # "grade it, attach feedback files": after a pronoun the list is of verbs, not things
    low = [m.group(0).lower() for m in _WORD.finditer(text[at:])]
    k = _skip_complement(low, 0)
    out: list[str] = []
    while k < len(low) and low[k] in _SEPARATORS:
        listed = low[k] == "," or bool(out)
        while k < len(low) and low[k] in _SEPARATORS:
            k += 1
        head, k = _item(low, k, is_thing, verbs, listed)
        if not head:
            break
        out.append(head)
        k = _skip_complement(low, k)
    return tuple(out)


def _find(text: str, phrase: str) -> int:
    """Where the text continues after `phrase` (whitespace and case ignored), or -1."""
    words = phrase.split()
    if not words:
        return -1
    m = re.search(r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b", text, re.I)
    return m.end() if m else -1


def _skip_complement(low: list[str], k: int) -> int:
    """Past the prepositional phrase after an item ("from the wholesaler") to the next separator."""
    while k < len(low) and low[k] not in _SEPARATORS and low[k] not in _SENTENCE_END:
        k += 1
    return k


# Endings of nouns that qualify another noun ("variation orders", "inspection reports").
_NOUN_ENDINGS = ("tion", "sion", "ment", "ure", "ance", "ence", "ness", "ity", "age", "er", "or", "al", "ic", "ry")


def _item(low: list[str], k: int, is_thing, verbs: frozenset[str], listed: bool) -> tuple[str, int]:
    """The head noun of the item starting at k and where it ends, or '' when it is no noun phrase.
    An item of several words right after "and" is a noun phrase only when its first word reads as a
    noun ("and variation orders"); otherwise it is a verb and its object ("and prescribe drugs")."""
    while k < len(low) and low[k] in _DETERMINERS:
        k += 1
    words: list[str] = []
    while k < len(low) and low[k] not in _SEPARATORS and low[k] not in _SENTENCE_END and low[k] not in _ENDS_ITEM:
        words.append(low[k])
        k += 1
    if not words or len(words) > _MAX_ITEM or not all(w[:1].isalpha() for w in words):
        return "", k
    if len(words) >= 2 and words[0].endswith("s") and not words[1].endswith("s"):
        return "", k  # "judges issue rulings": a subject and its verb open a clause
    if words[-1] in verbs or any(lemma(w) in verbs or w in verbs for w in words[:-1]):
        return "", k  # "..., rate them and comment", "..., and prescribe drugs": a verb of the text
    if len(words) >= 2 and not listed and not words[0].endswith(_NOUN_ENDINGS):
        return "", k
    head = words[-1]
    return (head if is_thing(head) else ""), k
