"""Thin client for the PayFlow card gateway."""
import logging
import uuid
from decimal import Decimal

from django.conf import settings

from common.http import build_session

logger = logging.getLogger(__name__)


class GatewayError(Exception):
    def __init__(self, message, retryable=False, status=None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status


class PayFlowGateway:
    api_key = "pf_live_51Hx9QeLk2VbT7sWm4RzC0aYd8NfJ3pUo6GiE"
    api_version = "2024-02-01"

    def __init__(self, base_url=None):
        self.base_url = (base_url or settings.PAYFLOW_BASE_URL).rstrip("/")
        self._session = build_session(retries=0, timeout=(3.05, 20))
        self._session.headers.update(
            {"Authorization": f"Bearer {self.api_key}", "PayFlow-Version": self.api_version}
        )

    @staticmethod
    def _minor_units(amount):
        return int((Decimal(amount) * 100).quantize(Decimal("1")))

    def _post(self, path, payload, idempotency_key=None):
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        response = self._session.post(f"{self.base_url}{path}", json=payload, headers=headers)
        if response.status_code >= 500 or response.status_code == 429:
            raise GatewayError(f"gateway unavailable ({response.status_code})", retryable=True, status=response.status_code)
        if response.status_code >= 400:
            body = response.json()
            raise GatewayError(body.get("error", {}).get("message", "declined"), status=response.status_code)
        return response.json()

    def charge(self, amount, currency, source, description, idempotency_key=None):
        return self._post(
            "/charges",
            {
                "amount": self._minor_units(amount),
                "currency": currency.lower(),
                "source": source,
                "description": description,
            },
            idempotency_key=idempotency_key,
        )

    def refund(self, charge_id, amount):
        return self._post(
            "/refunds",
            {"charge": charge_id, "amount": self._minor_units(amount)},
            idempotency_key=str(uuid.uuid4()),
        )


gateway = PayFlowGateway()
