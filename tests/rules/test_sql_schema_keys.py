"""Unique keys a project's SQL schema and migrations declare (analysis/sql_schema.py)."""
from __future__ import annotations

from servicelens.analysis.sql_schema import protects, read_sql, table_keys

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


def test_every_index_is_read_in_order_with_its_head_folded_or_not() -> None:
    indexes = {(i.table, i.columns, i.unique, i.folded) for i in read_sql(SCHEMA).indexes}
    assert ("slots", ("label",), False, False) in indexes  # a plain index: no key, but an index
    assert ("tags", ("owner_id", "name"), True, False) in indexes
    folded = read_sql("CREATE INDEX ix ON accounts USING btree ((lower(email)), created_at DESC)").indexes
    assert [(i.columns, i.folded) for i in folded] == [(("email", "created_at"), True)]
    assert read_sql("CREATE INDEX ix ON users (email varchar_pattern_ops)").indexes[0].columns == ("email",)


def test_python_migrations_read_the_head_columns_through_the_same_reader() -> None:
    from servicelens.rules.python.perf_migrations import sql_indexes

    sql = ('CREATE INDEX CONCURRENTLY IF NOT EXISTS order_status_idx ON "public"."shop_order" (status, placed_at);'
           " CREATE UNIQUE INDEX u ON customers (UPPER(email));"
           " ALTER TABLE ONLY invoices ADD CONSTRAINT invoices_ref UNIQUE (reference);"
           " CREATE TABLE tokens (id SERIAL PRIMARY KEY, digest TEXT UNIQUE, note TEXT DEFAULT 'unique')")
    assert set(sql_indexes(sql)) == {("table", "shop_order", "status"), ("table", "customers", "upper:email"),
                                     ("table", "invoices", "reference"), ("table", "tokens", "id"),
                                     ("table", "tokens", "digest")}
    assert not set(sql_indexes("CREATE INDEX ON"))  # no column list: nothing


def test_an_alter_without_a_semicolon_ends_at_the_next_statement() -> None:
    schema = read_sql("ALTER TABLE accounts ADD COLUMN nickname text\n"
                      "CREATE TABLE invites (id int, email text, UNIQUE (email))")
    assert [(i.table, i.columns) for i in schema.indexes] == [("invites", ("email",))]


def test_string_literals_open_no_parenthesis_and_start_no_comment() -> None:
    schema = read_sql("CREATE TABLE notes (id int, memo text DEFAULT '(', code text UNIQUE, "
                      "tag text DEFAULT 'a -- b', slug text UNIQUE); -- don't")
    assert [(i.table, i.columns) for i in schema.indexes] == [("notes", ("code",)), ("notes", ("slug",))]
