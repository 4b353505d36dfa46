"""A fixed, realistic report for the golden-file tests.

Two services of a payments platform: a Flask API with a SQL injection reached in three
steps, an N+1 query with its fix, a missing timeout and a low-severity finding; endpoints
with all three auth states; diagnostics of several kinds; risks and open questions. Text
deliberately contains pipes, backticks and angle brackets so escaping is exercised.
"""
from __future__ import annotations

from dataclasses import replace

from servicelens.model import (
    Confidence,
    Datastore,
    Deployable,
    Diagnostic,
    Endpoint,
    Finding,
    Fix,
    Location,
    OpenQuestion,
    OutboundCall,
    Overview,
    Report,
    Risk,
    RunStats,
    Service,
    Severity,
    TraceStep,
    make_finding,
)

API = "services/payments-api"

SQLI_FIX = '''\
from sqlalchemy import text

def charges_for_customer(customer: str):
    sql = text("SELECT id, amount_cents, status FROM charges WHERE customer_id = :customer")
    return db.session.execute(sql, {"customer": customer}).all()
'''

N_PLUS_ONE_FIX = '''\
from sqlalchemy.orm import selectinload

charges = (
    Charge.query.options(selectinload(Charge.customer))
    .filter(Charge.created_at >= since)
    .limit(page_size)
    .all()
)
rows = [(c.id, c.customer.email, c.amount_cents) for c in charges]
'''

TIMEOUT_FIX = '''\
resp = requests.post(
    STRIPE_URL,
    data=payload,
    auth=(settings.STRIPE_KEY, ""),
    timeout=(3.05, 10),  # connect, read: fail fast instead of holding a worker
)
'''


def _loc(path: str, start: int, end: int = 0) -> Location:
    return Location(f"{API}/{path}", start, end)


def _sql_injection() -> Finding:
    return make_finding(
        "sql-injection",
        _loc("payments/repository.py", 31, 32),
        "Customer id from the query string is formatted into SQL run by db.session.execute",
        "Anyone who can call GET /reports/charges can read or modify every table the "
        "service account can reach: `?customer=x' OR '1'='1` dumps all customers' charges, "
        "and stacked statements can alter balances.",
        confidence=Confidence.HIGH,
        evidence=(
            TraceStep(_loc("payments/views/reports.py", 18),
                      "request data enters: query parameter `customer`",
                      'customer = request.args.get("customer", "")'),
            TraceStep(_loc("payments/views/reports.py", 21),
                      "passed unchanged to charges_for_customer(customer)",
                      "rows = charges_for_customer(customer)"),
            TraceStep(_loc("payments/repository.py", 31, 32),
                      "formatted into SQL text and executed",
                      'sql = f"SELECT id, amount_cents, status FROM charges '
                      "WHERE customer_id = '{customer}'\"\n"
                      "return db.session.execute(text(sql)).all()"),
        ),
        fix=Fix("Bind the value as a parameter; never build SQL text from request data.",
                SQLI_FIX, "python"),
        key="charges_for_customer:customer",
    )


def _n_plus_one() -> Finding:
    return make_finding(
        "n-plus-one-query",
        _loc("payments/views/charges.py", 44, 46),
        "Lazy `Charge.customer` loaded once per charge while listing charges",
        "Listing 500 charges issues 501 queries; at 50 req/s that is 25k queries/s against "
        "the primary, and p99 latency grows linearly with page size.",
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        evidence=(TraceStep(_loc("payments/views/charges.py", 44, 46),
                            "relationship attribute read inside a loop over a query result",
                            "for charge in charges:\n"
                            "    rows.append((charge.id, charge.customer.email,\n"
                            "                 charge.amount_cents))"),),
        fix=Fix("Eager-load the relation with `selectinload` so the page costs two queries, "
                "and cap the page size.", N_PLUS_ONE_FIX, "python"),
        key="Charge.customer",
    )


def _missing_timeout() -> Finding:
    finding = make_finding(
        "missing-timeout",
        _loc("payments/gateway.py", 57),
        "requests.post to Stripe has no timeout | a slow gateway pins every worker",
        "requests waits forever by default. When Stripe degrades, each gunicorn worker "
        "blocks on a socket and the whole API stops answering, including /health.",
        severity=Severity.MEDIUM,
        fix=Fix("Pass an explicit (connect, read) timeout and handle `requests.Timeout`.",
                TIMEOUT_FIX, "python"),
        key="requests.post",
    )
    return replace(finding, snippet="resp = requests.post(STRIPE_URL, data=payload, "
                                    'auth=(settings.STRIPE_KEY, ""))')


def _low_finding() -> Finding:
    finding = make_finding(
        "hardcoded-config",
        _loc("payments/settings.py", 12),
        "Ledger service URL hard-coded to an internal host",
        "Moving or scaling the ledger needs a code change and a redeploy of payments-api; "
        "staging and production cannot point at different ledgers.",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        key="LEDGER_URL",
    )
    return replace(finding, snippet='LEDGER_URL = "http://ledger.internal:8080/v1"')


def sample_findings() -> tuple[Finding, ...]:
    findings = (replace(_sql_injection(), reach="request"), _n_plus_one(), _missing_timeout(),
                # as `--profile extended` shows a finding the default profile holds back
                replace(_low_finding(), held_back="not on a request path: runs in `Command.handle` "
                        "(a management command, subclass of `BaseCommand`)"))
    return tuple(f.with_fingerprint() for f in findings)


def _api_service() -> Service:
    views = f"{API}/payments/views"
    return Service(
        name="payments-api",
        root=API,
        languages=("python",),
        frameworks=("flask", "sqlalchemy"),
        endpoints=(
            Endpoint("POST", "/charges", "create_charge", Location(f"{views}/charges.py", 12),
                     "flask", "required", "@login_required"),
            Endpoint("GET", "/charges", "list_charges", Location(f"{views}/charges.py", 38),
                     "flask", "required", "@login_required"),
            Endpoint("GET", "/reports/charges", "charges_report",
                     Location(f"{views}/reports.py", 15), "flask", "none",
                     "no auth decorator, before_request hook or middleware found"),
            Endpoint("POST", "/webhooks/stripe", "stripe_webhook",
                     Location(f"{views}/webhooks.py", 9), "flask", "unknown",
                     "custom check `verify_sig(request) | abort(401)` not modelled"),
        ),
        datastores=(Datastore("postgresql", "sqlalchemy", Location(f"{API}/payments/db.py", 5)),
                    Datastore("redis", "redis-py", Location(f"{API}/payments/cache.py", 3))),
        queues=("celery:ledger-events",),
        outbound_calls=(
            OutboundCall("requests", "https://api.stripe.com/v1/charges",
                         Location(f"{API}/payments/gateway.py", 57)),
            OutboundCall("requests", "http://ledger.internal:8080/v1",
                         Location(f"{API}/payments/ledger_client.py", 22)),
        ),
        deployables=(Deployable("dockerfile", "payments-api", Location(f"{API}/Dockerfile", 1),
                                "python:3.12-slim"),
                     Deployable("k8s-deployment", "payments-api",
                                Location("deploy/k8s/payments-api.yaml", 1))),
    )


def _ledger_service() -> Service:
    return Service(
        name="ledger-worker",
        root="services/ledger-worker",
        languages=("python",),
        frameworks=("celery",),
        datastores=(Datastore("postgresql", "psycopg"),),
        queues=("celery:ledger-events",),
        deployables=(Deployable("compose-service", "ledger-worker",
                                Location("docker-compose.yml", 18), "ledger-worker:latest"),),
    )


DIAGRAM = """\
flowchart LR
  client([client]) --> payments_api[payments-api]
  payments_api --> pg[(postgresql)]
  payments_api --> redis[(redis)]
  payments_api -->|HTTPS| stripe{{api.stripe.com}}
  payments_api -->|celery:ledger-events| ledger_worker[ledger-worker]
  ledger_worker --> pg
"""


def sample_report() -> Report:
    findings = sample_findings()
    return Report(
        root="examples/payments-platform",
        tool_version="0.1.0",
        overview=Overview(
            services=(_api_service(), _ledger_service()),
            languages=(("python", 42), ("yaml", 6), ("dockerfile", 2)),
            diagram=DIAGRAM,
            severity_counts=(("critical", 1), ("high", 1), ("medium", 1), ("low", 1)),
        ),
        findings=findings,
        risks=_risks(),
        open_questions=_questions(),
        diagnostics=_diagnostics(),
        stats=RunStats(files=50, lines=6120, suppressed=2, held_back=3),
    )


def _risks() -> tuple[Risk, ...]:
    return (
        Risk("Data breach through injectable reporting endpoint", "high", "high",
             "Parameterise all SQL; require auth on /reports/*; add a SQL-injection test.",
             ("sql-injection",), 1),
        Risk("API stalls when the card gateway is slow", "medium", "high",
             "Timeouts on every outbound call | circuit breaker around Stripe.",
             ("missing-timeout",), 1),
        Risk("Database overload as charge volume grows", "medium", "medium",
             "Eager-load relations on list endpoints and cap page sizes.",
             ("n-plus-one-query",), 1),
    )


def _questions() -> tuple[OpenQuestion, ...]:
    return (
        OpenQuestion("Is /reports/charges protected by a gateway or ingress auth?",
                     "It is reachable without authentication, as the code shows.",
                     "No ingress or API-gateway configuration is in the repository."),
        OpenQuestion("What traffic does GET /charges serve at peak?",
                     "Tens of requests per second with pages of up to 500 charges."),
        OpenQuestion("Are there migrations for the charges table?",
                     "No index on charges.customer_id; index findings were not reported.",
                     "No Alembic or SQL migration files were found."),
    )


def _diagnostics() -> tuple[Diagnostic, ...]:
    return (
        Diagnostic(f"{API}/payments/legacy/export_v1.py", "parse-error",
                   "invalid syntax (Python 2 print statement)", 88),
        Diagnostic(f"{API}/payments/legacy/import_v1.py", "parse-error",
                   "unexpected indent", 14),
        Diagnostic("services/ledger-worker/fixtures/ledger_2019.csv", "not-utf8",
                   "bytes 0xe9 at offset 311 are not UTF-8"),
        Diagnostic(f"{API}/static/app.bundle.js", "too-large",
                   "2.4 MB exceeds the 1 MB limit; skipped"),
    )
