"""Project classes that are Flask class views through a base defined in another module.

    # api/common.py
    from flask.views import MethodView
    class BaseView(MethodView):                  # the project's base of every resource
        def __init__(self, service, **kwargs): ...

    # api/resources.py
    from flask import request
    from api.common import BaseView
    class UsersResource(BaseView):               # a class view: `get`/`put` answer requests
        def get(self): ...

One file cannot follow `BaseView` to Flask's `MethodView`, so, as for the names registrations
bind (endpoints.bound_names), every Python file's text is read before the per-file analysis:
the classes a Flask module derives from a Flask view class (`MethodView`, flask-restful's
`Resource`, flask-apispec's `MethodResource`), then every class deriving from one of those,
however deep. They travel as `view-base:<class name>` entries; a file then takes a class whose
base has such a name for a class view, exactly like one that names `MethodView` itself. A name
is all the text gives: another class of the same name elsewhere is taken as one too.

Among them, the descendants of flask-restful's, flask-restx's or flask-restplus's `Resource` (the
base named in a module importing one of those) also travel as `serializing-base:<class name>`:
what their verb methods return the framework serializes (JSON by default), so a string they
return is never an HTML page (`class API(Resource)` in `api/__init__.py`, `class DatasetAPI(API)`
elsewhere).
"""
from __future__ import annotations

import re
from typing import Iterable

from servicelens.sources.line_matches import line_matches

PREFIX = "view-base:"
SERIALIZING_PREFIX = "serializing-base:"
_FLASK_VIEWS = frozenset({"MethodView", "Resource", "MethodResource"})
_FLASK_IMPORT = re.compile(r"(?m)^\s*(?:from|import)\s+(?:flask|flask_restful|flask_restx|flask_restplus|"
                           r"flask_smorest|flask_apispec|quart)\b")
_SERIALIZING_IMPORT = re.compile(r"(?m)^\s*(?:from|import)\s+(?:flask_restful|flask_restx|flask_restplus)\b")
_SERIALIZING_VIEW = "Resource"
_CLASS = re.compile(r"(?m)^[ \t]*class[ \t]+(\w+)[ \t]*\(([^)]*)\)")
_FLASK_WORDS = ("flask", "quart")  # every module _FLASK_IMPORT names spells one of them


def view_base_entries(texts: Iterable[str]) -> frozenset[str]:
    """`view-base:<name>` for each project class that descends from a Flask view class through
    project classes (the framework's own classes are known to every file already)."""
    bases_of: dict[str, set[str]] = {}
    seeds: set[str] = set()
    serializing: set[str] = set()
    for text in texts:
        if "class" not in text:
            continue
        flask = any(word in text for word in _FLASK_WORDS) and _FLASK_IMPORT.search(text) is not None
        restful = flask and _SERIALIZING_IMPORT.search(text) is not None
        for match in line_matches(_CLASS, text, ("class",), " \t"):
            bases = {base.strip().rpartition(".")[2] for base in match.group(2).split(",")
                     if base.strip() and "=" not in base}
            bases_of.setdefault(match.group(1), set()).update(bases)
            if flask and bases & _FLASK_VIEWS:
                seeds.add(match.group(1))
            if restful and _SERIALIZING_VIEW in bases:
                serializing.add(match.group(1))
    return frozenset(PREFIX + name for name in _descendants(seeds, bases_of) - _FLASK_VIEWS) | \
        frozenset(SERIALIZING_PREFIX + name for name in _descendants(serializing, bases_of) - _FLASK_VIEWS)


def _descendants(seeds: set[str], bases_of: dict[str, set[str]]) -> set[str]:
    """The seeds and every class deriving from one of them, however deep."""
    found = set(seeds)
    pending = True
    while pending:
        grown = {name for name, bases in bases_of.items() if name not in found and bases & found}
        found |= grown
        pending = bool(grown)
    return found


def view_base_names(entries: Iterable[str]) -> frozenset[str]:
    """The class names `view_base_entries` collected."""
    return frozenset(entry[len(PREFIX):] for entry in entries if entry.startswith(PREFIX))


def serializing_base_names(entries: Iterable[str]) -> frozenset[str]:
    """The project classes deriving from a serializing `Resource` that `view_base_entries` collected."""
    return frozenset(entry[len(SERIALIZING_PREFIX):] for entry in entries if entry.startswith(SERIALIZING_PREFIX))
