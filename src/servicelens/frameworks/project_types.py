"""Parameter types a project defines in one module and uses in another.

    # app/types.py
    DocId = Annotated[str, Path(pattern=r"^[a-z0-9-]{1,36}$")]
    def require_scopes(*scopes): return Annotated[User, Security(get_current_user, scopes=list(scopes))]
    # app/routes.py
    @router.patch("/docs/{doc_id}")
    async def rename(doc_id: DocId, user: require_scopes("docs:write")): ...

What a parameter's annotation means is decided where it is defined: `doc_id` can only be text
the pattern admits, and `user` is what `get_current_user` returns, not the client's text, and
the route runs only for callers it accepts. A file cannot see another file's definitions, so,
like the names `Depends(...)` targets (endpoints.dependencies), they are read from every Python
file before the per-file pass and travel with the project-wide handler names, as entries:

- `injected:<module>.<name>`: a type alias (`X = Annotated[...]`, `X: TypeAlias = ...`,
  `type X = ...`) holding a `Depends(...)`/`Security(...)`, or a module-level function returning
  one (a factory called in an annotation or a default): FastAPI resolves it, the client sends
  nothing under that parameter's name;
- `validated:<module>.<name>`: an alias of a strictly parsed type or of text that must match a
  plain anchored pattern (frameworks.validated_types), an Enum class, or a function returning
  such a constraint (`def id_path(): return Path(pattern=...)`).

Only the statements that may define one are cut out of a file's text (bracket-balanced, at
column 0) and parsed; the rest of the file is not.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from servicelens import ir
from servicelens.frameworks.caller_dependencies import caller_entries, callers_table, caller_params
from servicelens.frameworks.constrained_text import constrains_text
from servicelens.frameworks.validated_types import (
    ENUM_BASES,
    KnownTypes,
    module_validated_names,
)
from servicelens.lang.python.lower import lower_module, module_name_for
from servicelens.lang.python.text_imports import text_imports
from servicelens.sources.line_matches import line_matches

INJECTED = "injected:"
VALIDATED = "validated:"
_MARKERS = frozenset({"Depends", "Security"})
# the words a file, then a cut-out statement, must hold to be worth parsing
_WORDS = ("Annotated[", "Depends(", "Security(", "constr(", "conint(", "confloat(", "condecimal(", "Literal[", "UUID",
          "pattern=", "regex=")
_WORTH = re.compile(r"Annotated\[|Depends\(|Security\(|\bcon(?:str|int|float|decimal)\(|Literal\[|UUID|pattern=|regex=")
_ASSIGN = re.compile(r"(?m)^(?:type\s+)?[A-Za-z_]\w*\s*(?::[^=\n]*)?=(?!=)")
_DEF = re.compile(r"(?m)^(?:async\s+)?def\s+\w+")
_ENUM = re.compile(r"(?m)^class\s+(?P<name>\w+)\s*\((?P<bases>[^)]*)\)")
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_NEXT_CODE_LINE = re.compile(r"\n(?=[^\s#)\]}])")


def project_type_entries(files: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The entries for each (path relative to the review root, text) of the project: the
    definitions, then the names other modules give them (`from .deps import CurrentUser` in a
    package's `__init__`, `ViewNode: type[User] = require_scopes(NODE_VIEW)`), two steps deep."""
    files = [(module_name_for(rel), rel, text) for rel, text in files]
    if not any("fastapi" in text for _module, _rel, text in files):
        return frozenset()  # only FastAPI handlers read them (frameworks.python_handlers)
    found: set[str] = set()
    enums: set[str] = set()  # imported where they are defined; not followed through re-exports
    cuts: list[tuple[str, dict[str, str], ir.Module]] = []  # what frameworks.caller_dependencies reads
    parsers = None
    for module_name, _rel, text in files:
        enums.update(f"{VALIDATED}{module_name}.{m.group('name')}" for m in line_matches(_ENUM, text, ("class",))
                     if {b.strip().rsplit(".", 1)[-1] for b in m.group("bases").split(",")} & ENUM_BASES)
        if not any(word in text for word in _WORDS):
            continue
        cut = "\n".join(_statements(text))
        if not cut:
            continue
        if parsers is None:
            from servicelens.sources.parsing import ParserPool

            parsers = ParserPool()
        lowered = _lowered(cut, module_name, parsers)
        found.update(_entries(lowered))
        cuts.append((module_name, text_imports(text, _rel, module_name), lowered))
    for _step in range(2):
        added = _renamed(files, _table(found)) - found if found else set()
        if not added:
            break
        found |= added
    return frozenset(found | enums | caller_entries(cuts))


def _renamed(files: list[tuple[str, str, str]], table: ProjectTypes) -> set[str]:
    """Entries for the names modules give the known definitions: an import (a re-export), a
    module-level alias of one (`Admin = CurrentAdmin`), and an alias built by calling a factory
    that injects (`ViewNode = require_scopes(NODE_VIEW)`)."""
    names = {*table.injected, *table.validated}
    found: set[str] = set()
    for module_name, rel, text in files:
        imports = text_imports(text, rel, module_name)
        for local, target in imports.items():
            last = target.rpartition(".")[2]
            if last in names:
                found.update(f"{prefix}{module_name}.{local}" for prefix, kinds in
                             ((INJECTED, table.injected), (VALIDATED, table.validated)) if _matches(kinds, target))
        for match in _NAMED.finditer(text):
            name, value, called = match.group("name"), match.group("value"), bool(match.group("call"))
            if value.rsplit(".", 1)[-1] not in names or name == value:
                continue
            if table.injects(value, imports, module_name):
                found.add(f"{INJECTED}{module_name}.{name}")
            elif not called and table.validates(value, imports, module_name):
                found.add(f"{VALIDATED}{module_name}.{name}")
    return found


# a module-level name bound to another name or to a call of one: `ViewNode: type[User] = require_scopes(...)`
_NAMED = re.compile(r"(?m)^(?P<name>[A-Za-z_]\w*)\s*(?::[^=\n]*)?=\s*(?P<value>[A-Za-z_][\w.]*)\s*(?P<call>\()?")


def _statements(text: str) -> Iterator[str]:
    """Module-level assignments and `type` statements that may define an alias, and module-level
    functions that may return a dependency or a constraint, as they are written."""
    for match in _ASSIGN.finditer(text):
        statement = text[match.start():_balanced_end(text, match.end())]
        if _WORTH.search(statement):
            yield statement
    for match in line_matches(_DEF, text, ("def", "async")):
        block = text[match.start():_block_end(text, match.end())]
        if "return" in block and _WORTH.search(block):
            yield block


def _balanced_end(text: str, start: int) -> int:
    """Where the statement starting before `start` ends: the first line break outside brackets
    and strings."""
    depth, index, quote = 0, start, ""
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif text.startswith(quote, index):
                index += len(quote) - 1
                quote = ""
        elif char in "\"'":
            quote = char * 3 if text.startswith(char * 3, index) else char
            index += len(quote) - 1
        elif char == "#":
            newline = text.find("\n", index)
            index = len(text) if newline < 0 else newline - 1
        elif char in _OPENERS:
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char == "\n" and depth == 0:
            return index
        index += 1
    return len(text)


def _block_end(text: str, start: int) -> int:
    """Where a `def` at column 0 ends: the next line at column 0 that is code (a closing
    bracket of its signature, a comment or a blank line does not end it)."""
    found = _NEXT_CODE_LINE.search(text, start)
    return found.start() if found else len(text)


def _lowered(cut: str, module_name: str, parsers: object) -> ir.Module:
    tree = parsers.parse("python", cut.encode("utf-8", "surrogateescape"))  # type: ignore[attr-defined]
    # the path only names the module (`module_name_for` gives `module_name` back)
    return lower_module(tree.root_node, module_name.replace(".", "/") + ".py", tuple(cut.splitlines()))


def _entries(module: ir.Module) -> Iterator[str]:
    prefix = module.module_name
    for name in module_validated_names(module):
        yield f"{VALIDATED}{prefix}.{name}"
    for stmt in module.body:
        if isinstance(stmt, ir.Assign) and stmt.value is not None and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ir.Name) and _injects(stmt.value):
            yield f"{INJECTED}{prefix}.{stmt.targets[0].id}"
    for function in module.functions:
        if function.parent is not None or function.class_name is not None:
            continue
        returned = [s.value for s in ir.walk_stmts(function.body) if isinstance(s, ir.Return) and s.value is not None]
        if any(_injects(value) for value in returned):
            yield f"{INJECTED}{prefix}.{function.name}"
        elif returned and all(constrains_text(value) for value in returned):
            yield f"{VALIDATED}{prefix}.{function.name}"


def _injects(expr: ir.Expr) -> bool:
    """`Annotated[User, Depends(current_user)]`, `Depends(check)`: FastAPI resolves it."""
    return any(isinstance(node, ir.Call) and (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1] in _MARKERS
               for node in ir.walk_expr(expr))


@dataclass(frozen=True, slots=True)
class ProjectTypes:
    """The entries, by last name, for the lookups of one module's annotations."""

    injected: Mapping[str, tuple[str, ...]]
    validated: Mapping[str, tuple[str, ...]]
    # dependencies, factories and aliases whose value is the caller's (frameworks.caller_dependencies)
    callers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def caller_params(self, function: ir.Function, imports: Mapping[str, str], module_name: str) -> frozenset[str]:
        """The function's parameters FastAPI fills with the caller's value."""
        return caller_params(function, imports, module_name, self.callers)

    def injects(self, dotted: str, imports: Mapping[str, str], module_name: str) -> bool:
        return _defined(self.injected, dotted, imports, module_name)

    def validates(self, dotted: str, imports: Mapping[str, str], module_name: str) -> bool:
        return _defined(self.validated, dotted, imports, module_name)

    def known(self, imports: Mapping[str, str], module_name: str, local: frozenset[str] = frozenset()) -> KnownTypes:
        """What `validated_types` asks of the module's annotations."""
        return KnownTypes(local, lambda dotted: self.validates(dotted, imports, module_name))


def _defined(table: Mapping[str, tuple[str, ...]], dotted: str, imports: Mapping[str, str], module_name: str) -> bool:
    """`dotted` as written in the module names one of `table`'s definitions: imported from its
    module, or defined in the module itself."""
    if not dotted or not table.get(dotted.rsplit(".", 1)[-1]):
        return False
    head, _, rest = dotted.partition(".")
    if head in imports:
        return _matches(table, imports[head] + (f".{rest}" if rest else ""))
    return not rest and _matches(table, f"{module_name}.{dotted}")


def _matches(table: Mapping[str, tuple[str, ...]], wanted: str) -> bool:
    """A definition of `table` is `wanted` (a project-wide dotted name): the review may start above
    or inside the package, so a dotted suffix either way matches; a package re-exporting it from
    a submodule too."""
    package, _, last = wanted.rpartition(".")
    return any(key == wanted or key.endswith("." + wanted) or wanted.endswith("." + key)
               or _reexported(key, package) for key in table.get(last, ()))


def _reexported(key: str, package: str) -> bool:
    """`from app.auth import CurrentUser` where `app/auth/deps.py` defines it (and
    `app/auth/__init__.py` re-exports it): the definition lies inside the imported package."""
    module = key.rsplit(".", 1)[0]
    if f".{package}." in f".{module}.":
        return True
    # the review starts inside the package: `auth.deps` defines what `app.auth` re-exports
    parts = module.split(".")
    return any(package.endswith("." + ".".join(parts[:n])) for n in range(1, len(parts)))


@lru_cache(maxsize=1)
def project_types(entries: frozenset[str]) -> ProjectTypes:
    """The table of the entries `project_type_entries` made (kept for the review's one set)."""
    return _table(entries)


def _table(entries: Iterable[str]) -> ProjectTypes:
    entries = tuple(entries)
    injected: dict[str, list[str]] = {}
    validated: dict[str, list[str]] = {}
    for entry in entries:
        if entry.startswith(INJECTED):
            key = entry[len(INJECTED):]
            injected.setdefault(key.rsplit(".", 1)[-1], []).append(key)
        elif entry.startswith(VALIDATED):
            key = entry[len(VALIDATED):]
            validated.setdefault(key.rsplit(".", 1)[-1], []).append(key)
    return ProjectTypes({k: tuple(v) for k, v in injected.items()}, {k: tuple(v) for k, v in validated.items()},
                        callers_table(entries))
