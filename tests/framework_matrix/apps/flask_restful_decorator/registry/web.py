from flask import Flask

from registry.api import api_bp
from registry.api import repositories, status  # noqa: F401  (registers their resources)

application = Flask(__name__)
application.register_blueprint(api_bp, url_prefix="/api")
