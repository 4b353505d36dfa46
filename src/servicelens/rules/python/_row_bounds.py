"""How many rows a query can return, once its model's definition is known.

A query pinned to a unique column returns at most one row (`filter(slug=s)` on a `unique=True`
slug); one matched against keys written in the code (`name__in=Setting.NAMES` on a unique
`name`) at most that many. A filter comparing a foreign key with one value (`filter(user=u)`,
`Token.user_id == uid`, a related manager `project.members`) lists one parent row's children:
bounded by what one parent holds, the way one user's tokens or one project's members are. Those
children listed in an order (`order_by(...)`) are presented as a sequence to scroll, the parent's
history (an account's entries, a property's bookings), which grows with every day of use and
stays unbounded. A join through an association compared with one parent
(`select(Workspace).join(Membership).where(Membership.user_id == uid)`) lists one parent's rows
the way a many-to-many relation does. A range closed at both ends (`day__range=(first, last)`) holds one period.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from servicelens.rules.python.perf_models import ModelFact, ModelField
from servicelens.rules.python.perf_orm import Query


@dataclass(frozen=True, slots=True)
class ModelIndex:
    """The project's models by qualified name and by class name (a name two models share is
    not resolved by class name)."""

    by_qualname: dict[str, ModelFact]
    by_name: dict[str, ModelFact]

    @classmethod
    def of(cls, models: Iterable[ModelFact],
           derived: Iterable[tuple[str, str, tuple[str, ...]]] = ()) -> "ModelIndex":
        """`derived`: classes declaring no field of their own (qualified name, class name, bases),
        each standing for the model it derives from (a proxy model, a subclass adding methods)."""
        qualified: dict[str, ModelFact] = {}
        named: dict[str, list[ModelFact]] = {}
        for model in models:
            qualified[model.qualname] = model
            named.setdefault(model.name, []).append(model)
        index = cls(qualified, {name: found[0] for name, found in named.items() if len(found) == 1})
        for qualname, name, bases in derived:
            base = next((found for b in bases if (found := index.model(b)) is not None), None)
            if base is not None:
                qualified.setdefault(qualname, base)
                named.setdefault(name, []).append(base)
        return cls(qualified, {name: found[0] for name, found in named.items() if len(found) == 1})

    def model(self, name: str) -> ModelFact | None:
        return self.by_qualname.get(name) or self.by_name.get(name.rsplit(".", 1)[-1])

    def bounds(self, query: Query) -> bool:
        """Does the query's filter bound its rows (see the module docstring)?"""
        shape = query.shape
        if shape.ranged:
            return True
        if query.model.startswith("related:"):
            return not shape.ordered  # one parent's children, through its related manager
        model = self.model(query.model)
        if model is None:
            return False
        own = {e.rpartition(".")[2] for e in shape.equal if "." not in e or self.model(e.rpartition(".")[0]) is model}
        fields = self.fields(model)
        unique = {f.name for f in fields if f.unique} | {"id", "pk"}
        if unique & (own | set(shape.keys_in)):
            return True
        if shape.ordered:
            return False
        return bool(_parents(fields) & own) or any(self._joined_parent(e, model) for e in shape.equal if "." in e)

    def fields(self, model: ModelFact) -> list[ModelField]:
        """The model's fields and those of the models it derives from (an abstract base, the
        concrete model a proxy stands for), nearest first."""
        out: list[ModelField] = []
        pending, seen = [model], set()
        while pending and len(seen) < 8:
            current = pending.pop(0)
            if current.qualname in seen:
                continue
            seen.add(current.qualname)
            out.extend(current.fields)
            pending.extend(base for name in current.bases if (base := self.model(name)) is not None)
        return out

    def _joined_parent(self, column: str, model: ModelFact) -> bool:
        """`Member.user_id == uid` in a query of `Workspace` joined through `Member`: the rows
        associated with one parent (one user's workspaces), as a many-to-many relation lists them."""
        name, _, field = column.rpartition(".")
        joined = self.model(name)
        return joined is not None and joined is not model and field in _parents(self.fields(joined))


def _parents(fields: list[ModelField]) -> set[str]:
    """Columns referencing one row of another table: foreign keys, one-to-ones."""
    return {f.name.removesuffix("_id") if f.references else f.name for f in fields
            if f.kind in ("fk", "o2o") or f.references}
