"""Results received from the partner lab, and their release to clinics."""
from __future__ import annotations

import csv
import io

import asyncpg

RESULT_COLUMNS = (
    "id, order_id, clinic_id, patient_id, accession_no, test_code, value, unit, ref_range, "
    "flag, status, released_at, released_by, received_at"
)
DIRECTIONS = {"asc": "ASC", "desc": "DESC"}


class ResultRepository:
    def __init__(self, pool: asyncpg.Pool):
        self.pool = pool

    async def get(self, result_id: int) -> asyncpg.Record | None:
        return await self.pool.fetchrow(f"SELECT {RESULT_COLUMNS} FROM results WHERE id = $1", result_id)

    async def list_for_patient(self, patient_id: int, clinic_id: int) -> list[asyncpg.Record]:
        return await self.pool.fetch(
            f"SELECT {RESULT_COLUMNS} FROM results WHERE patient_id = $1 AND clinic_id = $2 "
            "ORDER BY received_at DESC",
            patient_id,
            clinic_id,
        )

    async def list_for_order(self, order_id: int) -> list[asyncpg.Record]:
        return await self.pool.fetch(
            f"SELECT {RESULT_COLUMNS} FROM results WHERE order_id = $1 ORDER BY test_code", order_id
        )

    async def worklist(self, clinic_id: int, *, flag: str | None, order_by: str, direction: str,
                       limit: int) -> list[asyncpg.Record]:
        sql = f"SELECT {RESULT_COLUMNS} FROM results WHERE clinic_id = $1 AND status = 'preliminary'"
        args: list = [clinic_id]
        if flag:
            args.append(flag)
            sql += f" AND flag = ${len(args)}"
        args.append(limit)
        sql += f" ORDER BY {order_by} {DIRECTIONS.get(direction, 'DESC')} LIMIT ${len(args)}"
        return await self.pool.fetch(sql, *args)

    async def find(self, accession_no: str, test_code: str) -> asyncpg.Record | None:
        return await self.pool.fetchrow(
            f"SELECT {RESULT_COLUMNS} FROM results WHERE accession_no = $1 AND test_code = $2",
            accession_no,
            test_code,
        )

    async def insert_from_partner(self, order: asyncpg.Record, obs: dict) -> asyncpg.Record:
        return await self.pool.fetchrow(
            "INSERT INTO results (order_id, clinic_id, patient_id, accession_no, test_code, value, unit, "
            f"ref_range, flag, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {RESULT_COLUMNS}",
            order["id"],
            order["clinic_id"],
            order["patient_id"],
            order["accession_no"],
            obs["code"],
            obs.get("value"),
            obs.get("unit"),
            obs.get("range"),
            obs.get("flag"),
            obs.get("status", "preliminary"),
        )

    async def insert_device_rows(self, rows: list[tuple]) -> None:
        async with self.pool.acquire() as conn:
            async with conn.transaction():
                await conn.executemany(
                    "INSERT INTO results (order_id, clinic_id, patient_id, accession_no, test_code, value, unit, "
                    "ref_range, flag) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    rows,
                )

    async def update_value(self, result_id: int, obs: dict) -> None:
        await self.pool.execute(
            "UPDATE results SET value = $2, unit = $3, ref_range = $4, flag = $5, status = $6 WHERE id = $1",
            result_id,
            obs.get("value"),
            obs.get("unit"),
            obs.get("range"),
            obs.get("flag"),
            obs.get("status", "preliminary"),
        )

    async def release(self, result_id: int, staff_id: int) -> asyncpg.Record:
        async with self.pool.acquire() as conn:
            async with conn.transaction():
                row = await conn.fetchrow(
                    "UPDATE results SET status = 'final', released_at = now(), released_by = $2 "
                    f"WHERE id = $1 AND status = 'preliminary' RETURNING {RESULT_COLUMNS}",
                    result_id,
                    staff_id,
                )
                if row is None:
                    return None
                await conn.execute(
                    "INSERT INTO notifications (result_id, channel) VALUES ($1, 'sms'), ($1, 'email')",
                    result_id,
                )
                await conn.execute(
                    "INSERT INTO audit_log (actor_id, action, target) VALUES ($1, 'result.release', $2)",
                    staff_id,
                    f"result:{result_id}",
                )
                return row

    async def add_attachment(self, result_id: int, filename: str, content: bytes, sha256: str) -> int:
        return await self.pool.fetchval(
            "INSERT INTO result_attachments (result_id, filename, content, sha256) "
            "VALUES ($1, $2, $3, $4) RETURNING id",
            result_id,
            filename,
            content,
            sha256,
        )

    async def export_csv(self, clinic_id: int, since) -> str:
        conn = await self.pool.acquire()
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["accession_no", "test_code", "value", "unit", "flag", "released_at"])
        async with conn.transaction():
            async for row in conn.cursor(
                "SELECT accession_no, test_code, value, unit, flag, released_at FROM results "
                "WHERE clinic_id = $1 AND released_at >= $2 ORDER BY released_at",
                clinic_id,
                since,
            ):
                writer.writerow(list(row))
        await self.pool.release(conn)
        return buf.getvalue()

    async def pending_notifications(self, limit: int = 100) -> list[asyncpg.Record]:
        return await self.pool.fetch(
            "SELECT n.id, n.result_id, n.channel, n.attempts, p.phone, p.email, p.full_name, r.test_code "
            "FROM notifications n JOIN results r ON r.id = n.result_id JOIN patients p ON p.id = r.patient_id "
            "WHERE n.state = 'pending' ORDER BY n.id LIMIT $1",
            limit,
        )

    async def mark_notification(self, notification_id: int, state: str) -> None:
        await self.pool.execute(
            "UPDATE notifications SET state = $2, attempts = attempts + 1 WHERE id = $1", notification_id, state
        )
