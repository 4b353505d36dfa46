import logging

from django.conf import settings

from common.http import http

logger = logging.getLogger(__name__)


class SmsError(Exception):
    pass


def send_sms(to, body, reference=None):
    payload = {"to": to, "body": body[:640], "reference": reference}
    response = http.post(
        settings.SMS_GATEWAY_URL,
        json=payload,
        headers={"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
        timeout=5,
    )
    if response.status_code >= 400:
        raise SmsError(f"SMS gateway returned {response.status_code}")
    return response.json().get("id")
