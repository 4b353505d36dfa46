"""Columns the code filters, joins or sorts on that no index or unique constraint covers.

## What it finds
A Django query (`Model.objects.filter(col=...)`, `.get(col=...)`, `.exclude(...)`,
`col__in` / `col__gte` / `col__iexact` lookups, `Q(col=...)`, `.order_by("col")` over the
whole table) or a SQLAlchemy/SQLModel query (`select(Model).where(Model.col == x)`,
`.filter_by(col=x)`, `.join(..., Model.col == ...)`, `.order_by(Model.col)`) on a column
that is not a primary key, not unique, not a foreign key (Django indexes those, and so does
MySQL/MariaDB's InnoDB when that is the database the project configures: perf_dialect.py), not
`db_index=True` / `index=True`, not the first column of a `Meta.indexes` /
`unique_together` / `UniqueConstraint` / `__table_args__` index, and not indexed by a
migration (`AddIndex`, `AlterField(db_index=True)`, Alembic `op.create_index`, a
`CREATE INDEX` in `RunSQL`). Only queries on a request path (a handler, resolver, form or
serializer validation, or a function they call: also a method of a repository built for the call,
`PaymentRepository(session).by_charge_id(ref)`, and every function of a module-level dispatch table
the caller picks from, `HANDLERS.get(event["type"])(session, data)`), in a loop or in a background
task count. A SQLAlchemy select ending in `.with_for_update()` or `.execution_options(...)` is read
like any other.
One finding per (model, column), at its first query, listing the others.

## Why it matters
Without an index the database reads the whole table for every call: on a 5M-row table
the filter is a sequential scan of ~1 s instead of ~1 ms, it takes a full share of
I/O and CPU for each request, and latency grows with the table, not the traffic.

## Example
```python
user = Customer.objects.get(external_ref=ref)  # external_ref = models.CharField(max_length=64)
```

## Fix
```python
external_ref = models.CharField(max_length=64, db_index=True)
# or: class Meta: indexes = [models.Index(fields=["external_ref"], name="customer_external_ref_idx")]
```
then `python manage.py makemigrations` (on PostgreSQL, `AddIndexConcurrently` to keep
writes going). SQLAlchemy: `Column(..., index=True)` or `Index("ix_...", "col")`, then an
Alembic revision with `op.create_index(..., postgresql_concurrently=True)`.

## Known problems
Table sizes are unknown: a small table never needs the index, so findings are medium
confidence; obvious reference tables (countries, currencies, settings) and boolean or
`choices` columns are skipped. Indexes and keys a `.sql` schema or migration declares are read
(analysis/sql_schema.py, the reader JavaScript's race rule uses), matched by table name. Filters on a related model's
column (`customer__email`) are not judged, nor a chain through a queryset method of the project's own
(`Payout.objects.for_seller(s).order_by(...)`): its filter is in its body, where an index over it and the sorted
column may serve both.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity, TraceStep
from servicelens.model.report import OpenQuestion
from servicelens.rules.base import Rule, no_findings
from servicelens.rules.python.perf_common import PerfContext, reviewable
from servicelens.rules.python.perf_dialect import foreign_keys_indexed
from servicelens.rules.python.perf_index_facts import IndexFacts, QuerySite, collect_index_facts
from servicelens.rules.python.perf_migrations import sql_indexes
from servicelens.rules.python.perf_models import ModelFact
from servicelens.rules.python.perf_relations import Relations
from servicelens.taint.scope import ModuleScope

# Lookups a B-tree index on the column serves (iexact needs an index on UPPER(col)).
_INDEXABLE = frozenset({"", "exact", "iexact", "in", "gt", "gte", "lt", "lte", "range", "startswith", "date", "upper"})
_REFERENCE_TABLE = re.compile(r"(?i)^(country|countries|currency|currencies|language|locale|timezone|site|"
                              r"setting|settings|config|configuration|role|permission|group|plan|tier|"
                              r"\w*(type|kind|status|category))$")
_MAX_HOPS = 3
_RANK = {"handler": 0, "loop": 1, "task": 2}  # the finding sits at the most request-facing query


def collect(module: ir.Module, scope: ModuleScope) -> IndexFacts | None:
    hot_path = reviewable(module) and not module.path.endswith(("apps.py", "seed.py", "seeds.py"))  # start-up, seeding
    facts = collect_index_facts(module, scope, PerfContext.shared(module, scope).bodies(), hot_path)
    return facts if facts.models or facts.covered or facts.sites or facts.edges or facts.dialects else None


def combine(per_file: Mapping[str, object], settings: Settings,
            documents: Mapping[str, str] | None = None) -> Iterable[Finding | OpenQuestion]:
    facts = [f for f in per_file.values() if isinstance(f, IndexFacts)]
    models = [m for f in facts for m in f.models]
    sites = sorted((s for f in facts for s in f.sites), key=lambda s: (s.path, s.line, s.column))
    if not sites:
        return
    if not models:
        yield OpenQuestion("Where are the ORM models defined? The code queries models but no model class was found "
                           "in the reviewed tree.", "Indexes were not judged (missing-index).", "missing-index")
        return
    relations = Relations.build(models)
    reached = _reachable(facts)
    fk_indexed = foreign_keys_indexed(frozenset(d for f in facts for d in f.dialects))
    by_name: dict[str, set[str]] = {}
    # indexes a `.sql` schema or migration declares (analysis/sql_schema.py), beside the migrations' own
    declared = [covered for rel, text in sorted((documents or {}).items()) if rel.lower().endswith(".sql")
                for covered in sql_indexes(text)]
    for f in [*facts, IndexFacts((), tuple(declared), (), (), ())]:
        for kind, key, column in f.covered:
            by_name.setdefault(f"{kind}:{key}", set()).add(column)
            for cut in (i for i, c in enumerate(key) if c == "_" and kind == "table"):
                # SQL names Django's "<app>_<model>" table; the app label is not always the folder name
                by_name.setdefault(f"suffix:{key[cut + 1:]}", set()).add(column)
    groups: dict[tuple[str, str], list[QuerySite]] = {}
    unknown: set[str] = set()
    unmanaged: set[str] = set()
    for site in sites:
        if not site.hot and site.function not in reached:
            continue
        site = site if site.hot else replace(site, hot=reached[site.function])
        model = _model(relations, site.model)
        if model is not None and not model.managed:
            unmanaged.add(model.name)
            continue
        if model is None:
            if site.model.rsplit(".", 1)[-1] not in relations.names:
                unknown.add(site.model.rsplit(".", 1)[-1])
            continue
        verdicts = [(peer, _verdict(relations, peer, by_name, fk_indexed))
                    for peer in site.peers or (f"{site.model}.{site.column}",)]
        if any(v == "covered" for _p, v in verdicts):
            continue  # another column of the same query has an index: the database narrows with that one
        first = next((p for p, v in verdicts if v == "missing"), "")
        if first == f"{site.model}.{site.column}" and _needs_index(relations, model, site, by_name, fk_indexed):
            groups.setdefault((model.qualname, site.column), []).append(site)
    for (qualname, column), found in sorted(groups.items()):
        found.sort(key=lambda s: (_RANK.get(s.hot, 1), s.path, s.line))
        yield _finding(relations.models[qualname], column, found, relations)
    if unmanaged:
        yield OpenQuestion(f"Models with `managed = False` are queried ({', '.join(sorted(unmanaged)[:8])}): which "
                           "service owns their schema, and which indexes does it create?",
                           "Their queries were not checked for missing indexes.", "missing-index")
    if unknown:
        names = ", ".join(sorted(unknown)[:8]) + (" ..." if len(unknown) > 8 else "")
        yield OpenQuestion(f"Model definitions not found in the reviewed tree: {names}. Which indexes do their "
                           "tables have?", "Queries on these models were not checked for missing indexes.",
                           "missing-index")


def _reachable(facts: list[IndexFacts]) -> dict[str, str]:
    """Functions an entry point reaches within a few calls (a handler's helpers run per request),
    each with the kind of its nearest entry ("handler" wins over "task")."""
    edges = {caller: callees for f in facts for caller, callees in f.edges}
    reached: dict[str, str] = {}
    for kind in ("handler", "task"):
        frontier = {name for f in facts for name, k in f.entries if k == kind}
        for _ in range(_MAX_HOPS + 1):
            for name in frontier:
                reached.setdefault(name, kind)
            frontier = {c for caller in frontier for c in edges.get(caller, ()) if c not in reached}
    return reached


def _model(relations: Relations, name: str) -> ModelFact | None:
    """The model class a query names; among same-named classes, the one in a models module."""
    found = relations.by_name(name)
    if found is None:
        candidates = [m for m in relations.names.get(name.rsplit(".", 1)[-1], ()) if "models" in m.path]
        found = candidates[0] if len(candidates) == 1 else None
    return found


def _verdict(relations: Relations, peer: str, covered: Mapping[str, set[str]], fk_indexed: bool) -> str:
    """covered | missing | unknown, for one "model.column" a query narrows on. `fk_indexed`: the
    project runs on MySQL/MariaDB, whose InnoDB engine indexes every foreign-key column."""
    name, _, column = peer.rpartition(".")
    model = _model(relations, name)
    if column in ("id", "pk"):
        return "covered"
    if model is None:
        return "unknown"
    field = relations.field(model, column) or (relations.field(model, column[:-3]) if column.endswith("_id") else None)
    if field is None or field.kind not in ("column", "fk", "o2o"):
        return "covered" if field is not None else "unknown"  # a relation: joined through its key
    if field.indexed or (field.references and fk_indexed) or _indexed(relations, model, field.name, covered):
        return "covered"
    return "unknown" if field.low_cardinality else "missing"


def _needs_index(relations: Relations, model: ModelFact, site: QuerySite, covered: Mapping[str, set[str]],
                 fk_indexed: bool) -> bool:
    if site.lookup not in _INDEXABLE or _REFERENCE_TABLE.match(model.name):
        return False
    if _verdict(relations, f"{model.qualname}.{site.column}", covered, fk_indexed) != "missing":
        return False
    field = relations.field(model, site.column) or relations.field(model, site.column.removesuffix("_id"))
    return field is not None and not _indexed(relations, model, f"upper:{field.name}", covered)


def _indexed(relations: Relations, model: ModelFact, column: str, covered: Mapping[str, set[str]]) -> bool:
    """Leads of the model's (and its bases') Meta/__table_args__ indexes, plus migrations and SQL."""
    current: ModelFact | None = model
    for _ in range(5):
        if current is None:
            return False
        keys = (f"model:{current.name.lower()}", f"table:{current.table.lower()}", f"suffix:{current.name.lower()}")
        if column in current.index_leads or any(column in covered.get(k, ()) for k in keys):
            return True
        current = next((b for b in (relations.by_name(n) for n in current.bases) if b is not None and b is not current),
                       None)
    return False


def _finding(model: ModelFact, column: str, sites: list[QuerySite], relations: Relations) -> Finding:
    first = sites[0]
    field = relations.field(model, column) or relations.field(model, column.removesuffix("_id"))
    upper = all(s.lookup in ("iexact", "upper") for s in sites)
    what = {"filter": "filters on", "join": "joins on", "order": "sorts the whole table by"}[first.how]
    evidence = [TraceStep(Location(s.path, s.line), f"{s.how} on `{model.name}.{column}`", s.text) for s in sites[:6]]
    if field is not None:
        evidence.append(TraceStep(Location(model.path, field.line), f"`{column}` declared without an index"))
    others = f" (and {len(sites) - 1} more quer{'y' if len(sites) == 2 else 'ies'})" if len(sites) > 1 else ""
    return make_finding(
        "missing-index", Location(first.path, first.line),
        f"Query {what} `{model.name}.{column}`, which has no index{others}",
        f"No index, unique constraint or key covers `{column}`{' (this lookup compares UPPER(' + column + '))' if upper else ''}, "
        "so every call reads the whole table: on a 5M-row table that is a sequential scan of ~1 s per call instead "
        "of ~1 ms with an index, a full share of I/O per request, and latency that grows with the table.",
        confidence=Confidence.MEDIUM, evidence=tuple(evidence), fix=_fix(model, column, upper),
        severity=Severity.LOW if all(s.hot == "task" for s in sites) else None,
        rule=RULE.id, key=f"{model.qualname}.{column}",
    )


def _fix(model: ModelFact, column: str, upper: bool) -> Fix:
    table = model.table or model.name.lower()
    name = f"{table[:20]}_{column[:8]}_idx"
    if model.orm == "django":
        index = f'models.Index(Upper("{column}"), name="{name}")' if upper else \
            f'models.Index(fields=["{column}"], name="{name}")'
        code = (f"class {model.name}(...):\n    class Meta:\n        indexes = [\n            {index},\n        ]"
                + ("\n# from django.db.models.functions import Upper" if upper else ""))
        return Fix("Declare the index on the model, then `python manage.py makemigrations` and `migrate`; on "
                   "PostgreSQL use `AddIndexConcurrently` (non-atomic migration) so writes continue while it builds.",
                   code, "python")
    expr = f'func.upper({model.name}.{column})' if upper else f'"{column}"'
    code = (f"class {model.name}(...):\n    __table_args__ = (Index(\"ix_{table}_{column}\", {expr}),)\n"
            f"# or on the column: {column} = mapped_column(..., index=True)  /  Field(index=True)\n"
            f"# alembic revision --autogenerate -m \"index {table}.{column}\"\n"
            f"# op.create_index(\"ix_{table}_{column}\", \"{table}\", [\"{column}\"], postgresql_concurrently=True)")
    return Fix("Index the column on the model and ship it with an Alembic revision (built concurrently on "
               "PostgreSQL so writes continue).", code, "python")


RULE = Rule("py-perf-missing-index", frozenset({"missing-index"}), "python", no_findings,
            collect=collect, combine=combine, documents=frozenset({"sql"}))
