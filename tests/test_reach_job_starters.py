"""Reach (analysis/reach.py, analysis/callbacks.py, analysis/entry_points.py): work a job hands on
as a callback, a job the `schedule` library runs, a pytest plugin module, and programs run from a
shell without a `__main__` guard."""
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

DEMO = """
    import asyncio
    import threading

    import requests

    def seed_topology(api):
        return requests.post(f"{api}/topology", json={}).json()

    async def simulate(api):
        while True:
            seed_topology(api)
            await asyncio.sleep(5)

    async def guarded(worker, *args):
        try:
            await worker(*args)
        except Exception:
            pass

    def run_loop(api):
        loop = asyncio.new_event_loop()
        loop.create_task(guarded(simulate, api))
        loop.run_forever()

    def launch(api):
        thread = threading.Thread(target=run_loop, args=(api,))
        thread.start()
        return thread
    """


def findings(root: Path, files: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    for rel, text in {"feeds/__init__.py": "", **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(dedent(text))
    report = review(root, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    out: dict[str, list[tuple[str, str]]] = {}
    for f in report.findings:
        out.setdefault(f.location.path, []).append((f.reach, f.held_back))
    return out


def test_work_a_job_hands_on_as_a_callback_is_the_jobs(tmp_path: Path) -> None:
    found = findings(tmp_path, {"feeds/demo.py": DEMO, "feeds/boot.py": """
        from feeds.demo import launch

        def start_demo():
            return launch("http://localhost:8080")
        """})
    [(reach, _)] = found["feeds/demo.py"]
    assert reach == "task"


def test_a_callback_nothing_hands_on_stays_unknown(tmp_path: Path) -> None:
    unreached = DEMO.replace("loop.create_task(guarded(simulate, api))", "loop.create_task(guarded(None, api))")
    found = findings(tmp_path, {"feeds/demo.py": unreached})
    [(reach, _)] = found["feeds/demo.py"]
    assert reach == ""


def test_a_module_importing_pytest_is_test_tooling(tmp_path: Path) -> None:
    plugin = """
        import pytest
        import requests

        @pytest.fixture(scope="session")
        def api_schema(api_root):
            return requests.get(f"{api_root}/docs/api.json").json()
        """
    found = findings(tmp_path, {"feeds/pytest_plugin.py": plugin, "feeds/client.py": CLIENT})
    [(reach, held_back)] = found["feeds/pytest_plugin.py"]
    assert reach == "development" and "pytest" in held_back
    assert all(reach != "development" for reach, _ in found["feeds/client.py"])


def test_a_program_reading_its_command_line_without_a_main_guard_is_a_script(tmp_path: Path) -> None:
    program = """
        import sys
        import requests

        def fetch_tokens(platform):
            return requests.get(f"https://tokens.example.org/{platform}").json()

        if len(sys.argv) != 2:
            sys.exit("usage: regentokens.py PLATFORM")
        tokens = fetch_tokens(sys.argv[1])
        print(len(tokens))
        """
    found = findings(tmp_path, {"scripts/regentokens.py": program})
    [(reach, _)] = found["scripts/regentokens.py"]
    assert reach == "script"


def test_a_file_python_cannot_import_that_runs_its_functions_is_a_script(tmp_path: Path) -> None:
    program = """
        import requests

        def load_releases():
            return requests.get("https://api.github.com/repos/o/r/releases").json()

        def write_changelog():
            print(load_releases())

        write_changelog()
        """
    found = findings(tmp_path, {"scripts/generate-changelog.py": program})
    [(reach, _)] = found["scripts/generate-changelog.py"]
    assert reach == "script"


def test_a_module_reading_the_command_line_only_for_a_setting_is_not_a_script(tmp_path: Path) -> None:
    settings = """
        import sys
        import requests

        TESTING = "test" in sys.argv

        def fetch_remote_flags(url):
            return requests.get(url).json()
        """
    found = findings(tmp_path, {"feeds/config.py": settings})
    [(reach, _)] = found["feeds/config.py"]
    assert reach != "script"


def test_a_function_the_schedule_library_repeats_is_a_job(tmp_path: Path) -> None:
    telemetry = """
        import requests
        import schedule

        @schedule.repeat(schedule.every(2).minutes)
        def upload_telemetry():
            requests.post("https://telemetry.example.org/v1", json={})
        """
    found = findings(tmp_path, {"feeds/telemetry.py": telemetry})
    [(reach, _)] = found["feeds/telemetry.py"]
    assert reach == "task"


def test_a_decorator_named_repeat_from_elsewhere_makes_no_job(tmp_path: Path) -> None:
    retried = """
        import requests
        from feeds.retrying import repeat

        @repeat(times=3)
        def upload_telemetry():
            requests.post("https://telemetry.example.org/v1", json={})
        """
    found = findings(tmp_path, {"feeds/telemetry.py": retried, "feeds/retrying.py": "def repeat(times):\n    return lambda f: f\n"})
    [(reach, _)] = found["feeds/telemetry.py"]
    assert reach != "task"


def test_a_function_a_command_hands_on_is_not_claimed_by_the_command(tmp_path: Path) -> None:
    shared = {
        "feeds/albums.py": """
            import requests

            def regenerate_albums(user):
                return requests.post("https://albums.example.org/regenerate", json={"user": user}).json()
            """,
        "feeds/queue.py": """
            def run_later(function, *args):
                return function(*args)
            """,
        "feeds/views.py": """
            from flask import Flask
            from feeds.albums import regenerate_albums
            from feeds.queue import run_later

            app = Flask(__name__)

            @app.post("/albums/regenerate")
            def regenerate():
                run_later(regenerate_albums, "me")
                return "", 202
            """,
        "feeds/cli.py": """
            import click
            from feeds.albums import regenerate_albums
            from feeds.queue import run_later

            @click.command()
            def regenerate_all():
                run_later(regenerate_albums, "everyone")
            """,
    }
    found = findings(tmp_path, shared)
    [(reach, _)] = found["feeds/albums.py"]
    assert reach != "command"


MAILER = """
    import smtplib

    def send_summary(results):
        smtp = smtplib.SMTP("mail.example.org")
        smtp.sendmail("crawler@example.org", ["ops@example.org"], str(results))
    """


def _crawler(runner: str) -> dict[str, str]:
    return {
        "feeds/mailer.py": MAILER,
        "feeds/runner.py": runner,
        "feeds/cli.py": """
            import click
            from feeds.mailer import send_summary
            from feeds.runner import run_all

            @click.command()
            def crawl():
                run_all(["a", "b"], send_summary)
            """,
    }


def test_work_a_command_hands_to_a_project_function_that_calls_it_is_the_commands(tmp_path: Path) -> None:
    runner = """
        def run_all(hosts, report):
            results = [host.upper() for host in hosts]
            report(results)
        """
    [(reach, _)] = findings(tmp_path, _crawler(runner))["feeds/mailer.py"]
    assert reach == "command"


def test_work_a_command_hands_to_a_project_pool_is_the_commands(tmp_path: Path) -> None:
    runner = """
        from concurrent.futures import ThreadPoolExecutor

        def run_all(hosts, report):
            with ThreadPoolExecutor(4) as pool:
                pool.submit(report, hosts).result()
        """
    [(reach, _)] = findings(tmp_path, _crawler(runner))["feeds/mailer.py"]
    assert reach == "command"


def test_a_function_a_command_hands_to_a_project_registry_is_not_the_commands(tmp_path: Path) -> None:
    # a registry only keeps what it is handed: whoever reads the table later runs it
    runner = """
        REPORTERS = []

        def run_all(hosts, report):
            REPORTERS.append(report)
            return len(hosts)
        """
    [(reach, _)] = findings(tmp_path, _crawler(runner))["feeds/mailer.py"]
    assert reach != "command"


def test_a_function_a_handler_hands_to_a_project_runner_is_on_the_request_path(tmp_path: Path) -> None:
    files = _crawler("""
        def run_all(hosts, report):
            report(hosts)
        """)
    files["feeds/views.py"] = """
        from flask import Flask
        from feeds.mailer import send_summary
        from feeds.runner import run_all

        app = Flask(__name__)

        @app.post("/crawl")
        def crawl_now():
            run_all(["a"], send_summary)
            return "", 204
        """
    [(reach, _)] = findings(tmp_path, files)["feeds/mailer.py"]
    assert reach == "request"
