import httpx

DEFAULT_TIMEOUT = httpx.Timeout(5.0, connect=2.0)


def post_json(url: str, payload: dict, headers: dict | None = None) -> httpx.Response:
    with httpx.Client(timeout=DEFAULT_TIMEOUT, follow_redirects=False) as client:
        return client.post(url, json=payload, headers=headers or {})
