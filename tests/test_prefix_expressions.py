"""A router prefix built by an expression contributes its literal parts: the configured part is a
deployment's choice (shown as nothing, as a prefix that is only a setting always was), the literal
`/admin` is the code's and every deployment serves the routes below it."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.frameworks.prefix_expressions import constant_path, constant_prefix
from servicelens.lang.python import lower_module
from servicelens.sources.parsing import ParserPool


def _value(expr: str):
    source = f"x = {expr}\n"
    module = lower_module(ParserPool().parse("python", source.encode()).root_node, "m.py", tuple(source.splitlines()))
    return module.body[0].value


@pytest.mark.parametrize(("expr", "expected"), [
    ('"/api"', "/api"),
    ('trim_slash(self.url_prefix) + "/admin"', "/admin"),
    ('f"{settings.API_PREFIX}/users"', "/users"),
    ('settings.API_V1_STR', None),  # nothing literal: unknown, as before
    ('"/v" + str(VERSION) + "/items"', "/v/items"),
])
def test_the_literal_parts_of_a_prefix(expr: str, expected: str | None) -> None:
    assert constant_prefix(_value(expr)) == expected


_FILES = {
    "svc/__init__.py": "",
    "svc/ui.py": """
        from fastapi import APIRouter

        router_ui = APIRouter()


        @router_ui.get("/create/")
        def create_page():
            return {}
        """,
    "svc/app.py": """
        from fastapi import FastAPI

        from svc import ui


        class Server:
            url_prefix = "/store"

            def build(self):
                app = FastAPI()
                app.include_router(ui.router_ui, prefix=self.url_prefix.rstrip("/") + "/admin")
                return app
        """,
}


def test_an_included_router_keeps_the_literal_part_of_its_prefix(tmp_path: Path) -> None:
    for rel, text in _FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text), encoding="utf-8")
    report = review(tmp_path, Settings(use_cache=False))
    assert {e.path for s in report.overview.services for e in s.endpoints} == {"/admin/create/"}


@pytest.mark.parametrize(("expr", "expected"), [
    ('"/api/items"', "/api/items"),
    ('f"{APP_PREFIX}/api/handshake"', "/api/handshake"),  # a configured prefix, as a router's is read
    ('f"/api/{VERSION}/items"', "/api/items"),  # the dropped setting leaves no doubled slash
    ('PREFIX + "/health"', "/health"),
    ('f"{APP_PREFIX}"', None),  # nothing literal: the path stays unknown
    ('route_path', None),
])
def test_the_literal_parts_of_a_route_path(expr: str, expected: str | None) -> None:
    assert constant_path(_value(expr)) == expected


_FSTRING_ROUTES = """
    import os

    from flask import Flask

    app = Flask(__name__)
    APP_PREFIX = os.environ.get("APP_PREFIX", "")


    @app.get(f"{APP_PREFIX}/api/items")
    def items():
        return {"items": []}


    @app.route(APP_PREFIX + "/api/health")
    def health():
        return "ok"


    @app.post(f"{APP_PREFIX}")
    def root_only():
        return {}
    """


def test_a_route_whose_path_is_built_from_a_setting_is_still_served(tmp_path: Path) -> None:
    """Written with a configured prefix (`@app.get(f"{APP_PREFIX}/api/items")`), a route is served
    below the literal part in every deployment; a path with no literal part stays unread."""
    (tmp_path / "app.py").write_text(dedent(_FSTRING_ROUTES), encoding="utf-8")
    report = review(tmp_path, Settings(use_cache=False))
    endpoints = {(e.method, e.path) for s in report.overview.services for e in s.endpoints}
    assert endpoints == {("GET", "/api/items"), ("GET", "/api/health")}
