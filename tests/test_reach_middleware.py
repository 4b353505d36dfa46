"""A Django middleware class the settings' MIDDLEWARE lists runs around every request, and an
AUTHENTICATION_BACKENDS class at every sign-in: their hooks, and what they call, are request-path
code; a look-alike class not listed is not."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

MIDDLEWARE = """
    import requests

    class RegionRedirectMiddleware:
        def __init__(self, get_response):
            self.get_response = get_response

        def __call__(self, request):
            if request.headers.get("X-Region"):
                lookup_region(request.headers["X-Region"])
            return self.get_response(request)

    class UnusedMiddleware:
        def __init__(self, get_response):
            self.get_response = get_response

        def __call__(self, request):
            requests.get("https://audit.example.org/seen")
            return self.get_response(request)

    def lookup_region(region):
        return requests.get(f"https://regions.example.org/{region}").json()
    """

SETTINGS = """
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "shop.middleware.RegionRedirectMiddleware",
    ]
    AUTHENTICATION_BACKENDS = ["shop.sso.SsoBackend"]
    """

SSO = """
    import requests

    class SsoBackend:
        def authenticate(self, request, token=None):
            claims = requests.post("https://sso.example.org/introspect", data={"token": token}).json()
            return claims.get("sub")

    class LegacyBackend:
        def authenticate(self, request, token=None):
            return requests.post("https://old-sso.example.org/check", data={"token": token}).json()
    """


def test_listed_middleware_and_backends_are_on_the_request_path(tmp_path: Path) -> None:
    files = {"shop/__init__.py": "", "shop/middleware.py": MIDDLEWARE, "shop/settings.py": SETTINGS, "shop/sso.py": SSO}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    found = {(f.location.path, f.location.start_line): f.reach for f in report.findings}
    assert found == {("shop/middleware.py", 18): "", ("shop/middleware.py", 22): "request",
                     ("shop/sso.py", 6): "request", ("shop/sso.py", 11): ""}
