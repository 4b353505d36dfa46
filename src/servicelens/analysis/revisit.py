"""The second, demand-driven per-file pass.

Some facts a cross-file rule needs are costly per function and decide something only for the
few functions its project-wide join selects: the role checks of the functions on a chain from a
handler to an admin-only action (on saleor, 48 of ~7,000 functions are even candidates). The
first pass cannot know which functions those are, so such a rule collects only the cheap facts
the join reads (who calls whom) and, in `combine`, asks for the rest by function
(`Rule.revisit`). The files asked about are parsed and lowered again, exactly as in the first
pass (`python_file.lower_python`), and dropped when the rule has its answers.

Lowering a few files again costs less than keeping every file's IR from the first pass: the IR
of a whole tree is several times the facts the workers send back, and it would have to cross
the process boundary too.
"""
from __future__ import annotations

import sys
from typing import Iterable, Mapping

from servicelens.analysis.python_file import LoweredPython, lower_python
from servicelens.names import NameTable
from servicelens.rules.base import Ask, Rule
from servicelens.sources.parsing import ParserPool
from servicelens.taint.models import load_models


class Revisits:
    """One review's second pass: the Python sources' texts and what the first pass lowered them
    with."""

    def __init__(self, texts: Mapping[str, str], extra_model_dirs: tuple[str, ...] = (),
                 operation_ids: frozenset[str] = frozenset()) -> None:
        self._texts = texts
        self._extra_model_dirs = extra_model_dirs
        self._operation_ids = operation_ids
        self._parsers: ParserPool | None = None
        self._names = NameTable()

    @classmethod
    def of(cls, sources: Iterable[tuple[str, str]], extra_model_dirs: tuple[str, ...] = (),
           operation_ids: frozenset[str] = frozenset()) -> "Revisits":
        """From (relative path, text) pairs: the Python files of the review."""
        return cls(dict(sources), extra_model_dirs, operation_ids)

    def asker(self, rule: Rule) -> Ask:
        """What `rule.combine` calls to have `rule.revisit` answer for some functions."""
        def ask(wanted: Mapping[str, frozenset[str]]) -> dict[str, object]:
            assert rule.revisit is not None
            answers: dict[str, object] = {}
            for rel, qualnames in wanted.items():
                lowered = self._lower(rel) if qualnames else None
                if lowered is not None:
                    answers[rel] = rule.revisit(lowered.module, lowered.scope, frozenset(qualnames))
            return answers
        return ask

    def _lower(self, rel: str) -> LoweredPython | None:
        text = self._texts.get(rel)
        if text is None:
            return None
        if self._parsers is None:
            self._parsers = ParserPool()
            # as in the first pass (runner.analyze_batch): generated code nests deeply
            sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
        return lower_python(rel, text, tuple(text.splitlines()), self._parsers,
                            load_models("python", self._extra_model_dirs), self._operation_ids, self._names)
