from flask.views import MethodView
from flask_smorest import Blueprint, abort

blp = Blueprint("pets", __name__, url_prefix="/pets")


@blp.route("/")
class Pets(MethodView):
    def get(self):
        return []

    def post(self, new_pet):
        return new_pet


@blp.route("/<int:pet_id>")
class PetById(MethodView):
    def delete(self, pet_id):
        abort(404)
