"""Django URLconfs split over modules: spliced urlpatterns, re-exported views, viewset action maps."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_VIEWS = """
    from rest_framework import viewsets
    from rest_framework.permissions import IsAuthenticated
    from rest_framework.response import Response
    from rest_framework.views import APIView


    class AppointmentViewSet(viewsets.ViewSet):
        permission_classes = [IsAuthenticated]

        def list(self, request, clinic):
            return Response([])

        def create(self, request, clinic):
            return Response({})

        def retrieve(self, request, clinic, pk):
            return Response({})

        def destroy(self, request, clinic, pk):
            return Response(status=204)


    class OpeningHours(APIView):
        permission_classes = [IsAuthenticated]

        def get(self, request, clinic):
            return Response({})
    """

_FILES = {
    "clinic/__init__.py": "",
    "clinic/urls.py": """
        from django.urls import include, path

        urlpatterns = [path("api/", include("clinic.api.urls"))]
        """,
    "clinic/api/__init__.py": "",
    "clinic/api/views/__init__.py": "from .appointments import AppointmentViewSet, OpeningHours\n",
    "clinic/api/views/appointments.py": _VIEWS,
    "clinic/api/urls/__init__.py": """
        from .appointments import urlpatterns as appointment_urls
        from .hours import urlpatterns as hours_urls

        urlpatterns = [*appointment_urls, *hours_urls]
        """,
    "clinic/api/urls/appointments.py": """
        from django.urls import path
        from clinic.api.views import AppointmentViewSet

        urlpatterns = [
            path("clinics/<str:clinic>/appointments/",
                 AppointmentViewSet.as_view({"get": "list", "post": "create"})),
            path("clinics/<str:clinic>/appointments/<int:pk>/",
                 AppointmentViewSet.as_view({"get": "retrieve", "delete": "destroy"})),
        ]
        """,
    "clinic/api/urls/hours.py": """
        from django.urls import path
        from clinic.api.views import OpeningHours

        urlpatterns = [path("clinics/<str:clinic>/hours/", OpeningHours.as_view())]
        """,
}


def _endpoints(tmp_path: Path, files: dict[str, str]) -> dict[tuple[str, str], str]:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    return {(e.method, e.path): e.handler.rsplit(".", 1)[-1] for s in report.overview.services for e in s.endpoints}


def test_spliced_urlpatterns_and_re_exported_viewsets_get_their_full_paths_per_action(tmp_path: Path) -> None:
    assert _endpoints(tmp_path, _FILES) == {
        ("GET", "/api/clinics/<str:clinic>/appointments/"): "list",
        ("POST", "/api/clinics/<str:clinic>/appointments/"): "create",
        ("GET", "/api/clinics/<str:clinic>/appointments/<int:pk>/"): "retrieve",
        ("DELETE", "/api/clinics/<str:clinic>/appointments/<int:pk>/"): "destroy",
        ("GET", "/api/clinics/<str:clinic>/hours/"): "get",
    }


def test_a_list_of_another_name_is_not_spliced(tmp_path: Path) -> None:
    files = dict(_FILES)
    files["clinic/api/urls/__init__.py"] = """
        from .appointments import urlpatterns as appointment_urls
        from .hours import HOUR_NAMES

        urlpatterns = [*appointment_urls]
        """
    files["clinic/api/urls/hours.py"] = 'HOUR_NAMES = ["open", "close"]\n'
    found = _endpoints(tmp_path, files)
    assert ("GET", "/api/clinics/<str:clinic>/appointments/") in found
    assert not any(path.endswith("/hours/") for _, path in found)


def test_a_request_helper_the_project_calls_is_no_view(tmp_path: Path) -> None:
    """An unbound function taking the request that a view (or a middleware) calls builds part of
    that view's answer: it is not listed as an endpoint. A bound view that another view also
    calls stays, and so does an unbound one nothing calls (it may be bound in a way not read)."""
    files = {
        "shop/__init__.py": "",
        "shop/urls.py": """
            from django.urls import path
            from shop import views

            urlpatterns = [path("orders/", views.orders), path("export/", views.export)]
            """,
        "shop/views.py": """
            from django.http import HttpResponse, JsonResponse


            def render_tasks(request, user):
                return [t for t in request.session.get("tasks", []) if t != user.pk]


            def export(request):
                return HttpResponse(request.GET.get("format", "csv"))


            def orders(request):
                if request.GET.get("export"):
                    return export(request)
                return JsonResponse({"tasks": render_tasks(request, request.user)})


            def legacy(request):
                return HttpResponse("old")
            """,
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    handlers = {e.handler.rsplit(".", 1)[-1]: e.path for s in report.overview.services for e in s.endpoints}
    assert "render_tasks" not in handlers
    assert handlers["orders"] == "/orders/" and handlers["export"] == "/export/"
    assert "legacy" in handlers
