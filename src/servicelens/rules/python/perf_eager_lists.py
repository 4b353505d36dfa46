"""Eager-loading lists a class declares and a method of it (or of a base) applies.

Serializers often name what they need loaded next to their fields (`SELECT_RELATED = ["team"]`,
`PREFETCH_RELATED = ["labels"]`) and a shared mixin applies them (`def setup_eager_loading(cls,
queryset): return queryset.select_related(*cls.SELECT_RELATED)`); the view calls that method on
its queryset (`self.serializer_class.setup_eager_loading(queryset)`, or through
`self.get_serializer_class()`). The lists, the mixin and the view sit in three files, so each file
contributes small facts and `loads` joins them: a view's rows then count the serializer's lists as
loaded, for the methods the view (or a mixin it derives from) calls on its serializer class.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.rules.python.perf_orm import relation_lookups
from servicelens.taint.scope import ModuleScope

_LOADING = frozenset({"select_related", "prefetch_related"})


@dataclass(frozen=True, slots=True)
class EagerFacts:
    lists: tuple[tuple[str, str, tuple[str, ...]], ...]  # (class, attribute, relation paths)
    bases: tuple[tuple[str, tuple[str, ...]], ...]  # (class, qualified bases) of classes declaring lists
    appliers: tuple[tuple[str, str, str], ...]  # (class, method, attribute it splats into a loading call)
    calls: tuple[tuple[str, str, str], ...]  # (calling class, serializer class named or "" = its own, method)


def collect_eager(module: ir.Module, scope: ModuleScope) -> EagerFacts | None:
    lists, bases, appliers, calls = [], [], [], []
    for cls in module.classes:
        qualname = f"{module.module_name}.{cls.qualname}"
        declared = False
        for stmt in cls.body:
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Seq) and len(stmt.targets) == 1 \
                    and isinstance(stmt.targets[0], ir.Name) and stmt.value.elts:
                paths = tuple(sorted({p for e in stmt.value.elts for p in relation_lookups(e, module, None, 0)}))
                if paths:
                    lists.append((qualname, stmt.targets[0].id, paths))
                    declared = True
        if declared:
            bases.append((qualname, tuple(scope.qualify(ir.dotted_name(b) or "", None, set())
                                          or (ir.dotted_name(b) or "") for b in cls.bases)))
    for function in module.functions:
        if not function.class_name:
            continue
        owner = f"{module.module_name}.{function.class_name}"
        for stmt in ir.walk_stmts(function.body):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if not isinstance(node, ir.Call) or not isinstance(node.func, ir.Attr):
                        continue
                    if node.func.attr in _LOADING:
                        for arg in node.args:
                            if isinstance(arg, ir.Starred) and isinstance(arg.value, ir.Attr) \
                                    and ir.dotted_name(arg.value.value) in ("cls", "self"):
                                appliers.append((owner, function.name, arg.value.attr))
                        continue
                    target = _serializer_receiver(node.func.value, function, scope)
                    if target is not None:
                        calls.append((owner, target, node.func.attr))
    if not (lists or appliers or calls):
        return None
    return EagerFacts(tuple(lists), tuple(bases), tuple(appliers), tuple(calls))


def _serializer_receiver(recv: ir.Expr, function: ir.Function, scope: ModuleScope) -> str | None:
    """`self.serializer_class` / `self.get_serializer_class()` ("": the view's own), or a class
    whose name says it is a serializer (`ChannelSerializer`); None for anything else."""
    if isinstance(recv, ir.Call) and not recv.args and ir.dotted_name(recv.func) == "self.get_serializer_class":
        return ""
    name = ir.dotted_name(recv) or ""
    if name == "self.serializer_class":
        return ""
    if isinstance(recv, ir.Name) and name.endswith("Serializer"):
        return scope.qualify(name, function, set()) or name
    return None


@dataclass(frozen=True, slots=True)
class EagerIndex:
    lists: Mapping[str, Mapping[str, tuple[str, ...]]]
    bases: Mapping[str, tuple[str, ...]]
    appliers: Mapping[str, Mapping[str, frozenset[str]]]  # class -> method -> attributes
    calls: Mapping[str, tuple[tuple[str, str], ...]]

    @staticmethod
    def build(facts: Iterable[EagerFacts], more_bases: Mapping[str, tuple[str, ...]]) -> "EagerIndex":
        lists: dict[str, dict[str, tuple[str, ...]]] = {}
        appliers: dict[str, dict[str, set[str]]] = {}
        calls: dict[str, list[tuple[str, str]]] = {}
        bases = dict(more_bases)
        for f in facts:
            for cls, attr, paths in f.lists:
                lists.setdefault(cls, {})[attr] = paths
            bases.update(f.bases)
            for cls, method, attr in f.appliers:
                appliers.setdefault(cls, {}).setdefault(method, set()).add(attr)
            for cls, target, method in f.calls:
                calls.setdefault(cls, []).append((target, method))
        return EagerIndex(lists, bases, {c: {m: frozenset(a) for m, a in ms.items()} for c, ms in appliers.items()},
                          {c: tuple(v) for c, v in calls.items()})

    def loads(self, caller: str, serializer: str) -> frozenset[str]:
        """What the methods `caller` (a view, or a mixin it derives from) calls on `serializer`
        load: the serializer's lists (own or inherited) those methods splat into a loading call."""
        lineage = self._lineage(serializer)
        out: set[str] = set()
        for cls in self._lineage(caller):
            for target, method in self.calls.get(cls, ()):
                if target and not _same(target, serializer):
                    continue
                attrs = {a for c in lineage for a in self._find(self.appliers, c).get(method, ())}
                for c in reversed(lineage):  # a subclass's list overrides its base's
                    for attr in attrs:
                        out.update(self._find(self.lists, c).get(attr, ()))
        return frozenset(out)

    def _lineage(self, cls: str) -> list[str]:
        out, pending = [], [cls]
        while pending and len(out) < 12:
            current = pending.pop(0)
            if current and current not in out:
                out.append(current)
                pending.extend(self._find(self.bases, current) or ())
        return out

    @staticmethod
    def _find(table: Mapping[str, object], name: str):  # type: ignore[no-untyped-def]
        """`table[name]`, also when imports qualify a module differently (`engine.common.x.C` / `common.x.C`)."""
        if name in table:
            return table[name]
        tail = name.rsplit(".", 1)[-1]
        return next((v for k, v in table.items() if k.rsplit(".", 1)[-1] == tail and _same(k, name)), {})


def _same(a: str, b: str) -> bool:
    return a == b or a.endswith("." + b) or b.endswith("." + a)
