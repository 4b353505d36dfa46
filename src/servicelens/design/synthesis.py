"""A domain spec built from the requirement itself: its entities become tables, its
actions become operations named from the text, and its invariants become constraints
in the DDL. Used for any system the catalogue does not know, and to add what a known
domain lacks (a ticketing system is more than its payments).

The spec has the same shape as a catalogue domain (data/domains.yaml), so the contract,
DDL, code skeleton and self-check treat it like any other.
"""
from __future__ import annotations

import re
from typing import Any

from servicelens.design.invariant_ddl import GUARANTEE_KINDS, enforce_guarantee
from servicelens.design.archetypes import Archetype, archetype_operations
from servicelens.design.derived_ops import derived_operations
from servicelens.design.ephemeral_state import ephemeral_things
from servicelens.design.identifiers import entity_names
from servicelens.design.lifecycle import lifecycles
from servicelens.design.lifecycle_spec import apply_lifecycles
from servicelens.design.negated_acts import without_negated
from servicelens.design.op_sources import writer_background
from servicelens.design.rule_shapes import unique_slot
from servicelens.model.design import Invariant, Requirement

SYSTEM = "system"
MAX_ENTITIES = 7  # a first cut of a system of a kind nobody catalogued names its acts on 6-7 things (the text ranks them); noise grows after
_BASE_DEFAULTS = {"record_bytes": 500, "read_write_ratio": 1, "retention_years": 3, "latency_p99_ms": 300,
                  "availability_pct": 99.9, "writes_per_user_day": 5, "peak_factor": 3,
                  # the page loads and API calls of one active user's day (a session or two)
                  "requests_per_user_day": 20}
_SCOPE = re.compile(r"\b(?:within|per|for each|in each|inside|of each|by)\s+(?:a|an|the|each|every|one)?\s*([a-z]{3,})", re.I)
_NAME_BODY = {"name": {"type": "string", "minLength": 1, "maxLength": 200},
              "attributes": {"type": "object", "maxProperties": 50}}


def system_spec(req: Requirement, title: str, taken_tables: set[str] = frozenset(),
                taken_ops: set[str] = frozenset(), archetypes: tuple[Archetype, ...] = ()) -> dict[str, Any]:
    """The domain spec for the requirement's own entities, actions and invariants; entities
    another domain of the design already stores (`taken_tables`) are left to it; `archetypes`
    (data/lifecycles.yaml) add the steps an entity of a known archetype goes through."""
    names = tuple(n for n in _chosen_entities(req) if entity_names(n)[1] not in taken_tables)
    if not names:
        return {"title": title, "keywords": [], "entities": [], "defaults": dict(_BASE_DEFAULTS),
                "shard_key": "owner_id", "cache": {"what": "records by id", "ttl": "60 s"}, "tables": [], "operations": []}
    tables = {n: _table(n) for n in names}
    ops: list[dict[str, Any]] = []
    for n in names:
        ops.extend(_crud_ops(n))
    for action in req.actions:
        verb, singular = split_action(action, tuple(tables))
        if singular and not writer_background(req.text, verb, singular):
            op = _action_op(action, singular, verb)
            if op and _names_the_create(op, ops, singular):
                continue
            if op and all(o["id"] != op["id"] for o in ops):
                ops.append(op)
    ops = _without_unsaid_edits(ops, req.actions, tuple(tables), req.text)
    extra_tables: list[dict[str, Any]] = []
    for inv in req.invariants:
        _enforce(inv, names, tables, extra_tables, ops)
    apply_lifecycles(lifecycles(req.text, names, req.actions), tables, ops)
    ops.extend(derived_operations(names, req.actions, req.text, tables, ops))
    ops.extend(archetype_operations(names, req.actions, req.text, tables, ops, archetypes))
    ops = [op for op in without_negated(ops, req.text) if op["id"] not in taken_ops]
    extra_tables = [t for t in extra_tables if t["name"] not in taken_tables]  # e.g. the payments domain's own outbox
    first = names[0]
    _, plural = entity_names(first)
    return {
        "title": title, "keywords": [], "entities": list(names), "defaults": dict(_BASE_DEFAULTS),
        "shard_key": f"owner_id (a tenant's {plural} are listed together)",
        "cache": {"what": f"{plural} by id", "ttl": "60 s, invalidated on update"},
        "tables": list(tables.values()) + extra_tables, "operations": ops,
    }


_TITLE = re.compile(r"\b(?:design|build|building|create|implement|architect|need|want)\s+(?:me\s+)?(?:(?:a|an|the|our)\s+)?"
                    r"(?P<t>[A-Za-z][\w' -]{2,60}?)(?=\s+(?:that|which|for|to|with|where|so|using|in|on)\b|[.,:;(]|$)", re.I)


def title_phrase(text: str) -> str:
    """"Design a ride-hailing dispatch service that ..." -> "ride-hailing dispatch service";
    else the first sentence's opening words (up to six)."""
    m = _TITLE.search(text)
    if m:
        return m.group("t").strip()
    # a stop or colon between digits is part of a number or a time of day ("1.5M", "by 09:00")
    first = re.split(r"(?<!\d)[.:]|[.:](?!\d)|[;!?\n]", text.strip(), maxsplit=1)[0]
    return " ".join(first.split()[:6])


def system_title(req: Requirement) -> str:
    """A title from the user's words, reduced to letters, digits and simple punctuation: it
    lands in Markdown, HTML, OpenAPI and code comments, and the text is untrusted."""
    title = " ".join(re.sub(r"[^\w' .,&+/:-]|(?<!\d):|:(?!\d)", " ", title_phrase(req.text)).split())[:80]
    title = title or f"{req.entities[0] if req.entities else 'Resource'} service"
    return title[:1].upper() + title[1:]


def _chosen_entities(req: Requirement) -> tuple[str, ...]:
    picked = []
    memory = ephemeral_things(req)  # a liveness signal is a key with a TTL in memory, not a table
    for e in req.entities:
        singular, _ = entity_names(e)
        if singular not in picked and singular not in memory:
            picked.append(singular)
        if len(picked) == MAX_ENTITIES:
            break
    return tuple(picked) or ("item",)


def _table(singular: str) -> dict[str, Any]:
    _, plural = entity_names(singular)
    return {"name": plural,
            "columns": ["id uuid primary key", "owner_id uuid not null", "name varchar(200) not null",
                        "status varchar(32) not null default 'active'", "attributes jsonb not null default '{}'",
                        "version integer not null default 1", "created_at timestamptz not null default now()",
                        "updated_at timestamptz not null default now()"],
            "indexes": [["owner_id", "created_at"]]}


def _crud_ops(singular: str) -> list[dict[str, Any]]:
    s, p = entity_names(singular)
    return [
        {"id": f"create_{s}", "method": "POST", "path": f"/v1/{p}", "summary": f"Create a {s.replace('_', ' ')}",
         "kind": "write", "status": 201, "auth": True, "idempotent": True, "table": p,
         "request": dict(_NAME_BODY), "required": ["name"], "queries": [{"table": p, "where": ["id"]}]},
        {"id": f"get_{s}", "method": "GET", "path": f"/v1/{p}/{{id}}", "summary": f"Get one {s.replace('_', ' ')}",
         "kind": "read", "status": 200, "auth": True, "table": p, "cached": True, "queries": [{"table": p, "where": ["id"]}]},
        {"id": f"list_{p}", "method": "GET", "path": f"/v1/{p}", "summary": f"List {p.replace('_', ' ')}, newest first",
         "kind": "read", "status": 200, "auth": True, "table": p, "paginated": True,
         "queries": [{"table": p, "where": ["owner_id"], "order": ["created_at"]}]},
        {"id": f"update_{s}", "method": "PATCH", "path": f"/v1/{p}/{{id}}", "summary": f"Update / edit a {s.replace('_', ' ')} (If-Match version)",
         "kind": "write", "status": 200, "auth": True, "table": p, "skeleton": False,
         "request": dict(_NAME_BODY), "queries": [{"table": p, "where": ["id"]}]},
        {"id": f"delete_{s}", "method": "DELETE", "path": f"/v1/{p}/{{id}}", "summary": f"Delete a {s.replace('_', ' ')}",
         "kind": "write", "status": 204, "auth": True, "table": p, "skeleton": False, "queries": [{"table": p, "where": ["id"]}]},
    ]


# Verbs that ask for the generic update / delete of a thing the text otherwise acts on (replacing a
# thing is writing it whole: an edit).
_EDIT_VERBS = frozenset("edit update change modify rename configure adjust set correct amend replace".split())
_DELETE_VERBS = frozenset("delete remove erase purge discard".split())
# Verbs that define a standing thing (a job, a rule, an endpoint): its owner edits and removes
# it later. Records of something that happened (a bid placed, a dose recorded) are not edited.
_DEFINE_VERBS = frozenset("register define configure create add schedule subscribe set".split())


_EDIT_WORDS = re.compile(r"\b(?:edit|updat|chang|modif|amend|correct|renam|manag|adjust|replac|configur|overwrit)\w*", re.I)
# (a purge, an expiry or a retention period is the system's own clean-up, not a caller's delete)
_DELETE_WORDS = re.compile(r"\b(?:delet|remov|eras|discard|withdr)\w*", re.I)


def _without_unsaid_edits(ops: list[dict[str, Any]], actions: tuple[str, ...],
                          entities: tuple[str, ...], text: str = "") -> list[dict[str, Any]]:
    """Generic CRUD is for things the text names but says nothing done to. Where the text
    gives a thing its own verbs ("bidders place bids", "the auction closes"), those are its
    operations: a generic update or delete stays only when the text asks to edit or delete it, or
    when the thing is one a caller defines and keeps (a job registered, a rule configured).
    A thing the text says nothing done to keeps its generic update and delete only when it is the
    system's main thing or the text speaks of editing or deleting at all: a design that lists
    "delete a server" for a text that only counts servers offers an operation nobody asked for."""
    verbs: dict[str, set[str]] = {}
    for action in actions:
        verb, singular = split_action(action, entities)
        if singular:
            verbs.setdefault(singular, set()).add(verb.split("_")[0])
    keep = []
    for op in ops:
        kind, _, singular = op["id"].partition("_")
        said = verbs.get(singular)
        if said is None and text and entities and singular != entities[0] and (
                (kind == "update" and not _EDIT_WORDS.search(text)) or (kind == "delete" and not _DELETE_WORDS.search(text))):
            continue
        if said is None or said & _DEFINE_VERBS:
            keep.append(op)
            continue
        if (kind == "update" and not said & _EDIT_VERBS) or (kind == "delete" and not said & _DELETE_VERBS):
            continue
        keep.append(op)
    return keep


def _names_the_create(op: dict[str, Any], ops: list[dict[str, Any]], singular: str) -> bool:
    """"bidders place bids": placing a bid is how a bid is created, so the text's verb names
    the collection's POST (POST /v1/bids, operationId place_bid) instead of a second path
    beside a generic create. True when the generic create was renamed."""
    if op["method"] != "POST" or op.get("status") != 201:
        return False
    generic = next((o for o in ops if o["id"] == f"create_{singular}" and o["path"] == op["path"].rsplit("/", 1)[0]), None)
    if generic is None:
        return False
    generic.update(id=op["id"], summary=f"{op['summary']} (creates a {singular.replace('_', ' ')})")
    return True


def split_action(action: str, entities: tuple[str, ...]) -> tuple[str, str]:
    """("pick_up_parcel", entities) -> ("pick_up", "parcel"): the longest ending that names
    one of the entities is the object; ('', '') when none does."""
    parts = action.split("_")
    for cut in range(1, len(parts)):
        singular = "_".join(parts[cut:])
        if singular in entities:
            return "_".join(parts[:cut]), singular
    return "", ""


def _action_op(action: str, singular: str, verb: str) -> dict[str, Any] | None:
    """An action named by the text: a state change is POST /v1/{plural}/{id}/{verb}; a
    read is GET /v1/{plural}/{id}/{verb}; a create is the entity's own create."""
    from servicelens.design.entities import verb_kind
    kind = verb_kind(verb)
    _, plural = entity_names(singular)
    words = f"{verb.replace('_', ' ')} {singular.replace('_', ' ')}"
    if kind == "transition" or (kind == "create" and verb in _STATE_CHANGES):
        return {"id": action, "method": "POST", "path": f"/v1/{plural}/{{id}}/{verb}", "summary": words.capitalize(),
                "kind": "write", "status": 200, "auth": True, "table": plural, "skeleton": False,
                "queries": [{"table": plural, "where": ["id"]}]}
    if kind == "read" and verb not in ("get", "list", "view", "see", "show", "fetch", "read"):
        return {"id": action, "method": "GET", "path": f"/v1/{plural}/{{id}}/{verb}", "summary": words.capitalize(),
                "kind": "read", "status": 200, "auth": True, "table": plural, "skeleton": False,
                "queries": [{"table": plural, "where": ["id"]}]}
    if kind == "create" and verb != "create":
        return {"id": action, "method": "POST", "path": f"/v1/{plural}/{verb}", "summary": words.capitalize(),
                "kind": "write", "status": 201, "auth": True, "idempotent": True, "table": plural, "skeleton": False,
                "request": dict(_NAME_BODY), "required": ["name"], "queries": [{"table": plural, "where": ["id"]}]}
    return None


# Verbs that act on an existing row although they read like creations ("hold a seat").
_STATE_CHANGES = {"hold", "reserve", "claim", "sell", "buy", "purchase", "pay", "book", "open", "start", "edit", "rate", "review"}


def scope_of(inv: Invariant, names: tuple[str, ...]) -> str:
    """The key an invariant holds within ("in order within a conversation" -> conversation)."""
    m = _SCOPE.search(inv.phrase)
    if m:
        singular, _ = entity_names(m.group(1).lower())
        if singular not in ("second", "minute", "hour", "day", "month", "year", "user_item", "request"):
            return singular
    return "owner"


def _enforce(inv: Invariant, names: tuple[str, ...], tables: dict[str, dict[str, Any]],
             extra: list[dict[str, Any]], ops: list[dict[str, Any]]) -> None:
    """Turns an invariant into DDL that keeps it (constraints, not comments)."""
    target = _target(inv, names)
    table = tables[target]
    name = table["name"]
    have = {c.split(" ")[0] for c in table["columns"]}
    if inv.kind == "no-double-sell" and "held_by" not in have:  # two rules on one table keep it once
        table["columns"].append("held_by uuid")
        table["columns"].append("hold_expires_at timestamptz")
        table["columns"].append("check (status in ('active', 'available', 'held', 'sold', 'cancelled'))")
        table["indexes"].append({"columns": ["hold_expires_at"], "where": "status = 'held'"})
        extra.append({"name": f"{target}_sales", "columns": [
            "id uuid primary key", f"{target}_id uuid not null unique", "buyer_id uuid not null",
            "idempotency_key varchar(64) not null unique", "created_at timestamptz not null default now()"],
            "indexes": [["buyer_id", "created_at"]]})
        for verb in ("hold", "confirm", "release"):
            op_id = f"{verb}_{target}"
            if all(o["id"] != op_id for o in ops):
                ops.append({"id": op_id, "method": "POST", "path": f"/v1/{name}/{{id}}/{verb}",
                            "summary": f"{verb.capitalize()} a {target.replace('_', ' ')} ({_HOLD_SUMMARY[verb]})",
                            "kind": "write", "status": 200, "auth": True, "table": name, "skeleton": False,
                            "queries": [{"table": name, "where": ["id"]}]})
    elif inv.kind == "capacity-limit" and "capacity" not in have:
        table["columns"] += ["capacity integer not null default 0", "taken integer not null default 0",
                             "check (taken >= 0 and taken <= capacity)"]
    elif inv.kind == "per-key-order":
        _numbered_within(table, scope_of(inv, names), "seq")
    elif inv.kind == "gapless-sequence":
        scope = scope_of(inv, names)
        column = _numbered_within(table, scope, "number")
        extra.append({"name": f"{scope}_{target}_counters", "columns": [
            f"{column} uuid primary key", "next_number bigint not null default 1 check (next_number > 0)"]})
    elif inv.kind == "immutable":
        table.setdefault("statements", []).append(
            f"REVOKE UPDATE, DELETE ON {name} FROM PUBLIC;  -- append-only: corrections are new rows")
        extra.append({"name": f"{target}_corrections", "columns": [
            "id uuid primary key", f"original_id uuid not null references {name}(id)", "owner_id uuid not null",
            "reason varchar(500) not null", "amount_delta bigint not null default 0",
            "created_at timestamptz not null default now()"],
            "indexes": [["original_id"], ["owner_id", "created_at"]],
            "statements": [f"REVOKE UPDATE, DELETE ON {target}_corrections FROM PUBLIC;"]})
    elif inv.kind == "exactly-once-effect":
        if not any(c.startswith("idempotency_key") for c in table["columns"]):
            table["columns"].insert(2, "idempotency_key varchar(64) not null unique")
    elif inv.kind == "at-least-once":
        _outbox(extra)
    elif inv.kind == "convergence":
        extra.append({"name": f"{target}_operations", "columns": [
            f"{target}_id uuid not null references {name}(id)", "version bigint not null", "author_id uuid not null",
            "operation jsonb not null", "created_at timestamptz not null default now()",
            f"primary key ({target}_id, version)"]})
    elif inv.kind == "audit":
        if all(t["name"] != "audit_log" for t in extra):
            extra.append({"name": "audit_log", "columns": [
                "id bigint generated always as identity primary key", "actor_id uuid not null",
                "action varchar(100) not null", "entity varchar(100) not null", "entity_id uuid not null",
                "before jsonb", "after jsonb", "created_at timestamptz not null default now()"],
                "indexes": [["entity", "entity_id", "created_at"]],
                "statements": ["REVOKE UPDATE, DELETE ON audit_log FROM PUBLIC;"]})
    elif inv.kind == "isolation":
        _outbox(extra)
    elif inv.kind == "uniqueness":
        unique_slot(inv, names, tables, extra)
    elif inv.kind in GUARANTEE_KINDS:
        enforce_guarantee(inv, target, table, extra)
    elif inv.kind == "expiry":
        if not any(c.startswith("expires_at") for c in table["columns"]):
            table["columns"].append("expires_at timestamptz not null")
            table["indexes"].append({"columns": ["expires_at"], "where": "status = 'active'"})
        _expire_op(target, name, ops)


def _expire_op(singular: str, plural: str, ops: list[dict[str, Any]]) -> None:
    """"loans last 14 days and expire automatically": what expires is expired by someone, the
    scheduler, through one operation of its own (internal), so the transition has a name, an
    audit trail and a test like any other."""
    op_id = f"expire_{plural}"
    if any(o["id"] == op_id for o in ops):
        return
    ops.append({"id": op_id, "method": "POST", "path": f"/v1/{plural}/expire",
                "summary": f"Expire overdue {plural.replace('_', ' ')} (internal, run by the scheduled expiry job: "
                           f"conditional update WHERE expires_at <= now() AND status = 'active')",
                "kind": "write", "status": 200, "auth": True, "table": plural, "skeleton": False,
                "queries": [{"table": plural, "where": ["expires_at"]}]})


_HOLD_SUMMARY = {"hold": "expiring hold; fails with 409 when already held or sold",
                 "confirm": "turns a live hold into a sale, exactly once",
                 "release": "gives up a hold before it expires"}


def _outbox(extra: list[dict[str, Any]]) -> None:
    if any(t["name"] == "outbox" for t in extra):
        return
    extra.append({"name": "outbox", "columns": [
        "id bigint generated always as identity primary key", "destination varchar(200) not null",
        "payload jsonb not null", "attempts integer not null default 0", "next_attempt_at timestamptz not null default now()",
        "delivered_at timestamptz", "dead_lettered_at timestamptz", "created_at timestamptz not null default now()"],
        "indexes": [{"columns": ["destination", "next_attempt_at"], "where": "delivered_at IS NULL AND dead_lettered_at IS NULL"}]})


def _target(inv: Invariant, names: tuple[str, ...]) -> str:
    """The entity an invariant is about: the first entity its sentence names, else the main one."""
    low = inv.phrase.lower()
    for n in names:
        singular, plural = entity_names(n)
        if re.search(rf"\b(?:{re.escape(singular)}|{re.escape(plural)})\b", low):
            return singular
    return names[0]


def extra_operations(wanted: tuple[tuple[str, ...], ...], entity: str, tables: list[dict[str, Any]],
                     ops: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Contract operations for (id, method, path, summary) tuples from the characteristics:
    placeholders {entity}/{entities} become the main entity; each path's first segment is
    its table (created with the standard resource columns when the design has none).
    Returns (new tables, new operations); ids already present are skipped."""
    singular, plural = entity_names(entity or "item")
    have_tables = {t["name"]: t for t in tables}
    have_ops = {o["id"] for o in ops}
    new_tables: list[dict[str, Any]] = []
    new_ops: list[dict[str, Any]] = []
    for op_id, method, path, summary in wanted:
        fill = lambda x: x.replace("{entities}", plural).replace("{entity}", singular)  # noqa: E731
        op_id, path, summary = fill(op_id), fill(path), fill(summary)
        if op_id in have_ops:
            continue
        table_name = path.split("/")[2]
        table = have_tables.get(table_name)
        if table is None:
            table = _table(table_name[:-1] if table_name.endswith("s") else table_name)
            table["name"] = table_name
            have_tables[table_name] = table
            new_tables.append(table)
        new_ops.append(_extra_op(op_id, method, path, summary, table))
        have_ops.add(op_id)
    return new_tables, new_ops


def _extra_op(op_id: str, method: str, path: str, summary: str, table: dict[str, Any]) -> dict[str, Any]:
    name = table["name"]
    op: dict[str, Any] = {"id": op_id, "method": method, "path": path, "summary": summary,
                          "kind": "read" if method == "GET" else "write", "auth": True, "table": name, "skeleton": False}
    if method == "GET" and "{" not in path:
        first = table.get("indexes", [[]])[0] if table.get("indexes") else []
        cols = first["columns"] if isinstance(first, dict) else first
        where = [c for c in cols if c != "created_at"] or ["id"]
        order = ["created_at"] if "created_at" in cols else []
        op.update(status=200, paginated=bool(order), queries=[{"table": name, "where": where, "order": order}])
    elif method == "GET":
        op.update(status=200, queries=[{"table": name, "where": _row_key(table)}])
    elif "{" in path:
        op.update(status=200, queries=[{"table": name, "where": _row_key(table)}])
    else:
        op.update(status=201, idempotent=True, request=dict(_NAME_BODY), required=["name"],
                  queries=[{"table": name, "where": ["id"]}])
    return op


def _row_key(table: dict[str, Any]) -> list[str]:
    """The columns a row is found by: its primary key when the id is scoped by another column
    (messages keyed by (conversation_id, id)), else the id."""
    for col in table.get("columns", ()):
        m = re.match(r"\s*primary key \(([^)]*)\)", col, re.I)
        if m:
            cols = [c.strip() for c in m.group(1).split(",")]
            return cols if "id" in cols else ["id"]
    return ["id"]


def _numbered_within(table: dict, scope: str, number: str) -> str:
    """A number unique within its scope (`(conversation_id, seq)`): the column, added with the
    scope's key when the table lacks it, and the unique index. Returns the scope's column."""
    column = f"{scope}_id" if scope != "owner" else "owner_id"
    names = {str(c).split()[0] for c in table["columns"]}
    if any(isinstance(i, dict) and i.get("columns") == [column, number] for i in table["indexes"]):
        return column  # the same order read twice
    if column != "owner_id" and column not in names:
        table["columns"].insert(2, f"{column} uuid not null")
    if number in names:
        number = f"{scope}_{number}"  # a second order on one table ("seq per pair" beside "seq per client") gets its own column
    if number not in names:
        table["columns"].insert(3, f"{number} bigint not null")
    table["indexes"].append({"columns": [column, number], "unique": True})
    return column
