import asyncio

from aiohttp import web

from shop import admin, views

routes = web.RouteTableDef()


@routes.get("/products")
async def list_products(request):  # reach: request
    return web.json_response(await request.app["catalog"].products())


class CatalogService:
    async def products(self):  # reach: request
        return []


class PricingService:
    async def products(self):  # reach: none
        return []


@web.middleware
async def error_middleware(request, handler):  # reach: request
    try:
        return await handler(request)
    except web.HTTPException as exc:
        return web.json_response({"error": exc.reason}, status=exc.status)


async def open_db(app):  # reach: startup
    app["db"] = object()
    app["poller"] = asyncio.create_task(poll_prices(app))


async def poll_prices(app):  # reach: task
    while True:
        await asyncio.sleep(60)


async def redis_ctx(app):  # reach: startup
    app["redis"] = object()
    yield


def create_app():  # reach: none
    app = web.Application(middlewares=[error_middleware])
    app.add_routes(routes)
    app.router.add_get("/orders/{order_id}", views.get_order)
    app.router.add_route("POST", "/orders", views.create_order)
    app.add_routes([web.delete("/orders/{order_id}", views.delete_order), web.view("/wishlist", views.WishlistView)])
    app.router.add_view("/carts", views.CartView)
    app.on_startup.append(open_db)
    app.cleanup_ctx.append(redis_ctx)
    app.add_subapp("/admin/", admin.build())
    return app
