"""A decorator that refuses a request by its Origin (a CORS allow-list check) checks where the
request comes from, not who sends it: it is no auth check, so its routes are open, not undecided
nor "required". One that also compares a key the caller sends (`X-Partner`) still checks the caller."""
from __future__ import annotations

from pathlib import Path

from tests.endpoint_auth import endpoint_auth


_FILES = {
    "shop/__init__.py": """

        """,
    "shop/utils.py": """
        from functools import wraps

        from flask import abort, current_app, make_response, request


        def cors(f):
            def add_headers(resp, origin):
                resp.headers["Access-Control-Allow-Origin"] = origin
                if allow_headers := request.headers.get("Access-Control-Request-Headers"):
                    resp.headers["Access-Control-Allow-Headers"] = allow_headers
                return resp

            @wraps(f)
            def wrapper(*args, **kwargs):
                origin = request.headers.get("Origin")
                if not origin:
                    origin = request.referrer or "null"
                if request.method == "POST" and origin not in current_app.config["ALLOWED_ORIGINS"]:
                    abort(403)
                return add_headers(make_response(f(*args, **kwargs)), origin)

            return wrapper


        def partner_only(f):
            @wraps(f)
            def wrapper(*args, **kwargs):
                origin = request.headers.get("Origin")
                key = request.headers.get("X-Partner")
                if origin not in current_app.config["PARTNER_ORIGINS"] or key != current_app.config["PARTNER_KEY"]:
                    abort(403)
                return f(*args, **kwargs)

            return wrapper
        """,
    "shop/views.py": """
        from flask import Flask, jsonify

        from shop.utils import cors, partner_only

        app = Flask(__name__)


        @app.route("/menu/<menu_id>", methods=["GET", "OPTIONS"])
        @cors
        def view_menu(menu_id):
            return jsonify({"id": menu_id})


        @app.route("/partner/orders", methods=["POST"])
        @partner_only
        def partner_orders():
            return jsonify([])
        """,
}


def _endpoints(tmp_path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    return endpoint_auth(tmp_path, _FILES)


def test_an_origin_allow_list_check_is_no_auth_check(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    assert found[("GET", "/menu/<menu_id>")][0] == "none"
    assert found[("OPTIONS", "/menu/<menu_id>")][0] == "none"


def test_a_check_that_also_reads_a_caller_key_still_guards(tmp_path: Path) -> None:
    assert _endpoints(tmp_path)[("POST", "/partner/orders")][0] == "required"
