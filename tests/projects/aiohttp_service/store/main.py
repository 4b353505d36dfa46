from aiohttp import web

from store.routes import setup_routes
from store.views import SiteHandler


def make_app(db):
    app = web.Application()
    setup_routes(app, SiteHandler(db))
    return app
