"""Decorators a Django URLconf applies to views decide their auth like decorators on the view:
wrapped around the view in `path(...)` (`login_required(views.profile)`, `cache_page(60)(views.about)`),
or applied by a project helper the patterns are handed to, when the helper's body applies that
argument to its patterns (`decorated_urls([login_required, never_cache], path(...), ...)`, in
place through the pattern objects, or `wrap_all(staff_only, [...])` rebinding each callback).
A helper that only renames its patterns (`named_urls("shop-", ...)`) applies nothing, and a
decorator that checks nobody (`with_header`) guards nothing."""
from __future__ import annotations

from pathlib import Path

from tests.endpoint_auth import endpoint_auth


_FILES = {
    "shop/__init__.py": """

        """,
    "shop/settings.py": """
        SECRET_KEY = "x"
        ROOT_URLCONF = "shop.urls"
        INSTALLED_APPS = ["django.contrib.auth", "shop"]
        MIDDLEWARE = [
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        """,
    "shop/helpers.py": """
        from django.urls import URLPattern


        class DecoratedPattern(URLPattern):
            def resolve(self, *args, **kwargs):
                result = URLPattern.resolve(self, *args, **kwargs)
                if result:
                    for func in self._decorate_with:
                        result.func = func(result.func)
                return result


        def decorated_urls(func, *urls):
            # decorate a group of patterns in place

            def decorate(urls, func):
                for url in urls:
                    url.__class__ = DecoratedPattern
                    if not hasattr(url, "_decorate_with"):
                        url._decorate_with = []
                    url._decorate_with.append(func)

            if not isinstance(func, (list, tuple)):
                func = [func]
            for f in func:
                decorate(urls, f)
            return urls


        def wrap_all(decorator, patterns):
            for pattern in patterns:
                pattern.callback = decorator(pattern.callback)
            return patterns


        def named_urls(prefix, *urls):
            # a look-alike: renames patterns, applies nothing
            for url in urls:
                url.name = prefix + url.name
            return urls
        """,
    "shop/decorators.py": """
        from functools import wraps

        from django.http import HttpResponseForbidden


        def staff_only(view_func):
            @wraps(view_func)
            def wrapper(request, *args, **kwargs):
                if not request.user.is_staff:
                    return HttpResponseForbidden()
                return view_func(request, *args, **kwargs)

            return wrapper


        def with_header(view_func):
            @wraps(view_func)
            def wrapper(request, *args, **kwargs):
                response = view_func(request, *args, **kwargs)
                response["X-Shop"] = "1"
                return response

            return wrapper
        """,
    "shop/views.py": """
        from django.http import JsonResponse
        from django.views import View


        def dashboard(request):
            return JsonResponse({})


        def orders(request):
            return JsonResponse([])


        def reports(request):
            return JsonResponse([])


        def catalogue(request):
            return JsonResponse([])


        def profile(request):
            return JsonResponse({})


        def export(request):
            return JsonResponse({})


        def about(request):
            return JsonResponse({})


        class Settings(View):
            def get(self, request):
                return JsonResponse({})

            def post(self, request):
                return JsonResponse({})
        """,
    "shop/urls.py": """
        from django.contrib.auth.decorators import login_required
        from django.urls import path
        from django.views.decorators.cache import cache_page, never_cache

        from shop import views
        from shop.decorators import staff_only, with_header
        from shop.helpers import decorated_urls, named_urls, wrap_all

        admin_urls = [
            path("reports/", views.reports, name="reports"),
        ]

        urlpatterns = [
            path("about/", cache_page(60)(views.about), name="about"),
            path("profile/", login_required(views.profile), name="profile"),
        ]
        urlpatterns += decorated_urls(
            [login_required, never_cache],
            path("dashboard/", views.dashboard, name="dashboard"),
            path("settings/", views.Settings.as_view(), name="settings"),
        )
        urlpatterns += decorated_urls([staff_only, never_cache], *admin_urls)
        urlpatterns += wrap_all(staff_only, [path("export/", views.export)])
        urlpatterns += decorated_urls([with_header], path("catalogue/", views.catalogue))
        urlpatterns += named_urls("shop-", path("orders/", views.orders, name="orders"))
        """,
}


def _endpoints(tmp_path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    return endpoint_auth(tmp_path, _FILES)


def test_a_view_wrapped_in_the_urlconf_is_bound_and_decided_by_its_wrapper(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    assert found[("*", "/profile/")][0] == "required"
    assert "login_required" in found[("*", "/profile/")][1]
    assert found[("*", "/about/")][0] == "none"  # cache_page checks nobody


def test_a_helper_applying_its_decorator_argument_to_the_patterns_decides_them(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    assert found[("*", "/dashboard/")][0] == "required"
    assert found[("GET", "/settings/")][0] == "required" and found[("POST", "/settings/")][0] == "required"
    assert found[("*", "/reports/")][0] == "required"  # a pattern list handed by name, `staff_only` by its body
    assert "staff_only" in found[("*", "/reports/")][1]
    assert found[("*", "/export/")][0] == "required"  # `pattern.callback = decorator(pattern.callback)`


def test_a_helper_that_applies_nothing_or_a_decorator_that_checks_nobody_guards_nothing(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    assert found[("*", "/orders/")][0] == "none"
    assert found[("*", "/catalogue/")][0] == "none"
