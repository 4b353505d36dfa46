import logging

import aiohttp
import asyncpg
import redis.asyncio as aioredis
from aiohttp import web
from aiojobs.aiohttp import setup as setup_jobs

from . import accounts, attachments, tickets, webhooks, worker
from .config import Settings
from .integrations import CrmClient, Mailer, SlackNotifier, SpamChecker
from .middleware import auth_middleware, error_middleware

log = logging.getLogger(__name__)


async def _init_resources(app: web.Application) -> None:
    settings: Settings = app["settings"]
    app["db"] = await asyncpg.create_pool(
        settings.database_url, min_size=2, max_size=settings.db_pool_max, command_timeout=15
    )
    app["redis"] = aioredis.from_url(
        settings.redis_url, decode_responses=True, socket_timeout=2, socket_connect_timeout=2
    )
    app["http"] = aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=15, connect=3),
        headers={"User-Agent": "ticket-desk/2"},
    )
    app["notifier"] = SlackNotifier(app["http"], settings.slack_webhook_url)
    app["mailer"] = Mailer(app["http"], settings.mail_api_url, settings.mail_api_key)
    app["crm"] = CrmClient(settings.crm_base_url, settings.crm_api_key)
    app["spam"] = SpamChecker(settings.spam_check_url)


async def _close_resources(app: web.Application) -> None:
    await app["http"].close()
    await app["redis"].aclose()
    await app["db"].close()


async def health(request: web.Request) -> web.Response:
    await request.app["db"].fetchval("SELECT 1")
    await request.app["redis"].ping()
    return web.json_response({"status": "ok"})


def create_app(settings: Settings | None = None, *, run_worker: bool = True) -> web.Application:
    settings = settings or Settings.from_env()
    app = web.Application(
        middlewares=[error_middleware, auth_middleware],
        client_max_size=1024 ** 2,
    )
    app["settings"] = settings
    setup_jobs(app, limit=100, pending_limit=1000)
    app.on_startup.append(_init_resources)
    if run_worker:
        app.on_startup.append(worker.start)
        app.on_cleanup.append(worker.stop)
    app.on_cleanup.append(_close_resources)

    app.router.add_get("/healthz", health)
    app.add_routes(tickets.routes)
    accounts.setup_routes(app)
    attachments.setup_routes(app)
    webhooks.setup_routes(app)
    return app
