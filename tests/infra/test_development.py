"""Development-only infrastructure files: findings there keep reach `development` and are held
back from the default report; the same content in a deployment file is reported as before."""
from __future__ import annotations

from servicelens.analysis.profiles import apply_profile
from servicelens.analysis.reach import ReachIndex
from servicelens.config.settings import Settings
from servicelens.infra.development import header_reason, path_reason
from servicelens.infra.policy import load_policy
from tests.infra.helpers import run

_DB_WITH_PASSWORD = """
services:
  api:
    image: ghcr.io/acme/orders-api:2.4.1
    depends_on: [db]
  db:
    image: postgres:16.2
    environment:
      POSTGRES_PASSWORD: s3cr3t-Orders-2024
"""


def _reach(files: dict[str, str], concern: str) -> dict[str, str]:
    return {f.location.path: f.reach for f in run(files).findings if f.concern == concern}


def test_path_words_mark_development_files() -> None:
    policy = load_policy()
    assert path_reason("compose/compose.with-e2e.yml", policy)
    assert path_reason("docker/local.Dockerfile", policy)
    assert path_reason("docs/install/k8s/secrets.yaml", policy)
    assert not path_reason("docker-compose.yml", policy)
    assert not path_reason("deploy/docker-compose.yml", policy)
    # a production word wins over a development one
    assert not path_reason("examples/production/docker-compose.yml", policy)
    # words, not substrings: "latest" holds "test", "cilium" holds "ci"
    assert not path_reason("latest/cilium/compose.yml", policy)


def test_opening_comment_marks_development() -> None:
    policy = load_policy()
    assert header_reason(["# This configuration is for the **development** setup.", "services:"], policy)
    assert header_reason(["# syntax=docker/dockerfile:1", "# Image for running the test suite", "FROM x"], policy)
    assert not header_reason(["# Production stack: see docs for local development", "services:"], policy)
    assert not header_reason(["services:", "  # test", "  db: {}"], policy)  # not the opening comment


def test_secret_in_a_test_overlay_is_development_and_held_back() -> None:
    files = {"docker-compose.yml": _DB_WITH_PASSWORD, "docker-compose.e2e.yml": _DB_WITH_PASSWORD}
    reach = _reach(files, "secret-in-image")
    assert reach == {"docker-compose.yml": "", "docker-compose.e2e.yml": "development"}
    findings = run(files).findings
    shown, _ = apply_profile(findings, ReachIndex({}, {}, frozenset()), Settings())
    shown_paths = {f.location.path for f in shown if f.concern == "secret-in-image"}
    assert "docker-compose.e2e.yml" not in shown_paths
    extended = Settings(profile="extended")
    every, _ = apply_profile(findings, ReachIndex({}, {}, frozenset()), extended)
    held = [f for f in every if f.location.path == "docker-compose.e2e.yml" and f.concern == "secret-in-image"]
    assert held and held[0].held_back_by == "reach" and "never deployed" in held[0].held_back


def test_compose_building_a_development_image_is_development() -> None:
    compose = """
    services:
      web:
        build:
          context: .
          dockerfile: docker/local.Dockerfile
        environment:
          DJANGO_SECRET_KEY: k3y-Only-for-this-laptop-91
    """
    dockerfile = "FROM python:3.12.3-slim\nCMD [\"python\", \"manage.py\", \"runserver\"]\n"
    reach = _reach({"docker-compose.yml": compose, "docker/local.Dockerfile": dockerfile}, "secret-in-image")
    assert reach == {"docker-compose.yml": "development"}


def test_compose_mounting_the_source_tree_is_development() -> None:
    compose = """
    services:
      web:
        build: .
        volumes:
          - .:/app
        environment:
          API_TOKEN: tok-7f3b2a9c1d
    """
    assert _reach({"docker-compose.yml": compose}, "secret-in-image") == {"docker-compose.yml": "development"}


def test_compose_of_backing_services_only_is_development() -> None:
    compose = """
    services:
      db:
        image: postgres:16.2
        environment:
          POSTGRES_PASSWORD: s3cr3t-Orders-2024
      mail:
        image: mailhog/mailhog:v1.0.1
    """
    assert _reach({"docker-compose.yml": compose}, "secret-in-image") == {"docker-compose.yml": "development"}


def test_compose_running_the_application_is_not_development() -> None:
    # the application's own image next to its database: a deployment, reported by default
    assert _reach({"docker-compose.yml": _DB_WITH_PASSWORD}, "secret-in-image") == {"docker-compose.yml": ""}
    compose = """
    services:
      web:
        build: .
        volumes:
          - media:/app/media
        environment:
          API_TOKEN: tok-7f3b2a9c1d
    volumes:
      media: {}
    """
    assert _reach({"docker-compose.yml": compose}, "secret-in-image") == {"docker-compose.yml": ""}
