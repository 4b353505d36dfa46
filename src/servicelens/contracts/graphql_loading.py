"""Which GraphQL schema files a server loads: only those are an API anyone can call.

A schema file is served when something in the project names it: its file name
(`readFileSync(join(__dirname, 'schema.graphql'))`, NestJS `autoSchemaFile: 'schema.gql'`,
Ariadne `load_schema_from_path("schema.graphql")`), a directory on its path
(`readdirSync(path.join(root, 'graph/schemas'))`, `load_schema_from_path("graphql/")`), or a
glob of schema files covering it (`typePaths: ['./**/*.graphql']`, `loadFilesSync('schema/**/*.gql')`). A file
nothing names (an archived `legacy/` copy, a vendored example) is no running operation. Evidence is
read in code, manifests and configuration, not in documentation. A review of schema files alone
(no code beside them) is a review of the contract itself: every schema counts.
"""
from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Callable, Iterable

from servicelens.analysis.base import SourceFile
from servicelens.sources.languages import CODE_EXTENSIONS

_SCHEMA_KIND = "graphql"
_CODE_KINDS = frozenset(CODE_EXTENSIONS.values())
# a glob that loads schema files by their extension (`'./**/*.graphql'`, `"src/schema/*.gql"`), with
# the literal folder before its first wildcard; and a bare suffix filter over a folder read
# (`name.endsWith('.graphql')`), not the `'graphql'` package every GraphQL server imports
_GLOB = re.compile(r"""['"`]([^'"`\n]*?)\*[^'"`\n]*\.(?:graphqls?|gql)['"`]""")
_SUFFIX = re.compile(r"""['"`]\.(?:graphqls?|gql)['"`]""")
# what each pattern must spell: a schema suffix closed by a quote (the glob), opened by one (the filter)
_QUOTES = "'\"`"
_CLOSED = tuple(suffix + quote for suffix in (".graphql", ".graphqls", ".gql") for quote in _QUOTES)
_OPENED = tuple(quote + suffix for suffix in (".graphql", ".gql") for quote in _QUOTES)


def served_schemas(files: Iterable[SourceFile]) -> frozenset[str]:
    """The relative paths of the schema files something in the project loads."""
    every = tuple(files)
    schemas = [f.rel for f in every if f.kind == _SCHEMA_KIND]
    evidence = [f.text for f in every if f.kind != _SCHEMA_KIND]
    if not schemas or not any(f.kind in _CODE_KINDS for f in every):
        return frozenset(schemas)
    # both patterns spell a schema suffix beside a quote: only a text that spells it so is searched
    # (literal tests; `.graphql` alone is in every import of a Python `graphql` package, and the
    # patterns' scans cost ~0.5 s over a large backend's thousands of files otherwise)
    suffixed = [text for text in evidence if ".graphql" in text or ".gql" in text]
    if any(_SUFFIX.search(text) for text in suffixed if any(spelled in text for spelled in _OPENED)):
        return frozenset(schemas)
    folders = {_folder(m.group(1)) for text in suffixed if any(spelled in text for spelled in _CLOSED)
               for m in _GLOB.finditer(text)}
    return frozenset(rel for rel in schemas if any(_under(rel, folder) for folder in folders)
                     or any(map(_named(rel), evidence)))


def _folder(prefix: str) -> str:
    """`'./src/**/'` -> "src": the literal folder a glob starts from, without `./`, `../` or a
    template's expressions (`${__dirname}/schema/` -> "schema")."""
    parts = [p for p in re.sub(r"\$\{[^}]*\}", "", prefix).split("/") if p not in ("", ".", "..")]
    return "/".join(parts)


def _under(rel: str, folder: str) -> bool:
    return not folder or f"/{folder}/" in f"/{rel}"


def _named(rel: str) -> Callable[[str], bool]:
    """Does a text name the file, or the folder holding it as a path would (`'graph/schemas'`,
    `"schema/"`, `join(root, 'schemas')`)? Made once per schema file and asked of every text of
    the review: the folder's pattern is searched only in a text that spells the folder."""
    path = PurePosixPath(rel)
    name = path.name
    folder = path.parent.name  # loaders name the folder holding the files, not every ancestor (`src`)
    quoted = re.compile(rf"""['"`/]{re.escape(folder)}['"`/]""") if folder else None

    def names(text: str) -> bool:
        return name in text or (quoted is not None and folder in text and quoted.search(text) is not None)
    return names
