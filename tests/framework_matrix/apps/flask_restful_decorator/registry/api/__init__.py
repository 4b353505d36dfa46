from flask import Blueprint
from flask_restful import Api, Resource

api_bp = Blueprint("api", __name__)
api = Api()
api.init_app(api_bp)


def resource(*urls, **kwargs):  # reach: none
    def wrapper(api_resource):  # reach: none
        api.add_resource(api_resource, *urls, **kwargs)
        return api_resource

    return wrapper


def show_if(value):  # reach: none
    def wrapper(inner):  # reach: none
        return inner if value else None

    return wrapper


class ApiResource(Resource):
    def options(self):  # reach: request
        return None, 200
