"""Whether a function keeps what a call returns for the next caller: built once per process.

Not a rule (it defines no RULE). A client, engine or pool is built once when the function that
builds it, or a function above it on the way from the handler, stores it where the next call finds
it: a module global assigned under `global`, an attribute (`self._client`, `app.state.http`,
`cls._pool`), a dict entry (`_clients[key] = client`), directly or through a local that is stored
or wrapped and stored later (`client = build(); _connection = Wrapper(client)`); or when the
function is a cached factory (`@lru_cache`, `@functools.cache`, `@cached_property`), which returns
the same object every time. Used by the per-request client rule and by the request-path view
(`KEPT` on a step: everything below it runs once per process, not once per request).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex

_CACHE_DECORATORS = frozenset({"lru_cache", "cache", "cached", "cached_property", "memoize", "memoized",
                               "singleton", "alru_cache"})


def is_cached_function(function: ir.Function) -> bool:
    """`@lru_cache` / `@functools.cache` / `@cached_property` (and `@lru_cache(maxsize=...)`): the
    function runs once per argument set, so what it builds is shared."""
    return any((ir.dotted_name(d.func if isinstance(d, ir.Call) else d) or "").rsplit(".", 1)[-1]
               in _CACHE_DECORATORS for d in function.decorators)


@dataclass(frozen=True, slots=True)
class KeptValues:
    """One function's assignments laid out once, so the request-path view and the per-request
    client rule ask `keeps(call)` of every call without walking the body again per call."""

    shared: frozenset[str]  # names the function declares `global`
    assigns: tuple[ir.Assign, ...]  # its assignments with a value, in walk order
    # id(node) -> the first assignment (position in `assigns`) whose value holds the node
    holder_of: Mapping[int, int]

    def keeps(self, call: ir.Call) -> bool:
        """The value `call` returns ends up stored where the next call of the function finds it."""
        at = self.holder_of.get(id(call))
        if at is None:
            return False
        stmt = self.assigns[at]
        if any(_stored(t, self.shared) for t in stmt.targets):
            return True
        holders = {t.id for t in stmt.targets if isinstance(t, ir.Name)}  # locals that hold it (or wrap it)
        if not holders:
            return False
        for _ in range(3):  # a local passed on to another local (wrapped, configured) a few times at most
            grown = False
            for stmt in self.assigns:
                if stmt.line < call.line or not _whole(stmt.value, holders):
                    continue
                if any(_stored(t, self.shared) for t in stmt.targets):
                    return True
                for target in stmt.targets:
                    if isinstance(target, ir.Name) and target.id not in holders:
                        holders.add(target.id)
                        grown = True
            if not grown:
                return False
        return False


def kept_values(function: ir.Function, index: FileIndex) -> KeptValues:
    """The function's assignments and which one's value holds each node (the first, in walk order,
    as a walk per call would find it). The body's statements and each assigned value's nodes are
    slices of the file's `index` (the one traversal), not walks."""
    stmts = index.walk_stmts(function.body)
    shared = frozenset(name for stmt in stmts if type(stmt) is ir.Global for name in stmt.names)
    assigns = tuple(stmt for stmt in stmts if type(stmt) is ir.Assign and stmt.value is not None)
    holder_of: dict[int, int] = {}
    for at, stmt in enumerate(assigns):
        for node in index.walk(stmt.value):  # type: ignore[arg-type]
            holder_of.setdefault(id(node), at)
    return KeptValues(shared, assigns, holder_of)


def keeps_result(function: ir.Function, call: ir.Call, index: FileIndex) -> bool:
    """The value `call` returns ends up stored where the next call of `function` finds it (one
    question; a caller asking of many calls of one function builds `kept_values` once)."""
    return kept_values(function, index).keeps(call)


def _whole(value: ir.Expr, holders: set[str]) -> bool:
    """The value is the held object itself, or wraps it (`client`, `Wrapper(client)`, `await
    make(client)`), not something read from it (`info.amount`: a figure derived from a result, kept
    while the call still runs every time)."""
    node = value.value if isinstance(value, ir.Await) else value
    if isinstance(node, ir.Name):
        return node.id in holders
    return isinstance(node, ir.Call) and any(isinstance(a, ir.Name) and a.id in holders
                                             for a in (*node.args, *(k.value for k in node.kwargs)))


def _stored(target: ir.Expr, shared: set[str]) -> bool:
    """An assignment target that outlives the call: an attribute, an item, a declared global."""
    if isinstance(target, ir.Name):
        return target.id in shared
    return isinstance(target, (ir.Attr, ir.Subscript))
