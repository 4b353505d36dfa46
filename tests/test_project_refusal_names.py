"""Django's AccessMixin refuses through `self.handle_no_permission()`: called as the view's own
method it is a refusal (endpoints.principals). A project function that shares the name is not
Django's: it is not taken for one, so a role gate that ends in it does not silence the lookups
behind it, while a gate that compares what the URL names with the caller still does."""
from __future__ import annotations

from servicelens.api import review_source
from servicelens.config import Settings

_MODELS = '''
from django.db import models


class Employee(models.Model):
    name = models.CharField(max_length=10)


class Reporting(models.Model):
    manager = models.ForeignKey(Employee, on_delete=models.CASCADE)


class Goal(models.Model):
    title = models.CharField(max_length=10)
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE)
'''

_GATES = '''
from django.shortcuts import render

from teams.models import Goal, Reporting


def handle_no_permission(request):
    return render(request, "denied.html", status=403)


def managers_only(view):
    def wrapper(request, *args, **kwargs):
        user = request.user
        is_manager = Reporting.objects.filter(manager=user.employee).exists()
        if is_manager:
            return view(request, *args, **kwargs)
        return handle_no_permission(request)
    return wrapper


def goal_owner_only(view):
    def wrapper(request, *args, **kwargs):
        user = request.user
        goal = Goal.objects.filter(id=kwargs["goal_id"]).first()
        if goal is not None and goal.employee_id == user.employee.id:
            return view(request, *args, **kwargs)
        return handle_no_permission(request)
    return wrapper
'''

_VIEWS = '''
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from teams.gates import goal_owner_only, managers_only
from teams.models import Goal


@login_required
@managers_only
def remove_goal(request, goal_id):
    goal = get_object_or_404(Goal, id=goal_id)
    goal.delete()
    return HttpResponse("")


@login_required
@goal_owner_only
def close_goal(request, goal_id):
    goal = get_object_or_404(Goal, id=goal_id)
    goal.delete()
    return HttpResponse("")
'''

_URLS = '''
from django.urls import path

from teams import views

urlpatterns = [
    path("goals/<int:goal_id>/remove", views.remove_goal),
    path("goals/<int:goal_id>/close", views.close_goal),
]
'''


def _object_findings() -> set[int]:
    report = review_source({"teams/__init__.py": "", "teams/models.py": _MODELS, "teams/gates.py": _GATES,
                            "teams/views.py": _VIEWS, "teams/urls.py": _URLS},
                           Settings(use_cache=False, profile="extended"))
    return {f.location.start_line for f in report.findings if f.concern == "broken-object-authorization"}


def test_a_role_gate_ending_in_a_project_function_named_like_djangos_refusal_leaves_the_lookup_reported() -> None:
    assert 13 in _object_findings()  # remove_goal: any manager may delete anyone's goal


def test_a_gate_that_compares_the_urls_object_with_the_caller_keeps_the_lookup_quiet() -> None:
    assert 21 not in _object_findings()  # close_goal
