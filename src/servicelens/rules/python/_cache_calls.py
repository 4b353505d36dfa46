"""One recognition of a call to a shared key-value store (models/vocabulary/cache_stores.yaml).

Not a rule (it defines no RULE). Two concerns read the same calls: race-condition pairs a GET
with a SET of a value computed from it, cache-stampede pairs a cache-aside GET with a SET that has
no TTL. Both must agree on what a store client is (a name bound to a Redis constructor, Django's
`cache`, a client of a module that imports a store) and on when two calls name the same key, so
that a shape one rule learns the other sees too.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Literal, Mapping

from servicelens import ir
from servicelens.rules.python._purpose import vocabulary_file
from servicelens.rules.python.rel_shared import chain
from servicelens.taint.scope import ModuleScope
from servicelens.taint.stores import store_constructors

StoreKind = Literal["django", "redis", "store"]
_HASH_COMMANDS = frozenset({"hget", "hset", "hsetnx", "hincrby", "hincrbyfloat", "hdel"})


@dataclass(frozen=True, slots=True)
class CacheVocabulary:
    store_modules: tuple[str, ...]
    django_modules: tuple[str, ...]
    redis_constructors: frozenset[str]  # the library models' key-value store clients (taint.stores)
    reads: Mapping[str, Mapping[str, int]]  # read command -> write command -> position of the value
    mapping_receivers: frozenset[str]


@dataclass(frozen=True, slots=True)
class CacheCall:
    """`r.get(f"stock:{sku}")`: a command on a store client."""

    call: ir.Call
    client: str  # the receiver as written (`r`, `self.redis`, `cache`)
    method: str
    kind: StoreKind
    key: tuple[object, ...]  # position-free shapes of the key argument(s): equal for the same key


@lru_cache(maxsize=1)
def cache_vocabulary() -> CacheVocabulary:
    data = vocabulary_file("cache_stores.yaml")
    return CacheVocabulary(tuple(data["store_modules"]), tuple(data["django_modules"]),
                           store_constructors(),
                           {read: dict(writes) for read, writes in data["reads"].items()},
                           frozenset(data["mapping_receivers"]))


def imports_store(scope: ModuleScope) -> bool:
    """The module imports redis-py, one of its forks or Django's cache."""
    return any(target.startswith(cache_vocabulary().store_modules) for target in scope.imports.values())


def redis_clients(bindings: Iterable[tuple[ir.Function | None, Mapping[str, ir.Expr]]],
                  qualified_call: Callable[[ir.Call, ir.Function | None], str]) -> set[str]:
    """Names bound to a Redis constructor (`r = redis.Redis(...)`) in any of the given
    (function, assignments) bodies; `qualified_call(call, function)` resolves a callee."""
    ctors = cache_vocabulary().redis_constructors
    return {name for function, assigns in bindings for name, value in assigns.items()
            if isinstance(value, ir.Call) and qualified_call(value, function) in ctors}


def store_kind(receiver: ir.Expr, scope: ModuleScope, function: ir.Function | None,
               redis_names: set[str] | frozenset[str]) -> StoreKind | None:
    """What the receiver of a get/set is: Django's cache, a Redis client (bound to a constructor or
    named after Redis), some other client in a module that imports a store, or no store at all
    (`request.args`, `os.environ`, `self.headers`: mappings)."""
    names = chain(receiver)
    if not names or names[-1] in cache_vocabulary().mapping_receivers:
        return None
    dotted = ir.dotted_name(receiver) or ""
    qualified = (scope.qualify(dotted, function, set()) or dotted) if dotted else ""
    if qualified.startswith(cache_vocabulary().django_modules):
        return "django"
    if dotted and (dotted in redis_names or "redis" in dotted.lower()):
        return "redis"
    return "store" if imports_store(scope) else None


def cache_call(call: ir.Call, scope: ModuleScope, function: ir.Function | None,
               redis_names: set[str] | frozenset[str] = frozenset(),
               kinds: tuple[StoreKind, ...] = ("django", "redis", "store")) -> CacheCall | None:
    """The call as a store command, when its receiver is a store of one of `kinds` and it names a key."""
    if not isinstance(call.func, ir.Attr):
        return None
    kind = store_kind(call.func.value, scope, function, redis_names)
    if kind is None or kind not in kinds:
        return None
    key_args = call.args[:2] if call.func.attr in _HASH_COMMANDS else \
        tuple(a for a in (call.arg(0, "key") or call.arg(0, "name"),) if a is not None)
    if not key_args:
        return None
    return CacheCall(call, ".".join(chain(call.func.value)), call.func.attr, kind,
                     tuple(shape(a) for a in key_args))


def write_value(write: CacheCall, read: CacheCall) -> ir.Expr | None:
    """The value a write stores under the key a read fetched (same client, same key, a write command
    of that read), or None."""
    position = cache_vocabulary().reads.get(read.method, {}).get(write.method)
    if position is None or write.client != read.client or write.key != read.key[:len(write.key)] \
            or len(write.call.args) <= position:
        return None
    return write.call.args[position]


def shape(expr: object) -> object:
    """A hashable, position-free form of an expression: two spellings of the same key at different
    lines have the same shape."""
    if isinstance(expr, tuple):
        return tuple(shape(item) for item in expr)
    if not dataclasses.is_dataclass(expr) or isinstance(expr, type):
        return expr
    return (type(expr).__name__,) + tuple(shape(getattr(expr, f.name)) for f in dataclasses.fields(expr)
                                          if f.name not in ("line", "col", "end_line"))
