"""Assembles a `Proposal`: workload -> capacity -> patterns -> components, contract,
schema, code -> self-check. Pure apart from the review self-check's temp directory.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from typing import Any

from servicelens.design.component_subjects import subject_names, with_subjects
from servicelens.design.architecture import components, edges, mermaid
from servicelens.design.bounds import requirement_surprises, scale_warnings
from servicelens.design.capacity import plan_capacity
from servicelens.design.capacity_domain import plan_domain
from servicelens.design.catalog import Catalog, domain_spec
from servicelens.design.codegen import generate_code
from servicelens.design.composition import compose, facts_of
from servicelens.design.codegen_common import Context
from servicelens.design.contract import openapi
from servicelens.design.patterns import applies, select
from servicelens.design.schema_sql import ddl, table_indexes
from servicelens.design.build_check import check_build
from servicelens.design.selfcheck import check_contract_features, check_indexes, check_openapi, check_review
from servicelens.design.syntax_check import check_code, check_ddl
from servicelens.design.characteristics import (Block, block_decisions, characteristic_operations, choose_blocks,
                                                enforcing_components, invariant_decisions)
from servicelens.design.patterns import Selection
from servicelens.design.sanity import number_checks
from servicelens.design.unstated import unstated_figures
from servicelens.design.shape_blocks import SHAPE_BLOCKS
from servicelens.design.shape_blocks import block as shape_block
from servicelens.design.staff_sign_in import STAFF_BLOCKS
from servicelens.design.archetypes import archetypes
from servicelens.design.negated_acts import without_negated
from servicelens.design.op_sources import cite_sources
from servicelens.design.synthesis import SYSTEM, extra_operations, system_spec, system_title
from servicelens.design.workload import Workload, resolve
from servicelens.design.derived import add_derived
from servicelens.design.workloads import add_block_memory, add_connections, add_work, add_workloads, population
from servicelens.model.design import Convention, OpenQuestion, Proposal, Requirement, Risk

_QUEUE_WORK = {"notifications": "delivery to push, SMS and email providers with retries",
               "feeds": "fan-out of new posts to followers' timelines",
               "media": "virus scan, thumbnails and transcoding of uploads",
               "crawler": "fetching, parsing and link extraction",
               "chat": "history persistence and push notifications to offline users",
               "typeahead": "the query log, aggregated offline into top-k suggestions per prefix"}
_RELATIONAL_ONLY = ("read replicas needed", "database shards", "busy database connections",
                    "connection pool per instance", "application connections to the database")
_BIG_TABLE = {"chat": "messages", "feeds": "posts and timelines", "crawler": "page records",
              "notifications": "notification log", "url_shortener": "links"}


def build(req: Requirement, catalog: Catalog, stack: str) -> Proposal:
    req = _without_password_auth(req)
    if SYSTEM in req.domains:
        others = [catalog.domains[d] for d in req.domains if d != SYSTEM]
        taken = {t["name"] for spec in others for t in spec["tables"]}
        own = system_spec(req, system_title(req), taken, {op["id"] for spec in others for op in spec["operations"]},
                          archetypes(catalog.lifecycles))
        if own["tables"] or len(req.domains) == 1:
            catalog = replace(catalog, domains=dict(catalog.domains, **{SYSTEM: own}))
        else:
            req = replace(req, domains=tuple(d for d in req.domains if d != SYSTEM))
    work, assumptions, questions = resolve(req, catalog, stack)
    stack_spec, sizing = catalog.stacks[stack], catalog.sizing
    specs = {d: domain_spec(catalog, d, req.entities[0] if d == "crud" and req.entities else "") for d in req.domains}
    primary = specs[req.domains[0]]
    early = {"peak_read_rps": work.read_avg * work.peak_factor, "read_write_ratio": work.read_write_ratio}
    cache = applies(catalog.patterns, "cache_aside", early, req.domains)
    plan = plan_capacity(work, sizing, stack_spec, cache)
    plan_domain(plan, work, sizing, stack_spec)
    blocks = choose_blocks(req.workloads, catalog.characteristics, req.invariants, req.constraints,
                           _block_facts(req, work, plan.metrics, set(catalog.vocabulary["user_nouns"])))
    blocks += tuple(shape_block(kind, argument) for kind, argument in req.workloads if kind in SHAPE_BLOCKS)
    add_workloads(plan, req, work)
    add_work(plan, req, work)
    add_connections(plan, req)
    assumptions += add_derived(plan, req, work).assumptions
    add_block_memory(plan, blocks, catalog.characteristics.get("block_memory", {}), population(req))
    metrics = _metrics(plan.metrics, work, sizing, stack_spec, primary, req)
    metrics["wide_column"] = 1.0 if applies(catalog.patterns, "wide_column", metrics, req.domains) else 0.0
    if metrics["wide_column"]:
        # The relational sizing no longer applies to the big table: replace it, do not show both.
        plan.items[:] = [i for i in plan.items if not i.name.startswith(_RELATIONAL_ONLY)]
        plan.add("database", "wide-column store nodes (RF 3)", metrics["wide_nodes"], "instances", metrics["wide_formula"])
        for key in ("read_replicas", "app_db_connections", "db_read_peak"):
            metrics[key] = 0
    selection = select(catalog.patterns, metrics, req.domains)
    if any(b.id == "small_internal" for b in blocks):
        selection = _small(selection, catalog.patterns)
    comps = components(catalog.patterns, selection.chosen, metrics, stack_spec["title"])
    extra = enforcing_components(req.invariants, req.constraints, catalog.characteristics) + tuple(
        c for b in blocks for c in b.components)
    for c in extra:
        if c.name not in {x.name for x in comps}:
            comps = comps + (c,)
    # blocks composed from the requirement model's shapes: the catalogue's choice above only adds detail
    composed = compose(req, facts_of(req, plan.metrics), catalog.compositions.get("rules", []), comps)
    comps += tuple(c for b in composed.blocks for c in b.components if c.name not in {x.name for x in comps})
    blocks += composed.blocks
    renamed = subject_names(comps, req)
    comps, links = with_subjects(comps, edges(catalog.patterns, selection.chosen, {c.name for c in comps})
                                 + _block_edges(blocks), req)
    # a block's trade-off entry names its components as the component list does
    blocks = tuple(replace(b, components=tuple(renamed.get(c.name, c) for c in b.components)) for b in blocks)
    diagram = mermaid(comps, links)
    ops = [dict(op, _domain=d) for d, spec in specs.items() for op in spec["operations"]]
    tables = [t for spec in specs.values() for t in spec["tables"]]
    wanted = characteristic_operations(blocks, req.invariants, req.constraints, catalog.characteristics) + composed.operations
    main_entity = req.entities[0] if req.entities else (primary.get("entities") or ["item"])[0]
    more_tables, more_ops = extra_operations(wanted, main_entity, tables, ops)
    tables += more_tables
    ops += [dict(op, _domain=req.domains[0]) for op in without_negated(more_ops, req.text, any_object=True)]
    cite_sources(ops, req.text, req.actions)
    tables = with_idempotency_columns(_unique_tables(tables), ops)
    title = " + ".join(spec["title"] for spec in specs.values())
    doc = openapi(title, ops, tables, req.domains, int(work.media_max_bytes or 100_000_000))
    shard_note = (f"hash-partition by {metrics['shard_key']} into {metrics['shards']:,.0f} shards"
                  if "sharding" in selection.chosen else "")
    ctx = _context(title, stack, stack_spec, work, sizing, metrics)
    code, plans = generate_code(ctx, ops, tables, req.domains[0])
    indexes = tuple(ix for t in tables for ix in table_indexes(t))
    extra = [(f"{p.op_id} (settle)", {"table": "payments", "where": ["id"]}) for p in plans if p.flavor == "provider_charge"]
    schema = ddl(tables, shard_note)
    checks = (check_openapi(doc), check_indexes(ops, indexes, extra), check_ddl(schema), check_code(code),
              check_contract_features(plans, code), check_build(code), check_review(code))
    contradictions = tuple(OpenQuestion(f"Which is right? {c.message}", "the first statement was used", "contradiction")
                           for c in req.contradictions)
    unread = tuple(OpenQuestion(f"What does {f.value:g} mean in \"{f.phrase}\"? It was not understood and is not used.",
                                "not used in the figures", "not understood") for f in req.figures if not f.meaning)
    contradictions = unread + contradictions
    contradictions = _scale_checks(plan.metrics.get("peak_rps", 0.0), tuple(plan.items), req) + contradictions
    risks = selection.risks + _compliance_risks(req)
    decisions = invariant_decisions(req.invariants, req.constraints) + block_decisions(blocks, req.text) + selection.decisions
    not_in_text, unasked = unstated_figures(req, tuple(assumptions), tuple(questions), work.write_avg * 86_400)
    return Proposal(
        title=title, stack=stack, requirement=req, assumptions=assumptions,
        open_questions=contradictions + tuple(questions) + unasked, conventions=_conventions(work, sizing, stack_spec),
        capacity=tuple(plan.items), components=comps, diagram=diagram, decisions=decisions,
        risks=_dedupe(risks), openapi_json=json.dumps(doc, sort_keys=True), ddl=schema,
        code=code, self_check=checks, number_checks=number_checks(req), not_in_text=not_in_text)


_OWNER = ("merchant_id", "owner_id", "customer_id", "user_id", "author_id", "sender_id")


def _unique_tables(tables: list[dict]) -> list[dict]:
    """One table per name: a catalogued domain's table wins over the same-named table an
    invariant asked for (both are an outbox, say)."""
    seen: set[str] = set()
    out = []
    for t in tables:
        if t["name"] not in seen:
            seen.add(t["name"])
            out.append(t)
    return out


def with_idempotency_columns(tables: list[dict], ops: list[dict]) -> list[dict]:
    """An idempotent create stores its Idempotency-Key, unique per caller, so a replay
    creates nothing new: a declared key must reach the database, not be read and dropped."""
    needs = {op["table"] for op in ops if op.get("idempotent") and op["method"] == "POST" and not op.get("flavor")}
    out = []
    for t in tables:
        names = [c.split(" ")[0] for c in t["columns"]]
        owner = next((c for c in _OWNER if c in names), "")
        if t["name"] in needs and "idempotency_key" not in names and owner:
            t = dict(t, columns=list(t["columns"]) + ["idempotency_key varchar(64) not null"],
                     private=list(t.get("private", ())) + ["idempotency_key"],
                     indexes=list(t.get("indexes", ())) + [{"columns": [owner, "idempotency_key"], "unique": True}])
        out.append(t)
    return out


def _without_password_auth(req: Requirement) -> Requirement:
    """With single sign-on required, or a staff-only tool signing in through the company's
    identity provider, users never give us a password: the catalogued auth domain (password
    hashing, login) stays out unless the system is itself the auth service."""
    company_login = any(c.kind == "sso" for c in req.constraints) or any(k in STAFF_BLOCKS for k, _ in req.workloads)
    if company_login and "auth" in req.domains[1:]:
        auth_tables = {"users", "refresh_tokens", "sessions", "credentials"}
        return replace(req, domains=tuple(d for d in req.domains if d != "auth"),
                       entities=tuple(e for e in req.entities if e not in auth_tables))
    return req


# Patterns a service for a few thousand users does not need (each adds a failure mode).
_NOT_FOR_SMALL = {"cache_aside", "read_replicas", "sharding", "wide_column", "queue_workers", "service_decomposition",
                  "api_gateway", "multi_region", "connection_pooler", "rate_limits", "password_hashing", "token_design"}


def _small(selection: Selection, patterns: dict) -> Selection:
    """A small internal system: one service and one database; what it skips is said."""
    dropped = {patterns[p]["title"] for p in selection.chosen if p in _NOT_FOR_SMALL}
    chosen = tuple(p for p in selection.chosen if p not in _NOT_FOR_SMALL)
    decisions = tuple(replace(d, decision="Not used.", why="a few thousand users at most: it would add a failure mode "
                              "and cost without a load that needs it", chosen=False) if d.pattern in dropped else d
                      for d in selection.decisions)
    return Selection(chosen, decisions, selection.risks)


def _block_facts(req: Requirement, work: Workload, m: dict[str, float], people: set[str]) -> dict[str, float]:
    """What block conditions read; `people` are the nouns that count users ("5,000 employees")."""
    counts = [f.value for f in req.figures if f.meaning.startswith("count of ")
              and ({f.meaning[9:], f.meaning[9:] + "s"} & people)]
    users = max([q.value for q in (req.total_users, req.daily_active_users, req.monthly_active_users) if q] + counts or [0.0])
    return {"peak_factor": work.peak_factor, "users": users, "peak_rps": m.get("peak_rps", 0.0),
            "peak_writes": m.get("peak_write_rps", 0.0),
            "concurrent": req.concurrent_connections.value if req.concurrent_connections else 0.0}


def _block_edges(blocks: tuple[Block, ...]) -> list[tuple[str, str, str]]:
    """Each block's first component talks to the API service (a reader sees where it sits)."""
    return [("API service", b.components[0].name, "") for b in blocks if b.components]


def _scale_checks(peak_rps: float, items: tuple, req: Requirement) -> tuple[OpenQuestion, ...]:
    """Absurd figures are computed, not refused, but never presented without a word."""
    instances = max((i.value for i in items if i.unit == "instances"), default=0.0)
    warnings = scale_warnings(peak_rps, instances) + tuple(s.message() for s in requirement_surprises(req))
    return tuple(OpenQuestion(f"Scale check: {warning}", "the figures were used as stated", "scale check")
                 for warning in warnings)


def _metrics(m: dict[str, float], w: Workload, s: dict, stack: dict, primary: dict, req: Requirement) -> dict[str, Any]:
    out: dict[str, Any] = dict(m)
    storage_tb = m.get("storage_tb", 0.0)
    wide_nodes = max(3, math.ceil(storage_tb * 3 / s["wide_column_storage_per_node_tb"]),
                     math.ceil(m.get("db_write_peak", 0) * 3 / s["wide_column_writes_per_node"]))
    workers = max(m.get("worker_instances", 0), 2, math.ceil(m.get("peak_write_rps", 0) / 1000),
                  math.ceil(m.get("timeline_writes_peak", 0) / 20_000))
    out.update({
        "domains_count": len(req.domains), "traffic_assumed": 1.0 if w.traffic_assumed else 0.0,
        "engagement_assumed": 1.0 if w.engagement_assumed else 0.0,
        "write_formula": w.write_formula, "read_formula": w.read_formula, "shard_why": _shard_why(m, s), "exactly_once": 1.0 if w.consistency == "exactly-once" else 0.0,
        "compliance_pci": 1.0 if "PCI-DSS" in w.compliance else 0.0,
        "compliance_gdpr": 1.0 if "GDPR" in w.compliance else 0.0,
        "video": 1.0 if w.media_bytes and re.search(r"\bvideos?\b|youtube|netflix|stream", req.text, re.I) else 0.0,
        "media_bytes": w.media_bytes, "availability_pct": w.availability_pct, "latency_p99_ms": w.latency_p99_ms,
        "downtime_min_year": (1 - w.availability_pct / 100) * 525_600, "stack_title": stack["title"],
        "cache_what": primary["cache"]["what"], "cache_ttl": primary["cache"]["ttl"],
        "shard_key": primary["shard_key"].split(" (")[0],
        "shard_reason": primary["shard_key"].partition(" (")[2].rstrip(")") or "every query carries it", "queue_work": _QUEUE_WORK.get(w.primary, "side effects (emails, webhooks, search indexing)"),
        "big_table": _BIG_TABLE.get(w.primary, "records"), "worker_instances": workers,
        "queue_partitions": max(6, math.ceil(m.get("peak_write_rps", 0) / s["queue_msgs_per_partition"]) * 2),
        "wide_nodes": wide_nodes,
        # A log with partitions pays off at thousands of events per second; below, a managed queue is simpler.
        "queue_technology": ("Kafka (partitioned log)" if m.get("peak_write_rps", 0) >= 2000
                             else "managed queue (SQS / RabbitMQ)"),
        "wide_formula": (f"max(3, ceil({storage_tb:,.1f} TB x 3 copies / {s['wide_column_storage_per_node_tb']} TB per node), "
                         f"ceil({m.get('db_write_peak', 0):,.0f} writes/s x 3 / {s['wide_column_writes_per_node']:,} per node)) = {wide_nodes}"),
        "service_split": (f"one service per domain ({', '.join(req.domains)})" if len(req.domains) > 1 else
                          f"a read service ({w.read_subject}, {m.get('peak_read_rps', 0):,.0f}/s at peak) and a write service "
                          f"({w.write_subject}, {m.get('peak_write_rps', 0):,.0f}/s at peak)"),
        "idempotency_ttl_hours": s["idempotency_ttl_hours"], "access_token_minutes": s["access_token_minutes"],
        "refresh_token_days": s["refresh_token_days"], "jwt_verify_us": s["jwt_verify_us"],
        "argon2_memory_mib": s["argon2id"]["memory_mib"], "argon2_iterations": s["argon2id"]["iterations"],
        "argon2_cpu_ms": s["argon2id"]["cpu_ms"], "db_max_connections": s["db_max_connections"],
    })
    return out


def _shard_why(m: dict[str, float], s: dict) -> str:
    """The load one primary cannot hold, only the part that does not fit, with its arithmetic."""
    writes, tb = m.get("db_write_peak", 0.0), m.get("storage_tb", 0.0)
    reasons = []
    if writes > s["db_write_capacity"] / 2:
        reasons.append(f"{writes:,.0f} writes/s at peak pass half of one primary's ~{s['db_write_capacity']:,}/s")
    if tb > s["db_storage_per_shard_tb"]:
        reasons.append(f"{tb:,.1f} TB over the retention period pass the ~{s['db_storage_per_shard_tb']:g} TB one primary "
                       "holds comfortably (backups, restores and vacuum slow down beyond it)")
    return " and ".join(reasons) + "." if reasons else ""


def _context(title: str, stack: str, spec: dict, w: Workload, s: dict, m: dict) -> Context:
    db_timeout = max(0.25, min(2.0, w.latency_p99_ms * 0.5 / 1000))
    provider = s["payment_provider_p99_ms"] / 1000 + 1 if "payments" in w.domains else 2.0
    return Context(title=title, stack=stack, stack_title=spec["title"], domains=w.domains, p99_ms=w.latency_p99_ms,
                   db_timeout_s=round(db_timeout, 2), provider_timeout_s=provider,
                   pool_size=int(m.get("pool_per_instance", 10)), access_minutes=s["access_token_minutes"],
                   refresh_days=s["refresh_token_days"])


def _conventions(w: Workload, s: dict, stack: dict) -> tuple[Convention, ...]:
    return (
        Convention("seconds per day", "86,400 (~1e5)"),
        Convention("seconds per month", "2.5 million (30 days = 2.59M, rounded the usual way)"),
        Convention("year", "12 months when the rate was given per month, else 365 days"),
        Convention("sizes", "decimal: 1 KB = 1,000 B, 1 GB = 1e9 B, 1 TB = 1e12 B"),
        Convention("peak vs average", f"a stated per-second rate is the peak; per-day/month totals are averages; peak = {w.peak_factor:g}x average"),
        Convention("instance", f"{s['instance_vcpu']} vCPU / {s['instance_memory_gb']} GB, sized to {s['target_utilisation']:.0%} utilisation"),
        Convention("stack throughput", f"{stack['rps_per_vcpu']:,} req/s per vCPU ({stack['title']}) for a JSON endpoint with one indexed query"),
        Convention("database", f"one PostgreSQL primary: ~{s['db_write_capacity']:,} writes/s, ~{s['db_read_capacity']:,} indexed reads/s, ~{s['db_storage_per_shard_tb']} TB comfortable; {s['replication_factor']} copies"),
        Convention("cache", f"80/20 rule: the hot set is {s['cache_hot_fraction']:.0%} of a day's reads; {s['cache_hit_ratio']:.0%} hit ratio; {s['redis_usable_gb']} GB and {s['redis_ops_per_node']:,} ops/s per Redis node"),
    )


def _compliance_risks(req: Requirement) -> tuple[Risk, ...]:
    out = []
    if "PCI-DSS" in req.compliance or "payments" in req.domains:
        out.append(Risk("Card data enters logs or our network (PCI scope explodes)",
                        "Provider tokenisation; log scrubbing of PAN-like strings; quarterly ASV scans", "low", "high"))
    if "GDPR" in req.compliance:
        out.append(Risk("Personal data cannot be erased from backups and logs in time",
                        "Crypto-shredding per user key; log retention below 30 days; data map of every store", "medium", "high"))
    return tuple(out)


def _dedupe(risks) -> tuple[Risk, ...]:
    seen, out = set(), []
    for r in risks:
        if r.risk not in seen:
            seen.add(r.risk)
            out.append(r)
    return tuple(out)
