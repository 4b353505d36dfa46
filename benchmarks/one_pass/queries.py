"""Two of today's rules re-expressed as queries over the flat tables of tables.py.

- `missing_timeouts`: the requests/httpx part of perf_missing_timeout (a `requests` call or a
  request on a `requests.Session` without `timeout=`, an httpx call or client with `timeout=None`),
  sessions followed wherever the module binds them (module level, `self.x`, a factory's return, a
  parameter annotated `requests.Session`), calls under a deadline `with` block left out.
- `loop_round_trips`: the core of perf_query_in_loop (a Django manager query, `row.save()`, a
  cursor `execute`, a `session.get(Model, ...)`, a 1.x `query(Model)...first()`, a Redis command or
  an outbound HTTP call, inside a `for` loop or comprehension whose length the data decides).

Each is a few joins over rows (call -> its function's bindings, call -> its loop -> the loops around
it, call -> the exits after it); the knowledge is read from the same data files the rules read
(models/vocabulary/http_clients.yaml, models/python/libraries.yaml). What each leaves out of
today's rule is listed in README.md, with the differences it makes on the corpus.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import yaml

from servicelens.rules.python._http_clients import HttpClients, http_clients
from servicelens.rules.python.perf_common import reviewable
from servicelens.rules.python._raw_sql import _VERB, ROW_RUNNERS, RUNNERS
from servicelens.rules.python.perf_query_in_loop import _PREPARED, _one_off

from .bounds import Bounds
from .tables import (
    BIND_FUNC, BIND_KIND, BIND_NAME, BIND_TEXT, BIND_VALUE, CALL_ARG0, CALL_CHAIN, CALL_FUNC, CALL_HEADS, CALL_KW, CALL_LINE,
    CALL_LOOP, CALL_NARGS, CALL_TEXT, CALL_NONE_KW, CALL_SPLAT, EXIT_BLOCK_END, EXIT_BLOCK_START, EXIT_FUNC, EXIT_LINE,
    FN_CLASS, FN_DECORATORS, FN_NAME, FN_PARAMS, LOOP_FUNC, LOOP_ITER, LOOP_KIND, LOOP_LINE,
    LOOP_TARGETS, RET_FUNC, RET_VALUE, WITH_ARG0, WITH_CHAIN, WITH_LINE, WITH_END, Tables,
)


@dataclass(frozen=True, slots=True)
class Hit:
    """A site a query marks: the call's line, what it is, and which concern it belongs to."""
    line: int
    concern: str
    what: str


# --- shared joins --------------------------------------------------------------------------------

def qualify(name: str, imports: dict[str, str]) -> str:
    """`r.get` -> `requests.get` through the module's imports; other spellings as written."""
    head, dot, rest = name.partition(".")
    target = imports.get(head)
    if target is None:
        return name
    return f"{target}.{rest}" if dot else target


def _bound_locally(t: Tables) -> set[tuple[int, str]]:
    """(function row, name) for every name a function binds itself (assignment, loop, `with`,
    parameter); module-level bindings are function -1."""
    return {(row[BIND_FUNC], row[BIND_NAME]) for row in t.binds}


def _split(name: str) -> tuple[str, str]:
    """(receiver chain, method) of a callee chain: `self.s.get` -> (`self.s`, `get`)."""
    receiver, dot, method = name.rpartition(".")
    return (receiver, method) if dot else ("", "")


def _reviewed(path: str) -> bool:
    return reviewable(SimpleNamespace(path=path))  # type: ignore[arg-type]


# --- missing-timeout ----------------------------------------------------------------------------

_DEADLINE_CONTEXTS = frozenset({"timeout", "timeout_at", "fail_after", "fail_at", "move_on_after", "move_on_at"})
_PROPERTY = frozenset({"property", "cached_property", "functools.cached_property"})


def _builds(value: str, imports: dict[str, str], wanted: frozenset[str], factories: set[str]) -> bool:
    """A bound value (`requests.Session()`, `given or make_session()`) that builds one of `wanted`."""
    for part in value.split("|"):
        if part.endswith("()") and "(" not in part[:-2]:
            callee = part[:-2]
            if qualify(callee, imports) in wanted or callee in factories:
                return True
    return False


def session_names(t: Tables, clients: HttpClients, imports: dict[str, str]) -> frozenset[str]:
    """Names bound to a `requests.Session` anywhere in the module: built directly, returned by a
    factory of the module (followed three deep), served by a property, or a parameter annotated
    with one (and what it is stored into)."""
    wanted = clients.sessions
    factories: set[str] = set()
    bound = {(row[BIND_FUNC], row[BIND_NAME]): row[BIND_VALUE] for row in t.binds if row[BIND_KIND] == "assign"}
    for _ in range(3):
        before = len(factories)
        for ret in t.returns:
            fn = ret[RET_FUNC]
            if fn < 0 or "<locals>" in t.functions[fn][0]:
                continue
            value = ret[RET_VALUE]
            value = bound.get((fn, value), value) if "(" not in value and "." not in value else value
            if _builds(value, imports, wanted, factories):
                f = t.functions[fn]
                factories.add(f"self.{f[FN_NAME]}" if f[FN_CLASS] else f[FN_NAME])
        if len(factories) == before:
            break
    properties = {f"self.{f[FN_NAME]}" for f in t.functions if f[FN_CLASS] and set(f[FN_DECORATORS]) & _PROPERTY}
    found = {name for name in factories if name in properties}
    typed: dict[int, set[str]] = {}
    for row, f in enumerate(t.functions):
        for name, annotation in f[FN_PARAMS]:
            if annotation and any(qualify(a, imports) in wanted for a in annotation.split("|")):
                typed.setdefault(row, set()).add(name)
    for fn, names in typed.items():
        found |= names
    for row in t.binds:
        if row[BIND_KIND] not in ("assign", "with"):
            continue
        value = row[BIND_VALUE]
        if _builds(value, imports, wanted, factories) or value in typed.get(row[BIND_FUNC], ()):
            found.add(row[BIND_NAME])
    return frozenset(found - {""})


def missing_timeouts(t: Tables, clients: HttpClients | None = None) -> list[Hit]:
    """Requests/httpx calls that can wait for ever (see the module docstring)."""
    if not _reviewed(t.path):
        return []
    clients = clients or http_clients()
    if not _may_name(t, _libraries(clients)):
        return []
    imports = dict(t.imports)
    sessions = session_names(t, clients, imports)
    local = _bound_locally(t)
    hits = []
    for call in t.calls:
        name = call[CALL_CHAIN]
        fn = call[CALL_FUNC]
        receiver, method = _split(name)
        head = name.partition(".")[0]
        on_session = method in clients.verbs and receiver in sessions
        qualified = "" if receiver and ((fn, head) in local) else qualify(name, imports)
        has_timeout = "timeout" in call[CALL_KW] or call[CALL_SPLAT]
        if qualified in clients.requests or on_session:
            if not has_timeout or "timeout" in call[CALL_NONE_KW]:
                hits.append(Hit(call[CALL_LINE], "missing-timeout", name))
        elif qualified in clients.httpx and "timeout" in call[CALL_NONE_KW]:
            hits.append(Hit(call[CALL_LINE], "missing-timeout", name))
    return _outside_deadlines(t, hits)


@lru_cache(maxsize=4)
def _libraries(clients: HttpClients) -> frozenset[str]:
    """The top-level modules the clients live in (`requests`, `httpx`, `requests_oauthlib`)."""
    return frozenset(name.partition(".")[0] for name in clients.sessions | clients.requests | clients.httpx)


def _may_name(t: Tables, libraries: frozenset[str]) -> bool:
    """The cheap first gate (the table form of a rule's `requires`): a file that neither imports one
    of the libraries nor spells a call through one cannot reach a client of it."""
    return any(target.partition(".")[0] in libraries for _, target in t.imports) \
        or any(row[CALL_CHAIN].partition(".")[0] in libraries for row in t.calls)


def _outside_deadlines(t: Tables, hits: list[Hit]) -> list[Hit]:
    """Drops calls inside `with asyncio.timeout(5):` (and the other deadline contexts)."""
    spans = [(w[WITH_LINE], w[WITH_END]) for w in t.withs
             if w[WITH_CHAIN].endswith("()") and w[WITH_CHAIN][:-2].rpartition(".")[2] in _DEADLINE_CONTEXTS
             and w[WITH_ARG0] != "None"]
    if not spans:
        return hits
    return [h for h in hits if not any(start <= h.line <= end for start, end in spans)]


# --- query-in-loop -------------------------------------------------------------------------------

_DJANGO_RUNS = frozenset({"get", "create", "get_or_create", "update_or_create", "count", "exists", "update",
                          "delete", "first", "last", "aggregate"})
_REDIS = frozenset({"get", "set", "hget", "hgetall", "incr", "sadd", "expire", "delete"})
_REDIS_CTORS = frozenset({"redis.Redis", "redis.StrictRedis", "redis.from_url", "redis.Redis.from_url"})
_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "request"})
_SA_QUERY_ENDS = frozenset({"first", "one", "one_or_none", "all", "count", "scalar", "get", "get_or_404",
                            "first_or_404"})
_BATCHY = re.compile(r"(?i)batch|chunk|page|retr|attempt")
_CURSOR = re.compile(r"(?i)cur(sor)?$")
_SESSION = re.compile(r"(?i)(^|_|\.)(session|db)$")


@lru_cache(maxsize=1)
def http_client_constructors() -> frozenset[str]:
    """Calls whose result the taint models tag `http-client` (models/python/libraries.yaml)."""
    import servicelens.models
    data = yaml.safe_load((Path(servicelens.models.__file__).parent / "python" / "libraries.yaml").read_text())
    found = set()
    for rows in data.values():
        if isinstance(rows, list):
            found |= {row["call"] for row in rows if isinstance(row, dict) and row.get("tag") == "http-client"
                      and "call" in row}
    return frozenset(found)


def loop_round_trips(t: Tables) -> list[Hit]:
    """Round trips repeated per item of a loop the data sizes (see the module docstring)."""
    if not _reviewed(t.path) or _one_off(t.path):
        return []
    if not any(row[CALL_LOOP] >= 0 for row in t.calls):
        return []
    imports = dict(t.imports)
    module_values = {row[BIND_NAME]: row[BIND_VALUE] for row in t.binds if row[BIND_FUNC] < 0}
    redis_names = {row[BIND_NAME] for row in t.binds if row[BIND_KIND] == "assign"
                   and row[BIND_VALUE].endswith("()") and qualify(row[BIND_VALUE][:-2], imports) in _REDIS_CTORS}
    clients = http_client_constructors()
    http_globals = {name for name, value in module_values.items()
                    if value.endswith("()") and qualify(value[:-2], imports) in clients}
    local = _bound_locally(t)
    by_line: dict[tuple[int, str], tuple] = {}
    hits = []
    fixed: dict[tuple[int, bool], bool] = {}
    bounds: Bounds | None = None
    for call in t.calls:
        loop_row = call[CALL_LOOP]
        if loop_row < 0:
            continue
        loop = t.loops[loop_row]
        if loop[LOOP_KIND] == "while" or _batch_loop(loop):
            continue
        what = _round_trip(t, call, loop, imports, redis_names, http_globals, local, by_line)
        if what is None or _runs_once(t, call, loop):
            continue
        concern = _concern(t, call, loop, what)
        key = (loop_row, concern == "query-in-loop")  # a query per child row is an N+1 whatever the parent
        if key not in fixed:
            bounds = bounds or Bounds.of(t)
            fixed[key] = bounds.fixed_size(loop, key[1])
        if fixed[key]:
            continue
        hits.append(Hit(call[CALL_LINE], concern, what))
    return hits


def _round_trip(t: Tables, call: tuple, loop: tuple, imports: dict[str, str], redis_names: set[str],
                http_globals: set[str], local: set[tuple[int, str]],
                by_line: dict[tuple[int, str], tuple]) -> str | None:
    name = call[CALL_CHAIN]
    receiver, method = _split(name)
    parts = receiver.split(".")
    if method in _DJANGO_RUNS and _on_manager(parts):
        return method
    if method == "save" and receiver in loop[LOOP_TARGETS] and call[CALL_NARGS] == 0:
        return "save"
    if method in _REDIS and receiver in redis_names:
        return f"redis {method}"
    head = name.partition(".")[0]
    if method in _HTTP_VERBS and not (call[CALL_FUNC], head) in local:
        qualified = qualify(name, imports)
        if (qualified.startswith(("requests.", "httpx.")) and qualified.count(".") == 1) or receiver in http_globals:
            return f"HTTP {method}"
    if method == "execute" and receiver and "(" not in receiver and _CURSOR.search(receiver):
        if call[CALL_ARG0] == "str" and _PREPARED.match(call[CALL_TEXT]):
            return None  # the team prepared the statement for exactly this loop
        return "execute"
    if method in RUNNERS and _VERB.match(_statement_text(t, call)):  # SQL text handed to any driver handle
        return method
    if method == "get" and receiver and "(" not in receiver and _SESSION.search(receiver) and call[CALL_NARGS] \
            and "." not in call[CALL_ARG0] and "(" not in call[CALL_ARG0] and call[CALL_ARG0][:1].isupper():
        return "get"
    if method in _SA_QUERY_ENDS and _sa_query(t, call, receiver):
        return method
    return None


def _statement_text(t: Tables, call: tuple) -> str:
    """The SQL text a runner is handed: written in the call, or bound to the local it passes."""
    if call[CALL_TEXT] or not call[CALL_ARG0] or "." in call[CALL_ARG0] or "(" in call[CALL_ARG0]:
        return call[CALL_TEXT]
    bound = [r for r in t.binds if r[BIND_FUNC] == call[CALL_FUNC] and r[BIND_NAME] == call[CALL_ARG0]
             and r[BIND_KIND] == "assign"]
    return bound[-1][BIND_TEXT] if bound else ""


def _on_manager(parts: list[str]) -> bool:
    """`Item.objects...`: the outermost `objects` of the receiver's spine hangs off a class name."""
    names = [p.removesuffix("()") for p in parts]
    if "objects" not in names:
        return False
    last = len(names) - 1 - names[::-1].index("objects")
    return last == 1 and names[0][:1].isupper()


def _sa_query(t: Tables, call: tuple, receiver: str) -> bool:
    """`db.query(Model)...first()` (joined with the inner `query(...)` call's own row, which holds
    its first argument) or `Model.query.filter_by(...).first()`."""
    parts = receiver.split(".")
    for i, part in enumerate(parts):
        if part == "query()":
            inner = ".".join(parts[:i] + ["query"])
            for other in t.calls:
                if other[CALL_LINE] < call[CALL_LINE] - 50 or other[CALL_LINE] > call[CALL_LINE]:
                    continue
                if other[CALL_CHAIN] == inner and other[CALL_NARGS] and "." not in other[CALL_ARG0] \
                        and other[CALL_ARG0][:1].isupper():
                    return True
    base = [p for p in parts if not p.endswith("()")]
    # the spine ends at `Model.query` once the calls are peeled off
    first_call = next((i for i, p in enumerate(parts) if p.endswith("()")), len(parts))
    spine = parts[:first_call]
    return len(base) >= 2 and len(spine) == 2 and spine[1] == "query" and spine[0][:1].isupper() \
        and not spine[0].isupper()


def _batch_loop(loop: tuple) -> bool:
    it = loop[LOOP_ITER]
    if it == "range()":
        return True
    text = " ".join(loop[LOOP_TARGETS]) + " " + (it[:-2] if it.endswith("()") else it)
    return bool(_BATCHY.search(text))


def _runs_once(t: Tables, call: tuple, loop: tuple) -> bool:
    """A `return`/`raise`/`break` after the call in a block holding it, inside the loop's body,
    with no `try` body around the call inside the loop (a caught failure moves on)."""
    line, fn = call[CALL_LINE], call[CALL_FUNC]
    if any(loop[LOOP_LINE] < start <= line <= end for kind, start, end in t.blocks):
        return False
    return any(e[EXIT_FUNC] == fn and e[EXIT_LINE] >= line and e[EXIT_BLOCK_START] <= line <= e[EXIT_BLOCK_END]
               and e[EXIT_BLOCK_START] > loop[LOOP_LINE] for e in t.exits)


def _concern(t: Tables, call: tuple, loop: tuple, what: str) -> str:
    """n-plus-one-query when the loop iterates a query's rows and the call uses the row."""
    if what == "save":
        return "query-in-loop"
    over_query = _query_rows(t, loop[LOOP_ITER], loop[LOOP_FUNC], line=loop[LOOP_LINE])
    # the row may be used by any call of the chain (`Sub.objects.filter(team=row).exists()`): the
    # chain's inner calls start on the same line and spell a prefix of its callee
    heads = {call[CALL_CHAIN].partition(".")[0], *call[CALL_HEADS]}
    for other in t.calls:
        if other[CALL_LINE] == call[CALL_LINE] and call[CALL_CHAIN].startswith(other[CALL_CHAIN] + "()"):
            heads.update(other[CALL_HEADS])
    uses_row = bool(set(loop[LOOP_TARGETS]) & heads)
    return "n-plus-one-query" if over_query and uses_row else "query-in-loop"


_ROW_CALLS = frozenset({"all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "only", "defer",
                       "distinct", "values", "values_list", "iterator", "annotate", "using"})


def _driver_rows(t: Tables, parts: list[str], fn: int, line: int) -> bool:
    """Rows a driver returned for a SELECT: `pool.fetch("SELECT ...")`, `cur.execute("SELECT ...").fetchall()`
    (the runner's own row, found by its line and callee, holds the text)."""
    if len(parts) >= 2 and parts[-1] in ("fetchall()", "all()") and parts[-2].endswith("()"):
        runner = ".".join(parts[:-1])[:-2]
        row = next((c for c in t.calls if c[CALL_LINE] == line and c[CALL_CHAIN] == runner), None)
        return row is not None and runner.rpartition(".")[2] in RUNNERS and bool(_VERB.match(_statement_text(t, row)))
    if parts[-1].endswith("()") and parts[-1][:-2] in ROW_RUNNERS:
        row = next((c for c in t.calls if c[CALL_LINE] == line and c[CALL_CHAIN] == ".".join(parts)[:-2]), None)
        return row is not None and re.match(r"(?is)^\s*(\(\s*)?(select|with)\b", _statement_text(t, row)) is not None
    return False


def _query_rows(t: Tables, value: str, fn: int, depth: int = 0, line: int = 0) -> bool:
    """Does the loop iterate the rows of a query? `Model.objects...`, `Model.query...`,
    `session.query(...)...`, one object's related manager (`order.lines.filter(...)`), or a local
    bound to one of those (`apps = App.objects.filter(...)`; `for app in apps.iterator():`)."""
    parts = value.split(".")
    head = parts[0]
    if "(" not in head and depth < 3 and fn >= 0:
        # `query = query.filter(...)` refines the rows: the origin is the binding from something else
        bound = [r for r in t.binds if r[BIND_FUNC] == fn and r[BIND_NAME] == head and r[BIND_KIND] == "assign"
                 and r[BIND_VALUE].partition(".")[0].partition("(")[0] != head]
        if bound:
            rest = ".".join(parts[1:])
            return _query_rows(t, bound[-1][BIND_VALUE] + (f".{rest}" if rest else ""), fn, depth + 1,
                               bound[-1][4])
    names = [p.removesuffix("()") for p in parts]
    if _driver_rows(t, parts, fn, line):
        return True
    if "values_list" in names or "values" in names:
        return False  # columns of the rows, not the rows
    if _on_manager(parts) or "query()" in parts:
        return True
    if len(names) >= 2 and names[1] == "query" and names[0][:1].isupper():
        return True
    calls = 0
    while len(names) > 1 and parts[len(names) - 1].endswith("()") and names[-1] in _ROW_CALLS:
        names.pop()
        calls += 1
    return calls > 0 and len(names) >= 2 and names[-1][:1].islower() and not names[-1].startswith("_") \
        and not names[0][:1].isupper()
