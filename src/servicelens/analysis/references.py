"""Module-level functions nothing in the project names.

A finding in code no handler, command or job was found to call may be in code that runs on
requests by a route the review cannot follow, or in code that never runs. The second is common
(a superseded helper, a library function the service stopped using) and readers judge findings
there not worth a fix. A function is taken as unreferenced only when its name appears in no file
of the project other than at its own definitions (strings, settings, templates and manifests
included: a dotted path in a setting, a task name or an entry point names it), and it is not
decorated (a decorator may register it). A name built at run time (`getattr(module, "handle_" +
kind)`) is the case this cannot see; the finding then stays in the extended report.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Mapping, Sequence

from servicelens.analysis.facts import FileFacts

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def unreferenced_functions(facts: Sequence[FileFacts], files: Mapping[str, str]) -> frozenset[str]:
    """Keys (`module.name`) of undecorated module-level Python functions whose name occurs in the
    project's files (`files`: path -> text, every file read) only as often as it is defined."""
    candidates: dict[str, list[tuple[FileFacts, int]]] = {}
    for fact in facts:
        if fact.language != "python" or fact.rel not in files:
            continue
        for span in fact.spans:
            name = span.qualname
            if "." in name or name.startswith("__"):
                continue
            candidates.setdefault(name, []).append((fact, span.line))
    if not candidates:
        return frozenset()
    counts: Counter[str] = Counter()
    for text in files.values():
        counts.update(word for word in _IDENTIFIER.findall(text) if word in candidates)
    found = set()
    for name, defs in candidates.items():
        if counts[name] > len(defs):
            continue
        for fact, line in defs:
            if not decorated(files[fact.rel].splitlines(), line):
                found.add(f"{fact.module_name}.{name}")
    return frozenset(found)


def decorated(text_lines: Sequence[str], line: int) -> bool:
    """Whether the definition at 1-based `line` carries a decorator: the line itself, or the lines
    above it up to the previous statement at its indentation (a decorator's arguments may span
    lines), start with `@`."""
    index = line - 1
    if not 0 <= index < len(text_lines):
        return False
    if text_lines[index].lstrip().startswith("@"):
        return True
    indent = len(text_lines[index]) - len(text_lines[index].lstrip())
    index -= 1
    while index >= 0:
        text = text_lines[index]
        stripped = text.lstrip()
        if stripped.startswith("@"):
            return True
        if stripped and not stripped.startswith("#") and len(text) - len(stripped) <= indent \
                and not stripped.startswith((")", "]", "}")):
            return False
        index -= 1
    return False
