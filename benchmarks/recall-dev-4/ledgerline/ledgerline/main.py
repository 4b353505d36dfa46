import logging
from contextlib import asynccontextmanager

import httpx
import redis.asyncio as redis
from arq import create_pool
from arq.connections import RedisSettings
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from .config import get_settings
from .db import engine
from .payments.provider import build_payco_client
from .routers import admin, auth, customers, internal, invoices, orgs, payments, public, reports, webhooks

logger = logging.getLogger("ledgerline")


@asynccontextmanager
async def lifespan(app: FastAPI):
    settings = get_settings()
    app.state.http = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.http_timeout_seconds, connect=settings.http_connect_timeout_seconds),
        follow_redirects=False,
        headers={"User-Agent": "ledgerline/1.0"},
    )
    app.state.redis = redis.from_url(
        settings.redis_url, decode_responses=True, socket_timeout=2, socket_connect_timeout=2
    )
    app.state.payco = build_payco_client(settings)
    app.state.arq = await create_pool(RedisSettings.from_dsn(settings.redis_url))
    try:
        yield
    finally:
        await app.state.arq.close()
        await app.state.redis.aclose()
        await app.state.http.aclose()
        await engine.dispose()


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="Ledgerline",
        lifespan=lifespan,
        docs_url="/docs" if settings.environment == "development" else None,
        redoc_url=None,
    )

    @app.exception_handler(Exception)
    async def unhandled(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(status_code=500, content={"detail": "Internal server error"})

    app.include_router(public.router)
    app.include_router(auth.router)
    app.include_router(auth.me_router)
    app.include_router(orgs.router)
    app.include_router(customers.router)
    app.include_router(invoices.router)
    app.include_router(invoices.api_router)
    app.include_router(payments.router)
    app.include_router(reports.router)
    app.include_router(webhooks.router)
    app.include_router(admin.router)
    app.include_router(internal.router)
    return app


app = create_app()
