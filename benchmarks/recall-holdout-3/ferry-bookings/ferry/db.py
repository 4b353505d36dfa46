import asyncpg


async def create_pool(settings) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        dsn=settings.database_dsn,
        min_size=2,
        max_size=20,
        command_timeout=15,
    )
