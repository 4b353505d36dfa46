"""Where a value comes from when a key-value store answers: what the server stored, not the client's.

    code = await redis.get(f"otp:{body.challenge_id}")   # the user id a login stored under that key
    user = await session.get(User, int(code))            # not a row the client chose
    ip_pk = request.POST.get("cf_" + key)                # still the client's: a mapping of the request

The client may choose the key, but what a read command of a cache or Redis client returns is what
the server put there. The reading is keyed on the receiver being a value the code knows is such a
client, never on the method's name (every mapping has a `get`):
- Django's cache (`cache`, `caches["sessions"]`, imported from django.core.cache);
- a value the library models tag `kv-store` (models/python/libraries.yaml instances): built by a
  Redis constructor (`redis.Redis(...)`, `redis.asyncio.from_url(...)`), returned by a project
  function declared to return one (`def get_redis(request) -> Redis`), held in a parameter or an
  attribute annotated with one (`r: Redis`, `self.redis = redis.Redis(...)` in `__init__`), or a
  module-level client the engine tagged.
The taint engine asks it of every method call (the read's result is clean), and so do the rules
that follow the client's names without the engine (broken-object-authorization's flows).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from servicelens import ir
from servicelens.rules.python._purpose import vocabulary_file
from servicelens.taint.declared import annotation_tag, class_attribute_tags
from servicelens.taint.declared_returns import returned_type
from servicelens.taint.scope import ModuleScope

STORE_TAG = "kv-store"


@dataclass(frozen=True, slots=True)
class StoreVocabulary:
    reads: frozenset[str]  # commands that answer with a stored value
    django_objects: frozenset[str]  # Django's cache objects
    django_registries: frozenset[str]  # mappings of alias -> cache (`caches[alias]`)


@lru_cache(maxsize=1)
def store_vocabulary() -> StoreVocabulary:
    data = vocabulary_file("cache_stores.yaml")
    return StoreVocabulary(frozenset(data["server_reads"]), frozenset(data["django_objects"]),
                           frozenset(data["django_registries"]))


@lru_cache(maxsize=1)
def store_constructors() -> frozenset[str]:
    """The library calls that return a key-value store client (the models' `kv-store` instances)."""
    from servicelens.taint.models import load_models

    return frozenset(api for api, tag in load_models("python").instances.items() if tag == STORE_TAG)


def store_read(call: ir.Call, scope: ModuleScope, function: ir.Function | None,
               receiver_tags: frozenset[str] = frozenset()) -> bool:
    """A read command on a key-value store client (`receiver_tags`: what the engine already knows
    of the receiver)."""
    if not isinstance(call.func, ir.Attr) or call.func.attr not in store_vocabulary().reads:
        return False
    return STORE_TAG in receiver_tags or store_client(call.func.value, scope, function)


def store_read_value(value: ir.Expr, scope: ModuleScope, function: ir.Function | None) -> bool:
    """`await r.get(key)` or `cache.get(key)` as a bound value."""
    call = value.value if isinstance(value, ir.Await) else value
    return isinstance(call, ir.Call) and store_read(call, scope, function)


def store_client(receiver: ir.Expr, scope: ModuleScope, function: ir.Function | None) -> bool:
    """The receiver is a value the code knows is a cache or Redis client."""
    vocabulary = store_vocabulary()
    bindings = _bindings(scope, function)
    if isinstance(receiver, ir.Subscript):  # `caches["default"]`
        dotted = ir.dotted_name(receiver.value)
        return bool(dotted) and scope.qualify(dotted, function, bindings.keys()) in vocabulary.django_registries
    if isinstance(receiver, (ir.Call, ir.Await)):  # `get_redis(request).get(key)`, `redis.Redis().get(key)`
        return _bound_to_client(_Binding(None, receiver), scope, function)
    dotted = ir.dotted_name(receiver) if isinstance(receiver, (ir.Name, ir.Attr)) else None
    if not dotted:
        return False
    if scope.qualify(dotted, function, bindings.keys()) in vocabulary.django_objects:
        return True
    head, _, rest = dotted.partition(".")
    if head == "self" and function is not None and function.class_name and rest and "." not in rest:
        # the engine's own memo of the module's declared attributes (taint.calls)
        tags = scope.memo("declared-attributes", lambda: class_attribute_tags(scope))
        return tags.get(function.class_name, {}).get(rest) == STORE_TAG
    if rest:
        return False
    if head in bindings:
        return _bound_to_client(bindings[head], scope, function)
    global_value = scope.globals_env.get(head)
    return global_value is not None and STORE_TAG in global_value.tags


@dataclass(frozen=True, slots=True)
class _Binding:
    """What binds a local name: its declared type (a parameter's or an annotated assignment's
    annotation), else the value last assigned to it."""

    declared: ir.Expr | None
    value: ir.Expr | None


def _bindings(scope: ModuleScope, function: ir.Function | None) -> dict[str, _Binding]:
    """Local name -> its binding, found once per function (the engine asks of every `.get`)."""
    if function is None:
        return {}

    def build() -> dict[str, _Binding]:
        found = {p.name: _Binding(p.annotation, None) for p in function.params}
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Assign) and stmt.value is not None and len(stmt.targets) == 1 \
                    and isinstance(stmt.targets[0], ir.Name) and stmt.op is None:
                found[stmt.targets[0].id] = _Binding(stmt.annotation, stmt.value)
        return found
    return scope.memo(f"store-bindings:{function.qualname}", build)


def _bound_to_client(binding: _Binding, scope: ModuleScope, function: ir.Function | None) -> bool:
    if binding.declared is not None:
        return annotation_tag(scope, binding.declared) == STORE_TAG  # `r: Redis`, `redis: Redis = app.state.redis`
    value = binding.value.value if isinstance(binding.value, ir.Await) else binding.value
    if not isinstance(value, ir.Call) or not isinstance(value.func, (ir.Name, ir.Attr)):
        return False
    dotted = ir.dotted_name(value.func)
    qualified = scope.qualify(dotted, function, set()) if dotted else None
    if qualified is None:
        return False
    if qualified in store_constructors():
        return True
    declared = returned_type(qualified, scope.declared_returns) if scope.declared_returns else None
    return declared is not None and scope.models.instances.get(declared) == STORE_TAG
