"""The evidence of a REST framework view's `permission_classes` keeps the operators the code
composes them with: `A | B` lets a caller through who passes either, `A & B` only one who passes
both, so showing one as the other misstates who may call the endpoint."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_VIEWS = """
    from rest_framework import viewsets
    from rest_framework.permissions import IsAdminUser, IsAuthenticated
    from rest_framework.response import Response

    from .permissions import IsBlocked, ScopePermission


    class UserViewSet(viewsets.ViewSet):
        permission_classes = (ScopePermission | IsAdminUser,)

        def list(self, request):
            return Response([])


    class ChargeViewSet(viewsets.ViewSet):
        permission_classes = [IsAuthenticated & ScopePermission]

        def list(self, request):
            return Response([])


    class OrgViewSet(viewsets.ViewSet):
        permission_classes = [(ScopePermission | IsAdminUser) & ~IsBlocked]

        def list(self, request):
            return Response([])
    """


def _evidence(tmp_path: Path) -> dict[str, tuple[str, str]]:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "__init__.py").write_text("")
    (tmp_path / "api" / "views.py").write_text(dedent(_VIEWS), encoding="utf-8")
    report = review(tmp_path, Settings(use_cache=False))
    return {e.handler.rsplit(".", 2)[-2]: (e.auth, e.auth_evidence)
            for s in report.overview.services for e in s.endpoints}


def test_permission_classes_keep_the_operators_written(tmp_path: Path) -> None:
    found = _evidence(tmp_path)
    assert found["UserViewSet"] == ("required", "permission_classes = [ScopePermission | IsAdminUser]")
    assert found["ChargeViewSet"] == ("required", "permission_classes = [IsAuthenticated & ScopePermission]")
    assert found["OrgViewSet"] == ("required", "permission_classes = [(ScopePermission | IsAdminUser) & ~IsBlocked]")
