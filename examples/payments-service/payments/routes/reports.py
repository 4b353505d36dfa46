import os

import yaml
from flask import Blueprint, jsonify, request, send_file

from payments.db import run_report

bp = Blueprint("reports", __name__, url_prefix="/reports")
EXPORT_DIR = "/var/exports"


@bp.route("/charges")
def charges_report():
    status = request.args.get("status", "paid")
    rows = run_report(f"status = '{status}'")
    return jsonify(rows)


@bp.route("/exports/<path:name>")
def download_export(name):
    return send_file(os.path.join(EXPORT_DIR, name))


@bp.route("/rules", methods=["PUT"])
def upload_rules():
    rules = yaml.load(request.data, Loader=yaml.Loader)
    return jsonify({"rules": len(rules)})


if __name__ == "__main__":
    from payments import create_app

    create_app().run(host="0.0.0.0", debug=True)
