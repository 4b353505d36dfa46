"""Components that follow from a need the text states in an engineer's words: a notice on
people's phones (push service), mail spelt "e-mail" (a queued notifier), a screen showing a live
list (a push channel), thousands of page views a second (cache and CDN), a company's own other
system called through its API (a guarded client), a payment provider named in passing (its
integration, webhook handler and reconciliation job), an approval or a waiting list (someone must
be told: a queued notifier). Cases are data in
tests/design/fixtures/need_components/."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "need_components"
ROOT = Path(__file__).resolve().parents[2]


def _cases(kind: str) -> list[dict]:
    return [c for path in sorted(FIXTURES.glob("*.yaml")) for c in yaml.safe_load(path.read_text(encoding="utf-8")).get(kind, [])]


@pytest.mark.parametrize("case", _cases("fire") + _cases("more_fire"), ids=lambda c: c["component"])
def test_a_stated_need_brings_its_component(case, design):
    assert any(case["component"] in c.name for c in design(case["text"]).components)


@pytest.mark.parametrize("case", _cases("not_fire") + _cases("more_not_fire"), ids=lambda c: c["component"])
def test_a_look_alike_brings_no_component(case, design):
    assert not any(case["component"] in c.name for c in design(case["text"]).components)


def test_an_engineers_name_for_the_rate_limiter_matches_the_rate_limit_component(design):
    sys.path.insert(0, str(ROOT / "benchmarks" / "design"))
    import run_design_corpus as runner
    names = [f"{c.name} {c.technology}" for c in design("A public API for 2,000 tenants, about 3,000 requests per second at "
                                                          "peak; each tenant may call it at most 100 times a minute.").components]
    assert runner.covered("rate limiter per tenant", names)
    assert not runner.covered("exchange rate feed", names)
