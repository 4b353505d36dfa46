from sqlalchemy import text

from lunchline.db import session


def health():
    session.execute(text("SELECT 1"))
    return {"status": "ok"}, 200
