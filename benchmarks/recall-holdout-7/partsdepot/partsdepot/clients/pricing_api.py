"""Dynamic pricing service (contract prices, volume breaks)."""
import logging

import requests

log = logging.getLogger(__name__)


class PricingError(Exception):
    pass


class PricingClient:
    def __init__(self, base_url, token):
        self.base_url = base_url.rstrip("/")
        self.token = token

    def contract_prices(self, account_id, skus):
        response = requests.post(
            f"{self.base_url}/v2/contract-prices",
            json={"account_id": account_id, "skus": list(skus)},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        if response.status_code != 200:
            raise PricingError(f"pricing service returned {response.status_code}")
        return {row["sku"]: row["price"] for row in response.json()["prices"]}
