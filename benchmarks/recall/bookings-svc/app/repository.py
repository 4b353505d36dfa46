"""Query helpers shared by the routers and the worker."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import and_, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Booking

_SORT_COLUMNS = {
    "created": "b.created_at",
    "check_in": "b.check_in",
    "price": "b.total_price",
}

_STATS_TABLES = {
    "bookings": ("bookings", "created_at"),
    "payments": ("payments", "created_at"),
}

ACTIVE_STATUSES = ("pending", "confirmed")


async def list_for_guest(
    session: AsyncSession, guest_id: int, sort: str, order: str, limit: int, offset: int
):
    column = _SORT_COLUMNS.get(sort, "b.created_at")
    sql = text(
        "SELECT b.id, b.property_id, b.check_in, b.check_out, b.guests, b.status, "
        "b.total_price, b.amount_paid, b.currency FROM bookings b "
        f"WHERE b.guest_id = :guest_id ORDER BY {column} {order} "
        "LIMIT :limit OFFSET :offset"
    )
    result = await session.execute(sql, {"guest_id": guest_id, "limit": limit, "offset": offset})
    return [dict(row) for row in result.mappings()]


async def property_is_free(session: AsyncSession, property_id: int, check_in: date, check_out: date) -> bool:
    overlap = await session.scalar(
        select(func.count(Booking.id)).where(
            and_(
                Booking.property_id == property_id,
                Booking.status.in_(ACTIVE_STATUSES),
                Booking.check_in < check_out,
                Booking.check_out > check_in,
            )
        )
    )
    return overlap == 0


def quote_total(nightly_rate: Decimal, check_in: date, check_out: date) -> Decimal:
    nights = (check_out - check_in).days
    return (nightly_rate * nights).quantize(Decimal("0.01"))


async def count_since(session: AsyncSession, kind: str, days: int) -> int:
    table, column = _STATS_TABLES[kind]
    since = datetime.now(timezone.utc) - timedelta(days=days)
    sql = text(f"SELECT count(*) FROM {table} WHERE {column} >= :since")
    return await session.scalar(sql, {"since": since})


async def bookings_for_property(session: AsyncSession, property_id: int):
    result = await session.execute(
        select(Booking).where(Booking.property_id == property_id).order_by(Booking.check_in)
    )
    return result.scalars().all()
