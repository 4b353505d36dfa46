"""Connexion APIs whose spec files, controller and base path come from a configuration file."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_SPEC = """
    openapi: 3.0.0
    info: {title: greenhouse, version: "1"}
    servers:
      - url: /readings-api
    security:
      - bearer: []
    components:
      securitySchemes:
        bearer: {type: http, scheme: bearer}
    paths:
      /sensors:
        get:
          operationId: ListSensors
          responses: {"200": {description: ok}}
      /sensors/{sensor_id}:
        delete:
          operationId: RetireSensor
          parameters:
            - {name: sensor_id, in: path, required: true, schema: {type: string}}
          responses: {"204": {description: gone}}
    """

_LEGACY = """
    swagger: "2.0"
    info: {title: greenhouse, version: "0"}
    basePath: /old
    paths:
      /sensors:
        get:
          operationId: ListSensors
          responses: {"200": {description: ok}}
    """

_CONTROLLERS = """
    def ListSensors():
        return []


    def RetireSensor(sensor_id):
        return None, 204


    def summarise(readings):
        return sum(readings)
    """

_APP = """
    from greenhouse_framework import build_app

    app = build_app("greenhouse/settings.yaml")
    """


def _review(tmp_path: Path, files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    return {(e.method, e.path): (e.handler, e.auth) for s in report.overview.services for e in s.endpoints}


def _settings(disable_auth: bool) -> str:
    return f"""
        server:
          port: 8080
        api:
          specs:
            - path:
                - api/greenhouse.openapi.yaml
              add_operation_fields:
                x-openapi-router-controller: greenhouse.controllers
              disable_auth: {str(disable_auth).lower()}
              connexion:
                base_path: /greenhouse/v2
        """


def _project(disable_auth: bool) -> dict[str, str]:
    return {"greenhouse/__init__.py": "", "greenhouse/app.py": "import connexion\n" + dedent(_APP),
            "greenhouse/controllers.py": _CONTROLLERS, "greenhouse/api/greenhouse.openapi.yaml": _SPEC,
            "greenhouse/api/legacy.swagger.yaml": _LEGACY, "greenhouse/settings.yaml": _settings(disable_auth)}


def test_a_configuration_mounts_its_spec_with_controller_and_base_path(tmp_path: Path) -> None:
    found = _review(tmp_path, _project(disable_auth=False))
    assert found == {
        ("GET", "/greenhouse/v2/sensors"): ("greenhouse.controllers.ListSensors", "required"),
        ("DELETE", "/greenhouse/v2/sensors/{sensor_id}"): ("greenhouse.controllers.RetireSensor", "required"),
    }


def test_security_the_configuration_turns_off_leaves_the_operations_open(tmp_path: Path) -> None:
    found = _review(tmp_path, _project(disable_auth=True))
    assert {key: auth for key, (_, auth) in found.items()} == {
        ("GET", "/greenhouse/v2/sensors"): "none", ("DELETE", "/greenhouse/v2/sensors/{sensor_id}"): "none"}


def test_without_a_configuration_naming_the_spec_bare_operation_ids_bind_nothing(tmp_path: Path) -> None:
    files = _project(disable_auth=False)
    files["greenhouse/settings.yaml"] = "server:\n  port: 8080\nlogging:\n  level: INFO\n"
    assert _review(tmp_path, files) == {}


def test_a_controller_declared_in_the_document_binds_its_operations(tmp_path: Path) -> None:
    spec = dedent(_SPEC).replace("      operationId: ListSensors",
                                 "      operationId: ListSensors\n"
                                 "      x-openapi-router-controller: greenhouse.controllers")
    assert "x-openapi-router-controller" in spec
    found = _review(tmp_path, {"greenhouse/__init__.py": "", "greenhouse/controllers.py": _CONTROLLERS,
                               "greenhouse/app.py": "import connexion\n",
                               "greenhouse/api/greenhouse.openapi.yaml": spec})
    assert found == {("GET", "/readings-api/sensors"): ("greenhouse.controllers.ListSensors", "required")}


class _File:
    def __init__(self, rel: str, text: str) -> None:
        self.rel, self.text = rel, text


def test_mounts_resolve_spec_paths_beside_the_configuration_or_by_their_tail() -> None:
    from servicelens.endpoints.connexion_mounts import ApiMount, api_mounts

    specs = ["svc/api/a.yaml", "svc/api/b.yaml", "other/b.yaml"]
    config = _File("svc/conf.json", '{"apis": [{"spec": "api/a.yaml", "base_path": "/v3/",'
                                    ' "x-openapi-router-controller": "svc.handlers"},'
                                    ' {"spec": "b.yaml", "base_path": "/b"}, {"spec": "c.yaml"}]}')
    assert api_mounts([config], specs) == (ApiMount("svc/api/a.yaml", "svc.handlers", "/v3", False, "svc/conf.json"),)
    assert api_mounts([_File("x.yaml", "spec: [unclosed")], specs) == ()
