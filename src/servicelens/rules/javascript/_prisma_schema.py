"""The credential and unique columns a Prisma schema declares (`schema.prisma`), for the rules
that ask which models store a credential or which filter returns one row. A Prisma project declares its columns there, not in JS/TS: the code only reads
and writes them through the generated client (`prisma.user.findMany()`), so a model whose
password hash is written by a seed script or another service is known only from the schema.

    model User {
      passwordHash String                  -> (user, passwordHash): a stored credential
      mfaSecret    String? @ignore         -> hidden: the generated client never reads it
      memberships  Membership[]            -> a relation, not a column
      email        String  @unique         -> {email}: a filter on it returns at most one row
      @@unique([orgId, slug])              -> {orgId, slug}: so does one pinning both
    }
"""
from __future__ import annotations

import re
from typing import Callable, Iterator

_MODEL = re.compile(r"(?ms)^\s*model\s+(\w+)\s*\{(.*?)^\s*\}")
_FIELD = re.compile(r"^\s*(\w+)\s+(\w+)(\[\])?\??\s*(.*)$")
# scalar types a credential is stored in; other types are enums, relations or composite types
_SCALARS = frozenset({"String", "Bytes", "Json"})


def credential_columns(text: str, is_secret: Callable[[str], bool]) -> Iterator[tuple[str, str, bool]]:
    """(model as written, field, hidden) for each scalar field whose name `is_secret` accepts;
    hidden when the field (`@ignore`) or its model (`@@ignore`) is left out of the client."""
    for model in _MODEL.finditer(_without_comments(text)):
        name, body = model.group(1), model.group(2)
        ignored = bool(re.search(r"(?m)^\s*@@ignore\b", body))
        for line in body.splitlines():
            field = _FIELD.match(line)
            if field is None or line.strip().startswith("@@"):
                continue
            column, kind, _, attributes = field.groups()
            if kind in _SCALARS and is_secret(column):
                yield name, column, ignored or bool(re.search(r"@ignore\b", attributes))


_UNIQUE_FIELD = re.compile(r"@(unique|id)\b")
_UNIQUE_BLOCK = re.compile(r"(?m)^\s*@@(?:unique|id)\s*\(\s*(?:fields\s*:\s*)?\[([^\]]*)\]")


def unique_keys(text: str) -> Iterator[tuple[str, frozenset[str]]]:
    """(model as written, fields) for each set of fields the schema makes unique: a field's own
    `@id` / `@unique`, and a model's `@@id([...])` / `@@unique([...])` over several."""
    for model in _MODEL.finditer(_without_comments(text)):
        name, body = model.group(1), model.group(2)
        for line in body.splitlines():
            field = _FIELD.match(line)
            if field is not None and not line.strip().startswith("@@") and _UNIQUE_FIELD.search(field.group(4)):
                yield name, frozenset({field.group(1)})
        for block in _UNIQUE_BLOCK.finditer(body):
            fields = frozenset(part.strip().split("(")[0] for part in block.group(1).split(",") if part.strip())
            if fields:
                yield name, fields


def _without_comments(text: str) -> str:
    return re.sub(r"//[^\n]*", "", text)
