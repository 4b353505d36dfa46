"""Django views nothing asks who is calling are open (`none`) once everything before them is read:
the settings' MIDDLEWARE (Django's own, the project's judged by their bodies, a library's whose
name says nothing about the caller) and the view's class ancestry (endpoints/django_open.py). What
the review cannot read keeps a view `unknown`."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_SETTINGS = """
    ROOT_URLCONF = "shop.urls"
    INSTALLED_APPS = ["shop"]
    MIDDLEWARE = [
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "shop.middleware.TokenMiddleware",
        "shop.middleware.TwoStepMiddleware",
        "shop.middleware.ErrorPageMiddleware",
        {extra}
    ]
    """

_MIDDLEWARE = """
    from django.http import HttpResponse, HttpResponseRedirect


    class TokenMiddleware:
        def __init__(self, get_response):
            self.get_response = get_response

        def __call__(self, request):
            header = request.headers.get("authorization", "")
            if not header:
                return self.get_response(request)
            if not header.startswith("Bearer "):
                return HttpResponse("bad token", status=401)
            return self.get_response(request)


    class TwoStepMiddleware:
        def __init__(self, get_response):
            self.get_response = get_response

        def __call__(self, request):
            if request.user.is_authenticated:
                if not request.session.get("second_step_passed"):
                    return HttpResponseRedirect("/login/second-step")
            return self.get_response(request)


    class ErrorPageMiddleware:
        def process_exception(self, request, exception):
            return None
    """

_VIEWS = """
    from django.http import JsonResponse
    from django.views.generic import ListView
    from vendor_views import CachedListMixin, StaffRequiredMixin

    from shop.mixins import TitleMixin
    from shop.models import Item


    class ItemList(TitleMixin, ListView):
        model = Item


    class StaffItemList(StaffRequiredMixin, ListView):
        model = Item


    class CachedItemList(CachedListMixin, ListView):
        model = Item


    def stats(request):
        return JsonResponse({"items": Item.objects.count()})
    """

_URLS = """
    from django.urls import path

    from shop import views

    urlpatterns = [
        path("items/", views.ItemList.as_view()),
        path("staff/items/", views.StaffItemList.as_view()),
        path("cached/items/", views.CachedItemList.as_view()),
        path("stats/", views.stats),
    ]
    """


def _auth(tmp_path: Path, extra: str = "", views: str = _VIEWS, middleware: str = _MIDDLEWARE,
          urls: str = _URLS) -> dict[str, str]:
    files = {"shop/__init__.py": "", "shop/settings.py": _SETTINGS.format(extra=extra),
             "shop/middleware.py": middleware, "shop/views.py": views, "shop/urls.py": urls,
             "shop/mixins.py": "class TitleMixin:\n    title = 'Shop'\n",
             "shop/models.py": "from django.db import models\n\n\nclass Item(models.Model):\n"
                               "    name = models.CharField(max_length=20)\n"}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    return {e.handler.rsplit(".", 2)[-2] if e.handler.endswith(".get") else e.handler.rsplit(".", 1)[-1]: e.auth
            for s in report.overview.services for e in s.endpoints}


def test_views_nothing_checks_are_open_when_middleware_and_bases_are_read(tmp_path: Path) -> None:
    found = _auth(tmp_path)
    # optional token auth and a second step only for signed-in callers let anonymous callers through
    assert found["ItemList"] == "none"
    assert found["stats"] == "none"
    assert found["CachedItemList"] == "none"  # a library base whose name says nothing about callers
    assert found["StaffItemList"] == "unknown"  # a library base named for a caller check


def test_a_middleware_the_review_cannot_read_keeps_views_undecided(tmp_path: Path) -> None:
    found = _auth(tmp_path, extra='"vendor_sso.middleware.LoginRequiredEverywhereMiddleware",')
    assert found["ItemList"] == "unknown"
    assert found["stats"] == "unknown"



_DECORATED = """

    from vendor_perms import staff_required


    @staff_required
    class BoardItemList(ListView):
        model = Item
    """

_LOGIN_WALL = """

    from django.contrib.auth.views import redirect_to_login


    class LoginWallMiddleware:
        def process_view(self, request, view_func, view_args, view_kwargs):
            if request.user.is_authenticated:
                return None
            if getattr(view_func, "open_to_all", False):
                return None
            return redirect_to_login(request.get_full_path())
    """


def test_a_class_decorator_is_decided_like_the_view_s_own(tmp_path: Path) -> None:
    urls = _URLS.replace('    path("stats/", views.stats),', '    path("stats/", views.stats),\n'
                                                            '        path("board/", views.BoardItemList.as_view()),')
    found = _auth(tmp_path, views=_VIEWS + _DECORATED, urls=urls)
    assert found["BoardItemList"] == "unknown"  # a library decorator named for a caller check
    assert found["ItemList"] == "none"


def test_a_middleware_that_redirects_to_the_login_page_keeps_views_undecided(tmp_path: Path) -> None:
    found = _auth(tmp_path, extra='"shop.middleware.LoginWallMiddleware",', middleware=_MIDDLEWARE + _LOGIN_WALL)
    assert found["ItemList"] == "unknown"
