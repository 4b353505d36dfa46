"""Engine and session handling (one engine per process, one session per request)."""
from contextlib import contextmanager

from flask import g
from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, sessionmaker

_engine = None
SessionLocal = sessionmaker(autoflush=False, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


def init_engine(url, echo=False):
    global _engine
    _engine = create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True, pool_recycle=1800, echo=echo)
    SessionLocal.configure(bind=_engine)
    return _engine


def get_engine():
    return _engine


def get_session():
    if "db_session" not in g:
        g.db_session = SessionLocal()
    return g.db_session


def close_session(exc=None):
    session = g.pop("db_session", None)
    if session is not None:
        if exc is not None:
            session.rollback()
        session.close()


@contextmanager
def session_scope():
    """For the worker and CLI, which run outside a request."""
    session = SessionLocal()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
