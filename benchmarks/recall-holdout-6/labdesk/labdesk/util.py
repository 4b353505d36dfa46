"""Small helpers shared by routes and services."""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from typing import Any

from aiohttp import web


def _default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(f"not serialisable: {type(value).__name__}")


def dumps(payload: Any) -> str:
    return json.dumps(payload, default=_default, separators=(",", ":"))


def json_ok(payload: Any, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.json_response(payload, status=status, headers=headers, dumps=dumps)


def etag_for(payload: Any) -> str:
    # cache validator for the portal's conditional GETs
    return '"' + hashlib.sha1(dumps(payload).encode()).hexdigest() + '"'


def page_params(request: web.Request, default: int = 50) -> tuple[int, int]:
    cap = request.app["settings"].page_size_max
    try:
        limit = int(request.query.get("limit", default))
        offset = int(request.query.get("offset", 0))
    except ValueError:
        raise web.HTTPBadRequest(reason="limit and offset must be integers")
    return max(1, min(limit, cap)), max(0, offset)


async def read_json(request: web.Request) -> dict:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(reason="body must be JSON")
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(reason="body must be a JSON object")
    return body


def mask_phone(phone: str | None) -> str:
    if not phone:
        return "-"
    return "***" + phone[-4:]
