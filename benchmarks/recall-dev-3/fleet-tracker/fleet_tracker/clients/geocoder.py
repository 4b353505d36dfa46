import logging

import httpx
from flask import current_app

log = logging.getLogger(__name__)


def make_geocoder_client() -> httpx.Client:
    cfg = current_app.config
    return httpx.Client(
        base_url=cfg["GEOCODER_BASE_URL"],
        timeout=cfg["GEOCODER_TIMEOUT"],
        headers={"User-Agent": "fleet-tracker/1.4"},
    )


class Geocoder:
    def __init__(self, client: httpx.Client):
        self._client = client

    def lookup(self, address: str) -> tuple[float, float] | None:
        try:
            resp = self._client.get("/v1/search", params={"q": address, "limit": 1})
            resp.raise_for_status()
        except httpx.HTTPError as exc:
            # Trip planning still works without coordinates; the map view just omits the pin.
            log.warning("geocoder lookup failed for trip address: %s", exc)
            return None
        results = resp.json().get("results") or []
        if not results:
            return None
        return results[0]["lat"], results[0]["lon"]

    def close(self) -> None:
        self._client.close()


def geocoder_for_app() -> Geocoder:
    ext = current_app.extensions
    if "geocoder" not in ext:
        ext["geocoder"] = Geocoder(make_geocoder_client())
    return ext["geocoder"]
