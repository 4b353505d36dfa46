"""Write streams with sizes of their own are stored each at its size (design/workload.py
`_weighted_record`): a small, frequent stream (audit events of 500 B) does not take the size
of the large one (3 KB prescriptions), which planned 4 shards for 1.9 TB."""
from __future__ import annotations

import pytest

from servicelens.design import design_from_text

FIRE = [
    ("GPs issue about 90,000 prescriptions a day. A prescription record is ~3 KB. Every change is written to an audit "
     "log (about 5 audit events per prescription, ~500 bytes each) that is kept for 8 years.", 917),
    ("Clinics upload 20,000 scans a day, a scan record is 2 KB, and devices send 2 million readings a day of 100 bytes "
     "each.", 119),
]
QUIET = [
    "GPs issue about 90,000 prescriptions a day. A prescription record is ~3 KB.",
    "Shops record 50,000 sales a day and 10,000 refunds a day; a record is about 1 KB.",
]


def _record(text: str):
    return next(i for i in design_from_text(text).capacity if i.name == "record size")


@pytest.mark.parametrize("text, size", FIRE)
def test_streams_of_different_sizes_are_stored_at_their_own_size(text, size):
    line = _record(text)
    assert abs(line.value - size) <= 0.02 * size, (line.value, line.formula)
    assert "average over the write streams" in line.formula


@pytest.mark.parametrize("text", QUIET)
def test_one_size_stays_the_record_size(text):
    assert "average over the write streams" not in _record(text).formula


def test_a_file_stream_counts_as_its_record_not_its_file():
    text = ("Researchers submit about 1,200 vulnerability reports a day, each with 3 attachments on average at about "
            "2 MB each. Everything is kept for 5 years.")
    assert _record(text).value < 100_000
