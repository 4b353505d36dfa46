"""Plain Django views are governed by what runs before them, not by REST framework's defaults: a
function middleware (a factory returning the closure that sees each request) is judged by that
closure, one that refuses every caller alike (a read-only switch) checks nobody, one that sends an
anonymous caller to the login page guards every view but the paths it lets through, and a library
middleware the models know signs callers in without refusing any (endpoints/blind_refusals.py,
endpoints/django_open.py, endpoints.inventory `decide_django_middlewares`)."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_SETTINGS = """
    ROOT_URLCONF = "atlas.urls"
    INSTALLED_APPS = ["atlas"]
    REST_FRAMEWORK = {{"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}}
    MIDDLEWARE = [
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        {extra}
    ]
    """

_MIDDLEWARE = """
    from django.conf import settings
    from django.core.exceptions import MiddlewareNotUsed
    from django.http import HttpResponseForbidden, HttpResponseRedirect
    from django.shortcuts import redirect


    def maintenance(get_response):
        if not settings.READ_ONLY:
            raise MiddlewareNotUsed

        def middleware(request):
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                return HttpResponseForbidden("read-only while we migrate")
            return get_response(request)

        return middleware


    def legacy_backend_notice(get_response):
        def middleware(request):
            if request.user.is_authenticated:
                if request.session.get("legacy_backend"):
                    return HttpResponseRedirect("/account/providers")
            return get_response(request)

        return middleware


    def login_wall(get_response):
        def middleware(request):
            if request.path.startswith("/accounts/"):
                return get_response(request)
            if not request.user.is_authenticated:
                return redirect("/accounts/login/")
            return get_response(request)

        return middleware


    def partner_token(get_response):
        def middleware(request):
            if request.headers.get("X-Partner") != settings.PARTNER_TOKEN:
                return HttpResponseForbidden()
            return get_response(request)

        return middleware
    """

_VIEWS = """
    from django.http import JsonResponse
    from django.views.generic import RedirectView, TemplateView
    from rest_framework.views import APIView
    from rest_framework.response import Response


    class Home(TemplateView):
        template_name = "home.html"


    class ShortLink(RedirectView):
        url = "/maps/"


    def sign_in(request):
        return JsonResponse({"form": True})


    class Stats(APIView):
        def get(self, request):
            return Response({"maps": 3})
    """

_URLS = """
    from django.urls import path

    from atlas import views

    urlpatterns = [
        path("", views.Home.as_view()),
        path("m/<int:pk>/", views.ShortLink.as_view()),
        path("accounts/login/", views.sign_in),
        path("api/stats/", views.Stats.as_view()),
    ]
    """


def _auth(tmp_path: Path, extra: str) -> dict[str, tuple[str, str]]:
    files = {"atlas/__init__.py": "", "atlas/settings.py": _SETTINGS.format(extra=extra),
             "atlas/middleware.py": _MIDDLEWARE, "atlas/views.py": _VIEWS, "atlas/urls.py": _URLS}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    return {e.handler.rsplit(".", 2)[-2] if e.handler.endswith(".get") else e.handler.rsplit(".", 1)[-1]:
            (e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints}


def test_a_middleware_refusing_every_caller_alike_checks_nobody(tmp_path: Path) -> None:
    found = _auth(tmp_path, '"atlas.middleware.maintenance", "atlas.middleware.legacy_backend_notice",')
    assert found["Home"][0] == "none"
    assert found["ShortLink"][0] == "none"
    # a REST framework view still takes DEFAULT_PERMISSION_CLASSES
    assert found["Stats"][0] == "required"
    assert "IsAuthenticated" in found["Stats"][1]


def test_a_refusal_under_a_test_of_what_the_caller_sends_keeps_views_undecided(tmp_path: Path) -> None:
    found = _auth(tmp_path, '"atlas.middleware.partner_token",')
    assert found["Home"][0] != "none"
    assert found["ShortLink"][0] != "none"


def test_a_function_middleware_sending_anonymous_callers_to_sign_in_guards_the_views(tmp_path: Path) -> None:
    found = _auth(tmp_path, '"atlas.middleware.login_wall",')
    assert found["Home"][0] == "required"
    assert "login_wall" in found["Home"][1]
    assert found["ShortLink"][0] == "required"
    assert found["sign_in"][0] != "required"  # the paths it lets through first


def test_a_library_middleware_that_only_signs_callers_in_requires_nothing(tmp_path: Path) -> None:
    assert _auth(tmp_path, '"sesame.middleware.AuthenticationMiddleware",')["Home"][0] == "none"
    assert _auth(tmp_path, '"vendor_sso.middleware.LoginRequiredEverywhereMiddleware",')["Home"][0] == "unknown"
