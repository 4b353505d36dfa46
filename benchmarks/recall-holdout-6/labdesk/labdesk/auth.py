"""Bearer-token authentication and role checks.

Clinic staff call us with a JWT issued by the identity service; other internal
services call us with the shared service token.  Either way the middleware puts
a ``Principal`` on ``request["principal"]`` for the handlers.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Awaitable, Callable

import jwt
from aiohttp import web

log = logging.getLogger(__name__)

PUBLIC_PATHS = frozenset({"/healthz", "/readyz", "/webhooks/partner"})
SERVICE_PRINCIPAL_ID = 0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Principal:
    user_id: int
    clinic_id: int | None
    roles: frozenset[str]
    is_service: bool = False

    def has_role(self, *roles: str) -> bool:
        return self.is_service or bool(self.roles.intersection(roles))


def _principal_from_claims(claims: dict) -> Principal:
    return Principal(
        user_id=int(claims["sub"]),
        clinic_id=int(claims["clinic"]) if claims.get("clinic") is not None else None,
        roles=frozenset(claims.get("roles", [])),
    )


def _decode(token: str, settings) -> dict:
    return jwt.decode(
        token,
        settings.jwt_secret,
        algorithms=["HS256"],
        issuer=settings.jwt_issuer,
        options={"require": ["exp", "sub", "iss"]},
    )


@web.middleware
async def bearer_auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path in PUBLIC_PATHS or request.method == "OPTIONS":
        return await handler(request)

    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise web.HTTPUnauthorized(reason="missing bearer token")

    settings = request.app["settings"]
    if token == settings.service_token:
        request["principal"] = Principal(
            user_id=SERVICE_PRINCIPAL_ID, clinic_id=None, roles=frozenset({"service"}), is_service=True
        )
        return await handler(request)

    try:
        claims = _decode(token, settings)
    except jwt.ExpiredSignatureError:
        raise web.HTTPUnauthorized(reason="token expired")
    except jwt.InvalidTokenError as exc:
        log.info("rejected bearer token: %s", exc.__class__.__name__)
        raise web.HTTPUnauthorized(reason="invalid token")

    request["principal"] = _principal_from_claims(claims)
    return await handler(request)


def current_principal(request: web.Request) -> Principal:
    principal = request.get("principal")
    if principal is None:
        raise web.HTTPUnauthorized()
    return principal


def require_role(*roles: str):
    """Decorator for plain handlers and for ``web.View`` methods."""

    def decorator(fn):
        @functools.wraps(fn)
        async def wrapper(*args, **kwargs):
            target = args[0]
            request = target.request if isinstance(target, web.View) else target
            principal = current_principal(request)
            if not principal.has_role(*roles):
                raise web.HTTPForbidden(reason="role required: " + ",".join(roles))
            return await fn(*args, **kwargs)

        return wrapper

    return decorator


def clinic_scope(principal: Principal) -> int:
    """The clinic a non-service caller may see; service callers must name one."""
    if principal.clinic_id is None:
        raise web.HTTPForbidden(reason="no clinic on token")
    return principal.clinic_id
