"""Constraint clauses read by their operator, not by a table of phrasings.

A requirement states a hard rule as a constraint clause: a modal or a quantifier ("at most",
"must not exceed", "at least ... between", "until", "N hours later") over a subject and an
event, often with a scope ("per clinic", "in any 24-hour period"). The operator decides the
mechanism family, whatever the nouns are:

- exclusive-at-a-time  "at most one flight at any moment", "only one queue at a time": one
                       holder takes one thing at once -> exclusion constraint on the time range /
                       unique partial index on the active row;
- windowed-quota       "must not exceed 13 hours in any 24-hour period": a sum bounded within a
                       window -> window total checked in the writing transaction under a row lock;
- minimum-gap          "at least 10 hours of rest between two duties": the least time between two
                       events of one owner -> the previous event checked under a row lock;
- blocked-until        "disputes freeze the milestone until an agent resolves them": an act
                       withheld until an event -> a blocking state checked in the conditional update;
- relative-deadline    "goes back to the pool 72 hours later": an act at a time after an event ->
                       a due time on the row and a scheduler that acts once;
- read-restricted      "notes can be read only by clinical staff": reads limited to a group ->
                       an authorization filter on every read;
- required-members     "every flight has exactly one captain and at least 2 cabin crew before it
                       can be published": a count of members required before a transition ->
                       a precondition count check (and a unique partial index for "exactly one").
- replaced-slice       "a re-sent file must replace that store's day, not add to it": a load that
                       stands in for an earlier one -> delete-and-insert of the slice keyed by its
                       owner and period in one transaction (or a partition overwrite).

`read_clause` is pure: one clause in, one `ConstraintClause` (or None) out. A clause with a
constraint operator that no family reads is `stated_constraint` but unread: the caller lists
it as stated and not addressed rather than dropping it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from servicelens.design.text import lower_singular

_W = r"[a-z][a-z\-]{2,}"
_NUM = r"(?:\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a|an)"
_PERIOD = r"(?:seconds?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?|nights?|shifts?)"
_SPAN = rf"{_NUM}[\s-]*{_PERIOD}"


@dataclass(frozen=True, slots=True)
class ConstraintClause:
    """One constraint clause: its family, the words it came from, and what it is about."""

    family: str  # one of FAMILY_KIND's keys
    clause: str  # the clause, as written (evidence)
    subject: str = ""  # the holder or thing the rule is about ("crew member", "milestone")
    counted: str = ""  # what is counted or held ("flight", "hours")
    bound: str = ""  # the stated bound ("13 hours", "1", "72 hours")
    scope: str = ""  # the window or key the bound holds within ("24-hour period", "clinic")
    condition: str = ""  # what lifts a block or starts a deadline ("an agent resolves them")


# The invariant kind (data/characteristics.yaml) each family is kept under: its `enforced_in`
# and the blocks it calls for follow the kind.
FAMILY_KIND = {
    "exclusive-at-a-time": "no-double-sell",
    "windowed-quota": "capacity-limit",
    "minimum-gap": "precondition",
    "blocked-until": "precondition",
    "relative-deadline": "expiry",
    "read-restricted": "restricted-read",
    "required-members": "precondition",
    "required-reference": "precondition",
    "scoped-unique": "uniqueness",
    "act-within": "expiry",
    "required-before": "precondition",
    "replaced-slice": "replace-on-reload",
}
# Families read only where no other reading holds the clause: their operator is weaker (a due
# act, a required reference) than a rule another reader names.
ONLY_UNREAD = frozenset({"act-within", "required-reference"})

# "at most one flight at any moment", "only one clinic's queue at a time", "no more than one
# open shift at once", "never two bookings simultaneously"
_AT_A_TIME = re.compile(
    r"\b(?:at\s+most|only|no\s+more\s+than|not\s+more\s+than|never\s+more\s+than|just)\s+(?:one|a\s+single|1)\s+"
    rf"(?P<what>{_W})(?:\s+[\w']+){{0,2}}?\s+(?:at\s+(?:a|any|one)\s+(?:single\s+)?(?:time|moment|point)|at\s+once|"
    r"simultaneously|concurrently|at\s+the\s+same\s+time)\b", re.I)
_AT_A_TIME_NEVER = re.compile(
    rf"\b(?:never|not|no)\s+(?:be\s+)?(?:\w+\s+)?(?:on|in|at|to|for)?\s*(?:two|2|several|multiple)\s+(?P<what>{_W})\s+"
    r"(?:at\s+(?:once|the\s+same\s+time|any\s+(?:one\s+)?(?:time|moment))|simultaneously|concurrently)\b", re.I)
# "must not exceed 13 hours in any 24-hour period", "at most 6 hours a week", "no more than 3
# requests per rolling hour"
_WINDOWED = re.compile(
    r"\b(?:must\s+not\s+exceed|may\s+not\s+exceed|cannot\s+exceed|can't\s+exceed|never\s+exceeds?|not\s+exceed|"
    r"at\s+most|no\s+more\s+than|not\s+more\s+than|up\s+to|max(?:imum)?(?:\s+of)?|a\s+limit\s+of|a\s+cap\s+of|capped\s+at|"
    r"limited\s+to)\s+"
    rf"(?P<bound>\d[\d.,]*\s*(?P<unit>{_W}|%)?(?:\s+(?:of\s+)?{_W})?)\s+"
    # the key the count is kept under, before or after the window: "3 sends per phone number per
    # hour", "10 requests per minute per API key"
    rf"(?:per\s+(?P<key>(?!{_PERIOD}\b){_W}(?:\s+(?!{_PERIOD}\b){_W})?)\s+)?"
    rf"(?:(?:in|within|during|over|across)\s+(?:any|a|an|each|every|one|the\s+same|a\s+rolling|any\s+rolling)\s+|per\s+(?:rolling\s+)?|a\s+|an\s+|each\s+|every\s+)"
    rf"(?P<window>(?:\d[\d.,]*[\s-]*)?{_PERIOD}(?:\s+(?:period|window))?|calendar\s+(?:day|week|month|year))\b"
    rf"(?:\s+per\s+(?P<key_after>(?!{_PERIOD}\b){_W}(?:\s+(?!{_PERIOD}\b|to\b|for\b|and\b|or\b){_W})?))?", re.I)
# "at least 10 hours of rest between two duties", "a minimum of 48 hours between bookings"
_MIN_GAP = re.compile(
    rf"\b(?:at\s+least|a\s+minimum\s+of|minimum\s+of|no\s+less\s+than|not\s+less\s+than)\s+(?P<bound>{_SPAN})\s+"
    rf"(?:of\s+(?P<gap>{_W})\s+)?(?:between|since|after|apart|from)\s+"
    rf"(?:(?:two|2|consecutive|successive|each|the\s+last|their\s+last|the\s+previous|a|an|one)\s+)*(?P<what>{_W})", re.I)
# "disputes freeze the milestone until an agent resolves them", "cannot claim until they have
# paid", "stays locked until the inspector signs off", "is not released unless approved"
_UNTIL = re.compile(
    r"(?<!-)\b(?P<act>freez\w*|frozen|block\w*|hold|holds|held|pause\w*|suspend\w*|lock\w*|blocked|cannot|can't|can\s+not|may\s+not|"
    r"must\s+not|never|not|no\s+longer|stays?|remains?|waits?|sits?|only)\b"
    r"(?P<between>[^.;]{0,60}?)\b(?P<op>until|unless|before|after|once|when|if)\s+(?P<cond>[^.;,]{3,80})", re.I)
# "goes back to the pool 72 hours later", "is cancelled 15 minutes after the start if nobody
# checks in", "escalates after 2 days", "released 14 days after delivery"
# The acts a deadline performs on a record: it ends, hands back or moves on what was pending.
# ("the last wave goes off 45 minutes later" schedules an event; it keeps no rule.)
_ENDING = (r"(?:released|freed|returned|goes\s+back|go\s+back|given\s+back|cancell?ed|cancels?|expires?|expired|lapses?|lapsed|"
           r"closed|closes|reopened|reopens|escalated|escalates|deleted|purged|archived|locked|forfeited|reassigned|"
           r"refunded|voided|withdrawn|auto-\w+|marked\s+(?:as\s+)?\w+)")
# "goes back to the pool 72 hours later", "is cancelled 15 minutes after the start if nobody
# checks in", "escalates after 2 days", "released 14 days after delivery"
_LATER = re.compile(
    rf"\b(?:(?P<subj>{_W})\s+(?:is\s+|are\s+|gets?\s+|will\s+be\s+|must\s+be\s+)?(?:automatically\s+)?)?(?P<act>{_ENDING})\b"
    rf"[^.;]{{0,60}}?\b(?P<bound>{_SPAN})\s+(?:later|after(?:\s+(?:the|its|their|a|an))?\s+(?P<after>{_W}))\b", re.I)
_AFTER_SPAN = re.compile(
    rf"\b(?:(?P<subj>{_W})\s+(?:is\s+|are\s+|gets?\s+|will\s+be\s+|must\s+be\s+)?(?:automatically\s+)?)?(?P<act>{_ENDING})\s+"
    rf"(?:automatically\s+)?(?:[\w']+\s+){{0,5}}?after\s+(?P<bound>{_SPAN})\b", re.I)
# "must replace that store's day, not add to it", "overwrites the previous figures instead of
# appending to them": a new copy stands in for the old one, never beside it
_REPLACE = re.compile(
    r"\b(?:replaces?|replacing|overwrites?|overwriting|supersedes?|superseding)\s+(?P<obj>(?:[\w']+\s+){0,3}?[\w']+)\s*,?\s+"
    r"(?:not|never|rather\s+than|instead\s+of)\s+(?:be\s+)?(?:add|append|sum|accumulat|duplicat|stack|doubl)\w*", re.I)
_OWNED = re.compile(rf"\b(?P<owner>{_W})'s\s+(?P<thing>{_W}(?:\s+{_W})?)\s*$", re.I)
_MODAL = re.compile(r"\b(?:can|may|must|cannot|can't|shall|allowed|permitted|never|not)\b", re.I)
_AUX = frozenset("is are was were be been gets get will must can may should automatically".split())
_READ_VERB = re.compile(r"\b(?:see|sees|seen|read|reads|view|views|viewed|shown|show|shows|visible|access|accessed|open|opened)\b",
                        re.I)
# "can be read only by", "are visible only to", "may only be opened by"
_READ_ONLY_BY = re.compile(
    r"\b(?:can|may|must|should|will|are|is)?\s*(?:only\s+)?(?:be\s+)?(?:read|seen|viewed|opened|accessed|downloaded|listed|"
    r"visible|accessible|readable)\s+"
    rf"(?:only\s+)?(?:by|to)\s+(?:the\s+|its\s+|their\s+)?(?P<who>{_W}(?:\s+{_W}){{0,2}})", re.I)
_ONLY_IN_READ = re.compile(r"\bonly\b", re.I)
# "every flight has exactly one captain and at least 2 cabin crew before it can be published"
_MEMBERS = re.compile(
    rf"\b(?:every|each|a|an|the)\s+(?P<whole>{_W})\s+(?:must\s+have|has|have|needs?|requires?|must\s+include|includes?)\s+"
    rf"(?P<counts>(?:(?:exactly|at\s+least|no\s+fewer\s+than|a\s+minimum\s+of)\s+(?:\d+|one|two|three|four|a|an)\s+[^.;]{{2,60}}?))"
    r"\s+(?:before|to\s+be|in\s+order\s+to|for\s+it\s+to)\s+(?P<then>[^.;]{3,60})", re.I)
_ROLE = rf"(?P<role>{_W}(?:\s+(?!(?:and|or|but|with|before|after|for|per)\b){_W})?)"
_EXACTLY_ONE = re.compile(rf"\bexactly\s+(?:one|1|a)\s+{_ROLE}", re.I)
_AT_LEAST = re.compile(rf"\bat\s+least\s+(?P<n>\d+|one|two|three|four)\s+{_ROLE}", re.I)

# "every shipment must have a customs declaration", "each sample has to belong to one study"
_REQUIRED_REF = re.compile(
    rf"\b(?:every|each|all|any)\s+(?P<x>{_W})\s+(?:must|should|has\s+to|have\s+to|needs?\s+to|is\s+required\s+to|are\s+required\s+to)\s+"
    r"(?:always\s+)?(?:have|has|carry|include|reference|belong\s+to|be\s+linked\s+to|be\s+attached\s+to|be\s+assigned\s+to|"
    rf"point\s+to)\s+(?P<q>a|an|one|exactly\s+one|at\s+least\s+one|its\s+own|a\s+valid)\s+(?:[\w-]+\s+)?(?P<y>{_W})\b", re.I)
# "badge numbers are unique per site", "no two players in the same league share a shirt number",
# "only one active subscription per household"
_UNIQUE_PER = re.compile(
    rf"\b(?P<x>{_W})(?:\s+(?P<attr>{_W}))?\s+(?:is|are|must\s+be|should\s+be|has\s+to\s+be|have\s+to\s+be)\s+unique\s+"
    rf"(?:per|within|in|across|for\s+each|for\s+every|inside)\s+(?:a|an|the|each|every|one|its|their)?\s*(?P<scope>{_W})", re.I)
_NO_TWO_SAME = re.compile(
    rf"\bno\s+two\s+(?P<x>{_W})\s+(?:in|of|for|on|at|within)\s+(?:the\s+)?same\s+(?P<scope>{_W})\s+(?:\w+\s+)?"
    rf"(?:have|share|use|get|hold|take|may\s+have|can\s+have|may\s+share|can\s+share)\s+(?:the\s+|a\s+|an\s+)?(?:same\s+)?"
    rf"(?P<attr>{_W}(?:\s+{_W})?)", re.I)
_ONE_PER = re.compile(
    rf"\b(?:only|exactly|at\s+most|just|no\s+more\s+than)\s+one\s+(?P<state>active|open|current|live|pending)?\s*(?P<x>{_W})\s+"
    rf"(?:per|for\s+each|for\s+every|in\s+each|for\s+a|for\s+any)\s+(?P<scope>{_W})", re.I)
# "refunds must be issued within 5 days of the request", "every complaint has to be answered within
# 2 working days": a step someone takes on a record, in the passive; an active "should see the verdict
# within 10 seconds" or "must get the new odds within a second" is a speed target
_ACT_WITHIN = re.compile(
    r"\b(?:must|should|has\s+to|have\s+to|needs?\s+to|are\s+to|is\s+to|shall)\s+(?:always\s+)?be\s+(?P<act>[a-z]{2,}(?:ed|en|id|wn|ld|nt|de|ne|ht|lt))\s+"
    rf"(?:[\w']+\s+){{0,4}}?within\s+(?P<bound>{_NUM}\s+(?:working\s+|business\s+|calendar\s+)?{_PERIOD})"
    rf"(?:\s+(?:of|after|from)\s+(?:the|a|an|its|their)?\s*(?P<after>{_W}))?", re.I)
# Acts of showing or spreading a change are the propagation kind's ("visible within 5 seconds").
# Acts of moving or running ("arrive within 30 seconds", "finish within 1 hour") are delivery and
# batch targets, sized by the capacity plan; the due act is a step someone takes on a record.
_PROPAGATE = re.compile(r"\b(?:visible|seen|reflected|propagat\w*|appear\w*|shown|synced|replicated|available|updated|"
                        r"refreshed|indexed|searchable|consistent|delivered|received|notified|alerted|sent|arrive|reach|"
                        r"run|finish|complete|completed|start|started|load|loaded|respond|return|returned|processed|done)\b",
                        re.I)

# "a licence must be paid for before the download link is issued", "the form has to be signed
# before the visit starts": one step required before another
_REQUIRED_BEFORE = re.compile(
    r"\b(?:must|has\s+to|have\s+to|needs?\s+to|shall)\s+(?:always\s+)?(?:be\s+|have\s+been\s+)?(?P<pre>[a-z]{2,}(?:ed|en|id|wn|ld|nt|de|ne|ht|lt))\s+"
    r"(?:(?:for|off|in|out|up)\s+)?(?:[\w-]+\s+){0,3}?before\s+(?P<act>[^.;,]{3,80})", re.I)

_SHORT_WINDOW = re.compile(r"(?:1\s*|one\s+|a\s+)?(?:seconds?|minutes?|mins?|hours?|hrs?|h)\b", re.I)
_CLOCK = re.compile(r"\s*(?:the\s+)?(?:noon|midday|midnight|\d|end\s+of|close\s+of|deadline|cut-?off|tomorrow|today|tonight|"
                    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|month|week|year|quarter)", re.I)

# Targets of speed, load or availability are sized by the capacity plan, not kept as rules on data.
_NOT_A_RULE = re.compile(r"\d\s*m?s\b|\bwithin\s+(?:a|one|\d[\d.]*)\s*(?:sec\w*|s)\b|\bable\s+to\b|\d+\s*%\s+of\b|\b(?:latency|p\d\d|ms|milliseconds?|uptime|availability|downtime|throughput|rps|qps|"
                         r"respond\w*|response|load\s+in|page\s+load)\b", re.I)
# A clause states a constraint when it holds an operator of obligation, prohibition or bound.
_OPERATOR = re.compile(
    r"\b(?:must|never|always|cannot|can't|may\s+not|shall|at\s+most|at\s+least|no\s+more\s+than|not\s+more\s+than|"
    r"exactly|only|unique|exceed\w*|has\s+to|have\s+to|is\s+required|are\s+required|"
    r"no\s+two|none|nobody|no\s+one|forbidden|prohibited|not\s+allowed)\b", re.I)
_NOT_SUBJECTS = frozenset("it they we you he she this that which who one each every all there here what someone anyone "
                          "nobody everyone us them and or but nothing none also still some most many our their its to of "
                          "the for in on at by with from into over under about after before via per as than during "
                          "without within between no not never any other new own same may can must will should would "
                          "could might shall".split())


def performance_target(clause: str) -> bool:
    """A speed, load or availability target: sized by the capacity plan, not kept as a rule."""
    return bool(_NOT_A_RULE.search(clause))


def stated_constraint(clause: str) -> bool:
    """The clause states a rule (an operator of obligation, prohibition or bound) and is not a
    speed or availability target."""
    return bool(_OPERATOR.search(clause)) and not _NOT_A_RULE.search(clause) and not clause.rstrip().endswith(":")


def read_clause(clause: str, subject_of: Callable[[str], str]) -> ConstraintClause | None:
    """The clause's constraint by its operator, first the narrowest: a bound per window is read
    before a plain bound, a one-at-a-time hold before a plain "only one". `subject_of` names the
    noun the rule's verb is about (invariant_shapes.subject_of)."""
    for reader in _READERS:
        found = reader(clause, subject_of)
        if found:
            return found
    return None


def _subject(clause: str, subject_of: Callable[[str], str]) -> str:
    """The noun the rule's verb is about, else the clause's leading noun ("Members reserve ...")."""
    found = subject_of(clause)
    if found:
        return found
    lead = re.match(rf"\s*(?:(?:the|our|all|a|an)\s+)?(?P<n>{_W})\b", clause, re.I)
    return lower_singular(lead.group("n")) if lead and _noun(lead.group("n")) and lead.group("n").lower() not in _AUX else ""


def _noun(word: str) -> bool:
    w = word.lower()
    return len(w) >= 3 and w not in _NOT_SUBJECTS and not w.endswith("ly")


def _words(text: str) -> str:
    return " ".join(text.split())


def _at_a_time(clause: str, subject_of: Callable[[str], str]) -> ConstraintClause | None:
    m = _AT_A_TIME.search(clause) or _AT_A_TIME_NEVER.search(clause)
    if not m or not _noun(m.group("what")):
        return None
    holder = subject_of(clause)
    what = lower_singular(m.group("what"))
    return ConstraintClause("exclusive-at-a-time", clause, holder if holder != what else "", what, "1")


def _windowed(clause: str, subject_of: Callable[[str], str]) -> ConstraintClause | None:
    m = _WINDOWED.search(clause)
    if not m:
        return None
    if re.match(r"(?:up\s+to|max)", m.group(), re.I) and not _MODAL.search(clause):
        return None  # "the bakery bakes up to 400 loaves a day" describes a load; "can post up to 30" limits it
    bound = _words(m.group("bound"))
    unit = (m.group("unit") or "").lower()
    counted = unit if unit and unit != "%" else ""
    # "a driver's duty must not exceed ...": the quota is the driver's, counted in duty hours
    owner = re.search(rf"\b(?P<owner>{_W})'s\s+(?:{_W}\s+)?(?:{_W})\s*$", clause[:m.start()].rstrip() + " ", re.I) \
        or re.search(rf"\b(?P<owner>{_W})'s\s+", clause[:m.start()], re.I)
    key = _key(m.group("key") or m.group("key_after") or "")
    if key:
        subject = key  # "3 sends per phone number per hour": the quota is kept per phone number
    elif owner and _noun(owner.group("owner")):
        subject = lower_singular(owner.group("owner"))
    else:
        subject = _subject(clause, subject_of)
    return ConstraintClause("windowed-quota", clause, subject, counted, bound, _words(m.group("window")))


def _key(words: str) -> str:
    """The key a quota is kept under ("phone number", "API key"), its head noun singular; '' when
    it names no thing."""
    parts = words.lower().split()
    if not parts or not all(_noun(w) for w in parts):
        return ""
    return " ".join(parts[:-1] + [lower_singular(parts[-1])])


def _min_gap(clause: str, subject_of: Callable[[str], str]) -> ConstraintClause | None:
    m = _MIN_GAP.search(clause)
    if not m or not _noun(m.group("what")):
        return None
    event = lower_singular(m.group("what"))
    holder = subject_of(clause)
    return ConstraintClause("minimum-gap", clause, holder if holder != event else "", event, _words(m.group("bound")),
                            condition=(m.group("gap") or "").lower())


def _blocked_until(clause: str, subject_of: Callable[[str], str]) -> ConstraintClause | None:
    m = _UNTIL.search(clause)
    if not m:
        return None
    op = m.group("op").lower()
    act = m.group("act").lower()
    negated = act in {"cannot", "can't", "can not", "may not", "must not", "never", "not", "no longer"}
    # "before" withholds only after a negation ("never paid before the reading is in"); "until"
    # and "unless" withhold after a negation or a verb of holding ("freeze ... until"); "after",
    # "once", "when" and "if" gate an act only after "only" ("may start only after ...")
    if op == "before" and not negated:
        return None
    if op in {"after", "once", "when", "if"} and not (act == "only" and not m.group("between").strip()):
        return None
    if act == "only" and op in {"until", "unless", "before"}:
        return None
    if op == "once" and re.match(r"\s*(?:per|for|each|every|a|an|in|on|a\s+day)\b", m.group("cond"), re.I):
        return None  # "fires only once per crossing": a count, not a gate
    if _READ_VERB.search(m.group("between")):
        return None  # "never see who gave before the wedding": a read withheld until a date (read-restricted)
    if re.match(r"\d", m.group("cond").strip()) or re.search(_SPAN + r"\s*$", m.group("between").strip(), re.I):
        return None  # "until 9am", "not before 10:00": a clock time is a deadline, read elsewhere
    held = re.search(rf"\b(?:the|its|their|a|an)\s+(?P<thing>{_W})\b", m.group("between"))
    thing = lower_singular(held.group("thing")) if held and _noun(held.group("thing")) else subject_of(clause)
    return ConstraintClause("blocked-until", clause, thing, condition=_words(m.group("cond")).rstrip(" ,"))


def _deadline(clause: str, subject_of: Callable[[str], str]) -> ConstraintClause | None:
    m = _LATER.search(clause) or _AFTER_SPAN.search(clause)
    if not m:
        return None
    after = (m.groupdict().get("after") or "").lower()
    subj = m.group("subj") or ""
    subject = lower_singular(subj) if _noun(subj) and subj.lower() not in _AUX else _subject(clause, subject_of)
    return ConstraintClause("relative-deadline", clause, subject, _words(m.group("act")).lower(),
                            _words(m.group("bound")), condition=after)


def _read_only(clause: str, subject_of: Callable[[str], str]) -> ConstraintClause | None:
    m = _READ_ONLY_BY.search(clause)
    who = m.group("who").split() if m else []
    if not m or not _ONLY_IN_READ.search(m.group()) or not _noun(who[-1]):
        return None
    return ConstraintClause("read-restricted", clause, subject_of(clause), scope=" ".join(who[:-1] + [lower_singular(who[-1])]))


def _members(clause: str, subject_of: Callable[[str], str]) -> ConstraintClause | None:
    m = _MEMBERS.search(clause)
    if not m or not _noun(m.group("whole")):
        return None
    counts = m.group("counts")
    one = _EXACTLY_ONE.search(counts)
    least = _AT_LEAST.search(counts)
    parts = ([f"exactly one {one.group('role').lower()}"] if one else []) + \
            ([f"at least {least.group('n')} {least.group('role').lower()}"] if least else [])
    return ConstraintClause("required-members", clause, lower_singular(m.group("whole")),
                            counted=one.group("role").lower() if one else "", bound="; ".join(parts),
                            condition=_words(m.group("then")))


def _required_ref(clause: str, subject_of: Callable[[str], str]) -> ConstraintClause | None:
    m = _REQUIRED_REF.search(clause)
    if not m or not (_noun(m.group("x")) and _noun(m.group("y"))):
        return None
    return ConstraintClause("required-reference", clause, lower_singular(m.group("x")), lower_singular(m.group("y")),
                            " ".join(m.group("q").lower().split()))


def _scoped_unique(clause: str, subject_of: Callable[[str], str]) -> ConstraintClause | None:
    m = _UNIQUE_PER.search(clause) or _NO_TWO_SAME.search(clause)
    if m and _noun(m.group("x")) and _noun(m.group("scope")):
        # "badge numbers are unique per site": the badge's number; "usernames are unique per tenant": the name itself
        attr = lower_singular(m.group("attr") or m.group("x"))
        thing = lower_singular(m.group("x")) if m.group("attr") else "row"
        return ConstraintClause("scoped-unique", clause, thing, attr, scope=lower_singular(m.group("scope")))
    m = _ONE_PER.search(clause)
    if m and _noun(m.group("x")) and _noun(m.group("scope")) and m.group("scope").lower() not in _PERIOD_WORDS:
        return ConstraintClause("scoped-unique", clause, lower_singular(m.group("x")), scope=lower_singular(m.group("scope")),
                                condition=(m.group("state") or "").lower())
    return None


_PERIOD_WORDS = frozenset("second minute hour day week month year night shift time person".split())


def _required_before(clause: str, subject_of: Callable[[str], str]) -> ConstraintClause | None:
    m = _REQUIRED_BEFORE.search(clause)
    if not m or re.match(rf"\s*(?:{_SPAN}|\d)", m.group("act"), re.I) or _CLOCK.match(m.group("act")):
        return None  # "must be booked 2 days before", "packed before noon": a cut-off, read by its own kind
    return ConstraintClause("required-before", clause, _subject(clause, subject_of), m.group("pre").lower(),
                            condition=_words(m.group("act")).rstrip(" ,"))


def _act_within(clause: str, subject_of: Callable[[str], str]) -> ConstraintClause | None:
    m = _ACT_WITHIN.search(clause)
    if not m or _PROPAGATE.search(m.group("act")) or m.group("act").lower() in {"able", "kept", "stored", "retained"}:
        return None
    return ConstraintClause("act-within", clause, _subject(clause, subject_of), m.group("act").lower(),
                            _words(m.group("bound")), condition=(m.group("after") or "").lower())


def _replaced(clause: str, subject_of: Callable[[str], str]) -> ConstraintClause | None:
    m = _REPLACE.search(clause)
    if not m:
        return None
    owned = _OWNED.search(m.group("obj"))
    if owned and _noun(owned.group("owner")) and all(_noun(w) for w in owned.group("thing").split()):
        # "that store's day": the slice is one store's day
        return ConstraintClause("replaced-slice", clause, lower_singular(owned.group("owner")),
                                _key(owned.group("thing")))
    last = m.group("obj").split()[-1]
    thing = lower_singular(last) if _noun(last) else ""
    return ConstraintClause("replaced-slice", clause, "", thing)  # "the earlier submission": no owner named


_READERS: tuple[Callable[[str, Callable[[str], str]], ConstraintClause | None], ...] = (
    _members, _at_a_time, _windowed, _min_gap, _read_only, _scoped_unique, _required_ref, _replaced, _blocked_until,
    _required_before, _deadline, _act_within)


def mechanism(c: ConstraintClause) -> str:
    """How the family keeps the rule, in the clause's own nouns: the data-model element (a
    constraint, a column, a counter row) and the write that checks it."""
    s = (c.subject or "owner").replace("_", " ")
    sid = s.replace(" ", "_")
    if c.family == "exclusive-at-a-time":
        what = c.counted or "assignment"
        return (f"one {what} per {s} at a time: where each {s}-{what} assignment has a time range, an exclusion constraint per {s} "
                f"(EXCLUDE USING gist ({sid}_id WITH =, tstzrange(starts_at, ends_at) WITH &&)) so no two overlap; where the "
                f"hold is open-ended, a unique partial index on ({sid}_id) WHERE active, taken by an atomic conditional "
                f"update of the {s} status (UPDATE ... SET status = 'busy' WHERE id = $1 AND status = 'available'); a "
                f"conflicting request fails with 409, no check-then-insert race")
    if c.family == "windowed-quota":
        unit = c.counted or "units"
        if _SHORT_WINDOW.match(c.scope):
            # a window of seconds to an hour is a rate: checked on every call, too often for a row lock
            return (f"rate limit per {s}: an atomic counter per ({s}, {c.scope} window) checked before the action (a "
                    f"conditional increment of a counter row WHERE used < limit at low rates; INCR with a TTL of the window "
                    f"in a shared cache, or a token bucket, at high rates); over {c.bound} per {c.scope} the call is "
                    f"refused with 429 and Retry-After")
        return (f"windowed quota per {s}: the total of {unit} in the {c.scope} window (at most {c.bound}) is checked in the "
                f"same transaction as the insert, under a row lock on the {s} (SELECT ... FOR UPDATE) or by a conditional "
                f"increment of a counter row per ({s}, window) WHERE used + $n <= limit; a rolling window sums the rows "
                f"in the last {c.scope} over an index on ({sid}_id, starts_at); over the limit the insert is rejected (409)")
    if c.family == "minimum-gap":
        return (f"minimum interval per {s}: a new {c.counted} is inserted only if the {s}'s previous {c.counted} ended at least "
                f"{c.bound} earlier (precondition check of the previous {c.counted} in the same transaction, under a row "
                f"lock on the {s} so two concurrent inserts cannot both pass); otherwise 409")
    if c.family == "blocked-until":
        return (f"precondition check that {c.condition} holds, in the conditional update of the {s} that performs the "
                f"gated action (UPDATE ... WHERE id = $1 AND <the condition>), so a request before then changes no row "
                f"and answers 409; state machine: until then the {s} sits in a state that blocks the action, and the "
                f"event that lifts the block is its own transition")
    if c.family == "relative-deadline":
        start = c.condition or "the start"
        return (f"deadline per {s}: an expiry timestamp due_at = {start} + {c.bound} stored on the {s} with an index, "
                f"checked on every access (past it the {s} reads as {c.counted}), and a scheduler (a scheduled job over "
                f"due rows) that performs the timeout action as a conditional update WHERE state is still pending AND "
                f"due_at <= now(), so it fires once and an action taken in time wins")
    if c.family == "read-restricted":
        return (f"authorization check on every read of the {s} rows: only {c.scope} callers (the role or membership read "
                f"from the caller's identity, or row-level security by the owning group) see them; others get 404")
    if c.family == "required-reference":
        if c.bound in {"at least one"}:
            return (f"at least one {c.counted} per {s}: the {s} and its first {c.counted} are written in one transaction, "
                    f"and removing the last {c.counted} is a conditional delete that keeps one (a deferred constraint "
                    f"trigger checks the count at commit), so no {s} is left without a {c.counted}")
        return (f"required reference: a NOT NULL foreign key {sid}.{c.counted.replace(' ', '_')}_id to the {c.counted} "
                f"(a check constraint where it is a value), so a {s} without its {c.counted} cannot be written (422)")
    if c.family == "scoped-unique":
        scope = c.scope.replace(" ", "_")
        if c.counted:
            table, rows = (f" in the {s} table", f"{s}s") if c.subject and c.subject != "row" else ("", "rows")
            return (f"unique constraint on ({scope}_id, {c.counted.replace(' ', '_')}){table}: two {rows} of one "
                    f"{c.scope} with the same {c.counted} fail on insert (409); a generated value retries on collision")
        where = f" WHERE status = '{c.condition}'" if c.condition else ""
        return (f"one {c.condition + ' ' if c.condition else ''}{s} per {c.scope}: a unique {'partial ' if where else ''}index "
                f"on ({scope}_id){where} in the {s} table, so a second one is a conditional insert that fails with 409 "
                f"(no check-then-insert race)")
    if c.family == "required-before":
        return (f"precondition check that the {s} is {c.counted} before {c.condition}: the later step is a conditional "
                f"update (or insert) whose WHERE clause requires the {s}'s {c.counted} state in the same transaction, so "
                f"it cannot run first (409); state machine: the {s} moves to {c.counted} only through its own transition")
    if c.family == "act-within":
        start = c.condition or "the request"
        return (f"due time per {s}: due_at = {start} + {c.bound} stored on the {s} with an index when it is created, a "
                f"scheduler (a scheduled job over due rows) that escalates or alerts on every {s} not yet {c.counted} by "
                f"its due_at, and the {c.counted} step recorded with its time, so the deadline is tracked and a breach "
                f"is acted on once")
    if c.family == "replaced-slice":
        thing = c.counted or "slice"
        slice_of = f"{s}'s {thing}" if c.subject else thing
        key = f"{sid}_id, {thing.replace(' ', '_')}" if c.subject else f"{thing.replace(' ', '_')}"
        return (f"replace, not add: the load of a {slice_of} is keyed by ({key}) with overwrite semantics: "
                f"delete-and-insert of that slice in one transaction (or a partition overwrite keyed by it), so a "
                f"re-sent or rerun load leaves exactly one copy, never the sum of two; a checksum of each received "
                f"load is recorded so an identical resend is skipped")
    if c.family == "required-members":
        parts = [f"precondition check of the {s}'s members before {c.condition}: the transition is a conditional update "
                 f"whose WHERE clause counts them ({c.bound}), so an incomplete {s} changes no row and answers 409"]
        if c.counted:
            parts.append(f"a unique partial index on ({sid}_id) WHERE role = '{c.counted}' keeps exactly one {c.counted} "
                         f"per {s}")
        return "; ".join(parts)
    return ""
