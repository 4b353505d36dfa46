"""TypeScript/JavaScript path aliases: `import * as c from '@/controllers/insights.controller'`.

A `tsconfig.json` (or `jsconfig.json`) maps import specifiers to project directories:

    { "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"], "~lib/*": ["lib/*"] } } }

and `baseUrl` alone lets a bare specifier name a file below it (`import { db } from 'services/db'`).
The per-file phase names such an import by its specifier, as it would a package; once every file
is known, a name that starts with an alias and lands on a file of the review is renamed to that
file's module (`@/controllers/insights.controller.getOverview` ->
`src.controllers.insights_controller.getOverview`), so calls, mounts and middleware resolve as
they do for relative imports. A specifier that lands on no file of the review stays a package.
Configs are read as TypeScript does: comments and trailing commas allowed, `extends` of another
config of the review followed, `paths` relative to `baseUrl` when set, else to the config.
"""
from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from servicelens.lang.javascript.modules import SOURCE_SUFFIXES, module_name_for
from servicelens.lang.javascript.runtime import node_core_modules

CONFIG_NAMES = re.compile(r"^(tsconfig|jsconfig)(\.[\w-]+)?\.json$")
_INDEX = "index"
_MAX_EXTENDS = 4


@dataclass(frozen=True, slots=True)
class PathAlias:
    prefix: str  # what a specifier starts with (`@/`), or all of it when the key has no `*`
    wildcard: bool
    targets: tuple[str, ...]  # review-relative directories (or files) it stands for, `*` removed


@dataclass(frozen=True, slots=True)
class AliasTable:
    aliases: tuple[PathAlias, ...]

    def resolve(self, name: str, modules: Mapping[str, str]) -> str:
        """`name` (a specifier, maybe followed by `.member`s) as a module name of the review and
        its members; "" when no alias applies or the file is not in the review. `modules`:
        review-relative path without suffix -> module name."""
        for alias in self.aliases:
            if not alias.prefix and (name.startswith("@") or "/" not in name
                                     or name.partition("/")[0] in node_core_modules()):
                continue  # `baseUrl` alone: only a path (`services/user`), never a package's name
            if alias.wildcard and name.startswith(alias.prefix):
                rest = name[len(alias.prefix):]
            elif not alias.wildcard and (name == alias.prefix or name.startswith(alias.prefix + ".")):
                rest = name[len(alias.prefix):]
            else:
                continue
            for target in alias.targets:
                found = _landing(target, rest, alias.wildcard, modules)
                if found:
                    return found
        return ""


def alias_table(configs: Iterable[tuple[str, str]]) -> AliasTable:
    """Every alias the review's tsconfig/jsconfig files declare, longest prefix first."""
    texts = {rel: text for rel, text in configs if CONFIG_NAMES.match(posixpath.basename(rel))}
    aliases: list[PathAlias] = []
    for rel in sorted(texts):
        options = _options(rel, texts)
        base = options.get("baseUrl")
        root = posixpath.normpath(posixpath.join(posixpath.dirname(rel), base)) if isinstance(base, str) else ""
        paths = options.get("paths")
        for key, values in (paths.items() if isinstance(paths, dict) else ()):
            if not isinstance(key, str) or not isinstance(values, list):
                continue
            anchor = root if isinstance(base, str) else posixpath.dirname(rel)
            targets = tuple(_target(anchor, v) for v in values if isinstance(v, str))
            aliases.append(PathAlias(key.replace("*", ""), "*" in key, targets))
        if isinstance(base, str):
            aliases.append(PathAlias("", True, ((root + "/") if root not in ("", ".") else "",)))
    ordered = sorted(dict.fromkeys(aliases), key=lambda a: -len(a.prefix))
    return AliasTable(tuple(ordered))


def _target(anchor: str, value: str) -> str:
    """A `paths` value as a review-relative directory (with its `/`) or prefix: `src/*` and a
    bare `*` (everything below baseUrl) are directories, `src/lib-*` a file-name prefix."""
    joined = posixpath.normpath(posixpath.join(anchor, value.replace("*", "")))
    directory = value == "*" or value.endswith(("/*", "*/"))
    return (joined + "/" if directory and joined != "." else "" if directory else joined)


def _options(rel: str, texts: Mapping[str, str], depth: int = 0) -> dict[str, object]:
    data = _loads(texts.get(rel, ""))
    options = data.get("compilerOptions") if isinstance(data.get("compilerOptions"), dict) else {}
    parent = data.get("extends")
    if isinstance(parent, str) and parent.startswith(".") and depth < _MAX_EXTENDS:
        inherited_rel = posixpath.normpath(posixpath.join(posixpath.dirname(rel), parent))
        inherited_rel += "" if inherited_rel.endswith(".json") else ".json"
        if inherited_rel in texts:
            inherited = _options(inherited_rel, texts, depth + 1)
            # the parent's baseUrl/paths are relative to the parent: re-anchor what is inherited
            if "baseUrl" in inherited and isinstance(inherited["baseUrl"], str):
                inherited["baseUrl"] = posixpath.relpath(
                    posixpath.join(posixpath.dirname(inherited_rel), inherited["baseUrl"]), posixpath.dirname(rel) or ".")
            return {**inherited, **options}  # type: ignore[dict-item]
    return dict(options)  # type: ignore[arg-type]


def _loads(text: str) -> dict[str, object]:
    """JSON with comments and trailing commas, as tsc reads it; {} when it cannot be read."""
    out: list[str] = []
    i, n, quoted = 0, len(text), False
    while i < n:
        c = text[i]
        if quoted:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                quoted = False
        elif c == '"':
            quoted = True
            out.append(c)
        elif text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        else:
            out.append(c)
        i += 1
    cleaned = re.sub(r",(\s*[}\]])", r"\1", "".join(out))
    try:
        data = json.loads(cleaned)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _landing(target: str, rest: str, wildcard: bool, modules: Mapping[str, str]) -> str:
    """The module `target` + `rest` names, with the members left over: the file's path may hold
    dots (`insights.controller`), so the longest path that is a file of the review wins."""
    if not wildcard:  # `"#db": ["src/db/index.ts"]`: the key is the whole specifier
        stem = _stem(target.rstrip("/"))
        found = modules.get(stem) or modules.get(posixpath.join(stem, _INDEX))
        return found + rest if found else ""
    head, slash, last = rest.rpartition("/")
    pieces = last.split(".")
    for cut in range(len(pieces), 0, -1):
        # `"@app/api*": ["./src/api*"]` keeps the slash after the prefix (`/middlewares`): the
        # target is a name prefix (`src/api`), so the rest goes on as written
        path = head + slash + ".".join(pieces[:cut])
        # an empty target is the review's root (`"~*": ["./*"]`): `~/lib/db` is `lib/db`, not `/lib/db`
        stem = _stem(posixpath.normpath(target + path) if target else path.lstrip("/"))
        found = modules.get(stem) or modules.get(posixpath.join(stem, _INDEX))
        if found:
            members = pieces[cut:]
            return ".".join([found, *members])
    return ""


def _stem(path: str) -> str:
    for suffix in SOURCE_SUFFIXES:
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


def module_paths(rels: Iterable[str]) -> dict[str, str]:
    """Review-relative path without its suffix -> module name, for the JS/TS files of the review."""
    return {_stem(rel): module_name_for(rel) for rel in rels if rel.endswith(SOURCE_SUFFIXES)}


def reanchored(text: str, above: str) -> str:
    """A tsconfig/jsconfig of a directory above the review root, its `baseUrl` and `paths` made
    relative to the root (`above`: the root's path from the config's directory, `src`), as if the
    config sat at the root; targets outside the root are dropped. TypeScript finds the config
    of a file by walking up from it, so a review of `src/` still uses the project's aliases."""
    options = _options("tsconfig.json", {"tsconfig.json": text})
    base = options.get("baseUrl")
    anchor = posixpath.normpath(base) if isinstance(base, str) else "."

    def inside(path: str) -> str | None:
        rel = posixpath.relpath(posixpath.normpath(posixpath.join(anchor, path)), above or ".")
        return None if rel == ".." or rel.startswith("../") else rel

    paths: dict[str, list[str]] = {}
    raw = options.get("paths")
    for key, values in (raw.items() if isinstance(raw, dict) else ()):
        if isinstance(key, str) and isinstance(values, list):
            kept = [t for t in (inside(v) for v in values if isinstance(v, str)) if t is not None]
            if kept:
                paths[key] = ["./" + t if not t.startswith(".") else t for t in kept]
    out: dict[str, object] = {"paths": paths} if paths else {}
    if isinstance(base, str) and (root_base := inside(".")) is not None:
        out["baseUrl"] = root_base
    return json.dumps({"compilerOptions": out}) if out else ""
