import logging
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.patients.models import Patient
from apps.scheduling.models import Appointment
from common.exceptions import PaymentFailed, ServiceError

from .gateway import GatewayError, gateway
from .models import Invoice, InvoiceLine, Payment, ServicePrice

logger = logging.getLogger(__name__)

PAYMENT_TERMS = timedelta(days=14)


def _next_invoice_number(clinic):
    year = timezone.now().year
    prefix = f"{clinic.slug.upper()[:6]}-{year}-"
    last = Invoice.objects.filter(clinic=clinic, number__startswith=prefix).aggregate(m=Max("number"))["m"]
    seq = int(last.rsplit("-", 1)[-1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def issue_invoice(clinic, patient, appointment_ids, price_code, issued_by):
    price = ServicePrice.objects.get(clinic=clinic, code=price_code)
    with transaction.atomic():
        appointments = list(
            Appointment.objects.select_for_update()
            .filter(pk__in=appointment_ids, patient=patient, practitioner__clinic=clinic, billed=False)
            .select_related("slot")
        )
        if not appointments:
            raise ServiceError("Nothing to invoice.", code="nothing_to_invoice")

        invoice = Invoice.objects.create(
            clinic=clinic,
            patient=patient,
            number=_next_invoice_number(clinic),
            currency=clinic.currency,
            issued_by=issued_by,
        )
        lines = [
            InvoiceLine(
                invoice=invoice,
                appointment=appt,
                description=f"{price.description} ({timezone.localtime(appt.slot.start):%d.%m.%Y})",
                unit_price=price.price,
                tax_rate=price.tax_rate,
            )
            for appt in appointments
        ]
        InvoiceLine.objects.bulk_create(lines)
        Appointment.objects.filter(pk__in=[a.pk for a in appointments]).update(billed=True)

        subtotal = sum((line.amount for line in lines), Decimal("0.00"))
        invoice.subtotal = subtotal
        invoice.total = subtotal
        invoice.status = Invoice.Status.ISSUED
        invoice.issued_at = timezone.now()
        invoice.due_date = (invoice.issued_at + PAYMENT_TERMS).date()
        invoice.save()
    return invoice


def apply_patient_credit(invoice):
    with transaction.atomic():
        patient = Patient.objects.select_for_update().get(pk=invoice.patient_id)
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        usable = min(patient.credit_balance, invoice.total - invoice.credit_applied)
        if usable <= 0:
            return invoice
        patient.credit_balance -= usable
        patient.save(update_fields=["credit_balance"])
        invoice.credit_applied += usable
        invoice.total -= usable
        invoice.save(update_fields=["credit_applied", "total"])
    return invoice


def pay_by_card(invoice, source, idempotency_key):
    if invoice.status not in (Invoice.Status.ISSUED,):
        raise ServiceError("Invoice is not payable.", code="not_payable")
    amount = invoice.balance_due
    payment, created = Payment.objects.get_or_create(
        invoice=invoice,
        provider_ref=f"pending:{idempotency_key}",
        defaults={"amount": amount, "status": Payment.Status.PENDING},
    )
    if not created and payment.status == Payment.Status.SUCCEEDED:
        return payment

    try:
        charge = gateway.charge(
            amount,
            invoice.currency,
            source,
            description=f"Invoice {invoice.number}",
            idempotency_key=f"invoice-{invoice.pk}-{idempotency_key}",
        )
    except GatewayError as exc:
        Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.FAILED)
        raise PaymentFailed(str(exc)) from exc

    with transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(provider_ref=charge["id"], status=Payment.Status.SUCCEEDED)
        if amount >= invoice.balance_due:
            Invoice.objects.filter(pk=invoice.pk).update(status=Invoice.Status.PAID)
    payment.refresh_from_db()
    return payment


def refund_payment(payment, amount, actor):
    amount = Decimal(amount)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("invoice").get(pk=payment.pk)
        if amount <= 0 or amount > payment.amount - payment.refunded_amount:
            raise ServiceError("Refund amount is out of range.", code="bad_refund_amount")

        try:
            gateway.refund(payment.provider_ref, amount)
        except Exception:
            logger.debug("refund call for payment %s did not complete", payment.pk)

        payment.refunded_amount += amount
        if payment.refunded_amount == payment.amount:
            payment.status = Payment.Status.REFUNDED
        payment.save(update_fields=["refunded_amount", "status"])
        invoice = payment.invoice
        invoice.status = (
            Invoice.Status.REFUNDED if payment.status == Payment.Status.REFUNDED else Invoice.Status.PARTIALLY_REFUNDED
        )
        invoice.save(update_fields=["status"])
    logger.info("payment %s refunded %s by user %s", payment.pk, amount, actor.pk)
    return payment

