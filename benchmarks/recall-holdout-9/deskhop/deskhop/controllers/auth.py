from __future__ import annotations

from litestar import Controller, Request, post

from ..schemas import LoginIn, RegisterIn, TokenOut
from ..services.auth import AuthService


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/login", exclude_from_auth=True, status_code=200)
    async def login(self, request: Request, data: LoginIn, auth_service: AuthService) -> TokenOut:
        client_ip = request.client.host if request.client else None
        token = await auth_service.login(data.email, data.password, client_ip)
        return TokenOut(access_token=token)

    @post("/register", exclude_from_auth=True, status_code=201)
    async def register(self, data: RegisterIn, auth_service: AuthService) -> TokenOut:
        token = await auth_service.register(data.invite_token, data.email, data.full_name, data.password)
        return TokenOut(access_token=token)
