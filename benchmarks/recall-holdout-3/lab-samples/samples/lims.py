from urllib.parse import quote

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

DEFAULT_TIMEOUT = (3.05, 20)


class TimeoutHTTPAdapter(HTTPAdapter):
    def __init__(self, *args, timeout=DEFAULT_TIMEOUT, **kwargs):
        self._timeout = timeout
        super().__init__(*args, **kwargs)

    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self._timeout
        return super().send(request, **kwargs)


def build_lims_session() -> requests.Session:
    session = requests.Session()
    retry = Retry(
        total=3,
        backoff_factor=0.5,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset({"GET"}),
    )
    adapter = TimeoutHTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update(
        {"Authorization": f"Token {settings.LIMS_API_TOKEN}", "Accept": "application/json"}
    )
    return session


class LimsClient:
    def __init__(self, session: requests.Session | None = None, base_url: str | None = None):
        self.session = session or build_lims_session()
        self.base_url = (base_url or settings.LIMS_BASE_URL).rstrip("/")

    def create_sample(self, payload: dict) -> dict:
        resp = self.session.post(f"{self.base_url}/samples/", json=payload)
        resp.raise_for_status()
        return resp.json()

    def get_sample(self, external_id: str) -> dict:
        resp = self.session.get(f"{self.base_url}/samples/{quote(external_id, safe='')}/")
        resp.raise_for_status()
        return resp.json()


_client = None


def get_client() -> LimsClient:
    global _client
    if _client is None:
        _client = LimsClient()
    return _client
