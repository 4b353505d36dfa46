"""A review of one package of a Django project reads the project's settings module above it, named
by DJANGO_SETTINGS_MODULE in manage.py, wsgi.py/asgi.py or an env file (as Django finds it), with
the modules it star-imports; not past a repository's top."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_PROJECT = {
    "manage.py": """
        import os
        import sys

        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "depot.settings.production")
            from django.core.management import execute_from_command_line
            execute_from_command_line(sys.argv)
        """,
    "depot/__init__.py": "",
    "depot/settings/__init__.py": "",
    "depot/settings/base.py": """
        INSTALLED_APPS = ["rest_framework", "parcels"]
        REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.%s"]}
        """,
    "depot/settings/production.py": """
        from .base import *  # noqa: F401,F403

        DEBUG = False
        """,
    "parcels/__init__.py": "",
    "parcels/views.py": """
        from rest_framework import viewsets
        from rest_framework.response import Response


        class ParcelViewSet(viewsets.ViewSet):
            def destroy(self, request, pk=None):
                return Response(status=204)
        """,
    "parcels/urls.py": """
        from rest_framework.routers import DefaultRouter

        from parcels.views import ParcelViewSet

        router = DefaultRouter()
        router.register(r"parcels", ParcelViewSet, basename="parcel")
        urlpatterns = router.urls
        """,
}


def _write(root: Path, default: str) -> None:
    for rel, text in _PROJECT.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(dedent(text.replace("%s", default)))


def _auth(root: Path) -> str:
    report = review(root, Settings(use_cache=False))
    return next(e.auth for s in report.overview.services for e in s.endpoints if e.method == "DELETE")


def test_the_settings_above_a_package_decide_its_views(tmp_path: Path) -> None:
    _write(tmp_path, "AllowAny")
    assert _auth(tmp_path / "parcels") == "none"  # REST framework's default lets anyone call it
    _write(tmp_path, "IsAuthenticated")
    assert _auth(tmp_path / "parcels") == "required"


def test_no_settings_are_read_above_a_repository_top(tmp_path: Path) -> None:
    _write(tmp_path, "IsAuthenticated")
    (tmp_path / "parcels" / ".git").mkdir()  # the review root is a repository of its own
    assert _auth(tmp_path / "parcels") == "unknown"


def test_a_module_named_settings_that_declares_no_django_setting_is_not_read(tmp_path: Path) -> None:
    _write(tmp_path, "IsAuthenticated")
    (tmp_path / "depot/settings/base.py").write_text('TITLE = "depot"\n')
    assert _auth(tmp_path / "parcels") == "unknown"
