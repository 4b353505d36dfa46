import logging

from flask import Flask
from redis import Redis

from .config import get_config
from .db import close_session, init_engine
from .errors import register_error_handlers
from .extensions import api, cors, limiter


def create_app(config_name=None):
    app = Flask(__name__)
    app.config.from_object(get_config(config_name))
    logging.basicConfig(level=logging.DEBUG if app.debug else logging.INFO)

    init_engine(app.config["DATABASE_URL"], echo=app.config.get("SQLALCHEMY_ECHO", False))
    app.teardown_appcontext(close_session)

    app.extensions["redis"] = Redis.from_url(app.config["REDIS_URL"], socket_timeout=2, health_check_interval=30)

    cors.init_app(app, resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}}, supports_credentials=True)
    limiter.init_app(app)
    api.init_app(app)
    register_error_handlers(app)

    from .api import admin, exports, health, invoices, orders, parts, payments, quotes, stock
    from .auth import routes as auth_routes

    for module in (auth_routes, parts, orders, invoices, payments, stock, quotes, admin, exports):
        api.register_blueprint(module.blp)
    app.register_blueprint(health.bp)

    from .cli import register_cli

    register_cli(app)
    return app
