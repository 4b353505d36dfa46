"""Next.js API routes: the file's path is the URL, its exports are the handlers.

    // pages/api/users/[id].ts  ->  /api/users/:id, every method the default export answers
    export default withAuth(async function handler(req, res) {
      if (req.method === 'DELETE') { ... } else { ... }
    }, { admin: true });
    // app/users/[id]/route.ts  ->  /users/:id
    export async function GET(request, { params }) { ... }
    export const POST = withAuth(async (request) => { ... });

Next.js serves each module below `pages/api` (the Pages Router) and each `route.ts` below `app`
(the App Router) at the path of its file: `index` dropped, `[id]` a parameter, `[...slug]` the
rest of the path, route groups `(admin)` and slots `@modal` naming no segment, `_private`
folders never served. A Pages Router module answers every method with its default export; the
methods are those its handler compares `req.method` with (GET for a final `else`), or all of
them when it compares none. An App Router module answers the methods it exports.

A wrapper (`withAuth(handler, options)`) returns the function Next.js calls: it runs before the
handler and may refuse, like an Express middleware, so the operation's chain is the wrappers
outermost first, then the handler; each wrapper is judged by its body wherever it is defined
(frameworks/express_auth.py), its options deciding a check they switch on or off
(frameworks/route_options.py). frameworks/express.py turns the operations into routes of a
router the application serves at the file's path. The shapes are data
(models/node/frameworks.yaml `nextjs`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from servicelens import ir
from servicelens.frameworks.file_operations import Operation
from servicelens.frameworks.js_knowledge import node_frameworks

NEXT_FRAMEWORK = "nextjs"
NEXT_ROUTER = "nextjs-route:"  # mount-graph name of the router of one module's operations
EVERY_METHOD = "ALL"
_MAX_WRAPPERS = 4
_METHOD_NOT_ALLOWED = 405  # the status of an `else` refusing every other method


@dataclass(frozen=True, slots=True)
class NextKnowledge:
    pages_dir: str
    api_dir: str
    app_dir: str
    route_file: str
    index_names: frozenset[str]
    methods: frozenset[str]
    unnamed_prefixes: tuple[str, ...]
    private_prefix: str


@lru_cache(maxsize=1)
def next_knowledge() -> NextKnowledge:
    data = node_frameworks()["nextjs"]
    return NextKnowledge(
        pages_dir=str(data["pages_dir"]), api_dir=str(data["api_dir"]), app_dir=str(data["app_dir"]),
        route_file=str(data["route_file"]), index_names=frozenset(data["index_names"]),
        methods=frozenset(data["methods"]), unnamed_prefixes=tuple(data["unnamed_prefixes"]),
        private_prefix=str(data["private_prefix"]))


@dataclass(frozen=True, slots=True)
class NextRoute:
    """Where Next.js serves a module: its URL, and which router's conventions apply."""

    path: str
    app_router: bool


def next_route(rel: str, knowledge: NextKnowledge) -> NextRoute | None:
    """The URL of a module by its path below the review root; None for a module Next.js does not
    serve as an API route (a page, a component, a helper beside a `route.ts`)."""
    stem, _, extension = rel.rpartition(".")
    if not stem or extension not in ("js", "jsx", "ts", "tsx", "mjs", "cjs"):
        return None
    parts = stem.split("/")
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == knowledge.pages_dir and parts[i + 1] == knowledge.api_dir:
            below = parts[i + 1:]
            if below[-1] in knowledge.index_names:
                below = below[:-1]
            return _route_of(below, False, knowledge)
    if parts[-1] != knowledge.route_file:
        return None
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == knowledge.app_dir:
            return _route_of(parts[i + 1:-1], True, knowledge)
    return None


def _route_of(folders: list[str], app_router: bool, knowledge: NextKnowledge) -> NextRoute | None:
    segments: list[str] = []
    for folder in folders:
        if folder.startswith(knowledge.private_prefix):
            return None
        if folder.startswith(knowledge.unnamed_prefixes):
            continue
        segments.append(_segment(folder))
    return NextRoute("/" + "/".join(segments), app_router)


def _segment(folder: str) -> str:
    """`[id]` -> `:id`, `[...slug]` and `[[...slug]]` -> `:slug*`, a plain name as it is."""
    if not (folder.startswith("[") and folder.endswith("]")):
        return folder
    name = folder.strip("[]")
    return f":{name[3:]}*" if name.startswith("...") else f":{name}"


def next_operations(module: ir.Module, route: NextRoute, knowledge: NextKnowledge) -> tuple[Operation, ...]:
    """The operations the module exports: the App Router's method functions, or the Pages
    Router's default export, one per method its handler answers."""
    functions = {f.qualname: f for f in module.functions}
    exported: dict[str, tuple[ir.Expr, int]] = {}
    for stmt in module.body:
        if isinstance(stmt, ir.Def) and stmt.qualname in functions:
            exported.setdefault(stmt.qualname, (ir.Name(stmt.line, 0, stmt.qualname), stmt.line))
        elif isinstance(stmt, ir.Assign) and stmt.value is not None:
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    exported[target.id] = (stmt.value, stmt.line)
    if route.app_router:
        return tuple(Operation(name, _chain(value, functions), None, line)
                     for name, (value, line) in exported.items() if name in knowledge.methods)
    if "default" not in exported:
        return ()
    value, line = exported["default"]
    chain = _chain(value, functions)
    handler = _function_of(chain[-1], functions)
    if handler is None or len(handler.params) < 2:
        return ()  # a page's component or a helper, not a handler of (req, res)
    return tuple(Operation(method, chain, None, line) for method in answered_methods(handler, knowledge))


def _chain(value: ir.Expr, functions: dict[str, ir.Function]) -> tuple[ir.Expr, ...]:
    """`withA(withB(handler), opts)` -> (withA(...), withB(...), handler): each wrapper call, then
    the function it is handed (a local function, an imported one, or an inline one)."""
    chain: list[ir.Expr] = []
    current = value
    while isinstance(current, ir.Call) and len(chain) < _MAX_WRAPPERS:
        inner = next((a for a in current.args if isinstance(a, (ir.Name, ir.Call))
                      and (not isinstance(a, ir.Name) or a.id in functions or not a.id.startswith("<"))), None)
        if inner is None:
            break
        chain.append(current)
        current = inner
    return tuple(chain) + (current,)


def _function_of(expr: ir.Expr, functions: dict[str, ir.Function]) -> ir.Function | None:
    return functions.get(expr.id) if isinstance(expr, ir.Name) else None


def answered_methods(handler: ir.Function, knowledge: NextKnowledge) -> tuple[str, ...]:
    """The methods `req.method` is compared with (a `switch` included), and GET where a chain of
    such comparisons ends in an `else` that answers the rest (not one refusing them with 405, as
    the `res.setHeader('Allow', ...)` idiom does); every method when none is compared."""
    request = handler.params[0].name
    found: list[str] = []
    for stmt in ir.walk_stmts(handler.body):
        if not isinstance(stmt, ir.If):
            continue
        for expr in ir.walk_expr(stmt.test):
            method = _compared_method(expr, request, knowledge)
            if method and method not in found:
                found.append(method)
        if isinstance(stmt.test, ir.Compare) and stmt.test.ops[0] == "==" and "GET" not in found \
                and _compared_method(stmt.test, request, knowledge) and _ends_in_else(stmt, request, knowledge):
            found.append("GET")
    return tuple(m for m in found if m != "OPTIONS") or (EVERY_METHOD,)


def _compared_method(expr: ir.Expr, request: str, knowledge: NextKnowledge) -> str:
    """'DELETE' for `req.method === 'DELETE'` (either side), '' otherwise."""
    if not isinstance(expr, ir.Compare) or len(expr.comparators) != 1 or expr.ops[0] not in ("==", "!=", "is"):
        return ""
    sides = (expr.left, expr.comparators[0])
    if not any(ir.dotted_name(side) == f"{request}.method" for side in sides):
        return ""
    literal = next((s.value for s in sides if isinstance(s, ir.Const) and isinstance(s.value, str)), "")
    return literal.upper() if literal.upper() in knowledge.methods else ""


def _ends_in_else(stmt: ir.If, request: str, knowledge: NextKnowledge) -> bool:
    current: ir.If = stmt
    while len(current.orelse) == 1 and isinstance(current.orelse[0], ir.If) \
            and _compared_method(current.orelse[0].test, request, knowledge):
        current = current.orelse[0]
    return bool(current.orelse) and not any(
        isinstance(node, ir.Const) and node.value == _METHOD_NOT_ALLOWED
        for stmt in ir.walk_stmts(current.orelse) for root in ir.stmt_exprs(stmt) for node in ir.walk_expr(root))
