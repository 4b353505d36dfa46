from __future__ import annotations

import jwt
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult, DefineMiddleware

from ..settings import get_settings
from .tokens import Principal, decode_access_token


class BearerAuthMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise NotAuthorizedException("missing bearer token")
        try:
            claims = decode_access_token(get_settings(), token)
        except jwt.InvalidTokenError as exc:
            raise NotAuthorizedException("invalid token") from exc
        principal = Principal(member_id=int(claims["sub"]), org_id=int(claims["org"]), role=claims["role"])
        return AuthenticationResult(user=principal, auth=claims)


auth_middleware = DefineMiddleware(
    BearerAuthMiddleware,
    exclude=["^/health$", "^/schema", "^/api/public/", "^/api/kiosk/", "^/api/webhooks/"],
    exclude_from_auth_key="exclude_from_auth",
)
