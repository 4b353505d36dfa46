"""Who may call a route handler: anyone, any signed-in user, or only staff/administrators.

TRIAGE's "true" is a flaw a caller *without that power* can reach: an injection only a
superuser can send, through an admin console that exists to run what the superuser types,
is a nit. The per-file phase records which handlers restrict their callers to a privileged
role (a decorator, dependency, router dependency, permission class or an early check on an
admin/staff/superuser attribute, `rules/python/_access.is_admin_only`); reach.py combines it
with each route's project-wide auth status.
"""
from __future__ import annotations

from servicelens import ir
from servicelens.endpoints.route import RouteFact
from servicelens.rules.python import _access as access

ANYONE = "anyone"
SIGNED_IN = "signed-in"
PRIVILEGED = "privileged"
# the order a function reached from several routes takes: the least privileged caller decides
LEVELS = (ANYONE, "", SIGNED_IN, PRIVILEGED)  # "" = cannot tell (auth unknown)


def privileged_handlers(module: ir.Module, routes: tuple[RouteFact, ...]) -> tuple[str, ...]:
    """Qualnames of this module's route handlers that only a privileged role may call."""
    functions = {f.qualname: f for f in module.functions}
    found = []
    for route in routes:
        function = functions.get(route.qualname)
        if function is not None and access.is_admin_only(function, access.enclosing_class(module, function), module):
            found.append(route.qualname)
    return tuple(dict.fromkeys(found))


def route_callers(route: RouteFact, privileged: frozenset[str]) -> str:
    """One route's callers, once its auth status is final (project-wide)."""
    if route.auth in ("none", "public"):
        return ANYONE
    if route.auth != "required":
        return ""
    return PRIVILEGED if route.qualname in privileged else SIGNED_IN
