"""contracts.graphql_loading.served_schemas: which schema files the code loads, by name or folder."""
from __future__ import annotations

from servicelens.analysis.base import SourceFile
from servicelens.contracts.graphql_loading import served_schemas


def _file(rel: str, kind: str, text: str) -> SourceFile:
    return SourceFile(rel, kind, text, "")


_SCHEMAS = [_file("api/schemas/users.graphql", "graphql", "type User { id: ID }"),
            _file("old/archive/v1.graphql", "graphql", "type Old { id: ID }")]


def test_a_schema_named_by_its_file_or_quoted_folder_is_served() -> None:
    by_name = [_file("app.py", "python", "SCHEMA = load('users.graphql')")]
    by_folder = [_file("app.py", "python", "path = join(ROOT, 'schemas')")]
    assert served_schemas(_SCHEMAS + by_name) == {"api/schemas/users.graphql"}
    assert served_schemas(_SCHEMAS + by_folder) == {"api/schemas/users.graphql"}


def test_a_folder_word_that_is_not_a_path_serves_nothing() -> None:
    prose = [_file("app.py", "python", "# the schemas live elsewhere\nschemas = []")]
    assert served_schemas(_SCHEMAS + prose) == frozenset()
