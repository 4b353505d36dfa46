from django.conf import settings
from requests import Session
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

DEFAULT_TIMEOUT = (3.05, 20)


class TimeoutHTTPAdapter(HTTPAdapter):
    """HTTPAdapter that applies a default timeout when the caller gives none."""

    def __init__(self, *args, timeout=DEFAULT_TIMEOUT, **kwargs):
        self.timeout = timeout
        super().__init__(*args, **kwargs)

    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


def _base_session(api_key: str) -> Session:
    session = Session()
    session.headers.update({"Authorization": f"Bearer {api_key}", "Accept": "application/json"})
    return session


def build_skyhub_session() -> Session:
    conf = settings.SUPPLIERS["skyhub"]
    retry = Retry(
        total=3,
        backoff_factor=0.5,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset({"GET", "POST"}),
    )
    session = _base_session(conf["api_key"])
    session.mount("https://", TimeoutHTTPAdapter(max_retries=retry, timeout=conf["timeout"]))
    return session


def build_railnet_session() -> Session:
    conf = settings.SUPPLIERS["railnet"]
    retry = Retry(total=3, backoff_factor=0.5, status_forcelist=(502, 503, 504), allowed_methods=frozenset({"GET"}))
    session = _base_session(conf["api_key"])
    session.mount("https://", HTTPAdapter(max_retries=retry, pool_maxsize=20))
    return session


_SESSIONS: dict[str, Session] = {}

BUILDERS = {"skyhub": build_skyhub_session, "railnet": build_railnet_session}


def get_session(code: str) -> Session:
    if code not in _SESSIONS:
        _SESSIONS[code] = BUILDERS[code]()
    return _SESSIONS[code]
