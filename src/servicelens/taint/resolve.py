"""Project-wide taint: compose the per-function summaries across calls and files.

Symbolic origins are substituted bottom-up:
  Ret(i)  -> what the callee of call i returns, with its Par(p) replaced by the
             argument the caller passed for p (or, if the callee is not in the project,
             the call's pass-through fallback);
  Par(p)  -> stays symbolic until a caller binds it.
A flow is reported when a Src origin that the sink kind accepts, and that no sanitizer
on the way neutralised for that kind, reaches a sink: in the same function, or in a
callee that passes the parameter on to the sink (param-to-sink summaries).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from servicelens.frameworks.validated_types import ENUM_BASES
from servicelens.taint.carriers import request_bound_classes, source_origin
from servicelens.taint.in_progress import AT_DEPTH, FREE, InProgress
from servicelens.taint.kinds import SINK_ACCEPTS
from servicelens.taint.models import ALL, UPSTREAM_ANSWER
from servicelens.taint.returned import (
    CALL_PREFIX, DATA, PARAM_PREFIX, RESPONSE, TEXT, UNION, UNKNOWN_KIND, split_position, split_slots, with_slots,
)
from servicelens.taint.summary import SPREAD, CallRecord, FunctionSummary, SinkEvent
from servicelens.taint.values import EMPTY, Origin, Step, Taint, merge, shorter_trace

_MAX_DEPTH = 12

# the trace step of a value a project function computed from its parameter and returned
# (`thread = get_thread(request, thread_id)`): what reaches the sink is that function's result
THROUGH = "passed through"


@dataclass(frozen=True, slots=True)
class TaintFlow:
    """A proven source-to-sink path."""

    sink: SinkEvent
    sink_path: str
    source: Origin  # a Src origin with the full trace up to the sink


@dataclass(frozen=True, slots=True)
class _ParamSink:
    param: str
    sink: SinkEvent
    sink_path: str
    trace: tuple[Step, ...]  # from the parameter to the sink
    cleansed: frozenset[str]


class _Resolver:
    def __init__(self, summaries: Iterable[FunctionSummary],
                 class_bases: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.class_bases = dict(class_bases or {})
        self.class_by_suffix = _suffix_index(dict.fromkeys(self.class_bases))  # type: ignore[arg-type]
        self.by_key: dict[str, FunctionSummary] = {}
        for summary in summaries:
            self.by_key.setdefault(summary.key, summary)
        self.by_suffix = _suffix_index(self.by_key)
        # the top-level names modules are keyed under: `app` when the review starts inside the
        # `zou` package, whose code imports itself as `zou.app...`
        self.roots = frozenset(key.partition(".")[0] for key in self.by_key)
        self.field_stores: dict[tuple[str, str], list[tuple[FunctionSummary, Taint]]] = {}
        for summary in self.by_key.values():
            for class_key, attr, taint in summary.fields:
                self.field_stores.setdefault((class_key, attr), []).append((summary, taint))
        self._fields: dict[tuple[object, ...], Taint] = {}  # (class key, attribute[, depth])
        self._callers: dict[str, list[tuple[FunctionSummary, CallRecord]]] | None = None
        self._returns: dict[tuple[object, ...], Taint] = {}  # (function key, field or ""[, depth])
        self._param_sinks: dict[tuple[object, ...], tuple[_ParamSink, ...]] = {}  # (key,) or (key, depth)
        # the returns and parameter sinks being computed (their number bounds the depth), and every
        # recursive computation in progress: only answers that did not depend on a cut are memoised
        self._deep = 0
        self._running = InProgress()
        # what a call of a function yields, before it is continued along the trace that reached
        # it: computed once per call site. Without it a chain of calls whose results feed each
        # other (`a = f(); b = g(a); c = h(a, b) ...`) is expanded once per path: exponential
        self._call_results: dict[tuple[object, ...], tuple[Origin, ...]] = {}
        self._by_last: dict[str, list[str]] | None = None  # class and function keys by last name
        # `_one_inside`'s answers by (mapping asked, package, name): every call through a re-export
        # asks again, and a common method name (`__new__`, `subs`) has thousands of keys to filter
        self._inside: dict[tuple[int, str, str], str | None] = {}
        # `lookup`'s answers to its callers (depth 0): it reads only the mappings fixed above, and
        # the same callee names are asked again by every call site, flow and call graph edge
        self._looked_up: dict[str, FunctionSummary | None] = {}

    def lookup(self, callee: str, depth: int = 0) -> FunctionSummary | None:
        if depth:
            return self._lookup(callee, depth)
        if callee in self._looked_up:
            return self._looked_up[callee]
        found = self._looked_up[callee] = self._lookup(callee, 0)
        return found

    def _lookup(self, callee: str, depth: int) -> FunctionSummary | None:
        found = self.by_key.get(callee)
        if found is not None:
            return found
        key = self.by_suffix.get(callee)
        if key is None and callee.count(".") >= 1:
            key = self.by_suffix.get(callee + ".__call__")
        if key:
            return self.by_key.get(key)
        inside = self._inside_reviewed_root(callee)
        if inside is not None:
            return self.lookup(inside, depth + 1)
        if depth >= 6:
            return None
        return self._inherited(callee, depth) or self._reexported(callee, depth)

    def _inside_reviewed_root(self, callee: str) -> str | None:
        """`zou.app.services.f` when the reviewed directory is the `zou` package itself (its
        modules are keyed `app.services...`): the import path without the package the review
        starts in. Only when what follows is one of the project's own top-level names, so an
        outside library's call never lands on a project function."""
        head, _, rest = callee.partition(".")
        if head in self.roots or "." not in rest or rest.partition(".")[0] not in self.roots:
            return None
        return rest

    def is_enum(self, name: str, depth: int = 0) -> bool:
        """A project class deriving (through project classes) from an enum base (`enum.Enum`,
        `StrEnum`, Django's `TextChoices`) and not answering a miss itself: calling it looks a
        member up by value."""
        cls = name if name in self.class_bases else self.class_by_suffix.get(name)
        if cls is None or depth > _MAX_DEPTH or self.lookup(f"{cls}._missing_") is not None:
            return False  # `_missing_` may build a member from any value
        return any(base.rsplit(".", 1)[-1] in ENUM_BASES or (base != cls and self.is_enum(base, depth + 1))
                   for base in self.class_bases.get(cls, ()))

    def request_bound(self, name: str, depth: int = 0) -> str | None:
        """The source label of a project class deriving (through project classes) from a library
        class that fills its instances from the current request (carriers.request_bound_classes)."""
        cls = name if name in self.class_bases else self.class_by_suffix.get(name)
        if cls is None or depth > _MAX_DEPTH:
            return None
        bound = request_bound_classes()
        for base in self.class_bases.get(cls, ()):
            label = bound.get(base) if base in bound else (self.request_bound(base, depth + 1) if base != cls else None)
            if label is not None:
                return label
        return None

    def _inherited(self, callee: str, depth: int) -> FunctionSummary | None:
        """`View.get_return_url` defined on a mixin the view inherits from; `factory.method`
        where `factory()` returns an instance of a project class."""
        owner, _, method = callee.rpartition(".")
        factory = self.by_key.get(owner) or self.by_key.get(self.by_suffix.get(owner, ""))
        if factory is not None and factory.returns_class:
            found = self.lookup(f"{factory.returns_class}.{method}", depth + 1)
            if found is not None:
                return found
        cls = owner if owner in self.class_bases else self.class_by_suffix.get(owner)
        for base in self.class_bases.get(cls or "", ()):
            found = self.lookup(f"{base}.{method}", depth + 1)
            if found is not None:
                return found
        return None

    def _reexported(self, callee: str, depth: int) -> FunctionSummary | None:
        """`mwdb.model.File.access` where `mwdb/model/__init__.py` re-exports `File` from
        `mwdb/model/file.py` (and `access` is defined on its base): the one class, or function,
        of that name defined inside the package the call names, looked up again there."""
        parts = callee.split(".")
        if len(parts) >= 3:  # a method of a re-exported class
            found = self._one_inside(parts[:-2], parts[-2], self.class_bases)
            if found is not None and found != ".".join(parts[:-1]):
                return self.lookup(f"{found}.{parts[-1]}", depth + 1)
            # a class with no base (`class ResultRepository:`) is in no class table: its method, by
            # the class's name, defined in a module under the package the call names
            method = self._one_inside(parts[:-2], parts[-1], self.by_key, owner=parts[-2])
            if method is not None and method != callee:
                return self.by_key[method]
        if len(parts) >= 2:  # a re-exported function
            found = self._one_inside(parts[:-1], parts[-1], self.by_key)
            if found is not None and found != callee:
                return self.by_key[found]
        return None

    def _one_inside(self, package: list[str], name: str, keys: Mapping[str, object], owner: str = "") -> str | None:
        """The one key named `name` in a module under `package` (or under it without its first
        part, when the review starts inside that package). The answer depends only on the
        arguments and on mappings fixed when the resolver is made, so it is kept per resolver."""
        memo_key = (id(keys), ".".join(package), f"{owner}.{name}" if owner else name)
        if memo_key in self._inside:
            return self._inside[memo_key]
        found = self._inside[memo_key] = self._find_inside(package, name, keys, owner)
        return found

    def _find_inside(self, package: list[str], name: str, keys: Mapping[str, object], owner: str = "") -> str | None:
        if self._by_last is None:
            by_last: dict[str, list[str]] = {}
            for key in (*self.class_bases, *self.by_key):
                by_last.setdefault(key.rsplit(".", 1)[-1], []).append(key)
            self._by_last = by_last
        prefixes = {".".join(package) + "."}
        if len(package) > 1 and package[0] not in self.roots and package[1] in self.roots:
            prefixes.add(".".join(package[1:]) + ".")  # as `_inside_reviewed_root`: never a library's name
        starts = tuple(prefixes)  # made once, not once per key tested (17k asks on saleor, ~100 keys each)
        found = {key for key in self._by_last.get(name, ()) if key.startswith(starts) and key in keys
                 and (not owner or key.rsplit(".", 2)[-2] == owner)}
        return found.pop() if len(found) == 1 else None

    # ---------------------------------------------------------------- returns
    def returns_of(self, summary: FunctionSummary, field: str = "") -> Taint:
        """What the function returns; with `field`, what that field of it holds when every return
        is an object literal (summary.returned_fields), else the whole."""
        fields = dict(summary.returned_fields) if field else {}
        field = field if field in fields else ""
        cache_key = (summary.key, field)
        cached = self._returns.get(cache_key)
        if cached is None:
            cached = self._returns.get((*cache_key, self._deep))
        if cached is not None:
            return cached
        if self._deep > _MAX_DEPTH:
            self._running.cut_at_depth()
            return EMPTY
        running = ("returns",) + cache_key
        if not self._running.enter(running):
            return EMPTY
        self._deep += 1
        result = self.expand(fields[field] if field else summary.returns, summary)
        self._deep -= 1
        self._memoise(self._returns, cache_key, self._running.leave(running), result)
        return result

    def _memoise(self, cache: dict[tuple[object, ...], Any], key: tuple[object, ...], scope: str, answer: Any) -> None:
        """Keep an answer for every asker, for askers at this depth, or not at all (taint/in_progress.py)."""
        if scope == FREE:
            cache[key] = answer
        elif scope == AT_DEPTH:
            cache[(*key, self._deep)] = answer

    def expand(self, taint: Taint, summary: FunctionSummary, depth: int = 0) -> Taint:
        """Replace Ret (and field) origins of `summary` by what they stand for."""
        if not any(o.base[0] in ("ret", "field") for o in taint):
            return taint
        if depth > _MAX_DEPTH:
            self._running.cut_at_depth()
            return taint
        out: list[Origin] = []
        calls = {c.index: c for c in summary.calls}
        for origin in taint:
            if origin.base[0] == "field":
                out.extend(_continue(o, origin) for o in self.field_value(str(origin.base[1]), str(origin.base[2])))
                continue
            if origin.base[0] != "ret":
                out.append(origin)
                continue
            call = calls.get(int(origin.base[1]))  # type: ignore[arg-type]
            if call is None:
                continue
            out.extend(self._call_result(call, summary, origin, depth))
        return merge(out)

    def _call_result(self, call: CallRecord, summary: FunctionSummary, origin: Origin, depth: int) -> list[Origin]:
        field = str(origin.base[2]) if len(origin.base) > 2 else ""  # `buildInClause(ids).clause`
        key = (summary.key, call.index, field)
        found = self._call_results.get(key)
        if found is None:
            found = self._call_results.get((*key, depth, self._deep))
        if found is None:
            running = ("call",) + key
            if not self._running.enter(running):
                return []  # a call whose result feeds itself (through a loop): nothing new
            found = tuple(self._call_yields(call, summary, depth, field))
            scope = self._running.leave(running)
            if scope == FREE:
                self._call_results[key] = found
            elif scope == AT_DEPTH:  # cut where the expansion's own depth or the calls' depth ran out
                self._call_results[(*key, depth, self._deep)] = found
        return [_continue(o, origin) for o in found]

    def _call_yields(self, call: CallRecord, summary: FunctionSummary, depth: int, field: str = "") -> list[Origin]:
        callee = self.lookup(call.callee)
        if callee is None and self.is_enum(call.callee):
            # `Backend(request.form["backend"])` raises ValueError unless the text is one of the
            # members' values: what it returns is a member the project defined, not the client's text
            return []
        if callee is None:
            # (data handed to it, `formdata=` or a first argument, is followed as any argument is)
            label = self.request_bound(call.callee) \
                if not call.args and all(name != "formdata" for name, _ in call.kwargs) else None
            if label is not None:
                # `form = ProfileForm()` of a Flask-WTF form: it fills itself from the request
                origin = source_origin("remote-input", label, call.line)
                return [origin.step(summary.path, call.line, f"{label} bound from the request by `{_short(call.callee)}()`",
                                    call.code)]
            return list(self.expand(call.fallback, summary, depth + 1))
        results: list[Origin] = []
        for returned in self.returns_of(callee, field):
            if returned.base[0] == "src":
                step = Step(summary.path, call.line, f"returned by `{_short(call.callee)}()`", call.code)
                results.append(Origin(returned.base, returned.cleansed, returned.trace + (step,)))
            elif returned.base[0] == "par":
                bound = self.expand(_bound_arg(call, callee, str(returned.base[1])), summary, depth + 1)
                for arg_origin in bound:
                    step = Step(summary.path, call.line, f"{THROUGH} `{_short(call.callee)}()`", call.code)
                    results.append(Origin(arg_origin.base, arg_origin.cleansed | returned.cleansed,
                                          arg_origin.trace + (step,)))
        return results

    def field_value(self, class_key: str, attr: str) -> Taint:
        """Untrusted data any method of the class stores in `self.attr` (flow-insensitive)."""
        key = (class_key, attr)
        cached = self._fields.get(key)
        if cached is None:
            cached = self._fields.get((*key, self._deep))
        if cached is not None:
            return cached
        running = ("field",) + key
        if not self._running.enter(running):
            return EMPTY  # a field stored from itself: stop the recursion
        found: list[Origin] = []
        for owner, taint in self.field_stores.get(key, ()):
            for origin in self.expand(taint, owner):
                if origin.base[0] == "src":
                    found.append(origin)
                elif origin.base[0] == "par":  # `self.x = x` in __init__ or a setter: bind at the calls
                    found.extend(self._bound_at_callers(owner, str(origin.base[1]), origin))
        result = merge(found)
        self._memoise(self._fields, key, self._running.leave(running), result)
        return result

    def _bound_at_callers(self, owner: FunctionSummary, param: str, origin: Origin) -> list[Origin]:
        out: list[Origin] = []
        for caller, call in self.callers().get(owner.key, ()):
            for bound in self.expand(_bound_arg(call, owner, param), caller):
                if bound.base[0] == "src":
                    step = Step(caller.path, call.line, f"passed to `{_short(call.callee)}()`", call.code)
                    out.append(Origin(bound.base, bound.cleansed | origin.cleansed,
                                      bound.trace + (step,) + origin.trace))
        return out

    def callers(self) -> dict[str, list[tuple[FunctionSummary, CallRecord]]]:
        """Who calls each function, constructor calls (`Exporter(fmt)`) counted for `__init__`."""
        if self._callers is None:
            index: dict[str, list[tuple[FunctionSummary, CallRecord]]] = {}
            for summary in self.by_key.values():
                for call in summary.calls:
                    target = self.lookup(call.callee) or self.lookup(call.callee + ".__init__")
                    if target is not None:
                        index.setdefault(target.key, []).append((summary, call))
            self._callers = index
        return self._callers

    def sink_holds(self, sink: SinkEvent) -> bool:
        """A page body that is a project function's result is HTML unless that function is
        known to return data or a response object; an unknown kind keeps the finding."""
        return not sink.if_text_from or self.returned_kind(sink.if_text_from) not in (DATA, RESPONSE)

    def returned_kind(self, callee: str, depth: int = 0) -> str:
        """What `callee` returns, following functions that return another project call; `callee`
        may carry the kinds its call handed each parameter (`get_result#data=data`), which decide
        a helper that returns its parameter on some paths (taint/returned.py)."""
        name, slots = split_slots(callee)
        name, position = split_position(name)
        summary = self.lookup(name)
        if summary is None:
            return UNKNOWN_KIND
        returned = summary.returns_kind
        if position is not None and position < len(summary.returns_members):
            returned = summary.returns_members[position]  # `user, resp = helper(...)`: that member's kind
        kinds = {self._member_kind(member, summary, slots, depth) for member in returned.split(UNION)}
        if len(kinds) == 1:
            return next(iter(kinds))
        return DATA if kinds <= {DATA, RESPONSE} else UNKNOWN_KIND

    def _member_kind(self, kind: str, summary: FunctionSummary, slots: Mapping[str, str], depth: int) -> str:
        """One of `summary`'s return kinds, given what its call handed its parameters."""
        if kind.startswith(PARAM_PREFIX):
            handed = _slot(summary, slots, kind[len(PARAM_PREFIX):])
            return handed if handed in (DATA, RESPONSE, TEXT) else UNKNOWN_KIND
        if kind.startswith(CALL_PREFIX):
            if depth >= _MAX_DEPTH:
                return UNKNOWN_KIND
            inner, inner_slots = split_slots(kind[len(CALL_PREFIX):])
            # what this function hands on of its own parameters is what its caller handed them
            passed = {slot: (_slot(summary, slots, given[len(PARAM_PREFIX):]) if given.startswith(PARAM_PREFIX)
                             else given) for slot, given in inner_slots.items()}
            return self.returned_kind(with_slots(inner, passed), depth + 1)
        return kind

    # ---------------------------------------------------------------- parameter sinks
    def param_sinks(self, summary: FunctionSummary) -> tuple[_ParamSink, ...]:
        cached = self._param_sinks.get((summary.key,))
        if cached is None:
            cached = self._param_sinks.get((summary.key, self._deep))
        if cached is not None:
            return cached
        if self._deep > _MAX_DEPTH:
            self._running.cut_at_depth()
            return ()
        running = ("sinks", summary.key)
        if not self._running.enter(running):
            return ()
        self._deep += 1
        found: list[_ParamSink] = []
        for sink in summary.sinks:
            if not self.sink_holds(sink):
                continue
            for origin in self.expand(sink.taint, summary):
                if origin.base[0] == "par":
                    found.append(_ParamSink(str(origin.base[1]), sink, summary.path, origin.trace, origin.cleansed))
        for call in summary.calls:
            callee = self.lookup(call.callee)
            if callee is None:
                continue
            for inner in self.param_sinks(callee):
                for origin in self.expand(_bound_arg(call, callee, inner.param), summary):
                    if origin.base[0] == "par":
                        step = Step(summary.path, call.line, f"passed to `{_short(call.callee)}()`", call.code)
                        found.append(_ParamSink(str(origin.base[1]), inner.sink, inner.sink_path,
                                                origin.trace + (step,) + inner.trace,
                                                origin.cleansed | inner.cleansed))
        self._deep -= 1
        result = tuple(_dedupe_param_sinks(found))
        self._memoise(self._param_sinks, (summary.key,), self._running.leave(running), result)
        return result

    # ---------------------------------------------------------------- flows
    def flows(self) -> list[TaintFlow]:
        flows: dict[tuple[str, int, str, str, int], TaintFlow] = {}
        for summary in self.by_key.values():
            for sink in summary.sinks:
                if not self.sink_holds(sink):
                    continue
                for origin in self.expand(sink.taint, summary):
                    if _reaches(origin, sink.kind, frozenset()):
                        _keep(flows, TaintFlow(sink, summary.path, origin))
            for call in summary.calls:
                callee = self.lookup(call.callee)
                if callee is None:
                    continue
                for inner in self.param_sinks(callee):
                    for origin in self.expand(_bound_arg(call, callee, inner.param), summary):
                        if _reaches(origin, inner.sink.kind, inner.cleansed):
                            step = Step(summary.path, call.line, f"passed to `{_short(call.callee)}()`", call.code)
                            full = Origin(origin.base, origin.cleansed | inner.cleansed,
                                          origin.trace + (step,) + inner.trace)
                            _keep(flows, TaintFlow(inner.sink, inner.sink_path, full))
        return [flows[k] for k in sorted(flows)]


def resolve_flows(summaries: Iterable[FunctionSummary],
                  class_bases: Mapping[str, tuple[str, ...]] | None = None) -> list[TaintFlow]:
    """Every source-to-sink flow in the project, deterministic order."""
    return _Resolver(summaries, class_bases).flows()


def call_graph(summaries: Iterable[FunctionSummary],
               class_bases: Mapping[str, tuple[str, ...]] | None = None,
               typed_calls: Mapping[str, Iterable[str]] | None = None) -> dict[str, frozenset[str]]:
    """Which project functions each function calls, resolved the way taint is (suffixes,
    inherited methods, factories; a constructor call counts for `__init__`). `typed_calls`:
    per caller key, more callee names its calls on typed receivers make (`shop.models.Order.sync`
    for `order.sync()` on an ORM-loaded order: analysis/instance_calls.py), resolved alike."""
    resolver = _Resolver(summaries, class_bases)
    graph: dict[str, frozenset[str]] = {}
    for key, summary in resolver.by_key.items():
        targets = (resolver.lookup(call.callee) or resolver.lookup(call.callee + ".__init__")
                   for call in summary.calls)
        graph[key] = frozenset(t.key for t in targets if t is not None)
    for key, names in (typed_calls or {}).items():
        if key in graph:
            found = {t.key for name in names if (t := resolver.lookup(name)) is not None and t.key != key}
            if found - graph[key]:
                graph[key] = graph[key] | found
    return graph


def _reaches(origin: Origin, kind: str, extra_cleansed: frozenset[str]) -> bool:
    if origin.base[0] != "src":
        return False
    cleansed = origin.cleansed | extra_cleansed
    if kind in cleansed or ALL in cleansed:
        return False
    if UPSTREAM_ANSWER in cleansed and "ssrf" in cleansed:
        return False  # answered by an upstream the server chose: its data, not the client's

    return origin.base[1] in SINK_ACCEPTS.get(kind, frozenset())


def _keep(flows: dict[tuple[str, int, str, str, int], TaintFlow], flow: TaintFlow) -> None:
    key = (flow.sink_path, flow.sink.line, flow.sink.kind, str(flow.source.base[2]), int(flow.source.base[3]))  # type: ignore[arg-type]
    current = flows.get(key)
    if current is None or shorter_trace(flow.source.trace, current.source.trace):
        flows[key] = flow


def _continue(inner: Origin, outer: Origin) -> Origin:
    """An origin found inside a callee, continuing along the caller's trace."""
    return Origin(inner.base, inner.cleansed | outer.cleansed, inner.trace + outer.trace)


def _bound_arg(call: CallRecord, callee: FunctionSummary, param: str) -> Taint:
    if param not in callee.params:
        # a nested function reading its enclosing function's parameter (a JavaScript closure):
        # at the enclosing function's own call it is still that function's parameter
        return frozenset({Origin(("par", param))}) if ".<locals>." in callee.key else EMPTY
    for name, taint in call.kwargs:
        if name == param:
            return taint
    offset = call.self_offset
    if callee.key.endswith(".__init__") and not call.callee.endswith(".__init__"):
        offset = 1  # `Exporter(fmt)` binds fmt to __init__(self, fmt)
    elif callee.params and callee.params[0] == "cls":
        offset = 1  # a classmethod binds cls however it is called (`Recipe.from_id(rid)`)
    elif offset and (not callee.params or callee.params[0] != "self"):
        offset = 0  # `cls._get_dir(path)` calling a @staticmethod: nothing is bound
    elif not offset and callee.params and callee.params[0] == "self" and _through_instance(call.callee):
        offset = 1  # `self.repository.find(x)`, `Order.objects.search(q)`: an instance binds self
    position = callee.params.index(param) - offset
    if 0 <= position < len(call.args):
        return call.args[position]
    if position >= 0:  # not bound by position or name: `**mapping` may bind it
        return next((taint for name, taint in call.kwargs if name == SPREAD), EMPTY)
    return EMPTY


def _through_instance(callee: str) -> bool:
    """A method called on an attribute or instance (`Service.repository.find`,
    `Order.objects.search`: lower-case owner), not on its class (`Repository.find(obj, x)`)."""
    owner = callee.rpartition(".")[0]
    return "." in owner and owner.rpartition(".")[2][:1].islower()


def _dedupe_param_sinks(items: list[_ParamSink]) -> list[_ParamSink]:
    best: dict[tuple[str, str, int, str, frozenset[str]], _ParamSink] = {}
    for item in items:
        key = (item.param, item.sink_path, item.sink.line, item.sink.kind, item.cleansed)
        if key not in best or shorter_trace(item.trace, best[key].trace):
            best[key] = item
    return [best[k] for k in sorted(best, key=repr)]


def _suffix_index(keys: Mapping[str, FunctionSummary]) -> dict[str, str]:
    """Every dotted suffix of a key (at least two segments) -> key, when unambiguous."""
    index: dict[str, str | None] = {}
    for key in keys:
        parts = key.split(".")
        for start in range(1, len(parts) - 1):
            suffix = ".".join(parts[start:])
            index[suffix] = None if suffix in index and index[suffix] != key else key
    return {k: v for k, v in index.items() if v is not None}


def _short(callee: str) -> str:
    parts = callee.split(".")
    return ".".join(parts[-2:]) if len(parts) > 1 and parts[-2][:1].isupper() else parts[-1]


def _slot(summary: FunctionSummary, slots: Mapping[str, str], param: str) -> str:
    """The kind a call handed `summary`'s parameter `param`: by keyword, or by its position."""
    if param in slots:
        return slots[param]
    if param in summary.params:
        return slots.get(str(summary.params.index(param)), UNKNOWN_KIND)
    return UNKNOWN_KIND
