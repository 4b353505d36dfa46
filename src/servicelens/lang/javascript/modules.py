"""Module names and import specifiers for JavaScript/TypeScript files.

A JS file is named like a Python module (`src/routes/users.js` -> `src.routes.users`) so
the language-neutral engine (qualified names, summaries, cross-file resolution) needs no
second naming scheme. `index.js` names its directory, as Node resolves `require('./routes')`
to `routes.js` or `routes/index.js` alike; dots inside a file name (`users.controller.ts`)
become underscores so they never read as package separators.
"""
from __future__ import annotations

import posixpath
from pathlib import PurePosixPath
from typing import Mapping

from servicelens import ir

SOURCE_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts")
_INDEX = "index"
# the local name of an `export * from './m'` import: no identifier starts so (lang/javascript/lower.py)
STAR_EXPORT = "*"
# the local name of an `export * as users from './users'` import, followed by `users`: the module's
# `users` is the whole of `./users` (analysis/javascript_file.star_exports)
NAMESPACE_EXPORT = "*as:"
_BUILTIN_SCHEME = "node:"  # `import fs from 'node:fs'`: the same module as `fs`


def module_name_for(rel: str) -> str:
    """`src/routes/users.js` -> `src.routes.users`; `src/routes/index.ts` -> `src.routes`."""
    return _dotted(_strip_suffix(rel))


def resolve_specifier(rel: str, specifier: str) -> str:
    """The dotted name an import specifier refers to: relative ones (`./x`, `../lib/y.js`)
    against the importing file's directory, packages (`express`, `@nestjs/common`) as written,
    Node's built-ins by their plain name (`node:crypto` is `crypto`)."""
    if not specifier.startswith("."):
        return specifier.removeprefix(_BUILTIN_SCHEME)
    base = posixpath.dirname(rel)
    joined = posixpath.normpath(posixpath.join(base, specifier))
    if joined.startswith(".."):
        return specifier
    return _dotted(_strip_suffix(joined)) if joined != "." else ""


def _strip_suffix(path: str) -> str:
    for suffix in SOURCE_SUFFIXES:
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


def _dotted(path: str) -> str:
    parts = [p.replace(".", "_") for p in PurePosixPath(path).parts if p not in ("", ".")]
    if parts and parts[-1] == _INDEX and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def imported_name(expr: ir.Expr, imports: Mapping[str, str]) -> str:
    """`cors`, `passport.authenticate`, `Guards.Jwt` as the dotted name of what the file
    imported under its head (`express-rate-limit`, `@nestjs/passport.AuthGuard`), or "" when
    the head is not an import."""
    dotted = ir.dotted_name(expr)
    if not dotted:
        return ""
    head, _, rest = dotted.partition(".")
    if head in imports:
        return imports[head] + (f".{rest}" if rest else "")
    return ""
