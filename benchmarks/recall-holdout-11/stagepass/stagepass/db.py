from contextlib import contextmanager

from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

_pool = None


def init_pool(settings):
    global _pool
    if _pool is None:
        _pool = ConnectionPool(
            conninfo=settings.database_url,
            min_size=settings.db_pool_min,
            max_size=settings.db_pool_max,
            timeout=5.0,
            kwargs={"row_factory": dict_row, "options": f"-c statement_timeout={settings.db_statement_timeout_ms}"},
            open=True,
        )
    return _pool


class Database:
    """Thin wrapper so services never touch the pool directly."""

    def __init__(self, pool):
        self.pool = pool

    @contextmanager
    def connection(self):
        with self.pool.connection() as conn:
            yield conn

    @contextmanager
    def transaction(self):
        with self.pool.connection() as conn:
            with conn.transaction():
                yield conn

    def ping(self):
        with self.pool.connection() as conn:
            conn.execute("SELECT 1")
