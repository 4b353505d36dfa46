"""The credential columns a Prisma schema declares (`schema.prisma`), for the rules that ask which
models store one. A Prisma project declares its columns there, not in JS/TS: the code only reads
and writes them through the generated client (`prisma.user.findMany()`), so a model whose
password hash is written by a seed script or another service is known only from the schema.

    model User {
      passwordHash String                  -> (user, passwordHash): a stored credential
      mfaSecret    String? @ignore         -> hidden: the generated client never reads it
      memberships  Membership[]            -> a relation, not a column
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


def _without_comments(text: str) -> str:
    return re.sub(r"//[^\n]*", "", text)
