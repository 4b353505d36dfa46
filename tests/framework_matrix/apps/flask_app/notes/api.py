from flask import Blueprint, jsonify

api_bp = Blueprint("api", __name__)


@api_bp.route("/notes", methods=["GET", "POST"])
def notes():  # reach: request
    return jsonify([])
