import logging

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from .gateway import GatewayError, gateway
from .models import Invoice, Payment
from .pdf import render_invoice_pdf

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def render_invoice_pdf_task(invoice_id):
    invoice = Invoice.objects.select_related("clinic", "patient").get(pk=invoice_id)
    path = render_invoice_pdf(invoice)
    Invoice.objects.filter(pk=invoice.pk).update(pdf_file=str(path))


@shared_task(bind=True, max_retries=None)
def charge_saved_card(self, invoice_id):
    invoice = Invoice.objects.select_related("patient").get(pk=invoice_id)
    if invoice.status != Invoice.Status.ISSUED or not invoice.patient.saved_card_token:
        return None
    amount = invoice.balance_due
    try:
        charge = gateway.charge(
            amount,
            invoice.currency,
            invoice.patient.saved_card_token,
            description=f"Invoice {invoice.number} (autopay)",
        )
    except GatewayError as exc:
        logger.warning("autopay for invoice %s failed: %s", invoice.number, exc)
        raise self.retry(exc=exc, countdown=10)

    Payment.objects.create(
        invoice=invoice,
        amount=amount,
        provider_ref=charge["id"],
        status=Payment.Status.SUCCEEDED,
    )
    Invoice.objects.filter(pk=invoice.pk).update(status=Invoice.Status.PAID)
    return charge["id"]


@shared_task
def charge_due_invoices():
    today = timezone.localdate()
    due = Invoice.objects.filter(
        Q(status=Invoice.Status.ISSUED), Q(autopay=True), Q(due_date__lte=today)
    ).values_list("pk", flat=True)[:1000]
    for invoice_id in due:
        charge_saved_card.delay(invoice_id)
    return len(due)
