"""asyncpg pool lifecycle."""
from __future__ import annotations

import json

import asyncpg
from aiohttp import web


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def pool_ctx(app: web.Application):
    settings = app["settings"]
    app["db"] = await asyncpg.create_pool(
        dsn=settings.database_dsn,
        min_size=settings.db_pool_min,
        max_size=settings.db_pool_max,
        command_timeout=15,
        init=_init_connection,
    )
    try:
        yield
    finally:
        await app["db"].close()
