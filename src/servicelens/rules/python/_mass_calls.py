"""Mass assignment one call away: the request body handed to a function that copies every key.

Not a rule (it defines no RULE); mass_assignment.py records the facts per file and asks here.
A service `update(vehicle, changes)` that runs `for k, v in changes.items(): setattr(vehicle,
k, v)`, or a repository `update_merchant(conn, id, values)` that runs
`update(merchants).values(**values)`, is harmless with a dict the server built and a hole
with the raw JSON body. So the function is summarised ("parameter `changes` is bound key by
key onto a model"), the summary is carried up through functions that pass the parameter on
unchanged, and a finding is raised for each call that hands it the request body.

Where it is reported is where the allow-list belongs: at the binding line when every call of
the functions on the way hands them the request body (they exist to apply client changes);
otherwise at the first call, along the way, into a function that some other caller gives a
dict of its own (a generic helper: the code making that call chose to give it everything).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Mapping

from servicelens.rules.python._project_calls import CalleeIndex

BODY = "body"  # the argument is the raw request body
OTHER = "other"  # anything else (a literal dict, a validated schema, a local value)
PARAM = "param:"  # the enclosing function's parameter, passed on unchanged
_MAX_HOPS = 4


@dataclass(frozen=True, slots=True)
class Binder:
    """Parameter `param` (position `index`, `self` counted) of function `key` is bound onto a model."""

    key: str
    param: str
    index: int
    path: str
    line: int
    end_line: int
    how: str
    model: str
    code: str


@dataclass(frozen=True, slots=True)
class CallFact:
    """A call that may land in a project function, and what each argument carries."""

    caller: str  # key of the calling function
    handler: bool  # the caller is a request handler (its own bindings are judged in the file)
    path: str
    line: int
    end_line: int
    code: str
    callee: str  # candidate name (see _project_calls.callee_name)
    offset: int  # leading parameters bound implicitly (1: a bound method)
    args: tuple[tuple[int | str, str], ...]  # (position or keyword, BODY | OTHER | PARAM + name)


# A call that hands a candidate callee only values of its own (every argument OTHER):
# (callee, offset, positions or keywords). It can neither start nor continue a chain; it only
# shows that the callee is fed server-made values (`_Graph.only_request_data`), so it is kept
# without caller, place or code (most calls of a project are such calls).
OtherCall = tuple[str, int, tuple[int | str, ...]]


@dataclass(frozen=True, slots=True)
class CrossBinding:
    """The request body reaching a binding through calls: the steps, first call first."""

    calls: tuple[CallFact, ...]
    binder: Binder
    # where the allow-list belongs (see the module docstring): the index of the first call into a
    # function some other caller gives a value of its own; len(calls) for the binding line itself
    report_at: int

    @property
    def at_binding(self) -> bool:
        return self.report_at >= len(self.calls)


def cross_bindings(binders: Iterable[Binder], calls: Iterable[CallFact],
                   signatures: Mapping[str, tuple[str, ...]],
                   others: Iterable[OtherCall] = (),
                   bases: Mapping[str, tuple[str, ...]] | None = None) -> Iterator[CrossBinding]:
    """`calls`: the calls that pass the request body or a parameter on; `others`: the rest;
    `bases`: the project's classes and their bases, so an inherited method is followed."""
    by_key: dict[str, list[Binder]] = {}
    for binder in binders:
        by_key.setdefault(binder.key, []).append(binder)
    index: CalleeIndex[tuple[str, ...]] = CalleeIndex(signatures.items(), bases)
    resolved = [(replace(call, offset=1) if call.offset == 0 and index.through_instance(call.callee) else call, key)
                for call in calls if (key := index.key_of(call.callee)) is not None]
    graph = _Graph(by_key, signatures, resolved)
    found: list[tuple[tuple[tuple[CallFact, str, str | None], ...], Binder]] = []
    seen: set[tuple[str, int, int]] = set()
    for call, key in resolved:
        for position, kind in call.args:
            if kind != BODY:
                continue
            param = graph.param(key, position, call.offset)
            for chain, binder in graph.reach(key, param, 0):
                mark = (call.path, call.line, binder.line)
                if mark not in seen:
                    seen.add(mark)
                    found.append((((call, key, param),) + chain, binder))
    if not found:
        return  # most projects: what callers pass is then never asked
    graph.gather({(k, p) for steps, _ in found for _, k, p in steps}, resolved, others, index)
    for steps, binder in found:
        generic = next((i for i, (_, k, p) in enumerate(steps) if not graph.only_request_data(k, p)), None)
        yield CrossBinding(tuple(c for c, _, _ in steps), binder, len(steps) if generic is None else generic)


class _Graph:
    """Calls resolved to project functions, with their parameters by name."""

    def __init__(self, by_key: dict[str, list[Binder]], signatures: Mapping[str, tuple[str, ...]],
                 resolved: list[tuple[CallFact, str]]) -> None:
        self.by_key = by_key
        self.signatures = signatures
        # function key -> (its parameter passed on, the call, callee key, callee parameter)
        self.passing: dict[str, list[tuple[str, CallFact, str, str | None]]] = {}
        # (callee key, parameter) -> what its callers pass there: BODY, OTHER or PARAM; filled by
        # `gather` for the parameters on some chain only (for all of them: ~3 MB on saleor)
        self.passed: dict[tuple[str, str | None], set[str]] = {}
        for call, key in resolved:
            for position, kind in call.args:
                if kind.startswith(PARAM) and key != call.caller:
                    param = self.param(key, position, call.offset)
                    self.passing.setdefault(call.caller, []).append((kind[len(PARAM):], call, key, param))

    def gather(self, needed: set[tuple[str, str | None]], resolved: list[tuple[CallFact, str]],
               others: Iterable[OtherCall], index: CalleeIndex[tuple[str, ...]]) -> None:
        """What every call passes to the `needed` (function, parameter) pairs."""
        for call, key in resolved:
            for position, kind in call.args:
                if (key, param := self.param(key, position, call.offset)) in needed:
                    self.passed.setdefault((key, param), set()).add(PARAM if kind.startswith(PARAM) else kind)
        for callee, offset, positions in others:
            key = index.key_of(callee)
            offset = 1 if offset == 0 and key is not None and index.through_instance(callee) else offset
            for position in positions if key is not None else ():
                if (key, param := self.param(key, position, offset)) in needed:
                    self.passed.setdefault((key, param), set()).add(OTHER)

    def param(self, key: str, position: int | str, offset: int) -> str | None:
        if isinstance(position, str):
            return position
        names = self.signatures.get(key, ())
        return names[position + offset] if position + offset < len(names) else None

    def reach(self, key: str, param: str | None, hops: int
              ) -> Iterator[tuple[tuple[tuple[CallFact, str, str | None], ...], Binder]]:
        """Bindings the value given to `param` of `key` reaches, with the calls between."""
        if param is None:
            return
        direct = next((b for b in self.by_key.get(key, ()) if b.param == param), None)
        if direct is not None:
            yield (), direct
            return
        if hops >= _MAX_HOPS:
            return
        for name, call, callee, inner in self.passing.get(key, ()):
            if name == param:
                for chain, binder in self.reach(callee, inner, hops + 1):
                    yield ((call, callee, inner),) + chain, binder

    def only_request_data(self, key: str, param: str | None) -> bool:
        """Does every caller of `key` pass request data (or a parameter it hands on) as `param`?"""
        return OTHER not in self.passed.get((key, param), {OTHER})
