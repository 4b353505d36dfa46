"""Operations read from the text carry the clause they were read from, and a thing the text
only counts gets no generic edit or delete. Texts written for these tests."""
from __future__ import annotations

import json

from servicelens.design.entities import find_actions
from servicelens.design.op_sources import source_clause


def _ops(proposal):
    doc = json.loads(proposal.openapi_json)
    return {op.get("operationId"): op for methods in doc["paths"].values()
            for op in methods.values() if isinstance(op, dict)}


def test_the_clause_runs_from_the_actor_to_the_object():
    text = ("Authors submit manuscripts (PDF plus supplementary files), editors invite reviewers, reviewers accept "
            "or decline and submit reports, and the editor decides.")
    assert source_clause(text, "accept", "report") == "reviewers accept or decline and submit reports"
    assert source_clause(text, "invite", "reviewer") == "editors invite reviewers"


def test_a_list_of_modes_stays_with_its_verb():
    text = "Customers purge by URL, by surrogate tag, or everything under a hostname. We see 9M purge requests a day."
    assert source_clause(text, "purge", "purge") == "Customers purge by URL, by surrogate tag, or everything under a hostname"


def test_the_noun_use_of_an_act_word_is_not_its_clause():
    assert source_clause("We see 9M purge requests a day.", "purge", "purge") == ""


def test_verb_and_object_in_different_sentences_give_no_clause():
    assert source_clause("Skippers pay online. The fee is fixed.", "pay", "fee") == ""


def test_the_clause_is_cleaned_for_code_comments_and_bounded():
    got = source_clause('Staff */ approve <b>"claims"</b> quickly.', "approve", "claim")
    assert "*/" not in got and "<" not in got and '"' not in got and "approve" in got
    assert source_clause("Managers approve " + "very " * 40 + "big claims.", "approve", "claim") == ""


def test_an_operation_read_from_the_text_cites_its_clause_in_its_description(design):
    p = design("Design a plot rental service for allotment sites. Tenants rent plots for a season, and wardens "
               "inspect plots every month. About 2,000 tenants.")
    ops = _ops(p)
    assert "inspect_plot" in ops
    assert ops["inspect_plot"]["description"] == "From the requirement: wardens inspect plots every month"
    # the summary stays the operation's own name, with who calls it
    assert ops["inspect_plot"]["summary"].endswith("(by wardens)") and "every month" not in ops["inspect_plot"]["summary"]


def test_a_thing_only_counted_gets_no_generic_edit_or_delete(design):
    p = design("Design a purge API for our CDN. We have 140 edge PoPs with about 30 cache servers each, and "
               "customers purge by URL or by surrogate tag, about 9M purges a day.")
    ops = _ops(p)
    assert not any(o.startswith(("update_server", "delete_server", "update_pop", "delete_pop")) for o in ops)


def test_a_text_that_asks_to_edit_keeps_the_edit(design):
    p = design("Design a recipe site. Members post recipes and can edit or delete them later; other members "
               "save recipes to collections and rate them. About 50k members.")
    ops = _ops(p)
    assert any(o.startswith(("update_recipe", "edit_recipe")) for o in ops)
    assert any(o.startswith(("delete_recipe",)) for o in ops)


def test_clause_words_are_not_verbs():
    """Look-alikes: a sentence opened by "Twice" or "Today" before a determiner."""
    text = "Twice a year plots that have come free are offered to the top of the list. Today each team hacks it with Redis."
    assert [a.op_id for a in find_actions(text)] == []


def test_what_the_writer_says_their_business_runs_is_no_operation(design):
    p = design("Hello, we run 4 allotment sites with 310 plots between them. Tenants rent plots for a season "
               "and pay rent once a year. About 900 tenants.")
    ops = _ops(p)
    assert "run_site" not in ops and "rent_plot" in ops


def test_the_verb_after_unless_is_read_with_its_own_subject():
    text = "Recordings are deleted after 30 days, unless a proctor flags the session."
    assert "flag_session" in [a.op_id for a in find_actions(text)]


def test_the_writer_still_acts_on_things_with_other_verbs():
    assert "issue_certificate" in [a.op_id for a in find_actions("If a name is wrong we revoke it and issue a new certificate.")]
    assert "run_search" in [a.op_id for a in find_actions("Reviewers run searches over the archive.")]


def test_the_actors_of_a_step_named_without_its_object(design):
    p = design("Expense approval workflow for a 5,000-employee company. Employees submit expenses with receipt "
               "photos, the manager approves, finance additionally approves anything over 1,000 euros, and "
               "approved expenses are exported to SAP.")
    ops = _ops(p)
    assert ops["approve_expense"]["summary"].endswith("(by manager, finance)")
    assert ops["submit_expense"]["summary"].endswith("(by Employees)")


def test_no_actor_from_a_pronoun_a_preposition_or_a_passive():
    from servicelens.design.op_sources import bare_actors, clause_actor
    assert clause_actor("Reviewers are reminded if they have not responded", "remind", "reviewer") == ""
    assert clause_actor("keep 6 years of records for the tax people", "record", "tax") == ""
    assert clause_actor("we revoke it and issue a new one", "revoke", "certificate") == ""
    assert bare_actors("Staff approve requests quickly.", "approve") == ()


def test_only_someone_who_acts_is_an_actor():
    """Look-alikes: a thing before the verb is no caller ("build logs stream", "sessions report")."""
    from servicelens.design.op_sources import clause_actor, is_agent
    assert all(is_agent(w) for w in ("manager", "editors", "Employees", "tenants", "PMs", "finance", "triager"))
    assert not any(is_agent(w) for w in ("review", "Build", "crash-free", "file", "sessions", "orders", "stat"))
    assert clause_actor("Build logs stream to the browser", "stream", "browser") == ""


def test_the_noun_before_a_participle_is_no_actor():
    from servicelens.design.op_sources import clause_actor
    assert clause_actor("triage then assessor assigned then estimate", "assign", "estimate") == ""
    assert clause_actor("Harbour masters assign each arriving boat", "assign", "boat") == "masters"


def test_a_thing_qualified_by_another_kept_thing_is_named_as_the_text_names_it():
    from servicelens.design.op_sources import compound_name
    text = "Marketing issues single-use coupon codes; checkout validates a code."
    assert compound_name(text, "code", {"code", "coupon", "campaign"}) == "coupon code"
    assert compound_name(text, "code", {"code", "campaign"}) == ""  # "coupon" is no kept thing here
