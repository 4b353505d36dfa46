"""Machine formats validate against their schemas: ours for JSON, OASIS's for SARIF."""
from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources
from typing import Any

import jsonschema
import pytest

from servicelens.model import Report
from servicelens.render import render


def _schema(name: str) -> dict[str, Any]:
    text = resources.files("servicelens.data").joinpath(name).read_text("utf-8")
    return json.loads(text)


def _errors(validator: jsonschema.protocols.Validator, document: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(document)]


def test_json_matches_report_schema(report: Report) -> None:
    schema = _schema("report.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert _errors(validator, json.loads(render(report, "json"))) == []


def test_report_schema_is_strict(report: Report) -> None:
    """Unknown fields are rejected, so a renderer change that skips the schema fails here."""
    document = json.loads(render(report, "json"))
    document["findings"][0]["surprise"] = True
    validator = jsonschema.Draft202012Validator(_schema("report.schema.json"))
    assert _errors(validator, document)


def test_sarif_matches_official_schema(report: Report) -> None:
    schema = _schema("sarif-schema-2.1.0.json")
    validator = jsonschema.Draft4Validator(schema)
    assert _errors(validator, json.loads(render(report, "sarif"))) == []


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_machine_formats_are_canonical_json(report: Report, fmt: str) -> None:
    text = render(report, fmt)
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2,
                              ensure_ascii=False) + "\n"


def test_empty_report_is_valid_too(report: Report) -> None:
    """Edge shapes (no findings, no services) must still validate in both machine formats."""
    empty = replace(report, findings=(), risks=(), open_questions=(), diagnostics=(),
                    overview=replace(report.overview, services=(), diagram=""))
    report_validator = jsonschema.Draft202012Validator(_schema("report.schema.json"))
    sarif_validator = jsonschema.Draft4Validator(_schema("sarif-schema-2.1.0.json"))
    assert _errors(report_validator, json.loads(render(empty, "json"))) == []
    assert _errors(sarif_validator, json.loads(render(empty, "sarif"))) == []
