import click
from flask import Flask, g, jsonify, request
from flask.views import MethodView

from notes.api import api_bp
from notes.admin import admin_bp

app = Flask(__name__)
app.register_blueprint(api_bp, url_prefix="/api")
app.register_blueprint(admin_bp)


@app.route("/health")
def health():  # reach: request
    return jsonify(status="ok")


def list_tags():  # reach: request
    return jsonify(tags=load_tags())


def load_tags():  # reach: request
    return ["a", "b"]


app.add_url_rule("/tags", view_func=list_tags, methods=["GET"])


class NoteView(MethodView):
    def get(self, note_id):  # reach: request
        return jsonify(id=note_id)

    def delete(self, note_id):  # reach: request
        return "", 204


app.add_url_rule("/notes/<int:note_id>", view_func=NoteView.as_view("note"))


@app.before_request
def load_user():  # reach: request
    g.user = request.headers.get("X-User")


@app.after_request
def add_headers(response):  # reach: request
    response.headers["X-Frame-Options"] = "DENY"
    return response


@app.teardown_request
def close_db(exc):  # reach: request
    return None


@app.errorhandler(404)
def not_found(error):  # reach: request
    return jsonify(error="not found"), 404


@app.cli.command("purge")
@click.argument("days")
def purge(days):  # reach: command
    purge_older_than(int(days))


def purge_older_than(days):  # reach: command
    return days
