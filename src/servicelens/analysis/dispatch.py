"""Calls that dispatch on the object's class: the overrides a call may run.

The taint resolver follows a call to one function: the method its receiver's class (or
the nearest base) defines. For *where code runs* that is too little: `runner.run_query()`
on a plugin object runs whichever of forty `BaseQueryRunner` subclasses the registry
returned, and `self.fetch()` in a base class's template method runs each subclass's
override. So, for reach only, a call also reaches:

* every override, in a project subclass, of the method it resolved to;
* when it resolved to nothing (`query_runner.run_query()` on a value whose class the
  analysis cannot know), the methods `m` of the one project class family whose root class
  defines `m` and whose name carries the receiver's name (`BaseQueryRunner` for
  `query_runner`, `runner`): the root and the subclasses overriding it. Without that
  agreement the call stays unresolved: guessing between families, or linking every
  `session.post()` to a project class that happens to define `post`, would make unrelated
  code look reachable.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex

ReceiverCall = tuple[str, str]  # (the receiver's own name, the method called on it)


def receiver_calls(module: ir.Module, imports: Mapping[str, str],
                   index: FileIndex) -> tuple[tuple[str, tuple[ReceiverCall, ...]], ...]:
    """Per function: `x.m()` calls on a value that is neither `self`, a module nor an import,
    i.e. calls the resolver cannot follow without knowing the value's class."""
    out = []
    for function in module.functions:
        calls = sorted({found for call in index.block_of_kind(function.body, ir.Call)
                        if (found := _receiver_call(call, imports))})
        if calls:
            out.append((function.qualname, tuple(calls)))
    return tuple(out)


def with_dispatch(graph: Mapping[str, frozenset[str]], class_bases: Mapping[str, tuple[str, ...]],
                  unresolved: Mapping[str, tuple[ReceiverCall, ...]],
                  classes: frozenset[str] = frozenset()) -> dict[str, frozenset[str]]:
    """`graph` (caller -> callees) with the overrides each call may dispatch to. `classes`: every
    project class key, those without bases too (`class BillingService:` whose instance a FastAPI
    dependency hands the handler as `billing`)."""
    hierarchy = _Hierarchy(class_bases, graph.keys(), classes)
    out: dict[str, frozenset[str]] = {}
    for key, callees in graph.items():
        extra: set[str] = set()
        for callee in callees:
            extra.update(hierarchy.overrides_of(callee))
        for receiver, name in unresolved.get(key, ()):
            extra.update(hierarchy.family(name, receiver))
        extra.discard(key)
        out[key] = callees | frozenset(extra) if extra else callees
    return out


# methods of the built-in containers and strings: `.get()` on a dict is never a project method
_BUILTIN_METHODS = frozenset(name for kind in (dict, list, str, set, bytes, tuple, int, float)
                             for name in dir(kind))


def _receiver_call(call: ir.Call, imports: Mapping[str, str]) -> ReceiverCall | None:
    func = call.func
    if not isinstance(func, ir.Attr) or func.attr.startswith("_") or func.attr in _BUILTIN_METHODS:
        return None
    receiver = func.value
    if isinstance(receiver, ir.Subscript) and isinstance(receiver.index, ir.Const) \
            and isinstance(receiver.index.value, str) and receiver.index.value.isidentifier():
        # `request.app["orders"].place()`: a service kept in the application's state under its name
        return receiver.index.value, func.attr
    if isinstance(receiver, ir.Name):
        if receiver.id in ("self", "cls") or receiver.id in imports:
            return None
        return receiver.id, func.attr
    if isinstance(receiver, ir.Attr) and (ir.dotted_name(receiver) or "").partition(".")[0] not in imports:
        return receiver.attr, func.attr
    return None


def _tokens(name: str) -> frozenset[str]:
    """`query_runner` and `BaseQueryRunner` -> {"query", "runner"} (and "base"); a plural is its
    singular (`orders` holds an `OrderService`)."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    return frozenset(singular(t) for t in spaced.split("_") if len(t) > 2)


def singular(word: str) -> str:
    """`orders` -> `order`, `entries` -> `entry`, `addresses` -> `address`; `status`, `class` stay."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


class _Hierarchy:
    """Project classes, their subclasses, and the methods each defines."""

    def __init__(self, class_bases: Mapping[str, tuple[str, ...]], function_keys: Iterable[str],
                 plain: frozenset[str] = frozenset()) -> None:
        # a root class with no bases of its own appears only as another class's base, or in `plain`
        classes = set(class_bases) | {base for bases in class_bases.values() for base in bases} | plain
        # a base named by a longer import path than its key (the review starts inside the
        # package: `svc.runners.Base` for `runners.Base`) is found by its own name among the
        # owners of methods
        names = {cls.rpartition(".")[2] for cls in classes}
        self.methods: dict[str, set[str]] = defaultdict(set)  # class key -> method names it defines
        for key in function_keys:
            owner, _, method = key.rpartition(".")
            if owner in classes or owner.rpartition(".")[2] in names:
                self.methods[owner].add(method)
        defined = frozenset(class_bases) | frozenset(self.methods)  # classes the project defines
        classes |= defined
        by_name: dict[str, list[str]] = defaultdict(list)
        for cls in classes:
            by_name[cls.rpartition(".")[2]].append(cls)
        self.parents: dict[str, tuple[str, ...]] = {}
        self.children: dict[str, list[str]] = defaultdict(list)
        # many classes share a base (saleor: thousands of GraphQL types), and a base's class
        # depends on the base alone: each is resolved once
        resolved: dict[str, str] = {}
        for cls, bases in class_bases.items():
            found_parents: list[str] = []
            for base in bases:
                found = resolved.get(base)
                if found is None:
                    found = resolved[base] = _resolve(base, classes, by_name, defined)
                if found and found != cls:
                    found_parents.append(found)
            parents = self.parents[cls] = tuple(found_parents)
            for parent in parents:
                self.children[parent].append(cls)
        roots: dict[str, list[str]] = defaultdict(list)  # method name -> classes first defining it
        for cls, names in self.methods.items():
            ancestors = self._ancestors(cls)
            for name in names:
                if not any(name in self.methods.get(a, ()) for a in ancestors):
                    roots[name].append(cls)
        self.roots = roots
        # every call of the project asks, and most callees are asked about many times
        self._overrides: dict[str, list[str]] = {}
        self._below: dict[str, set[str]] = {}

    def overrides_of(self, method_key: str) -> list[str]:
        found = self._overrides.get(method_key)
        if found is None:
            found = self._overrides[method_key] = self._find_overrides(method_key)
        return found

    def _find_overrides(self, method_key: str) -> list[str]:
        owner, _, name = method_key.rpartition(".")
        if owner not in self.children or name.startswith("__"):
            return []
        return [f"{cls}.{name}" for cls in self._descendants(owner) if name in self.methods.get(cls, ())]

    def family(self, name: str, receiver: str) -> list[str]:
        """`name` on the one family whose root class's name carries the receiver's name."""
        wanted = _tokens(receiver)
        if not wanted:
            return []
        roots = [root for root in self.roots.get(name, ()) if wanted <= _tokens(root.rpartition(".")[2])]
        if len(roots) != 1:
            return []
        return [f"{roots[0]}.{name}", *self.overrides_of(f"{roots[0]}.{name}")]

    def _ancestors(self, cls: str) -> set[str]:
        return _reachable(cls, self.parents)

    def _descendants(self, cls: str) -> set[str]:
        found = self._below.get(cls)
        if found is None:
            found = self._below[cls] = _reachable(cls, self.children)
        return found


def _reachable(start: str, edges: Mapping[str, Iterable[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(edges.get(start, ()))
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(edges.get(current, ()))
    return seen


def _resolve(base: str, classes: set[str], by_name: Mapping[str, list[str]],
             defined: frozenset[str] = frozenset()) -> str:
    """A base class as written (`BaseQueryRunner`, `runners.Base`) -> its project class key.
    A base imported by its full dotted path when the review starts inside the package
    (`api_app.classes.Plugin` for the class keyed `classes.Plugin`) is that class."""
    if base in defined:
        return base
    same_name = by_name.get(base.rpartition(".")[2], ())
    if "." not in base:  # a bare name: every class of that name qualifies
        candidates = [c for c in same_name if c in defined]
    else:
        suffix = "." + base
        candidates = [c for c in same_name if c in defined and (c.endswith(suffix) or base.endswith("." + c))]
    if len(candidates) == 1:
        return candidates[0]
    if base in classes:  # a root class defined nowhere the review reads, or one of several alike
        return base
    candidates = list(same_name) if "." not in base else [c for c in same_name if c.endswith("." + base)]
    return candidates[0] if len(candidates) == 1 else ""
