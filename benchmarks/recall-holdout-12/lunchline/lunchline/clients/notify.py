import logging

import requests

from lunchline import settings

log = logging.getLogger(__name__)


class NotifyError(Exception):
    pass


def _post(path, payload):
    resp = requests.post(
        f"{settings.NOTIFY_BASE_URL}{path}",
        json=payload,
        headers={"Authorization": f"Bearer {settings.NOTIFY_API_TOKEN}"},
    )
    if resp.status_code >= 400:
        raise NotifyError(f"notify {path} returned {resp.status_code}")
    return resp.json()


def send_email(to, template, context):
    return _post("/v1/email", {"to": to, "template": template, "context": context})


def send_sms(phone, text):
    try:
        return _post("/v1/sms", {"to": phone, "text": text})
    except (requests.ConnectionError, NotifyError):
        log.warning("sms to user phone failed, falling back to email only", exc_info=True)
        raise
