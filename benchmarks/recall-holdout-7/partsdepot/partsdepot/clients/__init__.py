"""Outbound clients are built here so configuration lives in one place."""
import requests
from flask import current_app
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

DEFAULT_TIMEOUT = (3.05, 10)


class TimeoutSession(requests.Session):
    """requests.Session that applies a default timeout to every request."""

    def __init__(self, timeout=DEFAULT_TIMEOUT):
        super().__init__()
        self.default_timeout = timeout

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(method, url, **kwargs)


def _session(retries=0, timeout=DEFAULT_TIMEOUT):
    session = TimeoutSession(timeout=timeout)
    if retries:
        retry = Retry(total=retries, backoff_factor=0.5, status_forcelist=(502, 503, 504), allowed_methods={"GET"})
        session.mount("https://", HTTPAdapter(max_retries=retry, pool_maxsize=20))
    session.headers["User-Agent"] = "partsdepot/2.3"
    return session


_clients = {}


def make_client(name):
    """Return the process-wide client for `name`, building it on first use."""
    if name in _clients:
        return _clients[name]
    cfg = current_app.config
    if name == "carrier":
        from .carrier import CarrierClient

        client = CarrierClient(cfg["CARRIER_API_URL"], cfg["CARRIER_API_KEY"], _session(retries=2))
    elif name == "erp":
        from .erp import ErpClient

        client = ErpClient(cfg["ERP_BASE_URL"], cfg["ERP_USERNAME"], cfg["ERP_PASSWORD"], _session(timeout=(5, 30)))
    elif name == "payments":
        from .payments_api import PaymentsClient

        client = PaymentsClient(cfg["PAYMENTS_API_URL"], cfg["PAYMENTS_API_KEY"], _session(timeout=(3.05, 20)))
    elif name == "pricing":
        from .pricing_api import PricingClient

        client = PricingClient(cfg["PRICING_API_URL"], cfg["PRICING_API_TOKEN"])
    else:
        raise KeyError(name)
    _clients[name] = client
    return client
