"""A package's value handed on by a project module, named by the package project-wide.

`auth/passport.js` configures passport and ends `export default passport`; `app.js` then imports
it (`import passport from './auth/passport.js'`) and mounts `passport.initialize()`,
`passport.session()`, `passport.authenticate('jwt')`. Per file those calls are named after the
project module (`auth.passport.default.session`), so neither the middleware knowledge nor the
library models know them. Here a module-level export bound to an imported package's value
(`export default passport`, `module.exports = passport`, `exports.db = knex`, `export const
client = axios`) is recorded per file, and project-wide every name through it is renamed to
the package's (`auth.passport.default.session` -> `passport.session`).

Only packages: an export of another project module's name is already followed (taint/resolve.py
forwards, analysis/javascript_aliases.py barrels). A name reassigned in the module is not a
stable alias and is left alone.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable, Iterable, Mapping, Sequence

from servicelens import ir

_EXPORT_PREFIXES = ("exports.", "module.exports.")
_MAX_STEPS = 4


def package_exports(module: ir.Module) -> tuple[tuple[str, str], ...]:
    """(the module's exported name, project-wide, the import target its value is) for each
    module-level export whose value is an imported name; which targets are packages is only
    known project-wide (`package_renames`)."""
    imports = {i.local: i.target for i in module.imports}
    assigned = Counter(target.id for stmt in module.body if isinstance(stmt, ir.Assign)
                       for target in stmt.targets if isinstance(target, ir.Name))
    found: list[tuple[str, str]] = []
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Name) or stmt.op is not None:
            continue
        source = stmt.value.id
        if source not in imports or assigned[source]:
            continue
        for target in stmt.targets:
            exported = _exported_name(target, assigned)
            if exported is not None:
                key = f"{module.module_name}.{exported}" if exported else module.module_name
                found.append((key, imports[source]))
    return tuple(dict.fromkeys(found))


def _exported_name(target: ir.Expr, assigned: Mapping[str, int]) -> str | None:
    """The export's name below the module: "default" for `export default`, "" (the module itself,
    as `require()` names it) for `module.exports =`, None when the target exports nothing."""
    dotted = ir.dotted_name(target) or ""
    if dotted == "default":
        return "default"
    if dotted == "module.exports":
        return ""
    for prefix in _EXPORT_PREFIXES:
        rest = dotted[len(prefix):] if dotted.startswith(prefix) else ""
        if rest and "." not in rest:
            return rest
    # `export const client = axios`: a module-level name bound once to the package's value
    if isinstance(target, ir.Name) and assigned.get(target.id) == 1:
        return target.id
    return None


def package_renames(exports: Iterable[tuple[str, str]], modules: Sequence[str],
                    defined: Iterable[str] = ()) -> Callable[[str], str] | None:
    """A renaming of project-wide names through the exports whose target is no project module;
    None when there is none. `defined`: the project's own functions and classes, which stay
    theirs (a module that says `module.exports = passport` keeps its own `helper`)."""
    project = set(modules)
    table = {key: target for key, target in exports if not _in_project(target, project)}
    if not table:
        return None
    own = frozenset(defined)

    def rename(name: str) -> str:
        for _ in range(_MAX_STEPS):
            head = _longest_key(name, table)
            member = name[len(head) + 1:].split(".", 1)[0] if head else ""
            if not head or (member and f"{head}.{member}" in own):
                return name
            name = table[head] + name[len(head):]
        return name

    return rename


def _in_project(target: str, modules: set[str]) -> bool:
    parts = target.split(".")
    return any(".".join(parts[:n]) in modules for n in range(1, len(parts) + 1))


def _longest_key(name: str, table: Mapping[str, str]) -> str:
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        head = ".".join(parts[:n])
        if head in table:
            return head
    return ""
