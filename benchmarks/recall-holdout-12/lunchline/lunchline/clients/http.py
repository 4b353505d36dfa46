import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from lunchline import settings

DEFAULT_TIMEOUT = (settings.HTTP_CONNECT_TIMEOUT, settings.HTTP_READ_TIMEOUT)


class TimeoutHTTPAdapter(HTTPAdapter):
    def __init__(self, *args, timeout=DEFAULT_TIMEOUT, **kwargs):
        self.timeout = timeout
        super().__init__(*args, **kwargs)

    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


def build_session(*, retry=None, timeout=DEFAULT_TIMEOUT, headers=None):
    session = requests.Session()
    adapter = TimeoutHTTPAdapter(max_retries=retry or Retry(total=0), timeout=timeout)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update({"User-Agent": "lunchline/2"})
    if headers:
        session.headers.update(headers)
    return session


def read_retry():
    return Retry(
        total=3,
        backoff_factor=0.5,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
    )
