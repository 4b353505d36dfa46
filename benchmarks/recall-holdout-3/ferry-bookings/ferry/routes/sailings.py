import hashlib
import json
from datetime import date

from aiohttp import web

from ferry.services import fares as fare_rules

routes = web.RouteTableDef()


def _page(request: web.Request) -> tuple[int, int]:
    max_size = request.app["settings"].max_page_size
    try:
        size = min(max(int(request.query.get("page_size", "20")), 1), max_size)
        page = max(int(request.query.get("page", "1")), 1)
    except ValueError:
        raise web.HTTPBadRequest(reason="page and page_size must be integers")
    return size, (page - 1) * size


@routes.get("/api/sailings")
async def search_sailings(request: web.Request) -> web.Response:
    try:
        origin = request.query["from"]
        destination = request.query["to"]
        on = date.fromisoformat(request.query["date"])
    except (KeyError, ValueError):
        raise web.HTTPBadRequest(reason="from, to and date (YYYY-MM-DD) are required")

    limit, offset = _page(request)
    rows = await request.app["sailings"].search(
        origin.upper(),
        destination.upper(),
        on,
        sort=request.query.get("sort", "s.departs_at"),
        direction=request.query.get("dir", "asc"),
        limit=limit,
        offset=offset,
    )
    return web.json_response(
        [
            {
                "id": r["id"],
                "route": r["route_code"],
                "vessel": r["vessel_name"],
                "departs_at": r["departs_at"].isoformat(),
                "arrives_at": r["arrives_at"].isoformat(),
                "seats_available": r["seats_available"],
                "lane_metres_free": str(r["lane_metres_free"]),
            }
            for r in rows
        ]
    )


@routes.get("/api/sailings/timetable/{route_code}")
async def timetable(request: web.Request) -> web.Response:
    week_start = date.fromisoformat(request.query.get("week", date.today().isoformat()))
    rows = await request.app["sailings"].timetable(
        request.match_info["route_code"], week_start, request.query.get("sort", "departure")
    )
    body = json.dumps(
        [
            {"id": r["id"], "departs_at": r["departs_at"].isoformat(),
             "arrives_at": r["arrives_at"].isoformat(), "vessel": r["vessel_name"]}
            for r in rows
        ]
    )
    etag = hashlib.sha1(body.encode()).hexdigest()
    if request.headers.get("If-None-Match") == etag:
        return web.Response(status=304)
    return web.Response(text=body, content_type="application/json", headers={"ETag": etag})


@routes.get("/api/sailings/{sailing_id:\\d+}")
async def sailing_detail(request: web.Request) -> web.Response:
    sailing = await request.app["sailings"].get(int(request.match_info["sailing_id"]))
    if sailing is None:
        raise web.HTTPNotFound()

    fare_rows = {}
    for season in fare_rules.SEASONS:
        fare_rows[season] = await request.app["sailings"].fares_for(season, sailing["route_code"])

    conditions = await request.app["weather"].sea_state(sailing["origin_port"])
    crossing_hours = (sailing["arrives_at"] - sailing["departs_at"]).total_seconds() / 3600
    return web.json_response(
        {
            "id": sailing["id"],
            "route": sailing["route_code"],
            "vessel": sailing["vessel_name"],
            "departs_at": sailing["departs_at"].isoformat(),
            "crossing_hours": round(crossing_hours, 1),
            "distance_nm": float(sailing["distance_nm"]),
            "fares": fare_rules.price_table(fare_rows),
            "sea_state": conditions,
        }
    )


@routes.get("/api/sailings/{sailing_id:\\d+}/manifest")
async def sailing_manifest(request: web.Request) -> web.Response:
    rows = await request.app["sailings"].manifest(int(request.match_info["sailing_id"]))
    return web.json_response(
        [
            {
                "reference": r["reference"],
                "name": r["full_name"],
                "date_of_birth": r["date_of_birth"].isoformat(),
                "nationality": r["nationality"],
                "document_number": r["document_number"],
                "vehicle": r["vehicle_registration"],
            }
            for r in rows
        ]
    )
