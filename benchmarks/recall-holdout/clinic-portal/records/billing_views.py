import hashlib
import hmac
import json
import logging
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .decorators import clinic_staff_only, require_same_clinic
from .forms import PaymentForm
from .models import Appointment, Invoice, InvoiceLine, LabResult, Patient, Payment

logger = logging.getLogger(__name__)

CONSULT_FEES = {
    "standard": Decimal("65.00"),
    "extended": Decimal("95.00"),
    "follow_up": Decimal("40.00"),
}


def _next_invoice_number() -> str:
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"INV-{stamp}"


@clinic_staff_only
@require_POST
def issue_invoice(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appt = get_object_or_404(
        Appointment.objects.select_related("patient"), pk=appointment_id
    )
    require_same_clinic(request.user, appt.patient)
    if appt.status != Appointment.Status.ATTENDED:
        return HttpResponseBadRequest("appointment not attended")

    invoice = Invoice.objects.create(appointment=appt, number=_next_invoice_number())
    total = Decimal("0.00")
    for code in request.POST.getlist("fee"):
        price = CONSULT_FEES.get(code)
        if price is None:
            continue
        InvoiceLine.objects.create(invoice=invoice, description=code.replace("_", " "), unit_price=price)
        total += price
    discount = Decimal(appt.patient.billing_discount_pct) / 100
    invoice.total = (total * (1 - discount)).quantize(Decimal("0.01"))
    invoice.save(update_fields=["total"])
    appt.status = Appointment.Status.BILLED
    appt.save(update_fields=["status"])
    return redirect("records:invoice", pk=invoice.pk)


@clinic_staff_only
def invoices_json(request: HttpRequest) -> JsonResponse:
    clinic_id = request.user.clinician.clinic_id
    invoices = (
        Invoice.objects.filter(appointment__clinician__clinic_id=clinic_id)
        .select_related("appointment__patient")
        .order_by("-issued_at")
    )
    data = [
        {
            "number": inv.number,
            "patient": inv.appointment.patient.full_name,
            "total": str(inv.total),
            "issued_at": inv.issued_at.isoformat(),
        }
        for inv in invoices
    ]
    return JsonResponse({"invoices": data})


@clinic_staff_only
def record_payment(request: HttpRequest, invoice_id: int) -> HttpResponse:
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            invoice = get_object_or_404(
                Invoice.objects.select_for_update().select_related("appointment__patient"),
                pk=invoice_id,
            )
            require_same_clinic(request.user, invoice.appointment.patient)
            paid = invoice.payments.aggregate(s=Sum("amount"))["s"] or 0
            if paid + form.cleaned_data["amount"] > float(invoice.total):
                messages.error(request, "Payment exceeds the outstanding balance.")
                return redirect("records:invoice", pk=invoice_id)
            payment = form.save(commit=False)
            payment.invoice = invoice
            payment.save()
        return redirect("records:invoice", pk=invoice_id)
    return render(request, "records/payment.html", {"form": form})


@csrf_exempt
@require_POST
def lab_result_webhook(request: HttpRequest) -> HttpResponse:
    signature = request.headers.get("X-Lab-Signature", "")
    expected = hmac.new(
        settings.LAB_WEBHOOK_SECRET.encode(), request.body, hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(signature, expected):
        return HttpResponse(status=401)

    event = json.loads(request.body)
    patient = Patient.objects.filter(national_id=event["patient_national_id"]).first()
    if patient is None:
        logger.warning("lab result %s for unknown patient", event.get("ref"))
        return HttpResponse(status=202)
    LabResult.objects.update_or_create(
        external_ref=event["ref"],
        defaults={
            "patient": patient,
            "test_code": event["test_code"],
            "file_name": f"{patient.pk}/{event['ref']}.pdf",
        },
    )
    return HttpResponse(status=204)
