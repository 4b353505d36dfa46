"""What a project's SQL schema and migrations (`.sql` files) say about its tables' uniqueness, for
the rules that ask whether the database would refuse a second row: code over a raw SQL driver
(`pg`, `mysql2`) relies on constraints declared only there.

    CREATE TABLE appointments (id SERIAL PRIMARY KEY, ...)   -> appointments: {id}
      email TEXT NOT NULL UNIQUE                              -> {email}
      UNIQUE (practitioner_id, starts_at)                     -> {practitioner_id, starts_at}
      EXCLUDE USING gist (room WITH =, during WITH &&)        -> every check is protected
    CREATE UNIQUE INDEX ... ON appointments (a, b)            -> {a, b}
    ALTER TABLE appointments ADD CONSTRAINT x UNIQUE (a, b)   -> {a, b}
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

_NAME = r'"?(?:\w+"?\.)?"?(\w+)"?'
_CREATE = re.compile(r"(?is)\bcreate\s+(?:unlogged\s+|temporary\s+|temp\s+)?table\s+(?:if\s+not\s+exists\s+)?"
                     + _NAME + r"\s*\(")
_UNIQUE_INDEX = re.compile(r"(?is)\bcreate\s+unique\s+index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?"
                           r"(?:\"?\w+\"?\s+)?on\s+(?:only\s+)?" + _NAME + r"(?:\s+using\s+\w+)?\s*\(([^;]*?)\)")
_ALTER = re.compile(r"(?is)\balter\s+table\s+(?:only\s+)?(?:if\s+exists\s+)?" + _NAME + r"\s+([^;]*)")
_KEYS = re.compile(r"(?is)\b(?:primary\s+key|unique(?:\s+key|\s+index)?)\s*(?:\w+\s*)?\(([^)]*)\)")
_EXCLUDE = re.compile(r"(?is)\bexclude\b")
_COLUMN = re.compile(r'^\s*"?(\w+)"?\s+\w')
_INLINE_KEY = re.compile(r"(?is)\b(?:primary\s+key|unique)\b")
_NOT_COLUMNS = frozenset({"constraint", "primary", "unique", "foreign", "check", "exclude", "key", "index", "like"})


@dataclass(frozen=True, slots=True)
class TableKeys:
    """The column sets a table holds at most one row for, and whether an exclusion constraint
    refuses overlapping rows (which no set of columns says)."""
    unique: tuple[frozenset[str], ...]
    excludes: bool = False


def table_keys(documents: Mapping[str, str]) -> dict[str, TableKeys]:
    """{table (lower case): its keys} over every SQL document; a table no `CREATE TABLE` declares
    is absent (nothing is known of it)."""
    unique: dict[str, set[frozenset[str]]] = {}
    excludes: set[str] = set()
    texts = [_without_comments(text) for rel, text in sorted(documents.items()) if rel.lower().endswith(".sql")]
    for text in texts:
        for match in _CREATE.finditer(text):
            table = match.group(1).lower()
            body = _balanced(text, match.end() - 1)
            keys = unique.setdefault(table, set())
            for part in _top_level_parts(body):
                keys.update(_part_keys(part))
                if _EXCLUDE.match(part.strip()) or re.match(r"(?is)\s*constraint\s+\"?\w+\"?\s+exclude\b", part):
                    excludes.add(table)
    for text in texts:
        for match in _UNIQUE_INDEX.finditer(text):
            columns = _columns(match.group(2))
            if columns:
                unique.setdefault(match.group(1).lower(), set()).add(columns)
        for match in _ALTER.finditer(text):
            table, change = match.group(1).lower(), match.group(2)
            if table not in unique:
                continue
            unique[table].update(_columns(m.group(1)) for m in _KEYS.finditer(change) if _columns(m.group(1)))
            if re.search(r"(?is)\badd\s+(?:constraint\s+\"?\w+\"?\s+)?exclude\b", change):
                excludes.add(table)
    return {table: TableKeys(tuple(sorted(keys, key=sorted)), table in excludes) for table, keys in unique.items()}


def protects(keys: TableKeys, columns: Iterable[str]) -> bool:
    """A second row matching the same values of `columns` would be refused: a unique set inside
    them (their values fix the set's), or an exclusion constraint."""
    wanted = {c.lower() for c in columns}
    return keys.excludes or any(key <= wanted for key in keys.unique)


def _part_keys(part: str) -> Iterable[frozenset[str]]:
    """`UNIQUE (a, b)`, `PRIMARY KEY (id)`, `CONSTRAINT x UNIQUE (a)`, or a column declared
    `... UNIQUE` / `... PRIMARY KEY` inline."""
    stripped = part.strip()
    table_level = re.match(r"(?is)(?:constraint\s+\"?\w+\"?\s+)?(?:primary\s+key|unique)\b", stripped)
    if table_level:
        found = _KEYS.search(stripped)
        if found and _columns(found.group(1)):
            yield _columns(found.group(1))
        return
    column = _COLUMN.match(stripped)
    if column and column.group(1).lower() not in _NOT_COLUMNS and _INLINE_KEY.search(_without_strings(stripped)):
        yield frozenset({column.group(1).lower()})


def _columns(listed: str) -> frozenset[str]:
    """`practitioner_id, starts_at` -> the columns; an expression (`lower(email)`) names its column."""
    found = set()
    for item in listed.split(","):
        name = re.search(r"\"?(\w+)\"?\s*\)?\s*(?:asc|desc)?\s*$", item.strip(), re.I)
        if name:
            found.add(name.group(1).lower())
    return frozenset(found)


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


def _without_comments(text: str) -> str:
    return re.sub(r"(?s)/\*.*?\*/", " ", re.sub(r"--[^\n]*", " ", text))


def _without_strings(text: str) -> str:
    return re.sub(r"'[^']*'", "''", text)
