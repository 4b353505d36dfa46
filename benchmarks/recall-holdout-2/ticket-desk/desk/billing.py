"""Support credits: organisations buy credits and spend them on urgent handling."""
import asyncpg

URGENT_COST = 5


class InsufficientCredits(Exception):
    pass


async def credit_balance(conn: asyncpg.Connection, org_id: int) -> int:
    return await conn.fetchval("SELECT support_credits FROM organisations WHERE id = $1", org_id)


async def spend_credits(conn: asyncpg.Connection, org_id: int, amount: int) -> int:
    balance = await credit_balance(conn, org_id)
    if balance is None or balance < amount:
        raise InsufficientCredits(balance or 0)
    remaining = balance - amount
    await conn.execute(
        "UPDATE organisations SET support_credits = $1 WHERE id = $2", remaining, org_id
    )
    return remaining


async def record_purchase(conn: asyncpg.Connection, org_id: int, provider_ref: str,
                          amount_cents: int, credits: int) -> None:
    await conn.execute(
        "INSERT INTO payments (org_id, provider_ref, amount_cents, credits) VALUES ($1, $2, $3, $4)",
        org_id, provider_ref, amount_cents, credits,
    )
    await conn.execute(
        "UPDATE organisations SET support_credits = support_credits + $1 WHERE id = $2",
        credits, org_id,
    )
