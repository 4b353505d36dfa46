from __future__ import annotations

import logging

from litestar.exceptions import NotAuthorizedException, TooManyRequestsException

from ..repositories.members import MemberRepository
from ..security.passwords import check_password, hash_password
from ..security.tokens import create_access_token
from ..settings import Settings
from .door_access import hash_token

log = logging.getLogger(__name__)

MAX_FAILED_LOGINS = 5


class AuthService:
    def __init__(self, members: MemberRepository, settings: Settings) -> None:
        self.members = members
        self.settings = settings

    async def login(self, email: str, password: str, ip: str | None) -> str:
        if await self.members.recent_failed_logins(email) >= MAX_FAILED_LOGINS:
            raise TooManyRequestsException("too many attempts, try again later")
        member = await self.members.by_email(email)
        ok = member is not None and member["is_active"] and check_password(password, member["password_hash"])
        await self.members.record_login(email, ok, ip)
        if not ok:
            raise NotAuthorizedException("invalid e-mail or password")
        log.info("member %s signed in", member["id"])
        return create_access_token(self.settings, member["id"], member["org_id"], member["role"])

    async def register(self, invite_token: str, email: str, full_name: str, password: str) -> str:
        invite = await self.members.take_invite(hash_token(invite_token))
        if invite is None or invite["email"].lower() != email.lower():
            raise NotAuthorizedException("invalid invitation")
        member_id = await self.members.create(invite["org_id"], email, full_name, await hash_password(password), invite["role"])
        return create_access_token(self.settings, member_id, invite["org_id"], invite["role"])
