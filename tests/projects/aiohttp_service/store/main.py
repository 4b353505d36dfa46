from aiohttp import web

from store.middlewares import error_middleware
from store.routes import setup_routes
from store.views import SiteHandler


def make_app(db):
    app = web.Application(middlewares=[error_middleware])
    setup_routes(app, SiteHandler(db))
    return app
