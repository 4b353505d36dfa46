"""A database, Redis or HTTP round trip per loop iteration that one batched call could do.

## What it finds
Inside a `for` loop or comprehension: Django queries that run (`Model.objects.get(...)`,
`.create(...)`, `.count()`, `.update()`), `row.save()` on the loop variable, SQLAlchemy
`session.get(...)`, a statement object built by SQLAlchemy or SQLModel (`select`, `insert`, `update`,
`delete`, a dialect's `insert`: models/vocabulary/sql_statements.yaml) handed to any handle's
`execute`/`scalars`/`scalar`/`exec`/`stream` (`await self.session.execute(update(User).where(...))`,
`conn.execute(insert(events).values(...))`), 1.x `session.query(Model)...first()` and
Flask-SQLAlchemy `Model.query...first()`, DB-API `cursor.execute(...)`, a statement handed as SQL
text to any driver handle (`await pool.fetchrow("SELECT ...")`, `conn.execute("INSERT ...")`,
`database.fetch_one(query="SELECT ...")`: rules/python/_raw_sql.py), and Redis
`get`/`set`/`hget`/`incr` on a client (a name the module binds to a Redis constructor, unless the
function binds it itself to something else: analysis/receiver_bindings.py), and outbound HTTP calls (`requests`, `httpx`, a
module-level client; not a name the function binds itself: `requests.get("cpu")` on a local mapping) made one after another. When the loop itself iterates a query result and
the per-item query uses the row, it is reported as `n-plus-one-query`. In a method of a custom
manager or queryset (a class of the module derived from Django's `Manager` or `QuerySet`),
`self.get(...)`, `self.filter(...).count()` are the same queries (perf_orm.is_query_class).

## Why it matters
Every iteration waits a network round trip (0.5-2 ms to a database in the same region):
500 ids cost 500 queries and half a second or more, where one `WHERE id IN (...)`,
`bulk_create`, `executemany` or Redis `MGET`/pipeline costs one.

## Example
```python
for item_id in item_ids:
    items.append(Item.objects.get(pk=item_id))
```

## Fix
```python
items = list(Item.objects.filter(pk__in=item_ids))
```
`bulk_create`/`bulk_update`/`QuerySet.update()` for writes, `cursor.executemany`,
`redis.mget` or `pipeline()` for Redis.

Loops whose length the code fixes are not reported (`_loop_bounds.bounded_iterable`): a
literal tuple/list/set/dict, a module-level or ALL_CAPS constant collection, an enum's members
or a `choices` attribute, the `.items()`/`.keys()`/`.values()` of those, `zip`/`enumerate`/
`sorted` of them, a local list assigned only literals and never appended to, the rows of a
queryset filtered to one primary key, a model's `_meta` fields, and one object's related rows
(`invoice.shipments.filter(...)`, not the children of a loop's row). Every enclosing `for` must be fixed too: a constant
tuple inside a loop over orders still multiplies by the orders. Querysets, request data
(uploaded files included: the client picks how many) and parameters stay reported.

A round trip followed in its own block by `return`, `raise` or `break` runs at most once per loop
(a search that stops at the first match) and is not reported; so is one whose block ends into
such a statement of an enclosing block (a record of the failure in an `except` handler, then
`return False, error` after it). One inside a `try` body is still reported: a failure of the call
itself may be caught and the loop move on to the next item.

A loop that runs a statement the code prepared for it (`cursor.execute("EXECUTE reorder (%s, %s)")`
after `PREPARE reorder AS UPDATE ...`) is deliberate and not reported, and neither is a loop
over a collection stored inside one row (`for status in self.statuses` in a model declaring
`statuses = JSONField(...)` or an array column): that row decides its length, not the table.

## Known problems
`while` loops (usually batching already) and loops over `range()` or over batches/chunks are
not reported. Queries inside helpers called from the loop are not followed. A JSON list read
from a row through another object (`template.statuses`) is treated as unbounded, and so is a
parameter that every caller passes a constant to: callers are not followed.
"""
from __future__ import annotations

import re
from typing import Iterable

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.analysis.receiver_bindings import rebound
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.base import Rule
from servicelens.rules.python._common import const_str
from servicelens.rules.python import _raw_sql as raw_sql
from servicelens.rules.python._loop_bounds import bounded_iterable
from servicelens.rules.python._loop_exits import exits_after
from servicelens.rules.python._sa_statements import executed_statement
from servicelens.rules.python.perf_common import (
    FunctionView, Loop, PerfContext, Site, call_name, local_receiver, method_of, receiver, reviewable,
)
from servicelens.rules.python.perf_orm import is_query_class, query_of
from servicelens.taint.scope import ModuleScope

_DJANGO_RUNS = {"get": "filter(pk__in=...) once, then a dict", "create": "bulk_create", "get_or_create": "one filter(...__in) + bulk_create",
                "update_or_create": "bulk_update / bulk_create", "count": "one annotate(Count(...)) or values().annotate()",
                "exists": "one filter(...__in) into a set", "update": "one filter(...__in).update()",
                "delete": "one filter(...__in).delete()", "first": "one filter(...__in) into a dict",
                "last": "one filter(...__in) into a dict", "aggregate": "one values(...).annotate(...)"}
_REDIS = {"get": "mget", "set": "mset or a pipeline", "hget": "a pipeline", "hgetall": "a pipeline",
          "incr": "a pipeline", "sadd": "one sadd(key, *members)", "expire": "a pipeline", "delete": "one delete(*keys)"}
_REDIS_CTORS = {"redis.Redis", "redis.StrictRedis", "redis.from_url", "redis.Redis.from_url"}
# one statement for every item, by the kind of statement run per item
_STATEMENT_BATCH = {
    "select": "one select(...).where(Model.id.in_(ids)) for every item, then a dict",
    "update": "one update(...).where(Model.id.in_(ids)), or session.execute(update(Model), [rows]) (bulk by primary key)",
    "insert": "one insert(Model).values([...]) or session.execute(insert(Model), [rows]) (executemany)",
    "delete": "one delete(Model).where(Model.id.in_(ids))",
}
_BATCHY = re.compile(r"(?i)batch|chunk|page|retr|attempt")
# `EXECUTE name (...)`: a statement the code PREPAREd once for the loop, planned once and run per row
_PREPARED = re.compile(r"(?i)\s*execute\s+\w+")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if not reviewable(module) or _one_off(module.path):
        return
    ctx = PerfContext.shared(module, scope)
    redis_names = {name for function, view in ctx.bodies() for name, value in view.assigns.items()
                   if isinstance(value, ir.Call) and call_name(value, scope, function) in _REDIS_CTORS}
    for function, view in ctx.bodies():
        fixed: dict[tuple[int, bool], bool] = {}
        for site in view.sites:
            if site.loop is None or site.loop.iter is None or site.deferred or _batch_loop(site.loop):
                continue
            found = _round_trip(site, scope, function, redis_names, view.assigns)
            if found is None:
                continue
            what, batched = found
            if _runs_once(function.body if function is not None else module.body, site):
                continue
            over_query = query_of(site.loop.iter, view, scope, function, module) is not None \
                or _raw_rows(site.loop.iter, view.assigns)
            uses_row = any(isinstance(n, ir.Name) and n.id in site.loop.targets for n in ir.walk_expr(site.call))
            concern = "n-plus-one-query" if over_query and uses_row and what != "save" else "query-in-loop"
            # a query per child row is an N+1 whatever the parent (see _loop_bounds.bounded_iterable)
            key = (id(site.loop), concern == "query-in-loop")
            if key not in fixed:  # one answer per loop, asked only for real queries
                fixed[key] = _fixed_size(site.loop, view.loops, module, function, file_index(module, scope), key[1])
            if fixed[key]:
                continue
            yield _finding(module, site, concern, what, batched)


def repeats_per_item(site: Site, loops: tuple[Loop, ...], module: ir.Module, function: ir.Function | None,
                     index: FileIndex) -> bool:
    """The call runs once per item of a `for` loop whose length the data or the caller decides: not
    when a statement right after it leaves the loop (`_runs_once`), nor when every loop around it
    iterates a small collection fixed by the code (`_fixed_size`). The judgement this rule makes,
    shared with the rules that grade a call by whether it repeats (perf_blocking_async)."""
    if site.loop is None or site.loop.iter is None:
        return False
    if _runs_once(function.body if function is not None else module.body, site):
        return False
    return not _fixed_size(site.loop, loops, module, function, index, True)


def over_stored_rows(site: Site, view: FunctionView, scope: ModuleScope, function: ir.Function | None) -> bool:
    """A loop around the call iterates the rows of a query (`for row in session.scalars(stmt)`,
    `for order in Order.objects.filter(...)`, rows a driver fetched): its length grows with a table,
    unlike one request's items or one object's children."""
    loop = site.loop
    if loop is None:
        return False
    around = [each for each in view.loops if each.iter is not None and each.line <= loop.line <= each.end_line]
    return any(query_of(each.iter, view, scope, function, scope.module, class_queries=True) is not None
               or _raw_rows(each.iter, view.assigns) or _selected_rows(each.iter, view.assigns, scope, function)
               for each in around)


# methods of an executed statement's result that hand back its rows (SQLAlchemy `Result` / `ScalarResult`)
_RESULT_ROWS = frozenset({"scalars", "all", "unique", "mappings", "fetchall", "partitions", "yield_per"})
_SELECTS = frozenset({"select", "union", "union_all"})


def _selected_rows(expr: ir.Expr, assigns: dict[str, ir.Expr], scope: ModuleScope, function: ir.Function | None,
                   depth: int = 0) -> bool:
    """The rows of a SELECT statement object an executor ran (`session.execute(select(Agg.key).where(...))
    .scalars()`, through one local and `list(...)`), whichever columns it selects: query_of asks which
    model the rows are, this only whether they are rows of a query."""
    node = expr.value if isinstance(expr, ir.Await) else expr
    if isinstance(node, ir.Name) and node.id in assigns and depth < 3:
        return _selected_rows(assigns[node.id], assigns, scope, function, depth + 1)
    if isinstance(node, ir.Call) and ir.dotted_name(node.func) in ("list", "tuple", "sorted") and len(node.args) == 1:
        return _selected_rows(node.args[0], assigns, scope, function, depth + 1)
    while isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
        root = executed_statement(node, assigns, scope, function)
        if root is not None:
            return root.rsplit(".", 1)[-1] in _SELECTS
        if node.func.attr not in _RESULT_ROWS:
            return False
        node = node.func.value
        if isinstance(node, ir.Name) and node.id in assigns and depth < 3:
            return _selected_rows(assigns[node.id], assigns, scope, function, depth + 1)
    return False


def _runs_once(body: tuple[ir.Stmt, ...], site: Site) -> bool:
    """The round trip is followed in its own block by a statement that leaves the loop (`return`,
    `raise`, `break`): the first item to get there ends the loop, so it runs at most once
    (`for plugin in plugins: if plugin.ID == wanted: return Config.objects.get_or_create(...)`)."""
    loop = site.loop
    for_stmt = next((s for s in ir.walk_stmts(body) if isinstance(s, ir.For) and loop is not None
                     and s.line == loop.line and s.end_line == loop.end_line), None)
    return for_stmt is not None and exits_after(for_stmt.body, site.call.line)


def _one_off(path: str) -> bool:
    """Seed/management commands, schema migrations (Django's, Alembic's) and app
    start-up run once over small data: not a request path."""
    return "/management/commands/" in f"/{path}" or path.endswith(("apps.py", "seed.py", "seeds.py", "fixtures.py")) \
        or any(part in f"/{path}" for part in ("/migrations/", "/_migrations/", "/alembic/"))


def _fixed_size(loop: Loop, loops: tuple[Loop, ...], module: ir.Module, function: ir.Function | None,
                index: FileIndex, one_objects_rows: bool) -> bool:
    """Every `for` around the query (the innermost and those enclosing it) iterates a small collection
    fixed by the code: the query runs a bounded number of times whatever the data."""
    around = [outer for outer in loops if outer.iter is not None and outer.line <= loop.line <= outer.end_line
              and outer is not loop]
    return all(bounded_iterable(each.iter, module, function, index=index, one_objects_rows=one_objects_rows)
               for each in (loop, *around))


def _batch_loop(loop: Loop) -> bool:
    it = loop.iter
    if isinstance(it, ir.Call) and ir.dotted_name(it.func) == "range":
        return True
    text = " ".join(loop.targets) + " " + (ir.dotted_name(it) or (ir.dotted_name(it.func) or "" if isinstance(it, ir.Call) else ""))
    return bool(_BATCHY.search(text))


def _raw_rows(expr: ir.Expr, assigns: dict[str, ir.Expr], depth: int = 0) -> bool:
    """`rows` bound to (or the loop iterating) what a driver returned for a SELECT:
    `rows = await pool.fetch("SELECT ...")`, `cur.execute("SELECT ...").fetchall()`."""
    node = expr.value if isinstance(expr, ir.Await) else expr
    if isinstance(node, ir.Name) and node.id in assigns and depth < 3:
        return _raw_rows(assigns[node.id], assigns, depth + 1)
    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in ("fetchall", "all") \
            and isinstance(node.func.value, ir.Call):
        return raw_sql.statement(node.func.value, assigns) is not None
    return isinstance(node, ir.Call) and raw_sql.selects_rows(node, assigns)


def _round_trip(site: Site, scope: ModuleScope, function: ir.Function | None,
                redis_names: set[str], assigns: dict[str, ir.Expr]) -> tuple[str, str] | None:
    call, method = site.call, method_of(site.call)
    recv = receiver(call)
    recv_name = ir.dotted_name(recv) if recv is not None else None
    if method in _DJANGO_RUNS and (_on_manager(recv) or _on_own_queryset(recv, scope, function)):
        return f"{method}", _DJANGO_RUNS[method]
    if method == "save" and recv_name in site.loop.targets and not call.args:  # type: ignore[union-attr]
        return "save", "bulk_update(rows, fields) or one QuerySet.update()"
    if method in _REDIS and recv_name in redis_names and not rebound(  # analysis/receiver_bindings.py
            recv_name, assigns, lambda value: isinstance(value, ir.Call) and call_name(value, scope, function) in _REDIS_CTORS):
        return f"redis {method}", _REDIS[method]
    if method in _HTTP_VERBS and not local_receiver(call, assigns, function) \
            and _http_client(call, recv_name, scope, function):
        return f"HTTP {method}", ("concurrent requests (asyncio.gather with a bounded semaphore, or a thread pool) "
                                  "or one batch endpoint of the remote service")
    if method == "execute" and recv_name and re.search(r"(?i)cur(sor)?$", recv_name):
        if _PREPARED.match(const_str(call.arg(0, "query")) or ""):
            return None  # the team prepared the statement for exactly this loop
        return "execute", "cursor.executemany(...) or one statement with IN / VALUES lists"
    if raw_sql.statement(call, assigns) is not None:  # SQL text handed to a driver, whatever the handle
        return method, "one statement for every item (`IN (...)` / `= ANY($1)`, a JOIN, or executemany)"
    built = executed_statement(call, assigns, scope, function)
    if built is not None:  # a statement object (`update(User).where(...)`) handed to any handle
        return method, _STATEMENT_BATCH.get(built.rsplit(".", 1)[-1], _STATEMENT_BATCH["select"])
    if method == "get" and recv_name and re.search(r"(?i)(^|_|\.)(session|db)$", recv_name) and call.args \
            and isinstance(call.args[0], ir.Name) and call.args[0].id[:1].isupper():
        return "get", "one select(Model).where(Model.id.in_(ids))"
    if method in _SA_QUERY_ENDS and _sa_query(call):
        return method, "one query(...).filter(Model.key.in_(keys)) into a dict"
    return None


# 1.x `session.query(Model)...first()` / Flask-SQLAlchemy `Model.query...first()`: these run it
_SA_QUERY_ENDS = frozenset({"first", "one", "one_or_none", "all", "count", "scalar", "get", "get_or_404",
                            "first_or_404"})


def _sa_query(call: ir.Call) -> bool:
    """`db.query(Model).filter(...).first()` or `Model.query.filter_by(...).first()`."""
    node = call.func.value if isinstance(call.func, ir.Attr) else None
    while isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
        if node.func.attr == "query" and node.args and isinstance(node.args[0], ir.Name) \
                and node.args[0].id[:1].isupper():
            return True
        node = node.func.value
    return isinstance(node, ir.Attr) and node.attr == "query" and isinstance(node.value, ir.Name) \
        and node.value.id[:1].isupper() and not node.value.id.isupper()


_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "request"})


def _http_client(call: ir.Call, recv_name: str | None, scope: ModuleScope, function: ir.Function | None) -> bool:
    """`requests.get(...)`, `httpx.post(...)`, or a method of a module-level HTTP client."""
    name = call_name(call, scope, function) or ""
    if name.startswith(("requests.", "httpx.")) and name.count(".") == 1:
        return True
    value = scope.globals_env.get(recv_name or "")
    return value is not None and "http-client" in value.tags


def _on_manager(node: ir.Expr | None) -> bool:
    while isinstance(node, (ir.Call, ir.Attr)):
        if isinstance(node, ir.Attr) and node.attr == "objects":
            return isinstance(node.value, ir.Name) and node.value.id[:1].isupper()
        node = node.func if isinstance(node, ir.Call) else node.value
    return False


def _on_own_queryset(node: ir.Expr | None, scope: ModuleScope, function: ir.Function | None) -> bool:
    """`self.get(...)`, `self.filter(...).count()` in a method of a custom manager or queryset."""
    while isinstance(node, (ir.Call, ir.Attr)):
        node = node.func if isinstance(node, ir.Call) else node.value
    return isinstance(node, ir.Name) and node.id == "self" and function is not None \
        and function.class_name is not None and is_query_class(function.class_name, scope)


def _finding(module: ir.Module, site: Site, concern: str, what: str, batched: str) -> Finding:
    loop = site.loop
    assert loop is not None
    call = site.call
    noun = "row" if concern == "n-plus-one-query" else "item"
    http = what.startswith("HTTP")
    title = f"`{what}` inside a loop: one request per {noun}, one after another" if http else \
        f"`{what}` round trip inside a loop: one query per {noun}"
    why = ("Each iteration waits for a remote service (20-200 ms): 50 items cost 1-10 s of request time in "
           "series, and one slow dependency multiplies into a timeout for the caller.") if http else \
        (f"Each iteration waits a network round trip (0.5-2 ms): 500 {noun}s cost 500 queries and 0.5-1 s of "
         "latency, where one batched call costs one.")
    return make_finding(
        concern, Location(module.path, call.line, call.end_line or call.line), title, why,
        confidence=Confidence.HIGH if what != "save" else Confidence.MEDIUM,
        evidence=(TraceStep(Location(module.path, loop.line), "loop", module.line_text(loop.line)),
                  TraceStep(Location(module.path, call.line), "query per iteration", module.line_text(call.line))),
        fix=Fix(f"Batch it outside the loop: {batched}.", f"# instead of: {module.line_text(call.line)}\n# use {batched}",
                "python"),
        rule=RULE.id, key=f"{module.line_text(call.line)}",
    )


RULE = Rule("py-perf-query-in-loop", frozenset({"query-in-loop", "n-plus-one-query"}), "python", check)
