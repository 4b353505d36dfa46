"""File-routed operations (express-openapi): a directory of modules, each one URL, each exporting
the HTTP operations served there.

    initialize({ app, apiDoc, paths: './api/paths' });        // or path.resolve(__dirname, 'paths')
    initialize({ app, apiDoc, paths: [{ path: '/health', module: require('./health') }] });
    // api/paths/users/{id}.js
    module.exports = { GET: [requireUser, getUser], DELETE: remove };     // or `export const GET = ...`
    export default function (deps) { const operations = { GET, PUT }; ...; return operations; }

The library (openapi-framework with fs-routes) registers every module below a `paths` directory
on the app, at the module's path below it: extension and a trailing `index` dropped, `{id}` a
path parameter. What a module serves is the keys of its export named as HTTP methods (`GET`,
`get`, `del`, ...), or of what its exported function returns (the library calls it with its
dependencies); each value is a handler, or an array of middleware ending with the handler,
which Express runs in order like a route's chain.

This module only reads shapes: the operations of one module (`module_operations`) and what an
`initialize()` call mounts (`mounted_by`). frameworks/express.py turns them into routes and
mount edges, and frameworks/express_mounts.py joins the directories with the modules below them.
The shapes are data (models/node/frameworks.yaml `file_operations`).
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Callable, Iterator, Mapping

from servicelens import ir
from servicelens.frameworks.js_knowledge import node_frameworks

# mount-graph names: a directory of operation modules, and the operations of one module
FOLDER = "file-operations-folder:"
OPERATIONS = "file-operations:"
_PARAM = re.compile(r"\{([^{}/]+)\}")


@dataclass(frozen=True, slots=True)
class FileOperationsKnowledge:
    packages: frozenset[str]
    initialize: str
    app_option: str
    paths_option: str
    item_path: str
    item_module: str
    methods: Mapping[str, str]  # export key -> HTTP method
    index_names: frozenset[str]
    dirname_names: frozenset[str]  # `__dirname`
    path_joins: frozenset[str]  # `path.join`, `path.resolve`


@dataclass(frozen=True, slots=True)
class Operation:
    """One exported operation: its HTTP method, the handlers as written (middleware first), and
    the function whose locals they name (the exported factory), None at module level."""

    method: str
    handlers: tuple[ir.Expr, ...]
    scope: ir.Function | None
    line: int


@dataclass(frozen=True, slots=True)
class Mounted:
    """What one `initialize()` serves on `app`: directories (relative to the review root, or as
    written when relative to the working directory: `cwd` True) and single modules at a path."""

    app: ir.Expr
    folders: tuple[tuple[str, bool], ...]
    modules: tuple[tuple[str, str], ...]  # (URL path, module name)


@lru_cache(maxsize=1)
def file_operations_knowledge() -> FileOperationsKnowledge:
    data = node_frameworks()
    f = data["file_operations"]
    return FileOperationsKnowledge(
        packages=frozenset(f["packages"]), initialize=str(f["initialize"]), app_option=str(f["app_option"]),
        paths_option=str(f["paths_option"]), item_path=str(f["item_path"]), item_module=str(f["item_module"]),
        methods=MappingProxyType({str(k): str(v) for k, v in f["methods"].items()}),
        index_names=frozenset(f["index_names"]), dirname_names=frozenset(f["dirname_names"]),
        path_joins=frozenset(f["path_joins"]))


def url_of(relative: str, knowledge: FileOperationsKnowledge) -> str:
    """`users/{id}.ts` -> `/users/:id`, `users/index.js` -> `/users`, the directory's own
    `index.js` -> '' (the directory itself): a module's URL below its directory, in Express's
    parameter syntax (the library converts `{id}` the same way)."""
    stem = relative.rsplit(".", 1)[0] if "." in posixpath.basename(relative) else relative
    parts = [p for p in stem.split("/") if p]
    if parts and parts[-1] in knowledge.index_names:
        parts.pop()
    return express_path("/" + "/".join(parts)) if parts else ""


def express_path(path: str) -> str:
    return _PARAM.sub(r":\1", path)


# ---------------------------------------------------------------- a module's operations
def module_operations(module: ir.Module, knowledge: FileOperationsKnowledge) -> tuple[Operation, ...]:
    """The operations a module exports, by the first shape that has any: an exported object
    (`module.exports = {...}`, `export default {...}`), `exports.GET = ...` and top-level
    `GET`s, or the object the exported function returns."""
    functions = {f.qualname: f for f in module.functions}
    found: dict[str, Operation] = {}
    for stmt in module.body:
        if isinstance(stmt, ir.Def) and stmt.qualname in knowledge.methods and stmt.qualname.isupper():
            found.setdefault(knowledge.methods[stmt.qualname], Operation(
                knowledge.methods[stmt.qualname], (ir.Name(stmt.line, 0, stmt.qualname),), None, stmt.line))
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        for target in stmt.targets:
            whole = ir.dotted_name(target) in ("module.exports", "default")
            key = _exported_key(target)
            if whole and isinstance(stmt.value, ir.DictExpr):
                for operation in _dict_operations(stmt.value, None, knowledge):
                    found.setdefault(operation.method, operation)
            elif whole and isinstance(stmt.value, ir.Name) and stmt.value.id in functions:
                for operation in _returned_operations(functions[stmt.value.id], functions, knowledge):
                    found.setdefault(operation.method, operation)
            elif key in knowledge.methods and (key.isupper() or not isinstance(target, ir.Name)):
                found.setdefault(knowledge.methods[key], Operation(knowledge.methods[key],
                                                                   _handlers(stmt.value), None, stmt.line))
    exported = functions.get("default")
    if exported is not None and not found:  # `export default function () { ...; return operations; }`
        found.update((o.method, o) for o in _returned_operations(exported, functions, knowledge))
    return tuple(found.values())


def _exported_key(target: ir.Expr) -> str:
    """`GET` of `const GET =` (a top-level binding), `exports.GET =` / `module.exports.GET =`."""
    if isinstance(target, ir.Name):
        return target.id
    dotted = ir.dotted_name(target) or ""
    for prefix in ("module.exports.", "exports."):
        if dotted.startswith(prefix) and "." not in dotted[len(prefix):]:
            return dotted[len(prefix):]
    return ""


def _dict_operations(value: ir.DictExpr, scope: ir.Function | None,
                     knowledge: FileOperationsKnowledge) -> Iterator[Operation]:
    for key, item in zip(value.keys, value.values):
        if isinstance(key, ir.Const) and isinstance(key.value, str) and key.value in knowledge.methods:
            handlers = _handlers(item if item is not None else ir.Name(key.line, key.col, key.value))
            yield Operation(knowledge.methods[key.value], handlers, scope, key.line)


def _returned_operations(function: ir.Function, functions: Mapping[str, ir.Function],
                         knowledge: FileOperationsKnowledge) -> Iterator[Operation]:
    """What the exported factory returns: an object literal, or a local bound to one."""
    local: dict[str, ir.DictExpr] = {}
    for stmt in function.body:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.DictExpr):
            local.update((t.id, stmt.value) for t in stmt.targets if isinstance(t, ir.Name))
        if isinstance(stmt, ir.Return) and stmt.value is not None:
            returned = local.get(stmt.value.id) if isinstance(stmt.value, ir.Name) else stmt.value
            if isinstance(returned, ir.DictExpr):
                yield from _dict_operations(returned, function, knowledge)
                return


def _handlers(value: ir.Expr) -> tuple[ir.Expr, ...]:
    """`[requireUser, requireRole('admin'), update]` or a single handler."""
    if isinstance(value, ir.Seq):
        return tuple(e.value if isinstance(e, ir.Starred) else e for e in value.elts)
    return (value,)


# ---------------------------------------------------------------- what initialize() mounts
def mounted_by(call: ir.Call, module: ir.Module, qualify: Callable[[ir.Expr], str],
               imports: Mapping[str, str], knowledge: FileOperationsKnowledge) -> Mounted | None:
    """`initialize({ app, paths })` of a file-operations package, read from its options."""
    if not isinstance(call.func, (ir.Name, ir.Attr)) or not call.args:
        return None
    name = qualify(call.func)
    package, _, method = name.rpartition(".")
    if method != knowledge.initialize or package not in knowledge.packages:
        return None
    options = call.args[0]
    app = ir.option(options, knowledge.app_option)
    paths = ir.option(options, knowledge.paths_option)
    if app is None or paths is None:
        return None
    folders: list[tuple[str, bool]] = []
    modules: list[tuple[str, str]] = []
    for item in paths.elts if isinstance(paths, ir.Seq) else (paths,):
        if isinstance(item, ir.DictExpr):
            pair = _path_item(item, imports, knowledge)
            if pair is not None:
                modules.append(pair)
            continue
        folder = _folder(item, module, qualify, knowledge)
        if folder is not None:
            folders.append(folder)
    return Mounted(app, tuple(folders), tuple(modules)) if folders or modules else None


def _folder(expr: ir.Expr, module: ir.Module, qualify: Callable[[ir.Expr], str],
            knowledge: FileOperationsKnowledge) -> tuple[str, bool] | None:
    """A directory: a string (the working directory's), `path.join(__dirname, 'x')` (this
    module's), or `list.map(r => ({ path: '/' + r, module: require(`./dir/${r}`) }))`, whose
    items are the modules below `./dir` at their own paths."""
    here = posixpath.dirname(module.path)
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return posixpath.normpath(expr.value), True
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and qualify(expr.func) in knowledge.path_joins \
            and expr.args \
            and ir.dotted_name(expr.args[0]) in knowledge.dirname_names \
            and all(isinstance(a, ir.Const) and isinstance(a.value, str) for a in expr.args[1:]):
        return posixpath.normpath(posixpath.join(here, *(str(a.value) for a in expr.args[1:]))), False  # type: ignore[union-attr]
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr == "map" and expr.args:
        mapper = next((f for f in module.functions if isinstance(expr.args[0], ir.Name)
                       and f.qualname == expr.args[0].id), None)
        returned = next((s.value for s in mapper.body if isinstance(s, ir.Return)), None) if mapper else None
        required = ir.option(returned, knowledge.item_module)
        head = _required_folder(required)
        if head is not None and mapper is not None and mapper.params \
                and _names(ir.option(returned, knowledge.item_path), mapper.params[0].name) \
                and _names(required, mapper.params[0].name):
            return posixpath.normpath(posixpath.join(here, head)), False
    return None


def _required_folder(expr: ir.Expr | None) -> str | None:
    """`require(`./routers/v1/${r}`)`: the literal directory before the first substitution."""
    if not (isinstance(expr, ir.Call) and isinstance(expr.func, ir.Name) and expr.func.id == "require"
            and expr.args and isinstance(expr.args[0], ir.FormattedString)):
        return None
    head = expr.args[0].parts[0] if expr.args[0].parts else None
    if not isinstance(head, ir.Const) or not isinstance(head.value, str) or not head.value.endswith("/") \
            or not head.value.startswith("."):
        return None
    return head.value


def _names(expr: ir.Expr | None, name: str) -> bool:
    return expr is not None and any(isinstance(n, ir.Name) and n.id == name for n in ir.walk_expr(expr))


def _path_item(item: ir.DictExpr, imports: Mapping[str, str],
               knowledge: FileOperationsKnowledge) -> tuple[str, str] | None:
    """`{ path: '/health', module: require('./health') }` (or an imported module's name)."""
    path = ir.option(item, knowledge.item_path)
    target = ir.option(item, knowledge.item_module)
    if not (isinstance(path, ir.Const) and isinstance(path.value, str) and isinstance(target, ir.Name)):
        return None
    module = imports.get(target.id, "")
    module = module.removesuffix(".default")
    return (express_path(path.value), module) if module else None
