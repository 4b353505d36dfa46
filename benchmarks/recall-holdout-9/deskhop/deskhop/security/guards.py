from __future__ import annotations

import jwt
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from ..settings import get_settings
from .tokens import Principal, decode_kiosk_token


def requires_role(*roles: str):
    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        user = connection.user
        if not isinstance(user, Principal):
            raise NotAuthorizedException()
        if user.role not in roles:
            raise PermissionDeniedException("insufficient role")

    guard.__name__ = f"requires_role_{'_'.join(roles)}"
    return guard


manager_guard = requires_role("manager", "admin")
admin_guard = requires_role("admin")


def org_path_guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Routes under /orgs/{org_id}/... may only be used by members of that org."""
    user = connection.user
    if not isinstance(user, Principal):
        raise NotAuthorizedException()
    if int(connection.path_params["org_id"]) != user.org_id:
        raise PermissionDeniedException("not a member of this organisation")


def kiosk_guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    token = connection.headers.get("x-kiosk-token")
    if not token:
        raise NotAuthorizedException("kiosk token required")
    try:
        claims = decode_kiosk_token(get_settings(), token)
    except jwt.InvalidTokenError as exc:
        raise NotAuthorizedException("invalid kiosk token") from exc
    connection.state.kiosk_org_id = int(claims["org"])
    connection.state.kiosk_floor = int(claims["floor"])
