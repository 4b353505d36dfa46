import logging
from urllib.parse import quote

import httpx

from app.clients import get_client

log = logging.getLogger(__name__)


class CarrierError(Exception):
    pass


class CarrierClient:
    def __init__(self, client: httpx.AsyncClient | None = None) -> None:
        self._http = client or get_client("carrier")

    async def create_label(self, *, order_ref: str, address: str, weight_grams: int) -> dict:
        resp = await self._http.post(
            "/labels",
            json={"reference": order_ref, "to": address, "weight_g": weight_grams, "format": "pdf"},
            headers={"Idempotency-Key": f"label-{order_ref}"},
        )
        if resp.is_error:
            raise CarrierError(f"label creation failed: {resp.status_code}")
        return resp.json()

    async def download_label(self, label_id: str) -> bytes:
        resp = await self._http.get(f"/labels/{quote(label_id, safe='')}/pdf")
        resp.raise_for_status()
        return resp.content
