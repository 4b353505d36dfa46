"""Endpoints that are public by design: the ones a caller uses *before* having credentials.

Signing in or up, resetting a password, confirming an e-mail, health and readiness probes,
and webhooks (which carry their own signature) must answer anonymous callers. They are
recognised by the handler's name or the last literal segment of the path, narrowly: an
`/orders/<id>/status` or `token` endpoint is not among them.
"""
from __future__ import annotations

import re

from servicelens.endpoints.route import RouteFact

_PUBLIC = (
    ("sign-in", r"log_?in|sign_?in|authenticate|obtain_token|access_token|token_obtain|token_refresh|refresh_token"),
    ("sign-out", r"log_?out|sign_?out"),
    ("sign-up", r"sign_?up|register|registration|create_account|accept_invite"),
    ("password reset", r"(forgot|reset|recover|lost)_?password|password_?(reset|forgot|recover)"),
    ("account confirmation", r"(confirm|verify|activate)_?(e_?mail|account|registration)"),
    ("health check", r"health_?(check|z)?|ready_?z?|readiness|live_?z?|liveness|ping"),
    ("webhook", r"web_?hooks?"),
)
_MATCHERS = tuple((label, re.compile(rf"(?i)^(?:{pattern})$")) for label, pattern in _PUBLIC)


def public_by_design(route: RouteFact) -> str:
    """The reason the endpoint must answer anonymous callers, or ""."""
    name = route.qualname.rsplit(".", 1)[-1]
    segments = [s for s in re.split(r"[/.]", route.path) if s and not s.startswith(("<", "{", ":", "("))]
    candidates = [name.replace("-", "_")] + ([segments[-1].replace("-", "_")] if segments else [])
    for label, pattern in _MATCHERS:
        if any(pattern.match(candidate) for candidate in candidates):
            return label
    return ""
