"""Routes registered through the project's own helpers and declared in unusual places."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings


def _endpoints(tmp_path: Path, files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    return {(e.method, e.path): (e.handler.rsplit(".", 1)[-1], e.auth) for s in report.overview.services
            for e in s.endpoints}


def test_a_project_helper_that_forwards_to_add_resource_registers_resources(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {"api.py": """
        from flask_restful import Api, Resource


        def scoped(rule):
            return "/<org>" + rule


        class TenantApi(Api):
            def add_tenant_resource(self, resource, *urls, **kwargs):
                urls = [scoped(url) for url in urls]
                return self.add_resource(resource, *urls, **kwargs)

            def describe(self, resource):
                return repr(resource)


        class Widgets(Resource):
            def get(self):
                return []

            def post(self):
                return {}


        api = TenantApi()
        api.add_tenant_resource(Widgets, "/api/widgets", endpoint="widgets")
        api.describe(Widgets)
        """})
    assert set(found) == {("GET", "/api/widgets"), ("POST", "/api/widgets")}
