"""An idempotent create replayed with the same Idempotency-Key answers with the first
call's row in every stack; only a different key on a duplicate natural key is a 409."""
from __future__ import annotations

from dataclasses import replace

import pytest

from servicelens.design.codeplan import plan_handler
from servicelens.design.selfcheck import check_contract_features

TABLE = {"name": "notes", "columns": ["id uuid primary key", "owner_id uuid not null", "body text not null",
                                      "idempotency_key varchar(64) not null"]}
OP = {"id": "create_note", "method": "POST", "path": "/v1/notes", "summary": "Create a note", "kind": "write",
      "status": 201, "auth": True, "idempotent": True, "table": "notes", "request": {"body": {"type": "string"}},
      "queries": [{"table": "notes", "where": ["id"]}]}


def test_the_plan_looks_up_the_first_row_by_key_and_caller():
    plan = plan_handler(OP, {"notes": TABLE})
    assert plan.replay_sql.endswith("FROM notes WHERE idempotency_key = $1 AND owner_id = $2")
    assert plan.replay_args == ("header:idempotency_key", "user")


def test_the_self_check_fails_when_a_replay_would_get_an_error():
    plan = replace(plan_handler(OP, {"notes": TABLE}), replay_sql="", replay_args=())
    check = check_contract_features([plan])
    assert check.status == "failed" and "not the first call's result" in check.details[0]


@pytest.mark.parametrize("stack,lookup", [
    ("fastapi", "_REPLAY, idempotency_key"),
    ("express", "if (rows.length === 0) ({ rows } = await pool.query(\"SELECT"),
    ("go", "rows, err = s.DB.Query(ctx, \"SELECT"),
    ("spring", "if (rows.isEmpty()) rows = db.queryForList(\"SELECT"),
])
def test_every_stack_answers_a_replay_with_the_first_row(design, stack, lookup):
    proposal = design("Manage invoices for 500 customers, 2,000 invoices a day.", stack)
    code = "\n".join(f.content for f in proposal.code)
    assert lookup in code and "WHERE idempotency_key = " in code
    assert code.index(lookup) < code.index("Duplicate key")
    assert all(s.status != "failed" for s in proposal.self_check)
