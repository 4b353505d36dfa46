"""The JS/TS security shape matrix, one row per test: `tests/lang_javascript/fixtures/<concern>/matrix_*`
files whose `expect:`/`ok:` annotations follow a `// shape: name` tag on the same line. A row is one
way Express, NestJS, Fastify or Koa code (with Sequelize, Prisma, TypeORM, Mongoose, knex, pg,
jsonwebtoken, axios, fs ...) expresses the defect as the libraries document it (must fire), or its
correct counterpart (must stay silent).

test_js_fixtures.py checks these files as a whole; this test names the shape that breaks, so a
change to the shared JS/TS model or to a rule that loses one idiom says which.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from servicelens.api import review
from servicelens.config.settings import Settings
from tests.fixture_annotations import shape_params

FIXTURES = Path(__file__).parent / "fixtures"
_SUFFIXES = (".js", ".ts", ".mjs", ".cjs")
# `// shape: <name> // expect: <concern>`: the shape first, so the annotation still ends the line
_ROW = re.compile(r"//\s*shape:\s*([a-z0-9-]+)\s*//\s*(todo-expect|expect|ok):\s*([a-z0-9-]+)\s*$")


@dataclass(frozen=True)
class Row:
    concern: str
    case: Path  # the file or directory reviewed
    file: Path
    line: int
    must_fire: bool
    shape: str
    known_gap: bool  # `todo-expect`: the rule does not meet this row yet (an xfail that must not pass)


def _files(case: Path) -> list[Path]:
    return [case] if case.is_file() else sorted(p for p in case.rglob("*") if p.suffix in _SUFFIXES)


def _rows() -> list[Row]:
    rows = []
    for case in sorted(FIXTURES.glob("*/matrix_*")):
        concern = case.parent.name
        for file in _files(case):
            for number, text in enumerate(file.read_text("utf-8").splitlines(), start=1):
                match = _ROW.search(text)
                if match and match.group(3) == concern:
                    kind = match.group(2)
                    rows.append(Row(concern, case, file, number, kind.endswith("expect"), match.group(1),
                                    kind.startswith("todo-")))
    return rows


ROWS = _rows()


@functools.lru_cache(maxsize=None)
def _fired(concern: str, case: Path) -> frozenset[tuple[str, int]]:
    report = review(case, Settings(select=frozenset({concern}), use_cache=False, profile="extended"))
    return frozenset((Path(f.location.path).name, f.location.start_line)
                     for f in report.findings if f.concern == concern)


def test_every_matrix_has_both_kinds() -> None:
    for concern in {r.concern for r in ROWS}:
        kinds = {r.must_fire for r in ROWS if r.concern == concern}
        assert kinds == {True, False}, f"{concern}: a matrix needs must-fire and must-not rows"


def test_the_matrix_covers_the_security_families() -> None:
    families = {"broken-object-authorization", "mass-assignment", "nosql-injection", "sql-injection", "ssrf",
                "open-redirect", "path-traversal", "jwt-misuse", "hardcoded-secret", "xss"}
    assert families <= {r.concern for r in ROWS}


@pytest.mark.parametrize("row", shape_params(ROWS))
def test_shape(row: Row) -> None:
    fired = (row.file.name, row.line) in _fired(row.concern, row.case)
    verb = "must fire" if row.must_fire else "must stay silent"
    assert fired == row.must_fire, f"{row.file.name}:{row.line} {verb} ({row.shape})"
