from aiohttp import web


async def list_events(request):  # reach: request
    return web.json_response([])


async def timing(request, handler):  # reach: request
    return await handler(request)


async def on_prepare(request, response):  # reach: request
    response.headers["X-Service"] = "events"


async def stray(request, handler):  # reach: none
    return await handler(request)


def make_app():  # reach: none
    app = web.Application()
    app.middlewares.append(timing)
    app.on_response_prepare.append(on_prepare)
    app.add_routes([web.get("/events", list_events)])
    return app
