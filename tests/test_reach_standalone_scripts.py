"""Reach (analysis/reach.py): a module run as a script that nothing imports is the script's
code throughout, even where the call graph cannot see the call; one that serves is not."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

DUMP = """
    import argparse

    import requests


    class Exporter:
        def page(self, base, n):
            return requests.get(f"{base}/surveys?page={n}").json()


    def run(source, base):
        # a method of a parameter whose name names no class: the call graph cannot follow it
        print(source.page(base, 1))


    def main():
        parser = argparse.ArgumentParser()
        parser.add_argument("base")
        run(Exporter(), parser.parse_args().base)


    if __name__ == "__main__":
        main()
    """

SERVED = """
    import requests
    from flask import Flask

    app = Flask(__name__)


    class Upstream:
        def page(self, base, n):
            return requests.get(f"{base}/surveys?page={n}").json()


    if __name__ == "__main__":
        app.run()
    """


def _reaches(tmp_path: Path) -> dict[str, set[str]]:
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    found: dict[str, set[str]] = {}
    for finding in report.findings:
        found.setdefault(finding.location.path, set()).add(finding.reach)
    return found


def test_an_unimported_script_module_is_script_code_throughout(tmp_path: Path) -> None:
    (tmp_path / "surveys").mkdir()
    (tmp_path / "surveys" / "__init__.py").write_text("")
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "export_surveys.py").write_text(dedent(DUMP))
    assert _reaches(tmp_path)["tools/export_surveys.py"] == {"script"}


def test_a_script_module_the_project_imports_or_that_serves_is_not(tmp_path: Path) -> None:
    (tmp_path / "surveys").mkdir()
    (tmp_path / "surveys" / "__init__.py").write_text("")
    (tmp_path / "surveys" / "export.py").write_text(dedent(DUMP))
    (tmp_path / "surveys" / "views.py").write_text("from surveys.export import Exporter\n")
    (tmp_path / "surveys" / "server.py").write_text(dedent(SERVED))
    found = _reaches(tmp_path)
    assert "script" not in found["surveys/export.py"]
    assert "script" not in found["surveys/server.py"]
