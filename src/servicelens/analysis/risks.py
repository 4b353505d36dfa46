"""Roll findings up into the handful of risks a team puts on its risk register."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from servicelens.model.finding import Confidence, Finding, Severity
from servicelens.model.report import Risk


@dataclass(frozen=True, slots=True)
class _RiskKind:
    title: str
    concerns: frozenset[str]
    mitigation: str


_KINDS = (
    _RiskKind("Injection leading to data theft or remote code execution",
              frozenset({"sql-injection", "nosql-injection", "command-injection", "code-injection", "template-injection",
                         "insecure-deserialization", "xxe", "ldap-injection", "xpath-injection", "path-traversal", "ssrf", "redos"}),
              "Parameterise queries, never pass request data to shells, eval or unsafe loaders; validate paths and URLs "
              "against allow-lists; add these flows to the security test suite."),
    _RiskKind("Unauthorised access and account takeover",
              frozenset({"missing-authentication", "broken-object-authorization", "mass-assignment", "auth-brute-force",
                         "jwt-misuse", "weak-password-hash", "account-enumeration", "timing-unsafe-comparison", "weak-random",
                         "insecure-cookie", "hardcoded-secret", "trust-boundary", "secret-in-image", "api-unauthenticated-operation",
                         "broken-function-authorization", "api-contract-drift"}),
              "Enforce authentication and object ownership in one place (middleware/dependency), rotate exposed secrets, "
              "use a password hash and CSPRNG tokens, rate-limit auth endpoints."),
    _RiskKind("Attacks on users through the browser",
              frozenset({"xss", "open-redirect", "header-injection", "permissive-cors", "csrf"}),
              "Escape output by default (templates), validate redirect targets, restrict CORS to known origins."),
    _RiskKind("Leak of sensitive data",
              frozenset({"excessive-data-exposure", "error-details-exposed", "sensitive-data-logged", "debug-enabled",
                         "tls-verification-disabled", "weak-hash", "weak-cipher"}),
              "Serialise explicit fields, turn debug off in production, scrub logs, keep TLS verification on."),
    _RiskKind("Latency spikes and outages under load",
              frozenset({"n-plus-one-query", "query-in-loop", "unbounded-query", "missing-index", "connection-per-request",
                         "blocking-call-in-async", "missing-timeout", "unbounded-request-body", "missing-rate-limit",
                         "inefficient-loop-work", "cache-stampede", "missing-circuit-breaker", "api-no-pagination",
                         "api-unbounded-input", "api-no-rate-limit"}),
              "Batch queries, paginate lists, index filtered columns, set timeouts on every outbound call, "
              "add rate limits and breakers on dependencies; load-test the hot paths."),
    _RiskKind("Corrupted data, lost updates and double charges",
              frozenset({"race-condition", "missing-transaction", "missing-idempotency", "float-for-money",
                         "swallowed-exception", "resource-leak", "unsafe-retry"}),
              "Wrap related writes in transactions, use atomic updates or row locks for balances and stock, "
              "require idempotency keys on create/charge endpoints, use Decimal for money."),
    _RiskKind("Fragile deployments",
              frozenset({"container-runs-as-root", "unpinned-dependency", "missing-resource-limits", "missing-health-check",
                         "single-replica"}),
              "Run as non-root with pinned images, set requests/limits and probes, run critical services with "
              "at least two replicas and a disruption budget."),
    _RiskKind("Slow, error-prone change",
              frozenset({"high-complexity", "fat-handler", "hardcoded-config", "duplicated-logic", "api-inconsistent-errors",
                         "api-unversioned"}),
              "Split handlers into service functions, move configuration to settings, version the API."),
)


def roll_up_risks(findings: Sequence[Finding]) -> tuple[Risk, ...]:
    risks = []
    for kind in _KINDS:
        matched = [f for f in findings if f.concern in kind.concerns]
        if not matched:
            continue
        worst = max(f.severity.rank for f in matched)
        confident = sum(1 for f in matched if f.confidence is Confidence.HIGH)
        impact = "high" if worst >= Severity.HIGH.rank else "medium" if worst == Severity.MEDIUM.rank else "low"
        likelihood = "high" if confident >= 3 or (confident and worst == Severity.CRITICAL.rank) else \
            "medium" if confident else "low"
        concerns = tuple(sorted({f.concern for f in matched}))
        risks.append(Risk(kind.title, likelihood, impact, kind.mitigation, concerns, len(matched)))
    order = {"high": 3, "medium": 2, "low": 1}
    return tuple(sorted(risks, key=lambda r: (-order[r.impact], -order[r.likelihood], -r.finding_count, r.title)))
