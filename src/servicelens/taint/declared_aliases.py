"""Type aliases a project declares for its parameters, across modules.

FastAPI code names its injected objects once and annotates handlers with the name:

    # app/deps.py
    CustomerRepo = Annotated[CustomerRepository, Depends(get_customer_repo)]
    # app/routes/customers.py
    async def list_customers(repo: CustomerRepo, q: str | None = None):
        return await repo.list(search=q)

The annotation `CustomerRepo` says what `repo` is: a `CustomerRepository`, whatever the dependency
builds it from. Without the alias read, `repo.list(...)` lands nowhere and a flow from `q` stops at
the handler (the inline form `Annotated[CustomerRepository, Depends(...)]` was already read, in
taint.declared). Like the declared return types (taint.declared_returns), the aliases are read
from every Python file's text before the per-file analysis and travel with the project-wide
handler names, as `alias:<module>.<Name>=<qualified type>` entries. Only module-level aliases whose
first `Annotated` argument is a plain (dotted) type name are recorded: `X = Annotated[...]`,
`X: TypeAlias = Annotated[...]` and `type X = Annotated[...]`.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping

from servicelens.lang.python.lower import module_name_for
from servicelens.lang.python.text_imports import text_imports
from servicelens.sources.line_matches import line_matches

PREFIX = "alias:"
_ALIAS = re.compile(r"(?m)^(?:type\s+)?(?P<name>[A-Za-z_]\w*)\s*(?::\s*(?:typing\.)?TypeAlias\s*)?=\s*"
                    r"(?:typing\.|typing_extensions\.)?Annotated\[\s*(?P<type>[A-Za-z_][\w.]*)\s*[,\]]")
_CLASS = re.compile(r"(?m)^class\s+(?P<name>[A-Za-z_]\w*)\b")


def declared_alias_entries(files: Iterable[tuple[str, str]]) -> frozenset[str]:
    """`alias:<module>.<Name>=<qualified type>` for each (path relative to the review root, text)
    of the project."""
    found: set[str] = set()
    for rel, text in files:
        if "Annotated[" not in text:
            continue
        module = module_name_for(rel)
        imports: dict[str, str] | None = None
        classes: set[str] | None = None
        for match in _ALIAS.finditer(text):
            declared = match.group("type")
            if declared[:1].islower() and "." not in declared:
                continue  # `Annotated[str, ...]`, `Annotated[int, ...]`: a value, not an object
            if imports is None:
                imports = text_imports(text, rel, module)
                classes = {m.group("name") for m in line_matches(_CLASS, text, ("class",))}
            head, _, rest = declared.partition(".")
            if head in imports:
                qualified = imports[head] + ("." + rest if rest else "")
            elif classes and head in classes:
                qualified = f"{module}.{declared}"
            else:
                qualified = declared
            found.add(f"{PREFIX}{module}.{match.group('name')}={qualified}")
    return frozenset(found)


def declared_aliases(entries: Iterable[str]) -> dict[str, str]:
    """`module.Name` -> qualified type, from the entries `declared_alias_entries` made."""
    return dict(entry[len(PREFIX):].split("=", 1) for entry in entries if entry.startswith(PREFIX))


def aliased_type(name: str, aliases: Mapping[str, str]) -> str | None:
    """The type the alias `name` (qualified) stands for: by its exact name, or by a dotted suffix
    either way when the review starts inside or above the package."""
    found = aliases.get(name)
    if found is not None or "." not in name:
        return found
    matches = {t for alias, t in aliases.items() if alias.endswith("." + name) or name.endswith("." + alias)}
    return matches.pop() if len(matches) == 1 else None
