import logging
import secrets
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from meterly.models import Invoice, InvoiceLine, InvoiceStatus, Organization
from meterly.repositories.invoices import InvoiceRepository
from meterly.repositories.usage import UsageRepository
from meterly.services.payments import PayBridgeClient, PaymentError
from meterly.services.pricing import apply_plan_discount, line_amount

log = logging.getLogger(__name__)


class BillingService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.invoices = InvoiceRepository(session)
        self.usage = UsageRepository(session)

    async def close_period(self, org_id: int, start: datetime, end: datetime) -> Invoice:
        async with self.session.begin():
            org = await self.session.get(Organization, org_id)
            totals = await self.usage.totals_for_period(org_id, start, end)
            invoice = Invoice(
                org_id=org_id,
                number=f"INV-{end:%Y%m}-{secrets.token_hex(4).upper()}",
                status=InvoiceStatus.open,
                period_start=start,
                period_end=end,
            )
            self.session.add(invoice)
            await self.session.flush()
            subtotal = Decimal("0")
            for meter_key, quantity, unit_price in totals:
                amount = line_amount(quantity, unit_price)
                subtotal += amount
                self.session.add(
                    InvoiceLine(invoice_id=invoice.id, meter_key=meter_key, quantity=quantity, amount=amount)
                )
            invoice.total = apply_plan_discount(subtotal, org.plan.value)
        return invoice

    async def list_with_lines(self, org_id: int, limit: int, offset: int) -> list[dict]:
        invoices = await self.invoices.list_for_org(org_id, limit, offset)
        result = []
        for inv in invoices:
            lines = await self.invoices.lines_for(inv.id)
            result.append(
                {
                    "id": inv.id,
                    "number": inv.number,
                    "status": inv.status,
                    "total": inv.total,
                    "period_start": inv.period_start,
                    "period_end": inv.period_end,
                    "lines": lines,
                }
            )
        return result

    async def pay_invoice(self, client: PayBridgeClient, org_id: int, invoice_id: int, payment_method: str) -> Invoice:
        invoice = await self.invoices.lock_for_payment(org_id, invoice_id)
        if invoice is None:
            raise LookupError("invoice not found")
        if invoice.status != InvoiceStatus.open:
            return invoice
        charge = await client.charge(
            invoice.total,
            "USD",
            payment_method,
            description=f"Invoice {invoice.number}",
            idempotency_key=f"invoice-{invoice.id}",
        )
        invoice.provider_charge_id = charge["id"]
        invoice.status = InvoiceStatus.paid
        await self.session.commit()
        return invoice

    async def mark_paid_from_webhook(self, charge_id: str) -> None:
        invoice = await self.invoices.by_charge_id(charge_id)
        if invoice is not None and invoice.status == InvoiceStatus.open:
            invoice.status = InvoiceStatus.paid


async def collect_invoice(session: AsyncSession, client: PayBridgeClient, invoice: Invoice, method: str) -> bool:
    try:
        charge = await client.charge(
            invoice.total, "USD", method, f"Invoice {invoice.number}", idempotency_key=f"invoice-{invoice.id}"
        )
    except PaymentError:
        log.warning("collection failed", extra={"invoice_id": invoice.id})
        return False
    invoice.provider_charge_id = charge["id"]
    invoice.status = InvoiceStatus.paid
    return True
