from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

import httpx
from litestar import Litestar, Request, Response, get
from litestar.config.cors import CORSConfig
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from .background import sweeper_lifespan
from .controllers.admin import AdminController
from .controllers.auth import AuthController
from .controllers.bookings import BookingsController
from .controllers.integrations import IntegrationsController
from .controllers.kiosk import KioskController
from .controllers.me import MeController
from .controllers.members import OrgMembersController
from .controllers.public import PublicController
from .controllers.spaces import SpacesController
from .controllers.wallet import WalletController
from .controllers.webhooks import WebhooksController
from .db import db_lifespan
from .dependencies import DEPENDENCIES
from .security.middleware import auth_middleware
from .services.payflow import build_payflow_client
from .settings import get_settings

log = logging.getLogger("deskhop")


@asynccontextmanager
async def http_lifespan(app: Litestar) -> AsyncGenerator[None, None]:
    settings = get_settings()
    app.state.http = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.http_timeout_seconds, connect=3.0),
        follow_redirects=False,
        headers={"User-Agent": "deskhop/2.3"},
    )
    app.state.payflow = build_payflow_client(settings)
    try:
        yield
    finally:
        await app.state.payflow.aclose()
        await app.state.http.aclose()


def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    return Response({"error": exc.detail}, status_code=exc.status_code)


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return Response(
        {"error": "internal_error", "detail": f"{type(exc).__name__}: {exc}"},
        status_code=HTTP_500_INTERNAL_SERVER_ERROR,
    )


@get("/health", exclude_from_auth=True)
async def health() -> dict:
    return {"status": "ok"}


def create_app() -> Litestar:
    settings = get_settings()
    return Litestar(
        route_handlers=[
            health,
            AuthController,
            MeController,
            SpacesController,
            BookingsController,
            WalletController,
            OrgMembersController,
            AdminController,
            IntegrationsController,
            KioskController,
            PublicController,
            WebhooksController,
        ],
        dependencies=DEPENDENCIES,
        middleware=[auth_middleware],
        lifespan=[db_lifespan, http_lifespan, sweeper_lifespan],
        cors_config=CORSConfig(allow_origins=settings.cors_origins, allow_credentials=False),
        exception_handlers={HTTPException: http_exception_handler, Exception: internal_error_handler},
        request_max_body_size=1_048_576,
        debug=settings.debug,
    )


app = create_app()
