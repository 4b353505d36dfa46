from __future__ import annotations

from datetime import datetime

import asyncpg

BOOKING_FIELDS = "id, org_id, member_id, desk_id, starts_at, ends_at, status, credits, note"


class BookingRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def create(
        self, org_id: int, member_id: int, desk_id: int, starts_at: datetime, ends_at: datetime, credits: int, note: str | None
    ) -> int:
        return await self.conn.fetchval(
            "INSERT INTO bookings (org_id, member_id, desk_id, starts_at, ends_at, status, credits, note) "
            "VALUES ($1, $2, $3, $4, $5, 'confirmed', $6, $7) RETURNING id",
            org_id,
            member_id,
            desk_id,
            starts_at,
            ends_at,
            credits,
            note,
        )

    async def get(self, booking_id: int) -> asyncpg.Record | None:
        return await self.conn.fetchrow(f"SELECT {BOOKING_FIELDS} FROM bookings WHERE id = $1", booking_id)

    async def get_for_member(self, booking_id: int, member_id: int) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            f"SELECT {BOOKING_FIELDS} FROM bookings WHERE id = $1 AND member_id = $2 FOR UPDATE", booking_id, member_id
        )

    async def list_for_member(self, member_id: int, limit: int, offset: int) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            f"SELECT {BOOKING_FIELDS} FROM bookings WHERE member_id = $1 ORDER BY starts_at DESC LIMIT $2 OFFSET $3",
            member_id,
            limit,
            offset,
        )

    async def upcoming_for_member(self, member_id: int) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            "SELECT b.id, b.starts_at, b.ends_at, d.label, s.name AS space_name FROM bookings b "
            "JOIN desks d ON d.id = b.desk_id JOIN spaces s ON s.id = d.space_id "
            "WHERE b.member_id = $1 AND b.status = 'confirmed' AND b.ends_at > now() ORDER BY b.starts_at LIMIT 200",
            member_id,
        )

    async def for_org_between(self, org_id: int, start: datetime, end: datetime, limit: int) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            "SELECT b.id, b.member_id, m.full_name, d.label, b.starts_at, b.ends_at, b.status, b.credits "
            "FROM bookings b JOIN members m ON m.id = b.member_id JOIN desks d ON d.id = b.desk_id "
            "WHERE b.org_id = $1 AND b.starts_at >= $2 AND b.starts_at < $3 ORDER BY b.starts_at LIMIT $4",
            org_id,
            start,
            end,
            limit,
        )

    async def set_status(self, booking_id: int, status: str) -> None:
        await self.conn.execute("UPDATE bookings SET status = $2 WHERE id = $1", booking_id, status)

    async def move(self, booking_id: int, starts_at: datetime, ends_at: datetime, credits: int) -> None:
        await self.conn.execute(
            "UPDATE bookings SET starts_at = $2, ends_at = $3, credits = $4 WHERE id = $1",
            booking_id,
            starts_at,
            ends_at,
            credits,
        )

    async def check_in(self, org_id: int, desk_id: int) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "UPDATE bookings SET status = 'checked_in' WHERE desk_id = $1 AND org_id = $2 AND status = 'confirmed' "
            "AND starts_at <= now() + interval '15 minutes' AND ends_at > now() RETURNING id, member_id",
            desk_id,
            org_id,
        )

    async def release_desk(self, desk_id: int) -> int:
        status = await self.conn.execute(
            "UPDATE bookings SET status = 'released' WHERE desk_id = $1 AND status IN ('confirmed', 'checked_in') "
            "AND starts_at <= now() AND ends_at > now()",
            desk_id,
        )
        return int(status.split()[-1])

    async def release_no_shows(self) -> int:
        status = await self.conn.execute(
            "UPDATE bookings SET status = 'no_show' WHERE status = 'confirmed' AND starts_at < now() - interval '30 minutes'"
        )
        return int(status.split()[-1])
