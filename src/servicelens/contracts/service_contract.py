"""Which OpenAPI documents are the service's contract, and so worth comparing with its code.

A repository holds specs for many reasons: the contract the service loads or serves, but also
design drafts for a feature, examples, a partner's vendored API, documentation. Only the first
is a promise the code breaks by drifting from it. A spec counts as the contract when code or
configuration names it (Connexion's `add_api("openapi.yaml")`, a path in settings, a Dockerfile
copying it to be served), or, when nothing names any spec, when it is the project's only spec
and does not sit where drafts and documentation live. A draft that only a Markdown plan
mentions is not read as a reference: documents are not loaded by the service.
"""
from __future__ import annotations

from pathlib import PurePosixPath
from typing import Sequence

from servicelens.analysis.base import SourceFile

# folders whose specs describe something other than the service as deployed: documentation,
# samples, drafts and proposals, someone else's API kept for reference, test data
_NOT_SERVED_FOLDERS = frozenset({
    "doc", "docs", "documentation", "example", "examples", "sample", "samples", "draft", "drafts",
    "proposal", "proposals", "rfc", "rfcs", "vendor", "vendored", "third_party", "thirdparty",
    "node_modules", "test", "tests", "fixtures", "testdata",
})


def service_contracts(files: Sequence[SourceFile]) -> tuple[SourceFile, ...]:
    """The OpenAPI documents among `files` that code or configuration names, else the one
    spec of the project when it is not in a documentation or draft folder, else none."""
    specs = [f for f in files if f.kind == "openapi"]
    if not specs:
        return ()
    loaders = [f.text for f in files if f.kind != "openapi"]
    named = tuple(spec for spec in specs if any(_names(text, spec.rel) for text in loaders))
    if named:
        return named
    if len(specs) == 1 and not _NOT_SERVED_FOLDERS & {part.lower() for part in PurePosixPath(specs[0].rel).parts[:-1]}:
        return (specs[0],)
    return ()


def _names(text: str, rel: str) -> bool:
    """The file's name in code or configuration, as a whole name (`"swagger-spec.yaml"`,
    `specs/api.yml`), not as part of a longer one (`my-openapi.yaml` does not name `openapi.yaml`)."""
    name = PurePosixPath(rel).name
    start = text.find(name)
    while start != -1:
        before = text[start - 1] if start else " "
        if not (before.isalnum() or before in "-_."):
            return True
        start = text.find(name, start + 1)
    return False
