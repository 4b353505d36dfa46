"""Handlers whose request parameter is known by position, not by name (endpoints.bound_names)."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.endpoints.bound_names import bound_entries, bound_names


def _handlers(tmp_path: Path, files: dict[str, str]) -> set[str]:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    return {e.handler.rsplit(".", 1)[-1] for s in report.overview.services for e in s.endpoints}


def test_bound_names_take_the_handler_argument_of_each_registration() -> None:
    text = dedent("""
        app.router.add_get("/trace/{host}", self.trace)
        app.router.add_route("POST", "/probe", handlers.probe, name="probe")
        app.add_routes([web.get("/dig", lookups.dig), web.post("/x", handler=views.x)])
        urlpatterns = [path("entries/", views.entries, name="entries"), re_path(r"^a/$", account)]
        routes = [Route("/item/{name}", endpoint=item)]
        os.path.join(base, name)
        cache.get("key", default)
        """)
    assert bound_names(bound_entries([text])) == {"trace", "probe", "dig", "x", "entries", "account", "item"}


def test_registered_aiohttp_and_django_handlers_are_endpoints_whatever_their_request_is_called(tmp_path: Path) -> None:
    found = _handlers(tmp_path, {
        "svc/__init__.py": "",
        "svc/handlers.py": """
            from aiohttp import web


            class Api:
                def __init__(self, app):
                    app.router.add_get("/trace", self.trace)

                async def trace(self, req):
                    return web.Response(text=req.query["h"])

                async def helper(self, resp):
                    return await resp.json()
            """,
        "shop/__init__.py": "",
        "shop/urls.py": """
            from django.urls import path
            from . import views

            urlpatterns = [path("orders/", views.orders)]
            """,
        "shop/views.py": """
            from django.http import JsonResponse


            def orders(req):
                return JsonResponse({"q": req.GET.get("q")})


            def totals(batch):
                return batch
            """,
    })
    assert {"trace", "orders"} <= found
    assert not {"helper", "totals"} & found


def test_a_test_client_call_binds_nothing() -> None:
    text = dedent("""
        async def test_ping(client):
            resp = await client.get("/ping", params)
            assert resp.status == 200
        """)
    assert bound_entries([text]) == frozenset()


def test_a_decorated_flask_view_registered_in_another_module_is_an_endpoint_with_its_decorators_auth(
        tmp_path: Path) -> None:
    for rel, text in {
        "web/__init__.py": "",
        "web/views.py": """
            from flask import jsonify, request
            from flask_login import login_required

            from .tasks import celery


            @login_required
            def search():
                return jsonify(q=request.args.get("q"))


            @celery.task
            def reindex():
                return None
            """,
        "web/tasks.py": "celery = object()\n",
        "web/routes.py": """
            from flask import Blueprint

            from . import views

            bp = Blueprint("web", __name__)
            bp.add_url_rule("/search", view_func=views.search)
            """,
    }.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    found = {e.handler.rsplit(".", 1)[-1]: e.auth for s in report.overview.services for e in s.endpoints}
    assert found.get("search") == "required"
    assert "reindex" not in found


def test_falcon_responders_are_endpoints_at_the_uri_template_their_resource_is_added_at(tmp_path: Path) -> None:
    for rel, text in {
        "api/__init__.py": "",
        "api/resources.py": """
            import falcon


            class Orders:
                def on_get(self, req, resp):
                    resp.media = req.get_param("q")

                def on_post(self, req, resp):
                    resp.status = falcon.HTTP_201


            class Order:
                def on_get(self, req, resp, order_id):
                    resp.media = order_id

                def render(self, req, resp):
                    return None


            class Hooks:
                def on_get(self, event):
                    return event
            """,
        "api/app.py": """
            import falcon

            from .resources import Order, Orders

            app = falcon.App()
            orders = Orders()
            app.add_route("/orders", orders)
            app.add_route("/orders/{order_id}", Order())
            """,
    }.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    found = {(e.method, e.path, e.handler.rsplit(".", 2)[-2] + "." + e.handler.rsplit(".", 1)[-1])
             for s in report.overview.services for e in s.endpoints}
    assert found == {("GET", "/orders", "Orders.on_get"), ("POST", "/orders", "Orders.on_post"),
                     ("GET", "/orders/{order_id}", "Order.on_get")}


def test_an_aiohttp_handler_class_in_a_module_importing_no_framework_registers_its_own_methods(
        tmp_path: Path) -> None:
    found = _handlers(tmp_path, {
        "svc/__init__.py": "",
        "svc/flows.py": """
            class FlowApi:
                def __init__(self, app):
                    app.router.add_route("GET", "/flows/{flow_id}", self.get_flow)

                async def get_flow(self, request):
                    return request.match_info["flow_id"]

                async def refresh(self, request):
                    return None
            """,
        "svc/server.py": """
            from aiohttp import web

            from .flows import FlowApi


            def make_app():
                app = web.Application()
                FlowApi(app)
                return app
            """,
    })
    assert "get_flow" in found and "refresh" not in found
