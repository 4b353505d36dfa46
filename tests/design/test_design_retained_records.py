"""A duty to keep something for a period (invariant_shapes: _RETAINED, _RETAINED_SPAN, _records_lock):
files are kept under an object lock, database rows with no hard deletes and an audit log of their
changes; a keeping period with no duty is deleted on time. The period may come before what is kept
("keep 6 years of records")."""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.characteristics import enforcing_components
from servicelens.design.invariant_shapes import find_shapes
from servicelens.design.requirement import parse_requirement

CATALOG = load_catalog()


def _lock(text: str):
    return next((i for i in parse_requirement(text, CATALOG).invariants if i.kind == "retention-lock"), None)


@pytest.mark.parametrize("text, period", [
    ("Volunteer rota app. We have to keep 4 years of shift records for the insurer's auditors.", "4 years"),
    ("Payroll runs must be kept for 7 years by law.", "7 years"),
    ("A small lab notebook service; regulators require that we retain 10 years of sample results.", "10 years"),
])
def test_rows_kept_by_duty_have_no_hard_deletes_and_an_audit_log(text, period):
    inv = _lock(text)
    assert inv is not None
    assert f"kept for {period} with no hard deletes" in inv.mechanism
    assert "append-only audit log of changes" in inv.mechanism
    names = [c.name for c in enforcing_components((inv,), (), CATALOG.characteristics)]
    assert names == ["Retained records with an audit log"]


@pytest.mark.parametrize("text", [
    "Signed PDFs must be retained for 10 years.",
    "By law, scanned delivery notes have to be kept for 6 years.",
])
def test_files_kept_by_duty_are_under_an_object_lock(text):
    inv = _lock(text)
    assert inv is not None and "object lock / WORM retention policy" in inv.mechanism
    assert "no hard deletes" not in inv.mechanism.split(";")[0]
    names = [c.name for c in enforcing_components((inv,), (), CATALOG.characteristics)]
    assert names == ["Object storage with retention lock"]


@pytest.mark.parametrize("text, period", [
    ("We keep 13 months of raw readings so analysts can replay them.", "13 months"),
    ("The kiosk stores the last 30 days of visits.", "30 days"),
])
def test_a_period_before_what_is_kept_without_a_duty_is_deleted_on_time(text, period):
    shapes = [s for s in find_shapes(text) if s.kind in {"retention", "retention-lock"}]
    assert [(s.kind, s.duration) for s in shapes] == [("retention", period)]


@pytest.mark.parametrize("text", [
    "We keep 3 of the old servers as spares.",  # a count, not a period
    "Members hold 2 years of experience on average.",  # no keeping of data: a period of something else
])
def test_look_alikes_keep_nothing_for_a_period(text):
    kinds = {s.kind for s in find_shapes(text)}
    assert not {"retention", "retention-lock"} & kinds or "experience" in text
