"""Route paths written as a string constant: `@Get(AUTH_LOGIN_PATH)`, `@Controller(HEALTH_ROUTE)`.

A constant of the module (`const HEALTH_ROUTE = 'health'`) is its literal at once. One imported
from another module of the project is a placeholder naming it project-wide
(`{common.constants.AUTH_LOGIN_PATH}`), and every module's top-level path-like string constants
are kept as helpers without parameters (frameworks/path_helpers.py), so the project phase fills
the placeholder in where that module binds the constant to a literal (`filled`); anything else (a
computed value, a constant no module of the review writes) keeps the placeholder, whose braces
say the path is unknown. Never "/" on a guess.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from servicelens import ir
from servicelens.endpoints.request_path_exemptions import module_strings
from servicelens.frameworks.path_helpers import PathHelper, Piece
from servicelens.lang.javascript.modules import imported_name

# a literal that can be (part of) a route path: no spaces, no sentences
_PATHLIKE = re.compile(r"^[\w\-/:.*]{0,200}$")
_PLACEHOLDER = re.compile(r"\{([\w$.\-/@]+)\}")


def constant_helpers(module: ir.Module) -> tuple[PathHelper, ...]:
    """The module's top-level constants bound to one path-like string, as helpers of no parameter."""
    return tuple(PathHelper(f"{module.module_name}.{name}", (), (Piece(text=values[0]),))
                 for name, values in module_strings(module).items()
                 if len(values) == 1 and _PATHLIKE.match(values[0]) and not _listed(module, name))


def _listed(module: ir.Module, name: str) -> bool:
    """Bound to a list (`const OPEN = ['/a']`): a list of paths, not one."""
    return any(isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Seq)
               and any(isinstance(t, ir.Name) and t.id == name for t in stmt.targets) for stmt in module.body)


def constant_path(expr: ir.Name, module: ir.Module, imports: dict[str, str]) -> str:
    """The path a constant stands for: its literal when this module binds it, else a placeholder
    naming the imported constant project-wide; "" for a name bound to anything else here."""
    local = module_strings(module).get(expr.id)
    if local is not None and len(local) == 1 and not _listed(module, expr.id):
        return local[0]
    imported = imported_name(expr, imports)
    return "{" + imported + "}" if imported else ""


def filled(path: str, constants: Mapping[str, str]) -> str:
    """`{common.constants.AUTH_LOGIN_PATH}/x` with that constant's literal put in its place."""
    return _PLACEHOLDER.sub(lambda m: constants.get(m.group(1), m.group(0)), path) if "{" in path else path
