"""DDL for the guarantees that synthesis._enforce has no branch for: constraints and columns,
not comments.

    monotonic-update / lost-update -> a version column the conditional update compares (CHECK >= 0)
    reproducible-history           -> effective and recorded timestamps, UPDATE/DELETE revoked
    atomic-publish                 -> a versions table and a one-row current-version pointer
"""
from __future__ import annotations

from typing import Any

from servicelens.model.design import Invariant

GUARANTEE_KINDS = frozenset({"monotonic-update", "lost-update", "reproducible-history", "atomic-publish"})


def enforce_guarantee(inv: Invariant, target: str, table: dict[str, Any], extra: list[dict[str, Any]]) -> None:
    """Adds to `table` (the invariant's entity) and `extra` what keeps `inv`; nothing for other kinds."""
    name = table["name"]
    have = {c.split(" ")[0] for c in table["columns"]}
    if inv.kind in ("monotonic-update", "lost-update") and "version" not in have:
        table["columns"].append("version bigint not null default 0 check (version >= 0)")
    elif inv.kind == "reproducible-history" and "recorded_at" not in have:
        table["columns"] += ["effective_at timestamptz not null default now()",
                             "recorded_at timestamptz not null default now()"]
        table["indexes"].append(["effective_at"])
        statements = table.setdefault("statements", [])
        revoke = f"REVOKE UPDATE, DELETE ON {name} FROM PUBLIC;  -- append-only: corrections are new rows"
        if not any(s.startswith(f"REVOKE UPDATE, DELETE ON {name} ") for s in statements):
            statements.append(revoke)
    elif inv.kind == "atomic-publish" and all(t["name"] != f"{target}_versions" for t in extra):
        extra.append({"name": f"{target}_versions", "columns": [
            "id bigint generated always as identity primary key",
            "status varchar(16) not null default 'building' check (status in ('building', 'ready', 'retired'))",
            "built_at timestamptz not null default now()", "published_at timestamptz"],
            "indexes": [["status", "built_at"]]})
        extra.append({"name": f"current_{target}_version", "columns": [
            "singleton boolean primary key default true check (singleton)",
            f"version_id bigint not null references {target}_versions(id)",
            "switched_at timestamptz not null default now()"]})
