"""PayGate REST client. One client per process, built by get_paygate()."""
import hashlib
import hmac
import logging
import os
import time

import requests
from flask import current_app
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

log = logging.getLogger(__name__)


class PayGateError(Exception):
    pass


class PayGateClient:
    def __init__(self, session: requests.Session, base_url: str, api_key: str, timeout=(3.05, 15)):
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session.headers.update({"Authorization": f"Bearer {api_key}", "User-Agent": "pantrypal/1.0"})

    def create_charge(self, amount_minor: int, currency: str, reference: str, customer_email: str) -> dict:
        payload = {
            "amount": amount_minor,
            "currency": currency,
            "reference": reference,
            "receipt_email": customer_email,
            "capture": True,
        }
        resp = self.session.post(f"{self.base_url}/charges", json=payload)
        if resp.status_code >= 400:
            raise PayGateError(f"charge failed: {resp.status_code}")
        return resp.json()

    def refund(self, charge_id: str, amount_minor: int, idempotency_key: str) -> dict:
        resp = self.session.post(
            f"{self.base_url}/charges/{charge_id}/refunds",
            json={"amount": amount_minor},
            headers={"Idempotency-Key": idempotency_key},
            timeout=self.timeout,
        )
        if resp.status_code >= 400:
            raise PayGateError(f"refund failed: {resp.status_code}")
        return resp.json()

    def get_charge(self, charge_id: str) -> dict:
        resp = self.session.get(f"{self.base_url}/charges/{charge_id}", timeout=self.timeout)
        resp.raise_for_status()
        return resp.json()


def verify_webhook(raw_body: bytes, header: str, secret: str, tolerance: int = 300) -> bool:
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        signature = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def build_paygate_client() -> PayGateClient:
    session = requests.Session()
    retry = Retry(total=3, backoff_factor=0.5, status_forcelist=(502, 503, 504), allowed_methods=frozenset({"GET"}))
    session.mount("https://", HTTPAdapter(max_retries=retry, pool_maxsize=20))
    api_key = os.environ.get("PAYGATE_API_KEY", "sk_live_4eC39HqLyjWDarjtT1zdp7dc")
    return PayGateClient(session, current_app.config["PAYGATE_URL"], api_key)


def get_paygate() -> PayGateClient:
    client = current_app.extensions.get("paygate")
    if client is None:
        client = build_paygate_client()
        current_app.extensions["paygate"] = client
    return client
