from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from litestar import Litestar

from .repositories.bookings import BookingRepository

log = logging.getLogger(__name__)

SWEEP_INTERVAL_SECONDS = 60


async def sweep_no_shows(app: Litestar) -> None:
    while True:
        try:
            async with app.state.db_pool.acquire() as conn:
                released = await BookingRepository(conn).release_no_shows()
                if released:
                    log.info("released %d no-show bookings", released)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("no-show sweep failed; retrying next interval")
        await asyncio.sleep(SWEEP_INTERVAL_SECONDS)


@asynccontextmanager
async def sweeper_lifespan(app: Litestar) -> AsyncGenerator[None, None]:
    task = asyncio.create_task(sweep_no_shows(app))
    try:
        yield
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
