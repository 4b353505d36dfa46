import logging

import requests

logger = logging.getLogger(__name__)


class VatValidationError(Exception):
    pass


class VatValidator:
    """Checks EU VAT numbers against PayGate's VIES proxy."""

    def __init__(self, base_url: str, api_key: str):
        self.base_url = base_url
        self.api_key = api_key

    async def validate(self, country: str, vat_number: str) -> bool:
        resp = requests.get(
            self.base_url,
            params={"country": country, "number": vat_number},
            headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=5,
        )
        if resp.status_code == 404:
            return False
        if not resp.ok:
            raise VatValidationError(f"VAT service returned {resp.status_code}")
        return bool(resp.json().get("valid"))
