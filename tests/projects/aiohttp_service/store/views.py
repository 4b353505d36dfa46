from aiohttp import web

from store.security import require_user


class SiteHandler:
    def __init__(self, db):
        self.db = db

    async def index(self, request):
        return web.Response(text="store")


async def list_items(request):
    return web.json_response([])


async def create_item(request):
    user_id = await require_user(request)
    payload = await request.json()
    return web.json_response({"owner": user_id, **payload}, status=201)


async def get_item(request):
    return web.json_response({"id": request.match_info["item_id"]})


async def delete_item(request):
    if not request.get("user"):
        raise web.HTTPUnauthorized()
    return web.Response(status=204)


async def load_user(request):
    """Takes the request like a handler does, but no route names it: a helper."""
    return request.get("user")


class CartView(web.View):
    async def get(self):
        return web.json_response([])

    async def post(self):
        return web.json_response(await self.request.json(), status=201)
