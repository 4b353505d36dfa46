"""Which SQL database a project is set up to run on, from the connection URLs and driver
names its code configures.

Whether a foreign-key column needs an index of its own depends on the database: MySQL and
MariaDB (InnoDB) create one for every foreign-key constraint, PostgreSQL and SQLite do not.
A project says which database it runs on where it configures the connection: a URL
(`"mysql+pymysql://app@db/app"`) or a driver name (`drivername=... or "mysql+pymysql"`)
assigned, passed or given as a fallback. A URL that is only tested against
(`uri.startswith("postgres")`, `scheme == "sqlite"`) names a database the code copes with,
not one it is configured for, and is not counted.
"""
from __future__ import annotations

import re

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, unindexed
from servicelens.rules.base import all_bodies

MYSQL = "mysql"
POSTGRESQL = "postgresql"
SQLITE = "sqlite"

# a SQLAlchemy/Django database URL or a bare SQLAlchemy driver name ("mysql+pymysql")
_URL = re.compile(r"^(mysql|mariadb|postgresql|postgres|psql|sqlite)(\+\w+)?(://|$)")
_DIALECT = {"mysql": MYSQL, "mariadb": MYSQL, "postgresql": POSTGRESQL, "postgres": POSTGRESQL,
            "psql": POSTGRESQL, "sqlite": SQLITE}
# Django's ENGINE setting names the backend module instead of a URL
_DJANGO_ENGINE = re.compile(r"^django\.db\.backends\.(mysql|postgresql|postgresql_psycopg2|sqlite3)$")
_ENGINE_DIALECT = {"mysql": MYSQL, "postgresql": POSTGRESQL, "postgresql_psycopg2": POSTGRESQL, "sqlite3": SQLITE}
_TESTS = frozenset({"startswith", "endswith", "find", "index", "count"})


def configured_dialects(module: ir.Module, index: FileIndex | None = None) -> frozenset[str]:
    """The databases this module configures a connection for (mysql | postgresql | sqlite).
    `index`: the file's one traversal, whose slices stand in for walking each expression twice."""
    text = "\n".join(module.lines)  # one search per marker (no marker spans a line break)
    if not any(marker in text for marker in ("mysql", "mariadb", "postgres", "psql", "sqlite")):
        return frozenset()
    nodes = index if index is not None else unindexed()
    found: set[str] = set()
    for _, body in all_bodies(module):
        for stmt in nodes.walk_stmts(body):
            for expr in ir.stmt_exprs(stmt):
                found.update(_named(nodes.walk(expr)))
    return frozenset(found)


def _named(subtree: tuple[ir.Expr, ...]) -> set[str]:
    """The dialects named by the string constants of one expression (`subtree`: its nodes,
    pre-order) that it does not test against."""
    tested: set[int] = set()
    for node in subtree:
        if isinstance(node, ir.Compare):
            tested.update(id(side) for side in (node.left, *node.comparators))
        elif isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _TESTS:
            tested.update(id(arg) for arg in node.args)
            tested.update(id(item) for arg in node.args if isinstance(arg, ir.Seq) for item in arg.elts)
    out: set[str] = set()
    for node in subtree:
        if isinstance(node, ir.Const) and isinstance(node.value, str) and id(node) not in tested:
            text = node.value.strip().lower()
            if (url := _URL.match(text)) is not None:
                out.add(_DIALECT[url.group(1)])
            elif (engine := _DJANGO_ENGINE.match(text)) is not None:
                out.add(_ENGINE_DIALECT[engine.group(1)])
    return out


def foreign_keys_indexed(dialects: frozenset[str]) -> bool:
    """InnoDB indexes every foreign-key column; only when MySQL/MariaDB is the one database the
    project is configured for can a query on a foreign key be assumed indexed."""
    return dialects == frozenset({MYSQL}) or dialects == frozenset({MYSQL, SQLITE})
