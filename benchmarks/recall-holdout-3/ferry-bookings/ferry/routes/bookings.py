import asyncio
import logging
from datetime import date

from aiohttp import web

from ferry.services.boarding_pass import render_boarding_pass
from ferry.services.notifications import send_confirmation

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

MAX_PASSENGERS = 9


def _booking_json(b, sailing=None) -> dict:
    data = {
        "reference": b["reference"],
        "status": b["status"],
        "total_fare": str(b["total_fare"]),
        "created_at": b["created_at"].isoformat(),
    }
    if sailing is not None:
        data["sailing"] = {
            "id": sailing["id"],
            "route": sailing["route_code"],
            "departs_at": sailing["departs_at"].isoformat(),
        }
    return data


def _parse_passengers(raw) -> list[dict]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_PASSENGERS:
        raise web.HTTPBadRequest(reason=f"between 1 and {MAX_PASSENGERS} passengers")
    out = []
    for p in raw:
        try:
            out.append(
                {
                    "full_name": str(p["full_name"])[:120],
                    "date_of_birth": date.fromisoformat(p["date_of_birth"]),
                    "nationality": str(p["nationality"])[:2].upper(),
                    "document_number": str(p["document_number"])[:32],
                    "fare_class": p.get("fare_class", "standard"),
                }
            )
        except (KeyError, TypeError, ValueError):
            raise web.HTTPBadRequest(reason="invalid passenger")
    return out


@routes.get("/api/bookings")
async def my_bookings(request: web.Request) -> web.Response:
    rows = await request.app["bookings"].for_customer(request["customer_id"], limit=50)
    result = []
    for b in rows:
        sailing = await request.app["sailings"].get(b["sailing_id"])
        result.append(_booking_json(b, sailing))
    return web.json_response(result)


@routes.post("/api/bookings")
async def create_booking(request: web.Request) -> web.Response:
    key = request.headers.get("Idempotency-Key")
    if not key or len(key) > 64:
        raise web.HTTPBadRequest(reason="Idempotency-Key header required")
    body = await request.json()
    payload = {
        "sailing_id": int(body["sailing_id"]),
        "passengers": _parse_passengers(body.get("passengers")),
        "vehicle": body.get("vehicle"),
    }
    booking = await request.app["booking_service"].create(request["customer_id"], payload, key)
    return web.json_response(_booking_json(booking), status=201)


@routes.get("/api/bookings/{reference}")
async def get_booking(request: web.Request) -> web.Response:
    booking = await request.app["bookings"].by_reference(request.match_info["reference"])
    if booking is None:
        raise web.HTTPNotFound()
    sailing = await request.app["sailings"].get(booking["sailing_id"])
    data = _booking_json(booking, sailing)
    data["vehicle_registration"] = booking["vehicle_registration"]
    return web.json_response(data)


@routes.post("/api/bookings/{reference}/payments")
async def pay_booking(request: web.Request) -> web.Response:
    body = await request.json()
    service = request.app["booking_service"]
    booking, charge = await service.pay(
        request["customer_id"], request.match_info["reference"], body["card_token"]
    )

    sailing = await request.app["sailings"].get(booking["sailing_id"])
    async with request.app["pool"].acquire() as conn:
        passengers = await conn.fetch(
            "SELECT full_name FROM passengers WHERE booking_id = $1", booking["id"]
        )
    loop = asyncio.get_running_loop()
    pdf = await loop.run_in_executor(
        None, render_boarding_pass, dict(booking), dict(sailing), [dict(p) for p in passengers]
    )
    customer = await request.app["customers"].get(request["customer_id"])
    send_confirmation(request.app["settings"], customer["email"], booking["reference"],
                      sailing["departs_at"], pdf)
    return web.json_response({"reference": booking["reference"], "status": "confirmed",
                              "charge_id": charge["id"]})


@routes.post("/api/bookings/{reference}/cancel")
async def cancel_booking(request: web.Request) -> web.Response:
    body = await request.json() if request.can_read_body else {}
    refunded = await request.app["booking_service"].cancel(
        request["customer_id"], request.match_info["reference"], body.get("reason", "customer request")
    )
    return web.json_response({"status": "cancelled", "refund": str(refunded)})
