import logging
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from meterly.config import get_settings
from meterly.db import engine
from meterly.redis_client import build_redis
from meterly.routers import admin, auth, health, invoices, keys, orgs, reports, usage, wallet, webhooks
from meterly.services.payments import build_paybridge_client

log = logging.getLogger("meterly")


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.http = httpx.AsyncClient(
        timeout=httpx.Timeout(10.0, connect=3.0),
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        follow_redirects=False,
    )
    app.state.redis = build_redis()
    app.state.paybridge = build_paybridge_client()
    try:
        yield
    finally:
        await app.state.paybridge.http.aclose()
        await app.state.http.aclose()
        await app.state.redis.aclose()
        await engine.dispose()


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(title="meterly", debug=settings.debug, lifespan=lifespan)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
        allow_headers=["authorization", "content-type", "idempotency-key", "x-api-key"],
    )

    @app.exception_handler(Exception)
    async def unhandled(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            status_code=500,
            content={"detail": "internal server error", "error": repr(exc), "path": request.url.path},
        )

    api_prefix = "/api/v1"
    app.include_router(health.router)
    app.include_router(auth.router, prefix=api_prefix)
    app.include_router(usage.router, prefix=api_prefix)
    app.include_router(usage.ingest_router, prefix=api_prefix)
    app.include_router(invoices.router, prefix=api_prefix)
    app.include_router(wallet.router, prefix=api_prefix)
    app.include_router(orgs.router, prefix=api_prefix)
    app.include_router(keys.router, prefix=api_prefix)
    app.include_router(webhooks.router, prefix=api_prefix)
    app.include_router(webhooks.provider_router, prefix=api_prefix)
    app.include_router(admin.router, prefix=api_prefix)
    app.include_router(admin.ops_router, prefix=api_prefix)
    app.include_router(reports.router, prefix=api_prefix)
    return app


app = create_app()
