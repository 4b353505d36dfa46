"""Rules stated in grammatical forms the other shape readers do not parse, each with the
mechanism that keeps it, named in the text's own nouns.

- one holder at a time  "every cask has exactly one owner at any time": the holder is a
                        column of the thing, changed only by a conditional update;
- consent-gated act     "a transfer only happens if the current owner signs it": the act is
                        applied by a conditional update whose WHERE clause names the consenting
                        party as the caller;
- scoped authority      "only the harbour master of a marina can change its berth plan": a role
                        held for a scope (the marina), checked on every write of what it owns;
- age limit             "forms older than 90 days cannot be validated": the age is in the
                        conditional update's WHERE clause;
- named deadline        "after it submissions are locked": the deadline in the write's WHERE clause;
- act-or-lapse          "confirmed within 30 minutes or the booking goes back to the pool",
                        "if nobody acknowledges within 5 minutes, the page escalates": a due time
                        on the row and a job that acts on what is overdue;
- late forfeits        "more than 30 minutes late loses its slot": a due time and a release job;
- expected repeats      "gate events can arrive twice": an idempotent insert on the event's key;
- comparative refusal   "a boat longer than the berth's length must be refused": a comparison of
                        two rows checked where the assignment is written;
- bounded sum           "contributions must never exceed the gift's price": the running total
                        on the holder's row, raised by a conditional update;
- last unit             "no two guests may reserve the last unit of the same gift": two takers
                        of one thing, kept apart by a conditional decrement of what remains;
- withheld until        "the couple never sees who contributed before the wedding day": a read
                        filter by role and date.

Each form yields (kind, sentence, subject, mechanism), like `effect_shapes`.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from servicelens.design.forms import Form, Words, read_forms

_W = r"[a-z][a-z\-]{2,}"
_UNIT = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)"
_ONE_HOLDER = re.compile(
    rf"\b(?:every|each|a|an|the)\s+(?:[a-z\-]+\s+)?(?P<x>{_W})\s+(?:has|have|must\s+have|can\s+(?:only\s+)?have|may\s+(?:only\s+)?have|"
    rf"is\s+held\s+by|belongs\s+to)\s+(?:exactly|only|just)?\s*(?:one|a\s+single)\s+(?:[a-z\-]+\s+)?(?P<y>{_W})\s+"
    r"(?:at\s+(?:any|a|one|all)\s+(?:times?|moment)|at\s+once)\b", re.I)
_CONSENT = re.compile(
    rf"\b(?:an?\s+|the\s+|every\s+|each\s+)?(?P<x>{_W})\s+(?:only\s+)?(?:happens|proceeds|goes\s+through|completes|takes\s+effect|"
    r"is\s+(?:valid|accepted|completed|done|executed|recorded|applied))\s+(?:only\s+)?(?:if|when|once|after)\s+(?:the\s+)?"
    rf"(?:[a-z\-]+\s+)?(?P<y>{_W})\s+(?P<v>signs|approves|confirms|accepts|agrees|authori[sz]es|"
    r"consents|countersigns)\b", re.I)
_SCOPED = re.compile(
    rf"\bonly\s+(?:the|a|an)\s+(?P<role>(?:{_W}\s+){{0,2}}?{_W})\s+(?P<rel>of|for|at|in|from|assigned\s+to|certified\s+for|"
    r"responsible\s+for|in\s+charge\s+of|qualified\s+for|registered\s+(?:for|with|at))\s+(?:the\s+|a\s+|an\s+|that\s+|this\s+|"
    rf"its\s+|their\s+)?(?P<scope>(?:{_W}\s+)?{_W})\s+(?:can|may|is\s+allowed\s+to|are\s+allowed\s+to|gets\s+to)\s+"
    rf"(?P<verb>{_W})\s+(?:its\s+|the\s+|their\s+|that\s+|an?\s+)?(?P<obj>(?:{_W}\s+)?{_W})?", re.I)
_AGE_LIMIT = re.compile(
    rf"\b(?P<x>{_W})\s+older\s+than\s+(?P<d>\d[\d.,]*\s*{_UNIT})\s+(?:cannot|can't|can\s+no\s+longer|may\s+not|must\s+not|"
    rf"are\s+not|is\s+not|will\s+not|won't|should\s+not)\s+(?:be\s+)?(?P<v>{_W})|"
    rf"\b(?P<x2>{_W})\s+(?:cannot|can't|may\s+not|must\s+not|can\s+no\s+longer)\s+be\s+(?P<v2>\w+ed)\s+(?:more\s+than\s+)?"
    rf"(?P<d2>\d[\d.,]*\s*{_UNIT})\s+after\s+(?:its\s+|the\s+|their\s+)?(?P<ev>{_W})", re.I)
_LAPSE = re.compile(
    rf"\bwithin\s+(?P<d>\d[\d.,]*\s*{_UNIT}|an?\s+(?:hour|day|minute|week))\s*,?\s+(?:or|otherwise|or\s+else)\s+"
    rf"(?:the\s+|it\s+|its\s+|their\s+)?(?P<x>{_W})?\s*(?P<act>goes\s+back|returns|is\s+released|are\s+released|is\s+cancell?ed|"
    r"are\s+cancell?ed|lapses|expires|is\s+freed|is\s+reassigned|escalates|is\s+escalated|moves\s+on|passes|is\s+offered|"
    r"is\s+given|goes\s+to|moves\s+to)\b|"
    rf"\bif\s+(?:nobody|no\s+one|no-one|it\s+is\s+not|they\s+do\s+not|they\s+don't|not)\s+(?:\w+\s+){{0,3}}?within\s+"
    rf"(?P<d2>\d[\d.,]*\s*{_UNIT})\s*,\s+(?:then\s+)?(?:the\s+|it\s+|its\s+)?(?P<x2>{_W})\s+(?P<act2>escalates|is\s+escalated|"
    r"goes|is\s+released|is\s+reassigned|is\s+cancell?ed|moves|passes|expires|lapses|is\s+offered)\b", re.I)
# "a truck that arrives more than 30 minutes late loses its slot": lateness that forfeits a hold
_LATE = re.compile(
    rf"\bmore\s+than\s+(?P<d>\d[\d.,]*\s*{_UNIT})\s+late\s+(?:\w+\s+)?(?:loses|forfeits|gives\s+up|lose|forfeit)\s+"
    # the head noun ends the phrase: "loses its slot", "forfeits their pickup window"
    rf"(?:its|their|his|her|the)\s+(?:{_W}\s+)?(?P<x>{_W})"
    r"(?=\s*(?:[.,;:!?)]|$)|\s+(?:and|or|but|if|when|unless|after|before|to|at|in|on|for)\b)", re.I)
# "gate events can arrive twice", "the bank may send the same file again": a repeat the writer expects
_REPEATS = re.compile(
    rf"\b(?P<x>{_W})\s+(?:can|may|might|sometimes|often|will|do|does)\s+(?:\w+\s+)?(?:arrive|come|be\s+sent|be\s+delivered|"
    r"be\s+posted|be\s+reported|be\s+received|be\s+resent|be\s+replayed|show\s+up|get\s+sent|get\s+delivered)\s+"
    r"(?:twice|more\s+than\s+once|again|two\s+times|several\s+times|in\s+duplicate)\b", re.I)
_COMPARATIVES = {"longer": "length", "shorter": "length", "larger": "size", "bigger": "size", "smaller": "size",
                 "heavier": "weight", "lighter": "weight", "wider": "width", "narrower": "width", "taller": "height",
                 "higher": "height", "deeper": "depth", "older": "age", "younger": "age", "cheaper": "price",
                 "more expensive": "price"}
_COMPARE = re.compile(
    rf"\b(?:a|an|any|the)\s+(?P<x>{_W})\s+(?:that\s+is\s+|which\s+is\s+|that's\s+)?(?P<cmp>longer|shorter|larger|bigger|smaller|"
    r"heavier|lighter|wider|narrower|taller|higher|deeper|older|younger|cheaper|more\s+expensive)\s+than\s+(?:the\s+|its\s+|"
    rf"their\s+|a\s+)?(?P<y>{_W})(?:'s)?(?:\s+(?P<attr>(?:{_W}\s+)?{_W}))?\s+(?:must\s+be|is|are|will\s+be|gets?|should\s+be)\s+"
    r"(?:automatically\s+)?(?:refused|rejected|declined|turned\s+away|blocked|not\s+(?:accepted|allowed))\b", re.I)
_SUM_BOUND = re.compile(
    rf"\b(?P<x>{_W})\s+(?:must|should|can|may|will)?\s*(?:never|not|cannot|can't)\s+(?:\w+\s+)?(?:exceed|be\s+more\s+than|"
    r"go\s+over|go\s+beyond|add\s+up\s+to\s+more\s+than|total\s+more\s+than)\s+(?:the\s+|its\s+|their\s+)?"
    rf"(?:(?P<y>{_W})'s\s+(?P<attr>{_W})|(?P<attr2>{_W})\s+of\s+(?:the\s+|its\s+|their\s+)?(?P<y2>{_W}))", re.I)
_LAST_UNIT = re.compile(
    rf"\bno\s+two\s+(?P<actors>{_W})\s+(?:may|can|should|will|must)?\s*(?:ever\s+)?(?P<v>{_W})\s+(?:the\s+)?"
    rf"(?P<last>last\s+(?:unit|one|item|copy|place|seat|spot|ticket|piece)\s+of\s+)?(?:the\s+same\s+|one\s+|a\s+)(?P<thing>{_W})",
    re.I)
_WITHHELD = re.compile(
    rf"\b(?P<who>{_W}|I)\s+(?:must\s+|should\s+|can\s+|will\s+|may\s+)?(?:never|not|cannot|can't|don't|do\s+not|doesn't|does\s+not)"
    r"\s+(?:ever\s+)?(?:see|sees|view|learn|know|read|find\s+out)\s+(?P<what>[^.;,]{2,60}?)\s+(?:before|until|till)\s+"
    rf"(?:the\s+|their\s+|its\s+|a\s+|an\s+)?(?P<ev>(?:{_W}\s+){{0,2}}{_W})", re.I)
_STORY = re.compile(r"\bAs\s+an?\s+([a-z][a-z\-]{2,})", re.I)
# "after it submissions are locked", "entries after the deadline are rejected": a deadline named, not measured
_NAMED_DEADLINE = re.compile(
    r"\b(?:after|past|once)\s+(?:it|that|the\s+(?:deadline|cut-?off|closing\s+(?:date|time)))\s*,?\s+(?:all\s+|the\s+|any\s+)?"
    rf"(?P<x>{_W})\s+(?:are|is|get|gets|will\s+be|must\s+be)\s+(?:locked|closed|frozen|rejected|refused|read-only)\b|"
    rf"\b(?P<x2>{_W})\s+(?:received\s+|submitted\s+|arriving\s+|sent\s+)?(?:after|past)\s+the\s+(?:deadline|cut-?off|closing\s+"
    r"(?:date|time))\s+(?:are|is|get|gets|will\s+be|must\s+be)\s+(?:rejected|refused|not\s+accepted|ignored)\b", re.I)
_NOT_NOUNS = frozenset("it they we you he she this that which who one each every all there here what someone anyone "
                       "nobody everyone and or but then so also only not never".split())


def _ok(word: str | None) -> bool:
    return bool(word) and word.lower() not in _NOT_NOUNS


Found = tuple[str, str]  # (subject, mechanism)


def _one_holder(m: re.Match[str], w: Words) -> Found | None:
    if not (_ok(m.group("x")) and _ok(m.group("y"))):
        return None
    x, y = w.singular(m.group("x")), w.singular(m.group("y"))
    return x, (f"one current {y} per {x}: the {x} row holds {y}_id (not null), so a {x} cannot have two; it changes "
               f"only by a conditional update (UPDATE {x}s SET {y}_id = $new WHERE id = $1 AND {y}_id = $expected), so "
               f"of two concurrent changes one applies and the other answers 409; past {y}s are kept in a history "
               f"table with a unique partial index on ({x}_id) WHERE current")


def _consent(m: re.Match[str], w: Words) -> Found | None:
    if not (_ok(m.group("x")) and _ok(m.group("y"))):
        return None
    x, y, v = w.singular(m.group("x")), w.singular(m.group("y")), m.group("v").lower()
    return x, (f"the {x} applies only with the {y}'s own act: the call that {v} it is authenticated, and an "
               f"authorization check that the caller is the current {y} (the {x} is applied by a conditional update "
               f"WHERE {y}_id = $caller, in the same transaction), 403 otherwise; who {v} and when is recorded with "
               f"the {x}")


def _scoped(m: re.Match[str], w: Words) -> Found | None:
    role, scope = " ".join(m.group("role").lower().split()), " ".join(m.group("scope").lower().split())
    if not _ok(role.split()[-1]) or not _ok(scope.split()[-1]):
        return None
    verb = m.group("verb").lower()
    obj = " ".join((m.group("obj") or "").lower().split()) or "record"
    rel = " ".join(m.group("rel").lower().split())
    return w.singular(role.split()[-1]), (
        f"authorization check on every {verb} of the {obj}: the caller must be a {role} {rel} the {scope} it "
        f"belongs to (a role or qualification scoped to the {scope}, read from the caller's identity and checked "
        f"server-side in the same transaction as the write), 403 otherwise; one policy function for every endpoint "
        f"that can {verb} it")


def _age_limit(m: re.Match[str], w: Words) -> Found | None:
    x = m.group("x") or m.group("x2")
    if not _ok(x):
        return None
    x, d = w.singular(x), " ".join((m.group("d") or m.group("d2")).split())
    since = f"{m.group('ev').lower()}_at" if m.group("ev") else "created_at"
    return x, (f"deadline check in the conditional update of the {x} (UPDATE {x}s SET ... WHERE id = $1 AND {since} >= "
               f"now() - interval '{d}'): a {x} older than {d} changes no row and the call answers 409/422, whichever "
               f"server handles it")


def _named_deadline(m: re.Match[str], w: Words) -> Found | None:
    x = m.group("x") or m.group("x2")
    if not _ok(x):
        return None
    x = w.singular(x)
    return x, (f"deadline check on each {x} write: the conditional update or insert carries the deadline in its WHERE "
               f"clause (... AND now() <= deadline_at, the deadline stored on its parent record), so after the deadline "
               f"no {x} changes and the call answers 409, whatever the client's clock says")


def _lapse(m: re.Match[str], w: Words) -> Found | None:
    x = m.group("x") or m.group("x2") or ""
    d = " ".join((m.group("d") or m.group("d2")).split())
    act = " ".join((m.group("act") or m.group("act2")).lower().split())
    subject = w.singular(x) if _ok(x) else ""
    thing = subject or "request"
    escalate = "escalat" in act or "offered" in act or "passes" in act or "moves" in act
    then = "escalates it to the next level" if escalate else "releases it"
    return subject, (f"a due time on each {thing} (expires_at = start + {d}, indexed), checked on access, and a scheduled "
                     f"job (or a delayed job per {thing}) that {then} once it is overdue by a conditional update (WHERE "
                     f"status = 'pending' AND expires_at <= now()), so a late confirmation and the timeout cannot both win")


def _late(m: re.Match[str], w: Words) -> Found | None:
    if not _ok(m.group("x")):
        return None
    x, d = w.singular(m.group("x")), " ".join(m.group("d").split())
    return x, (f"a due time on each {x} (expires_at = its start + {d}, indexed), checked at arrival, and a scheduled "
               f"release job that frees the {x} once it is overdue by a conditional update (WHERE status = 'booked' "
               f"AND expires_at <= now() AND arrived_at IS NULL), so the {x} goes back to the pool exactly once")


def _repeats(m: re.Match[str], w: Words) -> Found | None:
    if not _ok(m.group("x")):
        return None
    x = w.singular(m.group("x"))
    return x, (f"idempotent insert keyed by the {x}'s own id (or the sender's id and sequence when it has none): a "
               f"unique constraint on that key and insert ... on conflict do nothing, so a {x} that arrives twice is "
               f"applied once")


def _compare(m: re.Match[str], w: Words) -> Found | None:
    if not (_ok(m.group("x")) and _ok(m.group("y"))):
        return None
    x, y = w.singular(m.group("x")), w.singular(m.group("y"))
    attr = _COMPARATIVES[" ".join(m.group("cmp").lower().split())]
    limit = "_".join((m.group("attr") or attr).lower().split())
    op = "<=" if m.group("cmp").lower() in ("longer", "larger", "bigger", "heavier", "wider", "taller", "higher",
                                            "deeper", "older", "more expensive") else ">="
    return x, (f"precondition check in the conditional update that assigns the {x} to the {y}: WHERE {x}.{attr} {op} "
               f"{y}.{limit}, read in the same transaction as the assignment, so a {x} that does not fit changes no row "
               f"and is refused with 422")


def _sum_bound(m: re.Match[str], w: Words) -> Found | None:
    x, y = m.group("x"), m.group("y") or m.group("y2")
    attr = (m.group("attr") or m.group("attr2") or "").lower()
    if not (_ok(x) and _ok(y) and _ok(attr)):
        return None
    part, holder = w.singular(x), w.singular(y)
    return holder, (f"conditional update of the {holder} row in one transaction: the running total of {part}s plus the "
                    f"new amount must stay within the {holder}'s {attr} (UPDATE {holder}s SET {part}_total = {part}_total + "
                    f"$amount WHERE id = $1 AND {part}_total + $amount <= {attr}), or a row lock on the {holder} (SELECT ... "
                    f"FOR UPDATE) while the sum is checked and the {part} inserted; a check constraint ({part}_total <= "
                    f"{attr})")


def _last_unit(m: re.Match[str], w: Words) -> Found | None:
    if not _ok(m.group("thing")):
        return None
    thing, verb = w.singular(m.group("thing")), m.group("v").lower()
    if m.group("last"):
        return thing, (f"conditional decrement of the {thing}'s remaining units in the transaction that records the {verb} "
                       f"(UPDATE {thing}s SET remaining = remaining - 1 WHERE id = $1 AND remaining >= 1), or SELECT ... FOR "
                       f"UPDATE on the {thing} row while the count is checked; of two concurrent requests for the last unit "
                       f"one gets 409")
    return thing, (f"one {verb} per {thing}: an atomic conditional update of the {thing} status (UPDATE {thing}s SET status "
                   f"= 'taken' WHERE id = $1 AND status = 'available') and a unique partial index on ({thing}_id) WHERE "
                   f"active, so two concurrent requests cannot both win")


def _withheld(m: re.Match[str], w: Words) -> Found | None:
    who = m.group("who")
    if who == "I":  # a user story: "As a couple, ... I never see ..." is the couple
        story = _STORY.findall(m.string[:m.start()])
        who = story[-1] if story else ""
    if not _ok(who):
        return None
    who = w.singular(who)
    event = " ".join(m.group("ev").lower().split())
    return who, (f"read filter by role and date: {' '.join(m.group('what').split())} is withheld from the {who} until "
                 f"the {event} (the release time is stored with the record and compared with now() in every read query, "
                 f"export and notification), an authorization check on read done server-side, never in the client")


# In the order the readings are listed (the first reading of a kind and subject wins downstream).
CLAUSE_FORMS: tuple[Form[Found], ...] = (
    Form(_ONE_HOLDER, "uniqueness", _one_holder),
    Form(_CONSENT, "authorization", _consent),
    Form(_SCOPED, "authorization", _scoped),
    Form(_AGE_LIMIT, "cutoff", _age_limit),
    Form(_NAMED_DEADLINE, "cutoff", _named_deadline),
    Form(_LAPSE, "expiry", _lapse),
    Form(_LATE, "expiry", _late),
    Form(_REPEATS, "exactly-once-effect", _repeats),
    Form(_COMPARE, "precondition", _compare),
    Form(_SUM_BOUND, "capacity-limit", _sum_bound),
    Form(_LAST_UNIT, "no-double-sell", _last_unit),
    Form(_WITHHELD, "restricted-read", _withheld),
)


def clause_forms(text: str, sentence: Callable[[int], str], singular: Callable[[str], str]) -> list[tuple[str, str, str, str]]:
    """(kind, sentence, subject, mechanism) for each rule stated in one of the forms above."""
    return [(r.kind, sentence(r.start), r.value[0], r.value[1])
            for r in read_forms(text, CLAUSE_FORMS, Words(singular, _ok, sentence))]


_FORMS = (_ONE_HOLDER, _CONSENT, _SCOPED, _AGE_LIMIT, _NAMED_DEADLINE, _LATE, _REPEATS, _LAPSE, _COMPARE, _SUM_BOUND, _LAST_UNIT, _WITHHELD)


def form_clauses(text: str) -> list[str]:
    """The words each form matched, so a vaguer reading of the same clause can step aside."""
    return [" ".join(m.group().split()) for form in _FORMS for m in form.finditer(text)]


def form_acts(text: str) -> list[tuple[str, str, str]]:
    """(verb as written, object, phrase) for the acts the forms name with their object: "a
    transfer only happens if the current owner signs it" (sign the transfer), "only the coach
    of a team can change its line-up" (change the line-up), "forms older than 90 days cannot
    be validated" (validate a form)."""
    out = []
    for m in _CONSENT.finditer(text):
        out.append((m.group("v"), m.group("x"), " ".join(m.group().split())))
    for m in _SCOPED.finditer(text):
        if m.group("obj"):
            out.append((m.group("verb"), m.group("obj").split()[-1], " ".join(m.group().split())))
    for m in _AGE_LIMIT.finditer(text):
        out.append((m.group("v") or m.group("v2"), m.group("x") or m.group("x2"), " ".join(m.group().split())))
    return [(v, x, p) for v, x, p in out if x and x.lower() not in _NOT_NOUNS]
