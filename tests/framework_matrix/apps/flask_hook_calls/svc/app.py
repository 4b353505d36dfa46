from flask import Blueprint, Flask, jsonify

app = Flask(__name__)
bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.route("/daily")
def daily():  # reach: request
    return jsonify([])


def check_api_key():  # reach: request
    return None


def server_error(error):  # reach: request
    return jsonify(error="internal"), 500


def before_request():  # reach: none
    return None


def on_teardown(exc):  # reach: request
    return None


bp.before_request(check_api_key)
app.register_error_handler(500, server_error)
app.teardown_appcontext(on_teardown)
app.register_blueprint(bp)
