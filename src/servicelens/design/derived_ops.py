"""Operations the text implies without naming them, derived from what its entities are:

- cancel        a thing someone books, reserves, requests, orders or applies for (by the verb
                done to it, or by a noun that names such an act: "time-off requests",
                "appointments") can be cancelled by whoever made it while it is still pending;
- pending queue a thing that is approved or rejected needs the approver's queue of what waits;
- export        records handed over to an outside system ("exported to SAP") need the call that
                runs the handover, idempotent per record;
- owned read    what the text says belongs to one of its things ("a member's balance", "a meter's
                monthly consumption") is read through that thing: GET /v1/members/{id}/balance.

Each operation says it was derived and why, so a reader tells stated from inferred.
"""
from __future__ import annotations

from typing import Any

from servicelens.design.effect_shapes import handovers
import re

from servicelens.design.entities import is_thing
from servicelens.design.identifiers import entity_names, snake_identifier

# Verbs whose object is an act someone may take back ("book a court", "request leave").
_REQUEST_VERBS = frozenset("book reserve request order submit apply enrol enroll register schedule claim rent borrow "
                           "subscribe sign_up".split())
_PARTICIPLES = {"book": "booked", "reserve": "reserved", "request": "requested", "order": "ordered",
                "submit": "submitted", "apply": "applied-for", "enrol": "enrolled", "enroll": "enrolled",
                "register": "registered", "schedule": "scheduled", "claim": "claimed", "rent": "rented",
                "borrow": "borrowed", "subscribe": "subscribed-to", "sign_up": "signed-up-for"}
# Nouns that name such an act themselves.
_ACT_NOUNS = ("request", "booking", "reservation", "order", "application", "appointment", "registration", "enrolment",
              "enrollment", "subscription", "claim", "loan", "rental", "signup", "sign_up")


def filed_act(actions: tuple[str, ...], entities: tuple[str, ...]) -> str:
    """The thing people file for someone else to act on ("submit expenses", "time-off
    requests", "borrow books"), or ''. Such a thing is filed now and then, not every day."""
    for action in actions:
        verb, _, obj = action.partition("_")
        if verb in _REQUEST_VERBS and obj:
            return obj
    return next((e for e in entities if entity_names(e)[0].split("_")[-1] in _ACT_NOUNS), "")


def derived_operations(names: tuple[str, ...], actions: tuple[str, ...], text: str,
                       tables: dict[str, dict[str, Any]], ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The derived operations not already among `ops` (tables may gain the index a derived
    query needs)."""
    from servicelens.design.synthesis import split_action
    have = {op["id"] for op in ops}
    requested = {split_action(a, names)[1]: split_action(a, names)[0] for a in actions
                 if split_action(a, names)[0] in _REQUEST_VERBS}
    out: list[dict[str, Any]] = []
    for s in names:
        table = tables.get(s)
        if table is None:
            continue
        plural = table["name"]
        if (s in requested or s.split("_")[-1] in _ACT_NOUNS) and _may_be(table, "cancelled") \
                and f"cancel_{s}" not in have and not _has_path(ops, plural, "/cancel"):
            out.append(_cancel(s, plural, "" if s.split("_")[-1] in _ACT_NOUNS else requested.get(s, "")))
        if f"approve_{s}" in have and f"list_pending_{plural}" not in have:
            _index(table, ["status", "created_at"])
            out.append({"id": f"list_pending_{plural}", "method": "GET", "path": f"/v1/{plural}/pending",
                        "summary": f"{_words(plural).capitalize()} awaiting approval, oldest first (derived: whoever approves "
                                   f"needs the queue of what waits for a decision)",
                        "kind": "read", "status": 200, "auth": True, "table": plural, "paginated": True, "skeleton": False,
                        "queries": [{"table": plural, "where": ["status"], "order": ["created_at"]}]})
    for owner, part, phrase in possessions(text):
        o, owners = entity_names(owner)
        p, parts = entity_names(part)
        op_id = f"get_{o}_{p}"
        table = tables.get(p) or tables.get(o)
        if table is None or op_id in have or p == o:
            continue
        have.add(op_id)
        where = ["owner_id"] if p in tables else ["id"]
        out.append({"id": op_id, "method": "GET", "path": f"/v1/{owners}/{{id}}/{_path(p)}",
                    "summary": f"Get a {_words(o)}'s {phrase} (derived: the text reads it per {_words(o)})",
                    "kind": "read", "status": 200, "auth": True, "table": table["name"], "skeleton": False,
                    "queries": [{"table": table["name"], "where": where}]})
    for what, dest in handovers(text):
        s, plural = entity_names(what)
        if s not in tables or f"export_{plural}" in have:
            continue
        have.add(f"export_{plural}")
        out.append({"id": f"export_{plural}", "method": "POST", "path": f"/v1/{plural}/exports",
                    "summary": f"Export {_words(plural)} to {dest} (derived: the text hands them over; one export per "
                               f"{_words(s)}, the {_words(s)} id is the idempotency key)",
                    "kind": "write", "status": 202, "auth": True, "table": plural, "skeleton": False,
                    "queries": [{"table": plural, "where": ["status"], "order": ["created_at"]}]})
        _index(tables[s], ["status", "created_at"])
    return out


def _cancel(s: str, plural: str, verb: str) -> dict[str, Any]:
    """`verb`: the act on the thing ("reserve" a spot -> "Cancel a reserved spot"); '' when the
    noun names the act itself ("Cancel a time off request")."""
    what = f"{_PARTICIPLES.get(verb, verb + 'ed')} {_words(s)}" if verb else _words(s)
    return {"id": f"cancel_{s}", "method": "POST", "path": f"/v1/{plural}/{{id}}/cancel",
            "summary": f"Cancel a {what} (derived: what someone books or requests they can cancel while it is "
                       f"pending; conditional update WHERE owner_id = caller AND status not final, 409 otherwise)",
            "kind": "write", "status": 200, "auth": True, "table": plural, "skeleton": False,
            "queries": [{"table": plural, "where": ["id"]}]}


def _may_be(table: dict[str, Any], state: str) -> bool:
    """The table's status may take `state`: no check constraint lists the states, or it lists this one."""
    checks = [c for c in table["columns"] if c.startswith("check (status in (")]
    return not checks or any(f"'{state}'" in c for c in checks)


def _has_path(ops: list[dict[str, Any]], plural: str, ending: str) -> bool:
    return any(op["path"].startswith(f"/v1/{plural}/") and op["path"].endswith(ending) for op in ops)


def _index(table: dict[str, Any], columns: list[str]) -> None:
    if columns not in table.setdefault("indexes", []):
        table["indexes"].append(columns)


def _words(identifier: str) -> str:
    return snake_identifier(identifier).replace("_", " ")


# "a member's balance", "each meter's last 24h and monthly consumption", "players' scores": an
# owner (lower case: not a product name) and what belongs to it, up to the next verb or modal.
_POSSESSIVE = re.compile(r"\b([a-z][a-z\-]{2,})(?:'s|s')\s+((?:[a-z0-9\-]+\s+){0,5}?[a-z0-9\-]+)(?=\s+(?:is|are|was|were|must|"
                         r"should|can|cannot|may|will|would|has|have|stays?|goes|go|gets?|and\s+(?:is|are)|over|for|in|on|"
                         r"at|from|to|with|by|within|per)\b|\s*[.,;:!?()]|\s*$)")
_PRONOUN_OWNERS = frozenset("anyone someone everyone nobody one other else each another".split())


def possessions(text: str) -> list[tuple[str, str, str]]:
    """(owner, head noun, the words) for each thing the text says belongs to another; each
    conjunct of "last 24h and monthly consumption" is read, and only nouns count as heads."""
    out = []
    for m in _POSSESSIVE.finditer(text.replace("\u2019", "'")):
        owner = m.group(1).lower()
        if owner in _PRONOUN_OWNERS or not is_thing(owner):
            continue
        for conjunct in re.split(r"\s+(?:and|or)\s+", m.group(2)):
            words = conjunct.split()
            head = words[-1].lower() if words else ""
            if head.isalpha() and is_thing(head) and not _is_verb(head):
                out.append((owner, head, " ".join(words).lower()))
    return out


def _is_verb(word: str) -> bool:
    from servicelens.design.entities import base_verb
    return bool(base_verb(word))


def _path(singular: str) -> str:
    return singular.replace("_", "-")
