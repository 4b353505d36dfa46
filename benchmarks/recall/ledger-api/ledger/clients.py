"""Outbound HTTP clients (FX rates service, payout gateway)."""
import functools
import logging
import random
import time

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

log = logging.getLogger(__name__)

USER_AGENT = "ledger-api/1.7"


class FxUnavailable(Exception):
    pass


def make_client(api_key=None):
    """Build a pooled session with our default headers and idempotent GET retries."""
    session = requests.Session()
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    if api_key:
        session.headers["Authorization"] = f"Bearer {api_key}"
    retry = Retry(
        total=2,
        backoff_factor=0.3,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset({"GET"}),
    )
    adapter = HTTPAdapter(max_retries=retry, pool_maxsize=20)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class FxClient:
    def __init__(self, base_url, session=None):
        self.base_url = base_url.rstrip("/")
        self.session = session or make_client()

    def quote(self, source, target):
        try:
            resp = self.session.get(
                f"{self.base_url}/v1/rates", params={"from": source, "to": target}
            )
            resp.raise_for_status()
        except requests.RequestException as exc:
            raise FxUnavailable(str(exc)) from exc
        return resp.json()["rate"]

    def convert(self, amount, source, target):
        if source == target:
            return amount
        rate = self.quote(source, target)
        return round(float(amount) * rate, 2)


@functools.lru_cache(maxsize=None)
def fx_client(base_url):
    """Process-wide FX client so the connection pool is shared between requests."""
    return FxClient(base_url)


class PayoutGateway:
    """Client for the PSP that executes bank payouts."""

    def __init__(self, base_url, api_key, timeout=(3.05, 15)):
        self.base_url = base_url.rstrip("/")
        self.session = make_client(api_key)
        self.timeout = timeout

    def submit(self, payout):
        resp = self.session.post(
            f"{self.base_url}/v2/payouts",
            json={
                "reference": f"ledger-payout-{payout.id}",
                "amount": str(payout.amount),
                "currency": payout.currency,
                "iban": payout.iban,
            },
            headers={"Idempotency-Key": f"ledger-payout-{payout.id}"},
            timeout=self.timeout,
        )
        resp.raise_for_status()
        return resp.json()

    def submit_with_retry(self, payout, attempts=3):
        for attempt in range(1, attempts + 1):
            try:
                return self.submit(payout)
            except (requests.ConnectionError, requests.Timeout):
                if attempt == attempts:
                    raise
                delay = (2 ** attempt) * 0.5 + random.uniform(0, 0.5)
                log.info("payout %s: gateway unreachable, retrying in %.1fs", payout.id, delay)
                time.sleep(delay)
