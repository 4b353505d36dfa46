"""Orders and the tests on them."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

import asyncpg

ORDER_COLUMNS = "id, clinic_id, patient_id, accession_no, status, priority, partner_ref, ordered_by, created_at"

SORTS = {
    "newest": "created_at DESC",
    "oldest": "created_at ASC",
    "status": "status ASC, created_at DESC",
    "priority": "priority DESC, created_at DESC",
}


@dataclass(frozen=True)
class NewTest:
    test_code: str
    price: Decimal


class OrderRepository:
    def __init__(self, pool: asyncpg.Pool):
        self.pool = pool

    async def get_for_clinic(self, order_id: int, clinic_id: int) -> asyncpg.Record | None:
        return await self.pool.fetchrow(
            f"SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1 AND clinic_id = $2",
            order_id,
            clinic_id,
        )

    async def get_by_accession(self, accession_no: str) -> asyncpg.Record | None:
        return await self.pool.fetchrow(
            f"SELECT {ORDER_COLUMNS} FROM orders WHERE accession_no = $1", accession_no
        )

    async def by_accessions(self, clinic_id: int, accessions: Sequence[str]) -> dict[str, asyncpg.Record]:
        rows = await self.pool.fetch(
            f"SELECT {ORDER_COLUMNS} FROM orders WHERE clinic_id = $1 AND accession_no = ANY($2::text[])",
            clinic_id,
            list(accessions),
        )
        return {r["accession_no"]: r for r in rows}

    async def find_by_idempotency_key(self, clinic_id: int, key: str) -> asyncpg.Record | None:
        return await self.pool.fetchrow(
            f"SELECT {ORDER_COLUMNS} FROM orders WHERE clinic_id = $1 AND idempotency_key = $2",
            clinic_id,
            key,
        )

    async def list_for_clinic(
        self, clinic_id: int, *, status: str | None, sort: str, limit: int, offset: int
    ) -> list[asyncpg.Record]:
        order_by = SORTS.get(sort, SORTS["newest"])
        args: list = [clinic_id]
        where = "clinic_id = $1"
        if status:
            args.append(status)
            where += f" AND status = ${len(args)}"
        args.extend([limit, offset])
        sql = (
            f"SELECT {ORDER_COLUMNS} FROM orders WHERE {where} "
            f"ORDER BY {order_by} LIMIT ${len(args) - 1} OFFSET ${len(args)}"
        )
        return await self.pool.fetch(sql, *args)

    async def tests_for_orders(self, order_ids: Sequence[int]) -> dict[int, list[asyncpg.Record]]:
        rows = await self.pool.fetch(
            "SELECT order_id, test_code, price FROM order_tests WHERE order_id = ANY($1::bigint[])",
            list(order_ids),
        )
        grouped: dict[int, list[asyncpg.Record]] = {oid: [] for oid in order_ids}
        for row in rows:
            grouped[row["order_id"]].append(row)
        return grouped

    async def tests_for_order(self, order_id: int) -> list[asyncpg.Record]:
        return await self.pool.fetch(
            "SELECT test_code, price FROM order_tests WHERE order_id = $1 ORDER BY id", order_id
        )

    async def list_for_patient(self, patient_id: int, clinic_id: int) -> list[asyncpg.Record]:
        return await self.pool.fetch(
            f"SELECT {ORDER_COLUMNS} FROM orders WHERE patient_id = $1 AND clinic_id = $2 "
            "ORDER BY created_at DESC LIMIT 100",
            patient_id,
            clinic_id,
        )

    async def create(
        self,
        *,
        clinic_id: int,
        patient_id: int,
        accession_no: str,
        priority: str,
        ordered_by: int,
        idempotency_key: str | None,
        tests: Sequence[NewTest],
    ) -> asyncpg.Record:
        order = await self.pool.fetchrow(
            "INSERT INTO orders (clinic_id, patient_id, accession_no, priority, ordered_by, idempotency_key) "
            f"VALUES ($1, $2, $3, $4, $5, $6) RETURNING {ORDER_COLUMNS}",
            clinic_id,
            patient_id,
            accession_no,
            priority,
            ordered_by,
            idempotency_key,
        )
        await self.pool.executemany(
            "INSERT INTO order_tests (order_id, test_code, price) VALUES ($1, $2, $3)",
            [(order["id"], t.test_code, t.price) for t in tests],
        )
        await self.pool.execute(
            "INSERT INTO credit_ledger (clinic_id, delta, reason, order_id) VALUES ($1, $2, 'order', $3)",
            clinic_id,
            -len(tests),
            order["id"],
        )
        return order

    async def set_submitted(self, order_id: int, partner_ref: str) -> None:
        await self.pool.execute(
            "UPDATE orders SET status = 'submitted', partner_ref = $2 WHERE id = $1", order_id, partner_ref
        )

    async def set_status(self, order_id: int, status: str) -> None:
        await self.pool.execute("UPDATE orders SET status = $2 WHERE id = $1", order_id, status)

    async def pending_submission(self, limit: int = 50) -> list[asyncpg.Record]:
        return await self.pool.fetch(
            f"SELECT {ORDER_COLUMNS} FROM orders WHERE status = 'new' ORDER BY created_at LIMIT $1", limit
        )
