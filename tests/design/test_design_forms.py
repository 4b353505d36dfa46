"""The one matcher of the rule readers' form tables (design/forms.py): readings come in table
order, then text order; a match its form does not accept is dropped; the tables of
clause_forms, guard_shapes and invariant_shapes are read by it."""
from __future__ import annotations

import re

from servicelens.design.clause_forms import CLAUSE_FORMS, clause_forms
from servicelens.design.forms import Form, Words, read_forms
from servicelens.design.guard_shapes import GUARD_FORMS
from servicelens.design.invariant_shapes import LIMIT_FORMS, MORE_FORMS, SENDER_FORMS

WORDS = Words(lambda w: w.rstrip("s"), lambda w: w not in ("it", "each"), lambda pos: "")


def test_readings_follow_the_table_then_the_text():
    forms = (Form(re.compile(r"\b(\w+) expires"), "expiry", lambda m, w: w.singular(m.group(1))),
             Form(re.compile(r"\bno two (\w+)"), "no-double-sell", lambda m, w: m.group(1)))
    got = read_forms("no two seats. holds expires. loans expires.", forms, WORDS)
    assert [(r.kind, r.value) for r in got] == [("expiry", "hold"), ("expiry", "loan"), ("no-double-sell", "seats")]
    assert got[0].start == len("no two seats. ")


def test_a_match_the_form_does_not_accept_is_dropped():
    form = Form(re.compile(r"\b(\w+) expires"), "expiry", lambda m, w: m.group(1) if w.noun(m.group(1)) else None)
    assert [r.value for r in read_forms("it expires. each expires. tokens expires.", (form,), WORDS)] == ["tokens"]


def test_every_reader_keeps_its_rules_in_a_table_of_forms():
    for table in (CLAUSE_FORMS, GUARD_FORMS, LIMIT_FORMS, SENDER_FORMS, MORE_FORMS):
        assert table and all(isinstance(f, Form) and f.kind for f in table)
    found = clause_forms("Every cask has exactly one owner at any time.", lambda pos: "s", lambda w: w.rstrip("s"))
    assert [(k, subject) for k, _, subject, _ in found] == [("uniqueness", "cask")]
