"""Reach follows calls that dispatch on the object's class (analysis/dispatch.py)."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

PLUGINS = {
    "svc/__init__.py": "",
    "svc/runners/__init__.py": """
        class BaseQueryRunner:
            def run_query(self, query):
                raise NotImplementedError
        """,
    "svc/runners/http.py": """
        import requests
        from svc.runners import BaseQueryRunner

        class HttpRunner(BaseQueryRunner):
            def run_query(self, query):
                return requests.get("https://metrics.example.com/q", params={"q": query}).json()
        """,
    "svc/notify.py": """
        import requests

        class Notifier:
            def send(self, text):
                raise NotImplementedError

        class SlackNotifier(Notifier):
            def send(self, text):
                requests.post("https://hooks.slack.example/x", json={"text": text})
        """,
    "svc/registry.py": """
        def runner_for(kind):
            from svc.runners.http import HttpRunner
            return {"http": HttpRunner}[kind]()
        """,
    "svc/views.py": """
        from flask import Flask, request
        from svc.registry import runner_for

        app = Flask(__name__)

        @app.route("/query", methods=["POST"])
        def query():
            query_runner = runner_for(request.json["kind"])
            return query_runner.run_query(request.json["query"])

        @app.route("/ping")
        def ping():
            client = make_client()
            return client.send("ping")
        """,
}


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(dedent(text))
    return root


def _reach_by_file(root: Path) -> dict[str, str]:
    report = review(root, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    return {f.location.path: f.reach for f in report.findings}


def test_a_call_on_a_plugin_object_reaches_the_family_its_name_names(tmp_path: Path) -> None:
    found = _reach_by_file(_write(tmp_path, PLUGINS))
    # `query_runner.run_query()`: the one family whose root class is named for it
    assert found["svc/runners/http.py"] == "request"
    # `client.send()`: the receiver's name does not name `Notifier`, so nothing is guessed
    assert found["svc/notify.py"] == ""


def _template_method_service() -> dict[str, str]:
    """The plugins plus a base-class template method (`run` -> `self.run_query`) a Flask route calls."""
    files = dict(PLUGINS)
    files["svc/runners/__init__.py"] = """
        class BaseQueryRunner:
            def run(self, query):
                return self.run_query(query)

            def run_query(self, query):
                raise NotImplementedError
        """
    files["svc/views.py"] = """
        from flask import Flask, request
        from svc.runners.http import HttpRunner

        app = Flask(__name__)

        @app.route("/query", methods=["POST"])
        def query():
            return HttpRunner().run(request.json["query"])
        """
    return files


def test_a_template_method_reaches_the_overrides(tmp_path: Path) -> None:
    files = _template_method_service()
    assert _reach_by_file(_write(tmp_path, files))["svc/runners/http.py"] == "request"


def test_overrides_are_found_when_the_review_starts_inside_the_package(tmp_path: Path) -> None:
    # the reviewed directory is `svc/` itself: its classes are keyed `runners.BaseQueryRunner`,
    # while the subclass names its base by the import path `svc.runners.BaseQueryRunner`
    files = _template_method_service()
    root = _write(tmp_path, files) / "svc"
    assert _reach_by_file(root)["runners/http.py"] == "request"
