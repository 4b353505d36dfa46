"""Does a JavaScript/TypeScript file run in a browser rather than on the server (or as a command)?

servicelens reviews services. A web project's repository also holds its front end (a React
client, jQuery under `static/`), and the service rules are wrong there: a browser `fetch`
without a timeout holds no worker, a Redux action named `SET_TOKEN` is no secret comparison.
A file runs on the server when it imports a module only a server imports (express, fs, pg,
...); otherwise it runs in a browser when it imports a browser library, uses a browser
global, is JSX, or sits in an asset directory (`static/`, `web/client/`). Knowledge:
models/node/runtime_sides.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping
from importlib import resources
from pathlib import PurePosixPath

from servicelens import ir
from servicelens.packaged_yaml import packaged_yaml


@dataclass(frozen=True, slots=True)
class RuntimeSides:
    server_modules: frozenset[str]
    browser_modules: frozenset[str]
    browser_directories: frozenset[str]
    browser_globals: frozenset[str]
    command_line_modules: frozenset[str]
    server_prefixes: tuple[str, ...] = ()  # package name prefixes of server frameworks' ecosystems
    # method -> the command-line libraries that hand it the function running a command
    command_handlers: Mapping[str, frozenset[str]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def runtime_sides() -> RuntimeSides:
    data = packaged_yaml(resources.files("servicelens.models").joinpath("node/runtime_sides.yaml").read_text("utf-8"))
    return RuntimeSides(*(frozenset(data[key]) for key in ("server_modules", "browser_modules", "browser_directories",
                                                           "browser_globals", "command_line_modules")),
                        server_prefixes=tuple(data.get("server_prefixes") or ()),
                        command_handlers={method: frozenset(libraries) for method, libraries
                                          in (data.get("command_handlers") or {}).items()})


def browser_side(module: ir.Module, rel: str) -> str:
    """Why the file runs in a browser, or "" when it runs (or may run) on the server."""
    sides = runtime_sides()
    targets = {_package(target) for imp in module.imports for target in _specifiers(imp.target)}
    if targets & sides.server_modules or any(t.startswith(sides.server_prefixes) for t in targets):
        return ""
    browser = sorted(targets & sides.browser_modules)
    if browser:
        return f"imports `{browser[0]}`, a browser library"
    path = PurePosixPath(rel)
    if path.suffix in (".jsx", ".tsx"):
        return "a JSX component"
    folder = next((part for part in path.parts[:-1] if part in sides.browser_directories), "")
    if folder:
        return f"in `{folder}/`, a browser asset directory"
    used = _browser_global(module, sides.browser_globals)
    return f"uses the browser global `{used}`" if used else ""


def command_line_side(module: ir.Module) -> str:
    """Why the file is a command-line program (it imports an argument parser or a terminal prompt,
    or reads `process.argv`), or "" when nothing says so."""
    # a named import's target carries the name after the specifier (`@oclif/core.Args`)
    parsers = sorted(m for m in runtime_sides().command_line_modules for imp in module.imports
                     if imp.target == m or imp.target.startswith((m + ".", m + "/")))
    if parsers:
        return f"imports `{parsers[0]}`, a command-line library"
    argv = _first_node(module, lambda node: isinstance(node, ir.Attr) and node.attr == "argv"
                       and isinstance(node.value, ir.Name) and node.value.id == "process")
    return "reads `process.argv`" if argv is not None else ""


def _specifiers(target: str) -> tuple[str, ...]:
    """What an import may have named: `express.Router` is the member `Router` of `express` (or a
    module `express.Router`); `socket.io` is a package with a dot in its name."""
    module = target.rpartition(".")[0]
    return (target, module) if module else (target,)


def _package(target: str) -> str:
    """`react-dom/client` stays whole when listed; `lodash/fp` -> `lodash`; `node:fs` -> `fs`."""
    target = target.removeprefix("node:")
    parts = target.split("/")
    return "/".join(parts[:2]) if target.startswith("@") else target if target in _WHOLE else parts[0]


_WHOLE = frozenset({"react-dom/client", "fs/promises"})


def _browser_global(module: ir.Module, globals_: frozenset[str]) -> str:
    """The first browser global read anywhere: in the module's top level or a function body."""
    node = _first_node(module, lambda node: isinstance(node, ir.Name) and node.id in globals_)
    return node.id if isinstance(node, ir.Name) else ""


def _first_node(module: ir.Module, matches: Callable[[ir.Expr], bool]) -> ir.Expr | None:
    """The first expression node anywhere in the module (top level, then function bodies) that matches."""
    for body in (module.body, *(function.body for function in module.functions)):
        for stmt in ir.walk_stmts(body):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if matches(node):
                        return node
    return None
