from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, sessionmaker

_engine = None
SessionFactory = sessionmaker(expire_on_commit=False)


class Base(DeclarativeBase):
    pass


def init_engine(url: str):
    global _engine
    _engine = create_engine(url, pool_size=10, max_overflow=5, pool_pre_ping=True)
    SessionFactory.configure(bind=_engine)
    return _engine


def get_engine():
    return _engine


def request_session():
    """One Session per request, closed by the app's teardown hook."""
    from flask import g

    if "db_session" not in g:
        g.db_session = SessionFactory()
    return g.db_session


def close_request_session(exc=None):
    from flask import g

    session = g.pop("db_session", None)
    if session is not None:
        if exc is not None:
            session.rollback()
        session.close()
