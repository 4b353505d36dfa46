"""The overview's endpoint inventory: paths resolved across Django URLconfs, auth status,
and frameworks named in manifests that the review does not model."""
from __future__ import annotations

from pathlib import Path

from servicelens.api import review
from servicelens.config.settings import Settings

PROJECTS = Path(__file__).parent / "projects"


def test_django_paths_follow_includes_routers_and_regex_routes() -> None:
    report = review(PROJECTS / "django_urls", Settings(use_cache=False))
    endpoints = {(e.method, e.path, e.handler.rsplit(".", 1)[-1]): e.auth
                 for s in report.overview.services for e in s.endpoints}
    assert endpoints[("*", "/api/products/<int:pk>/", "product_detail")] == "unknown"
    assert endpoints[("GET", "/api/carts/<cart_id>/", "get")] == "required"
    assert ("GET", "/api/orders/", "list") in endpoints
    assert ("GET", "/api/orders/<pk>/", "retrieve") in endpoints


def test_drf_methods_are_exact_for_generic_views_actions_and_api_view() -> None:
    report = review(PROJECTS / "django_urls", Settings(use_cache=False))
    endpoints = {(e.method, e.path): (e.handler.rsplit(".", 1)[-1], e.auth)
                 for s in report.overview.services for e in s.endpoints}
    assert endpoints[("GET", "/api/invoices/")] == ("get", "required")  # ListCreateAPIView, no method of its own
    assert endpoints[("POST", "/api/invoices/")] == ("post", "required")
    assert endpoints[("GET", "/api/payments/")][0] == "list"  # from ListModelMixin
    assert endpoints[("GET", "/api/payments/<pk>/")][0] == "retrieve"
    assert endpoints[("POST", "/api/payments/<pk>/refund/")][0] == "refund"  # @action(detail=True)
    assert endpoints[("GET", "/api/payments/recent/")][0] == "recent"
    assert {m for (m, p) in endpoints if p == "/api/coupons/"} == {"GET", "POST"}  # @api_view
    assert not any(h == "summarise" for h, _ in endpoints.values())
    assert endpoints[("POST", "/auth/login/")] == ("post", "public")  # include((module, namespace)); a login view


def test_unmodelled_framework_in_manifest_is_an_open_question(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("sanic==23.12\n")
    (tmp_path / "app.py").write_text("import os\n")
    report = review(tmp_path, Settings(use_cache=False))
    assert any("Sanic handlers are not modelled" in q.question for q in report.open_questions)


def test_project_decorators_named_for_the_principal_mark_routes_authenticated(tmp_path: Path) -> None:
    (tmp_path / "views.py").write_text(
        "from django.http import JsonResponse\n"
        "from .decorators import admins_only\n\n\n"
        "def helper(view):\n    return view\n\n\n"
        "@admins_only\n"
        "def purge(request):\n    return JsonResponse({})\n\n\n"
        "@helper\n"
        "def listing(request):\n    return JsonResponse({})\n"
    )
    report = review(tmp_path, Settings(use_cache=False))
    auth = {e.handler.rsplit(".", 1)[-1]: e.auth for s in report.overview.services for e in s.endpoints}
    assert auth["purge"] == "required"
    assert auth["listing"] == "unknown"


def test_a_module_named_setup_py_is_not_a_service_root(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask==3.0.0\n")
    (tmp_path / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n")
    (tmp_path / "settings" / "loggers").mkdir(parents=True)
    (tmp_path / "settings" / "loggers" / "setup.py").write_text("class LoggersSetup:\n    pass\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "setup.py").write_text("from setuptools import setup\n\nsetup(name='lib')\n")
    (tmp_path / "lib" / "core.py").write_text("VALUE = 1\n")
    report = review(tmp_path, Settings(use_cache=False))
    roots = sorted(s.root for s in report.overview.services)
    assert roots == [".", "lib"]


_TORNADO_APP = (
    "import tornado.web\n"
    "{imports}\n\n\n"
    "class NotesHandler(tornado.web.RequestHandler):\n"
    "    @{decorator}\n"
    "    def post(self):\n"
    "        self.write({{'saved': True}})\n\n"
    "    @{decorator}\n"
    "    def delete(self):\n"
    "        self.write({{'deleted': True}})\n\n\n"
    "def make_app():\n"
    "    return tornado.web.Application([(r'/notes', NotesHandler)])\n"
)


def _named_only_questions(root: Path) -> list[str]:
    report = review(root, Settings(use_cache=False))
    return [q.question for q in report.open_questions if "only because of the names of decorators" in q.question]


def test_auth_resting_on_an_unreadable_decorators_name_is_an_open_question(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(_TORNADO_APP.format(imports="from corelib.access import session_or_key_auth",
                                                         decorator="session_or_key_auth"))
    questions = _named_only_questions(tmp_path)
    assert len(questions) == 1
    assert "`@session_or_key_auth` from `corelib.access` (2 routes)" in questions[0]
    assert "`corelib` is neither in the reviewed tree nor a declared dependency" in questions[0]


def test_a_declared_package_is_named_without_the_submodule_guess(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("corelib==2.1\ntornado==6.4\n")
    (tmp_path / "app.py").write_text(_TORNADO_APP.format(imports="from corelib.access import session_or_key_auth",
                                                         decorator="session_or_key_auth"))
    questions = _named_only_questions(tmp_path)
    assert len(questions) == 1 and "neither in the reviewed tree" not in questions[0]


def test_a_decorator_the_review_reads_raises_no_question(tmp_path: Path) -> None:
    (tmp_path / "access.py").write_text(
        "import functools\n\n\n"
        "def session_or_key_auth(method):\n"
        "    @functools.wraps(method)\n"
        "    def wrapper(self, *args, **kwargs):\n"
        "        if not self.current_user:\n"
        "            raise tornado.web.HTTPError(401)\n"
        "        return method(self, *args, **kwargs)\n"
        "    return wrapper\n")
    (tmp_path / "app.py").write_text(_TORNADO_APP.format(imports="from access import session_or_key_auth",
                                                         decorator="session_or_key_auth"))
    assert _named_only_questions(tmp_path) == []


def test_a_decorator_the_models_know_raises_no_question(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(_TORNADO_APP.format(imports="from flask_login import login_required",
                                                         decorator="login_required"))
    assert _named_only_questions(tmp_path) == []
