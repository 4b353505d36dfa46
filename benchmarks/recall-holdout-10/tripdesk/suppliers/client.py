import logging
from decimal import Decimal

from django.conf import settings

from suppliers.factory import get_session

logger = logging.getLogger(__name__)


class SupplierError(Exception):
    pass


class SupplierClient:
    def __init__(self, code: str) -> None:
        self.code = code
        self.base_url = settings.SUPPLIERS[code]["base_url"]
        self.session = get_session(code)

    def availability(self, route: str, date: str) -> list[dict]:
        resp = self.session.get(f"{self.base_url}/availability", params={"route": route, "date": date})
        if resp.status_code != 200:
            raise SupplierError(f"{self.code} availability failed: {resp.status_code}")
        return resp.json()["departures"]

    def reserve(self, departure_code: str, travellers: list[dict], reference: str) -> str:
        """Both suppliers return the existing reservation when client_reference repeats."""
        payload = {"departure": departure_code, "passengers": travellers, "client_reference": reference}
        logger.info("supplier reserve %s payload=%s", self.code, payload)
        resp = self.session.post(f"{self.base_url}/reservations", json=payload)
        if resp.status_code not in (200, 201):
            raise SupplierError(f"{self.code} reserve failed: {resp.status_code}")
        return resp.json()["reservation_id"]

    def cancel(self, supplier_ref: str) -> None:
        resp = self.session.delete(f"{self.base_url}/reservations/{supplier_ref}")
        if resp.status_code not in (200, 204, 404):
            raise SupplierError(f"{self.code} cancel failed: {resp.status_code}")

    def quote(self, departure_code: str, passengers: int) -> Decimal:
        resp = self.session.get(
            f"{self.base_url}/quotes", params={"departure": departure_code, "pax": passengers}
        )
        if resp.status_code != 200:
            raise SupplierError(f"{self.code} quote failed: {resp.status_code}")
        return Decimal(resp.json()["total"])
