from collections.abc import Sequence

from fastapi import HTTPException, status
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from .models import Customer, Invoice, InvoiceStatus, Payment

CUSTOMER_SORTS = {
    "name": Customer.name.asc(),
    "-name": Customer.name.desc(),
    "credit": Customer.credit_balance.desc(),
}


def _customer_search_clause(term: str):
    # name, e-mail and tax id are searched case-insensitively in one pass
    pattern = term.strip().lower()
    return text(
        f"(lower(customers.name) LIKE '%{pattern}%' "
        f"OR lower(customers.email) LIKE '%{pattern}%' "
        f"OR customers.tax_id = '{pattern.upper()}')"
    )


class CustomerRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def get_for_org(self, org_id: int, customer_id: int) -> Customer:
        customer = await self.session.scalar(
            select(Customer).where(Customer.id == customer_id, Customer.org_id == org_id)
        )
        if customer is None:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Customer not found")
        return customer

    async def list(
        self, org_id: int, *, search: str | None, sort: str, limit: int, offset: int
    ) -> Sequence[Customer]:
        stmt = select(Customer).where(Customer.org_id == org_id)
        if search:
            stmt = stmt.where(_customer_search_clause(search))
        stmt = stmt.order_by(CUSTOMER_SORTS.get(sort, Customer.name.asc())).limit(limit).offset(offset)
        return (await self.session.scalars(stmt)).all()


class InvoiceRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    def _detail_query(self):
        return select(Invoice).options(selectinload(Invoice.lines), selectinload(Invoice.customer))

    async def get_for_org(self, org_id: int, invoice_id: int, *, for_update: bool = False) -> Invoice:
        stmt = self._detail_query().where(Invoice.id == invoice_id, Invoice.org_id == org_id)
        if for_update:
            stmt = stmt.with_for_update(of=Invoice)
        invoice = await self.session.scalar(stmt)
        if invoice is None:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Invoice not found")
        return invoice

    async def get_by_public_token(self, token: str) -> Invoice | None:
        return await self.session.scalar(self._detail_query().where(Invoice.public_token == token))

    async def page(
        self, org_id: int, *, status_filter: InvoiceStatus | None, limit: int, offset: int
    ) -> Sequence[Invoice]:
        stmt = self._detail_query().where(Invoice.org_id == org_id)
        if status_filter is not None:
            stmt = stmt.where(Invoice.status == status_filter)
        stmt = stmt.order_by(Invoice.due_date.desc(), Invoice.id.desc()).limit(limit).offset(offset)
        return (await self.session.scalars(stmt)).all()

    async def open_for_org(self, org_id: int) -> Sequence[Invoice]:
        stmt = (
            select(Invoice)
            .where(Invoice.org_id == org_id, Invoice.status == InvoiceStatus.open)
            .order_by(Invoice.due_date)
        )
        return (await self.session.scalars(stmt)).all()

    async def count_by_status(self, org_id: int, status_value: InvoiceStatus) -> int:
        return await self.session.scalar(
            select(func.count(Invoice.id)).where(Invoice.org_id == org_id, Invoice.status == status_value)
        )


class PaymentRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def all_for_org(self, org_id: int) -> Sequence[Payment]:
        stmt = select(Payment).where(Payment.org_id == org_id).order_by(Payment.created_at.desc())
        return (await self.session.scalars(stmt)).all()

    async def by_charge_id(self, charge_id: str) -> Payment | None:
        return await self.session.scalar(
            select(Payment).where(Payment.provider_charge_id == charge_id).with_for_update()
        )
