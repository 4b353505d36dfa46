"""Which request paths a project's own login middleware lets through unchecked.

A Django middleware (`process_request`, `__call__`, `process_view`) that redirects or refuses a
caller who is not signed in guards every view of the project, except the paths it tests before
refusing: `if not request.user.is_authenticated: if request.path not in IGNORE_URL and
re.match(OPEN_RE, request.path) is None: return redirect("/login/")`. Those tests are read here
as exemptions ("exact", "prefix" or "regex" with their literal, module-level lists and patterns
resolved); a test of the path the review cannot read yields ("unread", "") so that no route is
claimed guarded on a guess. A middleware may name the routes it spares by their URL name
instead (`if resolve(request.path_info).url_name in EXEMPT: return None`,
`request.resolver_match.url_name`, either bound to a local first): kind "name", matched
against the `name=` of the route's pattern.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Mapping

from servicelens import ir

Exemption = tuple[str, str]
# an exemption of every path *but* the ones named (`if not request.path.startswith(P): return`)
OUTSIDE = "outside-"
_PATH_ATTRS = frozenset({"path", "path_info"})
_REGEX_CALLS = frozenset({"match", "search", "fullmatch"})


def request_path_exemptions(function: ir.Function, module: ir.Module,
                            refuses: Callable[[tuple[ir.Stmt, ...]], bool]) -> tuple[Exemption, ...]:
    """The paths `function`'s sign-in check skips, or () when it tests no path. `refuses` is the
    endpoint model's own test of a branch that turns the caller away (endpoints.principals)."""
    constants = module_strings(module)
    subject = _subjects(function)
    found: list[Exemption] = []
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.If) or not _reads_path(stmt.test, subject):
            continue
        if _returns_early(stmt.body) and not refuses(stmt.body):
            found.extend(_positive(stmt.test, constants, subject))  # `if path in OPEN: return None` (let through)
        elif refuses(stmt.body):
            found.extend(_required_for_refusal(stmt.test, constants, subject))  # refuses only when the test holds
    return tuple(dict.fromkeys(found))


Subject = Callable[[ir.Expr], str]  # "path" | "name" (the resolved route's URL name) | ""


def _subjects(function: ir.Function) -> Subject:
    """What an expression of `function` stands for: the request path, the URL name of the route
    it resolves to, or neither; locals bound once to either (`current = resolve(request.path_info)
    .url_name`, `match = request.resolver_match`) stand for the same."""
    bound: dict[str, str] = {}
    matches: set[str] = set()

    def subject(expr: ir.Expr) -> str:
        if isinstance(expr, ir.Name) and expr.id in bound:
            return bound[expr.id]
        if _is_path(expr):
            return "path"
        if isinstance(expr, ir.Attr) and expr.attr in _NAME_ATTRS and _is_match(expr.value, matches):
            return "name"
        return ""

    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.op is None and stmt.value is not None and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ir.Name):
            if _is_match(stmt.value, matches):
                matches.add(stmt.targets[0].id)
            elif kind := subject(stmt.value):
                bound[stmt.targets[0].id] = kind
    return subject


_NAME_ATTRS = frozenset({"url_name", "view_name"})


def _is_match(expr: ir.Expr, locals_: set[str]) -> bool:
    """`request.resolver_match`, `resolve(request.path_info)`, or a local bound to either."""
    if isinstance(expr, ir.Name):
        return expr.id in locals_
    if isinstance(expr, ir.Attr):
        return expr.attr == "resolver_match" and "request" in (ir.dotted_name(expr.value) or "")
    return isinstance(expr, ir.Call) and ir.last_name(expr.func) == "resolve" and bool(expr.args) \
        and _is_path(expr.args[0])


def module_strings(module: ir.Module) -> Mapping[str, tuple[str, ...]]:
    """Module names bound once to a string or a tuple/list/set of strings."""
    found: dict[str, tuple[str, ...]] = {}
    for stmt in module.body:
        if isinstance(stmt, ir.Assign) and stmt.value is not None and stmt.op is None:
            values = stmt.value.elts if isinstance(stmt.value, ir.Seq) else (stmt.value,)
            strings = tuple(v.value for v in values if isinstance(v, ir.Const) and isinstance(v.value, str))
            if strings and len(strings) == len(values):
                found.update({t.id: strings for t in stmt.targets if isinstance(t, ir.Name)})
    return found


def _is_path(expr: ir.Expr) -> bool:
    name = ir.dotted_name(expr) if isinstance(expr, (ir.Name, ir.Attr)) else None
    # `request.path`, and Falcon's `req.path`
    return bool(name) and name.rsplit(".", 1)[-1] in _PATH_ATTRS and (  # type: ignore[union-attr]
        "request" in name or name.split(".")[0] == "req")  # type: ignore[union-attr]


def _reads_path(expr: ir.Expr, subject: Subject) -> bool:
    return any(subject(n) for n in ir.walk_expr(expr))


def _returns_early(body: tuple[ir.Stmt, ...]) -> bool:
    return bool(body) and isinstance(body[0], ir.Return)


def string_literals(expr: ir.Expr, constants: Mapping[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    """The strings `expr` spells: a string constant, a module constant holding strings, a literal list of
    strings; None when any part is not a literal string."""
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return (expr.value,)
    if isinstance(expr, ir.Name) and expr.id in constants:
        return constants[expr.id]
    if isinstance(expr, ir.Seq):
        values = [v.value for v in expr.elts if isinstance(v, ir.Const) and isinstance(v.value, str)]
        return tuple(values) if len(values) == len(expr.elts) else None
    return None


def _positive(test: ir.Expr, constants: Mapping[str, tuple[str, ...]], subject: Subject) -> Iterator[Exemption]:
    """Paths for which `test` holds: `path in OPEN`, `path == "/health"`, `path.startswith(P)`,
    `re.match(P, path)`; several joined by `or`; `not path.startswith("/internal/")` (the
    middleware checks only the paths it names: every other path is let through, kind
    "outside-" + the named paths' kind). Anything else about the path is unread."""
    if isinstance(test, ir.Unary) and test.op == "not" and not isinstance(test.operand, ir.BoolOp):
        named = list(_positive(test.operand, constants, subject))
        if named and all(kind in ("exact", "prefix", "regex", "name") for kind, _ in named):
            yield from ((f"{OUTSIDE}{kind}", literal) for kind, literal in named)
        else:
            yield ("unread", "")
        return
    if isinstance(test, ir.BoolOp):
        for value in test.values:
            if _reads_path(value, subject):
                yield from _positive(value, constants, subject)
        return
    if isinstance(test, ir.Compare) and len(test.ops) == 1 and subject(test.left) and test.ops[0] in ("in", "=="):
        literals = string_literals(test.comparators[0], constants)
        if literals is not None:
            kind = "exact" if subject(test.left) == "path" else "name"
            yield from ((kind, v) for v in literals)
            return
    if isinstance(test, ir.Call) and isinstance(test.func, ir.Attr) and test.args:
        if test.func.attr == "startswith" and subject(test.func.value) == "path":
            literals = string_literals(test.args[0], constants)
            if literals is not None:
                yield from (("prefix", v) for v in literals)
                return
        if test.func.attr in _REGEX_CALLS and len(test.args) >= 2 and subject(test.args[1]) == "path":
            literals = string_literals(test.args[0], constants)
            if literals is not None:
                yield from (("regex", v) for v in literals)
                return
    yield ("unread", "")


def _required_for_refusal(test: ir.Expr, constants: Mapping[str, tuple[str, ...]],
                          subject: Subject) -> Iterator[Exemption]:
    """The branch refuses when `test` holds: each `and` clause about the path names paths it
    spares (`path not in OPEN`, `re.match(P, path) is None`, `not path.startswith(P)`,
    `not (re.match(P, path) and ...)`)."""
    clauses = test.values if isinstance(test, ir.BoolOp) and test.op == "and" else (test,)
    for clause in clauses:
        if not _reads_path(clause, subject):
            continue
        if isinstance(clause, ir.Unary) and clause.op == "not":
            inner = clause.operand
            parts = inner.values if isinstance(inner, ir.BoolOp) and inner.op == "and" else (inner,)
            for part in parts:
                if _reads_path(part, subject):
                    yield from _positive(part, constants, subject)
            continue
        if isinstance(clause, ir.Compare) and len(clause.ops) == 1:
            op, right = clause.ops[0], clause.comparators[0]
            if subject(clause.left) and op in ("not in", "!="):
                literals = string_literals(right, constants)
                if literals is not None:
                    kind = "exact" if subject(clause.left) == "path" else "name"
                    yield from ((kind, v) for v in literals)
                    continue
            if op in ("is", "==") and isinstance(right, ir.Const) and right.value is None and \
                    isinstance(clause.left, ir.Call):
                yield from _positive(clause.left, constants, subject)
                continue
        yield ("unread", "")


def exempted_by_name(names: frozenset[str], exemptions: Iterable[Exemption]) -> bool:
    """Whether a route of these URL names is let through by the middleware's name tests: named in
    a list it spares, or (`if url_name not in GUARDED: return None`) named in none of the ones it
    checks. A namespaced literal (`"users:login"`) is compared by its name."""
    listed = [(kind, literal.rsplit(":", 1)[-1]) for kind, literal in exemptions if kind.endswith("name")]
    if any(kind == "name" and literal in names for kind, literal in listed):
        return True
    outside = {literal for kind, literal in listed if kind == f"{OUTSIDE}name"}
    return bool(outside) and not names & outside
