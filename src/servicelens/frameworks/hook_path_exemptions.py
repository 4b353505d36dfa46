"""Which request paths a JS/TS authenticating hook lets through before it checks anyone.

    fastify.addHook('preHandler', async (request, reply) => {
      if (request.url === '/api/v1/auth/login' && request.method === 'POST') return;
      if (PUBLIC_PATHS.includes(request.url) || request.url.startsWith('/health')) return;
      checkToken(request.headers.authorization);   // ... reply.code(401)
    });

A hook (or middleware) that answers 401/403 guards every route of its scope except the ones an
early `return` (or `next()`/`done()`) spares: `if (<test of the path>) return ...` ahead of the
check. The test is read as exemptions: "exact" (`url === '/x'`, `LIST.includes(url)` with a
literal list of the module or of the hook itself), "prefix" (`url.startsWith('/x')`), "contains"
(`url.includes('/x')`), each with the methods a conjunct `method === 'POST'` limits it to;
`!url.startsWith('/api')` spares every path *outside* the one named ("outside-prefix"). A local
bound once to the path (`const full = req.originalUrl || req.url`) is read as the path. A path
test the review cannot read yields ("unread", "") so no route is called guarded on a guess.
Compared with a route's full path by `exempted` (`under_mount` for a middleware mounted under a
prefix, where Express's `req.path` is relative to it).
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from servicelens import ir
from servicelens.endpoints.request_path_exemptions import module_strings, string_literals

# what a request object holds its path in (Express `req.path`/`originalUrl`, Fastify `request.url`, Koa `ctx.path`)
_PATH_ATTRS = frozenset({"url", "path", "originalUrl", "routerPath"})
_METHOD_ATTR = "method"
_HAND_ON = frozenset({"next", "done"})
_ALIAS = "\0"  # marks a local holding the request path among the names a test may read it from
LETS_THROUGH = "lets this path through first"  # the end of the evidence of a route a guard spares
# the end of the evidence of a route a guard may spare by a path test the review cannot read
UNMATCHED = "lets through paths the review cannot match to this route"


@dataclass(frozen=True, slots=True)
class PathExemption:
    kind: str  # exact | prefix | contains | outside-exact | outside-prefix | unread
    literal: str
    methods: tuple[str, ...] = ()  # the request methods it is limited to; () for any


def hook_exemptions(function: ir.Function, module: ir.Module) -> tuple[PathExemption, ...]:
    """The paths `function` lets through before checking the caller, or () when it tests none."""
    params = {p.name for p in function.params}
    params |= _path_aliases(function, params)
    constants = {**module_strings(module), **_local_strings(function)}
    found: list[PathExemption] = []
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.If) and _reads_path(stmt.test, params) and _lets_through(stmt.body):
            found.extend(_exemptions(stmt.test, params, constants))
    return tuple(dict.fromkeys(found))


def _local_strings(function: ir.Function) -> dict[str, tuple[str, ...]]:
    """Names the hook itself binds once to a literal list of strings (`const authPaths = ['/login']`
    ahead of `if (authPaths.includes(req.path)) return next()`); a name bound twice is not read."""
    found: dict[str, tuple[str, ...]] = {}
    seen: set[str] = set()
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.Assign):
            continue
        for target in stmt.targets:
            if isinstance(target, ir.Name):
                if target.id in seen:
                    found.pop(target.id, None)
                    continue
                seen.add(target.id)
                values = stmt.value.elts if isinstance(stmt.value, ir.Seq) else (stmt.value,)
                strings = tuple(v.value for v in values if isinstance(v, ir.Const) and isinstance(v.value, str))
                if stmt.op is None and stmt.value is not None and strings and len(strings) == len(values):
                    found[target.id] = strings
    return found


def exempted(path: str, methods: tuple[str, ...], exemptions: tuple[PathExemption, ...]) -> bool:
    """Whether a route of this full path and these methods is let through by every one of its methods."""
    if not exemptions:
        return False
    if any(e.kind == "unread" for e in exemptions):
        return True  # the hook spares paths the review cannot read: none is claimed guarded
    normal = path.rstrip("/") or "/"
    for method in methods or ("*",):
        if not any((not e.methods or method in e.methods or method == "*") and _matches(normal, e) for e in exemptions):
            return False
    return True


def under_mount(exemptions: tuple[PathExemption, ...], prefix: str) -> tuple[PathExemption, ...]:
    """The exemptions of a middleware mounted under `prefix` (`app.use('/api', auth)`), as tests of
    the full path: `req.path` there is relative to the prefix and `req.originalUrl` is not, so an
    exact or prefix literal spares a route by either reading; a substring needs no rebasing; a test
    of every path outside one cannot be placed, so it is read as unread."""
    if not prefix:
        return exemptions
    base = prefix.rstrip("/")
    rebased: list[PathExemption] = []
    for e in exemptions:
        if e.kind in ("exact", "prefix"):
            rebased += [e, PathExemption(e.kind, base + e.literal if e.literal.startswith("/") else f"{base}/{e.literal}",
                                         e.methods)]
        else:
            rebased.append(e if e.kind == "contains" else PathExemption("unread", ""))
    return tuple(dict.fromkeys(rebased))


def unread(exemptions: tuple[PathExemption, ...]) -> bool:
    return any(e.kind == "unread" for e in exemptions)


def _matches(path: str, exemption: PathExemption) -> bool:
    kind = exemption.kind.removeprefix("outside-")
    literal = exemption.literal.rstrip("/") or "/"
    if kind == "contains":
        return exemption.literal in path or path.endswith(literal)
    hit = path == literal if kind == "exact" else path.startswith(exemption.literal) or path == literal
    return hit != exemption.kind.startswith("outside-")


def _lets_through(body: tuple[ir.Stmt, ...]) -> bool:
    """The branch ends the hook early without refusing: `return`, `return next()`, `return done()`
    (a 401/403 or a throw in it refuses instead)."""
    if not body or isinstance(body[0], ir.Raise):
        return False
    for stmt in body:
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Const) and node.value in (401, 403):
                    return False
    last = body[-1]
    if isinstance(last, ir.Return):
        return True
    return len(body) == 1 and isinstance(last, ir.ExprStmt) and isinstance(last.value, ir.Call) \
        and isinstance(last.value.func, ir.Name) and last.value.func.id in _HAND_ON


def _is_path(expr: ir.Expr, params: set[str]) -> bool:
    if isinstance(expr, ir.Name):
        return _ALIAS + expr.id in params  # `const fullPath = req.originalUrl || req.url`
    return isinstance(expr, ir.Attr) and expr.attr in _PATH_ATTRS and (ir.dotted_name(expr) or "").split(".")[0] in params


def _path_aliases(function: ir.Function, params: set[str]) -> set[str]:
    """Locals bound once to the request's path (`const url = req.originalUrl || req.url`), marked
    so a parameter of the same name is not taken for one."""
    bound: dict[str, int] = {}
    aliases: set[str] = set()
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign):
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    bound[target.id] = bound.get(target.id, 0) + 1
                    if stmt.op is None and stmt.value is not None and _only_path(stmt.value, params):
                        aliases.add(target.id)
    return {_ALIAS + name for name in aliases if bound[name] == 1}


def _only_path(expr: ir.Expr, params: set[str]) -> bool:
    if isinstance(expr, ir.BoolOp) and expr.op == "or":
        return all(_only_path(v, params) for v in expr.values)
    return _is_path(expr, params)


def _reads_path(expr: ir.Expr, params: set[str]) -> bool:
    return any(_is_path(n, params) for n in ir.walk_expr(expr))


def _method_limit(expr: ir.Expr, params: set[str]) -> tuple[str, ...] | None:
    """`request.method === 'POST'` -> ("POST",); None when the conjunct is no such test."""
    if isinstance(expr, ir.Compare) and len(expr.ops) == 1 and expr.ops[0] == "==":
        sides = (expr.left, expr.comparators[0])
        for one, other in (sides, sides[::-1]):
            if isinstance(one, ir.Attr) and one.attr == _METHOD_ATTR and ir.dotted_name(one) \
                    and (ir.dotted_name(one) or "").split(".")[0] in params \
                    and isinstance(other, ir.Const) and isinstance(other.value, str):
                return (other.value.upper(),)
    return None


def _exemptions(test: ir.Expr, params: set[str], constants: Mapping[str, tuple[str, ...]]) -> Iterator[PathExemption]:
    if isinstance(test, ir.BoolOp) and test.op == "or":
        for value in test.values:
            yield from _exemptions(value, params, constants)
        return
    if isinstance(test, ir.BoolOp) and test.op == "and":
        paths = [v for v in test.values if _reads_path(v, params)]
        limits = [_method_limit(v, params) for v in test.values if not _reads_path(v, params)]
        if len(paths) == 1 and all(limit is not None for limit in limits):
            methods = tuple(m for limit in limits for m in limit or ())
            for found in _exemptions(paths[0], params, constants):
                yield PathExemption(found.kind, found.literal, methods) if found.kind != "unread" else found
            return
        yield PathExemption("unread", "")
        return
    if isinstance(test, ir.Unary) and test.op == "not":
        named = list(_exemptions(test.operand, params, constants))
        if named and all(e.kind in ("exact", "prefix") and not e.methods for e in named):
            yield from (PathExemption(f"outside-{e.kind}", e.literal) for e in named)
        else:
            yield PathExemption("unread", "")
        return
    if isinstance(test, ir.Compare) and len(test.ops) == 1 and test.ops[0] == "==":
        for one, other in ((test.left, test.comparators[0]), (test.comparators[0], test.left)):
            literals = string_literals(other, constants) if _is_path(one, params) else None
            if literals is not None:
                yield from (PathExemption("exact", v) for v in literals)
                return
    if isinstance(test, ir.Call) and isinstance(test.func, ir.Attr) and len(test.args) == 1:
        if test.func.attr == "startsWith" and _is_path(test.func.value, params):
            literals = string_literals(test.args[0], constants)
            if literals is not None:
                yield from (PathExemption("prefix", v) for v in literals)
                return
        if test.func.attr == "includes" and _is_path(test.func.value, params):
            literals = string_literals(test.args[0], constants)
            if literals is not None:  # `req.path.includes('/invitation/')`: anywhere in the path
                yield from (PathExemption("contains", v) for v in literals)
                return
        if test.func.attr == "includes" and _is_path(test.args[0], params):
            literals = string_literals(test.func.value, constants)
            if literals is not None:
                yield from (PathExemption("exact", v) for v in literals)
                return
    yield PathExemption("unread", "")
