from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import Connection, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from .db import get_engine
from .tables import bank_events, beneficiaries, ledger, merchants, payouts

SORTABLE = {"newest": "p.created_at DESC", "oldest": "p.created_at ASC", "amount": "p.amount DESC"}


class InsufficientFunds(Exception):
    pass


def merchant_by_key_hash(conn: Connection, key_hash: str) -> Optional[dict]:
    row = conn.execute(
        select(merchants).where(merchants.c.api_key_hash == key_hash, merchants.c.status == "active")
    ).mappings().first()
    return dict(row) if row else None


def merchant_by_email(conn: Connection, email: str) -> Optional[dict]:
    row = conn.execute(select(merchants).where(merchants.c.dashboard_email == email)).mappings().first()
    return dict(row) if row else None


def get_payout(conn: Connection, payout_id: int) -> Optional[dict]:
    row = conn.execute(select(payouts).where(payouts.c.id == payout_id)).mappings().first()
    return dict(row) if row else None


def get_beneficiary(conn: Connection, beneficiary_id: int) -> Optional[dict]:
    row = conn.execute(
        select(beneficiaries).where(beneficiaries.c.id == beneficiary_id)
    ).mappings().first()
    return dict(row) if row else None


def list_payouts(
    conn: Connection, merchant_id: int, status: Optional[str], sort: str, limit: int, offset: int
) -> list[dict]:
    sql = "SELECT p.* FROM payouts p WHERE p.merchant_id = :mid"
    params: dict[str, Any] = {"mid": merchant_id, "limit": limit, "offset": offset}
    if status:
        sql += " AND p.status = :status"
        params["status"] = status
    sql += " ORDER BY " + SORTABLE.get(sort, SORTABLE["newest"]) + " LIMIT :limit OFFSET :offset"
    return [dict(r) for r in conn.execute(text(sql), params).mappings()]


def search_payouts(conn: Connection, merchant_id: int, ref: str) -> list[dict]:
    rows = conn.execute(
        text(
            "SELECT id, merchant_ref, amount, currency, status FROM payouts "
            f"WHERE merchant_id = :mid AND merchant_ref LIKE '{ref}%' ORDER BY id DESC LIMIT 50"
        ),
        {"mid": merchant_id},
    ).mappings()
    return [dict(r) for r in rows]


def debit_balance(merchant_id: int, currency: str, amount: float) -> None:
    with get_engine().begin() as conn:
        available = conn.execute(
            text("SELECT available FROM balances WHERE merchant_id = :mid AND currency = :cur"),
            {"mid": merchant_id, "cur": currency},
        ).scalar()
        if available is None or float(available) < amount:
            raise InsufficientFunds(currency)
        conn.execute(
            text("UPDATE balances SET available = :new WHERE merchant_id = :mid AND currency = :cur"),
            {"new": float(available) - amount, "mid": merchant_id, "cur": currency},
        )


def insert_payout(values: dict) -> int:
    with get_engine().begin() as conn:
        return conn.execute(insert(payouts).values(**values).returning(payouts.c.id)).scalar_one()


def insert_ledger(merchant_id: int, payout_id: Optional[int], delta, currency: str, reason: str) -> None:
    with get_engine().begin() as conn:
        conn.execute(
            insert(ledger).values(
                merchant_id=merchant_id, payout_id=payout_id, delta=delta, currency=currency, reason=reason
            )
        )


def credit_balance(conn: Connection, merchant_id: int, currency: str, amount: Decimal) -> None:
    conn.execute(
        text(
            "UPDATE balances SET available = available + :amt "
            "WHERE merchant_id = :mid AND currency = :cur"
        ),
        {"amt": amount, "mid": merchant_id, "cur": currency},
    )


def balances_summary(conn: Connection, merchant_id: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for currency in ("EUR", "GBP", "USD"):
        value = conn.execute(
            text("SELECT available FROM balances WHERE merchant_id = :mid AND currency = :cur"),
            {"mid": merchant_id, "cur": currency},
        ).scalar()
        out[currency] = str(value or Decimal("0.00"))
    return out


def update_merchant(conn: Connection, merchant_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(merchants).where(merchants.c.id == merchant_id).values(**values))


def record_bank_event(conn: Connection, event_id: str, payout_id: int, event_type: str) -> bool:
    stmt = (
        pg_insert(bank_events)
        .values(event_id=event_id, payout_id=payout_id, type=event_type)
        .on_conflict_do_nothing(index_elements=["event_id"])
    )
    return conn.execute(stmt).rowcount == 1


def set_payout_status(conn: Connection, payout_id: int, status: str, bank_ref: Optional[str] = None) -> None:
    values: dict[str, Any] = {"status": status}
    if bank_ref:
        values["bank_ref"] = bank_ref
    conn.execute(update(payouts).where(payouts.c.id == payout_id).values(**values))
