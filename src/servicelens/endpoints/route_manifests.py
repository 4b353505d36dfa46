"""Routes declared by a manifest file beside their handlers: a file-system route convention.

    modules/catalog/api/createProduct/route.json   {"methods": ["POST"], "path": "/products",
                                                     "access": "private"}
    modules/catalog/api/createProduct/validate.js   export default (request, response, next) => ...
    modules/catalog/api/createProduct/create.ts     export default async (request, response) => ...

The project's loader scans its folders, reads each manifest and runs the modules of the
manifest's folder, in turn, for every request the manifest's methods and path match. So each
JS/TS module of that folder whose default export is a function is a handler of the route, with
the manifest's exact methods and path. A JSON object is a route manifest only by its shape: a
`methods` list of HTTP verbs and a `path` that starts with "/"; a folder with no module
exporting a function binds nothing.

Who may call it is what the manifest declares, when it does: `"access": "public"` (or
`"public": true`) is public by the project's declaration, `"access": "private"` (or
`"auth"`/`"authenticated"`/`"login_required": true`) is required; a manifest that says neither
leaves the route undecided (the loader's default is not read). A prefix the loader adds to
the declared path (`/api`, a mount point) is not read either: the path is the manifest's.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Iterable, Mapping, Sequence

from servicelens.analysis.facts import FileFacts
from servicelens.endpoints.route import RouteFact

_VERBS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
_HANDLER_LANGUAGES = frozenset({"javascript", "typescript"})
_DEFAULT_EXPORT = "default"  # the qualname the JS lowering gives a module's default-exported function
_FRAMEWORK = "express"  # the handlers take (request, response, next), as the loader calls them
_ACCESS_KEYS = ("access", "visibility")
_FLAG_KEYS = {"public": "public", "private": "required", "auth": "required", "authenticated": "required",
              "login_required": "required", "requires_auth": "required"}


@dataclass(frozen=True, slots=True)
class RouteManifest:
    """One manifest: the folder it binds and what it declares."""

    folder: str
    rel: str
    methods: tuple[str, ...]
    path: str
    auth: str  # required | public | unknown
    evidence: str


def read_manifest(rel: str, text: str) -> RouteManifest | None:
    """The manifest a JSON file declares, or None when it is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    methods, path = data.get("methods"), data.get("path")
    if not isinstance(methods, list) or not methods or not isinstance(path, str) or not path.startswith("/"):
        return None
    verbs = tuple(dict.fromkeys(m.upper() for m in methods if isinstance(m, str)))
    if not verbs or any(verb not in _VERBS for verb in verbs):
        return None
    auth, evidence = _declared_access(data, PurePosixPath(rel).name)
    return RouteManifest(str(PurePosixPath(rel).parent), rel, verbs, path, auth, evidence)


def _declared_access(data: Mapping[str, object], name: str) -> tuple[str, str]:
    for key in _ACCESS_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value.lower() in ("public", "private"):
            auth = "public" if value.lower() == "public" else "required"
            return auth, f'{name} declares "{key}": "{value}"'
    for key, auth in _FLAG_KEYS.items():
        if data.get(key) is True:
            return auth, f'{name} declares "{key}": true'
    return "unknown", f"{name} declares no access; the loader's default is not read"


def with_manifest_routes(facts: Sequence[FileFacts], documents: Iterable[tuple[str, str]]) -> list[FileFacts]:
    """Each manifest's route added to the JS/TS modules of its folder that export a function by
    default. `documents`: (path, text) of the review's JSON files that are no other document."""
    manifests: dict[str, list[RouteManifest]] = {}
    for rel, text in documents:
        manifest = read_manifest(rel, text)
        if manifest is not None:
            manifests.setdefault(manifest.folder, []).append(manifest)
    if not manifests:
        return list(facts)
    out = []
    for fact in facts:
        found = manifests.get(str(PurePosixPath(fact.rel).parent)) if fact.language in _HANDLER_LANGUAGES else None
        handler = next((span for span in fact.spans if span.qualname == _DEFAULT_EXPORT), None) if found else None
        if handler is None:
            out.append(fact)
            continue
        added = tuple(RouteFact(_DEFAULT_EXPORT, _FRAMEWORK, m.methods, m.path, handler.line, m.auth,
                                f"route manifest {m.rel}: {m.evidence}")
                      for m in sorted(found, key=lambda m: m.rel))
        out.append(replace(fact, routes=fact.routes + added))
    return out
