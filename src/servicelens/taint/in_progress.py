"""Which project-wide taint computations are running, so that only answers that hold wherever they
are asked are memoised.

The resolver answers recursive questions (what a function returns, which of its parameters reach a
sink, what a field holds) and cuts recursion at a cycle or at a depth limit. An answer computed
under such a cut depends on where the recursion started: memoising it for every asker made later
questions see the answer of whichever computation happened to run first, so findings depended on
the order of iteration (for example on string hashing). Here each running computation records the
lowest running computation its answer depended on (Tarjan's low-link) and whether the depth limit
cut anything under it:
- FREE: it depended on nothing running and nothing was cut: memoise it for every asker;
- AT_DEPTH: only the depth limit cut it: it is the answer for any asker at the same depth;
- NOT: it needed a computation still running (a cycle closed above it): do not memoise.
"""
from __future__ import annotations

from typing import Hashable, Literal

Scope = Literal["free", "at-depth", "not"]
FREE: Scope = "free"
AT_DEPTH: Scope = "at-depth"
NOT: Scope = "not"


class InProgress:
    """The stack of running computations, with each one's low-link and depth-cut mark."""

    __slots__ = ("_at", "_low", "_cut")

    def __init__(self) -> None:
        self._at: dict[Hashable, int] = {}  # running computation -> its position on the stack
        self._low: list[int] = []  # per position: the lowest position its answer depended on
        self._cut: list[bool] = []  # per position: the depth limit cut something under it

    def enter(self, key: Hashable) -> bool:
        """Start computing `key`; False (and the asker now depends on it) when it is already running."""
        at = self._at.get(key)
        if at is not None:
            if self._low and at < self._low[-1]:
                self._low[-1] = at
            return False
        self._at[key] = len(self._low)
        self._low.append(len(self._low))
        self._cut.append(False)
        return True

    def leave(self, key: Hashable) -> Scope:
        """Finish `key`, saying for whom its answer holds."""
        at = self._at.pop(key)
        low = self._low.pop()
        cut = self._cut.pop()
        if self._low:
            if low < self._low[-1]:
                self._low[-1] = low
            if cut:
                self._cut[-1] = True
        if low < at:
            return NOT
        return AT_DEPTH if cut else FREE

    def cut_at_depth(self) -> None:
        """The asker gave up because the recursion is too deep: what it answers depends on the depth."""
        if self._cut:
            self._cut[-1] = True
