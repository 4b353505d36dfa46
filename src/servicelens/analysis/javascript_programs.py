"""JavaScript/TypeScript modules a `package.json` runs as programs: the files its `bin` names
and those its `scripts` hand to a runtime (`node scripts/backfill.js`, `ts-node src/seed.ts`).

Such a module is started by hand, by CI or by a deploy step; unless it is the server itself
(it declares routes or listens, FileFacts.serves) or the service imports it, its code is a
script's (analysis/reach.py), as a Python module run by its `__main__` block is.
"""
from __future__ import annotations

import json
import posixpath
import re
import shlex
from typing import Iterable, Mapping

from servicelens.lang.javascript.modules import SOURCE_SUFFIXES

# commands that run the JS/TS file they are given
_RUNTIMES = frozenset({"node", "ts-node", "ts-node-dev", "tsx", "babel-node", "bun", "vite-node", "esno", "nodemon"})
# runtime options that take the next word as their value (a module preloaded, not the program)
_OPTIONS_WITH_VALUE = frozenset({"-r", "--require", "--import", "--loader", "--experimental-loader", "-P", "--project",
                                 "--env-file", "-e", "--eval", "--watch-path", "--exec"})
_SEPARATORS = re.compile(r"&&|\|\||;|\|")


def package_programs(manifests: Iterable[tuple[str, str]], sources: frozenset[str]) -> Mapping[str, str]:
    """Module path -> how a package.json runs it, for the modules of `sources` it names."""
    found: dict[str, str] = {}
    for rel, text in manifests:
        if posixpath.basename(rel) != "package.json":
            continue
        try:
            data = json.loads(text)
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        base = posixpath.dirname(rel)
        bins = data.get("bin")
        named = {data.get("name", "bin"): bins} if isinstance(bins, str) else bins if isinstance(bins, dict) else {}
        for name, target in named.items():
            path = _within(base, target, sources)
            if path:
                found.setdefault(path, f"a program `package.json` installs as the command `{name}`")
        scripts = data.get("scripts")
        for name, command in (scripts.items() if isinstance(scripts, dict) else ()):
            for target in _programs_run(command if isinstance(command, str) else ""):
                path = _within(base, target, sources)
                if path:
                    found.setdefault(path, f"a program the `package.json` script `{name}` runs (`{command.strip()}`)")
    return found


def _programs_run(command: str) -> list[str]:
    """The files a shell command hands to a JS runtime: `node -r dotenv/config scripts/x.js` -> scripts/x.js."""
    out = []
    for part in _SEPARATORS.split(command):
        try:
            words = shlex.split(part)
        except ValueError:
            words = part.split()
        for i, word in enumerate(words):
            if posixpath.basename(word) not in _RUNTIMES:
                continue
            skip = False
            for arg in words[i + 1:]:
                if skip:
                    skip = False
                elif arg in _OPTIONS_WITH_VALUE:
                    skip = True
                elif arg.startswith("-") or "=" in arg:
                    continue
                else:
                    if arg.endswith(SOURCE_SUFFIXES):
                        out.append(arg)
                    break
            break
    return out


def _within(base: str, target: object, sources: frozenset[str]) -> str:
    if not isinstance(target, str) or not target:
        return ""
    path = posixpath.normpath(posixpath.join(base, target))
    return path if path in sources else ""
