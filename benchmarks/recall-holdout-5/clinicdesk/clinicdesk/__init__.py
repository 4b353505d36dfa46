import logging

from flask import Flask, jsonify
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from clinicdesk.config import Config
from clinicdesk.extensions import api, celery_init_app, db, limiter, migrate

log = logging.getLogger("clinicdesk")


def create_app(config_object: type[Config] = Config) -> Flask:
    app = Flask(__name__)
    app.config.from_object(config_object)

    db.init_app(app)
    migrate.init_app(app, db)
    limiter.init_app(app)
    api.init_app(app)
    celery_init_app(app)

    from clinicdesk.resources import register_blueprints
    from clinicdesk.cli import register_commands

    register_blueprints(api)
    register_commands(app)
    _register_error_handlers(app)

    @app.get("/healthz")
    def healthz():
        db.session.execute(text("SELECT 1"))
        return {"status": "ok"}

    return app


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        message = (getattr(exc, "data", None) or {}).get("message", exc.description)
        return jsonify(code=exc.code, status=exc.name, message=message), exc.code

    @app.errorhandler(Exception)
    def unhandled(exc: Exception):
        db.session.rollback()
        log.exception("unhandled error")
        return jsonify(code=500, status="Internal Server Error", message=str(exc)), 500
