"""The costs that dominate a domain, and compute sized from them.

Auth is CPU in the password hash; payments wait on the provider and store
idempotency keys; chat holds connections; feeds multiply writes by followers;
notifications are bounded by provider latency; crawlers by politeness and dedup memory.
"""
from __future__ import annotations

import math

from servicelens.design.capacity import DAY_S, Plan, n
from servicelens.design.upload_work import upload_workers
from servicelens.design.workload import Workload


def plan_domain(p: Plan, w: Workload, s: dict, stack: dict) -> None:
    """Domain items first (auth adds hashing CPU), then the instance count."""
    hash_vcpu = 0.0
    for domain in w.domains:
        fn = _DOMAIN.get(domain)
        if fn:
            hash_vcpu += fn(p, w, s, stack) or 0.0
    _compute(p, w, s, stack, hash_vcpu)


def _compute(p: Plan, w: Workload, s: dict, stack: dict, hash_vcpu: float) -> None:
    util, vcpu = s["target_utilisation"], s["instance_vcpu"]
    per_instance = stack["rps_per_vcpu"] * vcpu * util
    p.add("compute", f"throughput per instance ({vcpu} vCPU at {util:.0%})", per_instance, "req/s",
          f"{n(stack['rps_per_vcpu'])} req/s per vCPU ({stack['title']}) x {vcpu} vCPU x {util:g} = {n(per_instance)}")
    peak = p.metrics["peak_rps"]
    need_vcpu = peak / stack["rps_per_vcpu"] + hash_vcpu
    extra = f" + {n(hash_vcpu)} vCPU hashing" if hash_vcpu else ""
    p.add("compute", "API vCPU needed (peak, before headroom)", need_vcpu, "vCPU", f"{n(peak)} req/s / {n(stack['rps_per_vcpu'])}{extra} = {n(need_vcpu)}", "api_vcpu")
    floor = s["min_instances_high_availability"] if w.availability_pct >= 99.95 else s["min_instances"]
    instances = max(floor, math.ceil(need_vcpu / (vcpu * util)))
    p.add("compute", "API instances", instances, "instances",
          f"max({floor} (availability floor), ceil({n(need_vcpu)} vCPU / ({vcpu} vCPU x {util:g}))) = {instances}", "instances")
    pool = max(5, math.ceil(p.metrics["db_busy_connections"] * 2 / instances) + 2)
    total = pool * instances
    p.add("database", "connection pool per instance", pool, "connections",
          f"max(5, ceil({n(p.metrics['db_busy_connections'])} busy x 2 headroom / {instances} instances) + 2) = {pool}", "pool_per_instance")
    p.add("database", "application connections to the database", total, "connections", f"{pool} x {instances} instances = {total}", "app_db_connections")


def _auth(p: Plan, w: Workload, s: dict, stack: dict) -> float:
    a = s["argon2id"]
    logins = w.write_avg * w.peak_factor
    p.metrics["peak_logins"] = logins
    p.add("domain", "password logins per second (peak)", logins, "req/s", f"{n(w.write_avg)} /s x {w.peak_factor:g} = {n(logins)}")
    p.add("domain", "argon2id CPU per password hash", a["cpu_ms"], "ms",
          f"argon2id m={a['memory_mib']} MiB, t={a['iterations']}, p={a['parallelism']} (OWASP minimum; benchmark on the target CPU)")
    vcpu = logins * a["cpu_ms"] / 1000
    p.add("domain", "vCPU for password hashing (peak)", vcpu, "vCPU", f"{n(logins)} logins/s x {a['cpu_ms']} ms = {n(vcpu)} vCPU", "hash_vcpu")
    mem = math.ceil(vcpu) * a["memory_mib"] / 1024
    p.add("domain", "memory for concurrent hashes (peak)", mem, "GB", f"{math.ceil(vcpu)} hashes in flight x {a['memory_mib']} MiB = {n(mem)} GB")
    p.add("domain", "vCPU if bcrypt cost 12 were used instead (peak)", logins * 0.25, "vCPU", f"{n(logins)} logins/s x 250 ms = {n(logins * 0.25)} vCPU")
    jwt = p.metrics["peak_rps"] * s["jwt_verify_us"] / 1e6
    p.add("domain", "vCPU for JWT verification across services (peak)", jwt, "vCPU", f"{n(p.metrics['peak_rps'])} req/s x {s['jwt_verify_us']} µs = {n(jwt)} vCPU")
    by_logins = w.write_avg * DAY_S * s["refresh_token_days"]
    by_devices = (w.stored_users or by_logins) * 3
    tokens = min(by_logins, by_devices)
    p.add("domain", f"refresh tokens live ({s['refresh_token_days']}-day lifetime)", tokens, "count",
          f"min({n(w.write_avg * DAY_S)} logins/day x {s['refresh_token_days']} days, {n(w.stored_users or by_logins)} users x 3 devices) = {n(tokens)} (rotation replaces, expiry purges)")
    p.add_bytes("domain", "refresh-token storage", tokens * s["refresh_token_bytes"], "", f"{n(tokens)} tokens x {s['refresh_token_bytes']} B")
    return vcpu


def _payments(p: Plan, w: Workload, s: dict, stack: dict) -> None:
    peak = w.write_avg * w.peak_factor
    inflight = peak * s["payment_provider_p99_ms"] / 1000
    p.add("domain", "payment provider p99 latency", s["payment_provider_p99_ms"], "ms", "typical card-authorisation p99 (provider SLA; measure)")
    p.add("domain", "in-flight provider calls (peak, at p99 latency)", inflight, "calls",
          f"{n(peak)} payments/s x {s['payment_provider_p99_ms'] / 1000:g} s = {n(inflight)} (size the HTTP client pool and bulkhead to this)")
    keys = w.write_avg * s["idempotency_ttl_hours"] * 3600
    p.add("domain", f"idempotency keys held ({s['idempotency_ttl_hours']} h TTL)", keys, "keys", f"{n(w.write_avg)} /s x {s['idempotency_ttl_hours']} h x 3600 s = {n(keys)}")
    p.add_bytes("domain", "idempotency-key storage", keys * s["idempotency_record_bytes"], "", f"{n(keys)} keys x {s['idempotency_record_bytes']} B")
    p.add("domain", "outbox events per second (peak)", peak * 2, "events/s", f"{n(peak)} payments/s x 2 events (created, settled) = {n(peak * 2)}")


def _chat(p: Plan, w: Workload, s: dict, stack: dict) -> None:
    dau = w.dau or w.write_avg * DAY_S / 40
    conns = w.online or dau * s["concurrent_fraction"]
    how = "stated" if w.online else f"{n(dau)} daily active users x {s['concurrent_fraction']:g} online at the peak = {n(conns)}"
    p.add("domain", "concurrent connections (peak)", conns, "connections", how, "peak_connections")
    per = stack["ws_connections_per_instance"]
    gw = max(2, math.ceil(conns / (per * s["target_utilisation"])))
    p.metrics["ws_per_instance"] = per
    p.add("domain", "WebSocket gateway instances", gw, "instances", f"ceil({n(conns)} / ({n(per)} per instance x {s['target_utilisation']:g})) = {gw}", "ws_instances")
    mem = conns * s["ws_memory_kb"] / 1e6
    p.add("domain", "memory for open connections", mem, "GB", f"{n(conns)} x {s['ws_memory_kb']} KB = {n(mem)} GB")
    p.add("domain", "messages delivered per second (peak)", w.write_avg * w.peak_factor, "msg/s", f"{n(w.write_avg)} x {w.peak_factor:g} (one recipient per 1:1 message; groups multiply)")


def _feeds(p: Plan, w: Workload, s: dict, stack: dict) -> None:
    ins = w.write_avg * w.peak_factor * w.fanout
    p.add("domain", "timeline inserts per second (peak, fan-out on write)", ins, "writes/s",
          f"{n(w.write_avg * w.peak_factor)} posts/s x {n(w.fanout)} followers = {n(ins)}", "timeline_writes_peak")
    users = w.dau or w.write_avg * DAY_S
    mem = users * 800 * 8
    p.add_bytes("domain", "timeline cache (800 post ids x 8 B per active user)", mem, "", f"{n(users)} users x 800 x 8 B", "timeline_cache_bytes")


def _notifications(p: Plan, w: Workload, s: dict, stack: dict) -> None:
    channels = w.channels or (("notifications", w.write_avg),)
    workers = 0
    for subject, rate in channels:
        channel = _channel(subject)
        lat = s["provider_latency_ms"].get(channel, s["provider_latency_ms"]["http"])
        peak = rate * w.peak_factor
        need = max(2, math.ceil(peak * lat / 1000 / s["worker_inflight"]))
        workers += need
        p.add("domain", f"{subject} per second (peak)", peak, "msg/s", f"{n(rate)} /s average x {w.peak_factor:g} = {n(peak)}")
        p.add("domain", f"{subject} worker instances", need, "instances",
              f"ceil({n(peak)} /s x {lat} ms provider latency / {s['worker_inflight']} in flight per worker) = {need}")
    p.metrics["worker_instances"] = max(p.metrics.get("worker_instances", 0), workers)


def _channel(subject: str) -> str:
    for key in ("push", "sms", "email"):
        if key in subject:
            return key
    return "http"


def _crawler(p: Plan, w: Workload, s: dict, stack: dict) -> None:
    peak = w.write_avg * w.peak_factor
    bw = peak * w.media_bytes * 8 / 1e9
    p.add("domain", "download bandwidth (peak)", bw, "Gbps", f"{n(peak)} pages/s x {n(w.media_bytes / 1e3)} KB x 8 = {n(bw)} Gbps")
    seen = p.metrics["total_records"] * s["crawler_seen_bytes_per_url"]
    p.add_bytes("domain", "seen-URL set (fingerprints over the retention period)", seen, "", f"{n(p.metrics['total_records'])} URLs x {s['crawler_seen_bytes_per_url']} B", "seen_set_bytes")
    p.metrics["seen_set_gb"] = seen / 1e9
    fetchers = max(2, math.ceil(peak * 1.0 / s["worker_inflight"]))
    p.add("domain", "fetcher instances", fetchers, "instances", f"ceil({n(peak)} pages/s x 1 s per fetch / {s['worker_inflight']} in flight) = {fetchers}")
    p.metrics["worker_instances"] = fetchers


def _url_shortener(p: Plan, w: Workload, s: dict, stack: dict) -> None:
    space = 62 ** 7
    used = p.metrics["total_records"] / space * 100
    p.metrics["keyspace_used_pct"] = used
    p.add("domain", "short-code keyspace (7 base62 characters)", space, "codes", "62^7")
    p.add("domain", "keyspace used over the retention period", used, "%", f"{n(p.metrics['total_records'])} / {n(space)} x 100 = {used:.3g}%")


def _public_api(p: Plan, w: Workload, s: dict, stack: dict) -> None:
    clients = w.stored_users or w.total_users or w.dau or 100_000
    mem = clients * s["rate_limit_bytes_per_key"]
    p.add_bytes("domain", "rate-limit counters in Redis", mem, "", f"{n(clients)} clients x {s['rate_limit_bytes_per_key']} B (sliding-window counter)")
    ops = p.metrics["peak_rps"]
    nodes = max(1, math.ceil(ops / (s["redis_ops_per_node"] * s["target_utilisation"])))
    p.add("domain", "rate-limit checks per second (peak)", ops, "ops/s", f"one Lua script call per request = {n(ops)}")
    p.add("domain", "Redis nodes for rate limiting", nodes, "instances", f"ceil({n(ops)} / ({n(s['redis_ops_per_node'])} ops/s x {s['target_utilisation']:g})) = {nodes}")


def _typeahead(p: Plan, w: Workload, s: dict, stack: dict) -> None:
    p.add("domain", "searches per second (average)", w.searches_avg, "req/s", f"{n(w.searches_avg)} completed searches/s")
    log = w.searches_avg * DAY_S * w.query_chars
    p.add_bytes("domain", "query log per day", log, "/day", f"{n(w.searches_avg * DAY_S)} searches x {w.query_chars:g} B")


def _media(p: Plan, w: Workload, s: dict, stack: dict) -> None:
    peak = w.write_avg * w.peak_factor * w.media_fraction
    ingest = peak * w.media_bytes * 8 / 1e9
    p.add("domain", "upload bandwidth to object storage (peak)", ingest, "Gbps", f"{n(peak)} uploads/s x {n(w.media_bytes / 1e6)} MB x 8 = {n(ingest)} Gbps (direct, not through the API)")
    work = upload_workers(w.media_work, peak, w.media_bytes, n)  # sized by what is done to the file, not by its bytes alone
    p.add("domain", work.name, work.instances, "instances", work.formula)
    p.metrics["worker_instances"] = max(p.metrics.get("worker_instances", 0), work.instances)


_DOMAIN = {
    "auth": _auth, "payments": _payments, "chat": _chat, "feeds": _feeds,
    "notifications": _notifications, "crawler": _crawler, "url_shortener": _url_shortener,
    "public_api": _public_api, "typeahead": _typeahead, "media": _media,
}
