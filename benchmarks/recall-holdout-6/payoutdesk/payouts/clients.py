"""Outbound clients: the payment service provider and the internal FX service."""
import logging
from decimal import Decimal
from functools import lru_cache

import requests
from django.conf import settings

log = logging.getLogger(__name__)


class PSPError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"PSP {status} {code}: {message}")
        self.status = status
        self.code = code


class PSPClient:
    timeout = (3.05, 20)

    def __init__(self, base_url: str, api_key: str, session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {api_key}", "Accept": "application/json"})

    def _check(self, resp: requests.Response) -> dict:
        if resp.status_code >= 400:
            try:
                body = resp.json()
            except ValueError:
                body = {}
            raise PSPError(resp.status_code, body.get("code", "unknown"), body.get("message", resp.reason))
        return resp.json()

    def create_transfer(self, *, amount: Decimal, currency: str, iban: str, holder: str, reference: str,
                        instant: bool = False, idempotency_key: str | None = None) -> dict:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        payload = {
            "amount": f"{amount:.2f}",
            "currency": currency,
            "destination": {"iban": iban, "holder": holder},
            "reference": reference,
            "speed": "instant" if instant else "standard",
        }
        resp = self.session.post(f"{self.base_url}/v1/transfers", json=payload, headers=headers)
        return self._check(resp)

    def get_transfer(self, transfer_id: str) -> dict:
        resp = self.session.get(f"{self.base_url}/v1/transfers/{transfer_id}", timeout=self.timeout)
        return self._check(resp)

    def cancel_transfer(self, transfer_id: str) -> dict:
        resp = self.session.post(f"{self.base_url}/v1/transfers/{transfer_id}/cancel", timeout=self.timeout)
        return self._check(resp)


class FxClient:
    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()

    def rate(self, base: str, quote: str) -> Decimal:
        resp = self.session.get(f"{self.base_url}/rates/{base}/{quote}", timeout=(2, 5))
        resp.raise_for_status()
        return Decimal(str(resp.json()["rate"]))


@lru_cache(maxsize=1)
def get_psp_client() -> PSPClient:
    return PSPClient(settings.PSP_BASE_URL, settings.PSP_API_KEY)


@lru_cache(maxsize=1)
def get_fx_client() -> FxClient:
    return FxClient(settings.FX_BASE_URL)
