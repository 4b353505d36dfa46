"""The project's relation graph, built once per review from every file's model facts.

Answers "what kind of relation is `order.lines`?" including reverse relations Django adds
to the other model (`related_name`, or `<model>_set`) and fields inherited from abstract
bases, so the N+1 rule can tell a lazy relation from a plain column.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from servicelens.rules.python.perf_models import ModelFact, ModelField
from servicelens.rules.python.perf_orm import Query

_EAGER = frozenset({"joined", "selectin", "subquery", "immediate", "raise", "raise_on_sql", "noload", "write_only"})


@dataclass(frozen=True, slots=True)
class Relations:
    models: Mapping[str, ModelFact]  # qualname -> model
    names: Mapping[str, tuple[ModelFact, ...]]  # class name -> models
    reverse: Mapping[str, Mapping[str, tuple[str, str]]]  # model qualname -> name -> (kind, source model)

    @staticmethod
    def build(models: Iterable[ModelFact]) -> Relations:
        by_qual: dict[str, ModelFact] = {}
        by_name: dict[str, list[ModelFact]] = {}
        for model in models:
            by_qual[model.qualname] = model
            by_name.setdefault(model.name, []).append(model)
        names = {k: tuple(v) for k, v in by_name.items()}
        reverse: dict[str, dict[str, tuple[str, str]]] = {}
        for model in by_qual.values():
            for field in model.fields:
                if field.kind not in ("fk", "o2o", "m2m") or field.related_name.endswith("+"):
                    continue
                target = _resolve(field.target, model, names)
                if target is None:
                    continue
                default = model.name.lower() if field.kind == "o2o" else f"{model.name.lower()}_set"
                kind = "o2o" if field.kind == "o2o" else "reverse"
                reverse.setdefault(target.qualname, {})[field.related_name or default] = (kind, model.qualname)
        return Relations(by_qual, names, reverse)

    def by_name(self, name: str) -> ModelFact | None:
        if name in self.models:
            return self.models[name]
        found = self.names.get(name.rsplit(".", 1)[-1], ())
        return found[0] if len(found) == 1 else None

    def model_of(self, query: Query) -> ModelFact | None:
        if query.model.startswith("related:"):
            return self._related_target(query.model.split(":", 1)[1])
        return self.by_name(query.model) if query.model != "self" else None

    def _related_target(self, attr: str) -> ModelFact | None:
        """Rows of `x.<attr>.all()`: the target of the one relation with that name, if unique."""
        found: set[str] = set()
        for model in self.models.values():
            for field in model.fields:
                target = _resolve(field.target, model, self.names) if field.name == attr else None
                if target is not None and field.kind in ("m2m", "rel"):
                    found.add(target.qualname)
        found |= {source for names in self.reverse.values() for name, (_k, source) in names.items() if name == attr}
        return self.models[found.pop()] if len(found) == 1 else None

    def field(self, model: ModelFact, name: str, depth: int = 0) -> ModelField | None:
        found = model.field(name)
        if found is not None or depth > 4:
            return found
        for base in model.bases:
            parent = self.by_name(base)
            if parent is not None and parent is not model:
                found = self.field(parent, name, depth + 1)
                if found is not None:
                    return found
        return None


def relation_kind(relations: Relations, model: ModelFact | None, attr: str, orm: str) -> str | None:
    """fk | o2o | m2m | reverse | rel | manager (unknown model, Django) | None (not a lazy relation)."""
    if model is None:
        return "manager" if orm == "django" else None
    field = relations.field(model, attr)
    if field is not None:
        if field.kind == "rel":
            return None if field.lazy in _EAGER else "rel"
        return field.kind if field.kind in ("fk", "o2o", "m2m") else None
    reverse = relations.reverse.get(model.qualname, {}).get(attr)
    return reverse[0] if reverse else None


def _resolve(target: str, owner: ModelFact, names: Mapping[str, tuple[ModelFact, ...]]) -> ModelFact | None:
    if target in ("self", ""):
        return owner if target == "self" else None
    found = names.get(target.rsplit(".", 1)[-1], ())
    if len(found) == 1:
        return found[0]
    same_module = [m for m in found if m.path == owner.path]
    return same_module[0] if len(same_module) == 1 else None
