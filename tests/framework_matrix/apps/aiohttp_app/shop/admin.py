from aiohttp import web


async def stats(request):  # reach: request
    return web.json_response({})


def build():  # reach: none
    sub = web.Application()
    sub.router.add_get("/stats", stats)
    return sub
