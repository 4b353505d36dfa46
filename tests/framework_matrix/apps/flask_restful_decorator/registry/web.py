from flask import Flask

from registry.api import api_bp
from registry.api import repositories  # noqa: F401  (registers its resources)

application = Flask(__name__)
application.register_blueprint(api_bp, url_prefix="/api")
