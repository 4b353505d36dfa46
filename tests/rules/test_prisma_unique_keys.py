"""Unique keys a Prisma schema declares (rules/javascript/_prisma_schema.unique_keys)."""
from __future__ import annotations

from servicelens.rules.javascript._prisma_schema import unique_keys

SCHEMA = """
model Member {
  id        Int     @id @default(autoincrement())
  login     String  @unique @db.VarChar(64)
  nickname  String  // @unique in an older revision
  teamId    Int
  seat      Int
  orgId     Int
  code      String
  @@unique([teamId, seat])
  @@id(fields: [orgId, code])
  @@index([nickname])
}
"""


def test_field_and_block_keys_are_read() -> None:
    assert sorted((model, sorted(fields)) for model, fields in unique_keys(SCHEMA)) == [
        ("Member", ["code", "orgId"]), ("Member", ["id"]), ("Member", ["login"]), ("Member", ["seat", "teamId"])]


def test_a_commented_attribute_and_an_index_are_not_keys() -> None:
    keys = {fields for _, fields in unique_keys(SCHEMA)}
    assert frozenset({"nickname"}) not in keys
