"""Outbound HTTP sessions for the payment gateway and the screening vendor.

Sessions are built once per process and reused; every request made through
them gets the default timeout from TimeoutHTTPAdapter unless it passes one.
"""
import requests
from flask import current_app
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

_sessions = {}


class TimeoutHTTPAdapter(HTTPAdapter):
    def __init__(self, *args, timeout=10.0, **kwargs):
        self.timeout = timeout
        super().__init__(*args, **kwargs)

    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


def _build_session(timeout, retry_methods, headers):
    session = requests.Session()
    retry = Retry(
        total=3,
        backoff_factor=0.5,
        status_forcelist=(502, 503, 504),
        allowed_methods=retry_methods,
    )
    adapter = TimeoutHTTPAdapter(timeout=timeout, max_retries=retry, pool_maxsize=20)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update(headers)
    return session


def rentpay_session():
    if "rentpay" not in _sessions:
        cfg = current_app.config
        session = _build_session(
            timeout=cfg["HTTP_TIMEOUT"],
            retry_methods=frozenset({"GET"}),
            headers={"Authorization": f"Bearer {cfg['RENTPAY_API_KEY']}", "User-Agent": "leasehold/1.8"},
        )
        session.verify = cfg["RENTPAY_CA_BUNDLE"]
        _sessions["rentpay"] = session
    return _sessions["rentpay"]


def screening_session():
    if "screening" not in _sessions:
        cfg = current_app.config
        session = _build_session(
            timeout=cfg["HTTP_TIMEOUT"],
            retry_methods=frozenset({"GET"}),
            headers={"X-Api-Key": cfg["SCREENING_API_KEY"] or "", "Accept": "application/json"},
        )
        session.verify = False
        _sessions["screening"] = session
    return _sessions["screening"]
