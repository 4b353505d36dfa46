import csv
import hashlib
import io
import json
from datetime import datetime, timedelta, timezone

from aiohttp import web
from aiojobs.aiohttp import spawn

from . import billing
from .errors import json_error, read_json
from .security import require_role

routes = web.RouteTableDef()

STATUSES = ("open", "pending", "solved", "closed")
PRIORITIES = ("low", "normal", "high", "urgent")
EDITABLE_FIELDS = ("status", "priority", "assignee_id", "subject")
SLA_HOURS = {"premium": 4, "standard": 24}

LIST_COLUMNS = "id, subject, status, priority, requester_id, assignee_id, created_at, updated_at"


def _ticket_json(row) -> dict:
    out = dict(row)
    for key, value in out.items():
        if isinstance(value, datetime):
            out[key] = value.isoformat()
    return out


def _page(request: web.Request) -> tuple[int, int]:
    max_size = request.app["settings"].page_size_max
    try:
        limit = min(max(int(request.query.get("limit", 25)), 1), max_size)
        offset = max(int(request.query.get("offset", 0)), 0)
    except ValueError:
        raise json_error(400, "limit and offset must be integers")
    return limit, offset


@routes.get("/tickets")
async def list_tickets(request: web.Request) -> web.Response:
    user = request["user"]
    limit, offset = _page(request)
    where = ["org_id = $1"]
    args: list = [user["org_id"]]

    if user["role"] == "customer":
        args.append(user["id"])
        where.append(f"requester_id = ${len(args)}")

    statuses = [s for s in request.query.getall("status", []) if s in STATUSES]
    if statuses:
        args.append(statuses)
        where.append(f"status = ANY(${len(args)}::text[])")

    if q := request.query.get("q"):
        args.append(f"%{q}%")
        where.append(f"subject ILIKE ${len(args)}")

    sort = request.query.get("sort", "-created_at")
    direction = "DESC" if sort.startswith("-") else "ASC"
    column = sort.lstrip("-")

    args.extend([limit, offset])
    sql = (
        f"SELECT {LIST_COLUMNS} FROM tickets WHERE {' AND '.join(where)} "
        f"ORDER BY {column} {direction} LIMIT ${len(args) - 1} OFFSET ${len(args)}"
    )
    pool = request.app["db"]
    rows = await pool.fetch(sql, *args)

    tags: dict[int, list[str]] = {}
    if rows:
        tag_rows = await pool.fetch(
            "SELECT ticket_id, tag FROM ticket_tags WHERE ticket_id = ANY($1::bigint[])",
            [r["id"] for r in rows],
        )
        for t in tag_rows:
            tags.setdefault(t["ticket_id"], []).append(t["tag"])

    items = [{**_ticket_json(r), "tags": tags.get(r["id"], [])} for r in rows]
    return web.json_response({"items": items, "limit": limit, "offset": offset})


@routes.post("/tickets")
async def create_ticket(request: web.Request) -> web.Response:
    user = request["user"]
    data = await read_json(request)
    subject = str(data.get("subject", "")).strip()
    body = str(data.get("body", "")).strip()
    if not subject or not body:
        raise json_error(400, "subject and body are required")
    if len(subject) > 200 or len(body) > 50_000:
        raise json_error(400, "subject or body too long")

    if await request.app["spam"].is_spam(f"{subject}\n{body}"):
        raise json_error(422, "ticket rejected by content filter")

    tier = await request.app["crm"].customer_tier(user["email"])
    priority = "high" if tier == "premium" else "normal"
    sla_due = datetime.now(timezone.utc) + timedelta(hours=SLA_HOURS.get(tier, 24))
    tags = sorted({str(t)[:40] for t in data.get("tags", [])[:10]})

    pool = request.app["db"]
    async with pool.acquire() as conn:
        async with conn.transaction():
            ticket_id = await conn.fetchval(
                "INSERT INTO tickets (org_id, requester_id, subject, body, priority, sla_due_at) "
                "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                user["org_id"], user["id"], subject, body, priority, sla_due,
            )
            if tags:
                await conn.executemany(
                    "INSERT INTO ticket_tags (ticket_id, tag) VALUES ($1, $2)",
                    [(ticket_id, t) for t in tags],
                )
            await conn.execute(
                "INSERT INTO ticket_events (ticket_id, actor_id, kind) VALUES ($1, $2, 'created')",
                ticket_id, user["id"],
            )

    await spawn(request, request.app["notifier"].ticket_created(ticket_id, subject, priority))
    return web.json_response({"id": ticket_id, "priority": priority}, status=201)


@routes.get(r"/tickets/{ticket_id:\d+}")
async def get_ticket(request: web.Request) -> web.Response:
    user = request["user"]
    ticket_id = int(request.match_info["ticket_id"])
    pool = request.app["db"]
    ticket = await pool.fetchrow(
        "SELECT t.*, u.name AS requester_name, u.email AS requester_email "
        "FROM tickets t JOIN users u ON u.id = t.requester_id WHERE t.id = $1",
        ticket_id,
    )
    if ticket is None:
        raise json_error(404, "ticket not found")

    show_internal = user["role"] != "customer"
    comments = await pool.fetch(
        "SELECT c.id, c.body, c.internal, c.created_at, u.name AS author "
        "FROM comments c LEFT JOIN users u ON u.id = c.author_id "
        "WHERE c.ticket_id = $1 AND (c.internal = false OR $2) ORDER BY c.created_at",
        ticket_id, show_internal,
    )
    return web.json_response({
        **_ticket_json(ticket),
        "comments": [_ticket_json(c) for c in comments],
    })


@routes.patch(r"/tickets/{ticket_id:\d+}")
@require_role("agent", "admin")
async def update_ticket(request: web.Request) -> web.Response:
    user = request["user"]
    ticket_id = int(request.match_info["ticket_id"])
    data = await read_json(request)
    changes = {k: data[k] for k in EDITABLE_FIELDS if k in data}
    if not changes:
        raise json_error(400, "nothing to update")
    if "status" in changes and changes["status"] not in STATUSES:
        raise json_error(400, "invalid status")
    if "priority" in changes and changes["priority"] not in PRIORITIES:
        raise json_error(400, "invalid priority")
    pool = request.app["db"]
    if changes.get("assignee_id") is not None:
        is_agent = await pool.fetchval(
            "SELECT 1 FROM users WHERE id = $1 AND org_id = $2 AND role IN ('agent', 'admin')",
            changes["assignee_id"], user["org_id"],
        )
        if not is_agent:
            raise json_error(400, "assignee must be an agent of this organisation")

    assignments = [f"{col} = ${i}" for i, col in enumerate(changes, start=1)]
    args = list(changes.values()) + [ticket_id, user["org_id"]]
    row = await pool.fetchrow(
        f"UPDATE tickets SET {', '.join(assignments)}, updated_at = now() "
        f"WHERE id = ${len(args) - 1} AND org_id = ${len(args)} RETURNING {LIST_COLUMNS}",
        *args,
    )
    if row is None:
        raise json_error(404, "ticket not found")
    return web.json_response(_ticket_json(row))


@routes.post(r"/tickets/{ticket_id:\d+}/claim")
@require_role("agent", "admin")
async def claim_ticket(request: web.Request) -> web.Response:
    user = request["user"]
    ticket_id = int(request.match_info["ticket_id"])
    claimed = await request.app["db"].fetchval(
        "UPDATE tickets SET assignee_id = $1, updated_at = now() "
        "WHERE id = $2 AND org_id = $3 AND assignee_id IS NULL RETURNING id",
        user["id"], ticket_id, user["org_id"],
    )
    if claimed is None:
        raise json_error(409, "ticket is already assigned or does not exist")
    return web.json_response({"id": ticket_id, "assignee_id": user["id"]})


@routes.post(r"/tickets/{ticket_id:\d+}/merge")
@require_role("agent", "admin")
async def merge_ticket(request: web.Request) -> web.Response:
    user = request["user"]
    source_id = int(request.match_info["ticket_id"])
    data = await read_json(request)
    try:
        target_id = int(data["into"])
    except (KeyError, TypeError, ValueError):
        raise json_error(400, "'into' must be a ticket id")
    if target_id == source_id:
        raise json_error(400, "cannot merge a ticket into itself")

    pool = request.app["db"]
    async with pool.acquire() as conn:
        found = await conn.fetchval(
            "SELECT count(*) FROM tickets WHERE id = ANY($1::bigint[]) AND org_id = $2 AND merged_into IS NULL",
            [source_id, target_id], user["org_id"],
        )
        if found != 2:
            raise json_error(404, "ticket not found")
        await conn.execute("UPDATE comments SET ticket_id = $1 WHERE ticket_id = $2", target_id, source_id)
        await conn.execute("UPDATE attachments SET ticket_id = $1 WHERE ticket_id = $2", target_id, source_id)
        await conn.execute(
            "UPDATE tickets SET status = 'closed', merged_into = $1, closed_at = now(), updated_at = now() "
            "WHERE id = $2",
            target_id, source_id,
        )
        await conn.execute(
            "INSERT INTO ticket_events (ticket_id, actor_id, kind, detail) VALUES ($1, $2, 'merged', $3)",
            target_id, user["id"], json.dumps({"from": source_id}),
        )
    return web.json_response({"merged": source_id, "into": target_id})


@routes.post(r"/tickets/{ticket_id:\d+}/urgent")
async def make_urgent(request: web.Request) -> web.Response:
    user = request["user"]
    ticket_id = int(request.match_info["ticket_id"])
    async with request.app["db"].acquire() as conn:
        async with conn.transaction():
            ticket = await conn.fetchrow(
                "SELECT id, priority FROM tickets WHERE id = $1 AND org_id = $2 AND status <> 'closed'",
                ticket_id, user["org_id"],
            )
            if ticket is None:
                raise json_error(404, "ticket not found")
            if ticket["priority"] == "urgent":
                return web.json_response({"id": ticket_id, "priority": "urgent"})
            try:
                remaining = await billing.spend_credits(conn, user["org_id"], billing.URGENT_COST)
            except billing.InsufficientCredits:
                raise json_error(409, "not enough support credits")
            await conn.execute(
                "UPDATE tickets SET priority = 'urgent', updated_at = now() WHERE id = $1", ticket_id
            )
    return web.json_response({"id": ticket_id, "priority": "urgent", "credits_remaining": remaining})


@routes.get("/queue")
@require_role("agent", "admin")
async def agent_queue(request: web.Request) -> web.Response:
    user = request["user"]
    pool = request.app["db"]
    rows = await pool.fetch(
        "SELECT id, subject, priority, requester_id, sla_due_at FROM tickets "
        "WHERE org_id = $1 AND status = 'open' AND assignee_id IS NULL "
        "ORDER BY sla_due_at NULLS LAST LIMIT 50",
        user["org_id"],
    )
    items = []
    for row in rows:
        requester = await pool.fetchrow(
            "SELECT name, email FROM users WHERE id = $1", row["requester_id"]
        )
        items.append({
            **_ticket_json(row),
            "requester": {"name": requester["name"], "email": requester["email"]},
        })
    return web.json_response({"items": items})


@routes.get("/stats")
@require_role("agent", "admin")
async def ticket_stats(request: web.Request) -> web.Response:
    org_id = request["user"]["org_id"]
    pool = request.app["db"]
    counts = {}
    for status in STATUSES:
        counts[status] = await pool.fetchval(
            "SELECT count(*) FROM tickets WHERE org_id = $1 AND status = $2", org_id, status
        )
    return web.json_response({"by_status": counts})


@routes.get("/tickets/export")
@require_role("admin")
async def export_tickets(request: web.Request) -> web.Response:
    org_id = request["user"]["org_id"]
    rows = await request.app["db"].fetch(
        "SELECT id, subject, status, priority, requester_id, assignee_id, created_at, closed_at "
        "FROM tickets WHERE org_id = $1 ORDER BY id",
        org_id,
    )
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "subject", "status", "priority", "requester_id", "assignee_id",
                     "created_at", "closed_at"])
    for r in rows:
        writer.writerow([r["id"], r["subject"], r["status"], r["priority"], r["requester_id"],
                         r["assignee_id"], r["created_at"].isoformat(),
                         r["closed_at"].isoformat() if r["closed_at"] else ""])
    body = buf.getvalue().encode()
    etag = '"' + hashlib.md5(body).hexdigest() + '"'
    if request.headers.get("If-None-Match") == etag:
        return web.Response(status=304)
    return web.Response(
        body=body,
        content_type="text/csv",
        headers={"ETag": etag, "Content-Disposition": 'attachment; filename="tickets.csv"'},
    )
