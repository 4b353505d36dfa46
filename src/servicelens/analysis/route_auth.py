"""Decide, project-wide, the auth of routes whose own code leaves it to settings.

A DRF view without `permission_classes` gets REST framework's DEFAULT_PERMISSION_CLASSES,
which is AllowAny when unset; Django's LoginRequiredMiddleware makes every view require
login unless it opts out. Decided only when the settings module is part of the review.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath
from typing import Sequence

from servicelens.analysis.facts import FileFacts
from servicelens.frameworks.django_settings import default_auth
from servicelens.frameworks.python_handlers import DRF_DEFAULT


def with_project_auth(facts: Sequence[FileFacts]) -> list[FileFacts]:
    settings = {key: value for fact in facts for key, value in fact.settings}
    has_settings_module = bool(settings) or any(_is_settings_file(fact.rel) for fact in facts)
    if not has_settings_module:
        return list(facts)
    drf_auth = default_auth(settings)
    login_middleware = settings.get("login_required_middleware") == "1"
    out = []
    for fact in facts:
        routes = []
        for route in fact.routes:
            if route.framework == "django" and route.auth == "unknown":
                if route.auth_evidence == DRF_DEFAULT:
                    route = replace(route, auth=drf_auth[0], auth_evidence=drf_auth[1])
                elif login_middleware:
                    route = replace(route, auth="required", auth_evidence="LoginRequiredMiddleware")
            routes.append(route)
        out.append(replace(fact, routes=tuple(routes)) if routes != list(fact.routes) else fact)
    return out


def _is_settings_file(rel: str) -> bool:
    path = PurePosixPath(rel)
    return path.name == "settings.py" or path.parent.name == "settings"
