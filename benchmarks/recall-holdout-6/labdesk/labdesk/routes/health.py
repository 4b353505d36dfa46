from aiohttp import web

routes = web.RouteTableDef()


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


@routes.get("/readyz")
async def readyz(request: web.Request) -> web.Response:
    try:
        async with request.app["db"].acquire(timeout=2) as conn:
            await conn.fetchval("SELECT 1")
    except Exception:
        return web.json_response({"status": "degraded", "db": False}, status=503)
    return web.json_response({"status": "ok", "db": True})
