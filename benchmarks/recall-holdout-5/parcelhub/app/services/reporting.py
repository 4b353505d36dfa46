import csv
import io
import os
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import get_settings
from app.models import ExportJob, Order, OrderStatus, User
from app.repositories.orders import OrderRepository
from app.services import NotFound

_settings = get_settings()
EXPORT_BATCH = 500
DASHBOARD_STATUSES = (OrderStatus.pending, OrderStatus.paid, OrderStatus.shipped)


class ReportService:
    def __init__(self, session: AsyncSession) -> None:
        self.orders = OrderRepository(session)

    async def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for status in DASHBOARD_STATUSES:
            counts[status.value] = await self.orders.count_by_status(status)
        return counts

    async def daily_sales(self, day: date) -> dict:
        start = datetime.combine(day, time.min, tzinfo=timezone.utc)
        end = start + timedelta(days=1)
        orders = await self.orders.in_range(start, end)

        units_by_product: Counter[int] = Counter()
        revenue_by_merchant: dict[int, Decimal] = defaultdict(Decimal)
        for order in orders:
            if order.status in (OrderStatus.cancelled, OrderStatus.refunded):
                continue
            revenue_by_merchant[order.user_id] += order.total
            for item in await self.orders.items_for(order.id):
                units_by_product[item.product_id] += item.quantity

        return {
            "day": day.isoformat(),
            "orders": len(orders),
            "revenue": str(sum(revenue_by_merchant.values(), Decimal("0"))),
            "top_products": units_by_product.most_common(20),
            "merchants": len(revenue_by_merchant),
        }


class ExportService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def request_export(self, user: User) -> ExportJob:
        job = ExportJob(user_id=user.id)
        self.session.add(job)
        await self.session.commit()
        return job

    async def job_for(self, user: User, job_id: str) -> ExportJob:
        job = await self.session.scalar(
            select(ExportJob).where(ExportJob.id == job_id, ExportJob.user_id == user.id)
        )
        if job is None:
            raise NotFound("export not found")
        return job

    def path_for(self, job: ExportJob) -> str:
        # filename is generated server-side from the job's UUID in build_csv
        return os.path.join(_settings.export_dir, job.filename or "")

    async def build_csv(self, job_id: str) -> str:
        job = await self.session.get(ExportJob, job_id)
        if job is None:
            raise NotFound(job_id)
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["order", "status", "total", "created_at", "tracking"])
        last_id = 0
        while True:
            batch = (
                await self.session.scalars(
                    select(Order)
                    .where(Order.user_id == job.user_id, Order.id > last_id)
                    .order_by(Order.id)
                    .limit(EXPORT_BATCH)
                )
            ).all()
            if not batch:
                break
            for o in batch:
                writer.writerow(
                    [o.public_id, o.status.value, o.total, o.created_at.isoformat(), o.tracking_number]
                )
            last_id = batch[-1].id
        job.filename = f"{job.id}.csv"
        return buf.getvalue()
