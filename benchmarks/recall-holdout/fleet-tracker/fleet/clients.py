import httpx

from .settings import Settings


def build_http_client(
    *, base_url: str = "", timeout: float | None, headers: dict[str, str] | None = None
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=timeout,
        headers=headers or {},
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
    )


def build_maps_client(settings: Settings) -> httpx.AsyncClient:
    return build_http_client(
        base_url=settings.maps_base_url,
        timeout=settings.http_timeout_s,
        headers={"X-Api-Key": settings.maps_api_key},
    )


def build_webhook_client(settings: Settings) -> httpx.AsyncClient:
    return build_http_client(
        timeout=None,
        headers={"User-Agent": "fleet-tracker-webhooks/1.4"},
    )
