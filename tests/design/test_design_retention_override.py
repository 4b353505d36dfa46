"""A stated minimum retention that the operator exceeds in a contrast ("the regulation asks for
2 years, but we will keep 7 years"): storage is sized on what is kept, the longer retention,
and the two are no contradiction (design/measures.py `overrides`). A contrast about other data,
or one that keeps less, leaves the first retention. Written in domains unlike the corpus."""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.requirement import parse_requirement

YEAR_S = 365 * 86_400


def _req(text: str):
    return parse_requirement(text, load_catalog())


@pytest.mark.parametrize("text, years", [
    ("Each pharmacy logs 300 dispensings a day. The regulator requires keeping the logs for 2 years, but we will keep 7 years.", 7.0),
    ("Branches record 5,000 loans a day. Loan records must be retained for 1 year; however we retain them for 5 years.", 5.0),
    ("Crews file 400 site diaries a day. The contract asks that diaries are kept for 3 years, but we keep them for 12 years.", 12.0),
    ("The court registry takes 2,000 filings a day. Filings are stored for 6 years by statute, though we store them for 10 years.", 10.0),
    ("Water meters send 90,000 readings a day. Readings must be kept for 1 year under the licence, but the utility keeps 3 years.", 3.0),
])
def test_a_longer_retention_said_in_contrast_sizes_storage(text, years):
    req = _req(text)
    assert req.retention.value / YEAR_S == pytest.approx(years)
    assert not [c for c in req.contradictions if "retention" in str(c).lower()]


@pytest.mark.parametrize("text, years", [
    # the contrast keeps less: the first retention stays
    ("Branches record 5,000 loans a day. Loan records are kept for 5 years, but we keep reader photos for 1 year.", 5.0),
    # the contrast is about other data
    ("Ships send 8,000 position reports a day. Position reports are kept for 1 year, but we keep crew lists for 6 years.", 1.0),
    # no contrast: two retentions listed, the first said stays
    ("Clinics log 700 visits a day. Visit notes are kept for 8 years and invoices for 10 years.", 8.0),
    # a contrast that is not about keeping
    ("Crews file 400 site diaries a day. Diaries are kept for 3 years, but nobody reads them after 5 years.", 3.0),
    # the longer figure is in a later sentence, not a contrast
    ("Courts take 2,000 filings a day. Filings are stored for 6 years. Appeals may run 10 years.", 6.0),
])
def test_no_override_without_a_contrast_that_keeps_the_same_data_longer(text, years):
    assert _req(text).retention.value / YEAR_S == pytest.approx(years)
