"""Where code runs when a request hands work to a job queue or a background thread, and when
something nothing was found to reach also calls it."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

MODELS = """
    from django.db import models

    class Project(models.Model):
        name = models.CharField(max_length=80)

    class Ticket(models.Model):
        project = models.ForeignKey(Project, on_delete=models.CASCADE)
        title = models.CharField(max_length=200)
    """

IMPORTER = """
    from tracker.models import Project, Ticket

    class CsvImporter:
        def __init__(self, user):
            self.user = user

        def import_rows(self, rows):
            project = Project.objects.create(name="imported")
            for row in rows:
                Ticket.objects.create(project=project, title=row["title"])
            return project
    """

TASKS = """
    from celery import shared_task
    from tracker.importer import CsvImporter

    @shared_task
    def import_tickets(user_id, rows):
        importer = CsvImporter(user_id)
        importer.import_rows(rows)
    """

VIEWS_DEFERRED = """
    from django.conf import settings
    from django.http import JsonResponse
    from rest_framework.decorators import api_view
    from tracker import tasks
    from tracker.importer import CsvImporter

    @api_view(["POST"])
    def start_import(request):
        rows = request.data["rows"]
        if settings.CELERY_ENABLED:
            job = tasks.import_tickets.delay(request.user.id, rows)
            return JsonResponse({"job": job.id}, status=202)
        importer = CsvImporter(request.user)
        project = importer.import_rows(rows)
        return JsonResponse({"project": project.id})
    """

VIEWS_INLINE = """
    from django.http import JsonResponse
    from rest_framework.decorators import api_view
    from tracker.importer import CsvImporter

    @api_view(["POST"])
    def start_import(request):
        importer = CsvImporter(request.user)
        project = importer.import_rows(request.data["rows"])
        return JsonResponse({"project": project.id})
    """

VIEWS_THREAD = """
    import threading
    from django.http import JsonResponse
    from rest_framework.decorators import api_view
    from tracker.importer import CsvImporter

    @api_view(["POST"])
    def start_import(request):
        importer = CsvImporter(request.user)
        worker = threading.Thread(target=importer.import_rows, args=[request.data["rows"]])
        worker.start()
        return JsonResponse({"started": True}, status=202)
    """


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in {"tracker/__init__.py": "", "tracker/models.py": MODELS, **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(dedent(text))
    return root


def loop_query_reach(root: Path) -> tuple[str, str]:
    report = review(root, Settings(use_cache=False, profile="extended", select=frozenset({"query-in-loop"})))
    found = [f for f in report.findings if f.location.path in ("tracker/importer.py", "importer.py")]
    assert len(found) == 1, report.findings
    return found[0].reach, found[0].held_back


def test_the_inline_fallback_of_work_a_handler_hands_to_a_job_queue_is_the_jobs(tmp_path: Path) -> None:
    reach, held_back = loop_query_reach(write(tmp_path, {
        "tracker/importer.py": IMPORTER, "tracker/tasks.py": TASKS, "tracker/views.py": VIEWS_DEFERRED}))
    assert reach == "task"
    assert held_back.startswith("not on a request path: only reached from `import_tickets`")


def test_work_a_handler_only_does_inline_stays_on_the_request_path(tmp_path: Path) -> None:
    reach, held_back = loop_query_reach(write(tmp_path, {
        "tracker/importer.py": IMPORTER, "tracker/tasks.py": TASKS, "tracker/views.py": VIEWS_INLINE}))
    assert reach == "request"
    assert not held_back.startswith("not on a request path")


def test_a_function_run_on_a_background_thread_is_a_jobs_code(tmp_path: Path) -> None:
    reach, held_back = loop_query_reach(write(tmp_path, {
        "tracker/importer.py": IMPORTER, "tracker/views.py": VIEWS_THREAD}))
    assert reach == "task"
    assert "background thread" in held_back


SIGNALS = """
    from django.db.models.signals import post_save
    from django.dispatch import receiver
    from tracker.importer import CsvImporter
    from tracker.models import Project

    @receiver(post_save, sender=Project)
    def reimport_on_save(sender, instance, **kwargs):
        CsvImporter(None).import_rows(instance.pending_rows)
    """


def test_a_function_a_job_reaches_is_the_jobs_code_even_if_an_unreached_caller_calls_it(tmp_path: Path) -> None:
    # the job calls the importer, and so does a signal receiver nothing was found to reach: the
    # job's claim holds (measured on the triage corpus: unreached callers are mostly dynamic
    # dispatch or dead code). Known gap: a signal receiver can run inside a request.
    reach, _ = loop_query_reach(write(tmp_path, {
        "tracker/importer.py": IMPORTER, "tracker/tasks.py": TASKS, "tracker/signals.py": SIGNALS}))
    assert reach == "task"


def test_only_the_job_calls_it_then_it_is_offline(tmp_path: Path) -> None:
    reach, _ = loop_query_reach(write(tmp_path, {"tracker/importer.py": IMPORTER, "tracker/tasks.py": TASKS}))
    assert reach == "task"


def test_calls_are_followed_when_the_review_starts_inside_the_package(tmp_path: Path) -> None:
    # the reviewed directory is the `tracker` package itself: its modules are `importer`,
    # `cli`, ... while the code imports them as `tracker.importer`
    write(tmp_path, {"tracker/importer.py": IMPORTER, "tracker/cli.py": """
        import click
        from tracker.importer import CsvImporter

        @click.command()
        @click.argument("path")
        def load_tickets(path):
            CsvImporter(None).import_rows(read_rows(path))
        """})
    reach, held_back = loop_query_reach(tmp_path / "tracker")
    assert reach == "command"
    assert "`load_tickets`" in held_back



def test_a_module_a_class_body_reads_is_not_a_function_of_that_name(tmp_path: Path) -> None:
    # `status` in `status.HTTP_400_BAD_REQUEST` names rest_framework's module; the CLI command
    # `status` of another package is not what the exception class hands the framework
    files = {
        "server/__init__.py": "",
        "server/exceptions.py": """
            from rest_framework import exceptions, status

            class APIException(exceptions.APIException):
                default_status_code = status.HTTP_400_BAD_REQUEST

                def __init__(self, detail=None):
                    self.detail = detail
            """,
        "server/views.py": """
            from rest_framework.decorators import api_view
            from rest_framework.response import Response
            from server.exceptions import APIException

            @api_view(["POST"])
            def create(request):
                if not request.data:
                    raise APIException()
                return Response({})
            """,
        "cli/__init__.py": "",
        "cli/commands.py": """
            import requests
            import typer

            app = typer.Typer()

            @app.command()
            def status():
                requests.get("https://api.example.com/health")
            """,
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    [timeout] = [f for f in report.findings if f.concern == "missing-timeout"]
    assert timeout.reach == "command"
