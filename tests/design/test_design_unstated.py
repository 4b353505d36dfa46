"""The figures a design needed that the text gives no basis for (design/unstated.py) are listed
in the "Requirement as understood" part, each with the assumption made and the question that
would settle it, and every one of them is also an open question: nothing is assumed silently."""
from __future__ import annotations

import json

from servicelens.design import design_from_text
from servicelens.render.design_json import render_design_json
from servicelens.render.design_markdown import render_design_markdown

_UNCOUNTED = "Tool shed app: members borrow tools and return them at one of our sheds; tools need a photo."
_COUNTED = "Tool shed app for 600 members: about 80 tools are borrowed a day, each record ~2 KB, kept 2 years."


def test_every_default_and_every_uncounted_thing_is_listed_with_its_question():
    p = design_from_text(_UNCOUNTED)
    rows = {u.figure: u for u in p.not_in_text}
    for a in p.assumptions:
        if not a.topic.startswith("'"):
            assert a.topic in rows and rows[a.topic].assumed == a.value
    assert "tools per day" in rows and "writes a day" in rows["tools per day"].assumed
    asked = {q.question for q in p.open_questions}
    assert all(u.question in asked for u in p.not_in_text)


def test_a_thing_the_text_counts_is_not_asked_for():
    p = design_from_text(_COUNTED)
    figures = {u.figure for u in p.not_in_text}
    assert "tools per day" not in figures
    assert "record size" not in figures and "retention" not in figures  # stated: "~2 KB", "kept 2 years"


def test_the_list_is_in_the_understood_part_of_every_format():
    p = design_from_text(_UNCOUNTED)
    md = render_design_markdown(p)
    understood = md[md.index("## Requirement as understood"):md.index("## Assumptions")]
    assert "no basis for" in understood and "How many tools are created per day" in understood
    data = json.loads(render_design_json(p))
    assert {r["figure"] for r in data["requirement"]["not_in_text"]} == {u.figure for u in p.not_in_text}
