"""Stack-neutral plan of each key endpoint: its SQL and where every value comes from.

The stack generators only spell this plan in their language, so the SQL (and the
index it relies on) is the same in all four stacks.
Value sources: uuid | user | header:idempotency_key | hash:body | const:<text> |
body:<field> | path:<param> | query:<param> | code | snowflake | storage_key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Entries of a table's column list that are table constraints, not columns.
TABLE_CONSTRAINTS = ("primary key", "check ", "check(", "unique ", "unique(", "constraint ")
_OWNER_COLUMNS = ("merchant_id", "owner_id", "customer_id", "user_id", "author_id", "sender_id", "follower_id")


@dataclass(frozen=True, slots=True)
class HandlerPlan:
    op_id: str
    method: str
    path: str
    summary: str
    status: int
    auth: bool
    idempotent: bool
    flavor: str  # "" | login | provider_charge | enqueue
    shape: str  # insert | get | list | update | redirect
    sql: str  # with $1.. placeholders
    args: tuple[str, ...]  # value sources, one per placeholder
    columns: tuple[str, ...]  # returned columns
    body: tuple[tuple[str, dict[str, Any], bool], ...]  # (field, json schema, required)
    path_params: tuple[str, ...]
    filters: tuple[tuple[str, dict[str, Any], bool], ...]
    table: str
    order_column: str = ""
    guard_sql: str = ""  # membership check run first; no row -> 403
    guard_args: tuple[str, ...] = ()
    # An idempotent create's replay: the row the first call created, by (key, caller).
    replay_sql: str = ""
    replay_args: tuple[str, ...] = ()


def _replay(op: dict[str, Any], names: list[str], args: list[str], returning: str) -> dict[str, Any]:
    """The lookup that answers a replayed Idempotency-Key with the first call's row, scoped
    to the caller when the row has an owner (a key is unique per caller)."""
    if not op.get("idempotent") or "header:idempotency_key" not in args:
        return {}
    owner = next((n for n, a in zip(names, args) if a == "user"), "")
    sql = f"SELECT {returning} FROM {op['table']} WHERE idempotency_key = $1" + (f" AND {owner} = $2" if owner else "")
    return {"replay_sql": sql, "replay_args": ("header:idempotency_key",) + (("user",) if owner else ())}


def _cols(table: dict[str, Any]) -> list[tuple[str, str, str]]:
    out = []
    for c in table["columns"]:
        if c.lower().startswith(TABLE_CONSTRAINTS):
            continue
        name, sql_type, *rest = c.split(" ")
        out.append((name, sql_type, " ".join(rest).lower()))
    return out


def _public(table: dict[str, Any]) -> tuple[str, ...]:
    private = set(table.get("private", ()))
    return tuple(n for n, _, _ in _cols(table) if n not in private)


def _insert_source(name: str, sql_type: str, rest: str, op: dict[str, Any], pk: bool) -> str:
    body, params = op.get("request", {}), re.findall(r"\{(\w+)\}", op["path"])
    if name in op.get("insert", {}):
        return op["insert"][name]
    if name in body:
        return f"body:{name}"
    if name in params:
        return f"path:{name}"
    if name in _OWNER_COLUMNS:
        return "user"
    if name == "idempotency_key":
        return "header:idempotency_key"
    if name == "request_hash":
        return "hash:body"
    if name == "status":
        return "const:pending"
    if name == "storage_key":
        return "storage_key"
    if pk and sql_type == "uuid":
        return "uuid"
    if pk and sql_type.startswith("varchar"):
        return "code"
    if name == "id" and sql_type == "bigint":
        return "snowflake"
    return ""


def plan_handler(op: dict[str, Any], tables: dict[str, dict[str, Any]]) -> HandlerPlan:
    table = tables[op["table"]]
    cols = _public(table)
    params = tuple(re.findall(r"\{(\w+)\}", op["path"]))
    body = tuple((k, v, k in op.get("required", ())) for k, v in op.get("request", {}).items())
    filters = tuple((k, v, k in op.get("required_filters", ())) for k, v in op.get("filters", {}).items())
    query = next((q for q in reversed(op.get("queries", ())) if q["table"] == op["table"]), {"where": [], "order": []})
    common = dict(op_id=op["id"], method=op["method"], path=op["path"], summary=op["summary"],
                  status=int(op["status"]), auth=bool(op.get("auth")), idempotent=bool(op.get("idempotent")),
                  flavor=op.get("flavor", ""), columns=cols, body=body, path_params=params,
                  filters=filters, table=op["table"])
    returning = ", ".join(cols)
    if op.get("flavor") == "refresh":
        return HandlerPlan(shape="get", sql="SELECT 1", args=(), **common)
    if op["kind"] == "write" and op["method"] in ("POST", "PUT") and op.get("flavor") != "login":
        names, args = [], []
        for name, sql_type, rest in _cols(table):
            pk = "primary key" in rest or _in_composite_pk(table, name)
            src = _insert_source(name, sql_type, rest, op, pk)
            if src:
                names.append(name)
                args.append(src)
        common.update(_guard(op, params))
        values = ", ".join(f"${i + 1}" for i in range(len(names)))
        conflict = " ON CONFLICT DO NOTHING" if op.get("idempotent") else ""
        sql = f"INSERT INTO {op['table']} ({', '.join(names)}) VALUES ({values}){conflict} RETURNING {returning}"
        return HandlerPlan(shape="insert", sql=sql, args=tuple(args), **common, **_replay(op, names, args, returning))
    where = list(query.get("where", ()))
    args = [_where_source(c, params, filters) for c in where]
    owner = op.get("owner", next((c for c in _OWNER_COLUMNS if c in {n for n, _, _ in _cols(table)}), ""))
    if op.get("auth") and owner and owner not in where and not query.get("prefix") and query.get("using") != "gin":
        where, args = where + [owner], args + ["user"]  # scope every read to the caller: no IDOR
    common.update(_guard(op, params))
    if op.get("flavor") == "login":
        sql = f"SELECT id, password_hash FROM {op['table']} WHERE email = $1"
        return HandlerPlan(shape="get", sql=sql, args=("body:email",), **common)
    conds = " AND ".join(f"{c} = ${i + 1}" for i, c in enumerate(where)) or "TRUE"
    if query.get("using") == "gin" or query.get("prefix"):
        args = [f"query:{filters[0][0]}"]
        conds = (f"{where[0]} @@ plainto_tsquery('simple', $1)" if query.get("using") == "gin"
                 else f"{where[0]} LIKE $1 || '%'")
    if op.get("paginated"):
        order = (query.get("order") or ["id"])[0]
        sql_type = next((t for n_, t, _ in _cols(table) if n_ == order), "text")
        sql_type = "text" if sql_type.startswith(("varchar", "char")) else sql_type
        n = len(args)
        sql = (f"SELECT {returning} FROM {op['table']} WHERE {conds} AND (${n + 1}::{sql_type} IS NULL OR {order} < ${n + 1}::{sql_type}) "
               f"ORDER BY {order} DESC LIMIT ${n + 2}")
        return HandlerPlan(shape="list", sql=sql, args=tuple(args + ["cursor", "limit"]), order_column=order, **common)
    if op["status"] == 302:
        return HandlerPlan(shape="redirect", sql=f"SELECT {returning} FROM {op['table']} WHERE {conds}", args=tuple(args), **common)
    if op.get("limit_results") or query.get("prefix"):
        sql = f"SELECT {returning} FROM {op['table']} WHERE {conds} ORDER BY score DESC LIMIT 10"
        return HandlerPlan(shape="list", sql=sql, args=tuple(args), **common)
    return HandlerPlan(shape="get", sql=f"SELECT {returning} FROM {op['table']} WHERE {conds}", args=tuple(args), **common)


def _guard(op: dict[str, Any], params: tuple[str, ...]) -> dict[str, Any]:
    """A membership query (e.g. conversation_members) in the op's queries becomes a 403 guard."""
    for q in op.get("queries", ()):
        if q["table"].endswith("_members"):
            where = q["where"]
            sql = f"SELECT 1 FROM {q['table']} WHERE " + " AND ".join(f"{c} = ${i + 1}" for i, c in enumerate(where))
            return {"guard_sql": sql, "guard_args": tuple(f"path:{c}" if c in params else "user" for c in where)}
    return {}


def _in_composite_pk(table: dict[str, Any], name: str) -> bool:
    for c in table["columns"]:
        m = re.match(r"\s*primary key \(([^)]*)\)", c, re.I)
        if m and name in [x.strip() for x in m.group(1).split(",")]:
            return True
    return False


def _where_source(col: str, params: tuple[str, ...], filters) -> str:
    if col in params:
        return f"path:{col}"
    if col in {f for f, _, _ in filters}:
        return f"query:{col}"
    if col == "id" and "id" not in params:
        return "user"
    return "user"


def key_operations(ops: list[dict[str, Any]], primary: str) -> list[dict[str, Any]]:
    """The endpoints worth a skeleton: the primary domain's first write and first read ops."""
    mine = [o for o in ops if o["_domain"] == primary and o.get("skeleton", True)]
    writes = [o for o in mine if o["kind"] == "write"][:2]
    reads = [o for o in mine if o["kind"] == "read"][:2]
    return writes + reads
