"""The requirement model that composes: every number accounted for, rates in any common
form, invariants and constraints, and designs for systems no catalogue names.

The prompts are phrasings that real engineers wrote and the old parser mishandled.
"""
from __future__ import annotations

import pytest

from design_helpers import cap
from servicelens.design import DesignInputError
from servicelens.design.requirement import parse_requirement


def _figure(req, fragment: str):
    return next(f for f in req.figures if fragment in f.phrase)


def test_every_number_is_listed_with_its_phrase(catalog):
    req = parse_requirement("Photo app: 5 million images per day, 2 MB on average, 10M daily active users, kept 30 days.", catalog)
    assert [f.value for f in req.figures] == [5e6, 2e6, 10e6, 2_592_000]
    assert all(f.meaning and f.phrase for f in req.figures)
    assert _figure(req, "2 MB").meaning == "object size"
    assert _figure(req, "kept 30 days").meaning == "retention"


def test_a_number_not_understood_is_listed_as_such(catalog):
    req = parse_requirement("An inventory service for 3 warehouses, 42.", catalog)
    assert any(f.value == 42 and f.meaning == "" for f in req.figures)


def test_users_and_a_peak_rate_are_not_multiplied(design):
    p = design("A booking service: about 1M users and 50 requests per second at peak")
    assert cap(p, "total requests per second (peak)") == pytest.approx(50, rel=0.01)


def test_daily_tweets_are_used_not_replaced_by_an_assumption(design):
    p = design("Design a twitter-like service: 500 million tweets per day, 200M daily active users.")
    assert cap(p, "write requests per second (average)") == pytest.approx(5787, rel=0.01)
    assert not any(a.topic == "peak traffic" for a in p.assumptions)


def test_concurrent_connections_size_the_connection_tier(design):
    p = design("A chat service where 400k concurrently connected clients exchange messages")
    assert p.requirement.concurrent_connections.value == 400_000
    assert cap(p, "concurrent connections (stated)") == 400_000
    assert cap(p, "connection gateway nodes") == 4


def test_interval_pings_times_the_population(design):
    p = design("Design Uber's driver matching. Assume 1M active drivers, 20M rides a day, and each active driver "
               "pings its location every 5s.")
    assert cap(p, "location updates per second (average)") == pytest.approx(200_000, rel=0.01)
    assert cap(p, "rides per second (average)") == pytest.approx(231.5, rel=0.01)


def test_a_counted_fleet_reporting_every_interval(design):
    p = design("We're putting sensors in ~400 cold-storage trucks, temp + GPS every 30s; a dashboard for dispatch.")
    assert cap(p, "gps updates per second (average)") == pytest.approx(13.33, rel=0.01)


def test_a_deadline_is_a_rate(design):
    p = design("Email campaign service: a 20M campaign must finish within 1 hour.")
    assert cap(p, "campaign (deadline): required rate") == pytest.approx(5556, rel=0.01)


@pytest.mark.parametrize("text", [
    "Design a ride-hailing dispatch service that matches riders to the nearest free driver.",
    "A game leaderboard: 10M daily players, show rank around me and top 100.",
    "Webhook delivery: customers register endpoints; we deliver 50M events per day at least once.",
    "Feature flags for 150 services; a change must reach all services within 5 seconds.",
    "IoT ingestion: 2M meters send a reading every 15 minutes over MQTT.",
])
def test_systems_outside_the_catalogue_are_designed(design, text):
    p = design(text)
    assert p.components and p.openapi_json and all(c.status != "failed" for c in p.self_check)


@pytest.mark.parametrize("text", ["Hi! Hope you're having a great week :)", "Is it going to rain in Lisbon tomorrow afternoon?"])
def test_text_that_describes_no_system_is_refused(design, text):
    with pytest.raises(DesignInputError):
        design(text)


def test_never_sold_twice_becomes_constraints_and_hold_operations(design):
    p = design("Ticketing for big concerts: a 60,000-seat stadium on-sale where 2M fans show up at once. "
               "No seat can be sold twice. Users get a 10-minute hold on seats while they pay with Stripe.")
    assert p.requirement.domains[0] == "system"
    assert "no-double-sell" in {i.kind for i in p.requirement.invariants}
    assert "seat_id uuid not null unique" in p.ddl
    ops = p.openapi_json
    for op in ("hold_seat", "confirm_seat", "release_seat", "join_waiting_room", "handle_payment_webhook"):
        assert f'"{op}"' in ops
    names = {c.name for c in p.components}
    assert {"Waiting room / admission control", "Stripe payment integration with webhook handler", "Reconciliation job against Stripe", "Scheduled expiry job"} <= names
    assert _figure(p.requirement, "10-minute hold").meaning == "hold / expiry duration"


def test_invoicing_invariants_are_enforced_by_the_schema(design):
    p = design("A B2B invoicing API: invoices are immutable once issued, corrections are credit notes, numbering is "
               "sequential with no gaps per tenant, and data must stay in the EU.")
    assert p.requirement.entities[0] == "invoice"
    assert "/v1/ours" not in p.openapi_json
    kinds = {i.kind for i in p.requirement.invariants}
    assert {"immutable", "gapless-sequence", "residency"} <= kinds
    assert "REVOKE UPDATE, DELETE ON invoices" in p.ddl
    assert "CREATE UNIQUE INDEX ux_invoices_tenant_id_number ON invoices (tenant_id, number);" in p.ddl
    assert "tenant_invoice_counters" in p.ddl
    assert any(c.kind == "residency" and c.value == "EU" for c in p.requirement.constraints)


def test_per_conversation_order_is_a_unique_sequence(design):
    p = design("Support chat between customers and agents; messages must be delivered in order within a conversation.")
    inv = next(i for i in p.requirement.invariants if i.kind == "per-key-order")
    assert "sequence" in inv.mechanism


def test_small_internal_app_stays_small_and_uses_sso(design):
    p = design("An internal HR app for 200 people: leave requests, approvals by managers, SSO via Okta.")
    names = {c.name for c in p.components}
    assert "Okta SSO login" in names and "Web app with a relational database" in names
    kinds = {n.split(" of ")[0].split(" for ")[0] for n in names}  # "Queue of requests" is still a queue
    assert not kinds & {"Cache", "Queue", "Read replicas", "Workers"}
    chosen = {d.pattern for d in p.decisions if d.chosen}
    assert "Password hashing sized with rate limits" not in chosen
    assert "auth" not in p.requirement.domains


def test_a_side_word_does_not_decide_the_kind_of_system(design):
    p = design("Hotel booking: 2,000 hotels, guests hold a room for 10 minutes while paying; the overbooking "
               "limit is 5%; 1M bookings per month.")
    assert p.requirement.domains[0] == "system"
    assert p.requirement.retention is None


def test_blocks_bring_operations_named_after_the_problem(design):
    p = design("Global leaderboard for our mobile game. 50M registered players, 8M DAU, each plays ~10 matches/day. "
               "Players want to see their own rank and the players around them.")
    for op in ("get_rank_around_me", "get_top_n", "submit_score"):
        assert f'"{op}"' in p.openapi_json
    assert cap(p, "sorted-set memory") == pytest.approx(5, rel=0.01)  # 50M x 100 B = 5 GB


def test_every_contract_feature_self_checks_in_every_stack(design):
    text = "Webhooks platform: customers register HTTPS endpoints; 200M events/day, at least once, per-endpoint isolation."
    for stack in ("fastapi", "express", "spring", "go"):
        p = design(text, stack)
        assert all(c.status != "failed" for c in p.self_check), (stack, p.self_check)


def test_cli_reads_a_requirement_file_instead_of_designing_its_name(tmp_path):
    from typer.testing import CliRunner
    import typer
    from servicelens.cli import design_cmd

    app = typer.Typer()
    design_cmd.register(app)
    app.command("noop")(lambda: None)
    req = tmp_path / "requirement.txt"
    req.write_text("A game leaderboard: 10M daily players, show rank around me and top 100.", encoding="utf-8")
    result = CliRunner().invoke(app, ["design", str(req), "-f", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "leaderboard" in result.output.lower() and "requirement.txt" not in result.output
    missing = CliRunner().invoke(app, ["design", str(tmp_path / "nope.txt")], catch_exceptions=False)
    assert missing.exit_code == 2 and "file not found" in missing.output


def test_an_idempotency_key_reaches_the_database(design):
    p = design("a REST API to manage invoices for 10k customers")
    assert "CREATE UNIQUE INDEX ux_invoices_owner_id_idempotency_key ON invoices (owner_id, idempotency_key);" in p.ddl
    check = next(c for c in p.self_check if c.name.startswith("declared contract features"))
    assert check.status == "passed" and "create_invoice: Idempotency-Key" in check.details


def test_contract_feature_check_fails_when_a_declared_key_is_dropped():
    from servicelens.design.codeplan import plan_handler
    from servicelens.design.selfcheck import check_contract_features

    table = {"name": "notes", "columns": ["id uuid primary key", "owner_id uuid not null", "body text not null"]}
    op = {"id": "create_note", "method": "POST", "path": "/v1/notes", "summary": "Create a note", "kind": "write",
          "status": 201, "auth": True, "idempotent": True, "table": "notes", "request": {"body": {"type": "string"}},
          "queries": [{"table": "notes", "where": ["id"]}]}
    check = check_contract_features([plan_handler(op, {"notes": table})])
    assert check.status == "failed" and "never stores or checks" in check.details[0]


def test_not_understood_figures_are_asked_about_and_rendered(design):
    from servicelens.render.design_markdown import render_design_markdown

    p = design("An inventory service for 3 warehouses, 42.")
    assert any(q.topic == "not understood" and "42" in q.question for q in p.open_questions)
    md = render_design_markdown(p)
    assert "NOT UNDERSTOOD" in md and "| 3 count | count of warehouses | yes |" in md


@pytest.mark.parametrize("text, noun", [
    ("Game lobby: 9M concurrent at peak, players join matches.", ""),
    ("Game lobby: 40,000 concurrent players at peak join matches.", "players"),
    ("Ticket desk: 3,000 total per day, agents close tickets.", ""),
])
def test_a_qualifier_alone_counts_nothing(text, noun):
    """A word that qualifies a counted noun ("concurrent", "total") names no thing when no noun follows it."""
    from servicelens.design.figures import counted_noun
    from servicelens.design.text import normalise, numbers
    norm = normalise(text)
    assert counted_noun(norm, numbers(norm)[0]) == noun
