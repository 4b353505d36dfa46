"""A Flask app factory that registers a `before_request` hook as a closure and lets some views
through by endpoint name (`request.endpoint not in _open_views`): the hook is judged by its own
body, covers every route of the app, and not the views it names; a hook that tests the endpoint
against something the review cannot read decides no route."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_APP = """
    from flask import Flask, redirect, request, session, url_for

    from app import notes

    _open_views = {open_views}


    def create_app() -> Flask:
        app = Flask(__name__)

        @app.before_request
        def load_locale() -> None:
            request.environ.setdefault("LANG", "en")

        @app.before_request
        def require_sign_in():
            if request.endpoint not in _open_views and not session.get("user_id"):
                return redirect(url_for("notes.login"))
            return None

        app.register_blueprint(notes.bp)
        return app
    """

_NOTES = """
    from flask import Blueprint, request, session

    bp = Blueprint("notes", __name__)


    @bp.route("/login", methods=["POST"])
    def login():
        session["user_id"] = request.form["user"]
        return "ok"


    @bp.route("/notes", methods=["POST"])
    def add_note():
        return {"text": request.form["text"]}


    @bp.route("/notes/<int:note_id>", methods=["DELETE"])
    def delete_note(note_id):
        return {"deleted": note_id}


    @bp.route("/feedback", methods=["POST"])
    def feedback():
        return {"thanks": request.form["text"]}
    """


def _endpoints(root: Path, open_views: str) -> dict[tuple[str, str], tuple[str, str]]:
    for rel, text in {"app/__init__.py": "", "app/factory.py": _APP.format(open_views=open_views),
                      "app/notes.py": _NOTES}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(dedent(text), encoding="utf-8")
    report = review(root, replace(Settings(use_cache=False), profile="extended"))
    return {(e.method, e.path): (e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints}


def test_a_closure_hook_in_the_factory_guards_the_app_but_the_views_it_names(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, '["notes.login", "notes.feedback", "static"]')
    auth, evidence = found[("POST", "/notes")]
    assert auth == "required" and "require_sign_in" in evidence
    assert found[("DELETE", "/notes/<int:note_id>")][0] == "required"
    assert found[("POST", "/feedback")][0] == "none"  # let through by name
    assert found[("POST", "/login")][0] != "required"


def test_a_hook_whose_exemptions_cannot_be_read_decides_no_route(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, 'load_open_views_from_config()')
    assert found[("POST", "/notes")][0] == "none"
    assert found[("DELETE", "/notes/<int:note_id>")][0] == "none"
