"""What SQL DDL declares about a project's tables: their indexes, unique keys and exclusion
constraints. One reader for every language: a `.sql` schema or migration (read for JavaScript's
race rule over raw drivers: would the database refuse a second row?) and the SQL text a Python
migration runs (`RunSQL("CREATE INDEX ...")`, `op.execute(...)`: read for missing-index: is the
column already indexed?).

    CREATE TABLE appointments (id SERIAL PRIMARY KEY, ...)   -> appointments (id), unique
      email TEXT NOT NULL UNIQUE                              -> (email), unique
      UNIQUE (practitioner_id, starts_at)                     -> (practitioner_id, starts_at), unique
      EXCLUDE USING gist (room WITH =, during WITH &&)        -> every check is protected
    CREATE [UNIQUE] INDEX ... ON appointments (lower(a), b)   -> (a, b); its head folded by lower()
    ALTER TABLE appointments ADD CONSTRAINT x UNIQUE (a, b)   -> (a, b), unique

Pure and regex-based: no SQL dialect is parsed in full; comments are dropped and string literals
never name a key (`DEFAULT 'unique'`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

_NAME = r'"?(?:\w+"?\.)?"?(\w+)"?'
_CREATE = re.compile(r"(?is)\bcreate\s+(?:unlogged\s+|temporary\s+|temp\s+)?table\s+(?:if\s+not\s+exists\s+)?"
                     + _NAME + r"\s*\(")
_INDEX = re.compile(r"(?is)\bcreate\s+(unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?"
                    r"(?:[\w\".]+\s+)?on\s+(?:only\s+)?" + _NAME + r"\s*(?:using\s+\w+\s*)?\(")
# an ALTER's change runs to its `;`, or to the next statement where a script leaves the `;` out
_ALTER = re.compile(r"(?is)\balter\s+table\s+(?:only\s+)?(?:if\s+exists\s+)?" + _NAME
                    + r"\s+([^;]*?)(?=;|\b(?:create|alter|drop)\s|\Z)")
_KEYS = re.compile(r"(?is)\b(?:primary\s+key|unique(?:\s+key|\s+index)?)\s*(?:\w+\s*)?\(([^)]*)\)")
_EXCLUDE = re.compile(r"(?is)\bexclude\b")
_COLUMN = re.compile(r'^\s*"?(\w+)"?\s+\w')
_INLINE_KEY = re.compile(r"(?is)\b(?:primary\s+key|unique)\b")
_NOT_COLUMNS = frozenset({"constraint", "primary", "unique", "foreign", "check", "exclude", "key", "index", "like"})
_FOLDS = frozenset({"upper", "lower"})
TABLE, INDEX, ALTER = "table", "index", "alter"  # where a key was declared


@dataclass(frozen=True, slots=True)
class Index:
    """An index or key over `columns` of `table` (lower case, in order; an expression names its
    column). `folded`: its first column is wrapped in `upper()`/`lower()`."""
    table: str
    columns: tuple[str, ...]
    unique: bool
    folded: bool = False
    declared: str = INDEX  # TABLE (inside CREATE TABLE), INDEX (CREATE INDEX) or ALTER (ALTER TABLE)


@dataclass(frozen=True, slots=True)
class Schema:
    """What one or more SQL texts declare."""
    created: frozenset[str] = frozenset()  # tables a CREATE TABLE declares
    indexes: tuple[Index, ...] = ()
    excludes: frozenset[str] = frozenset()  # tables with an exclusion constraint


@dataclass(frozen=True, slots=True)
class TableKeys:
    """The column sets a table holds at most one row for, and whether an exclusion constraint
    refuses overlapping rows (which no set of columns says)."""
    unique: tuple[frozenset[str], ...]
    excludes: bool = False


def read_sql(text: str) -> Schema:
    """Every table, index, key and exclusion constraint the SQL text declares."""
    text = _without_comments_and_strings(text)
    created: set[str] = set()
    excludes: set[str] = set()
    indexes: list[Index] = []
    for match in _CREATE.finditer(text):
        table = match.group(1).lower()
        created.add(table)
        for part in _top_level_parts(_balanced(text, match.end() - 1)):
            indexes.extend(Index(table, key, True, declared=TABLE) for key in _part_keys(part))
            if _EXCLUDE.match(part.strip()) or re.match(r"(?is)\s*constraint\s+\"?\w+\"?\s+exclude\b", part):
                excludes.add(table)
    for match in _INDEX.finditer(text):
        columns, folded = _index_columns(_balanced(text, match.end() - 1))
        if columns:
            indexes.append(Index(match.group(2).lower(), columns, bool(match.group(1)), folded))
    for match in _ALTER.finditer(text):
        table, change = match.group(1).lower(), match.group(2)
        for key in _KEYS.finditer(change):
            columns, folded = _index_columns(key.group(1))
            if columns:
                indexes.append(Index(table, columns, True, folded, ALTER))
        if re.search(r"(?is)\badd\s+(?:constraint\s+\"?\w+\"?\s+)?exclude\b", change):
            excludes.add(table)
    return Schema(frozenset(created), tuple(indexes), frozenset(excludes))


def project_schema(documents: Mapping[str, str]) -> Schema:
    """What every `.sql` document of the project declares, together."""
    schemas = [read_sql(text) for rel, text in sorted(documents.items()) if rel.lower().endswith(".sql")]
    return Schema(frozenset().union(*(s.created for s in schemas)),
                  tuple(index for s in schemas for index in s.indexes),
                  frozenset().union(*(s.excludes for s in schemas)))


def table_keys(documents: Mapping[str, str]) -> dict[str, TableKeys]:
    """{table (lower case): its unique keys} over every SQL document. A table is known once a
    `CREATE TABLE` or a `CREATE UNIQUE INDEX` names it; an `ALTER TABLE` adds keys only to a table
    some `CREATE TABLE` declares (of any other, nothing is known)."""
    schema = project_schema(documents)
    unique: dict[str, set[frozenset[str]]] = {table: set() for table in schema.created}
    for index in schema.indexes:
        if index.unique and (index.declared != ALTER or index.table in schema.created):
            unique.setdefault(index.table, set()).add(frozenset(index.columns))
    excludes = schema.excludes & unique.keys()
    return {table: TableKeys(tuple(sorted(keys, key=sorted)), table in excludes) for table, keys in unique.items()}


def protects(keys: TableKeys, columns: Iterable[str]) -> bool:
    """A second row matching the same values of `columns` would be refused: a unique set inside
    them (their values fix the set's), or an exclusion constraint."""
    wanted = {c.lower() for c in columns}
    return keys.excludes or any(key <= wanted for key in keys.unique)


def _part_keys(part: str) -> Iterable[tuple[str, ...]]:
    """`UNIQUE (a, b)`, `PRIMARY KEY (id)`, `CONSTRAINT x UNIQUE (a)`, or a column declared
    `... UNIQUE` / `... PRIMARY KEY` inline."""
    stripped = part.strip()
    table_level = re.match(r"(?is)(?:constraint\s+\"?\w+\"?\s+)?(?:primary\s+key|unique)\b", stripped)
    if table_level:
        found = _KEYS.search(stripped)
        if found and (columns := _index_columns(found.group(1))[0]):
            yield columns
        return
    column = _COLUMN.match(stripped)
    if column and column.group(1).lower() not in _NOT_COLUMNS and _INLINE_KEY.search(_without_strings(stripped)):
        yield (column.group(1).lower(),)


def _index_columns(listed: str) -> tuple[tuple[str, ...], bool]:
    """`owner_id, lower(name) DESC` -> the columns in order, and whether the first is folded by
    `upper()`/`lower()`. An expression names the first column inside it; an operator class or an
    order (`email varchar_pattern_ops`, `created_at DESC`) is no column."""
    found: list[str] = []
    folded = False
    for position, item in enumerate(_top_level_parts(_without_strings(listed))):
        call = re.match(r"\s*\(*\s*(\w+)\s*\(", item)
        name = re.search(r'"?([A-Za-z_]\w*)', item[call.end():]) if call else re.match(r'\s*\(*\s*"?(\w+)', item)
        if name is None:
            continue
        if position == 0 and call is not None and call.group(1).lower() in _FOLDS:
            folded = True
        if name.group(1).lower() not in found:
            found.append(name.group(1).lower())
    return tuple(found), folded


def _balanced(text: str, start: int) -> str:
    """The text inside the parenthesis opening at `start`."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1:index]
    return text[start + 1:]


def _top_level_parts(body: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in body:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


# one left-to-right scan: a `--` inside a string is no comment, an apostrophe inside a comment opens no string
_STRING_OR_COMMENT = re.compile(r"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/", re.S)


def _without_comments_and_strings(text: str) -> str:
    """The SQL with comments blanked and string literals emptied (`DEFAULT '('` opens no
    parenthesis, `DEFAULT 'x -- y'` starts no comment)."""
    return _STRING_OR_COMMENT.sub(lambda m: "''" if m.group(0).startswith("'") else " ", text)


def _without_strings(text: str) -> str:
    return re.sub(r"'[^']*'", "''", text)
