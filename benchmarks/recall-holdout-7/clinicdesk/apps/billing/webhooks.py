"""Inbound webhooks: PayFlow charge events and lab results."""
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.scheduling.models import Appointment

from .models import Invoice, Payment

logger = logging.getLogger(__name__)


def _expected_signature(secret, body):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@csrf_exempt
@require_POST
def payflow_webhook(request):
    signature = request.headers.get("PayFlow-Signature", "")
    expected = _expected_signature(settings.PAYFLOW_WEBHOOK_SECRET, request.body)
    if signature != expected:
        return HttpResponse(status=401)

    event = json.loads(request.body)
    charge = event.get("data", {})
    if event.get("type") == "charge.failed":
        with transaction.atomic():
            payment = Payment.objects.select_for_update().filter(provider_ref=charge.get("id")).first()
            if payment and payment.status != Payment.Status.FAILED:
                payment.status = Payment.Status.FAILED
                payment.save(update_fields=["status"])
                Invoice.objects.filter(pk=payment.invoice_id, status=Invoice.Status.PAID).update(status=Invoice.Status.ISSUED)
    elif event.get("type") == "charge.refunded":
        Payment.objects.filter(provider_ref=charge.get("id")).update(status=Payment.Status.REFUNDED)
    return JsonResponse({"received": True})


@csrf_exempt
@require_POST
def lab_results_webhook(request):
    signature = request.headers.get("X-Lab-Signature", "")
    expected = _expected_signature(settings.LAB_WEBHOOK_SECRET, request.body)
    if not hmac.compare_digest(signature, expected):
        return HttpResponse(status=401)

    try:
        payload = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest("invalid json")

    updated = Appointment.objects.filter(lab_order_ref=payload.get("order_ref", "")).update(
        lab_status=str(payload.get("state", ""))[:32]
    )
    return JsonResponse({"updated": updated})
