"""Ledger API application factory."""
import logging

from flask import Flask, jsonify

from .config import get_config
from .extensions import init_extensions


def create_app(config_object=None):
    app = Flask(__name__)
    app.config.from_object(config_object or get_config())
    if not app.config.get("JWT_SECRET"):
        raise RuntimeError("LEDGER_JWT_SECRET must be set")

    logging.basicConfig(level=logging.INFO)
    init_extensions(app)

    from .admin import admin_bp
    from .api import register_resources
    from .hooks import hooks_bp

    register_resources(app)
    app.register_blueprint(admin_bp)
    app.register_blueprint(hooks_bp)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.errorhandler(500)
    def internal_error(_exc):
        return jsonify(message="internal error"), 500

    return app
