"""Invariants implied by what people do to things, when no sentence states a rule.

A requirement for a kind of system nobody catalogued rarely writes its hard rules down:
"skippers book berths for a few nights" already means a berth is never booked twice for
the same night; "guests spend their credits on drinks" means a balance never goes below
zero; "investors transfer casks" means a cask has one owner at a time and only that owner
hands it on. The rule follows from the *kind of act* (taking a thing for exclusive use,
drawing on a stock, moving money, handing over ownership, casting a vote), whatever the
thing is called. Each act is read as a clause (a verb of one of the classes below with the
noun phrase it acts on, or the noun it is said of in the passive), and each form names its
mechanism in the text's own nouns.

Forms:
- exclusive use   book, reserve, rent, hire, lend, borrow, claim, allocate ... a thing: one
                  taker at a time (an exclusion constraint over the booked period when the
                  text books by time, else a conditional update of the thing's status);
- drawn stock     spend, redeem, withdraw, deduct ... an amount (points, credits, funds):
                  the holder's balance never goes below zero (conditional decrement);
- one-shot use    redeem, use, scan, cancel ... a countable thing (voucher, ticket, code):
                  the thing is used at most once (conditional status update);
- money once      pay, charge, refund, pay out, reimburse ...: an idempotency key per payment;
- ownership       transfer, hand over, sell, gift ... a thing to someone: one current owner,
                  changed only by that owner (conditional update on the owner column);
- one vote        vote, rate, answer, respond, review: one per voter and target (unique pair);
- places          "each workshop has 20 places": a holder's taken count never passes its places.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.design.entities import is_thing
from servicelens.design.text import lower_singular as _singular


@dataclass(frozen=True, slots=True)
class ActForm:
    """An invariant implied by an act: its kind, the sentence, the thing, and its mechanism."""

    kind: str
    phrase: str
    subject: str
    mechanism: str


# verbs by the kind of act (base forms; phrasal verbs joined by "_")
_EXCLUSIVE = frozenset("book reserve rent hire lease borrow lend loan claim allocate occupy charter sublet check_out "
                       "book_out sign_out".split())
_DRAW = frozenset("spend redeem withdraw deduct debit consume burn cash_out transfer".split())
_ONE_SHOT = frozenset("redeem cash_in".split())
_MONEY = frozenset("pay charge refund pay_out reimburse bill".split())
_HAND_OVER = frozenset("transfer resell sell".split())
_VOTE = frozenset("vote vote_on vote_for rate".split())
# the noun of each act, for naming what must not overlap ("two bookings of one berth")
_ACT_NOUN = {"book": "booking", "reserve": "reservation", "rent": "rental", "hire": "hire", "lease": "lease",
             "borrow": "loan", "lend": "loan", "loan": "loan", "claim": "claim", "allocate": "allocation",
             "occupy": "occupation", "charter": "charter", "sublet": "sublet", "check_out": "checkout",
             "book_out": "booking", "sign_out": "sign-out"}
# amounts drawn from a balance, as opposed to countable things used once
_AMOUNTS = frozenset("point points credit credits fund funds money balance balances coin coins token tokens mile miles "
                     "minute minutes hour hours allowance allowances budget budgets cash voucher-balance stamp stamps "
                     "unit units day days leave stock inventory capacity quantity quantities space eur euro euros usd "
                     "dollar dollars gbp pound pounds".split())
# occasions many people take part in: booking one takes a place, it does not hold the occasion
_OCCASIONS = frozenset("class classes course courses session sessions event events tour tours workshop workshops lesson "
                       "lessons webinar webinars trip trips flight flights show shows concert concerts match matches game "
                       "games party parties tournament tournaments race races training trainings".split())
# what is paid is a payment, not the price or the person: "pay full price", "bill clients"
_NOT_PAYABLE = frozenset("price prices fee fees amount amounts money sum sums full total cost costs rate rates client "
                         "clients customer customers seller sellers buyer buyers member members user users".split())
# a stated number of takers per thing makes it a capacity, not one taker at a time
_SHARED = re.compile(r"\b(?:up\s+to\s+\d|capacity|quota|\d+\s+(?:\w+\s+)?(?:per|each)\s+(?!(?:second|minute|hour|day|week|"
                     r"month|year|night)s?\b)\w+|places|seats\s+per)\b", re.I)
# things whose booking is by time: the sentence books a period, not the thing forever
_PERIOD = re.compile(r"\b(?:for\s+(?:one\s+or\s+more\s+|a\s+few\s+|several\s+|\d[\d.,]*\s+|an?\s+)?(?:nights?|days?|hours?|weeks?|"
                     r"evenings?|mornings?|afternoons?|slots?|sessions?|dates?|periods?)|by\s+the\s+(?:hour|day|night|week|minute)|"
                     r"per\s+(?:hour|day|night|week)|nightly|hourly|overnight|time\s*slots?|from\s+\S+\s+(?:to|until)\s+\S+|"
                     r"on\s+(?:a|the)\s+(?:date|day|night))\b", re.I)
_PERIOD_UNIT = re.compile(r"\b(night|day|hour|week|slot|session|date|evening)s?\b", re.I)
# "each workshop has 20 places": a holder with a number of places (units of capacity, not of data)
_PLACES = re.compile(
    r"\b(?:each|every|a|an|the)\s+(?:[a-z\-]+\s+)?(?P<holder>[a-z][a-z\-]{2,})\s+(?:has|holds|offers|takes|seats|sleeps|fits|provides)\s+"
    r"(?:(?:up\s+to\s+|room\s+for\s+|space\s+for\s+|about\s+|around\s+|~)?(?P<n>\d[\d,]*)\s+(?:\w+\s+)?(?P<what>places|seats|"
    r"spots|spaces|slots|beds|berths|pitches|bays|tickets|rooms|tables|desks|lockers|people|guests|participants|attendees|"
    r"players|children|pupils|students|passengers|riders|visitors)|"
    # "a quota of 450 trucks", "a fixed number of seats": a capacity stated as such, whatever is counted
    r"an?\s+(?:[a-z]+\s+)?(?:quota|capacity|cap|limit|maximum)\s+of\s+(?P<n2>\d[\d,]*)\s+(?P<what2>[a-z][a-z\-]+)|"
    r"an?\s+(?:fixed|limited|set)\s+number\s+of\s+(?P<what3>[a-z][a-z\-]+))\b", re.I)
# people doing things are not things anyone books or transfers
_PEOPLE = frozenset("user users customer customers member members people person staff employee employees guest guests "
                    "visitor visitors patient patients student students driver drivers rider riders".split())


def act_forms(text: str, sentence_of) -> list[ActForm]:
    """Each invariant implied by an act in `text`; `sentence_of(pos)` gives the sentence at a
    position (so the phrase is the sentence the act was read from)."""
    out: list[ActForm] = []
    seen: set[tuple[str, str]] = set()
    for verb, obj, pos in _acts(text):
        if not is_thing(obj) or obj in _PEOPLE:
            continue
        sentence = sentence_of(pos)
        form = _form(verb, obj, sentence)
        if form and (form.kind, form.subject) not in seen:
            seen.add((form.kind, form.subject))
            out.append(form)
    for m in _PLACES.finditer(text):
        holder = _singular(m.group("holder"))
        if is_thing(holder) and holder not in _PEOPLE and ("capacity-limit", holder) not in seen:
            seen.add(("capacity-limit", holder))
            n = (m.group("n") or m.group("n2") or "").replace(",", "")
            what = (m.group("what") or m.group("what2") or m.group("what3")).lower()
            amount = f"{n} {what}" if n else f"a fixed number of {what}"
            out.append(ActForm("capacity-limit", sentence_of(m.start()), holder,
                               f"{holder} capacity of {amount}: each taking is a conditional increment of the {holder}'s taken "
                               f"count in the same transaction (UPDATE {holder}s SET taken = taken + 1 WHERE id = $1 AND taken < "
                               f"capacity), with a check constraint (taken <= capacity), so two concurrent takers of the last "
                               f"place cannot both succeed; the loser gets 409 (or a waitlist entry)"))
    for m in _GENERATED.finditer(text):
        what = " ".join((m.group("what") or m.group("what2")).lower().split())
        if ("uniqueness", what) not in seen:
            seen.add(("uniqueness", what))
            out.append(ActForm("uniqueness", sentence_of(m.start()), what,
                               f"unique constraint on the generated {what} (unique index) with retry on collision: a "
                               f"random or hashed {what} is inserted and, on a duplicate-key error, regenerated; or the "
                               f"{what} is base62 of a unique id from a counter (ranges handed to each node), which "
                               f"cannot collide"))
    return out


# "gets a randomly generated link", "a short code is generated": an identifier the system makes up
# must not be handed out twice, whatever the text calls it
_GENERATED = re.compile(r"\b(?:randomly|automatically|auto-?|system-?)?\s*generated\s+(?:short\s+|unique\s+|random\s+)?(?:[a-z]+\s+)?"
                        r"(?P<what>(?:short\s+)?(?:link|url|code|id|identifier|token|slug|key|alias|handle|reference))s?\b|"
                        r"\b(?P<what2>link|url|code|id|token|key|alias|slug|reference)s?\s*(?::|(?:is|are|get|gets)\s+)\s*"
                        r"(?:randomly\s+|automatically\s+)?generated\b", re.I)


def _form(verb: str, obj: str, sentence: str) -> ActForm | None:
    thing = _singular(obj)
    if verb in _EXCLUSIVE and obj in _AMOUNTS:
        return ActForm("capacity-limit", sentence, thing,
                       f"available {thing} never below zero: each {_ACT_NOUN[verb]} is a conditional decrement (UPDATE ... SET "
                       f"available = available - $2 WHERE id = $1 AND available >= $2) in the transaction that records it, with "
                       f"a check constraint (available >= 0) and expires_at so a {_ACT_NOUN[verb]} whose next step fails is "
                       f"released")
    if verb in _EXCLUSIVE and (obj in _OCCASIONS or _SHARED.search(sentence)):
        return None
    if verb in _EXCLUSIVE:
        period = _PERIOD.search(sentence)
        if period:
            unit = _PERIOD_UNIT.search(period.group())
            slot = unit.group(1).lower() if unit else "period"
            return ActForm("no-double-sell", sentence, thing,
                           f"no two {_ACT_NOUN[verb]}s of one {thing} overlap: an exclusion constraint per {thing} "
                           f"(EXCLUDE USING gist ({thing}_id WITH =, tstzrange(starts_at, ends_at) WITH &&)), or a unique "
                           f"constraint on ({thing}_id, {slot}) when {thing}s are taken per {slot}, so a second "
                           f"{_ACT_NOUN[verb]} of the same {thing} for an overlapping {slot} fails on insert (409) with no "
                           f"check-then-insert race")
        return ActForm("no-double-sell", sentence, thing,
                       f"one active {_ACT_NOUN[verb]} per {thing}: an atomic conditional update of the {thing} status "
                       f"(UPDATE {thing}s SET status = 'taken' WHERE id = $1 AND status = 'available') and a unique partial index "
                       f"on ({thing}_id) WHERE active, so two concurrent requests for the same {thing} cannot both win")
    if verb in _DRAW and obj in _AMOUNTS:
        return ActForm("capacity-limit", sentence, thing,
                       f"{thing} balance never below zero: each {verb.replace('_', ' ')} is a conditional decrement of the holder's "
                       f"{thing} balance in one transaction (UPDATE balances SET {thing}s = {thing}s - $2 WHERE holder_id = $1 AND "
                       f"{thing}s >= $2) with a check constraint ({thing}s >= 0) and a ledger row per movement; concurrent "
                       f"requests cannot overdraw it")
    if verb in _ONE_SHOT and obj not in _AMOUNTS:
        done = _past(verb)
        return ActForm("exactly-once-effect", sentence, thing,
                       f"each {thing} is {done} at most once: an atomic conditional update of the {thing} status (UPDATE {thing}s "
                       f"SET status = '{done}' WHERE id = $1 AND status = 'valid'), so a second {verb} of the same {thing}, "
                       f"concurrent or replayed, changes no row and answers 409")
    if verb in _MONEY:
        thing = "payment" if obj in _NOT_PAYABLE else thing
        return ActForm("exactly-once-effect", sentence, thing,
                       f"idempotency key per {thing} on every {verb.replace('_', ' ')} call (passed to the payment provider and "
                       f"stored under a unique constraint before the call), so a retried or replayed request moves the money "
                       f"once; the payment's state changes by conditional update from the provider's result or webhook")
    if verb in _HAND_OVER:
        return ActForm("ownership", sentence, thing,
                       f"one current owner per {thing}: the {thing} row holds owner_id, changed only by a conditional update "
                       f"(UPDATE {thing}s SET owner_id = $new WHERE id = $1 AND owner_id = $caller) so only the current owner "
                       f"can {verb.replace('_', ' ')} it and two concurrent transfers cannot both apply; each transfer is "
                       f"appended to an ownership history that is never rewritten")
    if verb in _VOTE:
        return ActForm("uniqueness", sentence, thing,
                       f"one vote per voter per {thing}: a unique constraint on (voter_id, {thing}_id), written with an idempotent "
                       f"insert, so a second or retried vote is rejected or returns the first")
    return None


_CLASS_VERBS = _EXCLUSIVE | _DRAW | _ONE_SHOT | _MONEY | _HAND_OVER | _VOTE


def _inflections(base: str) -> list[str]:
    """base, -s, -ed and -ing forms by spelling rules (a closed list of verbs, so no dictionary)."""
    stem = base[:-1] if base.endswith("e") else base
    double = base + base[-1] if re.search(r"[^aeiou][aeiou][bdgmnpt]$", base) and len(base) <= 4 else base
    past = {"pay": "paid", "lend": "lent", "sell": "sold", "spend": "spent", "burn": "burnt"}.get(base, "")
    forms = {base, base + ("es" if base.endswith(("s", "sh", "ch", "x")) else "s"), stem + "ed" if base.endswith("e") else double + "ed",
             (stem if base.endswith("e") else double) + "ing", past, base + "ed" if base == "pay" else ""}
    if base.endswith("y") and base not in ("pay", "buy"):
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    return sorted(f for f in forms if f)


_VERB_FORMS = {form: base for base in sorted({v.split("_")[0] for v in _CLASS_VERBS}) for form in _inflections(base)}
_ACT = re.compile(r"\b(?P<v>" + "|".join(sorted(map(re.escape, _VERB_FORMS), key=len, reverse=True)) + r")\b"
                  r"(?:\s+(?P<prt>out|in|on|for|over))?", re.I)
_PASSIVE_BE = re.compile(r"\b(?P<obj>[a-z][a-z\-]{2,})\s+(?:are|is|get|gets|can\s+be|may\s+be|must\s+be|will\s+be|were|was)\s+"
                         r"(?:\w+ly\s+)?$", re.I)
_NOUN_BEFORE = re.compile(r"\b(?:a|an|the|each|every|this|that|its|their|his|her|our|my|your|any|no|one)\s+$", re.I)
_SKIP = frozenset("the a an their his her its our your my this that these those each every some any one two three all "
                  "shared new old own same other available free monthly weekly daily yearly annual nightly first last next "
                  "few several many".split())


def acts(text: str) -> list[tuple[str, str, int]]:
    """(verb, object head, position) of every act of the classes above (for operations too)."""
    return _acts(text)


def _acts(text: str) -> list[tuple[str, str, int]]:
    """(verb base, object head, position) for each act of a class verb: "borrow the shared
    lawnmower" (active: the noun phrase after the verb, its last noun the head) and "credits
    are spent" (passive: the noun before the auxiliary)."""
    out = []
    for m in _ACT.finditer(text):
        if _NOUN_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
            continue  # "a transfer only happens", "each booking": the word is a noun here
        base = _VERB_FORMS[m.group("v").lower()]
        prt = (m.group("prt") or "").lower()
        phrasal = f"{base}_{prt}" if prt and f"{base}_{prt}" in _CLASS_VERBS else ""
        verb = phrasal or base
        if verb not in _CLASS_VERBS:
            continue  # "check" alone is no act of these classes; "check out" is
        before = _PASSIVE_BE.search(text[max(0, m.start() - 60):m.start()])
        if before and m.group("v").lower().endswith(("ed", "id", "nt", "ld")):
            if verb != "sell":  # "tickets are sold online" names no one it passes to
                out.append((verb, before.group("obj").lower(), m.start()))
            continue
        rest = text[m.end() if phrasal or not prt else m.start("prt"):m.end() + 80]
        if prt and not phrasal:
            rest = re.sub(r"^\s*(?:on|for|over|in|out)\s+", "", rest)  # "vote on the rules", "pay for drinks"
        head = _noun_phrase_head(rest)
        if verb == "sell" and not _TO_SOMEONE.match(_after_head(rest, head)):
            continue  # a shop sells stock; a holder sells something to someone
        if head:
            out.append((verb, head, m.start()))
        elif verb in _MONEY:
            out.append((verb, "payment", m.start()))  # "parents pay online": what is paid is a payment
    return out


_TO_SOMEONE = re.compile(r"\s*to\s+(?:another|other|a|an|the|any|their|his|her|fellow)\b", re.I)


def _after_head(rest: str, head: str) -> str:
    """What follows the object's head noun ("shares to another member" -> " to another member")."""
    i = rest.lower().find(head) if head else -1
    return rest[i + len(head):] if i >= 0 else ""


def _noun_phrase_head(rest: str) -> str:
    """The last noun of the noun phrase that opens `rest` ("the monthly rent by card" -> rent)."""
    head = ""
    for word in re.findall(r"[A-Za-z][A-Za-z\-]*|\d[\d,.]*|[^\sA-Za-z\d]", rest)[:6]:
        w = word.lower()
        if not head and (w in _SKIP or re.fullmatch(r"\d[\d,.]*", w) or (w.endswith("ed") and len(w) > 4)
                         or w.endswith("ly")):
            continue
        if not re.fullmatch(r"[a-z][a-z\-]+", w) or w in _NOT_HEADS or w in _SKIP or not is_thing(w):
            break
        head = w
    return head


_NOT_HEADS = frozenset("online offline from to for with by at in on of and or but via through per each every when while "
                       "once before after until as there here now today daily nightly weekly monthly is are was were be "
                       "can may must will should up out off it them they".split())


def _past(verb: str) -> str:
    base = verb.split("_")[0]
    if base.endswith("e"):
        return base + "d"
    if re.search(r"[^aeiou][aeiou][bdgmnpt]$", base) and len(base) <= 4:
        return base + base[-1] + "ed"
    return base + "ed"

