"""Routes registered through the project's own helpers and declared in unusual places."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings


def _endpoints(tmp_path: Path, files: dict[str, str], part: int = -1) -> dict[tuple[str, str], tuple[str, str]]:
    """(method, path) -> (a part of the handler's dotted name: its last by default, -2 its class, auth)."""
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    return {(e.method, e.path): (e.handler.split(".")[part], e.auth) for s in report.overview.services
            for e in s.endpoints}


def test_a_project_helper_that_forwards_to_add_resource_registers_resources(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {"api.py": """
        from flask_restful import Api, Resource


        def scoped(rule):
            return "/<org>" + rule


        class TenantApi(Api):
            def add_tenant_resource(self, resource, *urls, **kwargs):
                urls = [scoped(url) for url in urls]
                return self.add_resource(resource, *urls, **kwargs)

            def describe(self, resource):
                return repr(resource)


        class Widgets(Resource):
            def get(self):
                return []

            def post(self):
                return {}


        api = TenantApi()
        api.add_tenant_resource(Widgets, "/api/widgets", endpoint="widgets")
        api.describe(Widgets)
        """})
    assert set(found) == {("GET", "/api/widgets"), ("POST", "/api/widgets")}


_DJANGO = {
    "shop/__init__.py": "",
    "shop/settings.py": "REST_FRAMEWORK = {'DEFAULT_PERMISSION_CLASSES': ['rest_framework.permissions.IsAuthenticated']}\n",
    "shop/views.py": """
        from rest_framework import viewsets
        from rest_framework.response import Response


        class TrackedViewSet(viewsets.ViewSet):
            def list(self, request):
                return Response([])


        class Orders(TrackedViewSet):
            def create(self, request):
                return Response({})


        class Imports(viewsets.ViewSet):
            def create(self, request):
                return Response({})
        """,
    "shop/routers.py": """
        from django.conf import settings
        from shop.api_routers import ProjectRouter
        from shop.views import Imports, Orders

        router = ProjectRouter(trailing_slash=False)
        router.register(r"orders", Orders)
        if settings.IMPORTS_ENABLED:
            router.register(r"imports", Imports)
        """,
    "shop/api_routers.py": """
        class ProjectRouter:
            def __init__(self, trailing_slash=True):
                self.registry = []

            def register(self, prefix, viewset):
                self.registry.append((prefix, viewset))
        """,
    "shop/urls.py": """
        from django.urls import include, path
        from shop.routers import router

        urlpatterns = [path("api/v1/", include(router.urls))]
        """,
}


def test_a_router_built_in_another_module_is_reached_through_its_include(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, _DJANGO)
    assert found[("POST", "/api/v1/orders/")][0] == "create"
    assert found[("POST", "/api/v1/imports/")][0] == "create"  # registered under a settings flag


def test_an_unbound_view_class_only_unbound_classes_inherit_is_a_base_not_an_endpoint(tmp_path: Path) -> None:
    files = dict(_DJANGO)
    files["shop/vendored.py"] = """
        from rest_framework import viewsets
        from rest_framework.response import Response


        class GenericListViewSet(viewsets.ViewSet):
            def list(self, request):
                return Response([])


        class GenericReadViewSet(GenericListViewSet):
            def retrieve(self, request, pk=None):
                return Response({})
        """
    found = _endpoints(tmp_path, files)
    handlers = {handler for handler, _ in found.values()}
    assert "retrieve" not in handlers  # nothing binds the vendored generics or what inherits them
    # a base a bound class inherits keeps its method: Orders answers `list` through it
    assert found[("GET", "(bound in urls.py)")][0] == "list"


def test_http_method_names_limits_what_a_viewset_answers(tmp_path: Path) -> None:
    files = dict(_DJANGO)
    files["shop/views.py"] = """
        from rest_framework import viewsets
        from rest_framework.decorators import action
        from rest_framework.response import Response


        class Orders(viewsets.ModelViewSet):
            http_method_names = ["get", "patch"]

            @action(detail=True, methods=["post", "get"])
            def audit(self, request, pk=None):
                return Response({})


        class Imports(viewsets.ModelViewSet):
            pass

        """
    found = _endpoints(tmp_path, files)
    orders = {method for method, path in found if path.startswith("/api/v1/orders/")}
    assert orders == {"GET", "PATCH"}  # no POST, PUT or DELETE, not even the action's POST
    imports = {method for method, path in found if path.startswith("/api/v1/imports/")}
    assert imports == {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_django_urlconf_lists_settings_prefixes_and_functions_no_urlconf_names(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "site/__init__.py": "",
        "site/settings.py": "BASE_PATH = ''\n",
        "site/views/__init__.py": "from site.views.pages import About\n",
        "site/views/pages.py": """
            from django.http import HttpResponse
            from django.views import View


            class About(View):
                def get(self, request):
                    return HttpResponse("about")


            def contact(request):
                return HttpResponse("contact")
            """,
        "site/context_processors.py": """
            def branding(request):
                return {"brand": "x"}
            """,
        "site/urls.py": """
            from django.conf import settings
            from django.urls import include, path
            from site import views
            from site.views import pages

            _patterns = [
                path("about/", views.About.as_view()),
                path("contact/", pages.contact),
            ]

            urlpatterns = [path(settings.BASE_PATH, include(_patterns))]
            """,
    })
    # bound through the package's re-export: kept (its path is left to the overview)
    assert any(handler == "get" and method == "GET" for (method, _), (handler, _) in found.items())
    assert ("*", "/contact/") in found
    assert not any(handler == "branding" for handler, _ in found.values())  # a context processor


def test_a_restx_namespace_mounted_on_an_api_gets_the_api_prefix(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "ctf/__init__.py": "",
        "ctf/api/__init__.py": """
            from flask import Blueprint
            from flask_restx import Api
            from ctf.api.v1.awards import awards_namespace

            api = Blueprint("api", __name__, url_prefix="/api/v1")
            API_V1 = Api(api, version="v1")
            API_V1.add_namespace(awards_namespace, "/awards")
            """,
        "ctf/api/v1/__init__.py": "",
        "ctf/api/v1/awards.py": """
            from flask_restx import Namespace, Resource

            awards_namespace = Namespace("awards", description="awards")


            @awards_namespace.route("/<award_id>")
            class Award(Resource):
                def delete(self, award_id):
                    return {}
            """,
    })
    assert ("DELETE", "/api/v1/awards/<award_id>") in found


def test_paths_an_aiohttp_auth_middleware_lets_through_are_not_authenticated_by_it(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {"svc/__init__.py": "", "svc/app.py": """
        from aiohttp import web


        def token_error(request):
            if not request.headers.get("Authorization"):
                return web.json_response({"error": "no token"}, status=401)
            return None


        @web.middleware
        async def auth(request, handler):
            sub = request.path[len("/api"):]
            if sub.startswith("/auth/") or sub == "/status" or sub.startswith("/sso/complete/"):
                return await handler(request)
            err = token_error(request)
            if err is not None:
                return err
            return await handler(request)


        async def login(request):
            return web.json_response({})


        async def status(request):
            return web.json_response({})


        async def complete_sso(request):
            return web.json_response({})


        async def delete_plugin(request):
            return web.json_response({})


        app = web.Application(middlewares=[auth])
        app.router.add_post("/auth/login", login)
        app.router.add_get("/status", status)
        app.router.add_get("/sso/complete/{id}", complete_sso)
        app.router.add_delete("/plugins/{id}", delete_plugin)
        """})
    assert found[("DELETE", "/plugins/{id}")][1] == "required"
    assert found[("POST", "/auth/login")][1] == "public"
    assert found[("GET", "/sso/complete/{id}")][1] == "public"  # a sign-in's last step
    assert found[("GET", "/status")][1] == "none"  # let through, and nothing else checks the caller


def test_a_class_whose_base_is_a_view_of_the_same_module_is_a_view(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "acct/__init__.py": "",
        "acct/apis.py": """
            from rest_framework.views import APIView
            from rest_framework.response import Response


            class PublicApi(APIView):
                authentication_classes = ()
                permission_classes = ()


            class InviteApi(PublicApi):
                def post(self, request):
                    return Response({})


            class Helper:
                def post(self, request):
                    return None
            """,
        "acct/urls.py": """
            from django.urls import path
            from acct.apis import InviteApi

            urlpatterns = [path("invites/", InviteApi.as_view())]
            """,
    })
    assert found[("POST", "/invites/")][0] == "post"
    assert len(found) == 1  # Helper is no view


_TABLE_HELPER = """
    def register_views(blueprint, pairs, decorators=None):
        for rule, view_class in pairs:
            view = view_class.as_view(view_class.__name__)
            for wrap in decorators or []:
                view = wrap(view)
            blueprint.add_url_rule(rule, view_func=view)
    """

_LOANS = """
    from flask.views import MethodView


    class LoanList(MethodView):
        def get(self):
            return []

        def post(self):
            return {}


    class LoanItem(MethodView):
        def get(self, loan_id):
            return {}

        def delete(self, loan_id):
            return ""


    class ReturnDesk(MethodView):
        def put(self, loan_id):
            return {}
    """

_GUARDS = """
    from flask import abort, session


    def member_only(view):
        def wrapped(*args, **kwargs):
            if "member" not in session:
                abort(401)
            return view(*args, **kwargs)
        return wrapped
    """


def test_a_route_table_handed_to_a_project_helper_binds_each_row_with_its_decorators(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "library/__init__.py": "",
        "library/routing.py": _TABLE_HELPER,
        "library/guards.py": _GUARDS,
        "library/loans.py": _LOANS,
        "library/blueprints.py": """
            from flask import Blueprint
            from library.guards import member_only
            from library.loans import LoanItem, LoanList, ReturnDesk
            from library.routing import register_views

            members = Blueprint("members", __name__, url_prefix="/members")
            desk = Blueprint("desk", __name__)

            MEMBER_ROUTES = [
                ("/loans", LoanList),
                ("/loans/<loan_id>", LoanItem),
            ]
            register_views(members, MEMBER_ROUTES, decorators=[member_only])
            register_views(desk, [("/desk/returns/<loan_id>", ReturnDesk)])
            """})
    assert found == {
        ("GET", "/members/loans"): ("get", "required"), ("POST", "/members/loans"): ("post", "required"),
        ("GET", "/members/loans/<loan_id>"): ("get", "required"),
        ("DELETE", "/members/loans/<loan_id>"): ("delete", "required"),
        ("PUT", "/desk/returns/<loan_id>"): ("put", "none"),
    }


def test_a_loop_over_a_route_table_registers_each_row(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "library/__init__.py": "",
        "library/loans.py": _LOANS,
        "library/app.py": """
            from flask import Flask
            from library.loans import LoanItem, LoanList

            app = Flask(__name__)
            ROUTES = (("/loans", LoanList), ("/loans/<loan_id>", LoanItem))
            for rule, view in ROUTES:
                app.add_url_rule(rule, view_func=view.as_view(rule))
            """})
    assert {key for key in found if key[1].startswith("/")} == {
        ("GET", "/loans"), ("POST", "/loans"), ("GET", "/loans/<loan_id>"), ("DELETE", "/loans/<loan_id>")}


def test_a_table_with_endpoint_names_handed_by_keyword_to_a_registering_function_binds_each_row(
        tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "library/__init__.py": "",
        "library/loans.py": _LOANS,
        "library/server.py": """
            from flask import Blueprint, Flask
            from library.loans import LoanItem, LoanList, ReturnDesk

            Rows = list[tuple]
            LENDING: Rows = [
                ("/loans", LoanList),
                ("/loans/<loan_id>", LoanItem, "one_loan"),
                ("/desk/<loan_id>", ReturnDesk, "desk"),
            ]
            LABELS = [("/loans", "Loans", "loan list")]


            def mount(bp, rows):
                for row in rows:
                    if len(row) == 3:
                        rule, view_class, name = row
                    else:
                        rule, view_class = row
                        name = view_class.__name__
                    bp.add_url_rule(rule, view_func=view_class.as_view(name))


            class Server:
                def __init__(self):
                    self.app = Flask(__name__)
                    bp = Blueprint("lending", __name__)
                    mount(rows=LENDING, bp=bp)
                    describe(titles=LABELS)
                    self.app.register_blueprint(bp)
            """})
    assert {key for key in found if key[1].startswith("/")} == {
        ("GET", "/loans"), ("POST", "/loans"), ("GET", "/loans/<loan_id>"), ("DELETE", "/loans/<loan_id>"),
        ("PUT", "/desk/<loan_id>")}


def test_pairs_that_no_loop_or_call_registers_bind_nothing(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "library/__init__.py": "",
        "library/loans.py": _LOANS,
        "library/app.py": """
            from flask import Flask
            from library.loans import LoanItem, LoanList

            app = Flask(__name__)
            DOCUMENTED = [("/loans", LoanList), ("/loans/<loan_id>", LoanItem)]
            LABELS = [("/loans", "Loans"), ("/loans/<loan_id>", "Loan")]
            print(len(LABELS))
            """})
    assert all(not path.startswith("/loans") for _, path in found)


def test_a_view_wrapped_where_it_is_registered_is_guarded_by_the_wrapper(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "library/__init__.py": "",
        "library/guards.py": _GUARDS,
        "library/loans.py": _LOANS,
        "library/app.py": """
            from flask import Flask
            from library.guards import member_only
            from library.loans import LoanItem, ReturnDesk

            app = Flask(__name__)
            app.add_url_rule("/loans/<loan_id>", view_func=member_only(LoanItem.as_view("loan")))
            app.add_url_rule("/returns/<loan_id>", view_func=ReturnDesk.as_view("returns"))
            """})
    assert {key: value for key, value in found.items() if key[1].startswith("/")} == {
                     ("GET", "/loans/<loan_id>"): ("get", "required"),
                     ("DELETE", "/loans/<loan_id>"): ("delete", "required"),
                     ("PUT", "/returns/<loan_id>"): ("put", "none")}


def test_a_registered_class_view_answers_with_the_methods_it_inherits(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "library/__init__.py": "",
        "library/base.py": """
            from flask_restful import Resource


            class CatalogueResource(Resource):
                def get(self):
                    return []

                def post(self):
                    return {}


            class ReadOnlyResource(CatalogueResource):
                def post(self):
                    return {}, 405
            """,
        "library/views.py": """
            from flask import request
            from library.base import CatalogueResource, ReadOnlyResource


            class Books(CatalogueResource):
                def delete(self):
                    return request.args.get("id", "")


            class Authors(ReadOnlyResource):
                model = "author"
            """,
        "library/app.py": """
            from flask import Flask
            from flask_restful import Api
            from library.views import Authors, Books

            app = Flask(__name__)
            api = Api(app)
            api.add_resource(Books, "/books")
            api.add_resource(Authors, "/authors")
            """})
    assert found == {
        ("GET", "/books"): ("get", "none"), ("POST", "/books"): ("post", "none"),
        ("DELETE", "/books"): ("delete", "none"),
        ("GET", "/authors"): ("get", "none"), ("POST", "/authors"): ("post", "none"),
    }


def test_a_base_method_every_registered_subclass_overrides_is_no_endpoint(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "library/__init__.py": "",
        "library/imports.py": """
            from flask import request
            from flask.views import MethodView


            class ImportBase(MethodView):
                def post(self):
                    return {"queued": True}


            class CatalogueImport(ImportBase):
                def post(self):
                    return {"rows": len(request.files)}


            class StrayImport(MethodView):
                def post(self):
                    return {}
            """,
        "library/app.py": """
            from flask import Flask
            from library.imports import CatalogueImport

            app = Flask(__name__)
            app.add_url_rule("/imports/catalogue", view_func=CatalogueImport.as_view("catalogue"))
            """})
    assert found == {("POST", "/imports/catalogue"): ("post", "none"),
                     ("POST", "(registered elsewhere)"): ("post", "none")}
    # the overridden base method is gone; a class registered nowhere visible is still listed
    handlers = {(e.path, e.handler) for s in review(tmp_path, Settings(use_cache=False)).overview.services
                for e in s.endpoints}
    assert handlers == {("/imports/catalogue", "library.imports.CatalogueImport.post"),
                        ("(registered elsewhere)", "library.imports.StrayImport.post")}


def test_a_module_helper_around_add_url_rule_registers_each_call_with_its_arguments(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "library/__init__.py": "",
        "library/loans.py": _LOANS,
        "library/app.py": """
            from flask import Flask
            from library.loans import LoanItem, LoanList, ReturnDesk

            app = Flask(__name__)


            def register_api(view, endpoint, url, pk="loan_id", pk_type="int"):
                view_func = view.as_view(endpoint)
                app.add_url_rule(url, view_func=view_func, methods=["GET"])
                app.add_url_rule(f"{url}<{pk_type}:{pk}>", view_func=view_func, methods=["GET", "DELETE"])


            def register_page(handler, url):
                app.add_url_rule("/pages" + url, view_func=handler)


            def about():
                return "library"


            register_api(LoanList, "loans", "/loans/")
            register_api(LoanItem, "items", "/items/", pk="item")
            register_api(ReturnDesk, "desk", compute_url())
            register_page(about, "/about")
            """})
    assert found == {
        ("GET", "/loans/"): ("get", "none"),
        ("GET", "/loans/<int:loan_id>"): ("get", "none"),
        ("GET", "/items/"): ("get", "none"),
        ("GET", "/items/<int:item>"): ("get", "none"),
        ("DELETE", "/items/<int:item>"): ("delete", "none"),
        ("GET", "/pages/about"): ("about", "none"),
        ("PUT", "(registered elsewhere)"): ("put", "none"),
    }


def test_a_helper_handed_a_class_view_and_its_paths_registers_each_path(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "library/__init__.py": "",
        "library/helpers.py": """
            def serve_view(target, routes, view_func, **options):
                for rule in routes:
                    target.add_url_rule(rule, view_func=view_func, **options)
            """,
        "library/loans.py": _LOANS,
        "library/app.py": """
            from flask import Blueprint
            from library.helpers import serve_view
            from library.loans import LoanItem, LoanList

            desk = Blueprint("desk", __name__, url_prefix="/desk")
            serve_view(desk, routes=["/loans", "/borrowed"], view_func=LoanList.as_view("loans"))
            serve_view(desk, ["/loans/<loan_id>"], LoanItem.as_view("loan"))
            serve_view(desk, routes=["loans-by-name"], view_func=LoanItem.as_view("by_name"))
            """})
    assert {key for key in found if key[1].startswith("/")} == {
        ("GET", "/desk/loans"), ("POST", "/desk/loans"), ("GET", "/desk/borrowed"), ("POST", "/desk/borrowed"),
        ("GET", "/desk/loans/<loan_id>"), ("DELETE", "/desk/loans/<loan_id>")}


def test_a_decorated_route_also_registered_with_other_methods_keeps_its_own_route(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {"library/__init__.py": "", "library/app.py": """
        from flask import Flask

        app = Flask(__name__)


        @app.route("/catalogue", methods=["GET"])
        def catalogue():
            return "books"


        app.add_url_rule("/catalogue/search", view_func=catalogue, methods=["POST"])
        """})
    assert ("GET", "/catalogue") in found


_CATALOG_API = """
    from fastapi import APIRouter, FastAPI, Request

    from shop.routes import register_catalog


    class CatalogApi:
        def __init__(self):
            self.app = FastAPI()
            self.router = APIRouter()
            self.router.add_api_route("/health", self.health, methods=["GET"])
            register_catalog(self)
            self.app.include_router(self.router)

        async def health(self):
            return {"ok": True}

        async def list_items(self, request: Request):
            return []

        async def remove_item(self, item_id: str):
            return {}

        async def summarise(self, rows):
            return len(rows)
    """


def test_bound_methods_handed_to_add_api_route_are_the_methods_of_the_receiver_class(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "shop/__init__.py": "",
        "shop/api.py": _CATALOG_API,
        "shop/routes.py": """
            from __future__ import annotations

            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from shop.api import CatalogApi


            def register_catalog(api: "CatalogApi") -> None:
                router = api.router
                router.add_api_route("/items", api.list_items, methods=["GET"])
                router.add_api_route("/items/{item_id}", api.remove_item, methods=["DELETE"])
            """})
    assert {key: handler for key, (handler, _) in found.items() if key[1].startswith("/")} == {
        ("GET", "/health"): "health", ("GET", "/items"): "list_items", ("DELETE", "/items/{item_id}"): "remove_item"}


def test_a_method_of_the_same_name_on_an_untyped_receiver_is_not_bound(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "shop/__init__.py": "",
        "shop/api.py": _CATALOG_API.replace("register_catalog(self)", "register_catalog(self.router, self)"),
        "shop/routes.py": """
            def register_catalog(router, api) -> None:
                router.add_api_route("/items", api.list_items, methods=["GET"])
            """})
    assert not any(handler in ("list_items", "summarise") for handler, _ in found.values())


def test_class_views_whose_flask_base_is_a_project_class_of_another_module_are_views(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "desk/__init__.py": "",
        "desk/base.py": """
            from flask.views import MethodView


            class ServiceView(MethodView):
                def __init__(self, service, **kwargs):
                    super().__init__(**kwargs)
                    self.service = service


            class Ledger:
                def get(self, key):
                    return key
            """,
        "desk/tickets.py": """
            from flask import request
            from desk.base import Ledger, ServiceView


            class AuditedView(ServiceView):
                pass


            class TicketList(AuditedView):
                def get(self):
                    return self.service.tickets(request.args)

                def post(self):
                    return self.service.open(request.json)


            class TicketCache(Ledger):
                def get(self, key):
                    return key
            """,
        "desk/app.py": """
            from flask import Flask
            from desk.tickets import TicketCache, TicketList

            app = Flask(__name__)
            app.add_url_rule("/tickets", view_func=TicketList.as_view("tickets", service=None))
            app.add_url_rule("/cache", view_func=TicketCache.as_view("cache"))
            """})
    assert {key: handler for key, (handler, _) in found.items() if key[1].startswith("/")} == {
        ("GET", "/tickets"): "get", ("POST", "/tickets"): "post"}


def test_dependencies_handed_to_add_api_route_decide_the_route_or_leave_it_undecided(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "shop/__init__.py": "",
        "shop/guards.py": """
            from fastapi import HTTPException, Request


            def require_member(request: Request):
                if not request.headers.get("x-member"):
                    raise HTTPException(status_code=401)


            def log_request(request: Request):
                print(request.url)
            """,
        "shop/routes.py": """
            from fastapi import APIRouter, Depends, FastAPI, Security

            from shop.guards import log_request, require_member


            async def list_items():
                return []


            async def buy_item(item_id: str):
                return {}


            async def rate_item(item_id: str):
                return {}


            async def review_item(item_id: str):
                return {}


            async def reserve_item(item_id: str):
                return {}


            async def return_item(item_id: str):
                return {}


            def register(app: FastAPI, service, secured: bool) -> None:
                router = APIRouter()
                checker = service.checker
                router.add_api_route("/items", list_items, methods=["GET"])
                router.add_api_route("/items/{item_id}/buy", buy_item, methods=["POST"],
                                     dependencies=[Depends(require_member)])
                router.add_api_route("/items/{item_id}/rate", rate_item, methods=["POST"],
                                     dependencies=([Security(checker, scopes=["rate"])] if secured else None))
                router.add_api_route("/items/{item_id}/reviews", review_item, methods=["POST"],
                                     dependencies=[Depends(log_request), Security(checker)])
                router.add_api_route("/items/{item_id}/reserve", reserve_item, methods=["PUT"],
                                     dependencies=[Security(checker), Depends(require_member)])
                router.add_api_route("/items/{item_id}/return", return_item, methods=["POST"],
                                     dependencies=service.dependencies)
                app.include_router(router)
            """})
    assert found[("GET", "/items")] == ("list_items", "none")
    assert found[("POST", "/items/{item_id}/buy")] == ("buy_item", "required")
    assert found[("POST", "/items/{item_id}/rate")] == ("rate_item", "unknown")
    # a dependency it can read checks nobody; the one it cannot may: undecided, not open
    assert found[("POST", "/items/{item_id}/reviews")] == ("review_item", "unknown")
    assert found[("PUT", "/items/{item_id}/reserve")] == ("reserve_item", "required")  # a named guard decides
    # a list held elsewhere is not read: undecided
    assert found[("POST", "/items/{item_id}/return")] == ("return_item", "unknown")
