"""REST framework's default permission computed by the settings module from the environment
(frameworks.settings_switches): read with each variable at its default; a switch the review
cannot read leaves DRF views unknown, never required on a guess."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from tests.test_endpoints import _survey_app

_HEAD = """
    import os
    import sys

    import environ

    env = environ.Env()
    INSTALLED_APPS = ["rest_framework", "survey"]
    ROOT_URLCONF = "survey.urls"
    """


def _auth(tmp_path: Path, settings: str) -> str:
    return _survey_app(tmp_path, "settings.py", dedent(_HEAD) + dedent(settings))["POST FlightViewSet.create"]


def test_a_flag_whose_default_switches_the_default_to_allow_any_leaves_views_open(tmp_path: Path) -> None:
    assert _auth(tmp_path, """
        LOCKED_DOWN = env.bool("LOCKED_DOWN", default=False)
        REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",)}
        if not LOCKED_DOWN:
            REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = ("rest_framework.permissions.AllowAny",)
        """) == "none"


def test_a_flag_on_by_default_keeps_the_login_requirement(tmp_path: Path) -> None:
    assert _auth(tmp_path, """
        LOCKED_DOWN = os.environ.get("LOCKED_DOWN", "true")
        REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",)}
        if not LOCKED_DOWN:
            REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = ("rest_framework.permissions.AllowAny",)
        """) == "required"


def test_a_switch_the_review_cannot_read_leaves_views_unknown(tmp_path: Path) -> None:
    assert _auth(tmp_path, """
        RUNNING_CHECKS = "check" in sys.argv
        LOCKED_DOWN = env.bool("LOCKED_DOWN", default=True)
        if RUNNING_CHECKS:
            LOCKED_DOWN = False
        REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",)}
        if not LOCKED_DOWN:
            REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = ("rest_framework.permissions.AllowAny",)
        """) == "unknown"


def test_a_plain_literal_default_is_read_as_before(tmp_path: Path) -> None:
    assert _auth(tmp_path, """
        REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}
        """) == "required"


def test_a_later_settings_module_replaces_an_earlier_ones_answer_whole() -> None:
    """route_auth merges every module's settings key by key: the base module's unreadable switch
    or its switch named in the evidence must not outlive the deployment module's own answer."""
    from servicelens.frameworks.django_settings import default_auth, settings_facts
    from servicelens.lang.python import lower_module
    from servicelens.sources.parsing import ParserPool

    def facts(source: str) -> tuple[tuple[str, str], ...]:
        text = dedent(_HEAD) + dedent(source)
        tree = ParserPool().parse("python", text.encode())
        return settings_facts(lower_module(tree.root_node, "conf/settings.py", tuple(text.splitlines())), text)

    undecided = facts("""
        REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",)}
        if sys.argv[1:2] == ["test"]:
            REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = ("rest_framework.permissions.AllowAny",)
        """)
    switched = facts("""
        OPEN = env.bool("OPEN", default=True)
        REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",)}
        if OPEN:
            REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = ("rest_framework.permissions.AllowAny",)
        """)
    plain = facts("""
        REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",)}
        """)
    assert default_auth(dict(undecided))[0] == "unknown"
    assert default_auth(dict(switched))[0] == "none"
    auth, evidence = default_auth(dict(undecided + plain))
    assert auth == "required"
    auth, evidence = default_auth(dict(switched + plain))
    assert auth == "required" and "OPEN" not in evidence
