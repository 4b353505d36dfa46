"""Capacity plan: traffic, storage, bandwidth, cache, database and compute, every
number with the formula that produced it.

Conventions (stated in the proposal): 1 day = 86,400 s; 1 month = 2.5M s; a year is
12 months when the user counted per month, else 365 days; 1 KB = 1,000 bytes.
The plan also returns the metrics the pattern catalogue's conditions read.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from servicelens.design.workload import YEAR_S, Workload
from servicelens.model.design import CapacityItem

DAY_S = 86_400
MONTH_S = 2_500_000


def n(x: float) -> str:
    """A number as a back-of-envelope reader writes it."""
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:,.1f}".rstrip("0").rstrip(".")
    return f"{x:.3g}"


def round_sig(x: float) -> float:
    return float(f"{x:.4g}") if x else 0.0


def size_unit(b: float) -> tuple[float, str]:
    for unit, size in (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if b >= size:
            return b / size, unit
    return b, "B"


@dataclass(slots=True)
class Plan:
    """Accumulates items and metrics while the plan is computed (local to one call)."""

    items: list[CapacityItem] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)

    def add(self, group: str, name: str, value: float, unit: str, formula: str, key: str = "") -> float:
        self.items.append(CapacityItem(name, round_sig(value), unit, formula, group))
        if key:
            self.metrics[key] = value
        return value

    def add_bytes(self, group: str, name: str, b: float, per: str, formula: str, key: str = "") -> float:
        value, unit = size_unit(b)
        self.add(group, name, value, unit + per, f"{formula} = {n(value)} {unit}{per}")
        if key:
            self.metrics[key] = b
        return b


def plan_capacity(w: Workload, sizing: dict, stack: dict, cache_enabled: bool) -> Plan:
    plan = Plan()
    _traffic(plan, w)
    _storage(plan, w, sizing)
    _bandwidth(plan, w)
    _cache(plan, w, sizing, cache_enabled)
    _database(plan, w, sizing, cache_enabled)
    _downtime(plan, w)
    return plan


def _downtime(p: Plan, w: Workload) -> None:
    """What an availability target allows: the error budget a team plans maintenance and
    incidents against (99.9% is 43.8 minutes a month, 8.8 hours a year)."""
    if not 0 < w.availability_pct < 100:
        return
    down, month = 1 - w.availability_pct / 100, YEAR_S / 12  # a calendar month on average (730 h)
    p.add("availability", "allowed downtime per month", down * month / 60, "minutes/month",
          f"(1 - {w.availability_pct:g}%) x {n(month / 3600)} h x 60 = {n(down * month / 60)} min", "downtime_min_month")
    p.add("availability", "allowed downtime per year", down * YEAR_S / 3600, "hours/year",
          f"(1 - {w.availability_pct:g}%) x {n(YEAR_S / 3600)} h = {n(down * YEAR_S / 3600)} h")


def _traffic(p: Plan, w: Workload) -> None:
    pf = w.peak_factor
    p.add("traffic", f"write requests per second (average) [{w.write_subject}]", w.write_avg, "req/s", f"{w.write_formula} = {n(w.write_avg)} /s", "write_avg")
    wpeak, rpeak = w.peak_of("write"), w.peak_of("read")
    p.add("traffic", "write requests per second (peak)", wpeak, "req/s", _peak_formula(w.write_avg, pf, wpeak), "peak_write_rps")
    p.add("traffic", f"read requests per second (average) [{w.read_subject}]", w.read_avg, "req/s", f"{w.read_formula} = {n(w.read_avg)} /s", "read_avg")
    p.add("traffic", "read requests per second (peak)", rpeak, "req/s", _peak_formula(w.read_avg, pf, rpeak), "peak_read_rps")
    total = wpeak + rpeak
    p.add("traffic", "total requests per second (peak)", total, "req/s", f"{n(wpeak)} + {n(rpeak)} = {n(total)} /s", "peak_rps")
    p.metrics["read_write_ratio"] = w.read_write_ratio
    if w.dau:
        p.add("traffic", "daily active users", w.dau, "users", "stated or derived (see assumptions)", "dau")
    p.add("traffic", "writes per day (average)", w.write_avg * DAY_S, "count/day", f"{n(w.write_avg)} /s x 86,400 s = {n(w.write_avg * DAY_S)}", "writes_day")
    if w.read_avg:
        p.add("traffic", f"reads per day (average) [{w.read_subject}]", w.read_avg * DAY_S, "count/day",
              f"{n(w.read_avg)} /s x 86,400 s = {n(w.read_avg * DAY_S)}")


def _peak_formula(avg: float, pf: float, peak: float) -> str:
    if peak > avg * pf:
        return f"max({n(avg)} x {pf:g} (peak factor), the stated burst) = {n(peak)} /s"
    return f"{n(avg)} x {pf:g} (peak factor) = {n(peak)} /s"


def records_per_year(w: Workload) -> tuple[float, str]:
    """Per-year count in the user's own period, so 100M/month gives exactly 1.2B/year."""
    if w.write_period in ("month", "year"):
        month = w.write_avg * MONTH_S
        return month * 12, f"{n(month)} /month x 12"
    day = w.write_avg * DAY_S
    return day * 365, f"{n(day)} /day x 365"


def _storage(p: Plan, w: Workload, s: dict) -> None:
    if w.stored_users:
        _user_storage(p, w, s)
    else:
        _record_storage(p, w, s)
    if w.media_bytes:
        _media_storage(p, w)


def _user_storage(p: Plan, w: Workload, s: dict) -> None:
    """Identity data grows with accounts; requests (logins) do not add rows that last."""
    users, rb = w.stored_users, w.record_bytes
    label = "catalogue items stored" if w.primary == "catalogue" else "user accounts stored"
    p.add("storage", label, users, "count", "stated or assumed (see assumptions)", "total_records")
    p.add("storage", "record size", rb, "B", "stated or assumed (see assumptions)")
    raw = users * rb
    p.add_bytes("storage", "table storage (raw)", raw, "", f"{n(users)} rows x {n(rb)} B")
    idx = raw * (1 + s["index_overhead"])
    p.add_bytes("storage", "database storage with indexes", idx, "", f"{n(raw / 1e9)} GB x {1 + s['index_overhead']:g} (indexes)", "storage_bytes")
    p.metrics["storage_tb"] = idx / 1e12
    rf = s["replication_factor"]
    p.add_bytes("storage", f"database storage provisioned (x{rf} replication)", idx * rf, "", f"{n(idx / 1e9)} GB x {rf}")


def _record_storage(p: Plan, w: Workload, s: dict) -> None:
    per_year, year_formula = records_per_year(w)
    total = per_year * w.retention_years
    p.add("storage", "new records per month", w.write_avg * MONTH_S, "count/month", f"{n(w.write_avg)} /s x 2.5M s = {n(w.write_avg * MONTH_S)}")
    p.add("storage", "new records per year", per_year, "count/year", f"{year_formula} = {n(per_year)}", "records_year")
    p.add("storage", f"records over the retention period ({w.retention_years:g} years)", total, "count",
          f"{n(per_year)} /year x {w.retention_years:g} years = {n(total)}", "total_records")
    rb = w.stored_record[0] or w.record_bytes
    p.add("storage", "record size", rb, "B", f"average over the write streams: {w.stored_record[1]}" if w.stored_record[0]
          else "stated or assumed (see assumptions)")
    p.add_bytes("storage", "database storage per day (raw)", w.write_avg * DAY_S * rb, "/day", f"{n(w.write_avg * DAY_S)} records x {n(rb)} B")
    p.add_bytes("storage", "database storage per month (raw)", w.write_avg * MONTH_S * rb, "/month", f"{n(w.write_avg * MONTH_S)} records x {n(rb)} B")
    raw = total * rb
    p.add_bytes("storage", "database storage over the retention period (raw)", raw, "", f"{n(total)} records x {n(rb)} B")
    idx = raw * (1 + s["index_overhead"])
    p.add_bytes("storage", "database storage with indexes", idx, "", f"{n(raw / 1e9)} GB x {1 + s['index_overhead']:g} (indexes)", "storage_bytes")
    p.metrics["storage_tb"] = idx / 1e12
    rf = s["replication_factor"]
    p.add_bytes("storage", f"database storage provisioned (x{rf} replication)", idx * rf, "", f"{n(idx / 1e9)} GB x {rf}")


def _media_storage(p: Plan, w: Workload) -> None:
    per_year, _ = records_per_year(w)
    objs_day = w.write_avg * DAY_S * w.media_fraction
    p.add("storage", "media objects per day", objs_day, "count/day", f"{n(w.write_avg * DAY_S)} writes x {w.media_fraction:g} carrying media = {n(objs_day)}", "media_objects_day")
    day = objs_day * w.media_bytes
    p.add_bytes("storage", "media storage per day", day, "/day", f"{n(objs_day)} objects x {n(w.media_bytes / 1e6)} MB", "media_bytes_day")
    p.metrics["media_gb_day"] = day / 1e9
    if w.write_period in ("month", "year"):
        month_objs = w.write_avg * MONTH_S * w.media_fraction
        p.add_bytes("storage", "media storage per month", month_objs * w.media_bytes, "/month", f"{n(month_objs)} objects x {n(w.media_bytes / 1e6)} MB")
    else:
        p.add_bytes("storage", "media storage per month", day * 30, "/month", f"{n(day / 1e12)} TB/day x 30")
    per_year_objs = per_year * w.media_fraction
    p.add_bytes("storage", "media storage per year", per_year_objs * w.media_bytes, "/year",
                f"{n(per_year_objs)} objects/year x {n(w.media_bytes / 1e6)} MB")
    p.add_bytes("storage", "media storage over the retention period", per_year_objs * w.media_bytes * w.retention_years, "",
                f"{n(per_year_objs)} objects/year x {n(w.media_bytes / 1e6)} MB x {w.retention_years:g} years (object storage replicates internally)", "media_total_bytes")


def _bandwidth(p: Plan, w: Workload) -> None:
    pf = w.peak_factor
    obj = w.record_bytes + w.media_fraction * w.media_bytes
    ingress = w.write_avg * pf * obj
    formula = f"{n(w.write_avg * pf)} writes/s x {n(obj / 1e3)} KB"
    p.add("bandwidth", "ingress bandwidth (peak)", ingress / 1e6, "MB/s", f"{formula} = {n(ingress / 1e6)} MB/s")
    egress = w.read_avg * pf * obj
    p.add("bandwidth", "egress bandwidth (peak)", egress / 1e6, "MB/s", f"{n(w.read_avg * pf)} reads/s x {n(obj / 1e3)} KB = {n(egress / 1e6)} MB/s")
    p.add("bandwidth", "egress bandwidth (peak, Gbps)", egress * 8 / 1e9, "Gbps", f"{n(egress / 1e6)} MB/s x 8 bits = {n(egress * 8 / 1e9)} Gbps", "egress_gbps")
    if w.media_bytes:
        p.add_bytes("bandwidth", "egress per day (average, CDN)", w.read_avg * DAY_S * obj, "/day", f"{n(w.read_avg * DAY_S)} reads/day x {n(obj / 1e3)} KB")


def _cache(p: Plan, w: Workload, s: dict, enabled: bool) -> None:
    hot = w.read_avg * DAY_S * s["cache_hot_fraction"] * w.record_bytes
    if not enabled:
        p.metrics["cache_gb"] = 0.0
        return
    formula = f"{n(w.read_avg * DAY_S)} reads/day x {s['cache_hot_fraction']:g} (80/20 hot set) x {n(w.record_bytes)} B"
    dataset = p.metrics.get("storage_bytes", 0.0) / (1 + s["index_overhead"])
    if dataset and hot > dataset:
        hot, formula = dataset, f"min({formula}, the whole {n(dataset / 1e9)} GB data set)"
    p.add_bytes("cache", "cache memory for the hot set", hot, "", formula, "cache_bytes")
    by_mem = math.ceil(hot / 1e9 / s["redis_usable_gb"])
    by_ops = math.ceil(w.read_avg * w.peak_factor / s["redis_ops_per_node"])
    nodes = max(1, by_mem, by_ops)
    p.add("cache", "cache nodes (primaries)", nodes, "instances",
          f"max(ceil({n(hot / 1e9)} GB / {s['redis_usable_gb']} GB per node), ceil({n(w.read_avg * w.peak_factor)} reads/s / {n(s['redis_ops_per_node'])} ops/s per node), 1) = {nodes}", "cache_nodes")


def _database(p: Plan, w: Workload, s: dict, cache: bool) -> None:
    pf = w.peak_factor
    hit = (w.cache_hit_ratio or s["cache_hit_ratio"]) if cache else 0.0
    db_reads = w.read_avg * pf * (1 - hit)
    formula = f"{n(w.read_avg * pf)} reads/s x (1 - {hit:g} cache hit ratio)" if cache else f"{n(w.read_avg * pf)} reads/s (no cache)"
    p.add("database", "database reads per second (peak)", db_reads, "req/s", f"{formula} = {n(db_reads)}", "db_read_peak")
    p.metrics["cache_hit_pct"] = hit * 100
    db_writes = w.peak_of("write")
    p.add("database", "database writes per second (peak)", db_writes, "req/s", f"{n(db_writes)} (one transaction per write)", "db_write_peak")
    replicas = math.ceil(db_reads / s["db_read_capacity"]) if db_reads > s["db_read_capacity"] / 2 else 0
    p.add("database", "read replicas needed for load", replicas, "instances",
          f"ceil({n(db_reads)} / {n(s['db_read_capacity'])} reads/s per node) when above half a node's capacity = {replicas}", "read_replicas")
    by_writes = math.ceil(db_writes / (s["db_write_capacity"] / 2))
    by_storage = math.ceil(p.metrics["storage_tb"] / s["db_storage_per_shard_tb"])
    shards = max(1, by_writes, by_storage)
    p.add("database", "database shards (primaries)", shards, "shards",
          f"max(ceil({n(db_writes)} writes/s / {n(s['db_write_capacity'] / 2)} (50% of a primary)), ceil({n(p.metrics['storage_tb'])} TB / {s['db_storage_per_shard_tb']} TB per shard), 1) = {shards}", "shards")
    busy = (db_reads * s["db_read_ms"] + db_writes * s["db_write_ms"]) / 1000
    p.add("database", "busy database connections (peak, Little's law)", busy, "connections",
          f"({n(db_reads)} reads/s x {s['db_read_ms']} ms + {n(db_writes)} writes/s x {s['db_write_ms']} ms) / 1000 = {n(busy)}", "db_busy_connections")
    for key in ("db_read_capacity", "db_write_capacity", "db_storage_per_shard_tb", "db_max_connections"):
        p.metrics[key] = s[key]
    p.metrics["year_s"] = YEAR_S
