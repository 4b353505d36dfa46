"""A project's own login middleware that spares the routes named in a list (compared against the
URL name the request resolves to) guards every other view, not those; a class named
`LoginRequiredMiddleware` that the project defines is read, not taken for Django's."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_SETTINGS = """
    SECRET_KEY = "x"
    ROOT_URLCONF = "config.urls"
    INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "accounts"]
    MIDDLEWARE = [
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "{middleware}",
    ]
    """

_MIDDLEWARE = """
    from django.contrib.auth.decorators import login_required
    from django.urls import resolve
    from django.utils.deprecation import MiddlewareMixin

    LOGIN_EXEMPT_ROUTES = ("login", "register")


    class LoginRequiredMiddleware(MiddlewareMixin):
        def process_view(self, request, view_func, view_args, view_kwargs):
            {test}
            if request.user.is_authenticated:
                return None
            if {subject} in LOGIN_EXEMPT_ROUTES:
                return None
            return login_required(view_func)(request, *view_args, **view_kwargs)
    """

_VIEWS = """
    from django.http import JsonResponse


    def profile(request):
        return JsonResponse({"name": request.user.username})


    def register(request):
        return JsonResponse({})


    def sign_in(request):
        return JsonResponse({})
    """

_URLS = """
    from django.urls import path
    from accounts import views

    urlpatterns = [
        path("profile", views.profile, name="profile"),
        path("login", views.sign_in, name="login"),
    ]
    urlpatterns.append(path("register/", views.register, name="register"))
    """


def _auth(tmp_path: Path, middleware: str = "config.middleware.LoginRequiredMiddleware",
          test: str = "current = resolve(request.path_info).url_name",
          subject: str = "current") -> dict[str, str]:
    files = {
        "config/__init__.py": "",
        "config/settings.py": _SETTINGS.format(middleware=middleware),
        "config/middleware.py": _MIDDLEWARE.format(test=test, subject=subject),
        "config/urls.py": _URLS,
        "accounts/__init__.py": "",
        "accounts/views.py": _VIEWS,
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    return {e.handler.rsplit(".", 1)[-1]: e.auth for s in report.overview.services for e in s.endpoints}


def test_routes_named_in_the_exempt_list_are_not_guarded_by_the_middleware(tmp_path: Path) -> None:
    auth = _auth(tmp_path)
    assert auth["profile"] == "required"
    assert auth["register"] != "required"
    assert auth["sign_in"] != "required"


def test_the_resolver_match_read_in_place_is_read_alike(tmp_path: Path) -> None:
    auth = _auth(tmp_path, test="pass", subject="request.resolver_match.url_name")
    assert (auth["profile"], auth["register"] != "required") == ("required", True)


def test_a_list_compared_with_something_else_exempts_nothing(tmp_path: Path) -> None:
    """`request.user.username in LOGIN_EXEMPT_ROUTES` is not about the route: every view is guarded."""
    auth = _auth(tmp_path, test="pass", subject="request.user.username")
    assert auth == {"profile": "required", "register": "required", "sign_in": "required"}


def test_djangos_own_login_required_middleware_still_guards_every_view(tmp_path: Path) -> None:
    auth = _auth(tmp_path, middleware="django.contrib.auth.middleware.LoginRequiredMiddleware")
    assert auth["profile"] == "required" and auth["register"] == "required"
