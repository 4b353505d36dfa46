import logging
import os

import requests

log = logging.getLogger(__name__)

SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "https://sms.internal.fleetco.net/v1/messages")


def send_pin_sms(email: str, code: str) -> None:
    from .db import SessionFactory
    from .models import Driver, User

    with SessionFactory() as session:
        user = session.query(User).filter_by(email=email).one()
        driver = session.query(Driver).filter_by(user_id=user.id).one_or_none()
        phone = driver.phone if driver else None
    if not phone:
        log.warning("no phone on file for user %s; pin reset SMS not sent", user.id)
        return
    resp = requests.post(
        SMS_GATEWAY_URL,
        json={"to": phone, "text": f"Your Fleet Tracker PIN reset code is {code}"},
        timeout=(3, 10),
    )
    resp.raise_for_status()
    log.info("pin reset SMS queued for user %s", user.id)
