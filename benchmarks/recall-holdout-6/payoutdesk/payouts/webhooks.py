"""PSP webhooks: transfer outcomes and disputes."""
import hashlib
import hmac
import json
import logging
import time

from django.conf import settings
from django.http import JsonResponse
from django.views import View
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt

from . import services

log = logging.getLogger(__name__)

TOLERANCE_SECONDS = 300


def verify_signature(header: str, body: bytes, secret: str) -> bool:
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        signature = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


@method_decorator(csrf_exempt, name="dispatch")
class PspWebhookView(View):
    def post(self, request):
        if not verify_signature(request.headers.get("Psp-Signature", ""), request.body,
                                settings.PSP_WEBHOOK_SECRET):
            return JsonResponse({"error": "bad_signature"}, status=401)
        try:
            event = json.loads(request.body)
        except ValueError:
            return JsonResponse({"error": "bad_json"}, status=400)

        try:
            services.apply_psp_event(event)
        except Exception:
            log.warning("could not apply PSP event %s (%s)", event.get("id"), event.get("type"))
        return JsonResponse({"received": True})
