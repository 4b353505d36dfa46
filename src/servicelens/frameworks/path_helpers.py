"""Route paths a project method builds: `router.post(this.routerPath('send'), ...)`.

A router kept on a project object often registers each route under a path its class (or a base
class in another module) computes from a literal: `routerPath(p, withName = true)` returning
`'/' + p` plus `/:name` when asked. The per-file reader records each such call as a placeholder
path (`{this.routerPath('send')}`) with its literal arguments, and every method of a class whose
body only builds a string from its parameters and literals as a template. The project phase fills
each placeholder by the method its class (or the nearest base class declaring it) defines; one
it cannot evaluate keeps the placeholder, whose braces say the path is partly unknown.

A template is a list of pieces, each a literal or a parameter, each appended always or only when
a parameter is truthy (`if (withName) url += '/:name'`, `withName ? (url += ...) : null`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from servicelens import ir

_MAX_BASES = 8
# a call's literal argument: str, bool, number or None (a missing argument takes the default)
Literal = str | bool | int | float | None


@dataclass(frozen=True, slots=True)
class Piece:
    """Appended to the result: the literal `text`, or the parameter numbered `param` (>= 0);
    only when parameter `when` (>= 0) is truthy (falsy with `negated`), always when `when` < 0."""

    text: str = ""
    param: int = -1
    when: int = -1
    negated: bool = False


@dataclass(frozen=True, slots=True)
class PathHelper:
    key: str  # module.Class.method
    defaults: tuple[Literal, ...]  # per parameter: its default, None when it has none
    pieces: tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class PathCall:
    """A route path written as a call of the registering object's own method."""

    placeholder: str  # the route's path until resolved
    owner: str  # module.Class whose method registers the route
    method: str
    args: tuple[Literal, ...]


@dataclass(frozen=True, slots=True)
class PathHelperFacts:
    helpers: tuple[PathHelper, ...] = ()
    calls: tuple[PathCall, ...] = ()
    bases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (module.Class, its base classes, project-wide)


def module_helpers(module: ir.Module, imports: dict[str, str]) -> tuple[tuple[PathHelper, ...],
                                                                         tuple[tuple[str, tuple[str, ...]], ...]]:
    """The string-building methods of the module's classes, and each class's bases by project-wide name."""
    helpers = []
    for function in module.functions:
        if function.class_name and function.name != "constructor":
            pieces = _template(function)
            if pieces is not None:
                defaults = tuple(_literal(p.default) if p.default is not None else None for p in function.params)
                helpers.append(PathHelper(f"{module.module_name}.{function.class_name}.{function.name}",
                                          defaults, pieces))
    local = {cls.name for cls in module.classes}
    bases = []
    for cls in module.classes:
        named = tuple(_base_name(b, module.module_name, local, imports) for b in cls.bases)
        if any(named):
            bases.append((f"{module.module_name}.{cls.qualname}", tuple(n for n in named if n)))
    return tuple(helpers), tuple(bases)


def helper_call(expr: ir.Expr, owner: str) -> PathCall | None:
    """`this.routerPath('send', false)` inside a method of `owner`: the call, when its arguments are literals."""
    if not (isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and isinstance(expr.func.value, ir.Name)
            and expr.func.value.id == "self" and not expr.kwargs):
        return None
    args = []
    for arg in expr.args:
        if not isinstance(arg, ir.Const) or not isinstance(arg.value, (str, bool, int, float, type(None))):
            return None
        args.append(arg.value)
    shown = ", ".join(repr(a).lower() if isinstance(a, bool) else repr(a) for a in args)
    return PathCall(f"{{this.{expr.func.attr}({shown})}}", owner, expr.func.attr, tuple(args))


def resolved_paths(facts: Sequence[PathHelperFacts]) -> dict[tuple[str, str], str]:
    """(owner class, placeholder) -> the path its helper builds, for every call that can be evaluated."""
    helpers = {h.key: h for fact in facts for h in fact.helpers}
    bases = {key: parents for fact in facts for key, parents in fact.bases}
    found = {}
    for fact in facts:
        for call in fact.calls:
            helper = _declared(call.owner, call.method, helpers, bases)
            path = evaluate(helper, call.args) if helper is not None else None
            if path is not None:
                found[(call.owner, call.placeholder)] = path
    return found


def evaluate(helper: PathHelper, args: tuple[Literal, ...]) -> str | None:
    bound = [args[i] if i < len(args) else helper.defaults[i] for i in range(len(helper.defaults))]
    out = []
    for piece in helper.pieces:
        if piece.when >= 0 and bool(bound[piece.when]) == piece.negated:
            continue
        if piece.param >= 0:
            value = bound[piece.param]
            if not isinstance(value, str):
                return None
            out.append(value)
        else:
            out.append(piece.text)
    return "".join(out)


def _declared(owner: str, method: str, helpers: dict[str, PathHelper],
              bases: dict[str, tuple[str, ...]]) -> PathHelper | None:
    """The method as the class declares it or inherits it from the nearest base that does."""
    queue, seen = [owner], set()
    while queue and len(seen) < _MAX_BASES:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        found = helpers.get(f"{current}.{method}")
        if found is not None:
            return found
        queue.extend(bases.get(current, ()))
    return None


def _template(function: ir.Function) -> tuple[Piece, ...] | None:
    """The pieces a method's body appends, when it is straight-line string building over its
    parameters and literals ending in a return; None for anything else."""
    params = {p.name: i for i, p in enumerate(function.params) if p.kind == "positional"}
    if len(params) != len(function.params):
        return None
    variables: dict[str, list[Piece]] = {}
    body = list(function.body)
    for index, stmt in enumerate(body):
        if isinstance(stmt, ir.Return):
            pieces = _pieces(stmt.value, params, variables) if stmt.value is not None else None
            return tuple(pieces) if pieces is not None else None
        if isinstance(stmt, ir.Assign):
            held = index + 1 < len(body) and _ternary_assignment(body[index + 1], body, index + 1)
            condition = _condition_after(body, index, stmt, params)
            if (held and condition is None) or not _assigned(stmt, params, variables, condition):
                return None
            continue
        if isinstance(stmt, ir.ExprStmt) and _ternary_assignment(stmt, body, index):
            continue
        if isinstance(stmt, ir.If) and not stmt.orelse and _condition(stmt.test, params) is not None:
            when, negated = _condition(stmt.test, params)  # type: ignore[misc]
            for inner in stmt.body:
                if not (isinstance(inner, ir.Assign) and _assigned(inner, params, variables, (when, negated))):
                    return None
            continue
        return None
    return None


def _assigned(stmt: ir.Assign, params: dict[str, int], variables: dict[str, list[Piece]],
              condition: tuple[int, bool] | None) -> bool:
    """`let url = '/' + name` / `url += '/:id'` (under `condition` when a branch holds it)."""
    if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ir.Name) or stmt.value is None:
        return False
    name = stmt.targets[0].id
    pieces = _pieces(stmt.value, params, variables)
    if pieces is None or stmt.op not in (None, "+") or name in params:
        return False
    if condition is not None:
        if stmt.op != "+" or name not in variables:
            return False
        if any(p.when >= 0 for p in pieces):
            return False
        pieces = [Piece(p.text, p.param, condition[0], condition[1]) for p in pieces]
    if stmt.op == "+":
        if name not in variables:
            return False
        variables[name] = variables[name] + pieces
    else:
        variables[name] = pieces
    return True


def _condition_after(body: list[ir.Stmt], index: int, stmt: ir.Assign,
                     params: dict[str, int]) -> tuple[int, bool] | None:
    """`withName ? (url += '/:name') : null` lowers to the assignment followed by the ternary
    that reads its target: the assignment holds only under the ternary's condition."""
    following = body[index + 1] if index + 1 < len(body) else None
    if not (isinstance(following, ir.ExprStmt) and isinstance(following.value, ir.IfExp)
            and following.line == stmt.line and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name)):
        return None
    branch, target = following.value, stmt.targets[0].id
    condition = _condition(branch.test, params)
    if condition is None:
        return None
    if isinstance(branch.body, ir.Name) and branch.body.id == target:
        return condition
    if isinstance(branch.orelse, ir.Name) and branch.orelse.id == target:
        return condition[0], not condition[1]
    return None


def _ternary_assignment(stmt: ir.Stmt, body: list[ir.Stmt], index: int) -> bool:
    """The ternary that follows an assignment it holds (see _condition_after)."""
    before = body[index - 1] if index else None
    return isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.IfExp) and isinstance(before, ir.Assign) and before.line == stmt.line


def _condition(test: ir.Expr, params: dict[str, int]) -> tuple[int, bool] | None:
    """`withName` / `!withName`: (parameter number, negated)."""
    if isinstance(test, ir.Name) and test.id in params:
        return params[test.id], False
    if isinstance(test, ir.Unary) and test.op == "not" and isinstance(test.operand, ir.Name) \
            and test.operand.id in params:
        return params[test.operand.id], True
    return None


def _pieces(expr: ir.Expr, params: dict[str, int], variables: dict[str, list[Piece]]) -> list[Piece] | None:
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return [Piece(expr.value)]
    if isinstance(expr, ir.Name) and expr.id in params:
        return [Piece(param=params[expr.id])]
    if isinstance(expr, ir.Name) and expr.id in variables:
        return list(variables[expr.id])
    if isinstance(expr, ir.BinOp) and expr.op == "+":
        left, right = _pieces(expr.left, params, variables), _pieces(expr.right, params, variables)
        return left + right if left is not None and right is not None else None
    if isinstance(expr, ir.FormattedString):
        out: list[Piece] = []
        for part in expr.parts:
            found = _pieces(part, params, variables)
            if found is None:
                return None
            out.extend(found)
        return out
    return None


def _literal(expr: ir.Expr) -> Literal:
    return expr.value if isinstance(expr, ir.Const) and isinstance(expr.value, (str, bool, int, float)) else None


def _base_name(base: ir.Expr, module: str, local: set[str], imports: dict[str, str]) -> str:
    dotted = ir.dotted_name(base) or ""
    if dotted in local:
        return f"{module}.{dotted}"
    head, _, rest = dotted.partition(".")
    return imports[head] + (f".{rest}" if rest else "") if head in imports else ""
