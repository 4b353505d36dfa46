"""What the four stack generators share: the context numbers and the SQL constants."""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.design.codeplan import HandlerPlan

EXTRA_SQL = {
    "login": {"INSERT_REFRESH": "INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)"},
    "refresh": {
        "REFRESH_LOOKUP": "SELECT id, user_id, family_id, expires_at, revoked_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE",
        "REVOKE_FAMILY": "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL",
        "REVOKE_ONE": "UPDATE refresh_tokens SET revoked_at = now() WHERE id = $1",
        "INSERT_REFRESH": "INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)",
    },
    "provider_charge": {
        "PAYMENT_BY_KEY": "SELECT id, merchant_id, customer_id, idempotency_key, request_hash, amount_minor, currency, status, provider_ref, created_at, updated_at FROM payments WHERE merchant_id = $1 AND idempotency_key = $2",
        "SETTLE_PAYMENT": "UPDATE payments SET status = $1, provider_ref = $2, updated_at = now() WHERE id = $3 RETURNING id, merchant_id, customer_id, idempotency_key, request_hash, amount_minor, currency, status, provider_ref, created_at, updated_at",
        "OUTBOX": "INSERT INTO outbox (aggregate_id, event_type, payload) VALUES ($1, $2, $3)",
    },
    "enqueue": {"OUTBOX": "INSERT INTO outbox (aggregate_id, event_type, payload) VALUES ($1, $2, $3)"},
}


@dataclass(frozen=True, slots=True)
class Context:
    title: str
    stack: str
    stack_title: str
    domains: tuple[str, ...]
    p99_ms: float
    db_timeout_s: float
    provider_timeout_s: float
    pool_size: int
    access_minutes: int
    refresh_days: int


def pascal(name: str) -> str:
    return "".join(p.capitalize() for p in re.split(r"[_\W]+", name) if p)


def camel(name: str) -> str:
    p = pascal(name)
    return p[:1].lower() + p[1:]


def extra_sql(plans: list[HandlerPlan]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in plans:
        out.update(EXTRA_SQL.get(p.flavor, {}))
    return out


def sql_const(p: HandlerPlan, _q: str, triple: str) -> str:
    """Python constant for one plan's SQL; the extra flavour SQL follows it once."""
    lines = [] if p.flavor == "refresh" else [f"\n\nSQL_{p.op_id.upper()} = {triple}{p.sql}{triple}"]
    for name, sql in EXTRA_SQL.get(p.flavor, {}).items():
        lines.append(f"SQL_{name} = {triple}{sql}{triple}")
    return "\n".join(lines)


def named_params(sql: str) -> str:
    """$1 -> :p1 for Spring's NamedParameterJdbcTemplate (a repeated $n stays one name)."""
    return re.sub(r"\$(\d+)", r":p\1", sql)
