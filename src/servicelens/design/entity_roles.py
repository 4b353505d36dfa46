"""What a requirement says about a noun besides acting on it: that the system keeps it, sizes
it, gives it parts, owns things through it or scopes a figure to it, and which nouns are no
thing kept at all (a product's name, a measure, a word that only qualifies another).

Entity selection (entities.py) ranks the nouns a text acts on and counts; these roles rank a
noun the text stores ("trip records are kept 7 years", "a ping is ~120 bytes", "each release
has a fixed number of bottles", "a bike's smart lock") above a word it merely repeats, and tell
a person's role that the text only counts or lets act ("200k players") from one it keeps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.design.identifiers import singular

_NOUN = r"([a-z][a-z\-]{2,})"
# "trip records are kept", "GPS traces are stored for 1 year", "logs are retained"
_KEPT = re.compile(_NOUN + r"\s+(?:are|is|get|gets|must\s+be|will\s+be|should\s+be)\s+(?:kept|stored|retained|archived|"
                   r"persisted|saved|preserved)\b", re.I)
# "trip records for 7 years", "delivery records are kept": records of the noun, kept for a period
# (not "an audit log": a kind of log)
_RECORD_OF = re.compile(_NOUN + r"\s+(?:records?|history|histories|logs?|archives?)\s+(?:(?:are|is|get|must\s+be)\s+"
                        r"(?:kept|stored|retained|archived|held)\b|for\s+(?:\d|one|two|three|five|seven|ten))", re.I)
# "each release has a fixed number of bottles", "every order contains ..."
_HAS = re.compile(r"\b(?:each|every|a|an|the)\s+" + _NOUN + r"\s+(?:has|have|holds|carries|contains|includes|stores)\b", re.I)
# "the survey is open for 2 weeks", "a listing stays active", "drafts remain private": a noun said to be in
# a state has a life cycle, so the system keeps it
_IN_STATE = re.compile(r"\b(?:the|a|an|each|every)\s+" + _NOUN + r"\s+(?:is|are|stays?|remains?|becomes?)\s+(?:only\s+)?"
                       r"(?:open|closed|active|inactive|live|locked|published|archived|private|public|visible|hidden|"
                       r"paused|suspended|frozen|draft)\b(?!\s+(?:\d|daily|every|from|between|on|at|around|round|all|seven|"
                       r"weekdays|weekends|late|early))", re.I)  # not opening hours: "the gym is open 7 days"
# "a ping is ~120 bytes", "images are around 4 MB", "each event averages 2 KB"
_SIZED = re.compile(_NOUN + r"\s+(?:is|are|averages?|weighs?|takes?\s+up)\s+(?:about\s+|around\s+|roughly\s+|~\s*|up\s+to\s+|"
                    r"at\s+most\s+|on\s+average\s+)?\d[\d.,]*\s*(?:bytes?|[kmgt]i?b|kilobytes?|megabytes?|gigabytes?)\b", re.I)
# "groups up to 500 members", "rooms of 6 learners", "carts with at most 50 items": a noun whose
# parts the text counts is a container the system keeps (the count bounds its members)
_PARTS = re.compile(_NOUN + r"\s*\(?\s*(?:(?P<prep>of|with|holding|containing)\s+)?(?P<bound>(?:up\s+to|at\s+most|"
                    r"no\s+more\s+than|a\s+maximum\s+of|max\.?)\s+)?~?\s*\d[\d,.]*\s*[km]?\s+([a-z][a-z\-]{2,})\b", re.I)
# "a bike's smart lock", "the member's allocation": the owner is kept with what it owns
_POSSESSIVE = re.compile(_NOUN + r"'s?\s+[a-z]", re.I)
# "number of bottles per wine", "a threshold per truck": a figure scoped to a thing
_PER = re.compile(r"\b(?:per|for\s+each|for\s+every|of\s+each|of\s+every|within\s+a|within\s+each)\s+(?:single\s+)?" + _NOUN, re.I)
# Words the writer capitalises (a product, company, provider or place when mid-sentence)
_CAPITALISED = re.compile(r"\b([A-Z][a-z]{2,}(?:[A-Z][a-z]+)*)\b")  # "Stripe", "GitHub", "PagerDuty"
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n*(\[\"'-])\s*$")

# A word that names a measure, a unit or a dimension of something, never the thing itself.
MEASURE_WORDS = frozenset("level levels sum sums length lengths width height depth capacity weight weights tonne tonnes ton "
                          "tons kg kilo kilos kilogram kilograms gram grams km kilometre kilometres kilometer kilometers "
                          "mile miles metre metres bitrate bandwidth throughput duration frequency percentage fraction half "
                          "third thirds quarter quarters dozen median mean p99 p95 p50 uptime downtime byte bytes kb mb gb tb "
                          "kbps mbps gbps qps rps tps kilobyte kilobytes megabyte megabytes gigabyte gigabytes terabyte "
                          "terabytes millisecond milliseconds ms sec secs min mins hr hrs weekday weekdays weekend weekends "
                          "morning mornings evening evenings night nights afternoon noon midnight hours minutes seconds "
                          "times multiple multiples factor factors top bottom rest majority minority".split())


@dataclass(frozen=True, slots=True)
class NounRoles:
    """Per singular noun, how many times the text keeps, sizes, fills, owns through or scopes by it."""

    stored: dict[str, int]  # kept, recorded, sized, has parts: the text stores it
    scoped: dict[str, int]  # a figure per it, or an owner of something ("a bike's lock")
    owners: frozenset[str]  # written with a possessive: something is kept through it
    proper: frozenset[str]  # capitalised mid-sentence in every occurrence: a name, not a table
    obliged: dict[str, int]  # what must be done to it: "cover has to be arranged by 7:30"


def noun_roles(text: str) -> NounRoles:
    """The roles each noun plays in `text` (case kept: proper names are told by it)."""
    stored: dict[str, int] = {}
    scoped: dict[str, int] = {}
    owners = frozenset(singular(m.group(1).lower()) for m in _POSSESSIVE.finditer(text))
    for pattern in (_KEPT, _RECORD_OF, _HAS, _SIZED, _IN_STATE):
        for m in pattern.finditer(text):
            if m.group(1).lower() in _NOT_JOINED or m.group(1).lower() in ("and", "or"):
                continue  # "... and logs are kept": a conjunction is nobody's record
            for noun in (_owner_of_record(text, m.start(1), m.group(1)),) + _joined_before(text, m.start(1)):
                _add(stored, noun)
    for noun in possessed(text):
        _add(stored, noun)
    for m in _PARTS.finditer(text):
        if (m.group("prep") or m.group("bound")) and _counts_parts(m.group(1), m.group(4)):
            _add(stored, m.group(1))
    for pattern in (_POSSESSIVE, _PER):
        for m in pattern.finditer(text):
            _add(scoped, m.group(1))
    obliged: dict[str, int] = {}
    for m in _OBLIGED.finditer(text):
        if not _ends_prepositional_phrase(text, m.start(1)) and m.group(1).lower() not in _NOT_JOINED:
            _add(obliged, m.group(1))
    return NounRoles(stored, scoped, owners, proper_names(text), obliged)


# "each team has an on-call schedule with rotations and overrides, and an escalation policy": what a
# thing has (a determiner after the verb, so never "has to" or "has been") and what that has "with"
_POSSESSING = re.compile(r"\b(?:has|have|holds|keeps|owns|maintains|gets)\s+(?=(?:an?|its|their|his|her|one|own|several|many|"
                         r"multiple|some)\s)", re.I)
_PHRASE_STOP = frozenset("with and or but that which who whom whose where when while to of in on at by for from into onto "
                         "per via as than if is are was were be been can must may will should".split())
_NP_WORD = re.compile(r"\s*([A-Za-z][A-Za-z\-]*|[^\sA-Za-z])")


def possessed(text: str) -> tuple[str, ...]:
    """The head nouns a thing is said to have (and what those have "with", and the noun phrases
    listed after them with "and a/an"): parts of the system's data ("schedule", "rotations",
    "overrides", "policy"). Heads that are measures, periods or numbers are not."""
    out: list[str] = []
    for m in _POSSESSING.finditer(text):
        pos = m.end()
        for _ in range(4):  # a short list: "a schedule with rotations and overrides, and a policy"
            head, pos, stop = _phrase_head(text, pos)
            if head:
                out.append(head)
            if stop == "with" or stop == "and" or (stop == "," and re.match(r"\s*and\s+an?\s", text[pos:])):
                if stop == ",":
                    pos = re.match(r"\s*and\s+", text[pos:]).end() + pos
                continue
            break
    return tuple(out)


def _phrase_head(text: str, pos: int) -> tuple[str, int, str]:
    """The last word of the noun phrase at `pos` (determiners skipped, at most three words), where
    it ends, and the word or mark that ended it."""
    words: list[str] = []
    while len(words) < 4:
        m = _NP_WORD.match(text, pos)
        if not m:
            return (_head(words), pos, "")
        tok = m.group(1)
        low = tok.lower()
        if not tok[0].isalpha() or low in _PHRASE_STOP:
            return (_head(words), m.end(), low)
        pos = m.end()
        if low not in _NOT_JOINED and low not in ("one", "own", "several", "many", "multiple", "some", "his", "her"):
            words.append(low)
    return ("", pos, "")


def _head(words: list[str]) -> str:
    if not words or len(words) > 3:
        return ""
    head = words[-1]
    if head in MEASURE_WORDS or singular(head) in MEASURE_WORDS or singular(head) in _PERIODS or any(c.isdigit() for c in head) \
            or head.endswith(("ly", "ing")) or len(head) < 3:
        return ""
    return head


# "cover has to be arranged", "a split must be recorded exactly once", "invoices need to be
# approved": an obligation on what is done to a noun is a requirement about that noun.
_OBLIGED = re.compile(_NOUN + r"\s+(?:must|has\s+to|have\s+to|needs?\s+to|shall|should)\s+(?:always\s+|only\s+|first\s+)?be\s+"
                      r"(?:[a-z]+ed|[a-z]+en|sent|held|sold|paid|kept|set|put|built|read|told|made|bought|found)\b", re.I)
_PREPOSITION_BEFORE = re.compile(r"\b(?:at|on|in|of|per|for|with|by|from|to|into|onto|within|under|over)\s+"
                                 r"(?:(?:a|an|the|each|every|its|their|his|her|our|your|this|that)\s+)?(?:[a-z\-]+\s+)?$", re.I)


def _ends_prepositional_phrase(text: str, start: int) -> bool:
    """"a runner's split at a mat must be recorded": the noun ends a prepositional phrase, the
    obligation is on the noun before it."""
    return bool(_PREPOSITION_BEFORE.search(text[max(0, start - 40):start]))


# Words for one stored instance of something ("a crossing record", "a ledger entry"): what is
# kept is the noun before them, the word itself names no kind of thing.
_RECORD_WORDS = frozenset("record records entry entries row rows".split())
_WORD_BEFORE = re.compile(r"([a-z][a-z\-]{2,})\s+$", re.I)
# "Completed documents and audit trails are retained": nouns joined to the subject share its verb
_JOINED_BEFORE = re.compile(r"\b([a-z][a-z\-]{2,})\s+(?:and|or)\s+(?:[a-z\-]+\s+)?$", re.I)
_PERIODS = frozenset("day week month year hour minute second quarter term semester season".split())
_NOT_JOINED = frozenset("the a an each every all any its their our your this that these those which who whom "
                        "is are was were be been has have had can must will should may not".split())


# Plurals after a number that measure rather than count parts ("payments up to 10,000 euros",
# "sessions of 45 minutes").
_NOT_PARTS = frozenset("euros dollars pounds cents pence francs yen rupees credits points percent times years months "
                       "weeks days hours minutes seconds characters words pages lines".split())
# Verbs that state a capacity themselves ("a class holds at most 25 members"): the container is
# their subject, never the verb.
_CAPACITY_VERBS = frozenset("hold holds has have contain contains take takes fit fits seat seats allow allows accept "
                            "accepts carry carries include includes support supports get gets need needs keep keeps "
                            "store stores serve serves handle handles reach reaches".split())


def _counts_parts(container: str, parts: str) -> bool:
    """Whether "<container> (of | up to) N <parts>" counts members of the container: both nouns,
    the parts a plural thing and no measure, the container no function word."""
    c, p = container.lower(), parts.lower()
    if c in _NOT_JOINED or c in _CAPACITY_VERBS or c in MEASURE_WORDS or singular(c) in MEASURE_WORDS or singular(c) in _PERIODS \
            or c in ("and", "or", "than", "each", "every", "only", "just", "about", "around", "over", "under"):
        return False
    plural = p.endswith("s") and not p.endswith(("ss", "us", "is"))
    return plural and p not in _NOT_PARTS and p not in MEASURE_WORDS and singular(p) not in MEASURE_WORDS \
        and singular(p) not in _PERIODS


def _owner_of_record(text: str, start: int, noun: str) -> str:
    """"Each crossing record is ~150 bytes": the record is of a crossing, so the crossing is
    what the text keeps; any other noun is itself."""
    if noun.lower() not in _RECORD_WORDS:
        return noun
    before = _WORD_BEFORE.search(text[max(0, start - 40):start])
    if not before or before.group(1).lower() in _NOT_JOINED or before.group(1).lower() in MEASURE_WORDS:
        return noun
    return before.group(1)


def _joined_before(text: str, start: int) -> tuple[str, ...]:
    """The noun joined by "and", "or" or a comma to the subject that starts at `start`
    ("documents and audit trails are retained" -> documents): it is said of both."""
    m = _JOINED_BEFORE.search(text[max(0, start - 60):start])
    word = m.group(1).lower() if m else ""
    if not word or word in _NOT_JOINED or word in MEASURE_WORDS or singular(word) in MEASURE_WORDS \
            or singular(word) in _PERIODS:
        return ()
    return (m.group(1),)


def _add(counts: dict[str, int], word: str) -> None:
    w = singular(word.lower())
    counts[w] = counts.get(w, 0) + 1


def proper_names(text: str) -> frozenset[str]:
    """Words written capitalised wherever they occur, at least once in mid-sentence
    ("Design Ticketmaster", "receipts from Expensify", "paid with Stripe"): names of a product,
    a provider or a place, which a design integrates with but keeps no table of; so is an acronym
    with a version ("WCAG 2.2"). Another acronym ("SKUs", "GPS") and a word also written in lower
    case ("Rides ... rides") are not names."""
    capitalised = set()
    for m in _CAPITALISED.finditer(text):
        if not _SENTENCE_START.search(text[max(0, m.start() - 6):m.start()]):
            capitalised.add(m.group(1).lower())
    capitalised |= {m.group(1).lower() for m in _VERSIONED.finditer(text)}
    lower = {w for w in re.findall(r"\b[a-z][a-z\-]{2,}\b", text)}
    return frozenset(singular(w) for w in capitalised if w not in lower and singular(w) not in {singular(x) for x in lower})


# An acronym followed by a version is a named standard or protocol ("WCAG 2.2", "HL7 v2", "FHIR R4",
# "ISO 8583", "TLS 1.3"), which a design conforms to and keeps no table of.
_VERSIONED = re.compile(r"\b([A-Z][A-Z0-9]{1,7})\s+(?:v|R)?\d+(?:\.\d+)*\b(?!\s*(?:%|[kKmMgGtT]?[bB]\b|ms\b|s\b))")


def modifier_only(word: str, text: str) -> bool:
    """Whether every occurrence of `word` is its singular directly qualifying the noun after
    it ("annual members", "cold-storage trucks", "national exam"): such a word heads no phrase of
    the text, so it names no thing of its own."""
    forms = {word, word + "s", word + "es"} | ({word[:-1] + "ies"} if word.endswith("y") else set())
    heads = set()
    for m in re.finditer(r"\b(" + "|".join(re.escape(f) for f in sorted(forms)) + r")\b", text, re.I):
        after = re.match(r" ([a-z][a-z\-]+)", text[m.end():m.end() + 30], re.I)
        if not after or after.group(1).lower() in _NOT_HEAD_AFTER or m.group(1).lower() != word:
            return False  # a plural heads its phrase ("trips end"): English qualifies with the singular
        heads.add(singular(after.group(1).lower()))
    # a noun that qualifies several things is what they belong to ("flag evaluations", "flag
    # changes"); an adjective ("annual", "cold-storage") qualifies whatever it meets
    return len(heads) == 1 or (bool(heads) and _adjectival(word))


def _adjectival(word: str) -> bool:
    """An adjective by its form: a hyphenated qualifier or a common adjective ending."""
    return "-" in word or word.endswith(("al", "ic", "ive", "ous", "ful", "less", "able", "ible", "ary", "ish", "ing", "ed"))


# Words after a noun that end its phrase (a verb, a preposition, a conjunction): the noun heads it.
_NOT_HEAD_AFTER = frozenset("is are was were be been has have had can could must may might should will would shall do does "
                            "did of in on at by for with from to into onto over under per and or but nor so that which who "
                            "whom whose when where while as than then if unless until after before within without across "
                            "through during between among about around above below up out off down back get gets got "
                            "never always only also just not each every all its their a an the this these those".split())


_NOUN_BEFORE = frozenset("a an the each every their its his her my our your this that these those any some no per of "
                         "which whose one".split())


def used_as_noun(word: str, text: str) -> bool:
    """Whether the text uses a word that is also a verb as a noun somewhere: after a determiner or
    a number, with at most one describing word between ("a personalised render", "25M downloads",
    "the push"), or before "of" ("the end of the season"). "Records stay", "both people get" and
    "on hand" never do."""
    if word.endswith("ing") and re.search(r"\b" + re.escape(word) + r"s\b", text, re.I):
        return True  # "carries drawings", "guests browse listings": a verb's -ing form has no plural
    forms = {word, word + "s", word + "es"} | ({word[:-1] + "ies"} if word.endswith("y") else set())
    alternatives = "|".join(re.escape(f) for f in sorted(forms))
    before = r"(?:\b(?:" + "|".join(sorted(_NOUN_BEFORE)) + r")|\d[\d.,]*[kmb]?|'s)"
    pattern = before + r"\s+(?:[\w\-]+\s+)?(?:" + alternatives + r")\b|\b(?:" + alternatives + r")\s+of\b"
    return bool(re.search(pattern, text, re.I))
