"""Invariants read from the polarity of a sentence: a rule stated by its allowed side, its
opposite, or as an equation, in words no phrase list anticipates.

- withheld       "bid amounts stay hidden from other bidders until the tender closes", "reading
                 history cannot be seen by other patrons" -> a negated (or negative) visibility
                 predicate over a reader: the rows are filtered on every read for that role, and
                 a stated event ("until the tender closes") becomes a publish timestamp;
- balanced       "the sum of all ledger entries for a payment must always be zero", "every
                 transfer must debit exactly what it credits", "money can neither be created nor
                 destroyed" -> an equation between the two sides of a movement: double-entry
                 postings checked before commit;
- never negative "a fine balance must always be zero or more" -> a lower bound stated as what
                 is allowed: a conditional decrement under a CHECK constraint;
- never reused   "a case number is never reused" -> a value unique over every row ever issued;
- unchanged      "readings must always stay as they were recorded" -> insert-only rows;
- second actor   "every destruction records a second staff member as witness" -> a NOT NULL
                 witness column that differs from the recorder, the witness authenticating.

Each shape returns (kind, phrase, subject, mechanism), like effect_shapes, so invariant_shapes
treats it like every other shape; the mechanism names the sentence's own nouns.
"""
from __future__ import annotations

import re
from collections.abc import Callable

_WORD = r"[a-z][a-z\-]{2,}"
_NEG = r"(?:not|never|cannot|can't|can\s+not|mustn't|won't|isn't|aren't)"
_MODAL = r"(?:must|should|may|can|will|shall|has\s+to|have\s+to|is|are|stay|stays|remain|remains)"
# "<what> (cannot be | are not | stay) (seen | visible | hidden) (by | to | from) (other) <who> (until <event>)"
_VISIBILITY = re.compile(
    rf"\b(?P<what>{_WORD})\s+(?:(?:{_MODAL})\s+)?(?P<neg>{_NEG}\s+)?(?:(?:ever|always|be|kept|stay|remain)\s+){{0,2}}"
    r"(?:(?P<hide>hidden|secret|concealed|withheld)\s+from|(?:visible|shown|seen|readable|viewable|disclosed|revealed|exposed)\s+(?:to|by))\s+"
    rf"(?:the\s+|any\s+|other\s+|another\s+|all\s+)*(?P<who>{_WORD})(?:\s+(?!(?:before|until|till|prior)\b)(?P<who2>{_WORD}))?"
    rf"(?:\s+(?:\w+\s+){{0,2}}?(?:before|until|till|prior\s+to)\s+(?:the\s+|its\s+|their\s+|it\s+is\s+|they\s+are\s+)?"
    rf"(?P<ev>{_WORD}(?:\s+{_WORD})?))?", re.I)
# words after a reader that end its noun phrase ("bidders in the portal", "owners who ...")
_NOT_HEADS = frozenset("in on at from for with during after when unless and or but the any who that which once ever even "
                       "via through while".split())
# "the sum of all ledger entries ... must always be zero": a total stated to be nil
_NETS_TO_ZERO = re.compile(
    rf"\b(?:sum|total|net|balance)\s+of\s+(?:all\s+|the\s+|every\s+|its\s+)?(?P<what>{_WORD}(?:\s+{_WORD})?)\b[^.;]{{0,50}}?"
    r"\b(?:must|should|has\s+to|have\s+to|shall|will|always)\s+(?:always\s+)?(?:be|equal|equals|come\s+to|add\s+up\s+to|net\s+to|sum\s+to)\s+"
    r"(?:exactly\s+)?(?:zero|0|nil)\b", re.I)
# "every transfer must debit exactly what it credits", "total debits must equal total credits"
_TWO_SIDES = re.compile(
    rf"\b(?P<what>{_WORD})?\s*(?:must|should|has\s+to|shall|always)\s+(?:always\s+)?(?:debit|credit|take\s+out|withdraw|pay\s+out)\s+"
    r"(?:exactly\s+)?(?:what|as\s+much\s+as|the\s+same\s+(?:amount\s+)?as)\s+(?:it|they)\s+(?:credits?|debits?|deposits?|pays?\s+in|puts?\s+in)\b|"
    r"\b(?:debits|credits)\s+(?:must|should|always|has\s+to|have\s+to|shall)\s+(?:always\s+)?(?:equal|match|balance)\s+(?:the\s+|total\s+)*(?:credits|debits)\b",
    re.I)
# "money can neither be created nor destroyed": both ways of changing a total, negated
_CONSERVED = re.compile(
    rf"\b(?P<what>{_WORD})\s+(?:{_MODAL}\s+)?(?:neither|never)\s+(?:be\s+)?(?:created|minted|made|appear)\s+(?:n?or|and|or)\s+"
    r"(?:be\s+)?(?:destroyed|lost|vanish|disappear|removed)\b", re.I)
# "<balance> must always be zero or more": the allowed side of a lower bound
_AT_LEAST_ZERO = re.compile(
    rf"\b(?P<what>{_WORD})\s+(?:must|should|has\s+to|have\s+to|shall|will|is\s+to)\s+(?:always\s+)?(?:be|stay|remain)\s+"
    r"(?:at\s+least\s+(?:zero|0)|zero\s+or\s+(?:more|above|greater|positive)|non-?negative|(?:>=|\u2265)\s*0|positive\s+or\s+zero)\b", re.I)
# "a case number ... is never reused": an identifier value taken once, for good
_NEVER_REUSED = re.compile(
    rf"\b(?P<what>[a-z][a-z\-]+)\s+(?:is|are|must|may|can|will|should|shall|gets?)?\s*(?:{_NEG}|never)\s+(?:be\s+|get\s+)?(?:ever\s+)?"
    r"(?:reused|re-used|recycled)\b", re.I)
# "readings must always stay as they were recorded", "entries remain unaltered"
_UNCHANGED = re.compile(
    rf"\b(?P<what>{_WORD})\s*,?\s*(?:once\s+\w+\s*,\s*)?(?:must|should|will|shall|have\s+to|has\s+to)\s+(?:always\s+)?"
    r"(?:stay|remain|be\s+kept)\s+(?:exactly\s+)?(?:unchanged|unaltered|untouched|as\s+(?:they|it)\s+(?:were|was)\s+\w+ed)\b", re.I)
# "every destruction records a second staff member as witness", "needs another nurse to countersign":
# a second actor, other than the one acting, named in a role
_SECOND_ACTOR = re.compile(
    rf"\b(?:a\s+second|another|a\s+different|an\s+independent|a\s+separate)\s+(?:{_WORD}\s+){{0,2}}?(?P<who>{_WORD})\s+"
    r"(?:as\s+(?:a\s+|the\s+|its\s+)?(?P<role>witness|countersignatory|checker|verifier|approver|co-?signer|second\s+signatory)|"
    r"(?:to|who)\s+(?P<verb>witness\w*|countersign\w*|co-?sign\w*|verif\w*|check\w*|confirm\w*))\b|"
    # the passive: "destructions must be witnessed by a second staff member"
    r"\b(?P<act>witness|countersign|co-?sign|check|verifi|verify|confirm|approv|review|inspect|audit|authori[sz])\w*\s+"
    rf"(?:off\s+)?by\s+(?:a\s+second|another|a\s+different|an\s+independent|a\s+separate)\s+(?:{_WORD}\s+){{0,2}}(?P<by>{_WORD})"
    r"(?=\s*(?:[.,;:!?)]|$|\s(?:and|or|but|who|whose|with|before|after|when|for|on|in|at|to|as|from)\b))",
    re.I)
# the sentence obliges: a modal, a quantifier over every act, or a requirement verb
_OBLIGES = re.compile(r"\b(?:must|shall|always|every|each|all|requires?|required|needs?|has\s+to|have\s+to|only)\b", re.I)
_PRONOUNS = frozenset("it they this that these those which who what there here we you".split())
_PEOPLE = frozenset("user users people anyone everyone nobody public".split())


def polarity_shapes(text: str, sentence: Callable[[int], str], singular: Callable[[str], str],
                    noun: Callable[[str], bool]) -> list[tuple[str, str, str, str]]:
    """(kind, sentence, subject, mechanism) for every rule stated by its polarity."""
    out: list[tuple[str, str, str, str]] = []
    for m in _VISIBILITY.finditer(text):
        if bool(m.group("hide")) == bool(m.group("neg")):  # "shown to referees" allows; "not hidden" allows
            continue
        what, who = m.group("what").lower(), m.group("who").lower()
        if m.group("who2") and m.group("who2").lower() not in _NOT_HEADS and noun(m.group("who2")):
            who = m.group("who2").lower()  # "competing contractors", "pet owners": the head noun is last
        if what in _PRONOUNS or who in _PRONOUNS or not noun(who):
            continue
        out.append(("restricted-read", sentence(m.start()), singular(who), _withheld(singular(what), singular(who), m.group("ev"))))
    for m in list(_NETS_TO_ZERO.finditer(text)) + list(_TWO_SIDES.finditer(text)) + list(_CONSERVED.finditer(text)):
        # the movement that must balance names the postings ("every transfer must debit ..."); what is
        # summed or conserved ("ledger entries", "money") is the postings themselves
        what = (m.group("what") or "").lower() if m.re is _TWO_SIDES else ""
        subject = singular(what) if what and what not in _PRONOUNS and noun(what) else ""
        out.append(("double-entry", sentence(m.start()), subject, _balanced(subject)))
    for m in _AT_LEAST_ZERO.finditer(text):
        what = singular(_head(text, m.start(), m.group("what")))
        if noun(what):
            out.append(("capacity-limit", sentence(m.start()), what, _not_negative(what)))
    for m in _NEVER_REUSED.finditer(text):
        what = m.group("what").lower()
        if what in _PRONOUNS:  # "a case number identifies one case; it is never reused": the sentence's first noun phrase
            start = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
            head = re.match(rf"\s*(?:[-*]\s*)?(?:an?\s+|the\s+|each\s+|every\s+)?(?:{_WORD}\s+)?(?P<w>{_WORD})",
                            text[start:m.start()], re.I)
            what = head.group("w").lower() if head else ""
        if what and what not in _PRONOUNS and noun(what):
            out.append(("uniqueness", sentence(m.start()), singular(what), _never_reused(singular(what))))
    for m in _SECOND_ACTOR.finditer(text):
        who = m.group("who") or m.group("by")
        if _OBLIGES.search(sentence(m.start())) and noun(who):
            out.append(("separation-of-duties", sentence(m.start()), singular(who),
                        _second_actor(singular(who), _role(m.group("role") or m.group("verb") or m.group("act") or "witness"))))
    for m in _UNCHANGED.finditer(text):
        what = singular(m.group("what"))
        if noun(what) and what not in _PRONOUNS:
            out.append(("immutable", sentence(m.start()), what, _insert_only(what)))
    return out


def _withheld(what: str, who: str, event: str | None) -> str:
    if event:
        ev = " ".join(event.lower().split())
        return (f"{what} withheld from the {who} role until {ev}: a published flag or publish timestamp on each {what}, set "
                f"by a scheduled job (or the {ev} step), and filtered on read server-side, so reads by the {who} role "
                f"return only published rows")
    return (f"authorization filter on every read: {what} rows or fields are withheld from the {who} role (a row-level "
            f"security policy or a service-side filter checked on each read, and a separate response schema per role)")


def _balanced(subject: str) -> str:
    about = f" of each {subject}" if subject else ""
    return (f"double-entry postings{about}: every movement is written as debit and credit rows in one DB transaction, "
            f"validated to sum to zero before commit (deferred constraint trigger on the transaction id); balances are "
            f"derived from the postings, never edited directly")


def _not_negative(what: str) -> str:
    return (f"conditional update of the {what} in one transaction (UPDATE ... SET {what} = {what} - $n WHERE id = $1 AND "
            f"{what} >= $n, refused when no row is updated) with a CHECK ({what} >= 0) constraint as the backstop")


def _role(act: str) -> str:
    """The role a second actor's act names ("witnessed" -> witness, "countersign" -> countersignatory)."""
    act = act.lower()
    if act.startswith("witness"):
        return "witness"
    if "sign" in act:
        return "countersignatory"
    if act.startswith(("approv", "authori")):
        return "approver"
    if act.startswith("review"):
        return "reviewer"
    return "checker" if act.startswith(("check", "verif", "confirm", "inspect", "audit")) else act


def _second_actor(who: str, role: str) -> str:
    column = role.replace(" ", "_").replace("-", "_")
    return (f"NOT NULL {column} column on each entry with CHECK ({column}_id <> recorded_by): the {role} is a second "
            f"{who}, who must authenticate before the entry is accepted (a two-step confirm by the {role} before commit)")


def _never_reused(what: str) -> str:
    return (f"unique constraint on the {what} over every row ever issued: retired values stay in the table marked "
            f"retired (never deleted), so issuing a used value again fails on insert")


_OF_PHRASE = re.compile(rf"\b(?P<head>{_WORD})\s+(?:for|of|in|at|on)\s+(?:an?\s+|the\s+|each\s+|every\s+|one\s+)?(?:{_WORD}\s+)?$", re.I)


def _head(text: str, start: int, what: str) -> str:
    """The noun a prepositional phrase hangs from: "the remaining budget for a court case should
    ..." constrains the budget, not the case."""
    m = _OF_PHRASE.search(text, max(0, start - 60), start)
    return m.group("head") if m and m.group("head").lower() not in _PRONOUNS else what


def _insert_only(what: str) -> str:
    return (f"insert-only {what} rows: the application role has no UPDATE or DELETE on the table (append-only); a "
            f"correction is a new row that references the original")
