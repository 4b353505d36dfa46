import logging
from decimal import Decimal
from typing import Optional

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

log = logging.getLogger(__name__)


class BankError(Exception):
    pass


class BankClient:
    def __init__(self, base_url: str, client_id: str, client_secret: str, timeout=(3.05, 20)) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.auth = (client_id, client_secret)
        retry = Retry(
            total=5,
            backoff_factor=0.5,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=None,
            raise_on_status=False,
        )
        self.session.mount("https://", HTTPAdapter(max_retries=retry, pool_maxsize=20))

    def create_transfer(
        self, payout_id: int, iban: str, bic: Optional[str], name: str, amount: Decimal, currency: str
    ) -> str:
        resp = self.session.post(
            f"{self.base_url}/transfers",
            json={
                "end_to_end_id": f"PGW{payout_id:012d}",
                "creditor": {"name": name, "iban": iban, "bic": bic},
                "amount": str(amount),
                "currency": currency,
            },
        )
        if resp.status_code >= 400:
            raise BankError(f"transfer rejected: {resp.status_code}")
        return resp.json()["transfer_id"]

    def transfer_status(self, bank_ref: str) -> str:
        resp = self.session.get(f"{self.base_url}/transfers/{bank_ref}", timeout=self.timeout)
        resp.raise_for_status()
        return resp.json()["status"]


_client: Optional[BankClient] = None


def bank_client(config) -> BankClient:
    global _client
    if _client is None:
        _client = BankClient(
            config["BANK_API_URL"],
            config["BANK_CLIENT_ID"],
            config["BANK_CLIENT_SECRET"],
            timeout=config["BANK_TIMEOUT"],
        )
    return _client
