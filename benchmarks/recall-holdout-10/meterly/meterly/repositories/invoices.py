from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from meterly.models import Invoice, InvoiceLine, InvoiceStatus


class InvoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, invoice_id: int) -> Invoice | None:
        return await self.session.get(Invoice, invoice_id)

    async def get_for_org(self, org_id: int, invoice_id: int) -> Invoice | None:
        return await self.session.scalar(
            select(Invoice)
            .where(Invoice.id == invoice_id, Invoice.org_id == org_id)
            .options(selectinload(Invoice.lines))
        )

    async def list_for_org(self, org_id: int, limit: int, offset: int) -> list[Invoice]:
        stmt = (
            select(Invoice)
            .where(Invoice.org_id == org_id)
            .order_by(Invoice.period_start.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(await self.session.scalars(stmt))

    async def lines_for(self, invoice_id: int) -> list[InvoiceLine]:
        return list(
            await self.session.scalars(
                select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id)
            )
        )

    async def lock_for_payment(self, org_id: int, invoice_id: int) -> Invoice | None:
        return await self.session.scalar(
            select(Invoice)
            .where(Invoice.id == invoice_id, Invoice.org_id == org_id)
            .with_for_update()
        )

    async def by_charge_id(self, charge_id: str) -> Invoice | None:
        return await self.session.scalar(
            select(Invoice).where(Invoice.provider_charge_id == charge_id).with_for_update()
        )

    async def open_invoices(self, limit: int = 200) -> list[Invoice]:
        return list(
            await self.session.scalars(
                select(Invoice)
                .where(Invoice.status == InvoiceStatus.open)
                .order_by(Invoice.id)
                .limit(limit)
            )
        )
