import logging

import requests
from flask import current_app

log = logging.getLogger(__name__)


def make_telematics_session() -> requests.Session:
    cfg = current_app.config
    session = requests.Session()
    session.headers.update({"X-Api-Key": cfg["TELEMATICS_API_KEY"], "Accept": "application/json"})
    session.base_url = cfg["TELEMATICS_BASE_URL"]
    return session


class TelematicsClient:
    def __init__(self, session: requests.Session):
        self._session = session
        self._base = session.base_url

    def latest_positions(self, serial: str, since_iso: str) -> list[dict]:
        resp = self._session.get(f"{self._base}/devices/{serial}/positions", params={"since": since_iso})
        resp.raise_for_status()
        return resp.json()["positions"]

    def send_immobilize(self, serial: str, reason: str) -> dict:
        while True:
            try:
                resp = self._session.post(
                    f"{self._base}/devices/{serial}/commands",
                    json={"command": "immobilize", "reason": reason},
                    timeout=10,
                )
                resp.raise_for_status()
                return resp.json()
            except requests.RequestException as exc:
                log.warning("immobilize command failed, retrying: %s", exc)
                continue


def telematics_client() -> TelematicsClient:
    """Process-wide client; the underlying Session keeps its connection pool between requests."""
    ext = current_app.extensions
    if "telematics" not in ext:
        ext["telematics"] = TelematicsClient(make_telematics_session())
    return ext["telematics"]
