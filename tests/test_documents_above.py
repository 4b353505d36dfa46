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


MIGRATION = """CREATE TABLE seats (id SERIAL PRIMARY KEY, show_id INTEGER NOT NULL, seat TEXT NOT NULL);
CREATE TABLE tickets (id SERIAL PRIMARY KEY, show_id INTEGER NOT NULL, seat TEXT NOT NULL,
  UNIQUE (show_id, seat));
"""

HOLDS = """import { Pool } from 'pg';

const pool = new Pool();

export async function hold(showId: number, seat: string) {
  const { rows } = await pool.query('SELECT id FROM seats WHERE show_id = $1 AND seat = $2', [showId, seat]);
  if (rows.length > 0) throw new Error('taken');
  await pool.query('INSERT INTO seats (show_id, seat) VALUES ($1, $2)', [showId, seat]);
}

export async function sell(showId: number, seat: string) {
  const { rows } = await pool.query('SELECT id FROM tickets WHERE show_id = $1 AND seat = $2', [showId, seat]);
  if (rows.length > 0) throw new Error('sold');
  await pool.query('INSERT INTO tickets (show_id, seat) VALUES ($1, $2)', [showId, seat]);
}
"""


def test_a_review_of_src_reads_the_sql_migrations_beside_it(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "001_init.sql").write_text(MIGRATION)
    (tmp_path / "package.json").write_text('{"name": "box-office", "dependencies": {"pg": "8"}}')
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "holds.ts").write_text(HOLDS)
    assert list(documents_above(tmp_path / "src", frozenset({"sql"}), {})) == [
        "(above the review root) migrations/001_init.sql"]
    report = review(tmp_path / "src", Settings(select=frozenset({"race-condition"}), use_cache=False,
                                               profile="extended"))
    # seats has no key over (show_id, seat); tickets has one
    assert sorted(f.location.start_line for f in report.findings if f.concern == "race-condition") == [6]
