from flask.views import MethodView
from flask_smorest import Blueprint

blp = Blueprint("pets", __name__, url_prefix="/pets")


@blp.route("/")
class Pets(MethodView):
    def get(self):  # reach: request
        return []

    def post(self):  # reach: request
        return {}, 201
