"""The endpoint inventory (servicelens.endpoints): routes declared apart from their handlers
bound to exact methods and paths, and auth decided by what decorators, dependencies and
helpers do rather than by their names."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

PROJECTS = Path(__file__).parent / "projects"


def _inventory(project: str) -> dict[tuple[str, str], tuple[str, str, str]]:
    report = review(PROJECTS / project, Settings(use_cache=False))
    return {(e.method, e.path): (e.handler.rsplit(".", 1)[-1], e.auth, e.auth_evidence)
            for s in report.overview.services for e in s.endpoints}


def test_flask_resources_get_exact_methods_and_registered_paths() -> None:
    found = _inventory("flask_resources")
    assert {k for k in found if k[1].startswith("/api/orders") and not k[1].endswith("/status")} == {
        ("GET", "/api/orders"), ("POST", "/api/orders"),
        ("GET", "/api/orders/<int:order_id>"), ("DELETE", "/api/orders/<int:order_id>"),
        ("GET", "/api/orders/by-ref/<ref>"), ("DELETE", "/api/orders/by-ref/<ref>")}
    assert found[("GET", "/health")][0] == "health"
    assert found[("GET", "/reports")][0] == "get" and found[("POST", "/reports")][0] == "post"
    assert found[("GET", "/users/<int:user_id>")][0] == "get"  # flask-restx namespace path + class route
    assert found[("PUT", "/users/<int:user_id>")][0] == "put"
    assert {k for k in found if k[1].startswith("/pets")} == {  # flask-smorest blueprint prefix
        ("GET", "/pets/"), ("POST", "/pets/"), ("DELETE", "/pets/<int:pet_id>")}
    handlers = {v[0] for v in found.values()}
    assert "describe" not in handlers and "resource_payload" not in handlers


def test_flask_auth_follows_decorator_bodies_not_names() -> None:
    found = _inventory("flask_resources")
    assert found[("POST", "/api/orders")][1] == "required"  # method_decorators = [token_required], a real check
    assert found[("GET", "/api/orders/<int:order_id>")][1] == "required"  # @cached aborts 403 without a user
    assert "cached" in found[("GET", "/api/orders/<int:order_id>")][2]
    assert found[("DELETE", "/api/orders/<int:order_id>")][1] == "none"
    reports = found[("POST", "/reports")]  # decorators = [login_required] whose body checks nobody
    assert reports[1] == "none" and "checks no caller" in reports[2]


def test_aiohttp_registrations_bind_functions_methods_and_views() -> None:
    found = _inventory("aiohttp_service")
    assert {k: v[0] for k, v in found.items()} == {
        ("GET", "/"): "index", ("GET", "/items"): "list_items", ("POST", "/items"): "create_item",
        ("DELETE", "/items/{item_id}"): "delete_item", ("GET", "/items/{item_id}"): "get_item",
        ("GET", "/carts"): "get", ("POST", "/carts"): "post"}  # load_user takes a request but is no route


def test_aiohttp_auth_from_a_helper_called_first_or_an_inline_refusal() -> None:
    found = _inventory("aiohttp_service")
    assert found[("POST", "/items")][1] == "required" and "require_user" in found[("POST", "/items")][2]
    assert found[("DELETE", "/items/{item_id}")][1] == "required"
    listing = found[("GET", "/items")]  # the app's only middleware handles errors, not callers
    assert listing[1] == "none" and "error_middleware" in listing[2]


def test_aiohttp_middleware_that_refuses_anonymous_callers_guards_every_route(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "app.py").write_text(
        "from aiohttp import web\n\n\n"
        "@web.middleware\n"
        "async def session_check(request, handler):\n"
        "    if request.path != '/login' and request.get('session_user') is None:\n"
        "        raise web.HTTPUnauthorized()\n"
        "    return await handler(request)\n\n\n"
        "async def orders(request):\n    return web.json_response([])\n\n\n"
        "app = web.Application(middlewares=[session_check])\n"
        "app.router.add_post('/orders', orders)\n")
    report = review(tmp_path, Settings(use_cache=False))
    (endpoint,) = [e for s in report.overview.services for e in s.endpoints]
    assert (endpoint.method, endpoint.path, endpoint.auth) == ("POST", "/orders", "required")
    assert "session_check" in endpoint.auth_evidence


def test_connexion_operations_give_method_path_and_security() -> None:
    found = _inventory("connexion_app")
    assert found[("GET", "/v1/pets")][:2] == ("list_pets", "none")  # `security: []`
    assert found[("POST", "/v1/pets")][:2] == ("create_pet", "required")  # the document's security
    assert found[("DELETE", "/v1/pets/{pet_id}")][:2] == ("delete_pet", "required")
    assert "api_key" in found[("DELETE", "/v1/pets/{pet_id}")][2]


def test_fastapi_dependency_chain_across_files_and_router_prefixes() -> None:
    found = _inventory("fastapi_chain")
    create = found[("POST", "/api/v1/notes/")]
    assert create[1] == "required" and "who_is_calling" in create[2]
    assert found[("DELETE", "/api/v1/notes/{note_id}")][1] == "none"  # HTTPBearer(auto_error=False) lets anyone in
    assert found[("GET", "/api/v1/notes/")][1] == "none"
    download = found[("GET", "/api/v1/notes/download")]  # a dependency re-exported by its package's __init__
    assert download[1] == "required" and "validate_file_token" in download[2]


def test_public_by_design_is_its_own_status_and_narrow() -> None:
    found = _inventory("flask_resources")
    assert found[("GET", "/health")][1:] == ("public", "public by design (health check)")
    # a sign-up form that checks the invitation it was sent is public, not "authenticated"
    assert found[("POST", "/api/accounts/register")][1] == "public"
    assert found[("POST", "/api/orders/<int:order_id>/status")][1] == "none"  # "status" alone is not public


def test_django_views_decided_by_inline_refusals_and_local_decorator_bodies(tmp_path: Path) -> None:
    (tmp_path / "views.py").write_text(
        "from functools import wraps\n\n"
        "from django.http import HttpResponseForbidden, JsonResponse\n"
        "from django.shortcuts import redirect\n\n\n"
        "def staff_required(view):\n"
        "    @wraps(view)\n"
        "    def wrapper(request, *args, **kwargs):\n"
        "        return view(request, *args, **kwargs)\n"
        "    return wrapper\n\n\n"
        "def dashboard(request):\n"
        "    if not request.user.is_authenticated:\n"
        "        return redirect('login')\n"
        "    return JsonResponse({})\n\n\n"
        "def invite_landing(request):\n"
        "    if request.user.is_authenticated:\n"
        "        return HttpResponseForbidden()\n"
        "    return JsonResponse({})\n\n\n"
        "@staff_required\n"
        "def purge(request):\n"
        "    return JsonResponse({})\n")
    report = review(tmp_path, Settings(use_cache=False))
    auth = {e.handler.rsplit(".", 1)[-1]: (e.auth, e.auth_evidence) for s in report.overview.services
            for e in s.endpoints}
    assert auth["dashboard"][0] == "required"  # refuses (redirects) a caller who is not signed in
    assert auth["invite_landing"][0] == "unknown"  # refuses callers who *are* signed in: no guard
    assert auth["purge"][0] == "unknown" and "checks no caller" in auth["purge"][1]
    assert "staff_required" not in auth and "wrapper" not in auth  # decorators are not views


def test_flask_resources_inherit_the_decorator_list_of_a_base_resource_in_another_module(tmp_path: Path) -> None:
    files = {
        "app/__init__.py": "",
        "app/auth.py": """
            from functools import wraps
            from flask import abort, g

            def login_required(view):
                @wraps(view)
                def wrapper(*args, **kwargs):
                    if g.get("user") is None:
                        abort(401)
                    return view(*args, **kwargs)
                return wrapper
            """,
        "app/handlers/__init__.py": "",
        "app/handlers/base.py": """
            from flask_restful import Resource
            from app.auth import login_required

            class BaseResource(Resource):
                decorators = [login_required]
            """,
        "app/handlers/alerts.py": """
            from flask_restful import Resource
            from app.handlers.base import BaseResource
            from app.models import Alert, db

            class AlertResource(BaseResource):
                def delete(self, alert_id):
                    db.session.delete(Alert.query.get(alert_id))
                    db.session.commit()

            class OpenResource(Resource):
                def post(self):
                    db.session.add(Alert())
                    db.session.commit()
            """,
        "app/api.py": """
            from flask import Flask
            from flask_restful import Api
            from app.handlers.alerts import AlertResource, OpenResource

            app = Flask(__name__)
            api = Api(app)
            api.add_resource(AlertResource, "/api/alerts/<alert_id>")
            api.add_resource(OpenResource, "/api/open")
            """,
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    found = {(e.method, e.path): (e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints}
    auth, evidence = found[("DELETE", "/api/alerts/<alert_id>")]
    assert auth == "required" and "login_required" in evidence and "inherited from BaseResource" in evidence
    assert found[("POST", "/api/open")][0] == "none"
    unauthenticated = {f.location.path for f in report.findings if f.concern == "missing-authentication"}
    assert unauthenticated == {"app/handlers/alerts.py"}  # the open one only
    assert [f.location.start_line for f in report.findings if f.concern == "missing-authentication"] == [12]


def test_a_sign_in_handler_that_checks_the_credentials_it_is_sent_is_public(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(dedent("""
        from flask import Flask, abort, request, session
        from models import User
        from passwords import verify_password

        app = Flask(__name__)

        @app.route("/login", methods=["POST"])
        def login():
            user = User.query.filter_by(name=request.form["name"]).first()
            if user is None or not verify_password(request.form["password"], user.password):
                abort(403)
            session["id"] = user.id
            return "ok"

        @app.route("/tokens", methods=["POST"])
        def rotate_token():
            user = User.query.filter_by(name=request.form["name"]).first()
            if user is None or not verify_password(request.form["password"], user.password):
                abort(403)
            return user.rotate_token()
        """))
    report = review(tmp_path, Settings(use_cache=False))
    found = {e.path: (e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints}
    assert found["/login"] == ("public", "public by design (sign-in)")
    assert found["/tokens"][0] == "required"  # checks credentials, and is no sign-in by name or path


def test_blueprint_hooks_in_another_module_decide_by_the_hook_and_its_decorators() -> None:
    report = review(Path(__file__).parent / "fixtures" / "missing-authentication" / "flask_blueprint_hooks",
                    Settings(use_cache=False))
    found = {e.handler.rsplit(".", 1)[-1]: (e.auth, e.auth_evidence) for s in report.overview.services
             for e in s.endpoints}
    assert found["create_entry"][0] == "required"  # the hook's own body checks the token
    assert "require_session" in found["create_entry"][1] and "entries_bp" in found["create_entry"][1]
    assert found["export_report"][0] == "required"  # a guard decorator wrapped around the hook
    assert "staff_only" in found["export_report"][1]
    assert found["send_feedback"][0] == "none"  # its hook only times the request


def test_app_hook_registered_by_a_call_guards_every_route_of_the_app(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "auth.py").write_text(dedent("""\
        from flask import abort, session


        def load_member():
            if "member_id" not in session:
                abort(401)
        """))
    (tmp_path / "shop" / "orders.py").write_text(dedent("""\
        from flask import Blueprint, jsonify

        orders = Blueprint("orders", __name__)


        @orders.route("/orders", methods=["POST"])
        def place_order():
            return jsonify({}), 201
        """))
    (tmp_path / "shop" / "factory.py").write_text(dedent("""\
        from flask import Flask

        from shop.auth import load_member
        from shop.orders import orders


        def create_app():
            app = Flask(__name__)
            app.before_request(load_member)
            app.register_blueprint(orders)
            return app
        """))
    report = review(tmp_path, Settings(use_cache=False))
    (endpoint,) = [e for s in report.overview.services for e in s.endpoints]
    assert endpoint.auth == "required" and "load_member" in endpoint.auth_evidence
    assert "every request of the app" in endpoint.auth_evidence


def test_library_permission_decorator_on_an_instance_is_resolved_through_its_class() -> None:
    report = review(Path(__file__).parent / "fixtures" / "missing-authentication" / "flask_allows_views",
                    Settings(use_cache=False))
    found = {".".join(e.handler.rsplit(".", 2)[-2:]): (e.auth, e.auth_evidence)
             for s in report.overview.services for e in s.endpoints}
    edit = found["EditThread.post"]
    assert edit[0] == "required" and "flask_allows.Allows.requires" in edit[1] and "@allows.requires" in edit[1]
    assert found["ModerationQueue.post"][0] == "required"
    assert found["FlagMessage.post"] == ("none", "")


def test_flask_principal_permission_require_counts_as_a_permission_check(tmp_path: Path) -> None:
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs" / "__init__.py").write_text("")
    (tmp_path / "certs" / "permissions.py").write_text(dedent("""\
        from flask_principal import Permission, RoleNeed

        operator_permission = Permission(RoleNeed("operator"))
        """))
    (tmp_path / "certs" / "views.py").write_text(dedent("""\
        from flask import Flask, jsonify

        from certs.permissions import operator_permission

        app = Flask(__name__)


        @app.route("/certificates/<int:cert_id>/revoke", methods=["POST"])
        @operator_permission.require(http_exception=403)
        def revoke(cert_id):
            return jsonify({"revoked": cert_id})


        @app.route("/certificates/<int:cert_id>/renew", methods=["POST"])
        def renew(cert_id):
            return jsonify({"renewed": cert_id})
        """))
    report = review(tmp_path, Settings(use_cache=False))
    found = {e.handler.rsplit(".", 1)[-1]: (e.auth, e.auth_evidence) for s in report.overview.services
             for e in s.endpoints}
    assert found["revoke"][0] == "required" and "flask_principal.Permission.require" in found["revoke"][1]
    assert found["renew"][0] == "none"


def test_dependency_chains_through_aliases_and_factories_are_followed_by_body() -> None:
    report = review(Path(__file__).parent / "fixtures" / "missing-authentication" / "fastapi_authenticator_factory",
                    Settings(use_cache=False))
    found = {e.handler.rsplit(".", 1)[-1]: (e.auth, e.auth_evidence) for s in report.overview.services
             for e in s.endpoints}
    create = found["create_invoice"]  # alias -> factory -> nested dependency -> alias -> factory -> __call__
    assert create[0] == "required" and "InvoicePolicy" in create[1] and "`__call__` answers 401" in create[1]
    assert found["void_invoice"][0] == "required"  # Depends(ScopeChecker(...)): the class the factory returns
    # a database session handed out in try/except-rollback-raise checks nobody
    assert found["send_reminder"] == ("none", "")


def test_decorators_inherited_from_a_base_resource_are_decided_by_body() -> None:
    report = review(Path(__file__).parent / "fixtures" / "missing-authentication" / "flask_restful_inherited_guard",
                    Settings(use_cache=False))
    found = {".".join(e.handler.rsplit(".", 2)[-2:]): (e.auth, e.auth_evidence)
             for s in report.overview.services for e in s.endpoints}
    direct = found["VehicleListResource.post"]
    assert direct[0] == "required" and "with_account" in direct[1] and "AccountResource" in direct[1]
    assert found["ScopedVehicleResource.delete"][0] == "required"  # two bases up
    assert found["TelemetryUpload.post"] == ("none", "")  # its base's decorator only times the call


def test_starlette_requires_authenticates_and_a_setup_function_mounts_the_router() -> None:
    report = review(Path(__file__).parent / "fixtures" / "missing-authentication" / "starlette_requires",
                    Settings(use_cache=False))
    found = {e.handler.rsplit(".", 1)[-1]: (e.path, e.auth, e.auth_evidence) for s in report.overview.services
             for e in s.endpoints}
    assert found["create_note"][:2] == ("/api/notes", "required")  # `include_router(..., prefix=)` in a function
    assert "starlette.authentication.requires" in found["create_note"][2]
    assert found["import_notes"][:2] == ("/api/notes/import", "none")


def test_url_value_preprocessor_guards_only_the_routes_carrying_the_value_it_checks() -> None:
    report = review(Path(__file__).parent / "fixtures" / "missing-authentication" / "flask_url_value_hooks",
                    Settings(use_cache=False))
    found = {e.handler.rsplit(".", 1)[-1]: (e.auth, e.auth_evidence) for s in report.overview.services
             for e in s.endpoints}
    assert found["add_expense"][0] == "required" and "pull_board" in found["add_expense"][1]
    assert found["delete_board"][0] == "required"  # `<string:board_id>` is the same value
    assert found["restore_archive"][0] == "none"  # no board_id in its path: the hook checks nothing
    assert found["add_comment"][0] == "none"  # that blueprint's hook only loads the board


def test_a_project_login_middleware_in_settings_guards_every_view_but_the_paths_it_lets_through(tmp_path: Path) -> None:
    """A museum's membership desk: the middleware its settings list redirects anyone not signed
    in, except the paths it tests first (a module-level list and a pattern)."""
    (tmp_path / "desk").mkdir()
    (tmp_path / "desk" / "__init__.py").write_text("")
    (tmp_path / "desk" / "settings.py").write_text(dedent("""
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        MIDDLEWARE += ["desk.gate.MembersOnly"]
        ROOT_URLCONF = "desk.urls"
        """))
    (tmp_path / "desk" / "gate.py").write_text(dedent("""
        import re

        from django.shortcuts import redirect

        OPEN_PATHS = ["/sign-in/", "/opening-hours/"]
        OPEN_PATTERN = r"/tickets/verify/\\w+"


        class MembersOnly:
            def __init__(self, get_response):
                self.get_response = get_response

            def __call__(self, request):
                if not request.user.is_authenticated:
                    if request.path not in OPEN_PATHS and re.match(OPEN_PATTERN, request.path) is None:
                        return redirect("/sign-in/")
                return self.get_response(request)
        """))
    (tmp_path / "desk" / "views.py").write_text(dedent("""
        from django.http import JsonResponse


        def renew_membership(request):
            return JsonResponse({"renewed": True})


        def opening_hours(request):
            return JsonResponse({"open": "10-18"})


        def verify_ticket(request, code):
            return JsonResponse({"code": code})
        """))
    (tmp_path / "desk" / "urls.py").write_text(dedent("""
        from django.urls import path

        from desk import views

        urlpatterns = [
            path("membership/renew/", views.renew_membership),
            path("opening-hours/", views.opening_hours),
            path("tickets/verify/<str:code>/", views.verify_ticket),
        ]
        """))
    report = review(tmp_path, Settings(use_cache=False))
    auth = {e.handler.rsplit(".", 1)[-1]: (e.auth, e.auth_evidence) for s in report.overview.services
            for e in s.endpoints}
    assert auth["renew_membership"][0] == "required" and "MembersOnly" in auth["renew_membership"][1]
    assert auth["opening_hours"][0] != "required"  # listed in OPEN_PATHS
    assert auth["verify_ticket"][0] != "required"  # matches OPEN_PATTERN


def test_a_login_middleware_whose_path_test_cannot_be_read_decides_nothing(tmp_path: Path) -> None:
    (tmp_path / "settings.py").write_text('MIDDLEWARE = ["gate.Gate"]\n')
    (tmp_path / "gate.py").write_text(dedent("""
        from django.http import HttpResponseForbidden

        from config import is_open


        class Gate:
            def __init__(self, get_response):
                self.get_response = get_response

            def __call__(self, request):
                if not request.user.is_authenticated and not is_open(request.path):
                    return HttpResponseForbidden()
                return self.get_response(request)
        """))
    (tmp_path / "views.py").write_text("from django.http import JsonResponse\n\n\ndef statement(request):\n"
                                       "    return JsonResponse({})\n")
    (tmp_path / "urls.py").write_text("from django.urls import path\n\nimport views\n\n"
                                      "urlpatterns = [path('statement/', views.statement)]\n")
    report = review(tmp_path, Settings(use_cache=False))
    auth = {e.handler.rsplit(".", 1)[-1]: e.auth for s in report.overview.services for e in s.endpoints}
    assert auth["statement"] == "unknown"


def test_a_decorator_that_wraps_the_view_in_a_login_check_authenticates_any_levels_down() -> None:
    """`@portal_page` wraps its wrapper in `@second_factor_checked` (another module), whose wrapper
    is wrapped in flask_security's `@login_required`; `@signed_in` returns `login_required(view)`.
    A decorator that only logs, or one that calls `login_required` on another function, does not."""
    report = review(Path(__file__).parent / "fixtures" / "missing-authentication" / "flask_wrapped_login_decorators",
                    Settings(use_cache=False))
    found = {e.handler.rsplit(".", 1)[-1]: (e.auth, e.auth_evidence) for s in report.overview.services
             for e in s.endpoints}
    assert found["drop_server"][0] == "required" and "second_factor_checked" in found["drop_server"][1]
    assert found["rename_server"][0] == "required" and "login_required" in found["rename_server"][1]
    assert found["purge_server"][0] == "none"
    assert found["reset_server"][0] != "required"


def test_route_manifests_beside_their_handlers_declare_methods_paths_and_access() -> None:
    """`route.json` ({"methods", "path", "access"}) binds the default-exported function of each
    JS/TS module of its folder; a JSON file of another shape (a `methods` list of payment names)
    binds nothing, and a manifest that declares no access leaves the route undecided."""
    report = review(PROJECTS / "express_route_manifests", Settings(use_cache=False))
    found = {(e.method, e.path): (e.location.path, e.auth, e.auth_evidence)
             for s in report.overview.services for e in s.endpoints}
    assert set(found) == {("GET", "/orders"), ("POST", "/orders"), ("DELETE", "/orders/:id"),
                          ("POST", "/orders/:id/cancel")}
    assert found[("POST", "/orders/:id/cancel")][:2] == ("src/modules/orders/api/cancelOrder/cancel.js", "required")
    assert found[("POST", "/orders")][1] == "public" and '"access": "public"' in found[("POST", "/orders")][2]
    assert found[("GET", "/orders")][1] == "unknown"


def test_class_views_routed_by_a_method_map_and_registered_by_a_looping_helper() -> None:
    """`operations = {"obj": [{"get": "properties", ...}], ...}` on a view class registered by
    `ServerView.register_node_view(blueprint)`, a classmethod looping `add_url_rule(view_func=
    cls.as_view(...))`: each mapped method at its part under the blueprint's prefix, with the
    map's verbs (the base's `children` too). A method no part maps, a map of non-verbs, and a class
    registered by a classmethod that adds no URL rule are no endpoints."""
    report = review(PROJECTS / "flask_method_maps", Settings(use_cache=False))
    found = {(e.handler.rsplit(".", 1)[-1], e.method, e.path): e.auth
             for s in report.overview.services for e in s.endpoints}
    assert found == {
        ("properties", "GET", "/browser/server/obj"): "required", ("list", "GET", "/browser/server/obj"): "required",
        ("create", "POST", "/browser/server/obj"): "required", ("update", "PUT", "/browser/server/obj"): "required",
        ("delete", "DELETE", "/browser/server/obj"): "required", ("connect", "POST", "/browser/server/connect"): "none",
        ("children", "GET", "/browser/server/children"): "none"}


def test_a_root_urlconf_that_includes_an_installed_apps_urls_is_still_walked(tmp_path: Path) -> None:
    """`include("jet.urls")` names an installed app's URLconf, not the project's top-level
    `urls` module: the root stays a root, and the views it reaches get their full paths."""
    (tmp_path / "urls.py").write_text(
        "from django.urls import include, path\n\n"
        "urlpatterns = [\n"
        "    path('jet/', include('jet.urls', 'jet')),\n"
        "    path('<slug:event>/', include('events.urls')),\n"
        "]\n")
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "__init__.py").write_text("")
    (tmp_path / "events" / "urls.py").write_text(
        "from django.urls import path\n\nfrom . import views\n\n"
        "urlpatterns = [path('results/', views.ResultsView.as_view())]\n")
    (tmp_path / "events" / "views.py").write_text(
        "from django.http import JsonResponse\nfrom django.views import View\n\n\n"
        "class ResultsView(View):\n"
        "    def post(self, request, event):\n"
        "        return JsonResponse({'event': event})\n")
    report = review(tmp_path, Settings(use_cache=False))
    paths = {(e.method, e.path) for s in report.overview.services for e in s.endpoints}
    assert paths == {("POST", "/<slug:event>/results/")}


def _survey_app(root: Path, settings_name: str, settings_text: str) -> dict[str, str]:
    """A drone-survey app's DRF viewset with no permission_classes, and one module named
    settings.py whose text the test chooses; the auth each route gets."""
    (root / "survey").mkdir()
    (root / "survey" / "__init__.py").write_text("")
    (root / "survey" / settings_name).write_text(settings_text)
    (root / "survey" / "views.py").write_text(dedent("""
        from rest_framework import viewsets

        from survey.models import Flight
        from survey.serializers import FlightSerializer


        class FlightViewSet(viewsets.ModelViewSet):
            queryset = Flight.objects.all()
            serializer_class = FlightSerializer
        """))
    (root / "survey" / "urls.py").write_text(dedent("""
        from django.urls import include, path
        from rest_framework.routers import DefaultRouter

        from survey.views import FlightViewSet

        router = DefaultRouter()
        router.register(r"flights", FlightViewSet, basename="flight")

        urlpatterns = [path("api/", include(router.urls))]
        """))
    report = review(root, Settings(use_cache=False))
    return {f"{e.method} {'.'.join(e.handler.rsplit('.', 2)[-2:])}": e.auth for s in report.overview.services for e in s.endpoints}


def test_a_file_merely_named_settings_is_not_the_django_settings_that_decide_drf_defaults(tmp_path: Path) -> None:
    """A template-tag library called settings.py says nothing about DEFAULT_PERMISSION_CLASSES:
    the real settings module is outside the review, so a viewset without permission_classes is
    unknown, not open to anyone (WebODM's app/ reviewed without its webodm/settings.py)."""
    auth = _survey_app(tmp_path, "settings.py", dedent("""
        from django import template

        register = template.Library()


        @register.simple_tag
        def setting(name):
            return name
        """))
    assert auth["POST FlightViewSet.create"] == "unknown"


def test_django_settings_without_default_permission_classes_leave_drf_views_open(tmp_path: Path) -> None:
    auth = _survey_app(tmp_path, "settings.py", dedent("""
        INSTALLED_APPS = ["rest_framework", "survey"]
        ROOT_URLCONF = "survey.urls"
        """))
    assert auth["POST FlightViewSet.create"] == "none"


def test_an_options_only_handler_answers_cors_preflight_publicly() -> None:
    """Browsers send a CORS preflight without credentials: a handler answering only OPTIONS is
    public by design; the same class's other verbs are decided as before."""
    app = Path(__file__).parent / "framework_matrix" / "apps" / "flask_restful_decorator"
    report = review(app, Settings(use_cache=False))
    found = {(e.method, e.path): (e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints}
    assert found[("OPTIONS", "/api/v1/repository")] == ("public", "public by design (CORS preflight)")
    assert found[("GET", "/api/v1/repository")][0] != "public"


def test_a_handler_that_configures_a_webhook_is_not_a_webhook_receiver() -> None:
    from servicelens.endpoints.public import public_reason

    assert public_reason("billing.views.stripe_webhook", "/billing/stripe") == "webhook"
    assert public_reason("hooks.views.WebhookReceiver.post", "/hooks/github/webhook") == "webhook"
    assert public_reason("projects.api.ProjectViewSet.add_webhook", "/api/projects/<pk>/add_webhook/") == ""
    assert public_reason("projects.api.delete_webhook", "/api/projects/<pk>/webhooks/<id>/") == ""


def test_accepting_an_invitation_is_public_by_design_and_revoking_one_is_not() -> None:
    from servicelens.endpoints.public import public_reason

    # the invitee has no account yet: the invitation's token is the credential
    assert public_reason("teams.views.accept_invitation", "/teams/invitation") == "sign-up"
    assert public_reason("routes.acceptInvitationAction", "/users/invitation") == "sign-up"
    assert public_reason("teams.views.accept_invite", "/teams/invite") == "sign-up"
    # managing someone's invitation is the inviter's power
    assert public_reason("teams.views.revoke_invitation", "/teams/invitation/revoke") == ""
    assert public_reason("teams.views.create_invitation", "/teams/invitations") == ""
