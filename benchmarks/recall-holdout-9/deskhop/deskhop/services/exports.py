from __future__ import annotations

import csv
import logging
import os
import uuid
from datetime import datetime

import anyio
import asyncpg

log = logging.getLogger(__name__)


def _write_csv(path: str, rows: list[asyncpg.Record]) -> None:
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["booking_id", "member", "desk", "starts_at", "ends_at", "status", "credits"])
        for r in rows:
            writer.writerow([r["id"], r["full_name"], r["label"], r["starts_at"], r["ends_at"], r["status"], r["credits"]])


async def export_org_bookings(pool: asyncpg.Pool, export_dir: str, org_id: int, start: datetime, end: datetime) -> str:
    conn = await pool.acquire()
    rows = await conn.fetch(
        "SELECT b.id, m.full_name, d.label, b.starts_at, b.ends_at, b.status, b.credits "
        "FROM bookings b JOIN members m ON m.id = b.member_id JOIN desks d ON d.id = b.desk_id "
        "WHERE b.org_id = $1 AND b.starts_at >= $2 AND b.starts_at < $3 ORDER BY b.starts_at",
        org_id,
        start,
        end,
    )
    path = os.path.join(export_dir, f"org{org_id}-{uuid.uuid4().hex}.csv")
    await anyio.to_thread.run_sync(_write_csv, path, rows)
    await pool.release(conn)
    log.info("export for org %s written to %s (%d rows)", org_id, path, len(rows))
    return path
