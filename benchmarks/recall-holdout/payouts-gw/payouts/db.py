from flask import current_app, g
from sqlalchemy import Engine, create_engine

_engine: Engine | None = None


def get_engine() -> Engine:
    global _engine
    if _engine is None:
        _engine = create_engine(
            current_app.config["DATABASE_URL"],
            pool_size=10,
            max_overflow=5,
            pool_pre_ping=True,
            connect_args={"options": "-c statement_timeout=5000"},
        )
    return _engine


def get_conn():
    if "db_conn" not in g:
        g.db_conn = get_engine().connect()
    return g.db_conn


def close_conn(exc: BaseException | None = None) -> None:
    conn = g.pop("db_conn", None)
    if conn is not None:
        if exc is None:
            conn.commit()
        conn.close()
