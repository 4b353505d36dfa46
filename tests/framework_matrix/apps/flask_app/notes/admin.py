from flask import Blueprint, jsonify

admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


@admin_bp.get("/stats")
def stats():  # reach: request
    return jsonify({})
