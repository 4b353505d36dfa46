from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, scoped_session, sessionmaker

from lunchline import settings

engine = create_engine(
    settings.DATABASE_URL,
    pool_size=settings.DB_POOL_SIZE,
    pool_pre_ping=True,
    connect_args={"options": f"-c statement_timeout={settings.DB_STATEMENT_TIMEOUT_MS}"},
)

SessionFactory = sessionmaker(bind=engine, expire_on_commit=False)
session = scoped_session(SessionFactory)


class Base(DeclarativeBase):
    pass


@contextmanager
def transaction(db=None):
    db = db if db is not None else session
    try:
        yield db
        db.commit()
    except Exception:
        db.rollback()
        raise


def remove_session(exc=None):
    session.remove()
