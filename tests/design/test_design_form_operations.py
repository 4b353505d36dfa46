"""Operations from the acts the invariant forms read (form_actions): a rule that names who
does what to which thing names an operation of the API too. Cases are data in
tests/design/fixtures/form_operations/: texts that must hold an action and look-alikes that
must not."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from servicelens.design.catalog import load_catalog
from servicelens.design.requirement import parse_requirement

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "form_operations"
CATALOG = load_catalog()


def _cases(kind: str) -> list[dict]:
    return [c for path in sorted(FIXTURES.glob("*.yaml")) for c in yaml.safe_load(path.read_text(encoding="utf-8"))[kind]]


@pytest.mark.parametrize("case", _cases("fire"), ids=lambda c: c["action"])
def test_a_form_names_an_operation(case):
    assert case["action"] in parse_requirement(case["text"], CATALOG).actions


@pytest.mark.parametrize("case", _cases("not_fire"), ids=lambda c: c["action"])
def test_a_look_alike_names_no_operation(case):
    assert case["action"] not in parse_requirement(case["text"], CATALOG).actions
