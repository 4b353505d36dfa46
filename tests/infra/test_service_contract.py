"""Which OpenAPI document is the service's contract (contracts/service_contract.py)."""
from __future__ import annotations

from servicelens.contracts.analysis import load_operations
from servicelens.contracts.service_contract import service_contracts
from tests.infra.helpers import project

SPEC = """
openapi: 3.0.3
info: {title: Parcels, version: '1'}
paths:
  /parcels/{parcelId}:
    get: {responses: {'200': {description: ok}}}
"""


def _contracts(files: dict[str, str]) -> list[str]:
    return sorted(f.rel for f in service_contracts(project(files).files))


def test_a_spec_the_code_loads_is_the_contract_and_the_drafts_beside_it_are_not() -> None:
    files = {
        "tracking/openapi/tracking.yaml": SPEC,
        "design/0007-returns/returns.openapi.yaml": SPEC,
        "tracking/app.py": 'app = connexion.App(__name__)\napp.add_api("tracking.yaml")\n',
    }
    assert _contracts(files) == ["tracking/openapi/tracking.yaml"]


def test_configuration_naming_the_spec_counts_too() -> None:
    files = {
        "api/parcels.yml": SPEC,
        "api/partner-carrier.yml": SPEC,
        "config/service.yaml": "spec_file: api/parcels.yml\n",
    }
    assert _contracts(files) == ["api/parcels.yml"]


def test_a_lone_spec_at_the_service_root_is_the_contract_even_unnamed() -> None:
    assert _contracts({"openapi.yaml": SPEC, "app.py": "x = 1\n"}) == ["openapi.yaml"]


def test_unnamed_specs_in_feature_drafts_are_not_the_contract() -> None:
    files = {
        "specs/012-bulk-labels/contracts/labels.openapi.yaml": SPEC,
        "specs/013-pickup-slots/contracts/pickups.openapi.yaml": SPEC,
        "app.py": "x = 1\n",
    }
    assert _contracts(files) == []
    assert load_operations(project(files)) == ()


def test_a_lone_spec_in_documentation_or_examples_is_not_the_contract() -> None:
    assert _contracts({"docs/api/openapi.yaml": SPEC, "app.py": "x = 1\n"}) == []
    assert _contracts({"examples/openapi.yaml": SPEC, "app.py": "x = 1\n"}) == []


def test_a_longer_name_does_not_name_the_spec() -> None:
    files = {"api/openapi.yaml": SPEC, "docs/openapi.yaml": SPEC, "app.py": 'SPEC = "legacy-openapi.yaml"\n'}
    assert _contracts(files) == []
