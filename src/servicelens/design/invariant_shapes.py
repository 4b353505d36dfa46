"""Invariants read from the grammatical shape of a sentence, not from a list of phrasings.

A key phrase ("sold twice") names an invariant only when the writer used those words.
Engineers state most rules in their own words, and many rules are implied by the shape
of what they describe: "a slot takes max 10 orders" is a capacity limit whatever a slot
is; "partners post accruals to us" means replays must not apply twice; "loans last 14
days" means something must expire them. Each shape here names the subject it found, so
the mechanism can say what it guards ("conditional increment of the slot counter").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from servicelens.design.act_forms import act_forms
from servicelens.design.clause_forms import clause_forms, form_clauses
from servicelens.design.consequences import reading as consequence_reading
from servicelens.design.constraint_clauses import (FAMILY_KIND, ONLY_UNREAD, mechanism as constraint_mechanism, performance_target,
                                                     read_clause, stated_constraint)
from servicelens.design.effect_shapes import effect_shapes
from servicelens.design.forms import Form, Words, read_forms
from servicelens.design.guarantee_shapes import guarantee_shapes
from servicelens.design.rule_mood import described_only
from servicelens.design.rule_structure import reports_only, rule_structures, time_bound
from servicelens.design.guard_shapes import guard_shapes
from servicelens.design.polarity_shapes import polarity_shapes
from servicelens.design.text import OWN_LINE, lower_singular as _singular, sentence_bounds, statement_bounds
from servicelens.model.design import Constraint, Invariant

_PERIODS = {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month",
            "months", "year", "years", "night", "time", "once"}
_NOT_NOUNS = {"it", "they", "we", "you", "he", "she", "this", "that", "which", "who", "one", "each", "every", "all",
              "there", "here", "what", "someone", "anyone", "nobody", "everyone", "us", "them", "and", "or", "but",
              "nothing", "none", "everything", "anything", "something",
              "also", "still", "some", "most", "many", "our", "their", "its", "to", "of", "the", "a", "an", "for", "in",
              "on", "at", "by", "with", "from", "into", "onto", "over", "under", "about", "after", "before", "via",
              "per", "as", "than", "through", "during", "without", "within", "between", "among", "against", "no",
              "not", "never", "any", "other", "new", "own", "same", "may", "can", "must", "will", "should", "would",
              "could", "might", "shall"}
# A retention period is a duty (a lock) only when the sentence says it is one.
_DUTY = re.compile(r"\b(?:must|required|require|requires|shall|legal|legally|law|laws|regulat\w*|complian\w*|statutory|audit\w*|"
                   r"obliged|mandatory|ha(?:ve|s)\s+to|needs?\s+to|tax)\b", re.I)
_LIMIT_WORDS = r"(?:max(?:imum)?(?:\s+of)?|at\s+most|up\s+to|no\s+more\s+than|not\s+more\s+than|a\s+limit\s+of|a\s+cap\s+of)"
_COUNT = r"(?P<n>\d[\d,.]*\s*[km]?|n|a\s+few)"

# "<holder> takes/holds/has max 10 <things>": a holder with a limit on what it takes.
_HOLDER_LIMIT = re.compile(
    rf"\b(?P<holder>[a-z][a-z\-]{{2,}})\s+(?:may\s+|can\s+|must\s+|will\s+|should\s+)?(?:takes|take|holds|hold|has|have|allows|allow|accepts|accept|fits|fit|seats|"
    rf"is\s+limited\s+to|are\s+limited\s+to)\s+{_LIMIT_WORDS}\s+{_COUNT}\s+"
    r"(?:(?:concurrent|simultaneous|active|open|parallel)\s+)?(?P<what>[a-z][a-z\-]{2,})", re.I)
# "N concurrent copies per title", "up to 3 active loans per member": a count per holder.
_COUNT_PER = re.compile(
    rf"(?:{_LIMIT_WORDS}\s+)?{_COUNT}\s+(?:concurrent|simultaneous|active|open|parallel)\s+(?P<what>[a-z][a-z\-]{{2,}})\s+"
    r"(?:per|for\s+each|for\s+every|on\s+each|of\s+each)\s+(?P<holder>[a-z][a-z\-]{2,})", re.I)
# "never more <loans> than <copies>": one count bounded by another.
_MORE_THAN = re.compile(
    r"\b(?:never|no|not|cannot|can't|must\s+not)\s+(?:\w+\s+)?more\s+(?:concurrent\s+|active\s+|open\s+)?(?P<what>[a-z][a-z\-]{2,})\s+than\s+"
    r"(?:the\s+)?(?:\w+\s+)?(?P<holder>[a-z][a-z\-]{2,})", re.I)
# "<loans> last 14 days", "<holds> expire after 10 minutes", "<links> expire automatically".
_EXPIRY = re.compile(
    r"\b(?P<what>[a-z][a-z\-]{2,})\s+(?:last|lasts|are\s+valid\s+for|is\s+valid\s+for|run\s+for|expire|expires|time\s+out|"
    r"times\s+out|lapse|lapses)\s+(?:after\s+|in\s+|for\s+)?(?P<d>\d[\d.,]*\s*-?\s*(?:second|minute|hour|day|week|month|year)s?|"
    r"automatically)", re.I)
# "Codes are 6 digits, valid for 5 minutes": a validity said after other facts of the thing.
_VALID_AFTER = re.compile(
    r"\b(?P<what>[a-z][a-z\-]{2,})\s+(?:are|is)\s+[^.;:]{1,40}?,\s*(?:and\s+)?(?:only\s+)?valid\s+for\s+(?:up\s+to\s+)?"
    r"(?P<d>\d[\d.,]*\s*-?\s*(?:second|minute|hour|day|week|month|year)s?)\b", re.I)
# "stored for 10 years", "kept for at least 7 years": a retention duty on stored records.
_RETAINED = re.compile(
    r"\b(?:stored|kept|retained|archived|preserved|keep|store|retain)\s+(?:\w+\s+){0,3}?for\s+(?:at\s+least\s+|a\s+minimum\s+of\s+)?"
    r"(?P<d>\d[\d.,]*\s*(?:year|month|week|day)s?)\b", re.I)
# "keep 6 years of records", "we store the last 13 months of readings": the period before what is kept
_RETAINED_SPAN = re.compile(
    r"\b(?:stored|kept|retained|archived|preserved|keeps?|stores?|retains?)\s+(?:at\s+least\s+|the\s+last\s+|a\s+minimum\s+of\s+)?"
    r"(?P<d>\d[\d.,]*\s*(?:year|month|week|day)s?)\s+of\b", re.I)
# What a retention keeps decides how it is locked: files under an object lock, rows by no hard deletes.
_FILES = re.compile(r"\b(?:files?|documents?|pdfs?|scan(?:s|ned)?|photos?|images?|recordings?|videos?|attachments?|uploads?|"
                    r"objects?|originals?|blobs?)\b", re.I)
# "older logs are dropped", "raw points are deleted after 30 days": a keeping period stated by
# what happens at its end; the period is the sentence's duration.
_DROPPED = re.compile(r"\b(?:older|earlier|expired)\s+(?:[a-z\-]+\s+){0,2}?(?:are|is|get|gets|will\s+be|must\s+be)\s+"
                      r"(?:automatically\s+)?(?:dropped|deleted|purged|removed|discarded|erased|destroyed)\b|"
                      r"\b(?:dropped|deleted|purged|removed|discarded|erased|destroyed)\s+(?:automatically\s+)?after\s+"
                      r"(?:\d[\d.,]*\s*-?\s*(?:day|week|month|year)s?)", re.I)
_DAYS = re.compile(r"\d[\d.,]*\s*-?\s*(?:day|week|month|year)s?\b", re.I)
# "| legal retention | 10 years |", "retention: 90 days": a keeping period in a table row or a label.
_RETENTION_ROW = re.compile(r"\bretention(?:\s+period)?\s*(?:[|:=]|\bis\b|\bof\b)\s*\|?\s*(?:at\s+least\s+|min(?:imum)?\s+)?"
                            r"(?P<d>\d[\d.,]*\s*(?:year|month|week|day)s?)\b", re.I)
# "<partners> post/push/send/upload <accruals> (to us / from their WMS / every ...)": records
# that an outside sender submits, and may resubmit.
_SENDER = re.compile(
    r"\b(?P<sender>[a-z][a-z\-]{2,}s)\s+(?:\(.{0,80}?\)\s+)?(?:post|push|send|upload|submit|report|drop|deliver|forward|sync)\s+"
    r"(?:their\s+|its\s+|our\s+|the\s+)?(?:\w+\s+)?(?P<what>[a-z][a-z\-]{2,}s)\b", re.I)
# "driver matching", "assign the ticket to an agent", "dispatches the nearest driver".
_ASSIGN = re.compile(
    r"\b(?:(?P<before>[a-z][a-z\-]{2,})\s+(?:matching|assignment|allocation|dispatch)|"
    r"(?:match|matches|assign|assigns|allocate|allocates|dispatch|dispatches)\s+(?:the\s+|a\s+|an\s+|each\s+)?(?:\w+\s+)?"
    r"(?P<after>[a-z][a-z\-]{2,})\s+to\s+(?:a|an|the|one)\s+(?P<target>[a-z][a-z\-]{2,}))", re.I)
_DURATION = r"\d[\d.,]*\s*-?\s*(?:second|minute|hour|day|week|month|year)s?"
# "<compartment> can hold one <parcel> at a time", "a player can be in only one match at a time":
# the holder takes at most one thing at once.
_ONE_AT_A_TIME = re.compile(
    r"\b(?P<holder>[a-z][a-z\-]{2,})\s+(?:can|may|must|should|will|is|are)?\s*(?:only\s+)?(?:\w+\s+){0,3}?(?:only\s+)?"
    r"(?:one|a\s+single)\s+(?P<what>[a-z][a-z\-]{2,})\s+at\s+(?:a|any|one)\s+time\b", re.I)
# "a car must never be booked by two members at once": two takers of one thing at the same time.
_NEVER_BY_TWO = re.compile(
    r"\b(?P<holder>[a-z][a-z\-]{2,})\s+(?:must|can|should|may|will)?\s*(?:never|not)\s+be\s+(?:\w+\s+){0,2}?\w+ed\s+"
    r"(?:by|to|for)\s+(?:two|2|several|multiple)\s+\w+\s+at\s+(?:once|the\s+same\s+time)\b", re.I)
# "<parcels> are returned to the depot after 72 hours": something must happen to a thing once
# a period has passed, whoever touches it.
_AFTER_PERIOD = re.compile(
    rf"\b(?P<what>[a-z][a-z\-]{{2,}})\s+(?:are|is|get|gets|will\s+be|must\s+be)\s+(?:automatically\s+)?[a-z]+ed\s+"
    rf"(?:[\w']+\s+){{0,4}}?after\s+(?P<d>{_DURATION})", re.I)
# "book it for up to 20 minutes", "hold a seat for 10 minutes": a hold with a time limit.
_HELD_FOR = re.compile(
    rf"\b(?:book|books|booked|hold|holds|held|reserve|reserves|reserved|claim|claims|lock|locks)\s+"
    rf"(?:it|them|(?:the|a|an|their)\s+(?P<what>[a-z][a-z\-]{{2,}}))\s+for\s+(?:up\s+to\s+|at\s+most\s+)?(?P<d>{_DURATION})", re.I)
# "a retired credit can never be transferred or retired again": a final state no transition leaves.
_NEVER_AGAIN = re.compile(
    r"\b(?P<what>[a-z][a-z\-]{2,})\s+(?:can|must|may|should|will)?\s*(?:never|not)\s+be\s+\w+ed\b[^.;]{0,40}?\bagain\b", re.I)
# "never pay an employee twice for the same period": one effect per natural key.
_NEVER_TWICE = re.compile(r"\b(?:never|not|must\s+not|cannot|can't)\s+(?:be\s+)?(?:\w+\s+){1,4}?twice\b", re.I)
# "frames must be processed in the order received for each satellite": order within a key.
# The key follows "for/per/within/from" (an article needs its space: "of arrival" is not "a
# rrival"); "in order of arrival per machine" is ordered per machine, by arrival.
# "in ping order per truck", "in commit order for each row": the order may be named by what sets it;
# "for one valve are applied in the order they were issued": the key may come before the order.
_ORDER_PER_KEY = re.compile(
    r"\bin\s+(?:the\s+)?(?:same\s+|(?!(?:any|no|random|alphabetical|reverse|working|particular)\b)[a-z][a-z\-]+\s+)?order\b"
    r"(?!\s+to\b)[^.;]{0,40}?\b(?:for|per|within|from)\s+(?:(?:each|every|a|an|the|one)\s+)?"
    r"(?P<key>[a-z][a-z\-]{2,})|"
    r"\b(?:for|per|of|on)\s+(?:each|every|a|an|the|one|any)\s+(?P<key_before>[a-z][a-z\-]{2,})\s+(?:are|is|must\s+be|should\s+be|get|gets)\s+"
    r"(?:\w+\s+){0,2}?(?:applied|processed|delivered|executed|handled|consumed|evaluated)\s+in\s+(?:the\s+)?(?:same\s+)?order\b(?!\s+to\b)",
    re.I)
# "a party of up to 5": a holder with a stated size limit.
_OF_UP_TO = re.compile(rf"\b(?P<holder>[a-z][a-z\-]{{2,}})\s+of\s+(?:up\s+to|at\s+most|max(?:imum)?|no\s+more\s+than)\s+{_COUNT}\b",
                       re.I)
# "must be traceable forever", "kept forever": nothing may be rewritten or removed.
_FOREVER = re.compile(r"\b(?P<what>[a-z][a-z\-]{2,})\s+(?:must|should|will|has\s+to|have\s+to)\s+be\s+(?:\w+\s+)?forever\b", re.I)
# "reports are confidential to the programme's company": rows visible to one owner only.
_CONFIDENTIAL = re.compile(r"\b(?:confidential|private|visible\s+only|only\s+visible|accessible\s+only)\s+to\s+"
                           r"(?:the|each|its|their)\s+(?:[\w']+\s+)?(?P<owner>[a-z][a-z\-]{2,})", re.I)
_TIES = re.compile(r"\bties?\b[^.;]{0,30}?\b(?:broken|break|resolved|decided)\s+by\b", re.I)
_TENANTS = re.compile(r"\b(?:saas|multi-?tenant|tenants?|customer\s+(?:companies|organisations|organizations|accounts))\b", re.I)
_RETRY_WINDOW = re.compile(
    r"\bretr(?:y|ies|ied)\b[^.;]{0,40}?\b(?:for|up\s+to|within)\s+(?:up\s+to\s+)?(?P<d>\d[\d.,]*\s*(?:h|hours?|d|days?|minutes?|min))\b",
    re.I)
_OUTSIDE_SENDERS_NOT = {"users", "customers", "people", "members", "employees", "staff", "clients", "visitors", "we",
                        "requests", "emails", "items", "things", "tickets", "campaigns", "notifications", "messages"}


@dataclass(frozen=True, slots=True)
class Shape:
    """One invariant found by its shape: the kind, the sentence, and what it is about."""

    kind: str
    phrase: str
    subject: str = ""  # the holder or the thing the rule guards ("slot", "loan")
    counted: str = ""  # what is counted against the holder ("orders")
    limit: str = ""  # the stated limit ("10", "N")
    duration: str = ""  # a stated period ("14 days", "10 years")
    source: str = ""  # the outside sender ("partners")
    mechanism: str = ""  # a mechanism written for this shape, used instead of the kind's template
    fallback: bool = False  # a prohibition no kind names: kept only where no other invariant reads its words
    form: bool = False  # read by a clause form: its mechanism belongs to its own sentence only


def find_shapes(text: str) -> tuple[Shape, ...]:
    """Every shape in the text, in order of the kinds above; one per kind and subject."""
    # the clause forms first: where another reader finds the same kind and subject, the form's
    # mechanism says more (the scope of a role, the date a read is withheld until)
    out: list[Shape] = [Shape(kind, phrase, subject, mechanism=mechanism, form=True)
                        for kind, phrase, subject, mechanism in clause_forms(text, lambda pos: _sentence(text, pos), _singular)]
    # the guarantees named with their own mechanism (atomic change, atomic publish, stale writes, secrets)
    out.extend(Shape(kind, phrase, subject, mechanism=mechanism)
               for kind, phrase, subject, mechanism in guarantee_shapes(text, lambda pos: _sentence(text, pos), _singular, _noun))
    out.extend(_shapes(text, LIMIT_FORMS))
    for m in sorted(list(_RETAINED.finditer(text)) + list(_RETAINED_SPAN.finditer(text)), key=lambda m: m.start()):
        # a duty (law, regulator, "must") locks the data for the period; a plain keeping
        # period ("we keep raw fixes for 13 months") deletes it on time
        sentence = _sentence(text, m.start())
        duty = _DUTY.search(sentence) and re.search(r"year|month", m.group("d"), re.I)
        duration = " ".join(m.group("d").split())
        out.append(Shape("retention-lock" if duty else "retention", sentence, duration=duration,
                         mechanism="" if not duty or _FILES.search(sentence) else _records_lock(duration)))
    for m in list(_DROPPED.finditer(text)) + list(_RETENTION_ROW.finditer(text)):
        sentence = _line_or_sentence(text, m.start())
        # the period may sit in the clause before ("over the last 14 days; older logs are dropped")
        near = [d for d in _DAYS.finditer(text, max(0, m.start() - 120), m.end() + 60)]
        period = m.groupdict().get("d") or next((d.group() for d in _DAYS.finditer(sentence)), "") or (
            min(near, key=lambda d: abs(d.start() - m.start())).group() if near else "")
        if period:
            duty = _DUTY.search(sentence) and re.search(r"year|month", period, re.I)
            out.append(Shape("retention-lock" if duty else "retention", sentence, duration=" ".join(period.split())))
    out.extend(_shapes(text, SENDER_FORMS))
    out.extend(_shapes(text, MORE_FORMS))
    out.extend(_rule_shapes(text))
    out.extend(Shape(kind, phrase, subject, counted, limit, duration, mechanism=mechanism)
               for kind, phrase, subject, counted, limit, duration, mechanism
               in guard_shapes(text, lambda pos: _sentence(text, pos), _singular, _noun))
    out.extend(Shape(kind, phrase, subject, mechanism=mechanism)
               for kind, phrase, subject, mechanism in effect_shapes(text, lambda pos: _sentence(text, pos), _singular, _noun))
    out.extend(Shape(kind, phrase, subject, mechanism=mechanism)
               for kind, phrase, subject, mechanism in polarity_shapes(text, lambda pos: _sentence(text, pos), _singular, _noun))
    m = _TIES.search(text)
    if m:
        out.append(Shape("tie-break", _sentence(text, m.start())))
    m = _TENANTS.search(text)
    if m:
        out.append(Shape("tenant-isolation", _sentence(text, m.start()), "tenant"))
    seen: set[tuple[str, str]] = set()
    unique = []
    for s in out:
        if (s.kind, s.subject) not in seen:
            seen.add((s.kind, s.subject))
            unique.append(s)
    return tuple(unique)


Fields = dict[str, str]  # a Shape's fields after its kind and phrase


def _shapes(text: str, forms: tuple[Form[Fields], ...]) -> list[Shape]:
    """The shapes a table of forms reads, each with its sentence."""
    words = Words(_singular, _noun, lambda pos: _sentence(text, pos))
    return [Shape(r.kind, _sentence(text, r.start), **r.value) for r in read_forms(text, forms, words)]


def _counted(m: re.Match[str], w: Words) -> Fields | None:
    if not (w.noun(m.group("holder")) and w.noun(m.group("what"))):
        return None
    return {"subject": w.singular(m.group("holder")), "counted": m.group("what").lower(), "limit": _limit(m.group("n"))}


def _more_than(m: re.Match[str], w: Words) -> Fields | None:
    if not (w.noun(m.group("what")) and w.noun(m.group("holder"))):
        return None
    return {"subject": w.singular(m.group("holder")), "counted": m.group("what").lower(), "limit": m.group("holder").lower()}


def _lasts(m: re.Match[str], w: Words) -> Fields | None:
    if not w.noun(m.group("what")):
        return None
    return {"subject": w.singular(m.group("what")), "duration": " ".join(m.group("d").split())}


def _sent_in(m: re.Match[str], w: Words) -> Fields | None:
    sender, what = m.group("sender").lower(), m.group("what").lower()
    if sender in _OUTSIDE_SENDERS_NOT or not w.noun(sender) or not w.noun(what) or what in _PERIODS:
        return None
    return {"subject": w.singular(what), "source": w.singular(sender)}


def _assigned(m: re.Match[str], w: Words) -> Fields | None:
    thing = m.group("before") or m.group("after")
    if not thing or not w.noun(thing) or thing.lower().endswith("ing"):
        return None
    return {"subject": w.singular(thing)}


def _one_at_a_time(m: re.Match[str], w: Words) -> Fields | None:
    if not (w.noun(m.group("holder")) and w.noun(m.group("what"))):
        return None
    return {"subject": w.singular(m.group("holder")), "counted": m.group("what").lower(), "limit": "1"}


def _of_holder(m: re.Match[str], w: Words) -> Fields | None:
    return {"subject": w.singular(m.group("holder"))} if w.noun(m.group("holder")) else None


def _of_what(m: re.Match[str], w: Words) -> Fields | None:
    return {"subject": w.singular(m.group("what"))} if w.noun(m.group("what")) else None


def _held_for(m: re.Match[str], w: Words) -> Fields | None:
    what = m.group("what") or subject_of(w.sentence(m.start()))
    return {"subject": w.singular(what) if what and w.noun(what) else "", "duration": " ".join(m.group("d").split())}


def _never_twice(m: re.Match[str], w: Words) -> Fields | None:
    return {"subject": subject_of(w.sentence(m.start()))}


def _per_key(m: re.Match[str], w: Words) -> Fields | None:
    key = m.group("key") or m.group("key_before")
    if not w.noun(key) or key.lower() in _PERIODS or key.lower() in _NOT_NOUNS:
        return None
    return {"subject": w.singular(key)}


def _of_up_to(m: re.Match[str], w: Words) -> Fields | None:
    if not w.noun(m.group("holder")):
        return None
    return {"subject": w.singular(m.group("holder")), "counted": "members", "limit": _limit(m.group("n"))}


def _owner(m: re.Match[str], w: Words) -> Fields | None:
    return {"subject": w.singular(m.group("owner"))} if w.noun(m.group("owner")) else None


# Read after the clause forms and before the retention readers, in this order.
LIMIT_FORMS: tuple[Form[Fields], ...] = (
    Form(_HOLDER_LIMIT, "capacity-limit", _counted),
    Form(_COUNT_PER, "capacity-limit", _counted),
    Form(_MORE_THAN, "capacity-limit", _more_than),
    Form(_EXPIRY, "expiry", _lasts),
)
# Read after the retention readers.
SENDER_FORMS: tuple[Form[Fields], ...] = (
    Form(_SENDER, "exactly-once-effect", _sent_in),
    Form(_ASSIGN, "no-double-sell", _assigned),
)
# The same rules said in other grammatical forms.
MORE_FORMS: tuple[Form[Fields], ...] = (
    Form(_ONE_AT_A_TIME, "no-double-sell", _one_at_a_time),
    Form(_NEVER_BY_TWO, "no-double-sell", _of_holder),
    Form(_AFTER_PERIOD, "expiry", _lasts),
    Form(_VALID_AFTER, "expiry", _lasts),
    Form(_HELD_FOR, "expiry", _held_for),
    Form(_NEVER_AGAIN, "state-machine", _of_what),
    Form(_NEVER_TWICE, "exactly-once-effect", _never_twice),
    Form(_ORDER_PER_KEY, "per-key-order", _per_key),
    Form(_OF_UP_TO, "capacity-limit", _of_up_to),
    Form(_FOREVER, "immutable", _of_what),
    Form(_CONFIDENTIAL, "tenant-isolation", _owner),
)


def _records_lock(duration: str) -> str:
    """A duty to keep rows (not files) for a period: nobody may delete or silently change them
    before it ends, which an object lock cannot say of a database."""
    return (f"kept for {duration} with no hard deletes: the application's role has no DELETE on the retained rows "
            f"(corrections are new rows or updates recorded in an append-only audit log of changes, written in the "
            f"same transaction: who, when, before and after), a scheduled purge job removes rows only after the "
            f"{duration} retention policy, and backups are retained as long with restores tested")


def _rule_shapes(text: str) -> list[Shape]:
    from servicelens.design.rule_shapes import rule_mechanism, rule_shapes
    out = []
    for kind, phrase, subject, counted, extra in rule_shapes(text, lambda pos: _sentence(text, pos), _singular):
        out.append(Shape(kind, phrase, subject, counted, mechanism=rule_mechanism(kind, subject, counted, extra, _singular)))
    return out


def retry_window(text: str) -> str:
    """The stated retry window ("retry on non-2xx for 24h" -> "24h"), or ''."""
    m = _RETRY_WINDOW.search(text)
    return " ".join(m.group("d").split()) if m else ""


def shaped_invariants(text: str, found: tuple[Invariant, ...], data: dict[str, Any]) -> tuple[Invariant, ...]:
    """The invariants the phrases found, each specialised to what its sentence is about,
    plus those only the shapes reveal (a kind the phrases already found is not repeated)."""
    specs = data.get("invariants", {})
    shapes = find_shapes(text)
    window = retry_window(text)
    out = [specialise(inv, _shape_for(inv, shapes), specs.get(inv.kind, {}), window) for inv in found]
    have = {inv.kind for inv in found}
    for shape in shapes:
        if (shape.kind in have and not (shape.mechanism and (shape.kind, shape.subject) not in have)) \
                or shape.kind not in specs:
            continue  # one per kind, except rules written for different subjects ("one referee per match")
        if shape.mechanism and any(shape.mechanism in inv.mechanism for inv in out):
            continue  # a phrase's invariant already took this shape's mechanism
        have.add((shape.kind, shape.subject))
        spec = specs[shape.kind]
        base = Invariant(shape.kind, shape.phrase, spec["mechanism"], spec.get("enforced_in", ""))
        out.append(specialise(base, shape, spec, window))
        have.add(shape.kind)
    out = _one_reading(out)
    formed = form_clauses(text)
    for shape in cue_shapes(text, specs):
        if _already_read(shape, out) or shape.fallback and any(shape.phrase in i.phrase or i.phrase in shape.phrase for i in out):
            continue
        if not shape.mechanism and any(shape.phrase in f or f in shape.phrase for f in formed):
            continue  # a clause form read this clause already, naming what it guards
        spec = specs[shape.kind]
        out.append(specialise(Invariant(shape.kind, shape.phrase, spec["mechanism"], spec.get("enforced_in", "")),
                              shape, spec, window))
    for shape in structure_shapes(text, specs):
        same = [i for i in out if i.phrase and i.phrase in shape.phrase]  # read from this clause, not from a sentence around it
        if any((shape.kind, i.kind) in _READINGS and not _generic(i, specs) for i in same):
            continue  # a reading written for this clause that the new one would displace stands ("redeemed at most once": a one-shot transition)
        if _already_read(shape, out):
            if not shape.mechanism:
                continue
            # a reading of the same words that says only its kind's template gives way to the
            # structure's, which names the object and scope
            generic = [i for i in out if i.kind == shape.kind and (i.phrase in shape.phrase or shape.phrase in i.phrase)
                       and _generic(i, specs)]
            if not generic:
                continue
            out = [i for i in out if i not in generic]
        spec = specs[shape.kind]
        out.append(specialise(Invariant(shape.kind, shape.phrase, spec["mechanism"], spec.get("enforced_in", "")),
                              shape, spec, window))
    out = _by_operator(text, out, specs)
    out = _one_reading([i for i in out if not described_only(i.phrase)])  # "orders are usually processed in order" is no rule
    return tuple(out + _implied(text, out, specs))


def _by_operator(text: str, found: list[Invariant], specs: dict[str, Any]) -> list[Invariant]:
    """The constraint clauses read by their operator (constraint_clauses): each names its family's
    mechanism in the clause's nouns. A generic reading of the same clause (a kind's template, the
    prohibition fallback) gives way to it; a reading written for the clause stays, and the
    operator's reading is added only when it is of another kind."""
    out = list(found)
    for clause in clauses(text):
        if performance_target(clause):
            continue  # each family's operator states the rule itself ("N hours later", "at most one")
        c = read_clause(clause, subject_of)
        kind = FAMILY_KIND.get(c.family, "") if c else ""
        if not c or kind not in specs:
            continue
        same = [inv for inv in out if inv.phrase and (inv.phrase in clause or clause in inv.phrase)]
        held = [inv for inv in same if inv.kind not in _OVERRIDES.get(c.family, set())]
        if any(inv.kind == kind and not _generic(inv, specs) for inv in same) or (c.family in ONLY_UNREAD and held):
            continue
        out = [inv for inv in out if not (inv.phrase in clause and inv.kind in _SUPERSEDES.get(c.family, set()) | {kind}
                                          and _generic(inv, specs))
               and not ((inv.phrase in clause or clause in inv.phrase) and inv.kind in _OVERRIDES.get(c.family, set()))]
        spec = specs[kind]
        general = "" if re.search(r"<[a-z\-_]+>", spec["mechanism"]) else f"; {spec['mechanism']}"
        out.append(Invariant(kind, clause, f"{constraint_mechanism(c)}{general}", spec.get("enforced_in", "")))
    return out


# The generic readings an operator's reading of the same clause replaces: its own kind's template,
# and the kinds a bare cue mistakes it for ("at most one flight at any moment" is no unique key;
# "read only by staff" is no read-only record).
_SUPERSEDES = {"exclusive-at-a-time": {"uniqueness", "capacity-limit"},
               "read-restricted": {"immutable"},
               "required-members": {"uniqueness", "capacity-limit"}}


# Readings an operator's reading of the same clause replaces even when they name the clause's
# nouns: a load that must replace the earlier one is no replay to drop (an idempotency key would
# keep the first copy and lose the corrections).
_OVERRIDES = {"replaced-slice": {"exactly-once-effect"},
              # a due act read by its operator names the item, its start and its period ("due time per claim")
              "act-within": {"sla-deadline"}}


def _generic(inv: Invariant, specs: dict[str, Any]) -> bool:
    """The invariant says only its kind's template (or the prohibition fallback), nothing the
    clause itself named."""
    spec = specs.get(inv.kind, {})
    if inv.mechanism == spec.get("mechanism") or "the rule is the WHERE clause of the conditional update" in inv.mechanism:
        return True
    head = str(spec.get("specific", "")).split("{", 1)[0]
    return bool(head) and inv.mechanism.startswith(head) and inv.mechanism.endswith(str(spec.get("mechanism")))


def unaddressed(text: str, invariants: tuple[Invariant, ...], constraints: tuple[Constraint, ...] = ()) -> tuple[str, ...]:
    """Clauses that state a rule no invariant or constraint stands for: listed as stated and not
    addressed, never dropped, so a reader sees what the design did not keep."""
    kept = [i.phrase for i in invariants] + [c.phrase for c in constraints]
    out = []
    for clause in clauses(text):
        if not stated_constraint(clause) or any(p and (p in clause or clause in p) for p in kept):
            continue
        if clause not in out:
            out.append(clause)
    return tuple(out)


def clauses(text: str) -> list[str]:
    """The text's clauses as the rule readers split it: sentences, list items, table rows,
    Given/When/Then steps and the parts of a sentence joined by ", and" / ";"."""
    lines = "\n".join(f"{line};" if OWN_LINE.match(line) else line for line in text.split("\n"))
    return [c for c in (" ".join(part.split()) for part in _CLAUSE_SPLIT.split(lines)) if c]


def _implied(text: str, found: list[Invariant], specs: dict[str, Any]) -> list[Invariant]:
    """The rules the acts imply (act_forms), where no stated rule of the same kind already
    guards the same thing: a stated rule is the writer's, an implied one fills the gap."""
    out: list[Invariant] = []
    for form in act_forms(text, lambda pos: _sentence(text, pos)):
        if form.kind not in specs:
            continue
        if any(inv.kind == form.kind and (form.subject in inv.phrase.lower() or form.subject in inv.mechanism.lower())
               for inv in found + out):
            continue
        out.append(Invariant(form.kind, form.phrase, f"implied by the act: {form.mechanism}",
                             specs[form.kind].get("enforced_in", "")))
    return out


def _already_read(shape: Shape, found: list[Invariant]) -> bool:
    """A clause's rule is new unless an invariant of its kind already stands for it: one read
    from the same words (the clause inside its sentence, or the sentence inside the clause) or
    about the same subject. Two rules of one kind on two things ("a slot holds at most 6",
    "nobody holds more than one appointment") are two invariants."""
    for inv in found:
        if inv.kind != shape.kind:
            continue
        if shape.phrase in inv.phrase or inv.phrase in shape.phrase:
            return True
        if shape.subject and shape.subject == subject_of(inv.phrase):
            return True
    return False


# Kinds that are two readings of one sentence; the first is the rule it states: "a room must
# never be booked twice for overlapping slots" is an exclusive hold, not a replayed effect.
_READINGS = (("no-double-sell", "exactly-once-effect"),
             # "clients never see a partially loaded run" is about versions, not about who may read;
             # "a newer status is never overwritten by an older one" orders writes, it freezes nothing
             ("atomic-publish", "restricted-read"), ("monotonic-update", "immutable"),
             # "bids stay hidden from bidders until the tender closes" withholds a read; no step waits on the event
             ("restricted-read", "precondition"))


def _one_reading(invariants: list[Invariant]) -> list[Invariant]:
    phrases = {(i.kind, i.phrase) for i in invariants}
    return [i for i in invariants if not any(i.kind == weaker and (stronger, i.phrase) in phrases
                                             for stronger, weaker in _READINGS)]


# Words that make a clause a rule rather than a description: an obligation, a prohibition,
# a bound or an exclusive "only".
_OBLIGATION = re.compile(
    r"\b(?:must|never|always|cannot|can't|can\s+not|may\s+not|shall|guarantee[sd]?|at\s+most|exactly|nobody|no\s+one|"
    # the softer modals and the imperatives of acceptance criteria state rules as well:
    # "should not be given to more than one", "will not be charged twice", "ensure that ..."
    r"should|will\s+not|ensures?|make\s+sure|not\s+permitted|prohibited|forbidden|under\s+no\s+circumstances|"
    r"at\s+all\s+times|(?:not|never)\s+(?:\w+\s+)?\w+(?:able|ible)|"
    r"not\s+allowed|required|has\s+to|have\s+to|needs?\s+to|(?:can|may)\s+only|only\s+(?:the|its|their|one|a|once)|"
    r"only\s+(?:[\w']+\s+){1,6}?(?:can|may|is\s+allowed|are\s+allowed)|"
    r"no\s+(?:two|more|(?:\w+\s+){1,2}(?:may|can|is|are|ever|gets?|will))|"
    # "payouts above 5,000 GBP need a second approval": a requirement on another person's act
    r"(?:needs?|requires?)\s+(?:a\s+second|another|two|2|a\s+separate|an\s+independent))\b"
    # words that state a rule on their own, without a modal: "each badge has a unique number",
    # "jobs run in the order they were queued", "applied exactly once", "entry closes 2 hours
    # before the start", "grades are final once published"
    r"|\bunique\b|\b(?:exactly|only)\s+once\b|\b(?:needs?|requires?)\s+at\s+least\b"
    r"|\bin\s+the\s+(?:same\s+)?order\s+(?:they|it|of|in|received|submitted|sent|placed|assigned|queued|given)\b"
    r"|\b\d[\d.]*\s*(?:min\w*|hours?|h|days?|weeks?)\s+(?:before|ahead|in\s+advance|prior)\b|\b(?:final|locked|frozen|sealed)\s+(?:once|after|when)\b"
    # a negated universal ("none is dropped", "nothing goes missing"), a guarantee that holds under
    # adversity ("even if the run crashes"), a keeping with no end ("kept forever"), and a user
    # story's restriction ("I see only my own bookings")
    r"|\b(?:none|nothing)\s+(?:of\s+(?:\w+\s+){1,3}?)?(?:is|are|may|can|gets?|goes|will|ever|must)\b|\beven\s+(?:if|when|though)\b"
    r"|\b(?:forever|for\s+ever|permanently|indefinitely)\b|\bonly\s+(?:my|their|his|her|its|our)\s+own\b"
    # "the readings is needed to be kept", "is to be counted exactly one time": an obligation in the passive
    r"|\b(?:is|are)\s+(?:needed|supposed|obliged|expected)\s+to\b|\b(?:is|are)\s+to\s+be\s+\w+ed\b"
    # emphasis that makes a terse bullet a hard rule: "- trucks: one job at a time, full stop"
    r"|,\s*period\s*[.!]*\s*$|\b(?:full\s+stop|no\s+exceptions?|without\s+(?:any\s+)?exceptions?|non-?negotiable|hard\s+(?:rule|requirement|constraint))\b"
    # a restriction by "only" on who or when: "visible only to", "paid only after", "only be paid after"
    r"|\bonly\s+(?:be\s+\w+\s+)?(?:to|by|after|when|if|once|within)\b"
    # "shown in the order the analyser produced them": an order stated by the act that made it
    r"|\bin\s+the\s+(?:same\s+)?order\s+(?:that\s+|in\s+which\s+)?(?:the\s+|a\s+|an\s+|its\s+|their\s+)?"
    r"(?!(?:is|are|was|were|has|have|will|must|can)\b)\w+\s+\w+ed\b",
    re.I)
# Clauses: sentences, list items, and the parts of a sentence joined by ", and" / ";".
_CLAUSE_SPLIT = re.compile(r"(?<![\d.])[.;!?](?![\d.])|(?<=\d)\.(?=\s+[A-Z])|\n\s*\n|\n\s*(?:[-*\u2022]|\d+[.)])\s|,\s+(?:and|but|while|so)\s+|"
                           # a table row and a Given/When/Then step end at their line
                           r"\n(?=\s*(?:\||(?-i:Given|When|Then|And|But|Scenario|Feature|Background)\b))|"
                           r",\s+(?=(?:no|nobody|never|each|every)\b)|"
                           # ", a booking needs at least 2 attendees": a new subject with its own verb
                           r",\s+(?=(?:a|an|the|any)\s+(?:\w+\s+){1,2}(?:must|may|can|cannot|can't|needs?|requires?|has|have|"
                           r"never|should|shall|will)\b)", re.I)


def structure_shapes(text: str, specs: dict[str, Any]) -> list[Shape]:
    """The rules read by their structure (rule_structure: polarity, act, object, scope), each
    with the mechanism its kind names for its object and scope: the reading of rules stated in
    words no phrase, cue or sentence shape above lists."""
    out = []
    for rule in rule_structures(text):
        if rule.kind not in specs:
            continue
        # the kind's template names the thing it guards: the ordering key for an order, the object otherwise
        subject = rule.scope if rule.kind == "per-key-order" else rule.object
        out.append(Shape(rule.kind, rule.clause, subject if subject and _noun(subject) else "", rule.counted, rule.limit,
                         duration=rule.duration, mechanism=rule.mechanism))
    return out


def cue_shapes(text: str, specs: dict[str, Any]) -> list[Shape]:
    """An invariant for each clause that states a rule, its kind read from the rule's shape
    by the kinds' `cues` (data/characteristics.yaml), first by `cue_rank`: the fallback for
    rules written in words no phrase or sentence shape lists. The subject is the noun before
    the rule's verb, so the mechanism names what it guards."""
    ranked = sorted((spec["cue_rank"], kind, tuple(re.compile(c, re.I) for c in spec.get("cues") or ()),
                     tuple(re.compile(c, re.I) for c in spec.get("cues_alone") or ()))
                    for kind, spec in specs.items() if spec.get("cues") or spec.get("cues_alone"))
    out: list[Shape] = []
    parts = clauses(text)
    for n, clause in enumerate(parts):
        # a rule stated by what breaking it costs is read as the prohibition it means ("if two
        # dispatchers grab the same truck we lose the contract": never two dispatchers grab the same truck)
        said = consequence_reading(clause, parts[n + 1] if n + 1 < len(parts) else "")
        if said:
            kind = next((k for _, k, cues, alone in ranked if any(c.search(said) for c in cues + alone)), "")
            kind = _rerouted(kind, said)
            if kind:
                subject = _kept(kind, subject_of(said) or subject_of(clause))
                out.append(Shape(kind, clause, subject, mechanism=_cue_mechanism(kind, subject, _unique_what(said), "", said)))
            continue
        if reports_only(clause):
            continue  # "we never had more than 2 outages" reports; it rules nothing
        # `cues_alone` state a rule without a modal ("held in escrow until the event has happened")
        emphasised = n + 1 < len(parts) and bool(_EMPHASIS.match(parts[n + 1]))
        if _OBLIGATION.search(clause) or emphasised:
            kind = next((k for _, k, cues, alone in ranked if any(c.search(clause) for c in cues + alone)), "")
        else:
            kind = next((k for _, k, _cues, alone in ranked if any(c.search(clause) for c in alone)), "")
        kind = _rerouted(kind, clause)
        if kind == "capacity-limit" and time_bound(clause):
            kind = ""  # "latency must never be more than 200 ms" is a target the capacity plan sizes, no counter
        if kind == "cutoff" and _MESSAGE.search(clause) and not _REFUSAL.search(clause):
            kind = ""  # "a text message 2 hours before the session" is a reminder, not a deadline
        if kind == "cutoff" and _WITHIN_BEFORE.search(clause):
            kind = ""  # "80% of its visits in the 3 weeks before the wedding" is a period, not a deadline
        act = _RULE_VERB.search(clause)
        if not kind and _PROHIBITION.search(clause) and _OBLIGATION.search(clause) and not _NOT_A_RULE.search(clause) \
                and act and act.group("verb").lower() not in _NOT_ACTS and subject_of(clause) and "precondition" in specs:
            # a prohibition no kind's cue names ("a bag must never be loaded onto a flight other than
            # the one on its tag") is still a rule on a state change: checked where the change happens
            subject = subject_of(clause)
            out.append(Shape("precondition", clause, subject, mechanism=_rule_check(subject, clause), fallback=True))
            continue
        if kind:
            period = re.search(_DURATION, clause, re.I)
            if not period and kind == "propagation-deadline":
                period = _ONE_UNIT.search(clause)  # "searchable within a minute": a lag of one unit
            duration = " ".join(period.group().split()) if period else ""
            subject = _kept(kind, subject_of(clause))
            out.append(Shape(kind, clause, subject, duration=duration,
                             mechanism=_cue_mechanism(kind, subject, _unique_what(clause), duration, clause)))
    return out


# A clause of emphasis alone makes the one before it a hard rule: "first response within 4 hours, no exceptions"
_EMPHASIS = re.compile(r"\s*(?:no\s+exceptions?|without\s+(?:any\s+)?exceptions?|full\s+stop|period|non-?negotiable|"
                       r"(?:this|that|it)\s+is\s+(?:a\s+)?(?:hard|strict)\s+(?:rule|requirement))\s*[.!]*\s*$", re.I)


def _rerouted(kind: str, clause: str) -> str:
    """The kind a clause's meaning names where a broader cue of another kind matched first:
    "two copies of the same receipt" repeats an effect, it holds nothing; "two staff with the same
    badge number" makes an identifier unique, it holds no resource; "nobody can see who changed a
    dose" is about the record of the change, not a frozen record."""
    if kind == "no-double-sell" and _REPEATED_EFFECT.search(clause):
        return "exactly-once-effect"
    if kind == "no-double-sell" and _SAME_IDENTIFIER.search(clause):
        return "uniqueness"
    if kind == "immutable" and _WHO_CHANGED.search(clause):
        return "audit"
    if kind == "cutoff" and _KEPT_FOR.search(clause):
        # "kept for 7 years after the contract closes" is a keeping period, no deadline on an act
        return "retention-lock" if _DUTY.search(clause) else "retention"
    if kind == "retention" and _AFTER_EVENT.search(clause) and _DUTY.search(clause) and not _UPPER_BOUND.search(clause):
        return "retention-lock"  # "must be retained for 7 years after the contract ends" is a duty to keep
    return kind


_UPPER_BOUND = re.compile(r"\b(?:longer|more)\s+than\b|\bno\s+longer\b", re.I)


_KEPT_FOR = re.compile(r"\b(?:kept|stored|retained|archived|keeps?|stores?|retains?)\b[^.;]{0,40}\b(?:years?|months?|weeks?|days?)\b", re.I)


# "the same badge number", "share an e-mail address": one identifier for two things
_IDENTIFIERS = (r"(?:numbers?|ids?|codes?|names?|usernames?|e-?mails?|e-?mail\s+address(?:es)?|address(?:es)?|skus?|keys?|"
                r"references?|plates?|handles?|slugs?|serials?|tokens?|barcodes?|isbns?|ibans?|phone\s+numbers?|logins?)")
_SAME_IDENTIFIER = re.compile(rf"\b(?:same|share|shares|sharing|identical|duplicate)\s+(?:an?\s+|the\s+|one\s+)?(?:[a-z\-]+\s+)?"
                              rf"{_IDENTIFIERS}\b", re.I)
_WHO_CHANGED = re.compile(r"\bwho\s+(?:\w+\s+)?(?:changed|made|edited|modified|did|touched|approved|deleted|signed|updated)\b", re.I)


_ONE_UNIT = re.compile(r"\b(?:an?|one)\s+(?:second|minute|hour|day|week)\b", re.I)
_REPETITIONS = frozenset("rerun re-run retry replay resend re-send redelivery re-delivery restart".split())


def _kept(kind: str, subject: str) -> str:
    """The subject a kind's mechanism names: "reruns are safe" repeats an act, and the rerun is
    not the thing applied once."""
    return "" if kind == "exactly-once-effect" and subject in _REPETITIONS else subject


# A rule forbids or restricts; a clause with only a positive modal ("should be fast") states a wish.
_PROHIBITION = re.compile(r"\b(?:never|not|no|cannot|can't|only|exactly|at\s+most|nobody|no\s+one|none|nothing|forbidden|"
                          r"prohibited|other\s+than|except)\b", re.I)
# Load, speed and availability targets are sized by the capacity plan, not enforced as a rule on data.
# a stretch of time before an event that things happen in, not a time after which an act is refused
_WITHIN_BEFORE = re.compile(r"\b(?:in|during|over|across)\s+the\s+(?:last\s+|final\s+|first\s+)?\d[\d.]*\s*\w+\s+before\b", re.I)
_NOT_A_RULE = re.compile(r"\b(?:latency|p\d\d|ms|milliseconds?|uptime|availability|downtime|throughput|per\s+(?:second|minute)|"
                         r"rps|qps|traffic|load|scale|slow(?:er)?|fast(?:er)?|quickly|responsive|performance|bottleneck)\b", re.I)
_RULE_VERB = re.compile(r"\b(?:must|should|may|can|cannot|can't|will|shall)\s+(?:never\s+|not\s+|only\s+)?(?:be\s+|ever\s+)?"
                        r"(?P<verb>[a-z]{3,}(?:ed|en)|[a-z]{3,})\b", re.I)


# Verbs of being or running: "must happen in-process", "should work offline" describe the
# system, not a change of a record that a rule could guard.
_NOT_ACTS = frozenset("happen work run respond scale load stay remain exist live support handle behave perform feel look "
                      "take need have be".split())


def _rule_check(subject: str, clause: str) -> str:
    """The mechanism of a prohibition with no kind of its own: the state change it restricts
    checks it in the same conditional update, so a concurrent request cannot slip past it."""
    verb = _RULE_VERB.search(clause)
    done = verb.group("verb").lower() if verb else ""
    act = f"when it is {done}" if done.endswith(("ed", "en")) else "in every change of it"
    return (f"precondition check of the {subject} {act}: the rule is the WHERE clause of the conditional update "
            f"that performs it (or a check constraint where it is a column), in the same transaction, so a request "
            f"that would break it changes no row and answers 409/422; server-side validation against the records it "
            f"depends on inside that transaction, and a database trigger that rejects the insert or update where "
            f"other writers exist")


# "at least 12 weeks between two donations": the least time between two events of one owner
_MIN_GAP = re.compile(r"\bat\s+least\s+(?P<d>\d[\d.,]*\s*(?:min\w*|hours?|days?|weeks?|months?|years?))\s+(?:between|since|after|apart)"
                      r"\s+(?:two\s+|2\s+|consecutive\s+|successive\s+|each\s+|the\s+last\s+|their\s+last\s+|a\s+)?"
                      r"(?P<what>[a-z][a-z\-]{2,})", re.I)
_REPEATED_EFFECT = re.compile(r"\b(?:copies|prints|printouts|charges|payments|payouts|refunds|e-?mails|messages|"
                              r"deliveries|notifications)\s+(?:of|for)\s+(?:the\s+same|one|a\s+single)\b", re.I)
_MESSAGE = re.compile(r"\b(?:remind\w*|texts?|sms|e-?mails?|messages?|notif\w*|push|pings?|alerts?)\b", re.I)
_REFUSAL = re.compile(r"\b(?:clos\w*|refus\w*|reject\w*|cannot|can't|not|no\s+longer|only|locked|deadline|cut-?off|"
                      r"refund\w*|returned|free|allowed)\b", re.I)
# "paid for a given week at most once", "one refund per order": the key an effect is unique under
_EFFECT_KEY = re.compile(r"\b(?:per|for\s+(?:a|an|each|every|the\s+same|a\s+given|any)|of\s+(?:the\s+same|one))\s+"
                         r"(?:given\s+)?(?P<key>[a-z][a-z\-]{2,})", re.I)
# "a prescription can be dispensed at most once": a one-shot transition of the thing itself
_ONE_SHOT = re.compile(r"\b(?P<what>[a-z][a-z\-]{2,})\s+(?:can|may|must|should|will|is|are)?\s*(?:only\s+)?(?:be\s+)?"
                       r"(?P<verb>[a-z]+ed)\s+(?:at\s+most|only|exactly)\s+once\b", re.I)
# "only the last submission before the deadline is marked": the newest of several counts
_LATEST = re.compile(r"\bonly\s+the\s+(?:last|latest|most\s+recent|newest|final)\s+(?P<what>[a-z][a-z\-]{2,})", re.I)
_OWNER = re.compile(r"\b(?:each|every|per|by\s+(?:a|the|each))\s+(?P<key>[a-z][a-z\-]{2,})", re.I)
_OVERLAP_KEY = re.compile(r"\b(?:for|of|in|on)\s+(?:one|the\s+same|a|each|any)\s+(?P<key>[a-z][a-z\-]{2,})", re.I)
_LABEL = re.compile(r"\s*(?:[-*\u2022]\s*)?(?P<label>[A-Za-z][a-z\-]{2,})\s*:")
# "two matches with kick-offs less than 3 hours apart", "within 2 hours of each other": too close in time
_APART = re.compile(r"\b(?:less\s+than|under|within|closer\s+than)\s+(?P<d>\d[\d.,]*\s*(?:min\w*|hours?|h|days?|weeks?))\s+"
                    r"(?:apart|of\s+each\s+other|of\s+one\s+another|between)\b", re.I)
_MINIMUM = re.compile(r"\bat\s+least\s+(?P<n>\d[\d,.]*)\s+(?P<what>[a-z][a-z\-]{2,})", re.I)


def _cue_mechanism(kind: str, subject: str, what: str, duration: str, clause: str = "") -> str:
    """A mechanism written for what the clause names, where the kind's template cannot say
    it: the unique attribute, the cut-off period of a deadline, the key two time ranges may
    not overlap under, or a minimum count."""
    thing = subject.replace("_", " ") or "row"
    gap = _APART.search(clause) if kind == "no-double-sell" else None
    if gap:
        key = _OVERLAP_KEY.search(clause)
        label = _LABEL.match(clause)  # "Drivers: never two trips within 30 minutes of each other"
        owner = _singular(key.group("key")) if key and _noun(key.group("key")) else thing if thing != "row" else \
            _singular(label.group("label")) if label and _noun(label.group("label")) else "resource"
        period = " ".join(gap.group("d").split())
        return (f"no two within {period} per {owner}: the new assignment is checked inside its transaction under a per-{owner} "
                f"row lock (SELECT ... FOR UPDATE) for another one less than {period} away, or a PostgreSQL exclusion "
                f"constraint on a per-{owner} time range padded by {period} (EXCLUDE USING gist ({owner}_id WITH =, "
                f"tstzrange(starts_at - interval '{period}', starts_at + interval '{period}') WITH &&)); otherwise 409")
    if kind == "no-double-sell" and re.search(r"\boverlap|\bclash", clause, re.I):
        key = _OVERLAP_KEY.search(clause)
        owner = _singular(key.group("key")) if key and _noun(key.group("key")) else "resource"
        return (f"exclusion constraint per {owner}: EXCLUDE USING gist ({owner}_id WITH =, tstzrange(starts_at, ends_at) "
                f"WITH &&) so two overlapping {thing}s for the same {owner} fail on insert (409); no check-then-insert race")
    minimum = _MINIMUM.search(clause) if kind == "capacity-limit" else None
    if minimum:
        return (f"minimum checked server-side in the same transaction as the {thing} is created or confirmed "
                f"(count of {minimum.group('what')} >= {minimum.group('n')}, a check constraint where the count is a column); "
                f"below it the request is rejected with 422")
    latest = _LATEST.search(clause) if kind == "uniqueness" else None
    if latest:
        owner = _OWNER.search(clause)
        per = _singular(owner.group("key")) if owner and _noun(owner.group("key")) else "owner"
        item = _singular(latest.group("what"))
        return (f"one current {item} per {per}: a new {item} clears the previous one's current flag in the same "
                f"transaction, with a unique partial index on ({per}_id) WHERE current, so only the latest counts")
    if kind == "uniqueness" and what:
        return (f"unique constraint on the {what} of each {thing} (unique index): a second {thing} with the same "
                f"{what} fails on insert with 409; a generated value retries on collision")
    key = _EFFECT_KEY.search(clause) if kind == "exactly-once-effect" else None
    # a period is a key here: "paid for a given week at most once" is one payout per (seller, week)
    if key and key.group("key").lower() not in _NOT_NOUNS and _singular(key.group("key")) != thing and subject:
        per = _singular(key.group("key"))
        return (f"idempotency key per ({thing}, {per}): a unique constraint on ({thing}_id, {per}) claimed with an idempotent "
                f"insert (on conflict do nothing) before the side effect, so a retry, a rerun after a crash or a replay "
                f"applies it at most once per {thing} and {per}")
    once = _ONE_SHOT.search(clause) if kind == "exactly-once-effect" and not key else None
    if once and _noun(once.group("what")):
        item, done = _singular(once.group("what")), once.group("verb").lower()
        return (f"atomic conditional update of the {item} status (UPDATE ... SET status = '{done}' WHERE id = $1 AND "
                f"status <> '{done}'): a second attempt changes no row and answers 409; a retried request with the same "
                f"idempotency key returns the first result")
    gap = _MIN_GAP.search(clause) if kind == "precondition" else None
    if gap:
        event = _singular(gap.group("what"))
        owner = thing if thing != event else "owner"
        return (f"minimum interval per {owner}: the new {event} is inserted only if the {owner}'s last {event} is at least "
                f"{' '.join(gap.group('d').split())} earlier (a check of the last {event} date in the same transaction, "
                f"under a row lock on the {owner} so two concurrent inserts cannot both pass); otherwise 409")
    if kind == "cutoff" and duration:
        return (f"deadline check in the conditional update of the {thing} (UPDATE ... WHERE id = $1 AND now() <= "
                f"starts_at - interval '{duration}'): after the cut-off no row changes and the call answers 409")
    return ""


# "a unique serial number", "a unique authorisation id": the words up to an identifier's head
# noun; else the one word after "unique".
_UNIQUE_HEAD = re.compile(r"\bunique\s+(?P<what>(?:[a-z][a-z\-]+\s+){0,2}?(?:id|ids|number|numbers|code|codes|name|names|"
                          r"key|keys|handle|handles|email|emails|address|addresses|slug|slugs|reference|references|token|tokens))\b",
                          re.I)
_UNIQUE_WORD = re.compile(r"\bunique\s+(?P<what>[a-z][a-z\-]+)", re.I)


def _unique_what(clause: str) -> str:
    """What a uniqueness clause makes unique ("a unique serial number" -> "serial number"), or ''."""
    m = _UNIQUE_HEAD.search(clause) or _UNIQUE_WORD.search(clause)
    return " ".join(m.group("what").lower().split()) if m and _noun(m.group("what").split()[0]) else ""


def specialise(inv: Invariant, shape: Shape | None, spec: dict[str, Any], window: str = "") -> Invariant:
    """The kind's `specific` mechanism with the subject, limit and period filled in, ahead
    of the general mechanism: a reviewer reads what is guarded and how."""
    return _from_event(_specialise(inv, shape, spec, window))


# "kept until six years after the student graduates", "7 years from the end of the contract": a keeping
# period that starts at an event of the record, not at its creation
_AFTER_EVENT = re.compile(r"\b(?P<d>(?:\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty)\s*"
                          r"(?:years?|months?|weeks?|days?))\s+(?:after|from|since|following)\s+(?P<event>(?:the\s+|their\s+|its\s+|his\s+|her\s+|a\s+)?"
                          r"[a-z][a-z'\- ]{2,40}?)(?=\s*(?:[,.;:)]|then|and|$))", re.I)


def _from_event(inv: Invariant) -> Invariant:
    """A keeping period counted from an event names the stored retention date it needs."""
    m = _AFTER_EVENT.search(inv.phrase) if inv.kind in ("retention", "retention-lock") else None
    if not m:
        return inv
    period, event = " ".join(m.group("d").split()), " ".join(m.group("event").split())
    return replace(inv, mechanism=(f"retention date stored per record: set to {period} after {event} once that date is known "
                                   f"(extended, never shortened, while it is not); a scheduled purge job deletes each record "
                                   f"after its retention date and the object-storage lifecycle rule is driven by the stored "
                                   f"retention date; {inv.mechanism}"))


def _specialise(inv: Invariant, shape: Shape | None, spec: dict[str, Any], window: str = "") -> Invariant:
    if shape and shape.mechanism:
        # a general mechanism with <placeholders> is a template for writers, never shown
        general = "" if re.search(r"<[a-z\-_]+>", inv.mechanism) else f"; {inv.mechanism}"
        return _with_window(replace(inv, mechanism=f"{shape.mechanism}{general}"), window)
    if inv.kind == "residency" and (place := _place(inv.phrase)):
        return replace(inv, mechanism=_residency(place) + f"; {inv.mechanism}")
    template = spec.get("specific", "")
    subject = (shape.subject if shape else "") or _kept(inv.kind, subject_of(inv.phrase))
    if inv.kind == "no-double-sell" and not (shape and shape.mechanism) and _APART.search(inv.phrase):
        return _with_window(replace(inv, mechanism=f"{_cue_mechanism(inv.kind, subject, '', '', inv.phrase)}; {inv.mechanism}"),
                            window)
    if inv.kind == "exactly-once-effect" and not (shape and shape.mechanism):
        keyed = _cue_mechanism(inv.kind, subject, "", "", inv.phrase)
        if keyed:
            return _with_window(replace(inv, mechanism=f"{keyed}; {inv.mechanism}"), window)
    if not template or ("{subject}" in template and not subject):
        return _with_window(inv, window)
    counted = (shape.counted if shape else "") or "rows"
    limit = (shape.limit if shape else "") or ""
    filled = template.format(subject=subject.replace("_", " "), counted=counted, limit=limit or "the limit",
                             limit_clause=f": at most {limit} {counted} per {subject}" if limit else "",
                             duration=(shape.duration if shape else "") or "the stated period",
                             source=(shape.source if shape else "") or "the sender")
    return _with_window(replace(inv, mechanism=f"{filled}; {inv.mechanism}"), window)


# "stays in the EU", "stored only in UK data centres", "never leaves Canada": the place named
_PLACE = re.compile(r"\b(?:in|inside|within|leaves?|leaving)\s+(?:the\s+)?(?P<p>[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?)")


def _place(phrase: str) -> str:
    m = _PLACE.search(phrase)
    return m.group("p") if m else ""


def _residency(place: str) -> str:
    """A residency rule names its place: everything that holds or processes the data stays there."""
    return (f"single-region deployment in {place}: the database, its backups and disaster-recovery copies, object storage, "
            f"logs, queues and managed services only in {place}; no replica, backup copy or support access in any other region")


def _with_window(inv: Invariant, window: str) -> Invariant:
    if inv.kind != "at-least-once" or not window:
        return inv
    return replace(inv, mechanism=f"a persisted attempt schedule (next_attempt_at per delivery) with exponential backoff "
                                  f"until the {window} retry deadline, then dead-lettered; {inv.mechanism}")


def _shape_for(inv: Invariant, shapes: tuple[Shape, ...]) -> Shape | None:
    """The shape read from the invariant's own sentence, else the first of its kind that is not
    a clause form (a form's mechanism names its own sentence's nouns, which may be other things)."""
    return next((s for s in shapes if s.kind == inv.kind and (s.phrase in inv.phrase or inv.phrase in s.phrase)), None) \
        or next((s for s in shapes if s.kind == inv.kind and not s.form), None)


# a determiner is a word of its own: "anyone can" is no "an" before "yone"
_SUBJECT = re.compile(r"\b(?:(?:an?|the|each|every|one|any)\s+)?(?:[a-z]+'s\s+)?([a-z][a-z\-]{2,})\s+"
                      r"(is|are|must|can't|cannot|can|should|may|never|will|get|gets|goes|go|takes|has|have|needs|need|requires|require)\b", re.I)


def subject_of(phrase: str) -> str:
    """The noun right before the rule's verb ("A member's balance must never ..." -> balance);
    a noun before a modal ("must", "cannot", "never") wins over one before "is"."""
    found = [(m.group(2).lower() in _WEAK_VERBS, m.start(), m.group(1).lower()) for m in _SUBJECT.finditer(phrase)
             if _noun(m.group(1))]
    return _singular(min(found)[2]) if found else ""


_WEAK_VERBS = {"is", "are", "get", "gets", "goes", "go", "takes", "can", "has", "have"}


def _noun(word: str) -> bool:
    w = word.lower()
    return w not in _NOT_NOUNS and w not in _PERIODS and not w.endswith("ly") and len(w) >= 3



def _limit(raw: str) -> str:
    return " ".join(raw.split()).upper() if raw.strip().lower() == "n" else " ".join(raw.split())


def _sentence(text: str, pos: int) -> str:
    a, b = statement_bounds(text, pos)
    return " ".join(text[a:b].split())


def _line_or_sentence(text: str, pos: int) -> str:
    """The sentence, cut to its line when it spans lines (a table row is its own statement)."""
    a, b = sentence_bounds(text, pos)
    start = max(a, text.rfind("\n", 0, pos) + 1)
    end = text.find("\n", pos)
    if "|" in text[start:end if end >= 0 else len(text)]:
        return " ".join(text[start:end if end >= 0 else len(text)].split())
    return " ".join(text[a:b].split())
