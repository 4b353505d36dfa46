import hashlib
import hmac
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from requests import Session
from urllib3.util.retry import Retry

from suppliers.factory import TimeoutHTTPAdapter


class GatewayError(Exception):
    pass


class PayGateClient:
    def __init__(self, session: Session, base_url: str, webhook_secret: str) -> None:
        self.session = session
        self.base_url = base_url
        self.webhook_secret = webhook_secret

    def charge(self, amount: Decimal, card_token: str, idempotency_key: str) -> dict:
        resp = self.session.post(
            f"{self.base_url}/charges",
            json={"amount": str(amount), "currency": "EUR", "source": card_token},
            headers={"Idempotency-Key": idempotency_key},
        )
        if resp.status_code >= 400:
            raise GatewayError(f"charge failed: {resp.status_code}")
        return resp.json()

    def refund(self, charge_id: str, amount: Decimal, idempotency_key: str) -> dict:
        resp = self.session.post(
            f"{self.base_url}/charges/{charge_id}/refunds",
            json={"amount": str(amount)},
            headers={"Idempotency-Key": idempotency_key},
        )
        if resp.status_code >= 400:
            raise GatewayError(f"refund failed: {resp.status_code}")
        return resp.json()

    def verify_signature(self, body: bytes, header: str) -> bool:
        expected = hmac.new(self.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, header)


def build_paygate_session() -> Session:
    conf = settings.PAYMENT_GATEWAY
    session = Session()
    session.headers["Authorization"] = f"Bearer {conf['secret_key']}"
    retry = Retry(total=2, backoff_factor=0.3, status_forcelist=(502, 503), allowed_methods=frozenset({"GET"}))
    session.mount("https://", TimeoutHTTPAdapter(max_retries=retry, timeout=conf["timeout"]))
    return session


@lru_cache(maxsize=1)
def get_gateway() -> PayGateClient:
    conf = settings.PAYMENT_GATEWAY
    return PayGateClient(build_paygate_session(), conf["base_url"], conf["webhook_secret"])
