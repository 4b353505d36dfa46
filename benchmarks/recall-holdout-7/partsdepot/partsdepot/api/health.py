from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..db import get_session

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    checks = {}
    try:
        get_session().execute(text("SELECT 1"))
        checks["db"] = "ok"
    except Exception:
        checks["db"] = "down"
    try:
        current_app.extensions["redis"].ping()
        checks["redis"] = "ok"
    except Exception:
        checks["redis"] = "down"
    healthy = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if healthy else "degraded", checks=checks), (200 if healthy else 503)
