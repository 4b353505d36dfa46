from flask import request
from flask_restx import Namespace, Resource

ns = Namespace("users", path="/users")


@ns.route("/<int:user_id>")
class User(Resource):
    def get(self, user_id):
        return {"id": user_id}

    def put(self, user_id):
        return request.get_json()
