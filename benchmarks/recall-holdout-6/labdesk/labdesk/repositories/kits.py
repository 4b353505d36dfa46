"""Collection-kit stock held at each clinic."""
from __future__ import annotations

import asyncpg


class OutOfKits(Exception):
    pass


class KitRepository:
    def __init__(self, pool: asyncpg.Pool):
        self.pool = pool

    async def reserve(self, clinic_id: int, kit_type: str, count: int = 1) -> int:
        left = await self.pool.fetchval(
            "UPDATE kit_stock SET available = available - $3 "
            "WHERE clinic_id = $1 AND kit_type = $2 AND available >= $3 RETURNING available",
            clinic_id,
            kit_type,
            count,
        )
        if left is None:
            raise OutOfKits(f"{kit_type} at clinic {clinic_id}")
        return left

    async def restock(self, clinic_id: int, kit_type: str, count: int) -> int:
        return await self.pool.fetchval(
            "INSERT INTO kit_stock (clinic_id, kit_type, available) VALUES ($1, $2, $3) "
            "ON CONFLICT (clinic_id, kit_type) DO UPDATE SET available = kit_stock.available + EXCLUDED.available "
            "RETURNING available",
            clinic_id,
            kit_type,
            count,
        )

    async def levels(self, clinic_id: int) -> list[asyncpg.Record]:
        return await self.pool.fetch(
            "SELECT kit_type, available FROM kit_stock WHERE clinic_id = $1 ORDER BY kit_type", clinic_id
        )
