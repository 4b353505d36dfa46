"""Operations the text implies without naming them, derived from what its entities are:

- cancel        a thing someone books, reserves, requests, orders or applies for (by the verb
                done to it, or by a noun that names such an act: "time-off requests",
                "appointments") can be cancelled by whoever made it while it is still pending;
- pending queue a thing that is approved or rejected needs the approver's queue of what waits;
- export        records handed over to an outside system ("exported to SAP") need the call that
                runs the handover, idempotent per record.

Each operation says it was derived and why, so a reader tells stated from inferred.
"""
from __future__ import annotations

from typing import Any

from servicelens.design.effect_shapes import handovers
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
