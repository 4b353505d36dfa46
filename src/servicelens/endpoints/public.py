"""Endpoints that are public by design: the ones a caller uses *before* having credentials.

Signing in or up, resetting a password, confirming an e-mail, health and readiness probes,
webhooks (which carry their own signature) and CORS preflight (`OPTIONS`, sent without
credentials) must answer anonymous callers. They are
recognised by a word of the handler's name, of its view class's name or of the last literal
segment of the path (or a `webhooks` segment above it), narrowly: an `/orders/<id>/status` or `token` endpoint is not among them.
"""
from __future__ import annotations

import re

from servicelens.endpoints.route import RouteFact

_PUBLIC = (
    ("sign-in", r"log_?in|sign_?in|authenticate|obtain_token|access_token|token_obtain|token_refresh|refresh_token|"
                r"(?:complete|finish)_sso|sso_(?:callback|complete|login)|oauth_?callback"),
    ("sign-out", r"log_?out|sign_?out"),
    # an invitation is accepted by someone who has no account yet, on the strength of its token
    ("sign-up", r"sign_?up|register|registration|create_account|accept_invit(?:e|ation)"),
    ("password reset", r"(forgot|reset|recover|lost)_?password|password_?(reset|forgot|recover)"),
    # the mail that confirms an address is (re)sent to someone who cannot sign in yet
    ("account confirmation", r"(confirm|verify|activate)_?(e_?mail|account|registration)|"
                             r"(re_?)?send_?(e_?mail_)?(verification|confirmation|activation)(_e_?mail|_link|_code)?|"
                             r"(e_?mail|account)_(verification|confirmation|activation)"),
    ("health check", r"health(_?check|z)?|readyz?|readiness|livez|liveness|ping"),
)
# a webhook receiver is named for it at the end (`stripe_webhook`)
# `webhook_form` configures one, as does a name that starts with what is done to it (`add_webhook`)
_WEBHOOK = ("webhook", re.compile(r"(?i)(?:^|_)web_?hooks?(?:_(?:handler|receiver|listener))?$"))
_CONFIGURES = re.compile(r"(?i)^(?:add|create|new|update|edit|set|delete|remove|list|get|test|enable|disable)_")
_MATCHERS = tuple((label, re.compile(rf"(?i)(?:^|_)(?:{pattern})(?:_|$)")) for label, pattern in _PUBLIC) + (_WEBHOOK,)
_VIEW_SUFFIXES = re.compile(r"(Api|API|View|ViewSet|Resource|Handler|Controller|Endpoint)$")


def public_by_design(route: RouteFact) -> str:
    """The reason the endpoint must answer anonymous callers, or "". A handler answering only
    OPTIONS answers CORS preflight requests, which browsers send without credentials."""
    if route.methods == ("OPTIONS",):
        return "CORS preflight"
    return public_reason(route.qualname, route.path)


def public_reason(qualname: str, path: str) -> str:
    """`public_by_design` for a handler known by its qualified name and route path."""
    parts = qualname.split(".")
    names = [parts[-1]] + ([_VIEW_SUFFIXES.sub("", parts[-2])] if len(parts) > 1 else [])
    segments = [s for s in re.split(r"[/.]", path) if s and not s.startswith(("<", "{", ":", "("))]
    candidates = [_snake(name) for name in names] + ([_snake(segments[-1])] if segments else [])
    configures = any(_CONFIGURES.match(candidate) for candidate in candidates)
    for label, pattern in _MATCHERS:
        if (label != _WEBHOOK[0] or not configures) and any(pattern.search(candidate) for candidate in candidates):
            return label
    # a receiver mounted under a webhooks segment (`/webhooks/billing`, `/api/webhooks/{provider}`):
    # the segment names what every route below it is
    if any(_WEBHOOK[1].fullmatch(_snake(segment)) for segment in segments[:-1]) \
            and not configures:
        return _WEBHOOK[0]
    return ""


def _snake(name: str) -> str:
    """`UserSessionLogin` -> "user_session_login", `forgot-password` -> "forgot_password"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).replace("-", "_").lower()
