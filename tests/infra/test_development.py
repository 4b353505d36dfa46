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
    assert path_reason("docs/install/k8s/50-deployment.yaml", policy)  # a kind's name, not production
    # a production word wins over a development one
    assert not path_reason("examples/production/docker-compose.yml", policy)
    # words, not substrings: "latest" holds "test", "cilium" holds "ci"
    assert not path_reason("latest/cilium/compose.yml", policy)
    assert path_reason("unittests/scans/kubelinter/many.yaml", policy)  # a unit-test directory's sample input
    assert not path_reason("units/api/deployment.yaml", policy)


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


# --- reading what a Dockerfile installs and what a compose overlay removes ---------------

def _unpinned(dockerfile: str) -> list[str]:
    return [f.title for f in run({"Dockerfile": dockerfile}).findings if f.rule == "dockerfile-unpinned-package"]


def test_options_with_values_are_not_package_names() -> None:
    locked = """
    FROM python:3.12.3-slim
    RUN uv pip install --system --python-preference system --index-strategy unsafe-best-match \\
          --index https://pypi.org/simple --requirements requirements.txt
    RUN pip install --user --group dev --editable .
    """
    assert _unpinned(locked) == []


def test_a_command_after_semicolon_is_not_a_package() -> None:
    script = """
    FROM python:3.12.3-slim
    RUN python -m pip install -r requirements.txt; python manage.py compilemessages; \\
        python -m pip install wheel; python manage.py collectstatic --no-input
    """
    assert _unpinned(script) == []


def test_bare_package_still_reported() -> None:
    bare = """
    FROM python:3.12.3-slim
    RUN pip install --no-cache-dir gunicorn; python -m compileall .
    """
    titles = _unpinned(bare)
    assert len(titles) == 1 and "gunicorn" in titles[0] and "python" not in titles[0]


def test_reset_image_in_an_overlay_is_not_a_floating_tag() -> None:
    overlay = """
    services:
      api:
        image: !reset null
        build: .
      worker:
        image: !reset null
        pull_policy: never
      cache:
        image: redis:latest
    """
    found = [f.key for f in run({"compose.yml": overlay}).findings if f.rule == "compose-floating-image"]
    assert found == ["compose-floating-image:cache"]


# --- when `depends_on` without a healthcheck is not a start-up race -----------------------

_BASE = """
services:
  api:
    image: ghcr.io/acme/orders-api:2.4.1
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8000/health"]
"""


def _unhealthy(files: dict[str, str]) -> list[tuple[str, str]]:
    return sorted((f.location.path, f.key) for f in run(files).findings if f.rule == "compose-no-healthcheck")


def test_overlay_service_healthy_in_the_base_file_elsewhere() -> None:
    overlay = """
    services:
      api:
        environment:
          FEATURE_SEARCH: "1"
      search-indexer:
        image: ghcr.io/acme/indexer:1.0.3
        depends_on: [api]
    """
    assert _unhealthy({"docker-compose.yml": _BASE, "compose/with-search.yml": overlay}) == []


def test_a_full_service_definition_needs_its_own_healthcheck() -> None:
    other = """
    services:
      api:
        image: ghcr.io/acme/orders-api:2.4.1
      search-indexer:
        image: ghcr.io/acme/indexer:1.0.3
        depends_on: [api]
    """
    assert _unhealthy({"docker-compose.yml": _BASE, "stack/compose.yml": other}) == [
        ("stack/compose.yml", "compose-no-healthcheck:api")]


def test_dependent_that_waits_in_its_command() -> None:
    waits = """
    services:
      db:
        image: postgres:16.2
      web:
        image: ghcr.io/acme/orders-api:2.4.1
        depends_on: [db]
        command: bash -c 'until pg_isready -h db; do sleep 1; done; gunicorn app:wsgi'
    """
    assert _unhealthy({"docker-compose.yml": waits}) == []


def test_dependent_that_waits_for_something_else_still_races() -> None:
    races = """
    services:
      db:
        image: postgres:16.2
      cache:
        image: redis:7.2.4
      web:
        image: ghcr.io/acme/orders-api:2.4.1
        depends_on: [db, cache]
        command: bash -c 'while ! nc -z cache 6379; do sleep 1; done; gunicorn app:wsgi'
    """
    assert _unhealthy({"docker-compose.yml": races}) == [("docker-compose.yml", "compose-no-healthcheck:db")]


# --- images that do not run their service as root without a final USER -------------------

def _root_findings(files: dict[str, str]) -> list[str]:
    return sorted(f.location.path for f in run(files).findings if f.concern == "container-runs-as-root")


def test_image_that_drops_privileges_with_gosu() -> None:
    dockerfile = """
    FROM python:3.12.3-slim
    RUN apt-get update && apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*
    RUN useradd --system app
    COPY docker/entrypoint.sh /entrypoint.sh
    ENTRYPOINT ["/entrypoint.sh"]
    CMD ["gunicorn", "app.wsgi"]
    """
    assert _root_findings({"Dockerfile": dockerfile}) == []


def test_image_without_user_or_privilege_drop_still_reported() -> None:
    dockerfile = """
    FROM python:3.12.3-slim
    RUN pip install --no-cache-dir gunicorn==22.0.0
    CMD ["gunicorn", "app.wsgi"]
    """
    assert _root_findings({"Dockerfile": dockerfile}) == ["Dockerfile"]


def test_base_image_whose_children_set_user() -> None:
    base = "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y python3\n"
    child = "FROM acme/base:1.4 AS final\nRUN useradd app\nUSER app\nCMD [\"python3\", \"-m\", \"app\"]\n"
    root_child = "FROM acme/base:1.4\nCMD [\"python3\", \"-m\", \"worker\"]\n"
    assert _root_findings({"images/base/Dockerfile": base, "images/web/Dockerfile": child}) == []
    # a child that runs as root itself keeps both findings
    assert _root_findings({"images/base/Dockerfile": base, "images/worker/Dockerfile": root_child}) == [
        "images/base/Dockerfile", "images/worker/Dockerfile"]


def test_a_development_image_built_on_the_base_does_not_decide_for_it() -> None:
    # a course-catalogue platform: the deployed image drops to `learner`; the local sandbox stays root
    base = "FROM debian:12.5\nRUN apt-get update && apt-get install -y python3\n"
    deployed = "FROM campus/base:3.0\nRUN useradd learner\nUSER learner\nCMD [\"python3\", \"-m\", \"catalogue\"]\n"
    sandbox = "FROM campus/base:3.0\nCMD [\"python3\", \"-m\", \"catalogue\", \"--reload\"]\n"
    files = {"images/base/Dockerfile": base, "images/catalogue/Dockerfile": deployed,
             "images/development/Dockerfile": sandbox}
    found = run(files).findings
    assert [f.location.path for f in found if f.concern == "container-runs-as-root" and f.reach != "development"] == []
    # the sandbox itself is still reported, as development-only
    assert [(f.location.path, f.reach) for f in found if f.concern == "container-runs-as-root"] == [
        ("images/development/Dockerfile", "development")]


# --- what a shipped example compose file or a project's own base image is ------------------

def test_network_only_database_with_placeholder_password() -> None:
    example = """
    services:
      db:
        image: postgres:16.2
        environment:
          POSTGRES_DB: shop
          POSTGRES_USER: shop
          POSTGRES_PASSWORD: shop
      web:
        image: ghcr.io/acme/shop:3.1.0
        ports: ["8000:8000"]
    """
    assert _reach({"docker-compose.yml": example}, "secret-in-image") == {}


def test_published_database_or_real_looking_password_still_reported() -> None:
    published = """
    services:
      db:
        image: postgres:16.2
        ports: ["5432:5432"]
        environment:
          POSTGRES_USER: shop
          POSTGRES_PASSWORD: shop
      web:
        image: ghcr.io/acme/shop:3.1.0
    """
    unlike = """
    services:
      db:
        image: postgres:16.2
        environment:
          POSTGRES_USER: shop
          POSTGRES_PASSWORD: Xk29-shop-prod
      web:
        image: ghcr.io/acme/shop:3.1.0
    """
    assert _reach({"docker-compose.yml": published}, "secret-in-image") == {"docker-compose.yml": ""}
    assert _reach({"docker-compose.yml": unlike}, "secret-in-image") == {"docker-compose.yml": ""}


def test_own_base_image_tag_is_not_a_third_party_floating_tag() -> None:
    base = "FROM ubuntu:24.04\nRUN useradd app\nUSER app\n"
    app = "FROM acme/base:latest\nUSER app\nCMD [\"python3\", \"-m\", \"app\"]\n"
    third_party = "FROM python:latest\nUSER nobody\nCMD [\"python3\", \"-m\", \"app\"]\n"
    files = {"images/base/Dockerfile": base, "images/web/Dockerfile": app, "images/worker/Dockerfile": third_party}
    floating = sorted(f.location.path for f in run(files).findings if f.rule == "dockerfile-floating-base")
    assert floating == ["images/worker/Dockerfile"]


# --- images whose base runs the server unprivileged, and images that never run ----------------

def test_official_datastore_image_drops_root_in_its_entrypoint() -> None:
    # a bookshop's own database image only adds init scripts: postgres's entrypoint runs the server as `postgres`
    database = "FROM postgres:16.3 AS db\nCOPY ./maintenance /usr/local/bin/maintenance\n"
    assert _root_findings({"compose/production/postgres/Dockerfile": database}) == []


def test_datastore_image_with_its_own_entrypoint_still_reported() -> None:
    # replacing the entrypoint skips the image's privilege drop
    database = "FROM postgres:16.3 AS db\nCOPY run.sh /run.sh\nENTRYPOINT [\"/run.sh\"]\n"
    app = "FROM python:3.12.3-slim AS app\nCOPY . /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n"
    assert _root_findings({"db/Dockerfile": database}) == ["db/Dockerfile"]
    # and an application image's base is no datastore
    assert _root_findings({"Dockerfile": app}) == ["Dockerfile"]


def test_build_only_image_copied_into_the_service_image() -> None:
    # webpack builds the admin console's assets; the admin image copies them out of the `assets` context
    assets = "FROM node:21-alpine3.18 AS build\nCOPY package.json ./\nRUN npm install && npx webpack-cli\n"
    admin = ("FROM python:3.12.3-alpine AS admin\nCOPY --from=assets /work/static/ ./static/\n"
             "RUN adduser -S admin\nUSER admin\nCMD [\"/start.py\"]\n")
    assert _root_findings({"admin/assets/Dockerfile": assets, "admin/Dockerfile": admin}) == []


def test_copied_from_image_that_also_runs_a_service_still_reported() -> None:
    # the assets image names its own CMD: it is also run as a service, as root
    assets = ("FROM node:21-alpine3.18 AS build\nCOPY package.json ./\nRUN npm install\n"
              "CMD [\"node\", \"serve.js\"]\n")
    admin = ("FROM python:3.12.3-alpine AS admin\nCOPY --from=assets /work/static/ ./static/\n"
             "RUN adduser -S admin\nUSER admin\nCMD [\"/start.py\"]\n")
    assert _root_findings({"admin/assets/Dockerfile": assets, "admin/Dockerfile": admin}) == [
        "admin/assets/Dockerfile"]
    # copying from a stage of one's own named like the folder says nothing about the other file
    own_stage = ("FROM node:21-alpine3.18 AS assets\nRUN npx webpack-cli\n"
                 "FROM python:3.12.3-alpine AS admin\nCOPY --from=assets /work/static/ ./static/\n"
                 "RUN adduser -S admin\nUSER admin\nCMD [\"/start.py\"]\n")
    plain = "FROM node:21-alpine3.18 AS build\nRUN npm install\n"
    assert _root_findings({"admin/assets/Dockerfile": plain, "admin/Dockerfile": own_stage}) == [
        "admin/assets/Dockerfile"]
