import logging
import secrets
from datetime import date

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from clinicdesk.extensions import db
from clinicdesk.models import Invoice, InvoiceLine, Patient, PatientCredit, Payment, Refund

log = logging.getLogger(__name__)


class BillingError(Exception):
    pass


def _invoice_number() -> str:
    return f"INV-{date.today():%y%m}-{secrets.token_hex(3).upper()}"


def create_invoice(clinic_id: int, patient: Patient, due: date, lines: list[dict]) -> Invoice:
    invoice = Invoice(
        clinic_id=clinic_id,
        patient_id=patient.id,
        number=_invoice_number(),
        due_date=due,
        total_cents=sum(line["amount_cents"] for line in lines),
    )
    invoice.lines = [InvoiceLine(**line) for line in lines]
    db.session.add(invoice)
    db.session.commit()
    return invoice


def record_payment(invoice: Invoice, data: dict, staff_id: int) -> Payment:
    if invoice.status == "void":
        raise BillingError("invoice is void")
    if data["method"] == "credit":
        _spend_credit(invoice.patient_id, data["amount_cents"])
    payment = Payment(invoice_id=invoice.id, recorded_by=staff_id, **data)
    db.session.add(payment)
    db.session.execute(
        update(Invoice)
        .where(Invoice.id == invoice.id)
        .values(paid_cents=Invoice.paid_cents + data["amount_cents"])
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        # same external_ref posted twice (card terminal retry): return the original
        return Payment.query.filter_by(
            invoice_id=invoice.id, external_ref=data["external_ref"]
        ).one()
    db.session.refresh(invoice)
    if invoice.paid_cents >= invoice.total_cents and invoice.status == "open":
        invoice.status = "paid"
        db.session.commit()
    return payment


def _spend_credit(patient_id: int, amount_cents: int) -> None:
    result = db.session.execute(
        update(PatientCredit)
        .where(
            PatientCredit.patient_id == patient_id,
            PatientCredit.balance_cents >= amount_cents,
        )
        .values(balance_cents=PatientCredit.balance_cents - amount_cents)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise BillingError("insufficient account credit")


def refund(invoice_id: int, amount_cents: int, reason: str, staff_id: int, to_credit: bool) -> Refund:
    invoice = Invoice.query.filter_by(id=invoice_id).with_for_update().one()
    if amount_cents > invoice.paid_cents:
        raise BillingError("refund exceeds amount paid")
    record = Refund(invoice_id=invoice.id, amount_cents=amount_cents, reason=reason, issued_by=staff_id)
    db.session.add(record)
    db.session.commit()

    remaining = invoice.paid_cents - amount_cents
    invoice.paid_cents = remaining
    invoice.status = "refunded" if remaining == 0 else "partially_refunded"
    db.session.commit()

    if to_credit:
        if db.session.get(PatientCredit, invoice.patient_id) is None:
            db.session.add(PatientCredit(patient_id=invoice.patient_id, balance_cents=0))
            db.session.flush()
        db.session.execute(
            update(PatientCredit)
            .where(PatientCredit.patient_id == invoice.patient_id)
            .values(balance_cents=PatientCredit.balance_cents + amount_cents)
        )
        db.session.commit()
    log.info("refund %s on invoice %s by staff %s", record.id, invoice.number, staff_id)
    return record


def overdue_summary(clinic_id: int, today: date) -> list[dict]:
    invoices = (
        Invoice.query.filter(
            Invoice.clinic_id == clinic_id,
            Invoice.status.in_(("open", "partially_refunded")),
            Invoice.due_date < today,
        )
        .order_by(Invoice.due_date)
        .limit(200)
        .all()
    )
    summary = []
    for inv in invoices:
        summary.append(
            {
                "invoice": inv.number,
                "patient": inv.patient.full_name,
                "items": [line.description for line in inv.lines],
                "outstanding_cents": inv.total_cents - inv.paid_cents,
                "days_overdue": (today - inv.due_date).days,
            }
        )
    return summary


def invoice_page(clinic_id: int, status: str | None, page: int, per_page: int):
    query = (
        Invoice.query.options(selectinload(Invoice.lines))
        .filter(Invoice.clinic_id == clinic_id)
        .order_by(Invoice.created_at.desc())
    )
    if status:
        query = query.filter(Invoice.status == status)
    return query.paginate(page=page, per_page=per_page, max_per_page=100, error_out=False)
