"""Statement objects sent to the database (models/vocabulary/sql_statements.yaml).

Not a rule (it defines no RULE). SQLAlchemy 2.0 and SQLModel code queries by building a statement
object (`update(User).where(...).values(...)`, `select(Order)`, `insert(Event).on_conflict_do_nothing()`)
and handing it to an executor (`session.execute`, `conn.scalars`, `db.exec`). The handle's name says
nothing reliable (`self.session`, `uow.db`, `conn`), so a round trip is recognised by the statement:
what the constructor at the root of the argument's method chain resolves to through the imports.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from servicelens import ir
from servicelens.rules.python._purpose import vocabulary_file
from servicelens.taint.scope import ModuleScope


@dataclass(frozen=True, slots=True)
class SqlStatements:
    constructors: frozenset[str]  # qualified names of the functions that build a statement
    executors: frozenset[str]  # methods that send the statement in their first argument


@lru_cache(maxsize=1)
def sql_statements() -> SqlStatements:
    data = vocabulary_file("sql_statements.yaml")
    return SqlStatements(frozenset(data["constructors"]), frozenset(data["executors"]))


def executed_statement(call: ir.Call, assigns: Mapping[str, ir.Expr], scope: ModuleScope,
                       function: ir.Function | None) -> str | None:
    """The constructor (`sqlalchemy.update`) of the statement object this call executes, or None when
    the call is no executor or its first argument is not a statement built by a known constructor
    (directly or through one local: `stmt = select(User)...; session.execute(stmt)`)."""
    if not isinstance(call.func, ir.Attr) or call.func.attr not in sql_statements().executors:
        return None
    argument = call.arg(0, "statement")
    if isinstance(argument, ir.Name) and argument.id in assigns:
        argument = assigns[argument.id]
    return statement_root(argument, scope, function) if argument is not None else None


def statement_root(expr: ir.Expr, scope: ModuleScope, function: ir.Function | None) -> str | None:
    """`update(User).where(...).values(...)` -> "sqlalchemy.update": the constructor at the root of
    a method chain, when it is one of the vocabulary's."""
    node = expr.value if isinstance(expr, ir.Await) else expr
    while isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
        node = node.func.value  # `.where(...)`, `.values(...)`, `.returning(...)`, `.on_conflict_do_nothing()`
    if not isinstance(node, ir.Call):
        return None
    dotted = ir.dotted_name(node.func)
    qualified = scope.qualify(dotted, function, frozenset()) if dotted else None
    return qualified if qualified in sql_statements().constructors else None
