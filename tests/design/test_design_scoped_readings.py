"""Two readings that multiplied a whole system by something said of one part of it:
an indefinite holder in another clause ("250,000 open a session ... and sellers list around
60,000 new items a day" read as 60,000 items per session: 15 billion a day), and a multiple said
of one member of a population ("a bad release can push a single app to 50x its normal crash
rate" read as the system's peak factor: 1.2M writes/s for 45M reports a day)."""
from __future__ import annotations

import pytest

from design_helpers import cap

from servicelens.design import design_from_text


@pytest.mark.parametrize("text, per_day", [
    # the holder is the object of another clause: the rate is a total
    ("Marketplace: about 90,000 people open a session on a typical day and sellers list around 12,000 new items a day.", 12_000),
    ("Recipe site: 40,000 visitors read a recipe daily, while cooks post about 300 recipes a day.", 300),
    # the holder is the rate's own subject: per holder, times the holders
    ("Camera trap network: 800 camera traps in the park; a trap takes 150 photos a day.", 120_000),
    ("Weather stations: 2,000 stations across the country; each station sends 288 readings a day.", 576_000),
])
def test_a_rate_is_multiplied_only_by_its_own_holder(text, per_day):
    assert cap(design_from_text(text), "writes per day (average)") == pytest.approx(per_day, rel=0.01)


@pytest.mark.parametrize("text, factor", [
    ("Crash ingest: 30M reports a day from 4,000 apps; a bad release can push a single app to 40x its normal rate.", None),
    ("Tenant API: 5M calls a day from 900 tenants; an individual tenant can spike to 20x its normal load.", None),
    ("Ticket shop API: 20,000 orders a day; on a single day before a big concert traffic goes to 8x normal.", 8),
    ("Booking API: 50,000 bookings a day and traffic can jump to 5x normal at lunchtime.", 5),
])
def test_a_multiple_of_one_member_is_not_the_systems_peak(text, factor):
    p = design_from_text(text)
    stated = next((a for a in p.assumptions if a.topic == "peak factor"), None)
    peak = cap(p, "write requests per second (peak)") / cap(p, "write requests per second (average)")
    if factor is None:
        assert stated is not None and peak < 10  # the default factor, stated as an assumption
    else:
        assert peak == pytest.approx(factor, rel=0.01)
