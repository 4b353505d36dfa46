"""A value built from different classes on different branches (`importer = A()` or `B()`) may
be either: a method called on it runs in each class, so both are the task's code. Before this,
the call went to whichever `class:` tag a frozenset yielded first, so reach (and the default
report) changed with PYTHONHASHSEED."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

TASK = """
    from celery import shared_task

    from .agile import AgileImporter
    from .plain import PlainImporter


    @shared_task
    def run_import(kind, project_id):
        if kind == "agile":
            importer = AgileImporter()
        else:
            importer = PlainImporter()
        return importer.import_project(project_id)
    """

IMPORTER = """
    import requests


    class {name}:
        def import_project(self, project_id):
            return requests.get(f"https://{host}.example.com/projects/{{project_id}}").json()
    """


def test_a_method_on_a_value_of_either_branch_class_runs_in_both(tmp_path: Path) -> None:
    package = tmp_path / "importers"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "tasks.py").write_text(dedent(TASK), encoding="utf-8")
    (package / "agile.py").write_text(dedent(IMPORTER.format(name="AgileImporter", host="agile")), encoding="utf-8")
    (package / "plain.py").write_text(dedent(IMPORTER.format(name="PlainImporter", host="plain")), encoding="utf-8")
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    reach = {f.location.path: f.reach for f in report.findings}
    assert reach == {"importers/agile.py": "task", "importers/plain.py": "task"}
