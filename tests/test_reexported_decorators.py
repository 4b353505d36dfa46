"""A project decorator imported through a sibling module that only re-exports it
(`from app.flask_app import login_optionally_required`, defined in `app.auth_decorator`) is
the project's function, read like one imported from where it is defined."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_FILES = {
    "watcher/__init__.py": "",
    "watcher/auth_decorator.py": """
        from functools import wraps
        from flask import current_app, request
        from flask_login import current_user


        def login_optionally_required(func):
            @wraps(func)
            def decorated_view(*args, **kwargs):
                if current_app.config.get("LOGIN_DISABLED"):
                    return func(*args, **kwargs)
                if not current_user.is_authenticated:
                    return current_app.login_manager.unauthorized()
                return func(*args, **kwargs)
            return decorated_view
        """,
    "watcher/flask_app.py": """
        from flask import Flask

        app = Flask(__name__)

        from watcher.auth_decorator import login_optionally_required
        """,
    "watcher/tags.py": """
        from flask import Blueprint, jsonify
        from watcher.flask_app import login_optionally_required
        from watcher.flask_app import cache_required


        def construct_blueprint(datastore):
            bp = Blueprint("tags", __name__)

            @bp.route("/tags/delete_all", methods=["POST"])
            @login_optionally_required
            def delete_all():
                datastore.clear()
                return jsonify({})

            @bp.route("/tags/list")
            @cache_required
            def tags_list():
                return jsonify(datastore.tags())

            return bp
        """,
    "watcher/direct.py": """
        from flask import Blueprint, jsonify
        from watcher.auth_decorator import login_optionally_required

        bp = Blueprint("direct", __name__)


        @bp.route("/settings", methods=["POST"])
        @login_optionally_required
        def settings_page():
            return jsonify({})
        """,
}


def _auth(tmp_path: Path) -> dict[str, tuple[str, str]]:
    for rel, text in _FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    return {e.handler.rsplit(".", 1)[-1]: (e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints}


def test_a_decorator_re_exported_by_a_sibling_module_is_read_where_it_is_defined(tmp_path: Path) -> None:
    auth = _auth(tmp_path)
    assert auth["settings_page"][0] == "required"  # imported from where it is defined
    assert auth["delete_all"][0] == "required", auth["delete_all"]  # through the re-export
    assert "library" not in auth["delete_all"][1]


def test_a_name_the_sibling_neither_defines_nor_imports_stays_unread(tmp_path: Path) -> None:
    auth = _auth(tmp_path)
    assert auth["tags_list"][0] == "unknown"  # `cache_required`: nothing of that name in the project
