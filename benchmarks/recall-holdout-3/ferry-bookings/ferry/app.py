import asyncio
import logging
import os

import aiohttp
from aiohttp import web

from ferry.auth import auth_middleware
from ferry.clients import (
    PaymentsClient,
    WeatherClient,
    build_payments_session,
    build_weather_session,
)
from ferry.config import Settings, load_settings
from ferry.db import create_pool
from ferry.repository import (
    BookingRepository,
    CustomerRepository,
    OutboxRepository,
    SailingRepository,
)
from ferry.routes import ROUTE_TABLES
from ferry.services.bookings import BookingService
from ferry import tasks

log = logging.getLogger(__name__)


@web.middleware
async def error_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return web.json_response({"error": "internal error"}, status=500)


async def health(request: web.Request) -> web.Response:
    async with request.app["pool"].acquire() as conn:
        await conn.fetchval("SELECT 1")
    return web.json_response({"status": "ok"})


async def database_ctx(app: web.Application):
    app["pool"] = await create_pool(app["settings"])
    app["sailings"] = SailingRepository(app["pool"])
    app["bookings"] = BookingRepository(app["pool"])
    app["customers"] = CustomerRepository(app["pool"])
    app["outbox"] = OutboxRepository(app["pool"])
    yield
    await app["pool"].close()


async def http_clients_ctx(app: web.Application):
    settings = app["settings"]
    payments_session = build_payments_session(settings)
    weather_session = build_weather_session(settings)
    events_session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5))
    app["payments"] = PaymentsClient(payments_session, settings.payments_base_url)
    app["weather"] = WeatherClient(weather_session, settings.weather_base_url)
    app["events_session"] = events_session
    app["booking_service"] = BookingService(
        settings, app["sailings"], app["bookings"], app["payments"]
    )
    yield
    await payments_session.close()
    await weather_session.close()
    await events_session.close()


async def start_background_tasks(app: web.Application) -> None:
    app["background"] = [
        asyncio.create_task(tasks.expire_holds_forever(app["bookings"])),
        asyncio.create_task(
            tasks.relay_outbox_forever(
                app["outbox"], app["events_session"], os.environ["FERRY_EVENTS_URL"]
            )
        ),
    ]


async def stop_background_tasks(app: web.Application) -> None:
    for task in app["background"]:
        task.cancel()
    await asyncio.gather(*app["background"], return_exceptions=True)


def create_app(settings: Settings | None = None) -> web.Application:
    app = web.Application(
        middlewares=[error_middleware, auth_middleware],
        client_max_size=256 * 1024,
    )
    app["settings"] = settings or load_settings()
    app["login_attempts"] = {}
    app.cleanup_ctx.extend([database_ctx, http_clients_ctx])
    app.on_startup.append(start_background_tasks)
    app.on_cleanup.append(stop_background_tasks)

    app.router.add_get("/health", health)
    for table in ROUTE_TABLES:
        app.add_routes(table)
    return app


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    web.run_app(create_app(), port=int(os.environ.get("PORT", "8080")))
