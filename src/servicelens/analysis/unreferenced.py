"""Code nothing in the review names: a module-level function, or a class's private method,
whose name appears nowhere in the reviewed files but where it is defined; and a method nothing
outside its class calls, in a class the project only makes and calls (analysis/unreferenced_methods.py:
a vendored client's forty methods, of which the project calls two).

Reach (analysis/reach.py) concludes nothing from a function no handler, command or job was
found to call: the call graph misses dynamic dispatch, signals and framework hooks. A name
written nowhere else is a stronger fact. Whatever calls such a function must find it without
spelling it: a registry filled by a decorator (so a definition is never judged under a decorator
that may register it; one that only wraps, a cache or a retry, registers nothing:
models/vocabulary/wrapping_decorators.yaml), a
dotted path in a settings string (a string that spells the name counts), a framework hook
called by its conventional name (so public methods are never judged: `get_queryset` is written
nowhere in the project, yet the framework calls it), a plugin class found through an entry point
or a subclass registry (so classes are never judged: on the development half of the triage
corpus, plugin classes no reviewed file names carried 29 missing-timeout findings labelled true).
What is left is, in the labelled corpus, code kept after its last caller went: a helper whose
callers were rewritten, a private method nothing calls. A missing timeout or a slow loop there
costs nothing until someone calls it again.

Counting is by word: an occurrence of the name as a whole word in any reviewed file (YAML, JSON,
Dockerfiles, templates: anywhere) other than its own definition names it; in Python code, every
occurrence does but those that cannot lead to a call: an import that keeps the name (`from m
import name`, a re-export), an entry of `__all__`, a docstring and a comment. A helper re-exported
from its package's `__init__` and mentioned in a docstring, which nothing then uses, is as dead as
one never mentioned (on the nineteenth validation set a dead request helper was reported three
times for that reason). Anything else errs toward "named": a string that spells the name (a
settings path, a `getattr` key), an import under another name, a parameter or another definition
of the same name, and a Python file that does not parse.
Python only: other languages' modules and exports are not judged here. Only where the review
reaches something (a route, a command, a job): a file, a library or half-wired new code reviewed
alone has no caller in the review by construction (analysis/project.py).
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Mapping, Sequence

from servicelens.analysis.ast_nodes import ast_nodes
from servicelens.analysis.unreferenced_methods import ClassUses, ModuleUses, inert_strings, module_uses, uncalled_methods
from servicelens.packaged_yaml import packaged_yaml

UNREFERENCED = "unreferenced"  # a reach kind (analysis/reach.py): code nothing in the review names
_LOCALS = ".<locals>."


@dataclass(frozen=True, slots=True)
class Definition:
    """A top-level function or class of a module, by the name a caller would have to write."""

    path: str
    name: str
    line: int  # of its `def`/`class` statement
    owner: str = ""  # for a method: its module-level class


@lru_cache(maxsize=1)
def wrapping_decorators() -> frozenset[str]:
    text = resources.files("servicelens.models").joinpath("vocabulary", "wrapping_decorators.yaml").read_text("utf-8")
    return frozenset((packaged_yaml(text) or {}).get("wrapping") or ())


def caller_spelled(qualname: str) -> tuple[str, ...]:
    """The names, outermost first, of the definitions a caller must spell to run code at
    `qualname`: a nested function runs through the function it is defined in, a method through
    its class and its own name."""
    return tuple(qualname.split(_LOCALS, 1)[0].split("."))


def unnamed_definitions(candidates: Iterable[Definition], texts: Mapping[str, str]) -> frozenset[Definition]:
    """The candidates nothing in the review calls (see `uncalled_definitions`)."""
    return frozenset(uncalled_definitions(candidates, texts))


def uncalled_definitions(candidates: Iterable[Definition], texts: Mapping[str, str]) -> dict[Definition, str]:
    """The candidates nothing in the review calls, with why. A function, or a private method of a
    class not judged whole: its name no reviewed file spells anywhere but in its own definition,
    and no decorator registers it. A method of a class the project only makes and calls
    (analysis/unreferenced_methods.py): nothing outside its class calls it, directly or through
    another method of the class. `texts`: every reviewed file's text, by path."""
    wrapping = wrapping_decorators()
    pending = {d for d in candidates
               if not (d.name.startswith("__") and d.name.endswith("__")) and not _decorated(texts.get(d.path, ""), d.line, wrapping)}
    if not pending:
        return {}
    spellings: dict[str, PythonSpellings | None] = {}
    parsed: dict[str, ModuleUses | None] = {}
    uses = ClassUses(texts, lambda path: parsed[path] if path in parsed
                     else parsed.setdefault(path, module_uses(texts.get(path, ""), wrapping)), known=parsed.__contains__)
    classes: dict[tuple[str, str], frozenset[str] | None] = {}
    asked: dict[tuple[str, str], set[str]] = {}  # each class's methods in question: only those are judged
    for definition in pending:
        if definition.owner:
            asked.setdefault((definition.path, definition.owner), set()).add(definition.name)
    found: dict[Definition, str] = {}
    for definition in sorted(pending, key=lambda d: (d.path, d.line)):
        if definition.owner:
            key = (definition.path, definition.owner)
            if key not in classes:
                classes[key] = uncalled_methods(definition.path, definition.owner, uses, sorted(asked[key]))
            uncalled = classes[key]
            if uncalled is not None:
                if definition.name in uncalled:
                    found[definition] = _outside_evidence(definition)
                continue
            if not definition.name.startswith("_"):
                continue  # a public method of a class a framework or a registry may call by name
        if not _spelled_elsewhere(definition, texts, spellings, uses):
            found[definition] = _evidence(definition)
    return found


def _spelled_elsewhere(definition: Definition, texts: Mapping[str, str],
                       spellings: dict[str, PythonSpellings | None], uses: ClassUses) -> bool:
    """Does the name appear as a whole word anywhere but its own definition, in a place that can
    lead to a call? The files spelling it as a whole word are met in order (`uses.spelling`, the
    search the methods' reading shares); a non-Python one, or a module already read, decides at
    once; a Python module not read yet is read for its spellings (once per review, `spellings`)
    only when no file met decides it."""
    word = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(definition.name)}(?![A-Za-z0-9_])")
    own = texts.get(definition.path, "")
    if len(word.findall(own)) > 1 and _names(spellings, definition.path, own, definition.name, definition.line, word):
        return True
    unread: list[str] = []
    for path in uses.spelling(definition.name):
        if path == definition.path:
            continue
        if not path.endswith(".py"):
            return True
        if path not in spellings:
            unread.append(path)
        elif _names(spellings, path, texts[path], definition.name, 0, word):
            return True
    return any(_names(spellings, path, texts[path], definition.name, 0, word) for path in unread)


def _names(spellings: dict[str, PythonSpellings | None], path: str, text: str, name: str, own_line: int,
           word: re.Pattern[str]) -> bool:
    if path not in spellings:
        spellings[path] = python_spellings(text)
    found = spellings[path]
    return found is None or found.names(name, own_line, word)


@dataclass(frozen=True, slots=True)
class PythonSpellings:
    """Where a Python module spells names in a way that can lead to a call: a use of the name or
    of an attribute so called, an import under another name, a parameter, a keyword, a global;
    the definitions by name and line; and its strings in code. Imports that keep the name,
    `__all__` entries, docstrings and comments are left out: they cannot lead to a call."""

    used: frozenset[str]
    definitions: Mapping[str, tuple[int, ...]]
    strings: tuple[str, ...]

    def names(self, name: str, own_line: int, word: re.Pattern[str]) -> bool:
        """Is `name` spelled here where it can lead to a call (the definition at `own_line`, if
        any, excepted)?"""
        if name in self.used or any(line != own_line for line in self.definitions.get(name, ())):
            return True
        return any(name in s and word.search(s) for s in self.strings)


def python_spellings(text: str) -> PythonSpellings | None:
    """A module's spellings; None when it does not parse (then it names everything)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    nodes = ast_nodes(tree).nodes  # one walk for both readings
    inert = inert_strings(tree, nodes)
    used: set[str] = set()
    definitions: dict[str, list[int]] = {}
    strings: list[str] = []
    for node in nodes:
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            definitions.setdefault(node.name, []).append(node.lineno)
        elif isinstance(node, ast.alias):
            if node.asname and node.asname != node.name.rpartition(".")[2]:
                used.add(node.name.rpartition(".")[2])
        elif isinstance(node, (ast.arg, ast.keyword)):
            if node.arg:
                used.add(node.arg)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            used.update(node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inert:
            strings.append(node.value)
    return PythonSpellings(frozenset(used), {k: tuple(v) for k, v in definitions.items()}, tuple(strings))


def _decorated(text: str, line: int, wrapping: frozenset[str]) -> bool:
    """Is the definition at `line` (its `def` line) decorated with something that may register
    it? A decorator that only wraps (`wrapping`: a cache, a retry) registers nothing."""
    lines = text.splitlines()
    index = line - 1
    if not 0 <= index < len(lines):
        return True  # cannot tell: treat as registered
    above = index - 1
    while above >= 0:
        stripped = lines[above].strip()
        if not stripped or stripped.startswith("#"):
            above -= 1
            continue
        if not stripped.startswith("@"):
            return False
        if _decorator_name(stripped) not in wrapping:
            return True
        above -= 1
    return False


def _decorator_name(line: str) -> str:
    """The last dotted part of the decorator a line starting with `@` names."""
    return line[1:].split("(", 1)[0].strip().rpartition(".")[2]


def judged_definitions(path: str, text: str, qualnames: Sequence[str]) -> dict[str, Definition]:
    """qualname -> the definition whose name decides whether anything calls it:
    - a module-level function (`def name` at column 0), by its name;
    - a method (not a dunder) of a module-level class, with the class as its owner: judged by who
      calls it from outside the class when the class is one the project only makes and calls
      (analysis/unreferenced_methods.py), else, when private, by its name (a framework calls hooks
      by their public conventional names, never a class's private helpers).
    A class is not judged, nor anything defined below the top level of the module (made by a
    factory, under a condition)."""
    lines = text.splitlines()
    out: dict[str, Definition] = {}
    for qualname in qualnames:
        names = caller_spelled(qualname)
        if len(names) == 1:
            line = _definition_line(lines, names[0], 0, len(lines), indented=False)
        elif len(names) == 2 and not (names[1].startswith("__") and names[1].endswith("__")):
            owner = _definition_line(lines, names[0], 0, len(lines), indented=False, kind="class")
            line = _definition_line(lines, names[1], owner, _block_end(lines, owner), indented=True) if owner else 0
        else:
            continue
        if line:
            out[qualname] = Definition(path, names[-1], line, names[0] if len(names) == 2 else "")
    return out


def _definition_line(lines: Sequence[str], name: str, start: int, end: int, *, indented: bool,
                     kind: str = "def") -> int:
    """1-based line of the first `def name` (or `class name`) in lines[start:end], at column 0
    unless `indented`; 0 when there is none."""
    for index in range(start, end):
        line = lines[index]
        if not line or line[0].isspace() != indented:
            continue
        match = _DEFINITION.match(line.lstrip())
        if match and match.group(2) == name and (match.group(1) == "class") == (kind == "class"):
            return index + 1
    return 0


def _block_end(lines: Sequence[str], first: int) -> int:
    """The index after the last line of the block whose header is line `first` (1-based): up to
    the next line at column 0 that is code."""
    for index in range(first, len(lines)):
        line = lines[index]
        if line and not line[0].isspace() and not line.startswith(("#", ")", "]", "}")):
            return index
    return len(lines)


_DEFINITION = re.compile(r"(?:async\s+)?(def|class)\s+([A-Za-z_][A-Za-z0-9_]*)\b")


def unnamed_finding_places(places: Iterable[tuple[str, str]], texts: Mapping[str, str]) -> dict[tuple[str, str], str]:
    """(path, qualname) of the functions findings sit in -> why nothing in the review names them
    (the evidence a reader checks with one search), for those whose top-level name is spelled
    nowhere else. `places`: Python functions whose reach is unknown."""
    by_path: dict[str, list[str]] = {}
    for path, qualname in places:
        if qualname and path in texts:
            by_path.setdefault(path, []).append(qualname)
    definitions = {(path, q): d for path, qualnames in by_path.items()
                   for q, d in judged_definitions(path, texts[path], sorted(set(qualnames))).items()}
    uncalled = uncalled_definitions(definitions.values(), texts)
    return {place: uncalled[d] for place, d in definitions.items() if d in uncalled}


def _evidence(definition: Definition) -> str:
    what = "method" if definition.owner else "function"
    return (f"no reviewed file names the {what} `{definition.name}` (defined at {definition.path}:{definition.line}) "
            "outside its definition, and no decorator registers it: nothing calls this code")


def _outside_evidence(definition: Definition) -> str:
    return (f"nothing outside the class `{definition.owner}` calls its method `{definition.name}` (defined at "
            f"{definition.path}:{definition.line}), directly or through another of its methods, and the class has "
            "no framework base and is never handed over as a value: nothing calls this code")
