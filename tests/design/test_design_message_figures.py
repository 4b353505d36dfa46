"""Messages sent for each event of a stream ("the recipient gets an SMS and an e-mail" after
"600k parcels a day" -> 1.2M messages a day): design/message_figures.py. Fixtures in
tests/design/fixtures/message-figures: texts that must give the figure and look-alikes
(a message on a condition, a broadcast to a population, no stream) that must not."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design import design_from_text

_cases = fixture_cases("message-figures")


def _lines(text: str):
    return [i for i in design_from_text(text).capacity if i.name.startswith("messages sent per day")]


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_messages_per_event_give_messages_per_day(case):
    lines = _lines(case["text"])
    assert lines and abs(lines[0].value - case["per_day"]) <= 0.01 * case["per_day"], [(i.name, i.value) for i in lines]
    assert "messages" in lines[0].formula and "/day x" in lines[0].formula


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_a_message_not_sent_for_every_event_gives_no_figure(case):
    assert _lines(case["text"]) == []
