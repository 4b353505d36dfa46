"""Builds the outbound HTTP clients once per process (app cleanup_ctx)."""
from __future__ import annotations

import aiohttp
from aiohttp import web

from labdesk import __version__

from .notifier import NotifierClient
from .partner_lab import PartnerLabClient

USER_AGENT = f"labdesk/{__version__}"


def _session(base_url: str, headers: dict, timeout: aiohttp.ClientTimeout, limit: int) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=limit, ttl_dns_cache=300)
    return aiohttp.ClientSession(
        base_url=base_url,
        headers={"User-Agent": USER_AGENT, **headers},
        timeout=timeout,
        connector=connector,
        raise_for_status=False,
    )


async def clients_ctx(app: web.Application):
    settings = app["settings"]
    partner_session = _session(
        settings.partner_base_url,
        {"Authorization": f"Bearer {settings.partner_api_key}"},
        aiohttp.ClientTimeout(total=None, sock_connect=None),
        limit=20,
    )
    notifier_session = _session(
        settings.notifier_base_url,
        {"X-Api-Key": settings.notifier_api_key},
        aiohttp.ClientTimeout(total=10, connect=3),
        limit=10,
    )
    # a plain session for fetching attachment files, which live on other hosts
    files_session = aiohttp.ClientSession(
        headers={"User-Agent": USER_AGENT},
        timeout=aiohttp.ClientTimeout(total=30, connect=5),
    )
    app["partner"] = PartnerLabClient(partner_session)
    app["notifier"] = NotifierClient(notifier_session)
    app["files_http"] = files_session
    try:
        yield
    finally:
        await partner_session.close()
        await notifier_session.close()
        await files_session.close()
