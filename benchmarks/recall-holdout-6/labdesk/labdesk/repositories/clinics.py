"""Clinics, their prepaid test credits and staff roles."""
from __future__ import annotations

import asyncpg


class InsufficientCredits(Exception):
    pass


class ClinicRepository:
    def __init__(self, pool: asyncpg.Pool):
        self.pool = pool

    async def get(self, clinic_id: int) -> asyncpg.Record | None:
        return await self.pool.fetchrow(
            "SELECT id, name, partner_account, price_tier, credits, active FROM clinics WHERE id = $1",
            clinic_id,
        )

    async def by_partner_account(self, account: str) -> asyncpg.Record | None:
        return await self.pool.fetchrow(
            "SELECT id, name, partner_account, price_tier, credits, active FROM clinics "
            "WHERE partner_account = $1",
            account,
        )

    async def list_active(self, limit: int, offset: int) -> list[asyncpg.Record]:
        return await self.pool.fetch(
            "SELECT id, name, price_tier, credits FROM clinics WHERE active "
            "ORDER BY id LIMIT $1 OFFSET $2",
            limit,
            offset,
        )

    async def debit_credits(self, clinic_id: int, amount: int) -> int:
        current = await self.pool.fetchval("SELECT credits FROM clinics WHERE id = $1", clinic_id)
        if current is None or current < amount:
            raise InsufficientCredits(clinic_id)
        remaining = current - amount
        await self.pool.execute("UPDATE clinics SET credits = $2 WHERE id = $1", clinic_id, remaining)
        return remaining

    async def top_up(self, clinic_id: int, amount: int, actor_id: int) -> int:
        async with self.pool.acquire() as conn:
            async with conn.transaction():
                credits = await conn.fetchval(
                    "UPDATE clinics SET credits = credits + $2 WHERE id = $1 RETURNING credits",
                    clinic_id,
                    amount,
                )
                await conn.execute(
                    "INSERT INTO credit_ledger (clinic_id, delta, reason) VALUES ($1, $2, 'top-up')",
                    clinic_id,
                    amount,
                )
                await conn.execute(
                    "INSERT INTO audit_log (actor_id, action, target, detail) "
                    "VALUES ($1, 'credits.top_up', $2, $3)",
                    actor_id,
                    f"clinic:{clinic_id}",
                    {"amount": amount},
                )
        return credits

    async def set_staff_roles(self, staff_id: int, roles: list[str]) -> asyncpg.Record | None:
        return await self.pool.fetchrow(
            "UPDATE staff SET roles = $2 WHERE id = $1 RETURNING id, clinic_id, email, roles",
            staff_id,
            roles,
        )

    async def staff_for_clinic(self, clinic_id: int) -> list[asyncpg.Record]:
        return await self.pool.fetch(
            "SELECT id, email, roles FROM staff WHERE clinic_id = $1 ORDER BY id LIMIT 500", clinic_id
        )
