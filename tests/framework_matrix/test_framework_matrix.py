"""The framework coverage matrix: for each documented way a framework binds a URL to code or
calls project code itself, a small app in that form (tests/framework_matrix/apps/<row>/), the
endpoints servicelens must list (method, path with every prefix, handler) and, marked on each
function's `def` line (`# reach: request`), how the function is reached (analysis/reach.py).
`# reach: none` marks a look-alike nothing may be said to reach."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.framework_matrix.harness import serve

APPS = Path(__file__).parent / "apps"


@dataclass(frozen=True, slots=True)
class Row:
    app: str
    framework: str
    forms: str  # the documented forms the app is written in
    endpoints: frozenset[tuple[str, str, str]]  # (method, path, handler); every endpoint of the app
    gap: str = ""  # a form the model does not serve yet: the row must fail until it does


def _e(*rows: str) -> frozenset[tuple[str, str, str]]:
    return frozenset(tuple(row.split()) for row in rows)  # type: ignore[misc]


MATRIX = (
    Row("django_views", "django",
        "path/re_path, include() with a prefix, function views, View and generic ListView via as_view(), "
        "urlpatterns chosen by a settings branch",
        _e("* /shop/orders/<int:pk>/ shop.views.order_detail",
           "GET /shop/orders/ shop.views.OrderListView.get",
           "GET /shop/carts/ shop.views.CartView.get",
           "POST /shop/carts/ shop.views.CartView.post",
           "* /shop/legacy/<code>/ shop.views.legacy_lookup",
           # a view bound at several paths is listed once, at the first (the inventory's view -> path map)
           "* /legacy/assets/<int:pk>/ legacy.views.asset_detail")),
    Row("drf_api", "djangorestframework",
        "DefaultRouter.register + include(router.urls), ModelViewSet with @action, ListCreateAPIView, APIView, "
        "@api_view; serializer (named by serializer_class, constructed, returned by get_serializer_class), "
        "permission hooks",
        _e("GET /api/invoices/ api.views.InvoiceViewSet.list", "POST /api/invoices/ api.views.InvoiceViewSet.create",
           "GET /api/invoices/<pk>/ api.views.InvoiceViewSet.retrieve",
           "PUT /api/invoices/<pk>/ api.views.InvoiceViewSet.update",
           "PATCH /api/invoices/<pk>/ api.views.InvoiceViewSet.partial_update",
           "DELETE /api/invoices/<pk>/ api.views.InvoiceViewSet.destroy",
           "POST /api/invoices/<pk>/mark-paid/ api.views.InvoiceViewSet.mark_paid",
           "GET /api/payments/ api.views.PaymentList.get", "POST /api/payments/ api.views.PaymentList.post",
           "POST /api/refunds/ api.views.RefundView.post", "GET /api/ping/ api.views.ping",
           "POST /api/receipts/ api.views.ReceiptViewSet.create")),
    Row("drf_package_root", "djangorestframework",
        "review root that is the package (imports name it), project generic bases named like REST framework's "
        "in a module importing no framework, ViewSet.as_view({...}) maps bound to names then used in path() "
        "(a plain method, an @action; unmapped actions not served), include((imported urlpatterns, app_name)); "
        "look-alikes: an unbound view, a map no pattern uses",
        _e("GET /api/events/ events.views.EventList.get", "GET /api/events/<int:pk> events.views.EventDetail.get",
           "PUT /api/events/<int:pk> events.views.EventDetail.put",
           "PATCH /api/events/<int:pk> events.views.EventDetail.patch",
           "GET /adapter/ adapters.views.AdapterViewSet.list", "POST /adapter/ adapters.views.AdapterViewSet.create",
           "GET /adapter/<uuid:pk>/ adapters.views.AdapterViewSet.retrieve",
           "DELETE /adapter/<uuid:pk>/ adapters.views.AdapterViewSet.destroy",
           "GET /adapter/info/<uuid:pk>/ adapters.views.AdapterViewSet.info",
           "GET /adapter_schema/ adapters.views.AdapterViewSet.adapter_schema")),
    Row("drf_star_imports", "djangorestframework",
        "a URLconf that star-imports a views package (`from trips.views import *`) whose __init__ star-imports "
        "its submodules, registering a viewset and binding an APIView by the bare names; look-alike: a viewset "
        "in a module the package does not re-export and no URLconf names",
        _e("GET /api/trips/ trips.views.trip_views.TripViewSet.list",
           "POST /api/trips/ trips.views.trip_views.TripViewSet.create",
           "GET /api/weather/ trips.views.weather_views.WeatherView.get")),
    Row("drf_static_handlers", "djangorestframework",
        "APIView handlers declared @staticmethod taking the request first (dispatch looks the handler up on the "
        "instance); look-alike: a static `get` on a class that is no view",
        _e("GET /api/notes/ notes.views.NoteListView.get", "POST /api/notes/ notes.views.NoteListView.post",
           "GET /api/config/ notes.views.ConfigView.get")),
    Row("django_library_generics", "django",
        "views answering through library generic bases: django-filter's FilterView under a project base in "
        "another module, a date-based ArchiveIndexView, the auth PasswordChangeView; look-alike: a FilterView "
        "subclass no URLconf binds",
        _e("GET /diary/entries/ diary.views.EntryList.get", "GET /diary/archive/ diary.views.EntryArchive.get",
           "GET /diary/password/ diary.views.DiaryPasswordChange.get",
           "POST /diary/password/ diary.views.DiaryPasswordChange.post")),
    Row("drf_router_concat", "djangorestframework",
        "a router's urls concatenated onto the URLconf's list (`urlpatterns = [...] + router.urls`) under an "
        "include's prefix, an inline list included under a namespace (`include(([path(...)], 'ns'))`); look-alike: a viewset in a module no URLconf or router names",
        _e("GET /api/tags/health/ tags.views.health", "POST /api/tags/admin/purge/ tags.views.purge",
           "GET /api/tags/labels/ tags.views.LabelViewSet.list",
           "POST /api/tags/labels/ tags.views.LabelViewSet.create",
           "GET /api/tags/labels/<pk>/ tags.views.LabelViewSet.retrieve",
           "PUT /api/tags/labels/<pk>/ tags.views.LabelViewSet.update",
           "PATCH /api/tags/labels/<pk>/ tags.views.LabelViewSet.partial_update",
           "DELETE /api/tags/labels/<pk>/ tags.views.LabelViewSet.destroy")),
    Row("drf_project_router", "djangorestframework",
        "an instance of the project's DefaultRouter subclass, re-exported by its package with the project's base "
        "viewset, imported and registered on in an app's module (a viewset defining no handler of its own), its "
        "urls included by the root URLconf",
        _e("GET /api/vehicles/ fleet.vehicles.api.VehicleViewSet.list",
           "POST /api/vehicles/ fleet.vehicles.api.VehicleViewSet.create",
           "GET /api/vehicles/<pk>/ fleet.vehicles.api.VehicleViewSet.retrieve",
           "PUT /api/vehicles/<pk>/ fleet.vehicles.api.VehicleViewSet.update",
           "PATCH /api/vehicles/<pk>/ fleet.vehicles.api.VehicleViewSet.partial_update",
           "DELETE /api/vehicles/<pk>/ fleet.vehicles.api.VehicleViewSet.destroy")),
    Row("django_hooks", "django", "management commands, data migrations (RunPython), template tags and filters, forms (clean_*), signals (@receiver, custom and model), admin (ModelAdmin, actions), "
        "MIDDLEWARE", _e("* /posts/new/ blog.views.new_post")),
    Row("flask_app", "flask", "route, add_url_rule, MethodView.as_view, blueprints with url_prefix, before/after/"
        "teardown_request, errorhandler, app.cli.command",
        _e("GET /health notes.app.health", "GET /tags notes.app.list_tags",
           "GET /notes/<int:note_id> notes.app.NoteView.get", "DELETE /notes/<int:note_id> notes.app.NoteView.delete",
           "GET /api/notes notes.api.notes", "POST /api/notes notes.api.notes", "GET /admin/stats notes.admin.stats")),
    Row("flask_blueprint_classes", "flask",
        "a Blueprint subclass (in another module) whose methods a project decorator marks with URL rules it stores on "
        "the function, the prefix handed to the Blueprint constructor by the subclass's __init__; look-alike: a "
        "class that is no Blueprint using the same decorator",
        _e("GET /loans/ library.loans.LoanPages.overview", "POST /loans/<int:loan_id>/renew library.loans.LoanPages.renew",
           "PUT /loans/<int:loan_id>/renew library.loans.LoanPages.renew")),
    Row("pyramid_cornice", "pyramid",
        "config.add_route + @view_config(route_name=..., request_method=...), a Cornice Service(name, path) with "
        "@service.get(), a Cornice @resource(collection_path=, path=) class (collection_post, get); look-alike: a "
        "resource method named for no verb",
        _e("GET /status kiosk.views.kiosk_status", "GET /tickets/{ticket_id} kiosk.views.show_ticket",
           "HEAD /tickets/{ticket_id} kiosk.views.show_ticket", "POST /queues kiosk.views.Queue.collection_post",
           "GET /queues/{queue_id} kiosk.views.Queue.get")),
    Row("flask_restful_app", "flask-restful", "Api(prefix=), Resource, add_resource; flask-smorest Blueprint(url_prefix=) with a MethodView",
        _e("GET /v1/widgets/<int:widget_id> svc.app.Widget.get", "PUT /v1/widgets/<int:widget_id> svc.app.Widget.put",
           "GET /pets/ svc.pets.Pets.get", "POST /pets/ svc.pets.Pets.post")),
    Row("flask_restful_imported_table", "flask-restful",
        "a module-level (Resource, path) table registered by a loop in another module (`for route in TABLE: "
        "api_v1.add_resource(*route)`) on an Api built with a prefix inside the app factory; look-alike: a table "
        "no loop registers",
        _e("GET /api/v1/cases/ casebook.api.resources.CaseList.get", "POST /api/v1/cases/ casebook.api.resources.CaseList.post",
           "DELETE /api/v1/cases/<int:case_id>/ casebook.api.resources.CaseItem.delete")),
    Row("flask_restful_mapping", "flask-restful",
        "resources deriving from the project's own ResourceBase in another module, listed with their URLs by a "
        "project helper in a class-body list that the project's API base registers in a loop; look-alike: a "
        "class with a get() no registration names",
        _e("GET /users/<string:user_id> idsvc.users.UserResource.get",
           "DELETE /users/<string:user_id> idsvc.users.UserResource.delete",
           "POST /users/<string:user_id>/password idsvc.users.UserPasswordResource.post")),
    Row("flask_restful_decorator", "flask-restful",
        "a project decorator of any name called with URL rules (`@resource(\"/v1/a\", \"/v1/b\")`) whose closure "
        "hands the class to `api.add_resource`, the Api bound to a blueprint by `api.init_app(bp)` and the blueprint "
        "registered with `url_prefix`; a base class's `options` answers at every path; look-alikes: a decorator "
        "called with a flag, a URL-like argument on a class answering no HTTP verb; flask-restful's own "
        "`@api.resource(...)` on an `Api(bp, prefix=...)`",
        _e("GET /api/v1/repository registry.api.repositories.RepositoryList.get",
           "POST /api/v1/repository registry.api.repositories.RepositoryList.post",
           "GET /api/v1/repositories registry.api.repositories.RepositoryList.get",
           "POST /api/v1/repositories registry.api.repositories.RepositoryList.post",
           "DELETE /api/v1/repository/<repopath:repository> registry.api.repositories.Repository.delete",
           "OPTIONS /api/v1/repository registry.api.ApiResource.options",
           "OPTIONS /api/v1/repositories registry.api.ApiResource.options",
           "OPTIONS /api/v1/repository/<repopath:repository> registry.api.ApiResource.options",
           "GET /api/status/ping registry.api.status.Ping.get")),
    Row("fastapi_app", "fastapi", "APIRouter(prefix=), include_router(prefix=), add_api_route, Depends, middleware, "
        "exception_handler, lifespan, BackgroundTasks, Annotated dependency aliases with sub-dependencies, a "
        "service object a dependency returns",
        _e("GET /api/items/{item_id} app.routers.items.read_item", "POST /api/items app.routers.items.create_item",
           "POST /orders app.main.create_order", "GET /reports app.main.report",
           "PUT /api/items/{item_id}/order app.routers.items.order_item")),
    Row("starlette_app", "starlette", "Route, Mount, HTTPEndpoint, Middleware, exception_handlers",
        _e("GET / app.homepage", "GET /users/{user_id} app.user_detail", "GET /accounts app.Accounts.get",
           "POST /accounts app.Accounts.post")),
    Row("aiohttp_app", "aiohttp", "RouteTableDef, router.add_get/add_route/add_view, add_routes([web.delete()]), "
        "web.View (add_view, web.view), middlewares, on_startup, cleanup_ctx, add_subapp",
        _e("GET /products shop.app.list_products", "GET /orders/{order_id} shop.views.get_order",
           "POST /orders shop.views.create_order", "DELETE /orders/{order_id} shop.views.delete_order",
           "GET /carts shop.views.CartView.get", "POST /carts shop.views.CartView.post",
           "GET /admin/stats shop.admin.stats", "GET /wishlist shop.views.WishlistView.get")),
    Row("falcon_app", "falcon", "falcon.App(middleware=[...]) and falcon.asgi.App, add_route of a resource instance, "
        "suffix= responders (on_get_item), a URI template with a converter ({note_id:int}), a loop over a (path, "
        "resource, suffix) table, a resource a factory function builds, @falcon.before hooks, async responders; "
        "look-alikes: a hook nothing applies, a resource class no add_route names (every add_route read)",
        _e("GET /health notes.resources.Health.on_get", "GET /notes notes.resources.Notes.on_get",
           "POST /notes notes.resources.Notes.on_post", "GET /notes/{note_id:int} notes.resources.Notes.on_get_item",
           "DELETE /notes/{note_id:int} notes.resources.Notes.on_delete_item",
           "PUT /drafts/{draft_id} notes.resources.Drafts.on_put", "GET /tags notes.resources.Tags.on_get")),
    Row("falcon_other_methods", "falcon", "look-alike: an on_<word> method of a routed resource naming no HTTP verb",
        _e("GET /books shelf.app.Books.on_get"),
        gap="a routed resource's other methods are reached as if Falcon called them (the instance is handed to "
            "add_route, and what a call is handed may have any of its methods called)"),
    Row("jobs_app", "celery, rq, dramatiq, click, typer", "@app.task, @shared_task, beat_schedule, queue.enqueue, "
        "@dramatiq.actor, click group/command, typer command", _e()),
    Row("django_hooks_calls", "django", "signal.connect() (custom, model with a lazy sender, login signal), "
        "admin.site.register(Model, Admin) with actions; look-alikes: a signal never sent, a model never saved, "
        "an admin never registered", _e("* /contacts/<int:pk>/archive/ crm.views.archive_contact")),
    Row("flask_hook_calls", "flask", "bp.before_request(f), register_error_handler, teardown_appcontext; "
        "look-alike: a function named before_request that nothing registers",
        _e("GET /reports/daily svc.app.daily")),
    Row("asgi_calls", "fastapi, starlette, aiohttp", "add_middleware(ASGI class), add_exception_handler, "
        "APIRouter(dependencies=), include_router(prefix=); aiohttp middlewares.append, on_response_prepare; "
        "look-alikes: an unregistered middleware class, functions named like hooks",
        _e("POST /v1/admin/flush api.main.flush_cache", "GET /events api.events.list_events")),
    Row("connexion_app", "connexion", "operationId in the OpenAPI document",
        _e("GET /v2/pets petstore.handlers.list_pets", "DELETE /v2/pets/{pet_id} petstore.handlers.delete_pet")),
)


@pytest.mark.parametrize("row", [pytest.param(row, marks=pytest.mark.xfail(reason=row.gap, strict=True)) if row.gap
                                 else row for row in MATRIX], ids=[row.app for row in MATRIX])
def test_endpoints_and_reach(row: Row) -> None:
    served = serve(APPS / row.app)
    missing, extra = sorted(row.endpoints - served.endpoints), sorted(served.endpoints - row.endpoints)
    wrong = {f"{served.names[key]} ({key[0]}:{key[1]})": (served.reach[key] or "none", want or "none")
             for key, want in served.expected.items() if served.reach[key] != want}
    assert not (missing or extra or wrong), f"missing {missing}, extra {extra}, reach found vs wanted {wrong}"
