from __future__ import annotations

import asyncpg


class InsufficientCredits(Exception):
    pass


class WalletRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def balance(self, member_id: int) -> int:
        value = await self.conn.fetchval("SELECT balance FROM wallets WHERE member_id = $1", member_id)
        return value or 0

    async def debit(self, member_id: int, credits: int, reason: str, ref: str) -> int:
        new_balance = await self.conn.fetchval(
            "UPDATE wallets SET balance = balance - $2 WHERE member_id = $1 AND balance >= $2 RETURNING balance",
            member_id,
            credits,
        )
        if new_balance is None:
            raise InsufficientCredits()
        await self._log(member_id, -credits, reason, ref)
        return new_balance

    async def credit(self, member_id: int, credits: int, reason: str, ref: str) -> int:
        new_balance = await self.conn.fetchval(
            "INSERT INTO wallets (member_id, balance) VALUES ($1, $2) "
            "ON CONFLICT (member_id) DO UPDATE SET balance = wallets.balance + EXCLUDED.balance RETURNING balance",
            member_id,
            credits,
        )
        await self._log(member_id, credits, reason, ref)
        return new_balance

    async def set_balance(self, member_id: int, balance: int) -> None:
        await self.conn.execute("UPDATE wallets SET balance = $2 WHERE member_id = $1", member_id, balance)

    async def _log(self, member_id: int, delta: int, reason: str, ref: str) -> None:
        await self.conn.execute(
            "INSERT INTO wallet_tx (member_id, delta, reason, ref) VALUES ($1, $2, $3, $4)", member_id, delta, reason, ref
        )

    async def transactions(self, member_id: int) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            "SELECT id, delta, reason, ref, created_at FROM wallet_tx WHERE member_id = $1 ORDER BY created_at DESC",
            member_id,
        )

    async def create_topup(self, member_id: int, credits: int, amount_cents: int, provider_ref: str, status: str) -> int:
        return await self.conn.fetchval(
            "INSERT INTO topups (member_id, credits, amount_cents, provider_ref, status) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            member_id,
            credits,
            amount_cents,
            provider_ref,
            status,
        )

    async def mark_topup(self, provider_ref: str, status: str) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "UPDATE topups SET status = $2 WHERE provider_ref = $1 AND status = 'pending' RETURNING id, member_id, credits",
            provider_ref,
            status,
        )

    async def seen_event(self, event_id: str) -> bool:
        inserted = await self.conn.fetchval(
            "INSERT INTO webhook_events (id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id", event_id
        )
        return inserted is None
