"""Who may call a Django class-based view, decided by what its bases and mixins do, wherever
they are defined: django.contrib.auth's mixins imported under another name, a project mixin
whose `dispatch` refuses the caller, and the look-alikes that decide nothing
(endpoints/inventory.py `decide_entry_hooks`, frameworks/python_handlers.py `class_auth`)."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_MIXINS = """
    from django.contrib.auth.mixins import AccessMixin
    from django.contrib.auth.mixins import PermissionRequiredMixin as ContribPermissionMixin
    from django.shortcuts import render


    class TeamPermissionMixin(ContribPermissionMixin):
        raise_exception = True


    class ManagerOnlyMixin(AccessMixin):
        def dispatch(self, request, *args, **kwargs):
            if not request.user.is_manager:
                return self.handle_no_permission()
            return super().dispatch(request, *args, **kwargs)


    class ThemeMixin:
        def dispatch(self, request, *args, **kwargs):
            if "theme" not in request.session:
                request.session["theme"] = "light"
            return super().dispatch(request, *args, **kwargs)


    class WizardStepMixin:
        def dispatch(self, request, *args, **kwargs):
            if not request.session.get("wizard_step"):
                return render(request, "wizard/start.html")
            return super().dispatch(request, *args, **kwargs)
    """

_VIEWS = """
    from django.views.generic import DeleteView, ListView, UpdateView

    from rota.access import ManagerOnlyMixin, TeamPermissionMixin, ThemeMixin, WizardStepMixin
    from rota.models import Shift


    class ShiftList(TeamPermissionMixin, ListView):
        model = Shift
        permission_required = "rota.view_shift"


    class ShiftDelete(ManagerOnlyMixin, DeleteView):
        model = Shift


    class ShiftEdit(ThemeMixin, UpdateView):
        model = Shift
        fields = ["starts_at"]


    class ShiftWizard(WizardStepMixin, ListView):
        model = Shift
    """

_MODELS = """
    from django.db import models


    class Shift(models.Model):
        starts_at = models.DateTimeField()
    """

_URLS = """
    from django.urls import path

    from rota import views

    urlpatterns = [
        path("shifts/", views.ShiftList.as_view()),
        path("shifts/<int:pk>/delete/", views.ShiftDelete.as_view()),
        path("shifts/<int:pk>/edit/", views.ShiftEdit.as_view()),
        path("shifts/wizard/", views.ShiftWizard.as_view()),
    ]
    """


def _auth_by_view(tmp_path: Path) -> dict[str, set[str]]:
    files = {"rota/__init__.py": "", "rota/access.py": _MIXINS, "rota/views.py": _VIEWS,
             "rota/models.py": _MODELS, "rota/urls.py": _URLS}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    found: dict[str, set[str]] = {}
    for service in report.overview.services:
        for endpoint in service.endpoints:
            found.setdefault(endpoint.handler.split(".")[-2], set()).add(endpoint.auth)
    return found


def test_a_contrib_mixin_imported_under_another_name_requires_its_permission(tmp_path: Path) -> None:
    assert _auth_by_view(tmp_path)["ShiftList"] == {"required"}


def test_a_mixin_whose_dispatch_refuses_the_caller_guards_every_view_inheriting_it(tmp_path: Path) -> None:
    assert _auth_by_view(tmp_path)["ShiftDelete"] == {"required"}


def test_a_dispatch_that_checks_no_caller_or_never_refuses_decides_nothing(tmp_path: Path) -> None:
    found = _auth_by_view(tmp_path)
    assert "required" not in found["ShiftEdit"]  # sets a preference, refuses no one
    assert "required" not in found["ShiftWizard"]  # renders another page: no refusal
