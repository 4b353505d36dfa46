import json
import logging

from aiohttp import web

from .errors import json_error

log = logging.getLogger(__name__)

EXEMPT_PATHS = (
    "/healthz",
    "/auth/login",
    "/auth/password-reset",
    "/webhooks/",
)


def _is_exempt(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) or path.startswith(p + "/")
               for p in EXEMPT_PATHS)


@web.middleware
async def error_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return web.json_response({"error": "internal server error"}, status=500)


@web.middleware
async def auth_middleware(request: web.Request, handler):
    if request.method == "OPTIONS" or _is_exempt(request.path):
        return await handler(request)

    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise json_error(401, "missing bearer token")

    raw = await request.app["redis"].get(f"session:{token}")
    if raw is None:
        raise json_error(401, "invalid or expired token")

    request["user"] = json.loads(raw)
    request["token"] = token
    return await handler(request)
