import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from .config import Config
from .extensions import cors, db, init_celery, jwt, limiter, migrate

log = logging.getLogger(__name__)


def create_app(config_object=Config) -> Flask:
    app = Flask(__name__)
    app.config.from_object(config_object)

    db.init_app(app)
    migrate.init_app(app, db)
    jwt.init_app(app)
    limiter.init_app(app)
    cors.init_app(app, resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}}, supports_credentials=False)
    init_celery(app)

    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .catalog import bp as catalog_bp
    from .media import bp as media_bp
    from .orders import bp as orders_bp
    from .payments import bp as payments_bp

    app.register_blueprint(auth_bp, url_prefix="/api/auth")
    app.register_blueprint(catalog_bp, url_prefix="/api")
    app.register_blueprint(orders_bp, url_prefix="/api")
    app.register_blueprint(payments_bp, url_prefix="/api")
    app.register_blueprint(media_bp, url_prefix="/api/media")
    app.register_blueprint(admin_bp, url_prefix="/api/admin")

    from .auth.service import load_user_from_jwt  # noqa: F401  (registers the user loader)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        return jsonify(error=exc.name, message=exc.description), exc.code

    @app.errorhandler(Exception)
    def unhandled(exc):
        log.exception("unhandled error")
        return jsonify(error="internal_error", message="Something went wrong"), 500

    @app.get("/healthz")
    def healthz():
        db.session.execute(db.text("SELECT 1"))
        return {"status": "ok"}

    return app
