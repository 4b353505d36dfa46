from flask import Blueprint, jsonify
from sqlalchemy import text

from ..db import request_session

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    request_session().execute(text("SELECT 1"))
    return jsonify(status="ok")
