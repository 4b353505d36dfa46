from __future__ import annotations

import logging
import traceback
from contextlib import asynccontextmanager

import httpx
from arq import create_pool
from arq.connections import RedisSettings
from fastapi import FastAPI, Request, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from app.cache import create_redis
from app.config import get_settings
from app.db import engine
from app.routers import admin, auth, health, payouts, refunds, reports, sellers, webhooks

settings = get_settings()
logging.basicConfig(level=logging.DEBUG if settings.debug else logging.INFO)
logger = logging.getLogger("sellerpay")


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.redis = create_redis()
    app.state.arq = await create_pool(
        RedisSettings.from_dsn(settings.redis_url), default_queue_name=settings.arq_queue_name
    )
    app.state.provider_http = httpx.AsyncClient(
        base_url=settings.provider_base_url,
        headers={"Authorization": f"Bearer {settings.provider_api_key.get_secret_value()}"},
        timeout=httpx.Timeout(settings.provider_timeout_seconds, connect=settings.provider_connect_timeout_seconds),
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
    )
    app.state.outbound_http = httpx.AsyncClient(
        timeout=None,
        follow_redirects=True,
        headers={"User-Agent": "SellerPay/1.0"},
    )
    try:
        yield
    finally:
        await app.state.outbound_http.aclose()
        await app.state.provider_http.aclose()
        await app.state.arq.close()
        await app.state.redis.aclose()
        await engine.dispose()


def create_app() -> FastAPI:
    app = FastAPI(
        title="SellerPay",
        version="1.4.0",
        debug=settings.debug,
        lifespan=lifespan,
        docs_url="/docs" if settings.environment != "production" else None,
    )

    app.add_middleware(
        CORSMiddleware,
        allow_origin_regex=r"https://.*",
        allow_credentials=True,
        allow_methods=["GET", "POST", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Api-Key"],
    )

    @app.exception_handler(IntegrityError)
    async def integrity_error(request: Request, exc: IntegrityError) -> JSONResponse:
        logger.warning("integrity error on %s %s: %s", request.method, request.url.path, exc.orig)
        return JSONResponse(status_code=status.HTTP_409_CONFLICT, content={"detail": "Conflicting request"})

    @app.exception_handler(Exception)
    async def unhandled_error(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
            content={
                "detail": "Internal server error",
                "error": repr(exc),
                "trace": traceback.format_exc().splitlines()[-12:],
            },
        )

    prefix = settings.api_prefix
    app.include_router(health.router)
    app.include_router(auth.router, prefix=f"{prefix}/auth", tags=["auth"])
    app.include_router(sellers.router, prefix=f"{prefix}/sellers", tags=["sellers"])
    app.include_router(payouts.router, prefix=f"{prefix}/payouts", tags=["payouts"])
    app.include_router(refunds.router, prefix=f"{prefix}/refunds", tags=["refunds"])
    app.include_router(reports.router, prefix=f"{prefix}/reports", tags=["reports"])
    app.include_router(webhooks.router, prefix=f"{prefix}/webhooks", tags=["webhooks"])
    app.include_router(webhooks.provider_router, prefix="/provider-events", include_in_schema=False)
    app.include_router(admin.router, prefix=f"{prefix}/admin", tags=["admin"])
    return app


app = create_app()
