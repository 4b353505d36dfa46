import logging

from flask import Flask, jsonify
from redis import Redis
from werkzeug.exceptions import HTTPException

from .config import Config
from .db import close_conn


def create_app(config_object: type = Config) -> Flask:
    app = Flask(__name__)
    app.config.from_object(config_object)
    logging.basicConfig(level=logging.INFO)

    redis = Redis.from_url(app.config["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2)
    app.extensions["redis"] = redis

    from .services import payout_queue

    app.extensions["rq_queue"] = payout_queue(app.config["REDIS_URL"])

    from .views import admin, api, dashboard, webhooks

    for module in (api, admin, dashboard, webhooks):
        app.register_blueprint(module.bp)

    from .cli import payouts_cli

    app.cli.add_command(payouts_cli)
    app.teardown_appcontext(close_conn)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return jsonify({"error": exc.name.lower().replace(" ", "_"), "message": exc.description}), exc.code

    return app
