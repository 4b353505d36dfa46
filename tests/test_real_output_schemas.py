"""Reports of real reviews (not only the hand-built sample) validate against both schemas."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.render import render

ROOT = Path(__file__).resolve().parents[1]


def _schema(name: str) -> dict[str, object]:
    return json.loads(resources.files("servicelens.data").joinpath(name).read_text("utf-8"))


def test_example_and_fixture_reviews_validate() -> None:
    report_validator = jsonschema.Draft202012Validator(_schema("report.schema.json"))
    sarif_validator = jsonschema.Draft4Validator(_schema("sarif-schema-2.1.0.json"))
    for target in (ROOT / "examples" / "payments-service", ROOT / "tests" / "fixtures" / "sql-injection"):
        report = review(target, Settings(use_cache=False, profile="extended"))
        assert report.findings
        report_errors = sorted(e.message for e in report_validator.iter_errors(json.loads(render(report, "json"))))
        sarif_errors = sorted(e.message for e in sarif_validator.iter_errors(json.loads(render(report, "sarif"))))
        assert not report_errors, report_errors[:5]
        assert not sarif_errors, sarif_errors[:5]


def test_sarif_carries_concern_and_cwe_tags() -> None:
    report = review(ROOT / "tests" / "fixtures" / "sql-injection", Settings(use_cache=False, profile="extended"))
    sarif = json.loads(render(report, "sarif"))
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "sql-injection" in rules and "CWE-89" in rules["sql-injection"]["properties"]["tags"]
    result = sarif["runs"][0]["results"][0]
    assert result["properties"]["concern"] == result["ruleId"]
    assert result.get("codeFlows"), "taint evidence is exported as a code flow"


def test_a_report_with_start_up_code_validates(tmp_path: Path) -> None:
    """`reach: startup` (a lifespan handler's code) is one of the schema's reach values."""
    (tmp_path / "app.py").write_text(
        "import time\n\nimport requests\nfrom fastapi import FastAPI\n\n\n"
        "def lifespan(app):\n    for _ in range(3):\n        requests.get('https://config.example.com/boot')\n"
        "        time.sleep(1)\n    yield\n\n\napp = FastAPI(lifespan=lifespan)\n")
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    assert "startup" in {f.reach for f in report.findings}
    validator = jsonschema.Draft202012Validator(_schema("report.schema.json"))
    errors = sorted(e.message for e in validator.iter_errors(json.loads(render(report, "json"))))
    assert not errors, errors[:5]
