"""Operations from a clause's own subject, verb and object: participles and adjectives qualify
the noun after them ("each found item"), verbs joined by "and"/"or" share one object
("approves or rejects it"), a pronoun object stands for the nearest thing before it that is not
a person introduced by "who", and "I"/"we"/"they" start a clause whose next word is its verb.
Cases are data in tests/design/fixtures/object_parser/."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from servicelens.design.catalog import load_catalog
from servicelens.design.requirement import parse_requirement

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "object_parser"
CATALOG = load_catalog()


def _cases(kind: str) -> list[dict]:
    return [c for path in sorted(FIXTURES.glob("*.yaml")) for c in yaml.safe_load(path.read_text(encoding="utf-8"))[kind]]


@pytest.mark.parametrize("case", [c for c in _cases("fire") if "action" in c], ids=lambda c: c["action"])
def test_a_clause_names_its_operation(case):
    assert case["action"] in parse_requirement(case["text"], CATALOG).actions


@pytest.mark.parametrize("case", [c for c in _cases("not_fire") if "action" in c], ids=lambda c: c["action"])
def test_a_look_alike_names_no_operation(case):
    assert case["action"] not in parse_requirement(case["text"], CATALOG).actions


def _op_ids(proposal) -> set[str]:
    doc = json.loads(proposal.openapi_json)
    return {o["operationId"] for methods in doc["paths"].values() for o in methods.values() if isinstance(o, dict)}


@pytest.mark.parametrize("case", [c for c in _cases("fire") if "op" in c], ids=lambda c: c["op"])
def test_what_expires_gets_an_expire_operation(case, design):
    assert case["op"] in _op_ids(design(case["text"]))


@pytest.mark.parametrize("case", [c for c in _cases("not_fire") if "op" in c], ids=lambda c: c["op"])
def test_what_is_only_kept_gets_no_expire_operation(case, design):
    assert case["op"] not in _op_ids(design(case["text"]))
