"""ShipBridge carrier API: rates, labels and tracking (tracking is XML)."""
import logging

from defusedxml import ElementTree as SafeET

log = logging.getLogger(__name__)

SUPPORTED_CARRIERS = ("dhl", "ups", "dpd")


class CarrierClient:
    def __init__(self, base_url, api_key, session):
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._session.headers["X-Api-Key"] = api_key

    def rate(self, carrier, weight_kg, destination_zip):
        resp = self._session.get(
            f"{self.base_url}/rates/{carrier}", params={"weight": f"{weight_kg:.2f}", "zip": destination_zip}
        )
        resp.raise_for_status()
        return resp.json()

    def create_label(self, order_id, carrier, address, weight_kg):
        resp = self._session.post(
            f"{self.base_url}/labels",
            json={"reference": f"PD-{order_id}", "carrier": carrier, "address": address, "weight": weight_kg},
        )
        resp.raise_for_status()
        body = resp.json()
        return body["tracking_number"], body["label_pdf_url"]

    def download(self, url):
        resp = self._session.get(url)
        resp.raise_for_status()
        return resp.content

    def tracking_status(self, tracking_number):
        resp = self._session.get(f"{self.base_url}/tracking/{tracking_number}", headers={"Accept": "application/xml"})
        resp.raise_for_status()
        root = SafeET.fromstring(resp.content)
        return root.findtext("status"), root.findtext("updated")
