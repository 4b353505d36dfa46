"""More invariant shapes: rules people state about slots, edits, repeats and visibility in
words no phrase list anticipates.

- one per slot   "a courtroom can't hold two hearings in the same time slot", "no team plays
                 twice on the same day", "one referee per match" -> a unique key over the
                 holder and the slot;
- never edited   "readings can never be edited", "entries are never overwritten" -> the rows
                 are append-only;
- at most once   "charged at most once per pledge", "at most one refund per order" -> an
                 idempotency key per the named thing;
- seen only by   "visible only to the judge", "authors never see reviewer names" -> an
                 authorisation check on every read of those rows or fields.
"""
from __future__ import annotations

import re

_WORD = r"[a-z][a-z\-]{2,}"
_PERIOD_WORDS = frozenset("second seconds minute minutes hour hours day days week weeks month months year years time "
                          "times night nights".split())
_SAME_SLOT = re.compile(
    rf"\b(?P<holder>{_WORD})\s+(?:can't|cannot|can\s+not|must\s+not|may\s+not|must\s+never|can\s+never|should\s+never|never)\s+"
    rf"(?:\w+\s+){{0,2}}?(?:two|2|more\s+than\s+one|multiple|several)\s+(?P<what>{_WORD})\s+(?:\w+\s+){{0,2}}?"
    rf"(?:in|on|at|for|during)\s+(?:the\s+)?same\s+(?P<slot>{_WORD}(?:\s+slot)?)", re.I)
_TWICE_SAME = re.compile(
    rf"\bno\s+(?P<holder>{_WORD})\s+(?:\w+\s+){{0,2}}?twice\s+(?:in|on|at|during|for)\s+(?:the\s+)?same\s+(?P<slot>{_WORD})", re.I)
_ONE_PER = re.compile(rf"\b(?:one|a\s+single|exactly\s+one|only\s+one)\s+(?P<what>{_WORD})\s+(?:per|for\s+each|for\s+every)\s+"
                      rf"(?P<holder>{_WORD})", re.I)
_NEVER_EDITED = re.compile(
    rf"\b(?P<what>{_WORD})\s+(?:can|must|may|should|will|are|is)?\s*(?:never|not|cannot|can't|no\s+longer)\s+(?:be\s+)?"
    r"(?:edited|changed|modified|altered|updated|overwritten|rewritten|deleted|removed|tampered\s+with)\b", re.I)
_AT_MOST_ONCE = re.compile(rf"\bat\s+most\s+(?:once|one\s+(?P<thing>{_WORD}))\s+(?:per|for\s+each|for\s+every|for\s+a|for\s+the)\s+"
                           rf"(?P<key>{_WORD})", re.I)
_SEEN_ONLY_BY = re.compile(
    rf"\b(?:visible|accessible|readable|shown)\s+only\s+to\s+(?:the\s+|its\s+|their\s+)?(?P<who>{_WORD})|"
    rf"\b(?P<who2>{_WORD})\s+(?:must\s+|should\s+|can\s+|may\s+)?never\s+(?:see|sees|read|reads|learn|learns|view|views)\s+"
    rf"(?:the\s+|a\s+|an\s+)?(?:{_WORD}\s+)?(?P<field>{_WORD})", re.I)
_NOT_HOLDERS = frozenset("it they we you he she this that which who one each every all there here what someone anyone "
                         "nobody everyone users and or but then so".split())
# "at the same time" is concurrency (one holder, one thing at once), not a slot key.
_NOT_SLOTS = frozenset("time moment once instant".split())


def rule_shapes(text: str, sentence_of, singular) -> list[tuple[str, str, str, str, str]]:
    """(kind, sentence, subject, counted, limit) for each rule shape; the caller builds its
    `Shape`s (kept as tuples here so this module needs nothing from the shapes module)."""
    out: list[tuple[str, str, str, str, str]] = []
    for m in _SAME_SLOT.finditer(text):
        if _ok(m.group("holder")) and m.group("slot").lower() not in _NOT_SLOTS:
            out.append(("uniqueness", sentence_of(m.start()), singular(m.group("holder")), m.group("what").lower(),
                        m.group("slot").lower()))
    for m in _TWICE_SAME.finditer(text):
        if _ok(m.group("holder")) and m.group("slot").lower() not in _NOT_SLOTS:
            out.append(("uniqueness", sentence_of(m.start()), singular(m.group("holder")), "", m.group("slot").lower()))
    for m in _ONE_PER.finditer(text):
        if _ok(m.group("holder")) and _ok(m.group("what")) and m.group("holder").lower() not in _PERIOD_WORDS:
            out.append(("uniqueness", sentence_of(m.start()), singular(m.group("holder")), m.group("what").lower(), ""))
    for m in _NEVER_EDITED.finditer(text):  # "... and can never be edited": the rule stands without its subject
        out.append(("immutable", sentence_of(m.start()), singular(m.group("what")) if _ok(m.group("what")) else "", "", ""))
    for m in _AT_MOST_ONCE.finditer(text):
        if _ok(m.group("key")) and m.group("key").lower() not in _PERIOD_WORDS:
            out.append(("exactly-once-effect", sentence_of(m.start()), singular(m.group("key")), "", ""))
    for m in _SEEN_ONLY_BY.finditer(text):
        who = m.group("who") or m.group("who2")
        if who and _ok(who):  # "visible only to X" allows X; "X never see Y" hides Y from X
            out.append(("restricted-read", sentence_of(m.start()), singular(who), (m.group("field") or "").lower(),
                        "deny" if m.group("who2") else "allow"))
    return out


def rule_mechanism(kind: str, subject: str, counted: str, extra: str, singular) -> str:
    """The mechanism written for a rule shape, naming what it guards ('' for the kind's own)."""
    s = subject.replace("_", " ")
    counted = singular(counted) if counted else counted
    if kind == "uniqueness" and extra:
        return (f"unique constraint on ({s} id, {extra}): a second {counted or 'entry'} for the same {s} and {extra} "
                f"fails on insert (an exclusion constraint over time ranges when {extra}s overlap)")
    if kind == "uniqueness":
        return (f"unique constraint on the {s} id in the {counted} assignments: one {counted} per {s}, a second insert "
                f"fails; reassignment is an atomic conditional update")
    if kind == "exactly-once-effect":
        return (f"idempotency key per {s}: a unique constraint on the {s} id of the effect, claimed before the side "
                f"effect, so a retry or replay applies it at most once")
    if kind == "restricted-read" and extra == "deny":
        return (f"authorization filter on every read: the {counted or 'restricted'} fields are removed from the view "
                f"the {s} role gets (a separate response schema per role, checked server-side)")
    if kind == "restricted-read":
        return (f"authorization check on every read: a row-level security policy (or a service-side filter) lets only "
                f"the {s} role read these rows")
    return ""


def _ok(word: str) -> bool:
    return word.lower() not in _NOT_HOLDERS and not word.lower().endswith("ly")


def unique_slot(inv, names: tuple[str, ...], tables: dict, extra: list) -> None:
    """The DDL for a one-per-slot rule: a unique index over (holder, slot) on the table of
    what is booked ("hearings": unique (courtroom_id, time_slot)), or an assignments table
    with the holder unique ("one referee per match": match_id unique)."""
    from servicelens.design.identifiers import entity_names, snake_identifier
    found = [r for r in rule_shapes(inv.phrase, lambda pos: inv.phrase, lambda w: entity_names(w)[0]) if r[0] == "uniqueness"]
    if not found:
        return
    _, _, holder, counted, slot = found[0]
    if not holder or not counted and not slot:
        return
    what = entity_names(counted)[0] if counted else ""
    holder_column = f"{holder}_id"
    if slot:
        table = tables.get(what) or tables.get(holder) or tables[names[0]]
        slot_column = snake_identifier(slot)
        kind = "date" if slot_column in ("day", "date") else "timestamptz"
        for column in (f"{holder_column} uuid not null", f"{slot_column} {kind} not null"):
            if column.split()[0] != "id" and not any(c.startswith(column.split()[0] + " ") for c in table["columns"]):
                table["columns"].insert(2, column)
        table["indexes"].append({"columns": [holder_column, slot_column], "unique": True})
        return
    name = f"{what}_assignments"
    if any(t["name"] == name for t in extra):
        return
    extra.append({"name": name, "columns": [
        "id uuid primary key", f"{holder_column} uuid not null unique", f"{what}_id uuid not null",
        "assigned_by uuid not null", "created_at timestamptz not null default now()"],
        "indexes": [[f"{what}_id", "created_at"]]})
