"""Balance movements. Every movement writes a ledger entry in the same session."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Balance, LedgerEntry


class InsufficientFunds(Exception):
    def __init__(self, available: Decimal, requested: Decimal) -> None:
        super().__init__(f"available {available} < requested {requested}")
        self.available = available
        self.requested = requested


def _entry(seller_id: str, kind: str, amount: Decimal, currency: str, reference: str | None, memo: str | None):
    return LedgerEntry(
        seller_id=seller_id,
        kind=kind,
        amount=amount,
        currency=currency,
        reference=reference,
        memo=memo,
    )


async def move_to_pending(
    session: AsyncSession,
    seller_id: str,
    amount: Decimal,
    *,
    kind: str,
    reference: str | None = None,
    memo: str | None = None,
) -> Balance:
    """Reserve funds for a payout: available -> pending."""
    balance = await session.get(Balance, seller_id)
    if balance is None or balance.available < amount:
        raise InsufficientFunds(balance.available if balance else Decimal("0"), amount)
    balance.available = balance.available - amount
    balance.pending = balance.pending + amount
    session.add(_entry(seller_id, kind, -amount, balance.currency, reference, memo))
    return balance


async def debit_available(
    session: AsyncSession,
    seller_id: str,
    amount: Decimal,
    currency: str,
    *,
    kind: str,
    reference: str | None = None,
    memo: str | None = None,
) -> Decimal:
    """Atomically take ``amount`` out of the available balance."""
    result = await session.execute(
        update(Balance)
        .where(Balance.seller_id == seller_id, Balance.available >= amount)
        .values(available=Balance.available - amount)
        .returning(Balance.available)
    )
    row = result.first()
    if row is None:
        raise InsufficientFunds(Decimal("0"), amount)
    session.add(_entry(seller_id, kind, -amount, currency, reference, memo))
    return row[0]


async def release_pending(
    session: AsyncSession,
    seller_id: str,
    amount: Decimal,
    currency: str,
    *,
    back_to_available: bool,
    reference: str | None = None,
) -> None:
    values = {"pending": Balance.pending - amount}
    if back_to_available:
        values["available"] = Balance.available + amount
    await session.execute(update(Balance).where(Balance.seller_id == seller_id).values(**values))
    if back_to_available:
        session.add(_entry(seller_id, "payout_reversal", amount, currency, reference, None))
