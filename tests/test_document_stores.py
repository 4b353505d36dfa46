"""A MongoDB query exists only where the project has MongoDB: a receiver guessed a collection by
its name (`User.findOne(filter)`) is a sink in a project that names a driver, an ODM or a
`mongodb://` address, and an ORM's lookup in one that names none (taint.document_stores)."""
from __future__ import annotations

from pathlib import Path

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.taint.document_stores import ABSENT, document_store_entries
from servicelens.taint.models import load_models

PACKAGES = ("mongodb", "mongoose")

HANDLER = """\
const express = require('express');
const { User } = require('./models');

const app = express();
app.use(express.json());

app.post('/login', async (req, res) => {
  const user = await User.findOne({ email: req.body.email });
  res.json({ found: Boolean(user) });
});

app.post('/search', async (req, res) => {
  res.json(await User.find(req.body.filter));
});

module.exports = app;
"""

SEQUELIZE_MODELS = """\
const { Sequelize, DataTypes } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL);
const User = sequelize.define('User', { email: DataTypes.STRING });

module.exports = { User };
"""

MONGOOSE_MODELS = """\
const mongoose = require('mongoose');

const User = mongoose.model('User', new mongoose.Schema({ email: String }));

module.exports = { User };
"""

CONFIG_WITH_ADDRESS = """\
module.exports = { url: process.env.DB_URL || 'mongodb://localhost:27017/app' };
"""


def _nosql_lines(root: Path) -> set[tuple[str, int]]:
    report = review(root, Settings(select=frozenset({"nosql-injection"}), use_cache=False, profile="extended"))
    return {(f.location.path, f.location.start_line) for f in report.findings if f.concern == "nosql-injection"}


def _project(root: Path, models: str, extra: dict[str, str] | None = None) -> Path:
    (root / "app.js").write_text(HANDLER)
    (root / "models.js").write_text(models)
    for name, text in (extra or {}).items():
        (root / name).write_text(text)
    return root


def test_guessed_collection_fires_where_the_project_uses_mongoose(tmp_path: Path) -> None:
    assert _nosql_lines(_project(tmp_path, MONGOOSE_MODELS)) == {("app.js", 8), ("app.js", 13)}


def test_guessed_collection_is_an_orm_lookup_where_no_document_store_is_named(tmp_path: Path) -> None:
    assert _nosql_lines(_project(tmp_path, SEQUELIZE_MODELS)) == set()


def test_a_dependency_or_an_address_names_the_store(tmp_path: Path) -> None:
    manifest = tmp_path / "by_manifest"
    manifest.mkdir()
    _project(manifest, SEQUELIZE_MODELS, {"package.json": '{"dependencies": {"mongodb": "^6.0.0"}}'})
    address = tmp_path / "by_address"
    address.mkdir()
    _project(address, SEQUELIZE_MODELS, {"config.js": CONFIG_WITH_ADDRESS})
    assert _nosql_lines(manifest) == {("app.js", 8), ("app.js", 13)}
    assert _nosql_lines(address) == {("app.js", 8), ("app.js", 13)}


def test_a_tagged_collection_is_one_in_any_project(tmp_path: Path) -> None:
    (tmp_path / "app.js").write_text("""\
const express = require('express');
const { db } = require('./connection');

const app = express();
app.use(express.json());

app.post('/search', async (req, res) => {
  res.json(await db.collection('users').find(req.body.filter).toArray());
});
""")
    (tmp_path / "connection.js").write_text("module.exports = { db: globalThis.database };\n")
    assert _nosql_lines(tmp_path) == {("app.js", 8)}


def test_a_snippet_naming_no_data_layer_keeps_the_guess(tmp_path: Path) -> None:
    # an agent's review of one handler: nothing says which data layer `User` belongs to
    (tmp_path / "app.js").write_text(HANDLER)
    assert _nosql_lines(tmp_path) == {("app.js", 8), ("app.js", 13)}


def test_a_manifest_naming_no_document_store_says_there_is_none(tmp_path: Path) -> None:
    (tmp_path / "app.js").write_text(HANDLER)
    (tmp_path / "package.json").write_text('{"dependencies": {"express": "^4.19.0"}}')
    assert _nosql_lines(tmp_path) == set()


RELATIONAL = ("sequelize", "pg")


def test_entries() -> None:
    def entries(*texts: str, stores: tuple[str, ...] = PACKAGES) -> frozenset[str]:
        return document_store_entries([(f"src/m{i}.js", text) for i, text in enumerate(texts)], stores, RELATIONAL)

    assert entries("const { Op } = require('sequelize')") == {ABSENT}
    assert entries("import { MongoClient } from \"mongodb\"", "const { Op } = require('sequelize')") == frozenset()
    assert entries("type: 'mongodb',") == frozenset()
    # an embedded database speaking MongoDB's query language is one (models/javascript/libraries.yaml)
    models = load_models("javascript")
    assert document_store_entries([("src/db.js", "const MarsDB = require('marsdb')"), ("src/m.js", "require('pg')")],
                                  models.document_stores, models.relational_stores) == frozenset()
    assert entries("const dsn = 'mongodb+srv://cluster0/app'") == frozenset()
    # a package whose name only starts like one is not the store; nor does it say what is used
    assert entries("require('mongodb-memory-server')", "import { Pool } from 'pg'") == {ABSENT}
    assert entries("require('mongodb-memory-server')") == frozenset()
    # a manifest says what the project uses
    assert document_store_entries([("package.json", '{"dependencies": {"express": "4"}}')], PACKAGES) == {ABSENT}
    # nothing read, or nothing said: nothing concluded
    assert document_store_entries([], PACKAGES, RELATIONAL) == frozenset()
    assert entries("const user = await User.findOne(req.body)") == frozenset()
    assert entries("require('mongoose')", stores=()) == frozenset()
