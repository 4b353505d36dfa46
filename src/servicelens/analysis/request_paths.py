"""The functions a request reaches, with what its handler already holds carried down.

A rule that judges a request path must judge the code the request runs, wherever it is written:
a charge made by a service method, two commits in a repository helper, a client built in a
factory the handler calls. Each language's per-file pass records its request entry points
(`Entry`: the HTTP methods, what the handler holds throughout, such as a transaction opened by a
decorator or an idempotency key among its parameters) and every call a function makes that may
land in a project function (`Step`: with what holds at that call: inside a transaction the caller
opened, after the caller read an idempotency key, under a lock). `request_paths` follows the steps
from the entries across modules (the project's `CalleeIndex`, inheritance included), a bounded
number of layers down, and answers per function how requests reach it (`Route`) and whether some
request reaches it without a given guard.

Pure and language-neutral: built once per review from the per-file facts, read by every rule
that asks (rules declare `Rule.paths`). A function reached only from a command, a job or a test
has no route: nothing is concluded about it here.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping

if TYPE_CHECKING:
    from servicelens.analysis.facts import FileFacts
    from servicelens.rules.python._project_calls import CalleeIndex

TRANSACTION = "transaction"  # the writes below run in one transaction the caller opened
IDEMPOTENCY = "idempotency"  # the caller read an idempotency key (or deduplicates) before the call
LOCK = "lock"  # the caller holds a lock around the call
STATE = "state"  # the caller checked the record's state first: a retry after success stops there
KEPT = "kept"  # the caller keeps what the call returns (a lazy singleton, a cached factory): built once
GUARDS = (TRANSACTION, IDEMPOTENCY, LOCK, STATE, KEPT)

DEPTH = 4  # layers followed below the handler: handler -> service -> repository -> helper -> client
_READ_ONLY = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Step:
    """One call a project function makes that may land in another project function."""
    caller: str  # key (`module.qualname`) of the calling function
    callee: str  # the callee's dotted candidate, resolved project-wide by `CalleeIndex`
    line: int
    guards: frozenset[str] = frozenset()  # what holds at this call (GUARDS)


@dataclass(frozen=True, slots=True)
class Entry:
    """A function the framework runs once per request."""
    key: str
    path: str
    line: int
    name: str  # its qualname, as a finding names the handler
    methods: tuple[str, ...] = ()  # HTTP methods it serves ("" unknown: a Django view, a mutation)
    guards: frozenset[str] = frozenset()  # what it holds throughout (an atomic decorator, a key parameter)

    @property
    def changes_state(self) -> bool:
        """Not a read-only route (unknown methods count as state-changing)."""
        return not (self.methods and set(self.methods) <= _READ_ONLY)


@dataclass(frozen=True, slots=True)
class PathFacts:
    """One file's part of the view: its request entry points and its functions' project calls."""
    entries: tuple[Entry, ...] = ()
    steps: tuple[Step, ...] = ()
    # class key -> its bases, project-wide; also a module-level instance or type alias -> its class
    bases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # (qualname, guards) of the functions that hold some guard throughout, for the entries the
    # project's routes name (a handler a registration elsewhere routes, a routed class's methods)
    held: tuple[tuple[str, frozenset[str]], ...] = ()


@dataclass(frozen=True, slots=True)
class Route:
    """How one request reaches a function: from `entry`, through `layers` (the keys of the
    functions called on the way, the entry's callee first, this function last), holding `guards`
    (what the entry holds, and what held at each call on the way)."""
    entry: Entry
    layers: tuple[str, ...]
    guards: frozenset[str]
    call_line: int  # the line of the entry's own call that starts the route

    def holds(self, guard: str) -> bool:
        return guard in self.guards


@dataclass(frozen=True, slots=True)
class RequestPaths:
    """Per function key, the distinct ways requests reach it (at most one route per entry kind and
    set of guards: what a rule asks is whether some request reaches it without a guard)."""
    routes: Mapping[str, tuple[Route, ...]]
    index: CalleeIndex[str] | None = None

    def key_of(self, candidate: str) -> str | None:
        """The project function a call's candidate name lands in, as the view resolved it."""
        return self.index.reexported(candidate) if self.index is not None else None

    def reaching(self, key: str) -> tuple[Route, ...]:
        return self.routes.get(key, ())

    def unguarded(self, key: str, guard: str, state_changing: bool = False) -> Route | None:
        """The shortest route into `key` on which `guard` does not hold (from a state-changing
        entry when asked), or None when every request that reaches it holds it, or none does."""
        found = [r for r in self.routes.get(key, ()) if guard not in r.guards
                 and (not state_changing or r.entry.changes_state)]
        return min(found, key=lambda r: (len(r.layers), r.entry.path, r.entry.line), default=None)

    def guarded_somewhere(self, key: str, guard: str) -> bool:
        """Some request reaches `key` holding `guard`: a caller knew the callee needs it."""
        return any(guard in r.guards for r in self.routes.get(key, ()))


EMPTY = RequestPaths({})


def routed_entries(facts: Iterable[FileFacts]) -> list[Entry]:
    """The entries the project's routes name, wherever they were declared (a Django urls.py, a DRF
    router, a registration in another module), and every method of a Python class that declares a
    route, which the framework calls itself (`perform_create`, `get_queryset`): as analysis/reach.py
    takes its request roots."""
    out: list[Entry] = []
    for fact in facts:
        held = dict(fact.paths.held)
        spans = {span.qualname: span.line for span in fact.spans}
        owners: dict[str, set[str]] = {qualname.removeprefix(f"{fact.module_name}."): set()
                                          for qualname, bases in fact.class_bases if any(map(_served_base, bases))}
        for route in fact.routes:
            out.append(Entry(f"{fact.module_name}.{route.qualname}", fact.rel, spans.get(route.qualname, route.line),
                             route.qualname, route.methods, held.get(route.qualname, frozenset())))
            if "." in route.qualname and fact.language == "python":
                owners.setdefault(route.qualname.rpartition(".")[0], set()).update(route.methods)
        for qualname, line in spans.items():
            owner, _, name = qualname.rpartition(".")
            if owner in owners and ".<locals>." not in qualname:
                methods = ("GET",) if name in _READ_HOOKS else ()
                out.append(Entry(f"{fact.module_name}.{qualname}", fact.rel, line, qualname, methods,
                                 held.get(qualname, frozenset())))
    return out


def _served_base(base: str) -> bool:
    """A REST framework view base (`viewsets.ModelViewSet`, `generics.ListCreateAPIView`,
    `APIView`): the router or URL conf serves every class deriving from it, whether or not its
    routes were found, and the framework calls its hooks (`perform_create`) in requests."""
    last = base.rpartition(".")[2]
    return last.endswith(("ViewSet", "APIView"))


# methods of a routed class the framework runs for reads only
_READ_HOOKS = frozenset({"get", "list", "retrieve", "head", "options", "get_queryset", "get_object",
                         "get_serializer_class", "get_serializer_context", "get_permissions", "filter_queryset"})


def request_paths(facts: Iterable[PathFacts], functions: Iterable[str], routed: Iterable[Entry] = ()) -> RequestPaths:
    """Follow every entry's calls `DEPTH` layers down: the files' own entries and `routed` (the
    project's routes, `routed_entries`). `functions`: every project function's key (what a step's
    candidate may resolve to); each file's `bases` resolve inherited methods, calls on module-level
    instances and on parameters declared with a type alias."""
    from servicelens.rules.python._project_calls import CalleeIndex  # the rules' own resolution

    facts = list(facts)
    bases = {key: value for fact in facts for key, value in fact.bases}
    index: CalleeIndex[str] = CalleeIndex(((key, key) for key in functions), bases)
    onward: dict[str, list[Step]] = {}
    for fact in facts:
        for step in fact.steps:
            onward.setdefault(step.caller, []).append(step)
    routes: dict[str, list[Route]] = {}
    seen: set[tuple[str, bool, frozenset[str]]] = set()
    queue: deque[tuple[str, Route | None, Entry, int]] = deque()
    entries = {entry.key: entry for entry in routed}
    for fact in facts:
        for entry in fact.entries:
            entries.setdefault(entry.key, entry)
    for key, entry in sorted(entries.items()):
        queue.append((key, None, entry, 0))
    while queue:
        key, route, entry, depth = queue.popleft()
        if depth >= DEPTH + 1:
            continue
        for step in onward.get(key, ()):
            # a class a package re-exports (`from .orders import OrderRepository` in its __init__)
            # is called by the package's name: its method is found where the class is defined
            target = index.reexported(step.callee)
            if target is None or target == key or target == entry.key:
                continue
            guards = (route.guards if route is not None else entry.guards) | step.guards
            mark = (target, entry.changes_state, guards)
            if mark in seen:
                continue  # one route per kind of entry and set of guards is all a rule asks
            seen.add(mark)
            layers = (route.layers if route is not None else ()) + (target,)
            found = Route(entry, layers, guards, route.call_line if route is not None else step.line)
            routes.setdefault(target, []).append(found)
            queue.append((target, found, entry, depth + 1))
    return RequestPaths({key: tuple(found) for key, found in routes.items()}, index)
