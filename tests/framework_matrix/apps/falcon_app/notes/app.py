import falcon
import falcon.asgi

from notes.middleware import Timing, TokenMiddleware
from notes.resources import Health, Notes, Tags, make_drafts

ROUTES = [("/health", Health, None), ("/notes", Notes, None), ("/notes/{note_id:int}", Notes, "item")]


def create_app(store):  # reach: none
    app = falcon.App(middleware=[Timing(), TokenMiddleware()])
    for path, resource, suffix in ROUTES:
        app.add_route(path, resource(store), suffix=suffix)
    app.add_route("/drafts/{draft_id}", make_drafts(store))
    return app


def create_asgi_app():  # reach: none
    app = falcon.asgi.App()
    app.add_route("/tags", Tags())
    return app
