from datetime import date, datetime
from decimal import Decimal

import asyncpg

# Fare tables are split by season so the pricing team can load next
# season's fares without touching the live ones.
FARE_TABLES = {
    "summer": "fares_summer",
    "winter": "fares_winter",
}

TIMETABLE_SORTS = {
    "departure": "s.departs_at",
    "arrival": "s.arrives_at",
    "duration": "(s.arrives_at - s.departs_at)",
}


def _search_order_clause(sort: str, direction: str) -> str:
    direction = "DESC" if direction.lower() == "desc" else "ASC"
    return f"ORDER BY {sort} {direction}"


class SailingRepository:
    def __init__(self, pool: asyncpg.Pool):
        self._pool = pool

    async def search(self, origin: str, destination: str, on: date, sort: str,
                     direction: str, limit: int, offset: int) -> list[asyncpg.Record]:
        order_by = _search_order_clause(sort, direction)
        sql = f"""
            SELECT s.id, s.route_code, s.vessel_name, s.departs_at, s.arrives_at,
                   s.seats_available, s.lane_metres_free, s.distance_nm
              FROM sailings s
             WHERE s.origin_port = $1 AND s.destination_port = $2
               AND s.departs_at::date = $3 AND s.status = 'scheduled'
             {order_by}
             LIMIT $4 OFFSET $5
        """
        async with self._pool.acquire() as conn:
            return await conn.fetch(sql, origin, destination, on, limit, offset)

    async def timetable(self, route_code: str, week_start: date, sort: str) -> list[asyncpg.Record]:
        column = TIMETABLE_SORTS.get(sort, TIMETABLE_SORTS["departure"])
        sql = f"""
            SELECT s.id, s.departs_at, s.arrives_at, s.vessel_name
              FROM sailings s
             WHERE s.route_code = $1
               AND s.departs_at >= $2 AND s.departs_at < $2 + interval '7 days'
             ORDER BY {column}
        """
        async with self._pool.acquire() as conn:
            return await conn.fetch(sql, route_code, week_start)

    async def get(self, sailing_id: int) -> asyncpg.Record | None:
        async with self._pool.acquire() as conn:
            return await conn.fetchrow("SELECT * FROM sailings WHERE id = $1", sailing_id)

    async def fares_for(self, season: str, route_code: str) -> list[asyncpg.Record]:
        table = FARE_TABLES[season]
        async with self._pool.acquire() as conn:
            return await conn.fetch(
                f"SELECT fare_class, base_fare, vehicle_fare FROM {table} WHERE route_code = $1",
                route_code,
            )

    async def manifest(self, sailing_id: int) -> list[asyncpg.Record]:
        sql = """
            SELECT b.reference, p.full_name, p.date_of_birth, p.nationality,
                   p.document_number, b.vehicle_registration
              FROM bookings b
              JOIN passengers p ON p.booking_id = b.id
             WHERE b.sailing_id = $1 AND b.status = 'confirmed'
             ORDER BY p.full_name
        """
        async with self._pool.acquire() as conn:
            return await conn.fetch(sql, sailing_id)

    async def set_capacity(self, sailing_id: int, seats: int) -> None:
        async with self._pool.acquire() as conn:
            await conn.execute(
                "UPDATE sailings SET seats_available = $1 WHERE id = $2", seats, sailing_id
            )

    async def reserve_seats(self, conn: asyncpg.Connection, sailing_id: int, count: int) -> bool:
        row = await conn.fetchrow(
            "SELECT seats_available FROM sailings WHERE id = $1", sailing_id
        )
        if row is None or row["seats_available"] < count:
            return False
        await conn.execute(
            "UPDATE sailings SET seats_available = $1 WHERE id = $2",
            row["seats_available"] - count,
            sailing_id,
        )
        return True

    async def reserve_lane_metres(self, conn: asyncpg.Connection, sailing_id: int,
                                  metres: Decimal) -> bool:
        row = await conn.fetchrow(
            """
            UPDATE sailings
               SET lane_metres_free = lane_metres_free - $1
             WHERE id = $2 AND lane_metres_free >= $1
         RETURNING lane_metres_free
            """,
            metres,
            sailing_id,
        )
        return row is not None

    async def release_seats(self, conn, sailing_id: int, count: int) -> None:
        await conn.execute(
            "UPDATE sailings SET seats_available = seats_available + $1 WHERE id = $2",
            count,
            sailing_id,
        )


class BookingRepository:
    def __init__(self, pool: asyncpg.Pool):
        self._pool = pool

    @property
    def pool(self) -> asyncpg.Pool:
        return self._pool

    async def by_reference(self, reference: str) -> asyncpg.Record | None:
        async with self._pool.acquire() as conn:
            return await conn.fetchrow(
                "SELECT * FROM bookings WHERE reference = $1", reference
            )

    async def by_idempotency_key(self, customer_id: int, key: str) -> asyncpg.Record | None:
        async with self._pool.acquire() as conn:
            return await conn.fetchrow(
                "SELECT * FROM bookings WHERE customer_id = $1 AND idempotency_key = $2",
                customer_id,
                key,
            )

    async def for_customer(self, customer_id: int, limit: int) -> list[asyncpg.Record]:
        async with self._pool.acquire() as conn:
            return await conn.fetch(
                """
                SELECT id, reference, sailing_id, status, total_fare, created_at
                  FROM bookings WHERE customer_id = $1
                 ORDER BY created_at DESC LIMIT $2
                """,
                customer_id,
                limit,
            )

    async def for_route(self, route_code: str) -> list[asyncpg.Record]:
        async with self._pool.acquire() as conn:
            return await conn.fetch(
                """
                SELECT b.reference, b.status, b.total_fare, b.created_at, s.departs_at
                  FROM bookings b JOIN sailings s ON s.id = b.sailing_id
                 WHERE s.route_code = $1
                 ORDER BY b.created_at
                """,
                route_code,
            )

    async def insert(self, conn: asyncpg.Connection, **fields) -> asyncpg.Record:
        return await conn.fetchrow(
            """
            INSERT INTO bookings (reference, customer_id, sailing_id, status, total_fare,
                                  passenger_count, vehicle_registration, idempotency_key,
                                  hold_expires_at)
            VALUES ($1, $2, $3, 'held', $4, $5, $6, $7, $8)
            RETURNING *
            """,
            fields["reference"],
            fields["customer_id"],
            fields["sailing_id"],
            fields["total_fare"],
            fields["passenger_count"],
            fields.get("vehicle_registration"),
            fields["idempotency_key"],
            fields["hold_expires_at"],
        )

    async def insert_passengers(self, conn: asyncpg.Connection, booking_id: int,
                                passengers: list[dict]) -> None:
        await conn.executemany(
            """
            INSERT INTO passengers (booking_id, full_name, date_of_birth, nationality, document_number)
            VALUES ($1, $2, $3, $4, $5)
            """,
            [
                (booking_id, p["full_name"], p["date_of_birth"], p["nationality"], p["document_number"])
                for p in passengers
            ],
        )

    async def mark_paid(self, booking_id: int, charge_id: str) -> None:
        async with self._pool.acquire() as conn:
            await conn.execute(
                "UPDATE bookings SET status = 'confirmed', charge_id = $1 WHERE id = $2",
                charge_id,
                booking_id,
            )

    async def insert_refund(self, conn, booking_id: int, amount: Decimal, reason: str) -> int:
        return await conn.fetchval(
            "INSERT INTO refunds (booking_id, amount, reason, status) VALUES ($1, $2, $3, 'pending') RETURNING id",
            booking_id,
            amount,
            reason,
        )

    async def set_gateway_refund_id(self, refund_id: int, gateway_refund_id: str) -> None:
        async with self._pool.acquire() as conn:
            await conn.execute(
                "UPDATE refunds SET gateway_refund_id = $1 WHERE id = $2", gateway_refund_id, refund_id
            )

    async def set_status(self, conn, booking_id: int, status: str) -> None:
        await conn.execute("UPDATE bookings SET status = $1 WHERE id = $2", status, booking_id)

    async def expire_holds(self, now: datetime) -> int:
        async with self._pool.acquire() as conn:
            async with conn.transaction():
                rows = await conn.fetch(
                    """
                    WITH expired AS (
                        UPDATE bookings SET status = 'expired'
                         WHERE status = 'held' AND hold_expires_at < $1
                     RETURNING sailing_id, passenger_count
                    )
                    SELECT sailing_id, sum(passenger_count)::int AS seats
                      FROM expired GROUP BY sailing_id
                    """,
                    now,
                )
                await conn.executemany(
                    "UPDATE sailings SET seats_available = seats_available + $2 WHERE id = $1",
                    [(r["sailing_id"], r["seats"]) for r in rows],
                )
                return sum(r["seats"] for r in rows)


class CustomerRepository:
    def __init__(self, pool: asyncpg.Pool):
        self._pool = pool

    async def by_email(self, email: str) -> asyncpg.Record | None:
        async with self._pool.acquire() as conn:
            return await conn.fetchrow(
                "SELECT id, email, password_hash, role, full_name FROM customers WHERE email = $1",
                email.lower(),
            )

    async def create(self, email: str, password_hash: str, full_name: str) -> int:
        async with self._pool.acquire() as conn:
            return await conn.fetchval(
                "INSERT INTO customers (email, password_hash, full_name, role) VALUES ($1, $2, $3, 'customer') RETURNING id",
                email.lower(),
                password_hash,
                full_name,
            )

    async def store_reset_token(self, customer_id: int, token: str, expires_at: datetime) -> None:
        async with self._pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO password_resets (customer_id, token, expires_at) VALUES ($1, $2, $3)",
                customer_id,
                token,
                expires_at,
            )

    async def get(self, customer_id: int) -> asyncpg.Record | None:
        async with self._pool.acquire() as conn:
            return await conn.fetchrow(
                "SELECT id, email, role, full_name FROM customers WHERE id = $1", customer_id
            )


class OutboxRepository:
    def __init__(self, pool: asyncpg.Pool):
        self._pool = pool

    async def pending(self, batch: int) -> list[asyncpg.Record]:
        async with self._pool.acquire() as conn:
            return await conn.fetch(
                "SELECT id, topic, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1",
                batch,
            )

    async def mark_sent(self, ids: list[int]) -> None:
        async with self._pool.acquire() as conn:
            await conn.execute("UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])", ids)
