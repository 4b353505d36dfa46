"""Hard requirements read by their structure, not by phrases seen before.

"No seat can be sold twice", "a berth is never allocated a second time" and "licence keys
cannot be reissued" are one rule in three wordings: a polarity (never, not, no, cannot) over an
act that allocates (sell, allocate, issue; a class of verbs kept as data in rule_acts.yaml),
repeated (twice, a second time, re-). The same structure over an act that has an effect (charge,
send, apply) is a duplicated effect; over a losing act (lose, drop, go missing) a lost delivery;
over a changing act (edit, delete) an immutable record. Each rule is read as polarity, act,
object and scope ("per conversation", "for each tenant"), and its kind follows from that
structure, so a new wording of a known rule gets its mechanism. A sentence of the same words
that obliges nothing ("users never need to log in twice a day", "we never had more than 2
outages", "must support 2 regions") states no rule and gets none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from servicelens.design.text import lower_singular
from servicelens.packaged_yaml import packaged_yaml


@dataclass(frozen=True, slots=True)
class RuleStructure:
    """One rule: its kind, the clause, the act's lemma and class, what it is about and its scope."""

    kind: str
    clause: str
    act: str = ""  # the act's lemma ("sell")
    act_class: str = ""  # the class of the act in rule_acts.yaml ("allocate")
    object: str = ""  # the thing the rule guards ("seat")
    scope: str = ""  # the key the rule holds within ("conversation"), or ''
    duration: str = ""  # a stated deadline ("1 hour")
    counted: str = ""  # what a bound counts against the object ("courses")
    limit: str = ""  # the bound ("6")
    mechanism: str = ""  # a mechanism naming the object and scope, or '' for the kind's template


@dataclass(frozen=True, slots=True)
class _Acts:
    by_verb: dict[str, tuple[str, ...]]  # lemma -> its classes, in the data's order
    irregular: dict[str, str]
    counters: frozenset[str]
    number_nouns: frozenset[str]
    not_again: frozenset[str]


@lru_cache(maxsize=1)
def _acts() -> _Acts:
    data: dict[str, Any] = packaged_yaml(resources.files("servicelens.design").joinpath("data")
                                         .joinpath("rule_acts.yaml").read_text(encoding="utf-8"))
    by_verb: dict[str, list[str]] = {}
    for cls, verbs in data["acts"].items():
        for verb in verbs:
            by_verb.setdefault(verb, []).append(cls)
    return _Acts({k: tuple(v) for k, v in by_verb.items()}, dict(data["irregular"]),
                 frozenset(data["counters"]), frozenset(data["number_nouns"]), frozenset(data["not_again"]))


# --- polarity and modality -------------------------------------------------------------------

_NEGATION = re.compile(r"\b(?:never|not|cannot|nobody|no\s+one|no\s+longer|none|nothing|under\s+no\s+circumstances|impossible|"
                       r"forbidden|prohibited|"
                       r"no(?=\s+(?:\w+\s+){0,2}?(?:may|can|is|are|will|must|should|shall|ever|gets?|goes|go)\b))\b", re.I)
_MODAL = re.compile(r"\b(?:must|shall|should|has\s+to|have\s+to|had\s+better|needs?\s+to|is\s+required\s+to|are\s+required\s+to|"
                    r"(?:may|can)\s+only|only\s+(?:ever\s+)?(?:be|once)|always|guarantee[sd]?|ensure[sd]?|make\s+sure|"
                    r"at\s+most|at\s+least|exactly|strictly|may|can|will)\b", re.I)
# the absence of an obligation: "users never need to log in", "we do not have to keep it"
_NO_DUTY = re.compile(r"\b(?:never|not|no\s+longer)\s+(?:\w+\s+)?(?:need|needs|have|has|had)\s+to\b", re.I)
# a report of what happened or what usually happens describes the system; it obliges nothing
_HISTORY = re.compile(r"\b(?:last\s+(?:year|quarter|month|week|night|time)|yesterday|ago|so\s+far|in\s+the\s+past|never\s+had|"
                      r"had\s+never)\b|"
                      r"(?P<before>\b\w+\s+)?\b(?:we|they|i|it)\s+(?:have\s+)?(?:had|lost|saw|were|was|did|got|ran|went|never\s+had)\b",
                      re.I)
# "in the order they were posted", "the seat that it was given": a relative clause, not a report
_RELATIVE = frozenset("order sequence that which when as where how what once after before until".split())
_DUTY = re.compile(r"\b(?:must|shall|should|cannot|may\s+not|will\s+not|has\s+to|have\s+to|needs?\s+to|only)\b", re.I)
# "sometimes", "often" are no hedges: "partners often resend a file" names a hazard to design for
_HEDGE = re.compile(r"\b(?:usually|typically|generally|normally|mostly|tends?\s+to)\b", re.I)
_STRONG = re.compile(r"\b(?:must|shall|never|cannot|always|guarantee\w*|under\s+no\s+circumstances|has\s+to|have\s+to|"
                     r"at\s+most|exactly|only)\b", re.I)


def reports_only(clause: str) -> bool:
    """The clause reports what happened, what usually happens or that nothing is needed
    ("we never had more than 2 outages", "users never need to log in twice a day"): its
    "never" and its numbers oblige nothing."""
    if _NO_DUTY.search(clause) and not re.search(r"\b(?:must|shall|cannot)\b", clause, re.I):
        return True
    history = [m for m in _HISTORY.finditer(clause) if (m.group("before") or "").strip().lower() not in _RELATIVE]
    if history and not _DUTY.search(clause):
        return True
    return bool(_HEDGE.search(clause) and not _STRONG.search(clause))


# "latency must never be more than 200 ms": a bound on a time is a performance target, not a counter
_TIME_BOUND = re.compile(r"\b(?:more|longer)\s+than\s+\d[\d,.]*\s*(?:ms|milli\w*|sec\w*|s)\b", re.I)


def time_bound(clause: str) -> bool:
    """The clause bounds a duration ("never more than 200 ms"): the capacity plan sizes for it."""
    return bool(_TIME_BOUND.search(clause))


def obliges(clause: str) -> bool:
    """The clause states an obligation or a prohibition rather than a report, a habit or the
    absence of a duty."""
    if reports_only(clause):
        return False
    return bool(_NEGATION.search(clause) or _MODAL.search(clause) or _STATE_WORDS.search(clause))


# predicates that state a rule on their own: "posted entries are final", "numbering: sequential"
_STATE_WORDS = re.compile(r"\b(?:immutable|unchangeable|append[- ]only|write[- ]once|read[- ]only|tamper[- ](?:proof|evident)|"
                          r"final|frozen|sealed|gapless|gap-free|consecutive\w*|sequential\w*|strictly|fifo|first[- ]come[- ]first[- ]served|"
                          r"unaltered|unmodified|untouched|(?:no|zero)\s+(?:\w+\s+)?(?:drops|loss|losses)|"
                          r"in\s+the\s+(?:same\s+)?order\s+(?:they|it|that|in\s+which)|(?:exactly|only|just|at\s+most)\s+once|"
                          r"regardless\s+of|even\s+(?:if|when|though))\b", re.I)

# --- acts ------------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z][a-z\-']*", re.I)
_BE = frozenset("be is are was were been being get gets got gotten stay stays remain remains".split())
_DETERMINERS = frozenset("a an the each every any one same this that these those their its our your his her my all some no "
                         "another other given single".split())
_PARTICLES = frozenset("out up over off back in on away".split())
_PRONOUNS = frozenset("we you they i he she it someone anyone nobody everyone us them who which that there".split())
_PREPOSITIONS = frozenset("for of in on at by with from to per within inside across between during after before under "
                          "over via into onto about than while once if when".split())
_NOT_OBJECTS = _PRONOUNS | _DETERMINERS | _PREPOSITIONS | frozenset(
    "must may can cannot should shall will never not only ever also just still both time times twice once again "
    "and or but so more most least first second last way nothing none everything anything something".split())


def _lemmas(word: str) -> list[str]:
    """Candidate base forms of a verb form, the irregular one first."""
    w = word.lower().strip("'")
    acts = _acts()
    if w in acts.irregular:
        return [acts.irregular[w]]
    out = [w]
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"),
                         ("able", ""), ("able", "e"), ("ible", ""), ("ible", "e")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            stem = w[: len(w) - len(suffix)] + repl
            out.append(stem)
            if repl == "" and len(stem) >= 3 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # dropped -> drop, shipped -> ship
    return out


@dataclass(frozen=True, slots=True)
class _Act:
    lemma: str
    classes: tuple[str, ...]
    index: int  # the word's index in the clause
    passive: bool  # a participle after a form of "be" ("is sold"): its object is the clause's subject
    repeated: bool  # "reissued", "resent": the prefix says the act happens again


def _acts_in(words: list[str]) -> list[_Act]:
    """The acts of the vocabulary the clause's words name, each with its voice."""
    acts = _acts()
    out = []
    for i, word in enumerate(words):
        lw = word.lower()
        if i + 1 < len(words) and words[i + 1].lower() == "in" and lw in {"log", "logs", "logged", "check", "checked", "sign"}:
            continue  # "log in", "sign in": an act of a person, not of a record
        found = next((lemma for lemma in _lemmas(lw) if lemma in acts.by_verb), "")
        repeated = False
        if not found and lw.startswith("re") and len(lw) > 5 and lw not in acts.not_again:
            found = next((lemma for lemma in _lemmas(lw[2:].lstrip("-")) if lemma in acts.by_verb), "")
            repeated = bool(found)
        if not found:
            continue
        before = [w.lower() for w in words[max(0, i - 3):i]]
        passive = any(b in _BE for b in before) and lw != found
        out.append(_Act(found, acts.by_verb[found], i, passive, repeated))
    # a word used as a verb (after "be", a modal, a negation or "to") before one that may be a noun
    return sorted(out, key=lambda a: (not _verbal(a, words), a.index))


def _verbal(act: _Act, words: list[str]) -> bool:
    """The act's word is used as a verb: a participle after "be", a re- form, or after a modal,
    a negation or "to" ("must sync", not "syncing the position")."""
    return act.passive or act.repeated or any(w.lower() in _VERBAL for w in words[max(0, act.index - 2):act.index])


_VERBAL = frozenset("must may can cannot should shall will never not to be is are was were been once only ever "
                    "twice again also".split())


# --- repetition, order, numbering, change ------------------------------------------------------

_PERIOD = r"(?:second|minute|hour|day|night|week|month|quarter|year|session|visit|login)s?"
# the act happens again: "twice", "a second time", "more than once" (not a frequency: "twice a day")
_REPEAT = re.compile(rf"\b(?:twice|(?:2|two)\s+times|more\s+than\s+once|a\s+second\s+time|again|multiple\s+times|repeatedly|"
                     # "a second capture", "a second email" (not the time: "within a second")
                     r"(?<!within\s)(?<!once\s)(?<!per\s)(?<!every\s)(?<!under\s)(?<!than\s)(?<!in\s)a\s+second\s+(?!time\b)[a-z]{3,}|"
                     rf"double[- ]?\w*|duplicate\w*)\b(?!\s+(?:a|an|per|each|every)\s+{_PERIOD}\b)", re.I)
# one thing to two takers: "to two tenants", "by more than one member", "2 shoppers ... both"
_TWO_TAKERS = re.compile(r"\b(?:to|by|for|between|with)\s+(?:2|two|multiple|several|more\s+than\s+one|different)\s+[a-z]{3,}|"
                         r"\b(?:to|by|for)\s+(?:someone|somebody|anyone|anybody)\s+else\b|\b(?:to|by|for)\s+another\s+[a-z]{3,}|"
                         r"\b(?:2|two)\s+[a-z]{3,}\s+(?:\w+\s+){0,6}?(?:both|the\s+same)\b|\bno\s+(?:2|two)\s+[a-z]{3,}", re.I)
_ONCE = re.compile(r"\b(?:(?:exactly|only|at\s+most|just|no\s+more\s+than)\s+(?:\w+\s+){0,2}?once|once\s+and\s+only\s+once|a\s+single\s+time|"
                   r"(?:only\s+)?once\s+(?:per|for\s+(?:each|every|a|one))\b)", re.I)
_AT_LEAST_ONCE = re.compile(r"\bat[- ]least[- ]once\b", re.I)
_EVENTUALLY = re.compile(r"\b(?:eventually|guaranteed?|always|every|each|all)\b", re.I)
# "retrying until acknowledged": delivery repeated until the receiver confirms it
_RETRY_UNTIL = re.compile(r"\bretr(?:y|ies|ied|ying)\b[^.;]{0,30}?\buntil\b", re.I)
_MISSING = re.compile(r"\b(?:go(?:es)?\s+missing|get(?:s)?\s+lost|be\s+lost|fall\s+through\s+the\s+cracks)\b", re.I)
# the loss named as a noun: "no drops", "zero data loss"
_NO_LOSS = re.compile(r"\b(?:no|zero)\s+(?:\w+\s+)?(?:drops|loss|losses)\b", re.I)
_ORDER = re.compile(r"\bin\s+(?:the\s+)?(?:same\s+|strict\s+|exact\s+|correct\s+|right\s+|original\s+|chronological\s+|"
                    r"their\s+|its\s+)?(?:order|sequence)\b(?!\s+to\b)|\bout\s+of\s+(?:order|sequence)\b|\bre-?order\w*|"
                    r"\b(?:order|sequence|ordering)\s+(?:\w+\s+){0,7}?(?:preserved|kept|maintained|respected|guaranteed|honou?red)\b|"
                    r"\b(?:preserv|keep|maintain|respect|guarantee|honou?r)\w*\s+(?:the\s+|their\s+|its\s+)?(?:order|sequence|ordering)\b|"
                    r"\bchronologically\b|\bfifo\b|\bfirst[- ]come[- ]first[- ]serve[d]?\b|\bfirst[- ]in[- ]first[- ]out\b", re.I)
# "a copy is on loan to one patron at a time": a thing held by at most one taker at once
_ONE_AT_A_TIME = re.compile(r"\b(?:(?:to|by|with|in)\s+)?(?:only\s+)?(?:one|a\s+single|at\s+most\s+one|1)\s+[a-z]{3,}(?:'s\s+[a-z]{3,})?\s+at\s+"
                            r"(?:a|any|one|the\s+same)\s+(?:time|moment)\b", re.I)
# "each ticket goes to exactly one buyer", "a seat belongs to only one order": one taker of a thing
_ONE_TAKER = re.compile(r"\b(?:go|goes|belong|belongs|went)\s+to\s+(?:exactly|only|at\s+most|just|no\s+more\s+than)\s+"
                        r"(?:one|a\s+single|1)\s+[a-z]{3,}", re.I)
_NUMBERING_RULE = re.compile(r"\b(?:gaps?|gapless|gap-free|holes?|consecutive\w*|sequential\w*|contiguous|unbroken|skip\w*|"
                             r"missing|run\s+on|(?:go|goes|going|increase\w*|increment\w*)\s+(?:up\s+)?by\s+(?:exactly\s+)?(?:one|1))\b",
                             re.I)
_IMMUTABLE = re.compile(r"\b(?:immutable|unchangeable|append[- ]only|write[- ]once|read[- ]only(?!\s+(?:by|to|for|from)\b)|"
                        r"tamper[- ](?:proof|evident)|"
                        r"(?:kept|stored|stays?|remains?)\s+(?:unaltered|unmodified|unchanged|untouched|as\s+(?:written|issued))|"
                        r"(?:can|may)\s+only\s+be\s+(?:appended|added)\s+to|"
                        r"(?:is|are|be|become|becomes)\s+(?:final|frozen|sealed|locked))\b", re.I)
# "corrections go in as reversing entries", "a fix is a new certificate": a change is a new record
_CORRECTION = re.compile(r"\b(?:correction|fix|fixe|adjustment|amendment|change|mistake|error)s?\b[^.;]{0,40}?\b(?:new|separate|"
                         r"additional|reversing|compensating|offsetting|follow-?up)\s+[a-z]+", re.I)
_CONVERGE = re.compile(r"\b(?:converg\w*|end\s+up\s+(?:\w+\s+){0,2}?(?:identical|the\s+same|consistent|in\s+the\s+same)|"
                       r"eventually\s+(?:consistent|identical|the\s+same)|merge\w*\s+without\s+losing)\b", re.I)
_BELOW_ZERO = re.compile(r"\b(?:negative|below\s+(?:zero|0)|less\s+than\s+(?:zero|0)|under\s+(?:zero|0)|into\s+the\s+red|"
                         r"(?:non-?negative|above\s+(?:zero|0)))\b", re.I)
_COUNT_BOUND = re.compile(r"\b(?:at\s+most|no\s+more\s+than|not\s+more\s+than|up\s+to|a\s+maximum\s+of|max(?:imum)?)\s+"
                          r"(?P<n>\d[\d,.]*)\s+(?:\w+\s+)?(?P<what>[a-z][a-z\-]{2,})\s+(?:per|each|a|every)\s+"
                          r"(?P<key>[a-z][a-z\-]{2,})", re.I)
# "no team may have more than 12 players": a count bounded by a negated "more than"
_MORE_THAN_N = re.compile(r"\bmore\s+than\s+(?P<n>\d[\d,.]*)\s+(?:\w+\s+)?(?P<what>[a-z][a-z\-]{2,})", re.I)
# a bound on a time, a size or a share is a target the capacity plan sizes, not a count a rule keeps
_UNIT = re.compile(r"(?:ms|milli\w*|sec\w*|s|min\w*|hours?|h|days?|weeks?|months?|years?|percent|%|[kmgtp]i?b|bytes?|"
                   r"requests?|rps|qps|calls?|times?)", re.I)
_WITHIN = re.compile(r"\b(?:within|in\s+under|in\s+less\s+than|no\s+later\s+than)\s+(?:a|an|one|\d[\d.,]*)\s*-?\s*"
                     r"(?P<unit>minutes?|mins?|hours?|h|days?|weeks?)\b|"
                     # a time of day: "by 6am", "before 07:00"
                     r"\b(?:by|before|no\s+later\s+than)\s+(?P<clock>\d{1,2}(?::\d\d)?\s*(?:am|pm)|\d{1,2}:\d\d)\b", re.I)
# a deadline on one thing, in seconds or more: "paged within 1 minute", "lands within 30 seconds"
_SOON = re.compile(r"\b(?:within|in\s+under|in\s+less\s+than|no\s+later\s+than)\s+(?:a|an|one|\d[\d.,]*)\s*-?\s*"
                   r"(?:seconds?|secs?|s|minutes?|mins?|hours?|h)\b", re.I)
# a load the deadline must hold through: "even during a bulk send", "despite the nightly batch"
_UNDER_LOAD = re.compile(r"\b(?:even\s+(?:during|while|when|if|under)|despite|regardless\s+of)\b[^.;]{0,40}?"
                         r"\b(?:bulk|batch\w*|campaigns?|load|peaks?|backlogs?|spikes?|floods?|storms?|busy|mass)\b", re.I)
# a deadline on a whole run, not a response time: "the full batch", "every recipient", "fully sent"
_WHOLE = re.compile(r"\b(?:all|every|entire|whole|full|fully|batch\w*|campaign\w*|run|job|import|export|payroll|backlog|file|"
                    r"report|recipients?)\b", re.I)
_SCOPE = re.compile(r"\b(?:per|within|inside|across|for\s+(?:each|every|a\s+given|one|the\s+same|any|a)|"
                    r"in\s+(?:each|every|one|the\s+same|any|a\s+given)|of\s+(?:each|every|a\s+given|one|the\s+same)|(?:to|from)\s+(?:each|every|the\s+same)|"
                    r"on\s+(?:each|every|one|a\s+given))\s+(?:(?:a|an|the|each|every|one)\s+)?(?:given\s+)?(?:single\s+)?"
                    r"(?P<key>[a-z][a-z\-]{2,})", re.I)
_OWNER_SCOPE = re.compile(r"\b(?:each|every|a|the)\s+(?P<key>[a-z][a-z\-]{2,})'s\b", re.I)
_SCOPE_NOT = frozenset({"time", "times", "once", "while", "moment", "instance", "example", "now", "case", "reason", "way",
                        "order", "sequence", "row", "all", "both", "least", "most", "same"})


def _singular(word: str) -> str:
    return lower_singular(word)


def _scope(clause: str, obj: str) -> str:
    """The key a rule holds within: "per conversation", "for each tenant", "each clinic's"."""
    for m in list(_SCOPE.finditer(clause)) + list(_OWNER_SCOPE.finditer(clause)):
        key = m.group("key").lower()
        if key in _SCOPE_NOT or key in _NOT_OBJECTS or _singular(key) == obj:
            continue
        return _singular(key)
    return ""


def _object(words: list[str], act: _Act | None, modal_at: int) -> str:
    """The thing the rule is about: the subject of a passive or of the modal ("a berth is never
    allocated"), else the noun after an active act ("never drop a customer's order")."""
    noun = _noun_before(words, act.index if act and act.passive else modal_at)
    if noun:
        return noun
    end = act.index if act and act.passive else modal_at
    if end > 0:
        noun = _subject_head(words[:end])
        if noun:
            return noun
    if act is not None:
        for w in words[act.index + 1:act.index + 7]:
            lw = w.lower()
            if lw in _PARTICLES or lw in _DETERMINERS or lw.endswith("'s") or re.fullmatch(r"\d[\d,.]*", lw):
                continue
            if lw in _NOT_OBJECTS:
                return ""
            return _singular(lw)
    return ""


def _noun_before(words: list[str], index: int) -> str:
    """The noun a passive act's auxiliaries follow ("an approved expense cannot be edited" ->
    expense), or '' when a pronoun or nothing stands there."""
    i = index - 1
    while i >= 0 and (words[i].lower() in _BE or words[i].lower() in _VERBS or words[i].lower().endswith("ly")
                      or words[i].lower() in {"not", "ever", "also", "only", "still", "once", "be", "to", "both"}):
        i -= 1
    if i < 0:
        return ""
    lw = words[i].lower().rstrip(",")
    if lw in _NOT_OBJECTS or lw.endswith("'s") or not re.fullmatch(r"[a-z][a-z\-]{2,}", lw):
        return ""
    # "updates for a given shipment", "issued shares in a class": the head before the preposition
    while True:
        j = i - 1
        while j >= 0 and words[j].lower() in _DETERMINERS:
            j -= 1
        if j >= 1 and words[j].lower() in {"for", "of", "in", "on", "at", "from", "to", "with", "within", "per", "after",
                                           "before", "during"} \
                and re.fullmatch(r"[a-z][a-z\-]{2,}", words[j - 1].lower()) and words[j - 1].lower() not in _NOT_OBJECTS \
                and words[j - 1].lower() not in _BE and words[j - 1].lower() not in _VERBS:
            i = j - 1
            lw = words[i].lower()
            continue
        return _singular(lw)


def _subject_head(words: list[str]) -> str:
    """The head noun of a clause's subject: the last word of its first run of words before a
    preposition ("updates for a given shipment" -> update), after a leading scope ("within each
    account, ledger events" -> event)."""
    run: list[str] = []
    for w in words:
        lw = w.lower()
        if lw.endswith(","):
            run = []
            continue
        if lw in _PREPOSITIONS or lw in _BE or lw in _VERBS:
            if run:
                break
            continue
        if lw in _PREPOSITIONS or lw in _DETERMINERS or lw.endswith("'s") or lw in _NOT_OBJECTS \
                or lw.endswith("ly") or re.fullmatch(r"[\d,.\-]+\w*", lw) or _NEGATION.fullmatch(lw):
            if run and lw not in _DETERMINERS and not lw.endswith("'s"):
                break
            continue
        run.append(lw)
    return _singular(run[-1]) if run else ""


_VERBS = frozenset("must may can cannot should shall will never has have need needs go goes do does".split())


def _modal_index(words: list[str]) -> int:
    for i, w in enumerate(words):
        lw = w.lower()
        if lw in {"must", "may", "can", "cannot", "should", "shall", "will", "never", "has", "have", "need", "needs",
                  "is", "are", "go", "goes", "get", "gets"}:
            return i
    return len(words)


# --- the reading -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Clause:
    """A clause as the kind readers see it: its text, words (a trailing comma kept, it ends a
    leading scope), the acts it names, where its first modal stands and whether it is negated."""

    text: str
    words: list[str]
    plain: list[str]
    acts: list[_Act]
    modal_at: int
    negated: bool

    def first(self, cls: str) -> _Act | None:
        return next((a for a in self.acts if cls in a.classes), None)

    def rule(self, kind: str, act: _Act | None, **extra: str) -> RuleStructure:
        """The rule of a kind, with the object and scope read around its act."""
        # the modal that governs the act is the last one before it ("counts must reconcile: shares can never exceed")
        governing = max((i for i in range(len(self.words)) if i < act.index and _modal_index(self.words[i:i + 1]) == 0),
                        default=self.modal_at) if act else self.modal_at
        obj = extra.pop("object", "") or _object(self.words, act, governing)
        scope = extra.pop("scope") if "scope" in extra else _scope(_ASIDE.sub(" ", self.text), obj)
        return RuleStructure(kind, self.text, act.lemma if act else "", act.classes[0] if act else "", obj, scope, **extra)


def read_rule(clause: str) -> RuleStructure | None:
    """The rule the clause states, read by its structure, or None when it states none: the
    first kind reader, in order, that finds its structure."""
    text = " ".join(clause.split())
    if not text or not obliges(text):
        return None
    words = re.findall(r"[A-Za-z][A-Za-z\-']*,?|\d[\d,.]*", text)
    plain = [w.rstrip(",") for w in words]
    c = _Clause(text, words, plain, _acts_in(plain), _modal_index(words), bool(_NEGATION.search(text)))
    return next((r for r in (reader(c) for reader in _READERS) if r is not None), None)


def _numbered(c: _Clause) -> bool:
    nouns = _acts().number_nouns
    return any(w.lower() in nouns or _singular(w.lower()) in nouns for w in c.plain) or c.first("number") is not None


def _numbering(c: _Clause) -> RuleStructure | None:
    """Numbers given out with no holes: "invoices are numbered consecutively per tenant"."""
    if not (_numbered(c) and _NUMBERING_RULE.search(c.text)):
        return None
    rule = c.rule("gapless-sequence", c.first("number") or c.first("allocate"))
    return _gapless(rule, rule.object if rule.object not in {"number", "numbering", "serial", "sequence", "id"} else "")


def _order(c: _Clause) -> RuleStructure | None:
    """An order kept within a scope: "in the sequence they were typed, per conversation"."""
    return c.rule("per-key-order", c.acts[0] if c.acts else None) if _ORDER.search(c.text) else None


def _convergence(c: _Clause) -> RuleStructure | None:
    """Copies that must agree in the end: "all replicas must eventually end up identical"."""
    agree = c.first("agree")
    if _CONVERGE.search(c.text) or (agree and _verbal(agree, c.plain) and re.search(r"\b(?:identical|same|consistent)\b", c.text, re.I)):
        return c.rule("convergence", agree)
    return None


def _bound(c: _Clause) -> RuleStructure | None:
    """A counter that must not pass a bound: "never overdrawn", "never below zero", "at most 6
    courses per term", "no team may have more than 12 players"."""
    exceed = c.first("exceed")
    if exceed and (c.negated or exceed.passive):
        return c.rule("capacity-limit", exceed)
    if _BELOW_ZERO.search(c.text) and any(w.lower() in _acts().counters for w in c.plain):
        return c.rule("capacity-limit", None, object=next(_singular(w.lower()) for w in c.plain if w.lower() in _acts().counters))
    bound = _COUNT_BOUND.search(c.text)
    if bound and not _UNIT.fullmatch(bound.group("what")):
        return c.rule("capacity-limit", None, scope=_singular(bound.group("key")), counted=bound.group("what").lower(),
                      limit=bound.group("n"))
    more = _MORE_THAN_N.search(c.text)
    if more and c.negated and not _UNIT.fullmatch(more.group("what")):
        return c.rule("capacity-limit", None, counted=more.group("what").lower(), limit=more.group("n"))
    return None


def _one_taker(c: _Clause) -> RuleStructure | None:
    """One thing held by one taker at once: "on loan to one patron at a time", "goes to exactly
    one buyer", "never run on 2 runners at the same time"."""
    if _ONE_AT_A_TIME.search(c.text) or _ONE_TAKER.search(c.text) or (_TWO_TAKERS.search(c.text) and _AT_ONCE.search(c.text)):
        return c.rule("no-double-sell", c.first("allocate") or (c.acts[0] if c.acts else None))
    return None


def _repeated(c: _Clause) -> RuleStructure | None:
    """An act that must not happen again: an allocating one is a double sale ("never allocated a
    second time"), an effecting one a duplicated effect ("must not execute twice")."""
    again = any(a.repeated for a in c.acts)
    if not (_REPEAT.search(c.text) or _TWO_TAKERS.search(c.text) or _ONCE.search(c.text) or again):
        return None
    if not (c.negated or _ONCE.search(c.text) or again or _MODAL.search(c.text)):
        return None
    act = next((a for a in c.acts if a.classes[0] in {"allocate", "effect"}), None)
    if act is None:
        return None
    return c.rule("no-double-sell" if act.classes[0] == "allocate" else "exactly-once-effect", act)


def _lost(c: _Clause) -> RuleStructure | None:
    """Nothing may be lost: a negated losing act ("never drop an order"), "at least once", a
    delivery retried until acknowledged or guaranteed to happen eventually."""
    lose, deliver = c.first("lose"), c.first("deliver")
    duty = re.search(r"\b(?:must|shall|has\s+to|have\s+to|guarantee\w*)\b", c.text, re.I)
    if (lose and c.negated and not _numbered(c)) or (c.negated and _MISSING.search(c.text)) or _AT_LEAST_ONCE.search(c.text) \
            or _NO_LOSS.search(c.text) \
            or (deliver and _RETRY_UNTIL.search(c.text)) \
            or (deliver and duty and re.search(r"\beventually\b|\bguarantee", c.text, re.I)):
        return c.rule("at-least-once", lose or deliver)
    return None


def _unchanged(c: _Clause) -> RuleStructure | None:
    """A record no one may change, corrections being new records: "nobody can alter it",
    "entries are append-only", "corrections go in as reversing entries"."""
    change = c.first("change")
    if not ((change and c.negated and (change.passive or change.index > c.modal_at)) or _IMMUTABLE.search(c.text)
            or _CORRECTION.search(c.text)):
        return None
    verbal = change if change and _verbal(change, c.plain) else None
    named = next((m for m in _ATTRIBUTIVE.finditer(c.text) if m.group("what").lower() not in _NOT_OBJECTS
                  and (c.text[:m.start()].split() or [""])[-1].lower() not in _BE), None)
    predicate = _IMMUTABLE.search(c.text)
    obj = ""
    if named and not verbal:
        obj = _singular(named.group("what"))  # "an immutable history"
    elif predicate and not verbal:
        obj = _noun_before(c.plain, len(re.findall(r"[A-Za-z][A-Za-z\-']*|\d[\d,.]*", c.text[:predicate.start()])))
    return _immutable(c.rule("immutable", verbal, **({"object": obj} if obj else {})))


def _deadline(c: _Clause) -> RuleStructure | None:
    """A whole run that must finish by a time: "the full payroll batch must complete within 2 hours"."""
    within, finish = _WITHIN.search(c.text), c.first("finish")
    if not (within and finish and _WHOLE.search(c.text)
            and re.search(r"\b(?:must|shall|has\s+to|have\s+to|needs?\s+to|guarantee\w*)\b", c.text, re.I)):
        return None
    duration = within.group("clock") or (" ".join(within.group().split()[1:]) if within.group().lower().startswith("within")
                                          else within.group())
    return c.rule("batch-deadline", finish, duration=duration)


def _soon(c: _Clause) -> RuleStructure | None:
    """One thing that must happen within seconds or minutes: an alert is paged at once ("on-call
    must be paged no later than 1 minute after ..."); a deadline that must hold through a bulk
    load needs its own lane ("a reset email within 30 seconds, even during a bulk send")."""
    soon = _SOON.search(c.text)
    if not soon or not re.search(r"\b(?:must|shall|has\s+to|have\s+to|needs?\s+to|guarantee\w*|always)\b", c.text, re.I):
        return None
    alert = c.first("alert")
    if alert:
        return c.rule("alert-deadline", alert, duration=" ".join(soon.group().split()[-2:]))
    if _UNDER_LOAD.search(c.text):
        return c.rule("isolation", c.acts[0] if c.acts else None, duration=" ".join(soon.group().split()[-2:]))
    return None


# The kind readers in the order a clause is tried: a numbering before an order ("in sequence"),
# bounds and single takers before repetition, repetition before loss ("no event lost or
# applied twice" is first about duplicates), a change last but one.
_READERS = (_numbering, _order, _convergence, _bound, _one_taker, _repeated, _lost, _unchanged, _deadline, _soon)


# an aside in brackets says how, not what the rule holds within: "(we pull 2 per day)"
_ASIDE = re.compile(r"\([^)]*\)")
_AT_ONCE = re.compile(r"\b(?:at\s+(?:once|the\s+same\s+(?:time|moment))|simultaneously|concurrently|in\s+parallel)\b", re.I)
_ATTRIBUTIVE = re.compile(r"\b(?:immutable|unchangeable|append[- ]only|write[- ]once|tamper[- ](?:proof|evident))\s+"
                          r"(?P<what>[a-z][a-z\-]{2,})", re.I)


def _gapless(rule: RuleStructure, obj: str) -> RuleStructure:
    scope = rule.scope or "scope"
    what = "the numbers"  # not "<thing> numbers": beside the kind's note on database sequences it read as proposing one
    mechanism = (f"a counter row per {scope} (next number) locked in the issuing transaction (SELECT ... FOR UPDATE, then "
                 f"increment) so {what} run without gaps per {scope}: the number is taken in the same transaction that issues "
                 f"the record, so a rollback returns it; a unique constraint on ({scope}_id, number)")
    return RuleStructure(rule.kind, rule.clause, rule.act, rule.act_class, obj, rule.scope, rule.duration, mechanism=mechanism)


def _immutable(rule: RuleStructure) -> RuleStructure:
    thing = rule.object or "record"
    article = "an" if thing[:1] in "aeiou" else "a"
    mechanism = (f"append-only {thing} table: once issued {article} {thing} row is never updated or deleted (UPDATE and DELETE "
                 f"privileges revoked, or a trigger that rejects them); a correction is a new {thing} row (a reversal or "
                 f"credit note) referencing the original")
    return RuleStructure(rule.kind, rule.clause, rule.act, rule.act_class, rule.object, rule.scope, rule.duration,
                         mechanism=mechanism)


def rule_structures(text: str) -> list[RuleStructure]:
    """Every clause's rule, in the order of the text."""
    from servicelens.design.invariant_shapes import clauses
    return [r for r in (read_rule(c) for c in clauses(text)) if r is not None]
