"""REST framework views that pick permission classes per action or method in `get_permissions`:
each endpoint gets what that method returns for it; a body the analysis cannot follow leaves the
class attribute and the project's defaults to decide."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_VIEWS = """
    from rest_framework import permissions, viewsets
    from rest_framework.decorators import action
    from rest_framework.permissions import SAFE_METHODS, IsAdminUser, IsAuthenticated
    from rest_framework.response import Response


    class TaskViewSet(viewsets.ViewSet):
        def get_permissions(self):
            if self.action == "retrieve":
                permission_classes = [permissions.AllowAny]
            else:
                permission_classes = [permissions.DjangoModelPermissions]
            return [permission() for permission in permission_classes]

        def retrieve(self, request, pk=None):
            return Response({"id": pk})

        def create(self, request):
            return Response(request.data)

        @action(detail=True, methods=["post"])
        def cancel(self, request, pk=None):
            return Response({"cancelled": pk})


    class NoteViewSet(viewsets.ViewSet):
        permission_classes = [IsAuthenticated]

        def get_permissions(self):
            if self.request.method in SAFE_METHODS:
                return [permissions.AllowAny()]
            if self.action in ("destroy", "purge"):
                return [IsAdminUser()]
            return super().get_permissions()

        def list(self, request):
            return Response([])

        def destroy(self, request, pk=None):
            return Response(status=204)

        def update(self, request, pk=None):
            return Response(request.data)


    class FlagViewSet(viewsets.ViewSet):
        def get_permissions(self):
            return [cls() for cls in self.permission_map[self.action]]

        def create(self, request):
            return Response(request.data)
    """


def _endpoints(tmp_path: Path) -> dict[str, tuple[str, str]]:
    (tmp_path / "views.py").write_text(dedent(_VIEWS), encoding="utf-8")
    report = review(tmp_path, Settings(use_cache=False))
    return {e.handler.rsplit(".", 2)[-2] + "." + e.handler.rsplit(".", 1)[-1]: (e.auth, e.auth_evidence)
            for s in report.overview.services for e in s.endpoints}


def test_each_action_gets_the_branch_that_applies_to_it(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    assert found["TaskViewSet.retrieve"][0] == "none"
    assert found["TaskViewSet.create"] == ("required", "get_permissions() for `create`: [DjangoModelPermissions]")
    assert found["TaskViewSet.cancel"][0] == "required"


def test_request_method_tests_and_super_fall_back_to_the_class_attribute(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    assert found["NoteViewSet.list"][0] == "none"  # a safe method: AllowAny
    assert found["NoteViewSet.destroy"] == ("required", "get_permissions() for `destroy`: [IsAdminUser]")
    assert found["NoteViewSet.update"] == ("required", "permission_classes = [IsAuthenticated]")


def test_a_body_that_cannot_be_followed_decides_nothing(tmp_path: Path) -> None:
    auth, evidence = _endpoints(tmp_path)["FlagViewSet.create"]
    assert auth == "unknown" and "get_permissions" not in evidence
