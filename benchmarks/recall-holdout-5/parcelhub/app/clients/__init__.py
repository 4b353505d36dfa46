"""Shared httpx clients: built once in app.main.lifespan / worker startup, closed on shutdown."""
import httpx

from app.config import get_settings

_settings = get_settings()
_clients: dict[str, httpx.AsyncClient] = {}


def default_timeout() -> httpx.Timeout:
    return httpx.Timeout(
        _settings.http_timeout_seconds, connect=_settings.http_connect_timeout_seconds
    )


def build_client(
    name: str,
    *,
    base_url: str = "",
    headers: dict[str, str] | None = None,
    timeout: httpx.Timeout | None = None,
) -> httpx.AsyncClient:
    client = httpx.AsyncClient(
        base_url=base_url,
        headers={"User-Agent": "parcelhub/0.14", **(headers or {})},
        timeout=timeout,
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
        follow_redirects=False,
    )
    _clients[name] = client
    return client


def init_clients() -> None:
    build_client(
        "payments",
        base_url=_settings.payments_base_url,
        headers={"Authorization": f"Bearer {_settings.payments_api_key.get_secret_value()}"},
        timeout=default_timeout(),
    )
    # label rendering on the carrier side can take a while for multi-parcel shipments
    build_client(
        "carrier",
        base_url=_settings.carrier_base_url,
        headers={"X-Api-Key": _settings.carrier_api_key.get_secret_value()},
    )
    build_client("webhooks", timeout=httpx.Timeout(5.0, connect=2.0))


def get_client(name: str) -> httpx.AsyncClient:
    return _clients[name]


async def close_clients() -> None:
    for client in _clients.values():
        await client.aclose()
    _clients.clear()
