"""Schema documents kept above the review root (sources/documents_above.py): a review of `src/`
still reads the project's `prisma/*.prisma`, unless the reviewed tree holds a schema itself."""
from __future__ import annotations

from pathlib import Path

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.sources.documents_above import documents_above

SCHEMA = """model Account {
  id    String @id
  email String @unique
  team  String
}
"""

ROUTES = """import express from 'express';
import { PrismaClient } from '@prisma/client';

const db = new PrismaClient();
export const router = express.Router();

router.get('/accounts/by-email/:email', async (req, res) => {
  res.json(await db.account.findMany({ where: { email: req.params.email } }));
});

router.get('/accounts/by-team/:team', async (req, res) => {
  res.json(await db.account.findMany({ where: { team: req.params.team } }));
});
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SCHEMA)
    (tmp_path / "package.json").write_text('{"name": "accounts", "dependencies": {"express": "4"}}')
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "routes.ts").write_text(ROUTES)
    return tmp_path / "src"


def test_the_schema_beside_the_reviewed_tree_is_read(tmp_path: Path) -> None:
    found = documents_above(_project(tmp_path), frozenset({"prisma"}), {})
    assert list(found) == ["(above the review root) prisma/schema.prisma"]
    assert "@unique" in found["(above the review root) prisma/schema.prisma"]


def test_a_schema_in_the_reviewed_tree_wins(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert documents_above(root, frozenset({"prisma"}), {"db/schema.prisma": SCHEMA}) == {}
    assert documents_above(root, frozenset({"openapi"}), {}) == {}


def test_a_review_of_src_knows_the_unique_column(tmp_path: Path) -> None:
    root = _project(tmp_path)
    report = review(root, Settings(select=frozenset({"unbounded-query"}), use_cache=False, profile="extended"))
    lines = sorted(f.location.start_line for f in report.findings if f.concern == "unbounded-query")
    assert lines == [12]  # the team's accounts; one account by its unique email is not a list
