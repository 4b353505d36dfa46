"""What a JavaScript query builder's statement carries: only the text pasted as SQL.

A query builder (knex, a TypeORM or MikroORM `createQueryBuilder()`) binds the values handed to
its methods as parameters and quotes the identifiers (`knex(table).where('name', name)`,
`.where('o.id = :id', { id })`, `.setParameters(...)`), so the SQL it renders (`toQuery()`,
`toSQL().toNative()`, `getQuery()`) holds none of that text. Only an argument the library pastes
into the statement as SQL (a raw fragment: `whereRaw`, `knex.raw`, a TypeORM condition string:
the models' SQL-injection sinks of that method) or another builder's statement (a subquery, a
`knex.raw(...)` object) brings its taint in. The raw fragment is reported where it is pasted;
the statement rendered from it is reported where it runs. These builders change in place, so a
fragment pasted by a call whose result is dropped (`qb.whereRaw(text);`) is in what the builder
held by that name renders later (taint/calls.py).
"""
from __future__ import annotations

from typing import Mapping

from servicelens.taint.models import SinkSpec
from servicelens.taint.values import Value, merge

# a knex instance or anything built from it (`knex(table)`, `knex.schema`, a `.where(...)` result)
BOUND_SQL = "bound-sql"
# a TypeORM/MikroORM query builder (its condition strings are SQL, its parameters bound)
SQL_BUILDER = "sql-builder"
BUILDER_TAGS = frozenset({BOUND_SQL, SQL_BUILDER})


def builder_of(receiver: Value | None, callee: Value) -> Value | None:
    """The builder a call is made on: the callee itself (`knex('orders')`, `this.knex(table)`) or
    the receiver of a method (`qb.where(...)`); None when the call is no builder's."""
    if BOUND_SQL in callee.tags:
        return callee
    if receiver is not None and receiver.tags & BUILDER_TAGS:
        return receiver
    return None


def bound_result(builder: Value, method: str | None, args: list[Value],
                 method_sinks: Mapping[str, tuple[SinkSpec, ...]]) -> Value:
    """The builder a call on `builder` returns: its own taint, the taint of arguments the
    library pastes as SQL text, and that of arguments that are themselves statements."""
    pasted: set[int] = set()
    for spec in method_sinks.get(method or "", ()) if method is not None else ():
        if spec.kind == "sql-injection" and (not spec.receiver_tag or spec.receiver_tag in builder.tags):
            pasted.update(spec.args)
    # an object of conditions (`where({ organizationId, tenantId })`) is bound member by member, not pasted
    carried = [arg.all_taint() for index, arg in enumerate(args)
               if (index in pasted and arg.elements is None) or arg.tags & BUILDER_TAGS]
    return Value(taint=merge(builder.all_taint(), *carried), tags=builder.tags & BUILDER_TAGS)
