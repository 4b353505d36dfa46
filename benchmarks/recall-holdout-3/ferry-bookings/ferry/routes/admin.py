import csv
import io

from aiohttp import web

from ferry.auth import require_role

routes = web.RouteTableDef()


@routes.get("/api/admin/routes/{route_code}/bookings")
@require_role("ops", "admin")
async def route_bookings_report(request: web.Request) -> web.Response:
    rows = await request.app["bookings"].for_route(request.match_info["route_code"])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["reference", "status", "total_fare", "created_at", "departs_at"])
    for r in rows:
        writer.writerow([r["reference"], r["status"], r["total_fare"],
                         r["created_at"].isoformat(), r["departs_at"].isoformat()])
    return web.Response(text=out.getvalue(), content_type="text/csv")


@routes.post("/api/admin/sailings/{sailing_id:\\d+}/cancel")
@require_role("ops", "admin")
async def cancel_sailing(request: web.Request) -> web.Response:
    sailing_id = int(request.match_info["sailing_id"])
    async with request.app["pool"].acquire() as conn, conn.transaction():
        await conn.execute(
            "UPDATE sailings SET status = 'cancelled' WHERE id = $1 AND status = 'scheduled'",
            sailing_id,
        )
        await conn.execute(
            "INSERT INTO outbox (topic, payload) VALUES ('sailing.cancelled', jsonb_build_object('sailing_id', $1::bigint))",
            sailing_id,
        )
    return web.json_response({"status": "cancelled", "refunds": "run scripts/issue_refunds.py"})


@routes.patch("/api/admin/sailings/{sailing_id:\\d+}/capacity")
async def override_capacity(request: web.Request) -> web.Response:
    body = await request.json()
    seats = int(body["seats_available"])
    if seats < 0:
        raise web.HTTPBadRequest(reason="seats_available must be >= 0")
    await request.app["sailings"].set_capacity(int(request.match_info["sailing_id"]), seats)
    return web.json_response({"seats_available": seats})
