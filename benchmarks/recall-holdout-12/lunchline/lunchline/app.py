import logging
from pathlib import Path

import connexion
from flask import g, request
from flask_cors import CORS
from werkzeug.exceptions import HTTPException

from lunchline import settings
from lunchline.db import remove_session, session
from lunchline.services import ServiceError

SPEC_DIR = Path(__file__).resolve().parent.parent / "openapi"

log = logging.getLogger("lunchline")
access_log = logging.getLogger("lunchline.access")


def handle_service_error(exc):
    session.rollback()
    return {"error": exc.code, "message": exc.message}, exc.status


def handle_unexpected(exc):
    if isinstance(exc, HTTPException):
        return exc
    session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    return {"error": "internal_error", "message": "Something went wrong. Please try again."}, 500


def _access_log(response):
    principal = g.get("principal")
    access_log.info(
        "%s %s %s user=%s",
        request.method, request.path, response.status_code,
        principal.user_id if principal else "-",
    )
    return response


def create_app():
    logging.basicConfig(level=logging.DEBUG if settings.DEBUG else logging.INFO)
    cx = connexion.App(__name__, specification_dir=str(SPEC_DIR), options={"swagger_ui": settings.DEBUG})
    cx.add_api("lunchline.yaml", strict_validation=True, validate_responses=False, pythonic_params=True)
    cx.add_error_handler(ServiceError, handle_service_error)
    cx.add_error_handler(Exception, handle_unexpected)

    app = cx.app
    app.config["MAX_CONTENT_LENGTH"] = settings.MAX_BODY_BYTES
    CORS(app, origins=settings.CORS_ORIGINS, supports_credentials=False, max_age=600)
    app.after_request(_access_log)
    app.teardown_appcontext(remove_session)
    return cx


application = create_app().app
