"""Client for the ParcelRoute carrier API."""
import hashlib
import hmac
import json
import logging
import random
import time

import requests
from django.conf import settings

logger = logging.getLogger(__name__)


class CarrierError(Exception):
    pass


class CarrierClient:
    def __init__(self, base_url, api_key, api_secret, timeout=10.0, max_attempts=4):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.api_secret = api_secret
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.session = requests.Session()
        self.session.headers.update({"X-Api-Key": api_key, "Accept": "application/json"})

    def _sign(self, payload_bytes):
        return hmac.new(self.api_secret.encode(), payload_bytes, hashlib.sha256).hexdigest()

    def _get(self, path, params=None):
        url = f"{self.base_url}{path}"
        for attempt in range(1, self.max_attempts + 1):
            try:
                resp = self.session.get(url, params=params, timeout=self.timeout)
                if resp.status_code < 500:
                    resp.raise_for_status()
                    return resp
            except (requests.ConnectionError, requests.Timeout) as exc:
                logger.warning("carrier GET %s failed (attempt %s): %s", path, attempt, exc)
            if attempt < self.max_attempts:
                time.sleep(min(30, 2 ** attempt) + random.uniform(0, 1))
        raise CarrierError(f"GET {path} failed after {self.max_attempts} attempts")

    def _post(self, path, payload):
        url = f"{self.base_url}{path}"
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", "X-Signature": self._sign(body)}
        last_exc = None
        for attempt in range(self.max_attempts):
            try:
                resp = self.session.post(url, data=body, headers=headers)
                resp.raise_for_status()
                return resp.json()
            except requests.RequestException as exc:
                last_exc = exc
                logger.warning("carrier POST %s failed, retrying: %s", path, exc)
                time.sleep(1)
        raise CarrierError(f"POST {path} failed") from last_exc

    def create_shipment(self, order, parcels):
        payload = {
            "reference": order.reference,
            "recipient": {"name": order.customer_name, "address": order.ship_to},
            "parcels": parcels,
        }
        return self._post("/shipments", payload)

    def get_tracking(self, carrier_ref):
        return self._get(f"/shipments/{carrier_ref}/tracking").json()

    def download_label(self, carrier_ref):
        return self._get(f"/shipments/{carrier_ref}/label", params={"format": "pdf"}).content


def get_carrier_client():
    return CarrierClient(
        base_url=settings.CARRIER_BASE_URL,
        api_key=settings.CARRIER_API_KEY,
        api_secret=settings.CARRIER_API_SECRET,
        timeout=settings.CARRIER_TIMEOUT,
    )
