import logging
import traceback
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from app.config import get_settings
from app.db import engine
from app.routers import account, admin, auth, checkout, health, invoices, plans, subscriptions, webhooks

logger = logging.getLogger("subscriptions")


@asynccontextmanager
async def lifespan(app: FastAPI):
    settings = get_settings()
    app.state.http = httpx.AsyncClient(
        base_url=settings.payments_base_url,
        timeout=httpx.Timeout(10.0, connect=3.0),
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
    )
    try:
        yield
    finally:
        await app.state.http.aclose()
        await engine.dispose()


async def unhandled_exception(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse(
        status_code=500,
        content={
            "detail": "internal server error",
            "error": repr(exc),
            "trace": traceback.format_exception(type(exc), exc, exc.__traceback__)[-3:],
        },
    )


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="subscriptions-svc",
        version="1.4.0",
        lifespan=lifespan,
        docs_url=None if settings.environment == "production" else "/docs",
        redoc_url=None,
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
    )
    app.add_exception_handler(Exception, unhandled_exception)

    app.include_router(health.router)
    for module in (auth, account, plans, subscriptions, checkout, invoices, admin, webhooks):
        app.include_router(module.router, prefix="/v1")
    return app


app = create_app()
