from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.exceptions import NotFoundException
from litestar.params import Parameter

from ..repositories.members import MemberRepository
from ..schemas import InviteIn, MemberOut, RoleIn
from ..security.guards import admin_guard, manager_guard, org_path_guard
from ..security.tokens import Principal
from ..services.door_access import new_invite_token


class OrgMembersController(Controller):
    path = "/api/orgs/{org_id:int}/members"
    guards = [org_path_guard]
    tags = ["members"]

    @get("/")
    async def list_members(
        self,
        org_id: int,
        members: MemberRepository,
        limit: int = Parameter(default=50, ge=1, le=200),
        offset: int = Parameter(default=0, ge=0),
    ) -> list[MemberOut]:
        rows = await members.list_for_org(org_id, limit, offset)
        return [MemberOut(id=r["id"], email=r["email"], full_name=r["full_name"], role=r["role"]) for r in rows]

    @post("/invites", guards=[manager_guard], status_code=201)
    async def invite(self, org_id: int, data: InviteIn, members: MemberRepository) -> dict:
        token, token_hash = new_invite_token()
        await members.create_invite(org_id, data.email, data.role, token_hash)
        return {"invite_url": f"https://app.deskhop.example/join?token={token}"}

    @patch("/{member_id:int}/role")
    async def set_role(
        self, request: Request[Principal, Any, Any], org_id: int, member_id: int, data: RoleIn, members: MemberRepository
    ) -> dict:
        if not await members.set_role(org_id, member_id, data.role):
            raise NotFoundException("member not found")
        return {"id": member_id, "role": data.role}

    @delete("/{member_id:int}", guards=[admin_guard], status_code=204)
    async def remove(self, org_id: int, member_id: int, members: MemberRepository) -> None:
        if not await members.deactivate(org_id, member_id):
            raise NotFoundException("member not found")
