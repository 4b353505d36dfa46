"""Hard guarantees the other readers leave unnamed, read from the shape of the sentence.

Each shape is a rule a reviewer expects a named mechanism for, and each names where it is
enforced:

    "the ratings of all 10 players are updated together, all or nothing" -> one transaction (atomic change)
    "clients never see a partially loaded model run"                     -> build apart, switch a pointer (atomic publish)
    "the cap table as of any past date must be reproducible"             -> append-only history, as-of reads
    "an older status never overwrites a newer one"                       -> a version per key, stale writes refused
    "full card numbers are never stored", "the server never sees plaintext" -> tokens, hashes, client-side encryption
    "a name maps to exactly one link", "ear-tag IDs are unique"          -> a unique constraint on that key
    "a submitted file can't be changed; resubmitting creates a new attempt" -> write-once storage, new versions

A shape needs the rule's own words (a negation, "all or nothing", "exactly one", "unique",
"immutable"): a sentence that only describes ("we had an outage once", "the feed is loaded
nightly") states no guarantee. Each yields (kind, sentence, subject, mechanism).
"""
from __future__ import annotations

import re
from collections.abc import Callable

_W = r"[a-z][a-z\-]{1,}"
_NEG = r"(?:never|not|no|cannot|can't|can\s+not|must\s+not|may\s+not|should\s+not|won't|doesn't|does\s+not|don't|do\s+not)"

# "updated together, all or nothing", "swaps all items and gold atomically, or nothing",
# "must be atomic": every part of one change commits or none does
_ATOMIC = re.compile(r"\ball[- ]or[- ]nothing\b|\b(?:atomically|as\s+a\s+unit)\b|,?\s+or\s+(?:nothing|none\s+(?:of\s+(?:them|it)|at\s+all))\b|"
                     r"\b(?:together|both)\s+or\s+not\s+at\s+all\b|\b(?:all|both)\s+succeed\s+or\s+(?:all|both)\s+fail\b|"
                     r"\b(?:is|are|be|must\s+be)\s+atomic\b|\b(?:both|all)\s+(?:\w+\s+){0,3}?or\s+neither\b", re.I)
# a part of the change that is a call to another system: no database transaction spans it
_EXTERNAL_PART = re.compile(r"\b(?:refund\w*|charg\w*|payments?|pay|payouts?|captur\w*|emails?|sms|texts?|notif\w*|webhooks?|"
                            r"provider|gateway|bank|carrier|partner|third[- ]party|external)\b", re.I)
# "prices shown in search are honoured for 20 min", "a quote is firm for 30 seconds": an offered
# price or rate held for a period, whatever happens to the live price meanwhile
_HELD_OFFER = re.compile(r"\b(?:honou?red|firm|guaranteed|locked|held|valid|good)\s+for\s+(?:up\s+to\s+|about\s+|~\s*)?"
                         r"(?P<d>\d[\d.,]*\s*(?:s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?))\b", re.I)
_OFFER = re.compile(r"\b(?P<what>quotes?|prices?|rates?|fares?|offers?|premiums?|estimates?|bids?)\b", re.I)
# "overlapping downtime intervals for the same machine aren't allowed", "no overlapping shifts per nurse"
_OVERLAP = re.compile(rf"\boverlapping\s+(?:{_W}\s+){{0,3}}?(?:for|of|on|per)\s+(?:the\s+same\s+|one\s+|a\s+|each\s+)?(?P<thing>{_W})\b"
                      rf"[^.;]{{0,30}}?\b(?:are|is)\s+(?:not|never)\s+(?:allowed|permitted|accepted)|"
                      rf"\bno\s+overlapping\s+(?:{_W}\s+){{0,3}}?(?:for|of|on|per)\s+(?:the\s+same\s+|one\s+|a\s+|each\s+|any\s+)?(?P<thing2>{_W})\b", re.I)
# "never see a partially loaded run", "a half-imported bucket", "mixes tiles from two builds",
# "price and stock come from the same snapshot": a reader sees one whole version
_PARTIAL = re.compile(r"\b(?:partially|partly|half[- ]?)[- ]?(?:loaded|imported|applied|written|updated|built|published|"
                      r"processed|uploaded|deployed|synced|finished|done|copied)\b|\b(?:partial|incomplete|half[- ]finished)\s+"
                      r"(?:load|import|update|change|run|build|version|state|data|file|write|upload|copy)s?\b", re.I)
_MIXED = re.compile(r"\bmix(?:es|ed|ing)?\b[^.;]{0,40}\b(?:two|different|old\s+and\s+new|versions?|runs?|builds?|releases?)\b", re.I)
_SNAPSHOT = re.compile(r"\b(?:from|of|in)\s+the\s+same\s+(?:snapshot|version|point\s+in\s+time|moment)\b|"
                       r"\bconsistent\s+(?:snapshot|point[- ]in[- ]time)\b", re.I)
# "reproducible exactly", "as of any past date", "point-in-time correct"
_REPRODUCE = re.compile(r"\breproducib\w*|\bre-?creat\w*\s+exactly\b|\bas\s+(?:of|at)\s+any\s+(?:past\s+|earlier\s+|previous\s+|given\s+)?"
                        r"(?:date|time|day|moment|point)\b|\bpoint[- ]in[- ]time\s+correct\w*", re.I)
# "an older status never overwrites a newer one", "stations reject older versions",
# "the latest position wins"
_STALE = re.compile(rf"\b(?:older|stale|out[- ]of[- ]date|earlier|outdated)\s+(?:{_W}\s+){{0,2}}?{_NEG}\s+(?:\w+\s+){{0,2}}?"
                    r"(?:overwrit\w*|replac\w*|win|wins|override\w*|clobber\w*)|"
                    r"\boverwrit\w*\s+(?:a\s+|the\s+|any\s+)?newer\b|"
                    rf"\bnewer\b[^.;]{{0,40}}\b{_NEG}\s+(?:\w+\s+)?(?:be\s+)?(?:overwrit\w*|replac\w*)\s+by\s+(?:an?\s+|the\s+)?(?:older|stale)\b|"
                    r"\b(?:reject\w*|ignor\w*|discard\w*|drop\w*)\s+(?:any\s+)?(?:older|stale|lower|out[- ]of[- ]date|outdated)\s+"
                    r"(?:\w+\s+)?(?:versions?|updates?|commands?|writes?|states?|schedules?)\b|"
                    r"\b(?:the\s+)?(?:latest|newest|most\s+recent)\s+(?P<what>[a-z][a-z\-]{2,})\s+(?:always\s+)?wins\b", re.I)
# "full card numbers are never stored", "codes are not stored in plaintext",
# "the server never sees plaintext", "never receives a full hash or password"
_SECRET = (r"(?:card\s+numbers?|account\s+numbers?|ibans?|pans?|passwords?|passphrases?|plain\s?text|cleartext|secrets?|pins?|cvvs?|cvcs?|"
           r"(?:one[- ]time\s+)?codes?|otps?|private\s+keys?|master\s+(?:passwords?|keys?)|vault\s+keys?|full\s+hash(?:es)?|"
           r"credentials?|tokens?|social\s+security\s+numbers?|ssns?)")
_NOT_STORED = re.compile(rf"\b{_SECRET}\b[^.;]{{0,40}}?\b{_NEG}\s+(?:\w+\s+)?(?:be\s+)?(?:stored|kept|logged|persisted|saved|written)\b|"
                         rf"\b{_NEG}\s+(?:\w+\s+)?(?:store|stores|keep|keeps|log|logs|persist|persists|save|saves)\s+(?:the\s+|any\s+|full\s+)?{_SECRET}\b|"
                         rf"\b(?:stored|kept)\s+in\s+(?:plain\s?text|clear\s?text|the\s+clear)\b", re.I)
_NEVER_SEES = re.compile(rf"\b(?:server|service|backend|we|operator|provider|platform)\s+(?:must\s+|should\s+|will\s+)?(?:never|not|cannot|can't)\s+"
                         rf"(?:\w+\s+)?(?:sees?|receives?|gets?|learns?|knows?|has\s+access\s+to|reads?)\s+(?:\w+\s+){{0,3}}?{_SECRET}", re.I)
_CLIENT_SIDE = re.compile(r"\b(?:end[- ]to[- ]end|client[- ]side|zero[- ]knowledge|on\s+the\s+(?:client|device))\b", re.I)
# "a name maps to exactly one link", "one inbound email creates at most one ticket",
# "a key never maps to two pastes", "every order is on exactly one route"
_ONE_OF = re.compile(rf"\b(?P<a>{_W})\s+(?:(?:is|are|must\s+be|can\s+be|may\s+be)\s+)?(?P<verb>maps?|matched|assigned|linked|attached|"
                     rf"creates?|belongs?|points?|on|in|resolves?|tied|bound)\s+(?:to\s+|with\s+)?(?:exactly|at\s+most|only|no\s+more\s+than)\s+"
                     rf"one\s+(?:\w+\s+)?(?P<b>{_W})\b", re.I)
_NOT_TWO = re.compile(rf"\b(?P<a>{_W})\s+(?:must\s+|can\s+|should\s+|will\s+)?(?:never|not|cannot|can't)\s+(?:be\s+)?"
                      rf"(?P<verb>maps?|matched|assigned|linked|point|resolve|belong)\s+(?:to\s+)?(?:two|2|several|multiple|more\s+than\s+one)\s+"
                      rf"(?:different\s+)?(?P<b>{_W})\b(?!\s+(?:at\s+once|at\s+the\s+same\s+time|simultaneously|concurrently|"
                      r"for\s+overlapping|on\s+the\s+same|in\s+the\s+same))", re.I)
# "ear-tag IDs are unique", "usernames must be unique"
_ARE_UNIQUE = re.compile(r"\b(?P<what>(?:[a-z][a-z\-]+\s+){0,2}?[a-z][a-z\-]+?)\s+(?:are|is|must\s+be|should\s+be|have\s+to\s+be|has\s+to\s+be)\s+"
                         r"(?:globally\s+|always\s+)?unique\b(?!\s+(?:per|within|for\s+(?:each|every|a|the\s+same)|in\s+(?:each|every|a|the\s+same)|"
                         r"inside|across|among|by)\b)", re.I)  # a scoped key ("unique per site") is the operator reader's
# "immutable once published", "can't be changed once sent", "can't be edited": a record frozen by a step
_FROZEN = re.compile(r"\bimmutable\b|\bwrite[- ]once\b|\b(?:cannot|can't|can\s+not|must\s+not|may\s+not|never|not)\s+(?:be\s+)?"
                     r"(?:changed|edited|modified|altered|overwritten|rewritten|replaced|amended)\b", re.I)
_FILES = re.compile(r"\b(?:files?|documents?|pdfs?|letters?|scans?|photos?|images?|recordings?|videos?|attachments?|uploads?|"
                    r"objects?|blobs?|artifacts?|artefacts?|packages?|binaries|statements?|reports?|certificates?|pods?|contracts?)\b", re.I)
_NEW_VERSION = re.compile(r"\b(?:new|next)\s+(?P<what>attempt|version|revision|statement|document|copy|release|entry|row|record)\b|"
                          r"\bcredit\s+notes?\b|\bcorrections?\b|\badjustments?\b|\bre-?(?:submit|publish|upload|issu)\w*", re.I)
# "the ratings of all 10 players are updated": the head noun before its "of" phrase
_SUBJECT = re.compile(rf"\b(?:(?:a|an|the|each|every|all|any|one)\s+)?(?:[a-z]+'s\s+)?(?P<n>{_W})(?:\s+of(?:\s+[\w']+){{1,3}}?)?\s+"
                      r"(?:is|are|must|can't|cannot|can|should|may|never|will|stay|stays|come|comes|reach\w*|counts?)\b", re.I)
_NOT_SUBJECTS = frozenset("it they we you he she this that which who one each every all any there here what someone anyone nobody "
                          "everyone us them and or but nothing none everything anything something also still some most many our "
                          "their its to of the a an for in on at by with from no not never other new own same".split())


def guarantee_shapes(text: str, sentence: Callable[[int], str], singular: Callable[[str], str],
                     noun: Callable[[str], bool]) -> list[tuple[str, str, str, str]]:
    """(kind, sentence, subject, mechanism) for every guarantee above the text states."""
    out: list[tuple[str, str, str, str]] = []

    def subject(phrase: str) -> str:
        m = next((m for m in _SUBJECT.finditer(phrase) if _ok(m.group("n"), noun)), None)
        return singular(m.group("n")) if m else ""

    for m in _ATOMIC.finditer(text):
        phrase = sentence(m.start())
        thing = subject(phrase)
        out.append(("atomic-change", phrase, thing, _atomic(thing, bool(_EXTERNAL_PART.search(phrase)))))
    for m in _HELD_OFFER.finditer(text):
        phrase = sentence(m.start())
        offer = _OFFER.search(phrase)
        if not offer:
            continue  # "a session is valid for 30 minutes" holds no price: an expiry, read elsewhere
        thing = singular(offer.group("what"))
        out.append(("held-offer", phrase, thing, _held_offer(thing, " ".join(m.group("d").split()))))
    for m in _OVERLAP.finditer(text):
        holder = m.group("thing") or m.group("thing2")
        if not _ok(holder, noun):
            continue
        thing = singular(holder)
        out.append(("no-double-sell", sentence(m.start()), thing, _no_overlap(thing)))
    for m in list(_PARTIAL.finditer(text)) + list(_MIXED.finditer(text)) + list(_SNAPSHOT.finditer(text)):
        phrase = sentence(m.start())
        if m.re is not _SNAPSHOT and not re.search(rf"\b{_NEG}\b|\bonly\b|\bnobody\b|\bno\s+one\b", phrase, re.I):
            continue  # "the import was partially loaded last night" reports, it rules nothing out
        # what is published is the thing after "a partially loaded ...", not the reader before it
        thing = _head(text[m.end():m.end() + 60], singular, noun)
        out.append(("atomic-publish", phrase, thing, _publish(thing)))
    for m in _REPRODUCE.finditer(text):
        phrase = sentence(m.start())
        if re.search(r"\b(?:hard|difficult|impossible|unable)\s+to\b|\bbugs?\b", phrase, re.I):
            continue  # "bugs are hard to reproduce" states a problem, not a duty
        out.append(("reproducible-history", phrase, subject(phrase), _reproducible(subject(phrase))))
    for m in _STALE.finditer(text):
        phrase = sentence(m.start())
        thing = singular(m.group("what")) if m.group("what") and _ok(m.group("what"), noun) else subject(phrase)
        out.append(("monotonic-update", phrase, thing, _versioned(thing)))
    for m in list(_NOT_STORED.finditer(text)) + list(_NEVER_SEES.finditer(text)):
        phrase = sentence(m.start())
        out.append(("secret-storage", phrase, subject(phrase), _secret(phrase)))
    for m in list(_ONE_OF.finditer(text)) + list(_NOT_TWO.finditer(text)):
        a, b = m.group("a"), m.group("b")
        if not (_ok(a, noun) and _ok(b, noun)) or re.fullmatch(r"(?:time|moment|once|day|week|month|year)s?", b, re.I):
            continue  # "at any one time" is when, not a second thing
        phrase = sentence(m.start())
        out.append(("uniqueness", phrase, singular(a), _one_of(singular(a), singular(b))))
    for m in _ARE_UNIQUE.finditer(text):
        words = [w for w in m.group("what").lower().split() if w not in _NOT_SUBJECTS]
        if not words or not _ok(words[-1], noun):
            continue
        what = " ".join(words[:-1] + [_one(words[-1], singular)])
        out.append(("uniqueness", sentence(m.start()), _one(words[-1], singular),
                    f"unique constraint on the {what} (unique index): a second row with the same {what} fails on insert "
                    f"with 409; a generated {what} retries on collision"))
    for m in _FROZEN.finditer(text):
        phrase = sentence(m.start())
        if re.search(r"\bread[- ]only\b|\bimmutable\s+(?:infrastructure|images?|deploy\w*|server)\b", phrase, re.I):
            continue
        if re.search(r"\b(?:older|newer|stale|out[- ]of[- ]date)\b", phrase, re.I):
            continue  # "a newer value is never overwritten by an older one" orders writes, it freezes nothing
        thing = subject(phrase)
        out.append(("immutable", phrase, thing, _frozen(thing, phrase)))
    return out


def _ok(word: str, noun: Callable[[str], bool]) -> bool:
    return word.lower() not in _NOT_SUBJECTS and word.lower() not in _TIMES and noun(word)


def _head(after: str, singular: Callable[[str], str], noun: Callable[[str], bool]) -> str:
    """The head noun of the words after a participle ("loaded model run from ..." -> run)."""
    words = []
    for w in re.findall(r"[A-Za-z][A-Za-z\-]*|[^\sA-Za-z]", after)[:4]:
        if not re.fullmatch(_W, w, re.I) or w.lower() in _NOT_SUBJECTS or w.lower() in _STOPS:
            break
        words.append(w)
    return singular(words[-1]) if words and _ok(words[-1], noun) else ""


_STOPS = frozenset("or and from in to of with by for when while is are was were be that which".split())
_TIMES = frozenset("date dates time times day days moment moments point points period periods".split())


def _one(word: str, singular: Callable[[str], str]) -> str:
    """"IDs" -> "id"; else the singular."""
    return word[:-1].lower() if word.lower() in ("ids", "pins", "urls", "skus") else singular(word)


def _atomic(thing: str, external: bool = False) -> str:
    what = f" ({thing}s)" if thing else ""
    local = (f"one atomic database transaction for every row of the change{what}: all of them commit or none do (single "
             f"commit point), under row locks taken in a fixed order so two concurrent changes cannot deadlock or interleave; "
             f"where the rows live in different stores or shards, an escrow state with a single commit point or two-phase "
             f"commit, never a half-applied change")
    if not external:
        return local
    return (f"{local}; a part that is a call to another system (a refund, a payment, a message) is outside any database "
            f"transaction: the local change and an outbox row commit together, an idempotent relay makes the call with an "
            f"idempotency key and retries it, and a call that finally fails runs the compensating step (saga with "
            f"compensation), so the change ends applied whole or undone")


def _held_offer(thing: str, duration: str) -> str:
    return (f"the {thing} is stored when it is shown, with the offered price or rate locked on it and expires_at = now() + "
            f"{duration}; accepting or booking references the {thing} id, checks expires_at in the same conditional update "
            f"and books at the stored price or rate, never the live one; an expired {thing} answers 409 and a new one is issued")


def _no_overlap(thing: str) -> str:
    return (f"exclusion constraint on ({thing} id, time range) (EXCLUDE USING gist ({thing}_id WITH =, tstzrange(starts_at, "
            f"ends_at) WITH &&)), so two intervals of one {thing} cannot overlap; writes per {thing} are serialised by the "
            f"constraint (the insert that loses answers 409)")


def _publish(thing: str) -> str:
    what = f"each {thing} version" if thing else "each version"
    return (f"atomic switch of a current-version pointer: {what} is written in full under a new version id (its own "
            f"prefix or tables), then published by one atomic update of the pointer (or a table/alias swap), so readers see "
            f"the old or the new version whole, never a mix or a partial load; published versions are immutable and kept "
            f"until no reader uses them; a read across several tables runs in one consistent point-in-time snapshot "
            f"(repeatable-read transaction)")


def _reproducible(thing: str) -> str:
    what = f"{thing}s" if thing else "records"
    return (f"append-only immutable history: {what} are never updated in place; each is stored with the inputs it came "
            f"from (versions, parameters, checksums of reference data) and with effective and recorded timestamps "
            f"(bitemporal), so any past state is an as-of query; corrections are reversing entries, never updates, and a "
            f"rerun creates a new run id")


def _versioned(thing: str) -> str:
    key = thing or "key"
    return (f"monotonically increasing version (sequence number) per {key}: every write carries it and is a conditional "
            f"update (compare-and-set: UPDATE ... WHERE id = $1 AND version < $new), so an older or replayed write changes "
            f"no row and is rejected (409 with the newer copy); receivers and devices also reject lower versions on delivery")


def _secret(phrase: str) -> str:
    if _CLIENT_SIDE.search(phrase) or _NEVER_SEES.search(phrase):
        return ("client-side encryption or hashing: the secret is encrypted (AES-GCM, keys derived on the device) or "
                "hashed on the client and only ciphertext, a derived authentication hash or a short prefix is sent, so the "
                "server never receives it; server logs and errors carry none of it")
    return ("the secret is never stored: only a token from the provider (tokenisation) or a keyed hash (HMAC) is kept, "
            "one-time codes and passwords as salted hashes compared in constant time; request logs and errors are "
            "redacted, and a schema check rejects a column that would hold it")


def _one_of(a: str, b: str) -> str:
    return (f"unique constraint on the {a} id in the {b} table: each {a} is linked to at most one {b}, so a second "
            f"{b} for the same {a} fails on insert (409) instead of racing a check-then-insert")


def _frozen(thing: str, phrase: str) -> str:
    what = thing or "record"
    again = _NEW_VERSION.search(phrase)
    change = (f"a change is a new {again.group('what').lower()} referencing the original" if again and again.group("what")
              else "a change is a new version (or a credit note / adjustment) referencing the original")
    if _FILES.search(phrase):
        return (f"write-once storage of each {what}: a new object key per version written with a conditional put "
                f"(if-none-match, no overwrite of an existing key) or under an object lock, its content hash recorded at "
                f"capture; the metadata rows are insert-only (no UPDATE or DELETE for the application role); {change}")
    return (f"insert-only rows: the application role's UPDATE and DELETE privileges on the table are revoked and a status "
            f"past issue cannot move back; {change}, never an edit")
