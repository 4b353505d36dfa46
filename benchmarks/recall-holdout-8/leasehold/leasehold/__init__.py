import logging
import os

from flask import Flask, jsonify, render_template
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import CONFIGS
from .extensions import csrf, db, limiter, login_manager, mail, migrate


def create_app(config_name=None):
    config_name = config_name or os.environ.get("LEASEHOLD_ENV", "production")
    app = Flask(__name__)
    app.config.from_object(CONFIGS[config_name])
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set")

    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    logging.basicConfig(level=logging.DEBUG if app.debug else logging.INFO)

    db.init_app(app)
    migrate.init_app(app, db)
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)

    from .api.views import api_bp
    from .auth.views import auth_bp
    from .cli import register_cli
    from .manage.views import manage_bp
    from .portal.views import portal_bp
    from .utils import register_template_helpers

    csrf.exempt(api_bp)

    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(portal_bp)
    app.register_blueprint(manage_bp, url_prefix="/manage")
    app.register_blueprint(api_bp, url_prefix="/api/v1")

    register_template_helpers(app)
    register_cli(app)
    _register_error_handlers(app)

    @app.get("/healthz")
    @limiter.exempt
    def healthz():
        return jsonify(status="ok")

    return app


def _register_error_handlers(app):
    @app.errorhandler(403)
    def forbidden(_err):
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    def not_found(_err):
        return render_template("errors/404.html"), 404

    @app.errorhandler(500)
    def server_error(_err):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return render_template("errors/500.html"), 500
