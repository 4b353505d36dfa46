"""Cross-cutting middlewares: request ids, CORS for the clinic portal, errors."""
from __future__ import annotations

import logging
import time
import uuid

from aiohttp import web

log = logging.getLogger(__name__)

CORS_ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-Request-Id"
CORS_ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"


@web.middleware
async def request_id(request: web.Request, handler) -> web.StreamResponse:
    rid = request.headers.get("X-Request-Id") or uuid.uuid4().hex
    request["request_id"] = rid
    started = time.monotonic()
    try:
        response = await handler(request)
    finally:
        elapsed_ms = (time.monotonic() - started) * 1000
        log.info("%s %s rid=%s %.1fms", request.method, request.path, rid, elapsed_ms)
    response.headers["X-Request-Id"] = rid
    return response


@web.middleware
async def portal_cors(request: web.Request, handler) -> web.StreamResponse:
    origin = request.headers.get("Origin")
    if request.method == "OPTIONS" and origin:
        response = web.Response(status=204)
    else:
        response = await handler(request)
    if origin:
        # the portal is served from per-clinic subdomains, so echo the caller
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
        response.headers["Access-Control-Allow-Methods"] = CORS_ALLOW_METHODS
        response.headers["Vary"] = "Origin"
    return response


@web.middleware
async def json_errors(request: web.Request, handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400 or exc.content_type == "application/json":
            raise
        return web.json_response({"error": exc.reason}, status=exc.status)
    except Exception:
        log.exception("unhandled error rid=%s", request.get("request_id"))
        return web.json_response(
            {"error": "internal error", "request_id": request.get("request_id")}, status=500
        )
