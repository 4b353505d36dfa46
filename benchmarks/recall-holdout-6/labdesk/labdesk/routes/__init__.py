from aiohttp import web

from . import admin, health, orders, patients, results, uploads, webhooks


def setup_routes(app: web.Application) -> None:
    for module in (health, orders, patients, results, uploads, webhooks, admin):
        app.router.add_routes(module.routes)
