from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, patch, post
from litestar.exceptions import NotFoundException

from ..repositories.members import MemberRepository
from ..repositories.wallet import WalletRepository
from ..schemas import MemberOut
from ..security.tokens import Principal, create_feed_token
from ..services.door_access import new_door_code
from ..settings import Settings


class MeController(Controller):
    path = "/api/me"
    tags = ["me"]

    @get("/")
    async def me(self, request: Request[Principal, Any, Any], members: MemberRepository) -> MemberOut:
        row = await members.get(request.user.member_id)
        if row is None:
            raise NotFoundException()
        return MemberOut(id=row["id"], email=row["email"], full_name=row["full_name"], role=row["role"])

    @patch("/")
    async def update_me(self, request: Request[Principal, Any, Any], data: dict[str, Any], members: MemberRepository) -> MemberOut:
        await members.update_fields(request.user.member_id, data)
        row = await members.get(request.user.member_id)
        return MemberOut(id=row["id"], email=row["email"], full_name=row["full_name"], role=row["role"])

    @get("/wallet")
    async def wallet(self, request: Request[Principal, Any, Any], wallet: WalletRepository) -> dict:
        balance = await wallet.balance(request.user.member_id)
        return {"balance": balance}

    @get("/wallet/transactions")
    async def wallet_transactions(self, request: Request[Principal, Any, Any], wallet: WalletRepository) -> list[dict]:
        rows = await wallet.transactions(request.user.member_id)
        return [dict(r) for r in rows]

    @post("/door-code", status_code=201)
    async def rotate_door_code(self, request: Request[Principal, Any, Any], members: MemberRepository) -> dict:
        code = new_door_code()
        await members.set_door_code(request.user.member_id, code)
        return {"door_code": code}

    @post("/feed-token", status_code=201)
    async def feed_token(self, request: Request[Principal, Any, Any], settings: Settings) -> dict:
        token = create_feed_token(settings, request.user.member_id, request.user.org_id)
        return {"feed_url": f"/api/public/feeds/{token}.ics"}
