"""Whether a JS/TS project talks to a document store at all, read from every file's text first.

`User.findOne(where)` is a MongoDB query only when `User` is a Mongoose model or a collection: on
a Sequelize, TypeORM, MikroORM, Knex or Prisma model the same call binds every value as a
parameter of SQL, and a client's `{"$ne": null}` is compared as a value, never obeyed. The engine
guesses a collection from the receiver's name (`this.userModel`, `Team`, `db.users`); that guess
means something only in a project where some module or `package.json` names a MongoDB driver or
ODM (`document_stores` in models/javascript/libraries.yaml: imported, a dependency, or given as a
TypeORM/MikroORM connection `type`) or a `mongodb://` address. Where none does, the guess is not made; a receiver
the models tag as a collection (`db.collection('users')`) is a collection in any project. Like
the application's shared state (endpoints.app_state), the answer travels with the project-wide
handler names, as the `document-store:absent` entry.
Absence is concluded only where the review saw what the project does use: its `package.json`, or a
module naming a SQL driver, query builder or ORM (`relational_stores`). A snippet or a file reviewed
alone that names neither (`User.find(req.body)` handed to an agent's review) has said nothing about
its data layer and keeps the guess, as does a file analysed outside a review (no entries at all).
"""
from __future__ import annotations

import re
from typing import Iterable

ABSENT = "document-store:absent"
_ADDRESS = re.compile(r"mongodb(?:\+srv)?://")


def document_store_entries(sources: Iterable[tuple[str, str]], stores: Iterable[str],
                           relational: Iterable[str] = ()) -> frozenset[str]:
    """`{ABSENT}` when no text of `sources` ((path, text) pairs) names a document store's package (a
    quoted `'mongoose'`, `"mongodb"`) or address, and the project said what it uses instead: a
    `package.json` was read, or some text names a relational store's package; no entry otherwise."""
    names = sorted(stores)
    if not names:
        return frozenset()
    quoted = _quoted(names)
    sql = _quoted(sorted(relational)) if relational else None
    said = False
    for path, text in sources:
        if quoted.search(text) or _ADDRESS.search(text):
            return frozenset()
        said = said or path.rsplit("/", 1)[-1] == "package.json" or bool(sql and sql.search(text))
    return frozenset({ABSENT}) if said else frozenset()


def _quoted(names: list[str]) -> re.Pattern[str]:
    return re.compile("[\"'`](?:" + "|".join(re.escape(name) for name in names) + ")[\"'`]")
