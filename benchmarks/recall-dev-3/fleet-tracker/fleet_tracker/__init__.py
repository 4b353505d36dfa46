import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from .config import load_config
from .db import close_request_session, init_engine
from .extensions import limiter
from .services.errors import Conflict, NotFound

log = logging.getLogger(__name__)


def create_app(config_object=None) -> Flask:
    app = Flask(__name__)
    app.config.from_object(config_object or load_config())
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024

    init_engine(app.config["DATABASE_URL"])
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"])
    limiter.init_app(app)
    app.teardown_appcontext(close_request_session)

    from .views import admin, drivers, health, integrations, session, telemetry, trips, vehicles

    for module in (health, session, vehicles, trips, drivers, admin, integrations, telemetry):
        app.register_blueprint(module.bp)

    @app.errorhandler(NotFound)
    def _not_found(exc):
        return jsonify(error="not found"), 404

    @app.errorhandler(Conflict)
    def _conflict(exc):
        return jsonify(error=str(exc)), 409

    @app.errorhandler(Exception)
    def _unhandled(exc):
        if isinstance(exc, HTTPException):
            return exc
        log.exception("unhandled error")
        return jsonify(error="internal error"), 500

    from .cli import register_cli

    register_cli(app)
    return app
