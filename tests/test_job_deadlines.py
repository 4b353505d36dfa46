"""A missing timeout in a background job the team bounds with a worker-wide time limit, or in
code written to handle the job framework's time-limit exception, is held back as bounded; a job
nobody bounds (or bounds only after an hour) stays a finding."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

CLIENT = """
    import requests

    def fetch_feed(url):
        return requests.get(url).json()
    """

TASKS = """
    from celery import shared_task
    from feeds.client import fetch_feed

    @shared_task
    def refresh(url):
        return fetch_feed(url)
    """

APP_TASKS = """
    from feeds.worker import app
    from feeds.client import fetch_feed

    @app.task
    def refresh(url):
        return fetch_feed(url)
    """


def celery_app(setting: str) -> str:
    return f"""
    from celery import Celery

    app = Celery("feeds")
    app.conf.update({setting}, task_serializer="json")
    """


PLUGINS = """
    import requests
    from billiard.exceptions import SoftTimeLimitExceeded

    class Plugin:
        def start(self):
            try:
                return self.run()
            except Exception as error:
                self.failed(error)

        def failed(self, error):
            if isinstance(error, SoftTimeLimitExceeded):
                return "timed out"
            raise error

        def run(self):
            raise NotImplementedError

    class Lookup(Plugin):
        def run(self):
            return requests.get("https://lookup.example.org/v1").json()
    """

PLUGINS_UNHANDLED = PLUGINS.replace("from billiard.exceptions import SoftTimeLimitExceeded\n", "").replace(
    "isinstance(error, SoftTimeLimitExceeded)", "isinstance(error, TimeoutError)")


def timeouts(root: Path, files: dict[str, str]) -> list[tuple[str, str, str]]:
    for rel, text in {"feeds/__init__.py": "", **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(dedent(text))
    report = review(root, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    return [(f.location.path, f.reach, f.held_back) for f in report.findings if f.concern == "missing-timeout"]


def test_a_worker_wide_time_limit_bounds_every_job_of_the_framework(tmp_path: Path) -> None:
    found = timeouts(tmp_path, {"feeds/client.py": CLIENT, "feeds/tasks.py": APP_TASKS,
                                "feeds/worker.py": celery_app("task_soft_time_limit=120")})
    assert [(path, reach) for path, reach, _ in found] == [("feeds/client.py", "task")]
    assert "stops after a deadline" in found[0][2] and "task_soft_time_limit" in found[0][2]


def test_a_django_setting_bounds_shared_tasks(tmp_path: Path) -> None:
    found = timeouts(tmp_path, {"feeds/client.py": CLIENT, "feeds/tasks.py": TASKS,
                                "feeds/settings.py": "CELERY_TASK_TIME_LIMIT = 5 * 60\n"})
    assert "stops after a deadline" in found[0][2]


def test_no_limit_or_an_hour_long_one_leaves_the_job_unbounded(tmp_path: Path) -> None:
    found = timeouts(tmp_path, {"feeds/client.py": CLIENT, "feeds/tasks.py": TASKS,
                                "feeds/settings.py": "CELERY_TASK_SOFT_TIME_LIMIT = 3600\nOTHER_TIME_LIMIT = 60\n"})
    assert [(path, reach) for path, reach, _ in found] == [("feeds/client.py", "task")]
    assert "deadline" not in found[0][2]


def test_a_worker_wide_limit_read_from_the_environment_bounds_nothing(tmp_path: Path) -> None:
    found = timeouts(tmp_path, {"feeds/client.py": CLIENT, "feeds/tasks.py": TASKS, "feeds/settings.py": """
        import os

        CELERY_TASK_TIME_LIMIT = int(os.environ.get("TASK_TIME_LIMIT", "43200"))
        """})
    assert "deadline" not in found[0][2]


def test_a_time_limit_set_to_none_bounds_nothing(tmp_path: Path) -> None:
    found = timeouts(tmp_path, {"feeds/client.py": CLIENT, "feeds/tasks.py": APP_TASKS,
                                "feeds/worker.py": celery_app("task_time_limit=None")})
    assert "deadline" not in found[0][2]


def test_a_thread_is_not_bounded_by_the_job_frameworks_limit(tmp_path: Path) -> None:
    found = timeouts(tmp_path, {"feeds/client.py": CLIENT, "feeds/worker.py": celery_app("task_time_limit=60"),
                                "feeds/views.py": """
        import threading
        from flask import Flask
        from feeds.client import fetch_feed

        app = Flask(__name__)

        @app.post("/refresh")
        def refresh():
            threading.Thread(target=fetch_feed, args=("https://example.org",)).start()
            return "", 202
        """})
    assert found[0][1] == "task" and "deadline" not in found[0][2]


def test_code_handling_the_time_limit_exception_runs_under_that_limit(tmp_path: Path) -> None:
    # the task that starts the plugin lives outside the reviewed tree; the base class's own
    # handling of SoftTimeLimitExceeded says its template method, and the override it runs, are
    # a job's code under Celery's soft time limit
    found = timeouts(tmp_path, {"feeds/plugins.py": PLUGINS})
    assert [(path, reach) for path, reach, _ in found] == [("feeds/plugins.py", "task")]
    assert "SoftTimeLimitExceeded" in found[0][2] and "stops after a deadline" in found[0][2]


def test_without_that_handling_the_plugin_stays_unknown(tmp_path: Path) -> None:
    found = timeouts(tmp_path, {"feeds/plugins.py": PLUGINS_UNHANDLED})
    assert [(path, reach, held) for path, reach, held in found] == [("feeds/plugins.py", "", "")]
