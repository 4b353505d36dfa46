"""A REST framework generic view that defines the action its inherited verb handler runs
(`ListCreateAPIView.post` runs `self.create`) answers that verb once, through its own method."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_VIEWS = """
    from rest_framework.exceptions import PermissionDenied
    from rest_framework.generics import ListCreateAPIView, RetrieveUpdateAPIView


    class CheckListCreate(ListCreateAPIView):
        def create(self, request, patch_id, *args, **kwargs):
            if not request.user.is_authenticated:
                raise PermissionDenied()
            return super().create(request, *args, **kwargs)


    class NoteListCreate(ListCreateAPIView):
        def perform_create(self, serializer):
            serializer.save()


    class NoteDetail(RetrieveUpdateAPIView):
        def update(self, request, *args, **kwargs):
            return super().update(request, *args, **kwargs)
    """

_URLS = """
    from django.urls import path
    from checks import views

    urlpatterns = [
        path("patches/<int:patch_id>/checks/", views.CheckListCreate.as_view()),
        path("notes/", views.NoteListCreate.as_view()),
        path("notes/<int:pk>/", views.NoteDetail.as_view()),
    ]
    """


def _routes(tmp_path: Path) -> list[tuple[str, str, str]]:
    for rel, text in {"checks/__init__.py": "", "checks/views.py": _VIEWS, "checks/urls.py": _URLS}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    return sorted((e.handler.split(".", 2)[-1], e.method, e.path) for s in report.overview.services for e in s.endpoints)


def test_a_verb_answered_through_the_views_own_action_is_listed_once(tmp_path: Path) -> None:
    routes = _routes(tmp_path)
    posts = [handler for handler, method, path in routes if method == "POST" and path.endswith("/checks/")]
    assert posts == ["CheckListCreate.create"]
    assert ("CheckListCreate.get", "GET", "/patches/<int:patch_id>/checks/") in routes
    puts = [handler for handler, method, path in routes if method == "PUT"]
    assert puts == ["NoteDetail.update"]


def test_a_hook_of_another_name_keeps_the_inherited_handler(tmp_path: Path) -> None:
    routes = _routes(tmp_path)
    assert ("NoteListCreate.post", "POST", "/notes/") in routes  # `perform_create` is no handler
    assert ("NoteDetail.patch", "PATCH", "/notes/<int:pk>/") in routes  # PATCH runs partial_update
