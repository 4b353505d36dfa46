"""Django views nothing asks who is calling: open (`none`), not undecided.

A plain Django view (a function, or a class view that is no REST framework view) is guarded only
by what runs before it: a decorator, a mixin or `dispatch` of its class ancestry, or a middleware
the settings list. The steps before this one (endpoints.inventory, analysis.route_auth) decide
every guard among them by its body; a view still undecided afterwards is open once all of them
have been read:

  - the settings module is part of the review and lists its MIDDLEWARE; each entry is Django's own
    (its `LoginRequiredMiddleware` is decided from the settings already), the project's own (judged
    by its body: one that answers 401/403 after a test the review does not recognise keeps the
    views undecided; one that refuses every caller alike, by method or path, checks nobody), a
    library one the models know signs callers in without refusing any, or a library one whose
    name says nothing about the caller;
  - every base of the view's class, however deep, is a class of the project, Django's own, or a
    library class whose name says nothing about the caller (`RevisionMixin`, not `StaffRequiredMixin`);
    no REST framework base (its DEFAULT_PERMISSION_CLASSES decide);
  - its decorators are judged afterwards with every route's (endpoints.unread): one the review cannot
    read turns `none` back into `unknown`.
"""
from __future__ import annotations

from typing import Callable, Iterable, Sequence

from servicelens.endpoints.unread import says_caller_check

# what the per-file phase says of a view whose own code names no check (frameworks/python_handlers.py)
UNDECIDED_VIEWS = frozenset({"no decorator; depends on middleware or DRF defaults",
                             "no permission_classes on the view; depends on DEFAULT_PERMISSION_CLASSES"})
_OWN = "django."
_REST_FRAMEWORK = "rest_framework"


def middleware_unread(entries: Sequence[str], project: Callable[[str], bool], denies: Callable[[str], bool],
                      identifying: frozenset[str] = frozenset()) -> str:
    """The first MIDDLEWARE entry that may refuse a caller in a way the review did not read, or ""
    when none may (every entry read). `project`: the entry is a class or function of the project;
    `denies`: it may turn a caller away (answers 401/403, raises a denial or redirects) other than
    after letting a request that carries no credential through; `identifying`: library middlewares
    that sign callers in and refuse none (models `identifying_middlewares`)."""
    for entry in entries:
        if entry.startswith(_OWN) or entry in identifying:
            continue
        if project(entry):
            if denies(entry):
                return entry
        elif says_caller_check(entry):
            return entry
    return ""


def bases_unread(chain: Iterable[str], bases: Callable[[str], Sequence[str]], resolve: Callable[[str], str | None]) -> str:
    """The first base in a view class's ancestry (`chain`: the class and its project ancestors)
    that may check the caller unread, or is a REST framework view; "" when every base is read."""
    for key in chain:
        for base in bases(key):
            if resolve(base) is not None or base == "object":
                continue
            if _REST_FRAMEWORK in base.split("."):
                return base
            if not base.startswith(_OWN) and says_caller_check(base):
                return base
    return ""


def open_evidence(middlewares: int) -> str:
    return (f"no decorator, base class, dispatch or middleware ({middlewares} listed in MIDDLEWARE) "
            "checks who is calling")
