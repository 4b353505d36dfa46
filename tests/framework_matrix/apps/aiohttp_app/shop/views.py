from aiohttp import web


async def get_order(request):  # reach: request
    return web.json_response({"id": request.match_info["order_id"]})


async def create_order(request):  # reach: request
    body = await request.json()
    return web.json_response(price(body), status=201)


def price(body):  # reach: request
    return {"total": sum(body.get("items", []))}


async def delete_order(request):  # reach: request
    return web.Response(status=204)


class CartView(web.View):
    async def get(self):  # reach: request
        return web.json_response({})

    async def post(self):  # reach: request
        return web.json_response({}, status=201)


class WishlistView(web.View):
    async def get(self):  # reach: request
        return web.json_response([])
