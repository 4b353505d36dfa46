"""The project's classes and their bases, across modules, for questions asked of a class's
ancestry (does a base class give this view its auth?). Module names come from paths
(`src.shop.views`) while imports say `shop.views`, and packages re-export classes, so a
dotted name is resolved to a class key by its last name, then by suffix, then by package."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping

_MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class ClassHierarchy:
    bases: Mapping[str, tuple[str, ...]]  # class key -> its bases as written (dotted, project-wide)
    by_last: Mapping[str, tuple[str, ...]]  # last name -> class keys
    # each name's answer once asked: it depends only on the two tables above, and a project phase
    # asks it ~2.6 times per name (saleor: 28,690 asks of 11,090 names; a last name such as `Meta`
    # has thousands of candidates, each tested by suffix)
    _resolved: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, bases: Mapping[str, tuple[str, ...]], also: Iterable[str] = ()) -> "ClassHierarchy":
        """`also`: keys of classes known for another reason (they carry auth) whose bases may
        not have been recorded."""
        by_last: dict[str, list[str]] = {}
        for key in dict.fromkeys([*bases, *also]):
            by_last.setdefault(key.rsplit(".", 1)[-1], []).append(key)
        return cls(dict(bases), {name: tuple(keys) for name, keys in by_last.items()})

    def resolve(self, name: str) -> str | None:
        """The class key `name` stands for, or None when no class or several could be meant."""
        try:
            return self._resolved[name]
        except KeyError:
            found = self._resolved[name] = self._resolve(name)
            return found

    def _resolve(self, name: str) -> str | None:
        candidates = self.by_last.get(name.rsplit(".", 1)[-1], ())
        if name in candidates:
            return name
        same = [key for key in candidates if key.endswith("." + name) or name.endswith("." + key)]
        if len(same) == 1:
            return same[0]
        package = name.rsplit(".", 1)[0] + "."
        inside = [key for key in candidates if key.startswith(package)]  # re-exported by the package
        if len(inside) == 1:
            return inside[0]
        return candidates[0] if len(candidates) == 1 else None

    def ancestors(self, name: str) -> Iterator[tuple[str, int]]:
        """(class key, depth) of `name` itself (depth 0) and then its bases, depth first in the
        order they are written, each resolved; a base the review cannot resolve is skipped."""
        def walk(cls: str, depth: int, seen: frozenset[str]) -> Iterator[tuple[str, int]]:
            key = self.resolve(cls)
            if key is None or key in seen or depth > _MAX_DEPTH:
                return
            yield key, depth
            for base in self.bases.get(key, ()):
                yield from walk(base, depth + 1, seen | {key})
        yield from walk(name, 0, frozenset())
