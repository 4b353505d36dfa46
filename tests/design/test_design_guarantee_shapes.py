"""Hard guarantees read from sentence shapes (design/guarantee_shapes.py, design/rule_mood.py),
in words unlike the texts that prompted them: each fires with its named mechanism, and the
look-alikes (a report, a habit, a vague bound) name none."""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.requirement import parse_requirement


def _invariants(text: str) -> dict[str, str]:
    req = parse_requirement(text, load_catalog())
    return {i.kind: i.mechanism for i in req.invariants}


@pytest.mark.parametrize("text, kind, words", [
    ("Warehouse transfers: when stock moves between two bins both counts change together, all or nothing.",
     "atomic-change", ["atomic database transaction", "commit"]),
    ("A ticket swap between two fans happens atomically, or not at all.", "atomic-change", ["transaction"]),
    ("Shoppers must never see a half-published price list.", "atomic-publish", ["current-version pointer", "list version"]),
    ("The pricing screen must not mix rates from two different tariff releases.", "atomic-publish", ["pointer"]),
    ("A payslip must be reproducible exactly, years later, for the tax office.", "reproducible-history",
     ["append-only", "as-of"]),
    ("Holdings as of any earlier date must be shown to regulators.", "reproducible-history", ["bitemporal"]),
    ("A delayed thermostat reading must never overwrite a newer one.", "monotonic-update",
     ["monotonically increasing version", "reading"]),
    ("Sprinkler controllers reject older schedule versions.", "monotonic-update", ["version"]),
    ("Bank account numbers of tenants are never stored by the letting portal.", "secret-storage", ["token", "hash"]),
    ("Notes are end-to-end encrypted: the server never sees plaintext.", "secret-storage", ["client-side encryption"]),
    ("A voucher code maps to exactly one campaign.", "uniqueness", ["unique constraint on the code id"]),
    ("Membership numbers are unique.", "uniqueness", ["unique constraint on the membership number"]),
    ("A signed lease PDF cannot be changed; a change creates a new version.", "immutable",
     ["write-once", "content hash", "new version"]),
    ("A posted journal line cannot be edited; mistakes get a reversal entry.", "immutable", ["insert-only", "revoked"]),
])
def test_a_guarantee_names_its_mechanism(text, kind, words):
    found = _invariants(text)
    assert kind in found, found
    for word in words:
        assert word in found[kind], found[kind]


@pytest.mark.parametrize("text", [
    "We never had an outage in five years of running the shop.",
    "Our back office has no more than a few users.",
    "Orders are usually processed in order received.",
    "Bugs in the sync are hard to reproduce.",
    "Last night's import was partially loaded before the disk filled up.",
    "We mix batch and streaming jobs on one cluster.",
])
def test_a_look_alike_names_no_guarantee(text):
    found = _invariants("A small shop backend with orders and customers. " + text)
    assert not {"atomic-change", "atomic-publish", "reproducible-history", "monotonic-update", "secret-storage",
                "per-key-order", "capacity-limit", "uniqueness"} & set(found), found


def test_two_at_once_stays_an_exclusive_hold_not_a_unique_link():
    found = _invariants("Ride dispatch. A driver must never be assigned 2 rides at the same time.")
    assert "no-double-sell" in found and "uniqueness" not in found, found


def test_a_hedge_inside_parentheses_keeps_the_rule():
    found = _invariants("Library. Publishers license N concurrent copies per title (usually 1-3).")
    assert "capacity-limit" in found, found


def test_a_stale_write_rule_is_ordering_not_immutability():
    found = _invariants("Weather forecasts for 2 million users. A newer forecast must never be overwritten by an older one.")
    assert "monotonic-update" in found and "immutable" not in found, found


def test_a_partial_view_rule_is_no_read_restriction():
    found = _invariants("Weather forecasts for 2 million users. Clients must never see a partially loaded model run.")
    assert "atomic-publish" in found and "restricted-read" not in found, found


def test_the_guarantees_reach_the_ddl_as_constraints():
    from servicelens.design import design_from_text
    p = design_from_text("Weather forecast API for 2 million users. Clients must never see a partially loaded model run. "
                         "A newer forecast must never be overwritten by an older one. "
                         "The forecast as of any past date must be reproducible.")
    assert "CREATE TABLE current_" in p.ddl and "check (singleton)" in p.ddl
    assert "recorded_at timestamptz" in p.ddl and "REVOKE UPDATE, DELETE ON forecasts" in p.ddl
    assert p.ddl.count("REVOKE UPDATE, DELETE ON forecasts ") == 1
    assert "dates" not in p.requirement.entities
