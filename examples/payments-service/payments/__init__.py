from flask import Flask

from payments.config import Config


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.from_object(Config)
    from payments.routes import accounts, charges, reports

    app.register_blueprint(accounts.bp)
    app.register_blueprint(charges.bp)
    app.register_blueprint(reports.bp)
    return app
