"""Names a project module only imports, which other modules then import from it.

    # app/auth_decorator.py
    def login_optionally_required(func): ...
    # app/flask_app.py
    from app.auth_decorator import login_optionally_required
    # app/blueprint/tags.py
    from app.flask_app import login_optionally_required

`app.flask_app.login_optionally_required` is defined nowhere: `flask_app` re-exports the
function of `auth_decorator` (a sibling, not a package re-exporting its own submodule, which
the principal table already finds by the package prefix). Each module's import targets say
where such a name really lives: the one target of that last name the module imports.
"""
from __future__ import annotations

from typing import Iterable, Mapping

_DEPTH = 4  # re-exports of re-exports are followed this far (and cycles end)


class Reexports:
    """Project-wide: module name -> what it imports (`FileFacts.imports`)."""

    def __init__(self, imports_by_module: Mapping[str, Iterable[str]]) -> None:
        self.imports = {module: tuple(targets) for module, targets in imports_by_module.items()}

    def origins(self, name: str, depth: int = 0) -> tuple[str, ...]:
        """Where `pkg.mod.name` comes from when module `pkg.mod` of the project imports `name`:
        the imported target, and where that one comes from in turn; () when `pkg.mod` is not a
        project module or imports no one thing of that name."""
        owner, _, last = name.rpartition(".")
        module = project_module(owner, self.imports) if owner and depth < _DEPTH else None
        if module is None:
            return ()
        targets = [t for t in self.imports[module] if t.rsplit(".", 1)[-1] == last and t != name]
        if len(targets) != 1:
            return ()
        return (targets[0], *self.origins(targets[0], depth + 1))


def project_module(dotted: str, modules: Iterable[str]) -> str | None:
    """The project module `dotted` names: the same name, or the module whose name is its tail
    (`app.flask_app` is module `flask_app` under a review root that is the package itself); of
    several tails, the longest. Looked up tail by tail (a few set probes), not by scanning every
    module: it runs for each principal name the table does not hold."""
    names = modules if isinstance(modules, (set, frozenset, dict)) else set(modules)
    if dotted in names:
        return dotted
    parts = dotted.split(".")
    for start in range(1, len(parts)):
        tail = ".".join(parts[start:])
        if tail in names:
            return tail
    return None
