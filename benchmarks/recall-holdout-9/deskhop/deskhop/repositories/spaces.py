from __future__ import annotations

from datetime import datetime

import asyncpg

SPACE_SORTS = {
    "name": "s.name, s.id",
    "floor": "s.floor, s.name",
    "price": "s.hourly_credits, s.name",
}


class SpaceRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def search(
        self, org_id: int, floor: int | None, amenity: str | None, sort: str, limit: int, offset: int
    ) -> list[asyncpg.Record]:
        where = ["s.org_id = $1", "s.is_active"]
        args: list = [org_id]
        if floor is not None:
            args.append(floor)
            where.append(f"s.floor = ${len(args)}")
        if amenity:
            where.append(f"'{amenity}' = ANY(s.amenities)")
        args.extend([limit, offset])
        sql = (
            "SELECT s.id, s.name, s.floor, s.hourly_credits, s.amenities, count(d.id) AS desks "
            "FROM spaces s LEFT JOIN desks d ON d.space_id = s.id AND d.is_active "
            f"WHERE {' AND '.join(where)} GROUP BY s.id "
            f"ORDER BY {SPACE_SORTS.get(sort, SPACE_SORTS['name'])} "
            f"LIMIT ${len(args) - 1} OFFSET ${len(args)}"
        )
        return await self.conn.fetch(sql, *args)

    async def get_space(self, space_id: int) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT id, org_id, name, floor, hourly_credits FROM spaces WHERE id = $1", space_id)

    async def get_desk(self, org_id: int, desk_id: int) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT d.id, d.label, d.space_id, s.hourly_credits, s.floor FROM desks d JOIN spaces s ON s.id = d.space_id "
            "WHERE d.id = $1 AND s.org_id = $2 AND d.is_active",
            desk_id,
            org_id,
        )

    async def get_desk_label(self, desk_id: int) -> str | None:
        return await self.conn.fetchval("SELECT label FROM desks WHERE id = $1", desk_id)

    async def lock_desk(self, desk_id: int) -> None:
        await self.conn.execute("SELECT id FROM desks WHERE id = $1 FOR UPDATE", desk_id)

    async def desks_on_floor(self, org_id: int, floor: int) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            "SELECT d.id, d.label, s.name AS space_name FROM desks d JOIN spaces s ON s.id = d.space_id "
            "WHERE s.org_id = $1 AND s.floor = $2 AND d.is_active ORDER BY d.label",
            org_id,
            floor,
        )

    async def overlapping(self, desk_id: int, starts_at: datetime, ends_at: datetime) -> int:
        return await self.conn.fetchval(
            "SELECT count(*) FROM bookings WHERE desk_id = $1 AND status IN ('confirmed', 'checked_in') "
            "AND starts_at < $3 AND ends_at > $2",
            desk_id,
            starts_at,
            ends_at,
        )

    async def create_space(self, org_id: int, name: str, floor: int, hourly_credits: int, amenities: list[str]) -> int:
        return await self.conn.fetchval(
            "INSERT INTO spaces (org_id, name, floor, hourly_credits, amenities) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            org_id,
            name,
            floor,
            hourly_credits,
            amenities,
        )
