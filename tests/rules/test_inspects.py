"""Dispatch by node kind (rules.base.Inspects) never changes what a rule says: every Python file
under tests/fixtures, tests/projects and examples/ is analysed with every rule as declared and
again with each `Inspects` entry point replaced by the function it wraps; findings and
collected facts must be the same. A rule that declared a kind it does not need in order to
report would fail here on a fixture without that kind."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pytest

from servicelens.analysis.python_file import analyze_python
from servicelens.rules.base import Inspects, Rule, discover_rules
from servicelens.sources.parsing import ParserPool
from servicelens.taint.models import ModelIndex, load_models

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p for top in ("tests/fixtures", "tests/projects", "examples") for p in (ROOT / top).rglob("*.py"))


def _undispatched(rule: Rule) -> Rule:
    check = rule.check.run if isinstance(rule.check, Inspects) else rule.check
    collect = rule.collect.run if isinstance(rule.collect, Inspects) else rule.collect
    return replace(rule, check=check, collect=collect)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def _engine() -> tuple[tuple[Rule, ...], tuple[Rule, ...], ParserPool, ModelIndex]:
    rules = tuple(r for r in discover_rules("servicelens.rules.python")
                  if isinstance(r.check, Inspects) or isinstance(r.collect, Inspects))
    return rules, tuple(_undispatched(r) for r in rules), ParserPool(), load_models()


def test_some_rule_dispatches_by_kind() -> None:
    assert _engine()[0], "no rule declares the node kinds it inspects"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_dispatch_by_kind_changes_nothing(path: Path) -> None:
    declared, plain, parsers, models = _engine()
    text = path.read_text("utf-8", errors="surrogateescape")
    rel = path.name  # the file name, so fixtures are never taken for test code
    with_dispatch = analyze_python(rel, text, parsers, models, frozenset(), file_rules=declared)
    without = analyze_python(rel, text, parsers, models, frozenset(), file_rules=plain)
    assert with_dispatch.findings == without.findings
    assert with_dispatch.collected == without.collected
