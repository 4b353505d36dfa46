"""Which project-wide taint computations are running, so that only context-free answers are memoised.

The resolver answers recursive questions (what a function returns, which of its parameters reach a
sink, what a field holds) and cuts recursion at a cycle or at a depth limit. An answer computed
under such a cut depends on where the recursion started: memoising it makes every later question
see the answer of whichever computation happened to run first, so findings would depend on the
order of iteration (for example on string hashing). Here each running computation records the
lowest running computation its answer depended on (Tarjan's low-link); an answer is kept only
when it depended on nothing below itself. A cut at the depth limit depends on the whole stack.
"""
from __future__ import annotations

from typing import Hashable


class InProgress:
    """The stack of running computations, with each one's low-link."""

    __slots__ = ("_at", "_low")

    def __init__(self) -> None:
        self._at: dict[Hashable, int] = {}  # running computation -> its position on the stack
        self._low: list[int] = []  # per position: the lowest position its answer depended on

    def enter(self, key: Hashable) -> bool:
        """Start computing `key`; False (and the asker now depends on it) when it is already running."""
        at = self._at.get(key)
        if at is not None:
            self._depend_on(at)
            return False
        self._at[key] = len(self._low)
        self._low.append(len(self._low))
        return True

    def leave(self, key: Hashable) -> bool:
        """Finish `key`; True when its answer is context-free and may be memoised."""
        at = self._at.pop(key)
        low = self._low.pop()
        self._depend_on(low)
        return low >= at

    def cut_at_depth(self) -> None:
        """The asker gave up because the stack is too deep: every running answer is partial."""
        self._depend_on(-1)

    def _depend_on(self, position: int) -> None:
        if self._low and position < self._low[-1]:
            self._low[-1] = position
