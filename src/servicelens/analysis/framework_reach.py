"""The calls a framework makes into the project, as call-graph edges and request roots.

analysis/framework_calls.py records per file what the project hands to its framework; this
joins it project-wide (analysis/reach.py follows the result):

* a class the framework drives (a serializer, form, permission, pagination, filter, admin or
  middleware class, by its documented base) gets a node `Class.<framework>` with an edge to
  each method the framework calls on it; a function that constructs the class, and a view class
  whose body names it (`serializer_class = ...`, `permission_classes = [...]`), reach that node.
  What a class body names (`actions = [publish]`) is reached from the class's methods and routes;
* a ModelForm or ModelSerializer saves its `Meta.model`, and so does a function that calls
  `Model.objects.create(...)` or `.save()`/`.delete()` on a value named after the model: each
  reaches the node `<saved>.Model`, whose edges are that model's `post_save`/... receivers. A
  custom signal's receivers are reached from the functions that `.send()` it;
* functions (and middleware classes) registered to run in every request, request-cycle signal
  receivers and registered ModelAdmin classes are request roots: anyone for the former, staff
  for the admin.

Pseudo-nodes carry `<` in their last segment, so no function's key is ever one of them.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

from servicelens.analysis.caller_privilege import ANYONE, PRIVILEGED
from servicelens.analysis.dispatch import singular
from servicelens.analysis.facts import FileFacts
from servicelens.analysis.framework_calls import Family, Knowledge, knowledge

DRIVEN = "<framework>"  # node of a driven class: `pkg.forms.PostForm.<framework>`
NAMED = "<class>"  # node of what a class body names: `pkg.admin.PostAdmin.<class>`
SAVED = "<saved>"  # node of a model's save signals: `<saved>.Post`


@dataclass(frozen=True, slots=True)
class FrameworkReach:
    edges: Mapping[str, frozenset[str]]  # caller (function or pseudo-node) -> what the framework runs for it
    roots: tuple[tuple[str, str], ...]  # (function key or node, least privileged caller)


def framework_reach(facts: Sequence[FileFacts], graph: Mapping[str, frozenset[str]],
                    resolve: Callable[[str], str]) -> FrameworkReach:
    """`resolve`: a project-wide dotted name -> its call-graph key ("" when not a project function)."""
    known = knowledge()
    bases = {key: value for fact in facts for key, value in fact.class_bases}
    methods: dict[str, list[str]] = defaultdict(list)
    for key in graph:
        owner, _, name = key.rpartition(".")
        methods[owner].append(name)
    classes = _Classes(bases, methods, known, frozenset(fact.module_name for fact in facts))
    edges: dict[str, set[str]] = defaultdict(set)
    meta = {cls: model for fact in facts for cls, model in fact.framework.meta_models}
    for cls in list(bases):
        family = classes.family(cls)
        if family is None:
            continue
        edges[f"{cls}.{DRIVEN}"].update(classes.hooks(cls, family))
        if family.saves_model and (model := classes.meta_model(cls, meta)):
            edges[f"{cls}.{DRIVEN}"].add(f"{SAVED}.{model.rpartition('.')[2]}")
    routes_of: dict[str, list[str]] = defaultdict(list)  # route class -> its routes' keys
    for fact in facts:
        for route in fact.routes:
            key = f"{fact.module_name}.{route.qualname}"
            routes_of[key.rpartition(".")[0]].append(key)
    for fact in facts:
        for cls, names in fact.framework.class_refs:
            targets = {found for name in names if (found := _target(name, classes, resolve))}
            if not targets:
                continue
            edges[f"{cls}.{NAMED}"].update(targets)
            for name in methods.get(cls, ()):
                edges[f"{cls}.{name}"].add(f"{cls}.{NAMED}")
            for key in routes_of.get(cls, ()):
                edges[key].add(f"{cls}.{NAMED}")
            if f"{cls}.{DRIVEN}" in edges:
                edges[f"{cls}.{DRIVEN}"].add(f"{cls}.{NAMED}")
    # what a route declares around its handler (decorators, `Depends(...)` targets, router
    # dependencies) runs in each of its requests, before the handler
    for fact in facts:
        for route in fact.routes:
            declared = {key for ref in route.declared_refs if (key := resolve(ref))}
            if declared:
                edges[f"{fact.module_name}.{route.qualname}"].update(declared)
    # FastAPI dependencies: a function's `Depends(...)` parameters (through `Annotated` aliases)
    # run before it, whether it is a route or another dependency
    aliases = {alias: target for fact in facts for alias, target in fact.framework.dependency_aliases}
    for fact in facts:
        for qualname, names in fact.framework.dependencies:
            found = {key for name in names if (key := resolve(aliases.get(name, name)))}
            if found:
                edges[f"{fact.module_name}.{qualname}"].update(found)
    for fact in facts:  # `return InvoiceSerializer` in `get_serializer_class()`
        for qualname, names in fact.framework.function_refs:
            driven = {f"{cls}.{DRIVEN}" for name in names
                      if (cls := classes.find(name)) and classes.family(cls) is not None}
            if driven:
                edges[f"{fact.module_name}.{qualname}"].update(driven)
    _constructions(facts, classes, edges)
    _signals(facts, known, resolve, edges)
    return FrameworkReach({k: frozenset(v) for k, v in edges.items()}, tuple(_roots(facts, known, classes, resolve,
                                                                                    methods)))


def with_framework_edges(graph: Mapping[str, frozenset[str]], reach: FrameworkReach) -> dict[str, frozenset[str]]:
    out = dict(graph)
    for caller, callees in reach.edges.items():
        out[caller] = out.get(caller, frozenset()) | callees
    return out


def _target(name: str, classes: "_Classes", resolve: Callable[[str], str]) -> str:
    """What a class body's name hands the framework: a driven class's node, or a function."""
    cls = classes.find(name)
    if cls and classes.family(cls) is not None:
        return f"{cls}.{DRIVEN}"
    return "" if cls else resolve(name)


def _constructions(facts: Sequence[FileFacts], classes: "_Classes", edges: dict[str, set[str]]) -> None:
    """A function constructing a driven class (`RefundSerializer(data=...)`, `PostForm(request.POST)`)
    hands it to the framework; one calling `Model.objects.create(...)` saves the model."""
    save_methods = knowledge().save_methods
    for fact in facts:
        for summary in fact.summaries:
            for call in summary.calls:
                cls = classes.find(call.callee)
                if cls and classes.family(cls) is not None:
                    edges[summary.key].add(f"{cls}.{DRIVEN}")
                head, _, method = call.callee.rpartition(".")
                if method in save_methods and head.endswith(".objects"):
                    edges[summary.key].add(f"{SAVED}.{head.removesuffix('.objects').rpartition('.')[2]}")
        for qualname, calls in fact.receiver_calls:
            key = f"{fact.module_name}.{qualname}"
            for receiver, method in calls:
                if method in save_methods:
                    edges[key].add(f"{SAVED}.~{receiver}")  # matched against models by name below


def _signals(facts: Sequence[FileFacts], known: Knowledge, resolve: Callable[[str], str],
             edges: dict[str, set[str]]) -> None:
    by_signal: dict[str, set[str]] = defaultdict(set)
    by_model: dict[str, set[str]] = defaultdict(set)
    for fact in facts:
        for receiver in fact.framework.receivers:
            key = resolve(receiver.function)
            if not key:
                continue
            if receiver.signal in known.model_signals:
                if receiver.sender:
                    by_model[receiver.sender].add(key)
            elif receiver.signal not in known.request_signals:
                by_signal[receiver.signal].add(key)
    for model, receivers in by_model.items():
        edges[f"{SAVED}.{model}"].update(receivers)
    # `post.save()` on a value named after the model (`post`, `new_post`, `order_item` for OrderItem)
    models = {model: _tokens(model) for model in by_model}
    for caller in list(edges):
        named = {callee for callee in edges[caller] if callee.startswith(f"{SAVED}.~")}
        for callee in named:
            edges[caller].discard(callee)
            wanted = _tokens(callee.removeprefix(f"{SAVED}.~"))
            edges[caller].update(f"{SAVED}.{model}" for model, tokens in models.items() if tokens and tokens <= wanted)
    if not by_signal:
        return
    for fact in facts:
        for summary in fact.summaries:
            for call in summary.calls:
                head, _, method = call.callee.rpartition(".")
                if method in known.send_methods and (signal := head.rpartition(".")[2]) in by_signal:
                    edges[summary.key].update(by_signal[signal])


def _roots(facts: Sequence[FileFacts], known: Knowledge, classes: "_Classes", resolve: Callable[[str], str],
           methods: Mapping[str, list[str]]) -> Iterable[tuple[str, str]]:
    for fact in facts:
        for name, _ in fact.framework.request_hooks:
            cls = classes.find(name)
            if cls:
                if classes.family(cls) is not None:
                    yield f"{cls}.{DRIVEN}", ANYONE
                yield from ((f"{cls}.{m}", ANYONE) for m in known.class_hooks if m in methods.get(cls, ()))
            elif key := resolve(name):
                yield key, ANYONE
        for receiver in fact.framework.receivers:
            if receiver.signal in known.request_signals and (key := resolve(receiver.function)):
                yield key, ANYONE
        for name in fact.framework.registered_admins:
            cls = classes.find(name)
            family = classes.family(cls) if cls else None
            if family is not None and family.all_methods:
                yield f"{cls}.{DRIVEN}", PRIVILEGED


def _tokens(name: str) -> frozenset[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    return frozenset(singular(t) for t in spaced.split("_") if t)


class _Classes:
    """Project classes, the framework family each belongs to, and its methods."""

    def __init__(self, bases: Mapping[str, tuple[str, ...]], methods: Mapping[str, list[str]],
                 known: Knowledge, modules: frozenset[str]) -> None:
        self.bases = bases
        self.methods = methods
        self.known = known
        # classes with bases, and those without any that define methods (owners that are no module)
        self.keys = set(bases) | {owner for owner in methods if owner and "<" not in owner and owner not in modules}
        # every dotted suffix of every key -> the keys ending in it (`Migration`, `migrations.Migration`,
        # ...): saleor has a thousand classes named `Migration` and hundreds of GraphQL types sharing
        # a last name, and comparing a name with each of them was most of the project phase. A suffix
        # ends in its key's last name, so the table is made per last name, for the names asked only
        self._by_last: dict[str, list[str]] = defaultdict(list)
        for key in self.keys:
            self._by_last[key.rpartition(".")[2]].append(key)
        self._suffixes: dict[str, dict[str, list[str]]] = {}
        self._found: dict[str, str] = {}
        self._family: dict[str, Family | None] = {}

    def find(self, name: str) -> str:
        """The project class key a dotted name refers to ("" when none or ambiguous): the one
        key that ends with the name or that the name ends with, dot-separated."""
        found = self._found.get(name)
        if found is None:
            found = self._found[name] = self._find(name)
        return found

    def _find(self, name: str) -> str:
        if name in self.keys:
            return name
        longer = self._ending_in(name)  # keys ending in `.name`
        shorter = [suffix for suffix in _dotted_suffixes(name)[1:] if suffix in self.keys]  # keys `name` ends in
        if len(longer) + len(shorter) != 1:
            return ""
        return longer[0] if longer else shorter[0]

    def _ending_in(self, name: str) -> list[str]:
        """The keys that are `name` or end in `.name`."""
        last = name.rpartition(".")[2]
        table = self._suffixes.get(last)
        if table is None:
            table = self._suffixes[last] = defaultdict(list)
            for key in self._by_last.get(last, ()):
                for suffix in _dotted_suffixes(key):
                    table[suffix].append(key)
        return table.get(name, [])

    def family(self, cls: str, seen: frozenset[str] = frozenset()) -> Family | None:
        if cls in self._family:
            return self._family[cls]
        found = None
        for base in self.bases.get(cls, ()):
            project = self.find(base)
            if project and project != cls and project not in seen:
                found = self.family(project, seen | {cls})
            elif not project:
                found = self.known.family_of_base(base)
            if found is not None:
                break
        self._family[cls] = found
        return found

    def ancestors(self, cls: str) -> list[str]:
        out, stack = [], [cls]
        while stack:
            current = stack.pop()
            if current in out:
                continue
            out.append(current)
            stack.extend(p for base in self.bases.get(current, ()) if (p := self.find(base)) and p != current)
        return out

    def hooks(self, cls: str, family: Family) -> set[str]:
        return {f"{owner}.{name}" for owner in self.ancestors(cls) for name in self.methods.get(owner, ())
                if family.calls(name) and "<" not in name}

    def meta_model(self, cls: str, meta: Mapping[str, str]) -> str:
        return next((meta[owner] for owner in self.ancestors(cls) if owner in meta), "")


def _dotted_suffixes(name: str) -> list[str]:
    """`a.b.C` -> [`a.b.C`, `b.C`, `C`]: the name and each shorter tail after a dot."""
    parts = name.split(".")
    return [".".join(parts[i:]) for i in range(len(parts))]
