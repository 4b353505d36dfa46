import logging
from datetime import datetime

import requests
from flask import current_app
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

log = logging.getLogger(__name__)


class LabGatewayError(Exception):
    pass


def build_lab_session(token: str) -> requests.Session:
    session = requests.Session()
    retry = Retry(
        total=3,
        backoff_factor=0.5,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
    )
    session.mount("https://", HTTPAdapter(max_retries=retry, pool_maxsize=10))
    session.headers.update({"Authorization": f"Bearer {token}", "Accept": "application/json"})
    return session


class LabClient:
    _session: requests.Session | None = None

    def __init__(self) -> None:
        cfg = current_app.config
        self.base_url = cfg["LAB_API_URL"].rstrip("/")
        self.timeout = cfg["LAB_TIMEOUT"]
        if LabClient._session is None:
            LabClient._session = build_lab_session(cfg["LAB_API_TOKEN"])
        self.http = LabClient._session

    def results_since(self, clinic_id: int, since: datetime) -> list[dict]:
        resp = self.http.get(
            f"{self.base_url}/clinics/{clinic_id}/results",
            params={"since": since.isoformat(), "limit": 500},
            timeout=self.timeout,
        )
        if resp.status_code != 200:
            raise LabGatewayError(f"lab gateway returned {resp.status_code}")
        return resp.json()["results"]

    def fetch_document(self, url: str) -> dict:
        resp = self.http.get(url, timeout=self.timeout)
        resp.raise_for_status()
        return resp.json()
