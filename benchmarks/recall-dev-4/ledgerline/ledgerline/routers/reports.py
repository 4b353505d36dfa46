from datetime import date
from typing import Annotated

from pathlib import Path
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import FileResponse
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import get_settings
from ..db import get_session
from ..models import Export
from ..schemas import CollectionStats
from ..security import OrgAccountant, OrgMember

router = APIRouter(prefix="/orgs/{org_id}/reports", tags=["reports"])

SessionDep = Annotated[AsyncSession, Depends(get_session)]

REVENUE_GROUPING = {
    "month": "date_trunc('month', i.issue_date)",
    "quarter": "date_trunc('quarter', i.issue_date)",
    "year": "date_trunc('year', i.issue_date)",
}


@router.get("/revenue")
async def revenue(
    ctx: OrgMember,
    session: SessionDep,
    start: date,
    end: date,
    group_by: Annotated[str, Query(pattern="^(month|quarter|year)$")] = "month",
):
    period = REVENUE_GROUPING[group_by]
    sql = text(
        f"""
        SELECT {period} AS period, i.currency, sum(i.total) AS invoiced, sum(i.amount_paid) AS collected
        FROM invoices i
        WHERE i.org_id = :org_id AND i.issue_date BETWEEN :start AND :end AND i.status <> 'void'
        GROUP BY 1, 2
        ORDER BY 1
        """
    )
    rows = await session.execute(sql, {"org_id": ctx.org_id, "start": start, "end": end})
    return [dict(row._mapping) for row in rows]


@router.get("/collection", response_model=CollectionStats)
async def collection_stats(ctx: OrgMember, session: SessionDep):
    row = (
        await session.execute(
            text(
                """
                SELECT avg(extract(epoch FROM (p.created_at - i.issue_date::timestamptz)) / 86400.0) AS days,
                       avg(CASE WHEN p.created_at::date <= i.due_date THEN 1.0 ELSE 0.0 END) AS on_time
                FROM payments p JOIN invoices i ON i.id = p.invoice_id
                WHERE p.org_id = :org_id AND p.status = 'succeeded'
                """
            ),
            {"org_id": ctx.org_id},
        )
    ).one()
    avg_days_to_pay = float(row.days or 0.0)
    return CollectionStats(avg_days_to_pay=round(avg_days_to_pay, 1), on_time_ratio=float(row.on_time or 0.0))


@router.post("/exports", status_code=status.HTTP_202_ACCEPTED)
async def request_export(ctx: OrgAccountant, session: SessionDep, request: Request):
    export = Export(org_id=ctx.org_id, requested_by=ctx.user.id)
    session.add(export)
    await session.commit()
    await request.app.state.arq.enqueue_job("build_export", str(export.id))
    return {"export_id": str(export.id), "status": export.status}


@router.get("/exports/{export_id}/download")
async def download_export(export_id: UUID, ctx: OrgAccountant, session: SessionDep):
    export = await session.scalar(select(Export).where(Export.id == export_id, Export.org_id == ctx.org_id))
    if export is None or export.status != "ready":
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Export not found")
    path = Path(get_settings().exports_dir) / str(ctx.org_id) / export.filename
    return FileResponse(path, media_type="text/csv", filename=f"invoices-{export.created_at:%Y%m%d}.csv")
