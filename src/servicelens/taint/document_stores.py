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
handler names, as the `document-store:absent` entry. A single file or snippet under review is a
project of its own and is judged by its text (it names `mongoose` or gets no guessed collection);
only a file analysed outside a review (no entries at all) keeps the guess.
"""
from __future__ import annotations

import re
from typing import Iterable

ABSENT = "document-store:absent"
_ADDRESS = re.compile(r"mongodb(?:\+srv)?://")


def document_store_entries(texts: Iterable[str], packages: Iterable[str]) -> frozenset[str]:
    """`{ABSENT}` when there is at least one text and none names a document store's package (a
    quoted `'mongoose'`, `"mongodb"`) or address; no entry otherwise."""
    names = sorted(packages)
    if not names:
        return frozenset()
    quoted = re.compile("[\"'`](?:" + "|".join(re.escape(name) for name in names) + ")[\"'`]")
    seen = False
    for text in texts:
        seen = True
        if quoted.search(text) or _ADDRESS.search(text):
            return frozenset()
    return frozenset({ABSENT}) if seen else frozenset()
