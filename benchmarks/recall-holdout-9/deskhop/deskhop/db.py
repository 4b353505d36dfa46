from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

import asyncpg
from litestar import Litestar
from litestar.datastructures import State

from .settings import get_settings


@asynccontextmanager
async def db_lifespan(app: Litestar) -> AsyncGenerator[None, None]:
    settings = get_settings()
    pool = await asyncpg.create_pool(
        settings.database_dsn,
        min_size=settings.db_pool_min,
        max_size=settings.db_pool_max,
        command_timeout=15,
    )
    app.state.db_pool = pool
    try:
        yield
    finally:
        await pool.close()


async def provide_db(state: State) -> AsyncGenerator[asyncpg.Connection, None]:
    async with state.db_pool.acquire() as conn:
        yield conn
