"""A handler whose own credential check runs only while a setting is on (`if args.metrics_auth_token:`
around the bearer comparison) refuses nobody in a deployment that leaves the setting empty: its
route is required only when configured, not "required". The same comparison run on every request
still requires the credential."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_APP = """
        from flask import Blueprint, Flask, abort, jsonify, request


        def create_app(args):
            app = Flask(__name__)
            bp = Blueprint("main", __name__)

            @bp.route("/metrics")
            def metrics():
                if args.metrics_auth_token:
                    authorization = request.headers.get("Authorization")
                    if authorization != "Bearer " + args.metrics_auth_token:
                        abort(401)
                return jsonify({})

            @bp.route("/admin/stats")
            def stats():
                authorization = request.headers.get("Authorization")
                if authorization != "Bearer " + args.admin_token:
                    abort(401)
                return jsonify({})

            app.register_blueprint(bp)
            return app
    """


def test_a_credential_check_a_setting_switches_on_is_required_only_when_configured(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "__init__.py").write_text("")
    (tmp_path / "svc" / "app.py").write_text(dedent(_APP), encoding="utf-8")
    report = review(tmp_path, Settings(use_cache=False))
    found = {e.path: (e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints}
    assert found["/metrics"][0] == "unknown" and "only when configured" in found["/metrics"][1]
    assert found["/admin/stats"][0] == "required"
