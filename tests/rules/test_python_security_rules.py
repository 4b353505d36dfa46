"""Annotated fixtures for the Python security rules (tests/fixtures/<concern>/*.py).

`# expect: <concern>` trailing code: a finding of that concern starts on this line; standing
alone: on the next code line. `# ok: <concern>` documents a near miss that must stay silent
(as every unannotated line must). Every rule in servicelens.rules.python runs, and only the
findings of the fixture directory's concern are compared, so a rule that fires for the wrong
concern shows up too. The fixture file name (not its path) is the module path the rules see,
so fixtures are never mistaken for test code.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from servicelens.analysis.python_file import analyze_python
from servicelens.analysis.revisit import Revisits
from servicelens.config.settings import Settings
from servicelens.model.finding import Finding
from servicelens.model.concerns import load_taxonomy
from servicelens.rules.base import Rule, discover_rules
from servicelens.rules.python.broken_function_authorization import ROLES_PENDING_RULE
from servicelens.sources.parsing import ParserPool
from servicelens.taint.models import ModelIndex, load_models

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CONCERNS = (
    "hardcoded-secret", "jwt-misuse", "weak-password-hash", "timing-unsafe-comparison",
    "tls-verification-disabled", "debug-enabled", "permissive-cors", "error-details-exposed",
    "sensitive-data-logged", "insecure-cookie", "weak-hash", "account-enumeration", "weak-cipher",
    "broken-function-authorization", "csrf",
)
_ANNOTATION = re.compile(r"#\s*(expect|ok):\s*([a-z0-9, -]+?)\s*$")


@lru_cache(maxsize=1)
def _engine() -> tuple[tuple[Rule, ...], ParserPool, ModelIndex]:
    return discover_rules("servicelens.rules.python"), ParserPool(), load_models()


def _fixtures() -> list[Path]:
    return [p for concern in CONCERNS for p in sorted((FIXTURES / concern).glob("*.py"))]


def annotations(text: str, kind: str, concern: str) -> set[int]:
    lines = text.splitlines()
    out: set[int] = set()
    for index, line in enumerate(lines):
        match = _ANNOTATION.search(line)
        if not match or match.group(1) != kind or concern not in {c.strip() for c in match.group(2).split(",")}:
            continue
        if not line.lstrip().startswith("#"):
            out.add(index + 1)
            continue
        out.update(next(([later + 1] for later in range(index + 1, len(lines))
                         if lines[later].strip() and not lines[later].strip().startswith("#")), []))
    return out


def reported_lines(path: Path, concern: str) -> set[int]:
    rules, parsers, models = _engine()
    facts = analyze_python(path.name, path.read_text("utf-8"), parsers, models, frozenset(), file_rules=rules)
    # a decision route pending the project's roles is decided once the project is read (analysis/project.py);
    # a one-file project with no role guard in it has none
    found = {f.location.start_line for f in facts.findings if f.concern == concern and f.rule != ROLES_PENDING_RULE}
    # a cross-file rule answers once the project is read: here the project is this one file
    by_rule = dict(facts.collected)
    revisits = Revisits.of([(path.name, path.read_text("utf-8"))])
    for rule in rules:
        if rule.combine is not None and concern in rule.concerns and rule.id in by_rule:
            ask = () if rule.revisit is None else (revisits.asker(rule),)
            found |= {f.location.start_line for f in rule.combine({path.name: by_rule[rule.id]}, Settings(), *ask)
                      if isinstance(f, Finding) and f.concern == concern}
    return found


def test_every_concern_has_a_rule_and_fixtures() -> None:
    rules, _, _ = _engine()
    covered = {c for rule in rules for c in rule.concerns}
    for concern in CONCERNS:
        assert concern in covered, f"no rule reports {concern}"
        files = sorted((FIXTURES / concern).glob("*.py"))
        texts = [p.read_text("utf-8") for p in files]
        assert any(annotations(t, "expect", concern) for t in texts), f"{concern}: no expect annotation"
        assert any(annotations(t, "ok", concern) for t in texts), f"{concern}: no ok annotation"


def test_annotations_name_known_concerns() -> None:
    taxonomy = load_taxonomy()
    for path in _fixtures():
        for line in path.read_text("utf-8").splitlines():
            match = _ANNOTATION.search(line)
            if match:
                for concern in (c.strip() for c in match.group(2).split(",")):
                    assert concern in taxonomy, f"{path}: unknown concern {concern!r}"


@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(fixture: Path) -> None:
    concern = fixture.parent.name
    text = fixture.read_text("utf-8")
    expected = annotations(text, "expect", concern)
    got = reported_lines(fixture, concern)
    assert not (annotations(text, "ok", concern) & expected), "a line is both expect and ok"
    missed, unexpected = sorted(expected - got), sorted(got - expected)
    assert not missed and not unexpected, f"{fixture}: missed lines {missed}, unexpected lines {unexpected}"


def test_rule_docs_have_the_sections() -> None:
    rules, _, _ = _engine()
    for rule in (r for r in rules if r.concerns & set(CONCERNS)):
        positions = [rule.doc.find(h) for h in ("## What it finds", "## Why it matters", "## Example", "## Fix",
                                                "## Known problems")]
        assert all(p >= 0 for p in positions) and positions == sorted(positions), f"{rule.id}: doc sections"
