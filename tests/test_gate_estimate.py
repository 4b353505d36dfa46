"""The precision gate's hierarchical estimate (analysis/gate_estimate.py) and the mechanism
families of data/profile.yaml it borrows from."""
from __future__ import annotations

from collections import Counter
from importlib import resources
from types import MappingProxyType

import pytest

from servicelens.analysis.gate_estimate import (Measured, MeasuredKey, Strengths, estimate, fitted_strength,
                                               fitted_strengths, parse_key, priors_from, shrunk)
from servicelens.analysis.profiles import load_policy
from servicelens.model.concerns import load_taxonomy
from servicelens.packaged_yaml import packaged_yaml

FAMILIES = MappingProxyType({"xss": "sink", "ssrf": "sink", "sql-injection": "sink", "missing-timeout": "calls"})
ONE = Strengths.uniform(1)


def test_keys_are_taken_apart_as_precision_yaml_writes_them() -> None:
    assert parse_key("missing-timeout") == MeasuredKey("missing-timeout")
    assert parse_key("missing-timeout [javascript] @ request (high)") == \
        MeasuredKey("missing-timeout", "javascript", "request", "high")
    assert parse_key("xss @ unknown") == MeasuredKey("xss", "", "unknown")


def test_a_level_with_no_findings_is_its_prior_and_each_finding_moves_it() -> None:
    assert shrunk(None, 0.3, 1) == 0.3
    assert shrunk(Measured(1, 1), 0.3, 1) == pytest.approx(0.65)
    assert shrunk(Measured(90, 100), 0.3, 1) == pytest.approx(90.3 / 101)


def test_families_average_their_concerns_and_languages_stay_apart() -> None:
    measured = {"xss": Measured(0, 50), "ssrf": Measured(5, 10), "missing-timeout": Measured(900, 1000),
                "xss [javascript]": Measured(1, 4)}
    priors = priors_from(measured, FAMILIES, ONE)
    assert priors.pooled == pytest.approx(906 / 1064)  # findings, so the big rule dominates
    # the family's prior is about what a rule of it scores: two rules, 0 of 50 and 5 of 10, not 5 of 60
    sink = priors.of("sink", "")
    assert 0.2 < sink < 0.5
    assert priors.of("sink", "javascript") < 0.6 and priors.of("unknown-family", "javascript") == \
        priors.languages["javascript"]
    assert estimate(MeasuredKey("sql-injection"), measured, priors, FAMILIES, ONE) == sink
    assert estimate(MeasuredKey("sql-injection", "go"), measured, priors, FAMILIES, ONE) == 0.0  # nothing in Go


def test_the_descent_stops_at_the_first_level_not_measured() -> None:
    measured = {"missing-timeout": Measured(90, 100), "missing-timeout @ request": Measured(50, 50, "request"),
                "missing-timeout @ task (high)": Measured(0, 9, "task", "high")}
    priors = priors_from(measured, FAMILIES, ONE)
    concern = estimate(MeasuredKey("missing-timeout"), measured, priors, FAMILIES, ONE)
    request = estimate(MeasuredKey("missing-timeout", "", "request", "high"), measured, priors, FAMILIES, ONE)
    assert request == pytest.approx((50 + concern) / 51)  # the cell; its high sub-cell was not measured
    # a confidence is measured only within its reach: a sub-cell under an unmeasured cell is not read
    assert estimate(MeasuredKey("missing-timeout", "", "task", "high"), measured, priors, FAMILIES, ONE) == concern


def test_every_concern_of_the_taxonomy_is_in_exactly_one_family() -> None:
    profile = packaged_yaml(resources.files("servicelens.data").joinpath("profile.yaml").read_text("utf-8"))
    listed = Counter(concern for family in profile["families"].values() for concern in family["concerns"])
    assert set(listed) == set(load_taxonomy().ids())
    assert all(count == 1 for count in listed.values())
    assert all(family["mechanism"] for family in profile["families"].values())


def test_the_shipped_policy_builds_its_priors_per_language() -> None:
    policy = load_policy()
    assert set(policy.priors.languages) >= {"", "javascript"}
    assert ("request-data-to-sink", "javascript") in policy.priors.families
    assert all(0.0 <= value <= 1.0 for value in policy.priors.families.values())


def test_each_level_is_shrunk_by_its_own_strength() -> None:
    measured = {"missing-timeout": Measured(90, 100), "missing-timeout @ task": Measured(1, 4, "task")}
    priors = priors_from(measured, FAMILIES, ONE)
    concern = estimate(MeasuredKey("missing-timeout"), measured, priors, FAMILIES, ONE)
    loose = estimate(MeasuredKey("missing-timeout", "", "task"), measured, priors, FAMILIES, ONE)
    tight = estimate(MeasuredKey("missing-timeout", "", "task"), measured, priors, FAMILIES,
                     Strengths(reach=6))
    assert loose == pytest.approx((1 + concern) / 5) and tight == pytest.approx((1 + 6 * concern) / 10)
    assert loose < tight < concern  # four labels at a reach move it less when reaches stay near their concern


def test_the_fit_prefers_a_large_strength_when_members_stay_near_their_parent() -> None:
    near = [(8, 10, 0.8), (16, 20, 0.8), (4, 5, 0.8), (39, 50, 0.8), (7, 9, 0.8)]
    far = [(0, 10, 0.5), (20, 20, 0.5), (1, 12, 0.5), (15, 15, 0.5), (0, 9, 0.5)]
    assert fitted_strength(near) >= 16 and fitted_strength(far) <= 1


def test_the_fit_compares_a_reach_with_the_rest_of_its_concern() -> None:
    # a concern measured at one reach only: that reach is its concern and says nothing about straying
    one_reach = {"xss": Measured(1, 10), "xss @ request": Measured(1, 10, "request")}
    assert fitted_strengths(one_reach, FAMILIES).reach == fitted_strength([]) == 1.0
    spread = {"missing-timeout": Measured(50, 100), "missing-timeout @ request": Measured(50, 50, "request"),
              "missing-timeout @ task": Measured(0, 50, "task")}
    assert fitted_strengths(spread, FAMILIES).reach <= 1
