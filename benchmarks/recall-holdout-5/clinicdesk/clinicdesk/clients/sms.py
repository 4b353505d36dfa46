import logging

import requests
from flask import current_app

from clinicdesk.utils import mask_phone

log = logging.getLogger(__name__)


class SmsError(Exception):
    pass


def send_sms(to: str, body: str) -> str:
    cfg = current_app.config
    resp = requests.post(
        cfg["SMS_API_URL"],
        json={"from": cfg["SMS_SENDER"], "to": to, "text": body},
        headers={"Authorization": f"Token {cfg['SMS_API_TOKEN']}"},
    )
    if resp.status_code >= 400:
        log.warning("sms to %s failed: %s", mask_phone(to), resp.status_code)
        raise SmsError(f"sms provider returned {resp.status_code}")
    message_id = resp.json()["id"]
    log.info("sms queued id=%s to=%s", message_id, mask_phone(to))
    return message_id
