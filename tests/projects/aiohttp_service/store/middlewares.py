import logging

from aiohttp import web

log = logging.getLogger(__name__)


@web.middleware
async def error_middleware(request, handler):
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("unhandled error")
        return web.json_response({"error": "internal"}, status=500)
