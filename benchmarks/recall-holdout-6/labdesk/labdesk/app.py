"""Application factory; `python -m labdesk.app` runs it on port 8080."""
from __future__ import annotations

import logging

from aiohttp import web

from labdesk import auth, middlewares
from labdesk.clients import clients_ctx
from labdesk.config import Settings, load_settings
from labdesk.db import pool_ctx
from labdesk.routes import setup_routes
from labdesk.worker import worker_ctx


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or load_settings()
    logging.basicConfig(level=logging.DEBUG if settings.debug else logging.INFO)
    app = web.Application(
        middlewares=[
            middlewares.request_id,
            middlewares.portal_cors,
            middlewares.json_errors,
            auth.bearer_auth,
        ],
        client_max_size=settings.max_upload_bytes,
    )
    app["settings"] = settings
    app.cleanup_ctx.extend([pool_ctx, clients_ctx, worker_ctx])
    setup_routes(app)
    return app


def main() -> None:
    web.run_app(create_app(), port=8080, access_log=None)


if __name__ == "__main__":
    main()
