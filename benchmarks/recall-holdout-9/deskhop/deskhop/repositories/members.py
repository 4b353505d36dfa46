from __future__ import annotations

from typing import Any

import asyncpg

MEMBER_FIELDS = "id, org_id, email, full_name, role, is_active, calendar_hook_url, created_at"
# Columns the member edit endpoints may change.
UPDATABLE_COLUMNS = frozenset({"full_name", "email", "phone", "role", "is_active", "desk_preference"})


class MemberRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def get(self, member_id: int) -> asyncpg.Record | None:
        return await self.conn.fetchrow(f"SELECT {MEMBER_FIELDS} FROM members WHERE id = $1", member_id)

    async def get_in_org(self, org_id: int, member_id: int) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            f"SELECT {MEMBER_FIELDS} FROM members WHERE id = $1 AND org_id = $2", member_id, org_id
        )

    async def by_email(self, email: str) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT id, org_id, role, password_hash, is_active FROM members WHERE lower(email) = lower($1)", email
        )

    async def create(self, org_id: int, email: str, full_name: str, password_hash: str, role: str) -> int:
        return await self.conn.fetchval(
            "INSERT INTO members (org_id, email, full_name, password_hash, role) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            org_id,
            email,
            full_name,
            password_hash,
            role,
        )

    async def list_for_org(self, org_id: int, limit: int, offset: int) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            f"SELECT {MEMBER_FIELDS} FROM members WHERE org_id = $1 ORDER BY full_name, id LIMIT $2 OFFSET $3",
            org_id,
            limit,
            offset,
        )

    async def set_role(self, org_id: int, member_id: int, role: str) -> bool:
        status = await self.conn.execute(
            "UPDATE members SET role = $3 WHERE id = $1 AND org_id = $2", member_id, org_id, role
        )
        return status.endswith(" 1")

    async def deactivate(self, org_id: int, member_id: int) -> bool:
        status = await self.conn.execute(
            "UPDATE members SET is_active = false WHERE id = $1 AND org_id = $2 AND role <> 'admin'", member_id, org_id
        )
        return status.endswith(" 1")

    async def update_fields(self, member_id: int, fields: dict[str, Any]) -> None:
        changes = {k: v for k, v in fields.items() if k in UPDATABLE_COLUMNS}
        if not changes:
            return
        assignments = ", ".join(f"{column} = ${i}" for i, column in enumerate(changes, start=2))
        await self.conn.execute(f"UPDATE members SET {assignments} WHERE id = $1", member_id, *changes.values())

    async def set_calendar_hook(self, member_id: int, url: str | None, secret: str | None) -> None:
        await self.conn.execute(
            "UPDATE members SET calendar_hook_url = $2, calendar_hook_secret = $3 WHERE id = $1", member_id, url, secret
        )

    async def set_door_code(self, member_id: int, code: str) -> None:
        await self.conn.execute("UPDATE members SET door_code = $2 WHERE id = $1", member_id, code)

    async def take_invite(self, token_hash: str) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "UPDATE invites SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() "
            "RETURNING org_id, email, role",
            token_hash,
        )

    async def create_invite(self, org_id: int, email: str, role: str, token_hash: str) -> None:
        await self.conn.execute(
            "INSERT INTO invites (org_id, email, role, token_hash, expires_at) VALUES ($1, $2, $3, $4, now() + interval '7 days')",
            org_id,
            email,
            role,
            token_hash,
        )

    async def recent_failed_logins(self, email: str) -> int:
        return await self.conn.fetchval(
            "SELECT count(*) FROM login_attempts WHERE lower(email) = lower($1) AND ok = false "
            "AND attempted_at > now() - interval '15 minutes'",
            email,
        )

    async def record_login(self, email: str, ok: bool, ip: str | None) -> None:
        await self.conn.execute("INSERT INTO login_attempts (email, ok, ip) VALUES ($1, $2, $3)", email, ok, ip)
