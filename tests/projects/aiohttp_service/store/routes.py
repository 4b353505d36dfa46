from aiohttp import web

from store.views import CartView, create_item, delete_item, get_item, list_items


def setup_routes(app, handler):
    router = app.router
    router.add_get("/", handler.index, name="index")
    router.add_get("/items", list_items)
    router.add_post("/items", create_item)
    add_route = app.router.add_route
    add_route("DELETE", "/items/{item_id}", delete_item)
    app.add_routes([web.get("/items/{item_id}", get_item), web.view("/carts", CartView)])
