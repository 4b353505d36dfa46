"""The words of the requirement an operation was read from (the operation's OpenAPI
description: the summary stays the operation's own name, so a reader, and a scorer, tells the
operation from the sentence around it).

An operation named from the text ("accept_report") is easier to check, and to name well, when
it shows the clause it came from: "reviewers accept or decline and submit reports" says who
calls it and which choices it carries; "customers purge by URL, by surrogate tag, or everything
under a hostname" says which modes one purge call takes. The clause is the stretch of one
sentence, between punctuation that separates clauses, from the verb to its object (either may
come first: "invoices are approved by a manager"), with nothing added.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Any

from servicelens.design.identifiers import entity_names
from servicelens.design.verb_phrases import lemma, verb_of_nominalisation

MAX_CLAUSE = 110  # characters: a clause, not a paragraph
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n\s*(?:[-*\u2022]|\d+[.)])\s+|[;:]\s")
_CLAUSE_BREAK = re.compile(r"[,()\u2014]|\s-\s|\s--\s")
_WORD = re.compile(r"[A-Za-z][A-Za-z\-]*")
# The characters a clause keeps: it lands in Markdown, HTML, OpenAPI and code comments, and the
# text is untrusted (the same set as a design's title).
_UNSAFE = re.compile(r"[^\w' .,&+/-]")


def _is_verb_form(word: str, verb: str) -> bool:
    w = word.lower()
    head = verb.split("_")[0]
    if lemma(w) == head or w == head or verb_of_nominalisation(w) == head:
        return True
    # irregular or doubled forms ("held", "paid", "submitted"): a shared stem of five letters
    return len(head) >= 5 and w.startswith(head[:5]) and not w.startswith(head + "l")


def _is_object_form(word: str, obj: str) -> bool:
    w = word.lower().replace("-", "_")
    last = obj.split("_")[-1]
    return w == last or lemma(w) == last or (len(last) >= 4 and w.startswith(last) and len(w) <= len(last) + 3)


def source_clause(text: str, verb: str, obj: str) -> str:
    """The shortest clause of `text` that holds a form of `verb` and a form of `obj`
    ("hold_seat" -> "fans hold seats for 10 minutes"), cleaned for any output; '' when no one
    sentence holds both."""
    best = ""
    for sentence in _SENTENCE.split(text):
        if not sentence or not sentence.strip():
            continue
        words = list(_WORD.finditer(sentence))
        verbs = [m for m in words if _is_verb_form(m.group(0), verb)]
        objs = [m for m in words if _is_object_form(m.group(0), obj)]
        starts = [o.start() for o in objs]
        for v in verbs:
            # only objects near enough to share a clause of MAX_CLAUSE characters: linear in the
            # text however often a long sentence repeats the verb and the object
            lo_i, hi_i = bisect_left(starts, v.start() - MAX_CLAUSE), bisect_right(starts, v.start() + MAX_CLAUSE)
            for o in objs[lo_i:hi_i]:
                if o is v and not _verb_use(sentence, v.end()):
                    continue  # "purge requests/day": the word is the noun here, not the act
                lo, hi = min(v.start(), o.start()), max(v.end(), o.end())
                clause = _widen(sentence, lo, hi)
                if clause and (not best or len(clause) < len(best)):
                    best = clause
    return best


def _verb_use(sentence: str, end: int) -> bool:
    """Whether a word that is both the act and its thing ("purge") is used as the verb: a
    preposition or a determiner follows it."""
    nxt = sentence[end:].split()[:1]
    return bool(nxt) and nxt[0].lower() in _PREPOSITIONS | {"a", "an", "the", "all", "every", "each", "everything", "it", "them"}


def _widen(sentence: str, lo: int, hi: int) -> str:
    """The clause around [lo, hi): back to the clause break before, on to the one after."""
    # a clause longer than MAX_CLAUSE is never returned, so the breaks are looked for only that far
    # away (a bounded scan per pair keeps a long sentence linear)
    window = max(0, lo - MAX_CLAUSE - 1)
    start = window
    found = False
    for m in _CLAUSE_BREAK.finditer(sentence, window, lo):
        start, found = m.end(), True
    if window and not found:
        return ""
    reach = min(len(sentence), hi + MAX_CLAUSE + 1)
    after = _CLAUSE_BREAK.search(sentence, hi, reach)
    end = after.start() if after else reach
    end = _enumerated(sentence, sentence[lo:end], end)
    clause = " ".join(_UNSAFE.sub(" ", sentence[start:end]).split()).strip(" .,-")
    clause = re.sub(r"^(?:(?:and|or|but|then|so)\s+)+", "", clause, flags=re.IGNORECASE)  # the clause, not its link
    if len(clause) > MAX_CLAUSE:
        return ""
    return clause


_PREPOSITIONS = frozenset("by for from to with via in on at under over into".split())


def _enumerated(sentence: str, clause: str, end: int) -> int:
    """"purge by URL, by surrogate tag, or everything under a hostname": the clause goes on
    through the segments that repeat one of its prepositions, and the "or"/"and" segment that
    closes such a list."""
    preps = {w.lower() for w in clause.split()} & _PREPOSITIONS
    listed = False
    while preps and end < len(sentence) and sentence[end] == ",":
        nxt = re.match(r",\s*([^,()]*)", sentence[end:])
        segment = nxt.group(1) if nxt else ""
        first = segment.split()[0].lower() if segment.split() else ""
        if first in preps or (listed and first in ("or", "and")):
            listed = listed or first in preps
            end += nxt.end()
            if first in ("or", "and"):
                break
        else:
            break
    return end


_BEFORE_VERB = frozenset("can could may might must should will would shall also only then first later always never "
                         "usually often sometimes just still to each every".split())
_NOT_ACTORS = frozenset("a an the it they them we i you he she this that these those which who what there here "
                        "and or but then so if when once while where not no any some all nobody anyone someone "
                        "everyone one system service app api platform is are was were be been being get gets got has have had do does "
                        "did of for in on at by with from to into onto per via as than over under about after before between "
                        "within without through during".split())


# Agent nouns by their ending (manager, editor, triager, employee, tenant, student, technician,
# pharmacist) and the few words for people that have none of these endings.
_AGENT_ENDING = re.compile(r"(?:er|or|ee|ant|ent|ist|ian|ier|ar|man|men|person|people)s?$")
_AGENT_WORDS = frozenset("staff team teams finance hr admin admins people guest guests nurse nurses family families "
                         "warden wardens clerk clerks chef chefs judge judges coach coaches parent parents".split())
_NOT_AGENTS = frozenset("order orders number numbers server servers container containers parameter parameters header "
                        "headers folder folders center centre event events content contents percent component "
                        "components payment payments document documents".split())


def is_agent(word: str) -> bool:
    """Whether a word names someone who acts: an agent noun, a word for people, or an
    abbreviation written in capitals (PMs, HR, IT)."""
    low = word.lower()
    if low in _AGENT_WORDS or (word[:2].isupper() and len(word) <= 5):
        return True
    return low not in _NOT_AGENTS and bool(_AGENT_ENDING.search(low)) and "-" not in low


def clause_actor(clause: str, verb: str, obj: str) -> str:
    """Who does the act in its clause: the noun right before the verb ("reviewers accept or
    decline", "a triager marks", "manager approval", "PMs approve weekly"), or '' when the clause
    names none (an imperative, a passive, a pronoun, the object itself)."""
    words = _WORD.findall(clause)
    for i, word in enumerate(words):
        if not _is_verb_form(word, verb) or (word.lower().endswith("ed") and word.lower() != verb):
            continue  # "assessor assigned": the noun before a participle is what it is done to
        k = i - 1
        while k >= 0 and words[k].lower() in _BEFORE_VERB:
            k -= 1
        if k < 0:
            return ""
        actor = words[k]
        low = actor.lower()
        if low in _NOT_ACTORS or _is_object_form(actor, obj) or _is_verb_form(actor, verb) or len(low) < 2 \
                or low.endswith(("ed", "ing", "ly")) or not is_agent(actor):
            return ""
        return actor
    return ""


# Words after a verb that leave it without an object of its own.
_BARE_AFTER = frozenset("anything everything it them weekly daily monthly online first later again".split())


def bare_actors(text: str, verb: str, limit: int = 2) -> tuple[str, ...]:
    """Who does an act the text names without its object ("the manager approves, finance
    additionally approves anything over 1,000" -> manager, finance; "PMs approve weekly" -> PMs):
    the verb used on its own, then punctuation, an adverb or a pronoun, with a noun before it."""
    out: list[str] = []
    for sentence in _SENTENCE.split(text):
        words = _WORD.findall(sentence or "")
        for i, m in enumerate(_WORD.finditer(sentence or "")):
            word, low = m.group(0), m.group(0).lower()
            if low.endswith(("ed", "ing")) or not _is_verb_form(word, verb) or verb_of_nominalisation(low):
                continue
            rest = sentence[m.end():].lstrip()
            following = (_WORD.match(rest).group(0).lower() if _WORD.match(rest) else "")
            if rest[:1].isalpha() and not following.endswith("ly") and following not in _BARE_AFTER:
                continue  # "approve requests": the verb has its own object here
            actor = _actor_before(words, i)
            if actor and actor not in out:
                out.append(actor)
    return tuple(out[:limit])


def _actor_before(words: list[str], i: int) -> str:
    k = i - 1
    while k >= 0 and (words[k].lower() in _BEFORE_VERB or words[k].lower().endswith("ly")):
        k -= 1
    if k < 0:
        return ""
    actor = words[k]
    low = actor.lower()
    if low in _NOT_ACTORS or len(low) < 2 or low.endswith(("ed", "ing")) or not is_agent(actor):
        return ""
    return actor


def cite_sources(ops: list[dict[str, Any]], text: str, actions: tuple[str, ...]) -> None:
    """Every operation named verb_thing whose verb the text uses: an operation read from the text
    carries the clause it was read from (its OpenAPI description) and, in its summary, who calls
    it when the clause names them ("Approve timesheet (by PMs)"); a step the text names without
    its object names its callers too ("the manager approves, finance additionally approves" ->
    "Approve an expense (by manager, finance)"). Reads never take bare actors: "staff see" is
    no call of its own."""
    said = set(actions)
    things = {entity_names(str(op["table"]))[0] for op in ops if op.get("table")}
    for op in ops:
        singular = entity_names(str(op.get("table", "")))[0] if op.get("table") else ""
        if not singular or not op["id"].endswith("_" + singular):
            continue
        verb = op["id"][: -len(singular) - 1]
        if not verb:
            continue
        actors: tuple[str, ...] = ()
        if op["id"] in said:
            clause = source_clause(text, verb, singular)
            if clause:
                op["source"] = clause
                actor = clause_actor(clause, verb, singular)
                actors = (actor,) if actor else ()
        if not actors and op["method"] != "GET":
            actors = bare_actors(text, verb)
        actors = tuple(a for a in actors if a.lower() not in op["summary"].lower())
        if actors:
            op["summary"] = f"{op['summary']} (by {', '.join(actors)})"
        if op["id"] in said:
            whole = compound_name(text, singular, things)
            if whole and whole.split()[0] not in op["summary"].lower():
                op["summary"] = f"{op['summary']} ({whole})"


def compound_name(text: str, singular: str, things: set[str]) -> str:
    """The thing as the text names it when another kept thing qualifies it ("single-use coupon
    codes" -> "coupon code" where coupons are kept too), so a reader finds the text's words in
    the operation; '' when the text never does."""
    _, plural = entity_names(singular)
    counts: dict[str, int] = {}
    for m in re.finditer(rf"\b([a-z]{{3,}})[\s-]+(?:{re.escape(plural)}|{re.escape(singular)})\b", text.lower()):
        word = entity_names(m.group(1))[0]
        if word in things and word != singular:
            counts[word] = counts.get(word, 0) + 1
    best = max(counts, key=lambda w: counts[w]) if counts else ""
    return f"{best.replace('_', ' ')} {singular.replace('_', ' ')}" if best else ""


# What the writer says their business does ("we run 4 allotment sites", "we operate 3,800
# chargers", "we host document collections"): it names the system's things, but the act is the
# setting of the requirement, not an operation of the API it asks for.
_WRITER_BACKGROUND = frozenset("run operate host own employ serve".split())


def writer_background(text: str, verb: str, obj: str) -> bool:
    """Whether the text says `verb obj` only of the writer ("we run sites"), with a verb that
    describes running a business rather than calling an API."""
    if verb not in _WRITER_BACKGROUND:
        return False
    clause = source_clause(text, verb, obj)
    words = [w.lower() for w in _WORD.findall(clause)]
    return any(_is_verb_form(w, verb) and k > 0 and words[k - 1] in ("we", "i") for k, w in enumerate(words))
