"""Unique keys a project's SQL schema and migrations declare (rules/javascript/_sql_schema)."""
from __future__ import annotations

from servicelens.rules.javascript._sql_schema import protects, table_keys

SCHEMA = """
CREATE TABLE IF NOT EXISTS public."slots" (
  id            BIGSERIAL PRIMARY KEY,
  clinician_id  INTEGER NOT NULL,
  starts_at     TIMESTAMPTZ NOT NULL,
  label         TEXT DEFAULT 'unique', -- a UNIQUE word in a default or a comment is no key
  CONSTRAINT slots_once UNIQUE (clinician_id, starts_at)
);
CREATE INDEX slots_label_idx ON slots (label);
CREATE TABLE stays (
  room_id  INTEGER NOT NULL,
  during   TSTZRANGE NOT NULL,
  EXCLUDE USING gist (room_id WITH =, during WITH &&)
);
CREATE TABLE tags (name TEXT NOT NULL, owner_id INTEGER NOT NULL);
CREATE UNIQUE INDEX CONCURRENTLY tags_owner_name ON tags USING btree (owner_id, lower(name));
ALTER TABLE ONLY tags ADD CONSTRAINT tags_pk PRIMARY KEY (owner_id, name);
"""


def test_inline_table_level_index_and_altered_keys_are_read() -> None:
    keys = table_keys({"migrations/001.sql": SCHEMA})
    assert sorted(sorted(k) for k in keys["slots"].unique) == [["clinician_id", "starts_at"], ["id"]]
    assert sorted(sorted(k) for k in keys["tags"].unique) == [["name", "owner_id"]]
    assert keys["stays"].excludes and not keys["slots"].excludes


def test_a_key_inside_the_checked_columns_protects_and_a_wider_one_does_not() -> None:
    keys = table_keys({"schema.sql": SCHEMA})
    assert protects(keys["slots"], ["clinician_id", "starts_at", "status"])
    assert not protects(keys["slots"], ["clinician_id"])
    assert not protects(keys["slots"], ["label"])
    assert protects(keys["stays"], ["room_id"])


def test_only_sql_documents_and_declared_tables_count() -> None:
    assert table_keys({"schema.prisma": SCHEMA}) == {}
    assert "other" not in table_keys({"a.sql": SCHEMA})
