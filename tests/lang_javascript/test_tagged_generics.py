"""A tagged template with type arguments (`prisma.$queryRaw<Row[]>`...``) parses as the tagged
template TypeScript reads, so the file it is in is analysed whole."""
from __future__ import annotations

from pathlib import Path

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.lang.javascript.tagged_generics import blank_tagged_type_arguments
from servicelens.sources.parsing import ParserPool

SOURCE = """\
import { PrismaClient } from '@prisma/client';
import express from 'express';

type Row = { id: string; total: number };
const prisma = new PrismaClient();
export const app = express();

app.get('/totals', async (req, res) => {
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT id, total FROM orders WHERE status = ${req.query.status}
  `;
  const more = await prisma.$queryRawUnsafe(`SELECT * FROM orders WHERE id = '${req.query.id}'`);
  res.json({ rows, more });
});
"""


def test_type_arguments_of_a_tag_are_blanked_in_place() -> None:
    pool = ParserPool()
    data = SOURCE.encode()
    tree = pool.parse("typescript", data)
    assert tree.root_node.has_error
    blanked = blank_tagged_type_arguments(tree.root_node, data)
    assert blanked is not None and len(blanked) == len(data)
    assert b"prisma.$queryRaw       `" in blanked and blanked.count(b"\n") == data.count(b"\n")
    assert not pool.parse("typescript", blanked).root_node.has_error


def test_clean_source_is_left_alone() -> None:
    data = b"const a = f<T>(x);\nconst b = tag`x`;\n"
    tree = ParserPool().parse("typescript", data)
    assert blank_tagged_type_arguments(tree.root_node, data) is None


def test_the_file_is_analysed_without_a_parse_error(tmp_path: Path) -> None:
    facts = analyze_javascript("app.ts", SOURCE, ParserPool())
    assert not [d for d in facts.diagnostics if d.kind == "parse-error"]
    (tmp_path / "app.ts").write_text(SOURCE)
    (tmp_path / "package.json").write_text('{"dependencies": {"express": "4", "@prisma/client": "5"}}')
    report = review(tmp_path, Settings(select=frozenset({"sql-injection"}), use_cache=False, profile="extended"))
    # the tagged template binds its values; the Unsafe call after it, in the same handler, pastes them
    assert sorted(f.location.start_line for f in report.findings) == [12]
