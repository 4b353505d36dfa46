"""Decorators a Django middleware wraps the view in before it runs it.

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated:
            return None
        return login_required(view_func)(request, *view_args, **view_kwargs)

A `process_view` that answers the request by calling the view wrapped in a decorator (rather than
returning None to let Django call it) puts that decorator before every view it does not let
through: it checks what the decorator checks. The decorator's project-wide name is returned so
the principal table judges it as it judges that decorator on a view (`Principal.applies`).
"""
from __future__ import annotations

from typing import Callable

from servicelens import ir

_HOOK = "process_view"
_VIEW_POSITION = 2  # (self, request, view_func, view_args, view_kwargs)


def middleware_wrapped_view(function: ir.Function, qualify: Callable[[str], str]) -> tuple[str, ...]:
    """The decorators `function` (a middleware's `process_view`) returns the view called through:
    `return login_required(view_func)(request, ...)` -> ("django.contrib.auth.decorators.login_required",)."""
    if function.class_name is None or function.name != _HOOK or len(function.params) <= _VIEW_POSITION:
        return ()
    view = function.params[_VIEW_POSITION].name
    found: list[str] = []
    for stmt in ir.walk_stmts(function.body):
        value = stmt.value if isinstance(stmt, ir.Return) else None
        wrapped = value.func if isinstance(value, ir.Call) else None
        if isinstance(wrapped, ir.Call) and wrapped.args and isinstance(wrapped.args[0], ir.Name) \
                and wrapped.args[0].id == view and (name := ir.dotted_name(wrapped.func)):
            found.append(qualify(name))
    return tuple(dict.fromkeys(name for name in found if name))
