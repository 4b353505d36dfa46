"""On-prem ERP (orders and customer master data)."""
import logging

log = logging.getLogger(__name__)


class ErpError(Exception):
    pass


class ErpClient:
    def __init__(self, base_url, username, password, session):
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.session.auth = (username, password)
        # The ERP appliance ships with its own certificate.
        self.session.verify = False

    def push_order(self, order):
        payload = {
            "customer": order.account_id,
            "external_ref": f"PD-{order.id}",
            "reference": order.reference,
            "lines": [
                {"item": line.part.sku, "qty": line.quantity, "price": str(line.unit_price)} for line in order.lines
            ],
        }
        response = self.session.post(f"{self.base_url}/api/sales-orders", json=payload)
        if response.status_code >= 400:
            raise ErpError(f"ERP rejected order {order.id}: {response.status_code}")
        return response.json().get("document_no")

    def customer(self, code):
        response = self.session.get(f"{self.base_url}/api/customers/{code}")
        response.raise_for_status()
        return response.json()
