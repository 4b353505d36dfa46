"""What a call does through the layers below it: handler -> service -> repository -> client.

Not a rule (it defines no RULE). Rules that judge a handler by work done further down (an
admin-only write, a charge at a payment provider) collect, per file, the functions that do that
work themselves (`effects`, keyed by `module.qualname`) and the calls every other function makes
that may land in a project function (`Relay`); `reached` joins them project-wide, so a call is
known to do the work when its callee, or a chain of callees that do not stop it, does. Which
callees stop the work (a role check, an idempotency key) is each rule's to say: it drops the
relays of such a function.

Whether a function stops the work, and often whether it does the work, costs more to tell than
who it calls and matters only on a chain from an entry point: `on_chains` names the functions whose
answers can change what `reached` finds for the entry points' calls, so a rule collects the calls
in the first pass and asks the rest of those few functions on demand (`Rule.revisit`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generic, Hashable, Iterable, Iterator, Mapping, Protocol, TypeVar

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.rules.python._project_calls import CalleeIndex, callee_name, function_key
from servicelens.taint.scope import ModuleScope

E = TypeVar("E")


class _EntryCall(Protocol):
    @property
    def callee(self) -> str: ...


C = TypeVar("C", bound=_EntryCall)
_DEPTH = 4  # layers followed below the handler


@dataclass(frozen=True, slots=True)
class Relay:
    """A function that calls another project function: what its callee does, it does too."""
    key: str
    callee: str
    name: str


def relays(scope: ModuleScope, function: ir.Function) -> tuple[Relay, ...]:
    """The function's calls into the project. Both layered rules ask it of most functions of a
    file: answered once per function (the file's IR outlives neither)."""
    known: dict[int, tuple[Relay, ...]] = scope.memo("relays", dict)
    found = known.get(id(function))
    if found is None:
        found = known[id(function)] = tuple(_relays(scope, function))
    return found


def _relays(scope: ModuleScope, function: ir.Function) -> Iterator[Relay]:
    key = function_key(scope, function)
    # the calls `iter_calls` would walk to, from the file's one traversal
    for call in file_index(scope.module, scope).block_of_kind(function.body, ir.Call):
        found = callee_name(call, scope, function)
        if found is not None:
            yield Relay(key, found[0], function.qualname)


def on_chains(functions: Iterable[str], chains: Iterable[Relay], entries: Iterable[str]) -> frozenset[str]:
    """The keys (of `functions`) whose facts can decide what `reached` answers for the callees
    `entries` (the calls entry points make), whatever those facts turn out to be: every function a
    call may land in, followed `_DEPTH` + 1 layers down through every relay.

    A lookup (`CalleeIndex.key_of`) lands on a key equal to its candidate, ending in it or that it
    ends in, and which of those depends on which keys are known; so a function matching no call on
    such a path in any of these ways is never looked up from an entry point and changes no lookup
    made on the way: its facts are never needed."""
    by_last: dict[str, list[str]] = {}
    for key in dict.fromkeys(functions):
        by_last.setdefault(key.rpartition(".")[2], []).append(key)

    def matching(candidate: str) -> Iterator[str]:
        tail = "." + candidate
        for key in by_last.get(candidate.rpartition(".")[2], ()):
            if key == candidate or key.endswith(tail) or candidate.endswith("." + key):
                yield key

    onward: dict[str, list[str]] = {}
    for relay in chains:
        onward.setdefault(relay.key, []).append(relay.callee)
    found: set[str] = set()
    layer = {key for callee in entries for key in matching(callee)}
    for _ in range(_DEPTH + 1):
        found |= layer
        layer = {key for caller in layer for callee in onward.get(caller, ()) for key in matching(callee)} - found
    return frozenset(found | layer)


@dataclass(frozen=True, slots=True)
class Reached(Generic[E]):
    effect: E
    layers: tuple[str, ...]  # the functions between the call and the one doing the work


def reached(effects: Mapping[str, E], chains: Iterable[Relay],
            bases: Mapping[str, tuple[str, ...]] | None = None) -> CalleeIndex[Reached[E]]:
    """Every function whose call does one of `effects`' work: its own, or its callees', up to
    `_DEPTH` layers down. `bases` (see `CalleeIndex`) finds a method through the class of a
    module-level instance (`authentication.verify(...)` with `authentication = Auth(app)` in `app`)."""
    known: dict[str, Reached[E]] = {key: Reached(effect, ()) for key, effect in effects.items()}
    pending = list(chains)
    for _ in range(_DEPTH):
        index = CalleeIndex(known.items(), bases)
        grown = False
        for relay in pending:
            if relay.key in known:
                continue
            below = index.get(relay.callee)
            if below is not None:
                known[relay.key] = Reached(below.effect, (relay.name, *below.layers))
                grown = True
        if not grown:
            break
    return CalleeIndex(known.items(), bases)


def first_reaching(calls: Iterable[C], done: CalleeIndex[Reached[E]], once: Callable[[C], Hashable]
                   ) -> Iterator[tuple[C, Reached[E]]]:
    """Each entry-point call whose callee reaches the work, once per `once(call)` (a line, a
    handler): the layered rules report at the entry point, not at every path down."""
    seen: set[Hashable] = set()
    for call in calls:
        found = done.get(call.callee)
        if found is None or once(call) in seen:
            continue
        seen.add(once(call))
        yield call, found
