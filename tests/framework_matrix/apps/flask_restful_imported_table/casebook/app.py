from flask import Flask
from flask_restful import Api

from casebook.api.routes import API_ROUTES as V1_ROUTES


def create_app():
    app = Flask(__name__)
    api_v1 = Api(app, prefix="/api/v1")
    for route in V1_ROUTES:
        api_v1.add_resource(*route)
    return app
