import csv
import io
from datetime import datetime, timedelta, timezone

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.db import get_session
from meterly.repositories.usage import UsageRepository

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/usage.csv")
async def usage_csv(
    org_id: int,
    days: int = Query(30, ge=1, le=93),
    session: AsyncSession = Depends(get_session),
):
    start = datetime.now(timezone.utc) - timedelta(days=days)
    rows = await UsageRepository(session).export_rows(org_id, start)

    async def generate():
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["id", "meter_id", "quantity", "customer_ref", "occurred_at"])
        async for event in rows:
            writer.writerow([event.id, event.meter_id, event.quantity, event.customer_ref, event.occurred_at.isoformat()])
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()

    return StreamingResponse(
        generate(),
        media_type="text/csv",
        headers={"content-disposition": f'attachment; filename="usage-{org_id}.csv"'},
    )
