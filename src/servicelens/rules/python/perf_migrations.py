"""Indexes declared by migrations rather than by model classes: Django migrations, Alembic
revisions, and `CREATE INDEX` statements run from either (read by analysis/sql_schema.py, the
reader JavaScript's race rule reads `.sql` files with).

A model class is the usual source of truth, but teams add indexes by hand (a `RunSQL`
with `CREATE INDEX CONCURRENTLY`, an Alembic `op.create_index`) that the class never
mentions. The index rule must see those too, or it would report an index that exists.
Each covered column travels as `(kind, key, column)`: kind "model" keys by the Django
model name in lower case, kind "table" by the table name; functional indexes on
`UPPER(col)` are recorded as column `upper:<col>`.
"""
from __future__ import annotations

import re
from typing import Iterator

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, unindexed
from servicelens.analysis.sql_schema import read_sql
from servicelens.rules.python._common import const_str

Covered = tuple[str, str, str]  # ("model" | "table", key, column)

_DJANGO_OPS = frozenset({"AddIndex", "AddField", "AlterField", "CreateModel", "AlterUniqueTogether",
                         "AlterIndexTogether", "AddConstraint"})


def is_migration(module: ir.Module) -> bool:
    path = "/" + module.path
    return "/migrations/" in path or "/alembic/" in path or "/versions/" in path


def migration_indexes(module: ir.Module, index: FileIndex | None = None) -> tuple[Covered, ...]:
    """Every column a migration (or SQL it runs) puts at the head of an index or unique constraint.
    A set, so the calls and the string constants of each body are taken from the file's `index`
    kind by kind, in any order."""
    nodes = index if index is not None else unindexed()
    found: list[Covered] = []
    bodies = [module.body] + [f.body for f in module.functions] + [c.body for c in module.classes]
    for body in bodies:
        for call in nodes.block_of_kind(body, ir.Call):
            found.extend(_from_call(call))
        for const in nodes.block_of_kind(body, ir.Const):
            if isinstance(const.value, str) and ("index" in (lower := const.value.lower()) or "unique" in lower
                                                   or "primary key" in lower):
                found.extend(sql_indexes(const.value))
    return tuple(sorted(set(found)))


def sql_indexes(sql: str) -> Iterator[Covered]:
    """The head column of each index and key the SQL text declares (`CREATE INDEX ... ON table (col ...)`,
    `ALTER TABLE t ADD UNIQUE (col)`, a `PRIMARY KEY` or `UNIQUE` column of a `CREATE TABLE`), read by the
    language-neutral reader (analysis/sql_schema.py)."""
    for index in read_sql(sql).indexes:
        yield "table", index.table, ("upper:" if index.folded else "") + index.columns[0]


def _from_call(call: ir.Call) -> Iterator[Covered]:
    name = (ir.dotted_name(call.func) or "").rsplit(".", 1)[-1]
    if name in _DJANGO_OPS:
        yield from _django_op(name, call)
    elif name in ("create_index", "create_unique_constraint", "create_primary_key"):
        yield from _alembic_index(call)
    elif name in ("create_table", "add_column"):
        table = const_str(call.arg(0, "table_name")) or ""
        for arg in call.args[1:]:
            yield from (("table", table.lower(), col) for col in _sa_column_indexed(arg))


def _django_op(name: str, call: ir.Call) -> Iterator[Covered]:
    model = (const_str(call.kwarg("model_name")) or const_str(call.kwarg("name")) or
             (const_str(call.args[0]) if call.args else None) or "").lower()
    if not model:
        return
    if name in ("AddField", "AlterField"):
        field = call.kwarg("field")
        column = const_str(call.kwarg("name")) if call.kwarg("model_name") is not None else None
        if column and isinstance(field, ir.Call) and _django_indexed(field):
            yield "model", model, column
        return
    for node in ir.walk_expr(call):
        fields = node.kwarg("fields") if isinstance(node, ir.Call) and node is not call else None
        if isinstance(fields, ir.Seq) and fields.elts:  # Index(fields=[...]) / UniqueConstraint(fields=[...])
            yield "model", model, (const_str(fields.elts[0]) or "").lstrip("-")
    together: list[ir.Expr] = []
    if name == "CreateModel":
        yield from _created_fields(model, call.kwarg("fields"))
        options = call.kwarg("options")
        if isinstance(options, ir.DictExpr):
            together = [v for k, v in zip(options.keys, options.values)
                        if const_str(k) in ("unique_together", "index_together")]
    elif name in ("AlterUniqueTogether", "AlterIndexTogether"):
        together = [kw.value for kw in call.kwargs if kw.name in ("unique_together", "index_together")]
    for value in together:
        for node in ir.walk_expr(value):
            if isinstance(node, ir.Seq) and node.elts and const_str(node.elts[0]):
                yield "model", model, const_str(node.elts[0]) or ""


def _created_fields(model: str, fields: ir.Expr | None) -> Iterator[Covered]:
    for pair in fields.elts if isinstance(fields, ir.Seq) else ():
        if isinstance(pair, ir.Seq) and len(pair.elts) == 2 and isinstance(pair.elts[1], ir.Call):
            column = const_str(pair.elts[0])
            if column and _django_indexed(pair.elts[1]):
                yield "model", model, column


def _django_indexed(field: ir.Call) -> bool:
    kind = (ir.dotted_name(field.func) or "").rsplit(".", 1)[-1]
    flags = any(isinstance(field.kwarg(k), ir.Const) and field.kwarg(k).value is True  # type: ignore[union-attr]
                for k in ("db_index", "unique", "primary_key"))
    return flags or kind in ("ForeignKey", "OneToOneField", "SlugField", "AutoField", "BigAutoField")


def _alembic_index(call: ir.Call) -> Iterator[Covered]:
    table = const_str(call.arg(1, "table_name")) or ""
    columns = call.arg(2, "columns") or call.arg(2, "local_cols")
    if table and isinstance(columns, ir.Seq) and columns.elts:
        head = columns.elts[0]
        column = const_str(head) or ""
        if isinstance(head, ir.Call) and head.args:  # sa.text("lower(email)")
            column = const_str(head.args[0]) or ""
            match = re.match(r"(?i)\s*(upper|lower)\s*\(\s*\"?(\w+)", column)
            column = f"upper:{match.group(2)}" if match else ""
        if column:
            yield "table", table.lower(), column.lower() if column.startswith("upper:") else column


def _sa_column_indexed(expr: ir.Expr) -> Iterator[str]:
    if not isinstance(expr, ir.Call):
        return
    name = (ir.dotted_name(expr.func) or "").rsplit(".", 1)[-1]
    column = const_str(expr.args[0]) if expr.args else None
    if name == "Column" and column and any(isinstance(expr.kwarg(k), ir.Const) and expr.kwarg(k).value is True  # type: ignore[union-attr]
                                           for k in ("index", "unique", "primary_key")):
        yield column
    elif name in ("UniqueConstraint", "PrimaryKeyConstraint", "Index") and column:
        yield const_str(expr.args[1]) or "" if name == "Index" and len(expr.args) > 1 else column
