"""A service that builds its API contract from its routes at run time is not compared with a
document checked in beside it: that document is not its contract."""
from __future__ import annotations

from pathlib import Path

from servicelens.api import review_source
from servicelens.config.settings import Settings
from servicelens.contracts.policy import load_contract_policy

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "api-contract-drift" / "flask_orders"
_DOCS_VIEW = ("from rest_framework.schemas import get_schema_view\n\n"
              "schema_view = get_schema_view(title='Orders')\n")


def _drift(extra: dict[str, str]) -> int:
    files = {p.name: p.read_text() for p in FIXTURE.iterdir() if p.is_file()} | extra
    report = review_source(files, Settings(use_cache=False, profile="extended"))
    return sum(f.concern == "api-contract-drift" for f in report.findings)


def test_a_checked_in_contract_is_compared_when_the_code_generates_none() -> None:
    assert _drift({}) > 0


def test_a_contract_generated_from_the_code_at_run_time_replaces_the_checked_in_one() -> None:
    assert _drift({"schema.py": _DOCS_VIEW}) == 0


def test_generators_are_named_by_what_the_code_imports() -> None:
    policy = load_contract_policy()
    assert policy.generates_contract(["@nestjs/swagger.SwaggerModule"])
    assert policy.generates_contract(["drf_spectacular.views.SpectacularAPIView"])
    assert not policy.generates_contract(["@nestjs/swagger.ApiProperty", "drf_spectacular_extras", "yaml.safe_load"])
