"""Route options that switch a middleware factory's check off for the routes that say so.

    export function route(opts) {
        opts.authentication ??= "required";
        return (req, res, next) => {
            if (opts.authentication === "required" && !req.isAuthenticated) throw UNAUTHORIZED;
            next();
        };
    }
    router.get("/me", route({}), me);                                  // checked: the default
    router.post("/login", route({ authentication: "never" }), login);  // let through

A factory whose returned middleware refuses only under a test of a field of the factory's own
parameter (`opts.authentication === "required"`, `!opts.public`), or lets the request through
early under one (`if (opts.public) return next()`), checks the caller only on the routes whose
call sets that field so, or leaves it out when its default does. The gate is read from the
factory's body (`option_gate`, kept on its Principal); each route records the literal fields its
calls pass (`call_options`, RouteFact.ref_options); the project phase asks `option_state` once
it knows which function a route's middleware names. Values are kept as JS source text
(`"never"`, `true`), so a field the review cannot read is never taken for a literal.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Iterator

from servicelens import ir

UNDEFINED = "undefined"
UNREAD = "?"  # a field whose value is not a literal
# what a route's options do to a gated factory's check (option_state)
ON, OFF, UNREAD_OPTIONS = "on", "off", "unread"
_FALSY = frozenset({"false", "null", UNDEFINED, "0", '""'})
_REFUSAL_CODES = frozenset({401, 403})
_NEGATED = {"==": "!=", "!=": "==", "truthy": "falsy", "falsy": "truthy"}


@dataclass(frozen=True, slots=True)
class OptionGate:
    """The middleware a factory returns checks the caller only while `test` holds of one field."""

    index: int  # the factory's parameter holding the options
    field: str
    test: str  # "==" | "!=" | "truthy" | "falsy"
    literal: str  # compared with, as JS source text ("" for truthiness)
    default: str  # the field's value when a call leaves it out


@dataclass(frozen=True, slots=True)
class RefOptions:
    """What one route's call of a middleware factory passes: `route({ authentication: "never" })`."""

    ref: str  # the project-wide name of the factory, as the route's principal_refs spell it
    index: int
    fields: tuple[tuple[str, str], ...]  # (field, JS source text or UNREAD)
    read: bool  # the argument is an object literal with literal keys (False: a variable, a spread, `[k]:`)


def literal_text(expr: ir.Expr | None) -> str:
    """A literal as JS source text (`"never"`, `true`, `null`, `3`); UNREAD for anything else."""
    if isinstance(expr, ir.Name) and expr.id == UNDEFINED:
        return UNDEFINED
    if not isinstance(expr, ir.Const):
        return UNREAD
    if isinstance(expr.value, bool) or expr.value is None:
        return json.dumps(expr.value)
    return json.dumps(expr.value) if isinstance(expr.value, (str, int, float)) else UNREAD


def call_options(call: ir.Call, ref: str) -> tuple[RefOptions, ...]:
    """The options a route's middleware call passes, one per argument."""
    found = []
    for index, arg in enumerate(call.args):
        if isinstance(arg, ir.DictExpr):
            fields = tuple((str(k.value), literal_text(v)) for k, v in zip(arg.keys, arg.values)
                           if isinstance(k, ir.Const))
            # a spread (`...base`) or a computed key (`[k]: "never"`) may set the gating field: unread
            found.append(RefOptions(ref, index, fields, all(isinstance(k, ir.Const) for k in arg.keys)))
        else:
            found.append(RefOptions(ref, index, (), False))
    return tuple(found)


def option_gate(family: list[ir.Function], credential: Callable[[ir.Expr], bool]) -> OptionGate | None:
    """The gate of a factory (`family[0]`) whose nested middleware refuses only under a test of
    one of the factory's parameters' fields; None when its check does not depend on one.
    `credential`: whether an expression reads the caller's credential (`req.isAuthenticated`):
    the refusing test must ask about the caller besides the option, and a branch that lets the
    request through counts only before the function's first refusal."""
    factory = family[0]
    nested = _returned(factory, family[1:])
    params = {p.name: i for i, p in enumerate(factory.params)}
    if not nested or not params:
        return None
    bound = _bound_fields(factory, params)
    for function in nested:
        for stmt in ir.walk_stmts(function.body):
            if not isinstance(stmt, ir.If):
                if isinstance(stmt, ir.Raise):
                    break
                continue
            if _refuses(stmt.body):
                terms = stmt.test.values if isinstance(stmt.test, ir.BoolOp) and stmt.test.op == "and" else (stmt.test,)
                gates = [(term, gate) for term in terms if (gate := _field_test(term, params, bound)) is not None]
                asks = any(credential(node) for term in terms if all(term is not t for t, _ in gates)
                           for node in ir.walk_expr(term))
                if gates and (asks or _asks_within(stmt.body, credential)):
                    # `opts.auth === "required" && !req.user`, or `if (!opts.optional) { if (!req.user) throw }`
                    return gates[0][1]
                if asks:
                    break  # the first check of the caller holds whatever the options say
            elif _lets_through(stmt.body):
                gate = _field_test(stmt.test, params, bound)
                if gate is not None and any(credential(node) for node in _nodes(stmt.body)) \
                        and _refuses_in_callback(stmt.body, function, nested):
                    # `if (opts.user) return getUser(req).then(u => ...)`: the branch is the check itself
                    return gate
                if gate is not None:
                    return OptionGate(gate.index, gate.field, _NEGATED[gate.test], gate.literal, gate.default)
    return None


def runs(gate: OptionGate, value: str) -> bool | None:
    """Whether the check runs for a field holding `value`; None when the value is not read."""
    if value == UNREAD:
        return None
    if gate.test == "==":
        return value == gate.literal
    if gate.test == "!=":
        return value != gate.literal
    falsy = value in _FALSY
    return falsy if gate.test == "falsy" else not falsy


def option_state(gate: OptionGate | None, name: str, options: tuple[RefOptions, ...]) -> tuple[str, str]:
    """Whether the route's call of factory `name` leaves its check on (ON), switches it off (OFF,
    with the evidence) or passes what the review cannot read (UNREAD: a variable, a spread, no
    call at all): only OFF and ON decide the route."""
    if gate is None:
        return ON, ""
    passed = next((o for o in options if o.index == gate.index), None)
    if passed is None or not passed.read:
        return UNREAD_OPTIONS, ""
    given = dict(passed.fields)
    value = given.get(gate.field, gate.default)
    checked = runs(gate, value)
    if checked is None:
        return UNREAD_OPTIONS, ""
    if checked:
        return ON, ""
    shown = name.rsplit(".", 1)[-1]
    said = f"`{gate.field}: {value}`" if gate.field in given else f"no `{gate.field}` (default {value})"
    return OFF, f"`{shown}` checks the caller only when {_condition(gate)}, and this route's options give {said}"


def declared_open(skipped: str) -> str:
    """A route's auth evidence when its own options switch its only check off: the project
    declares it open, as a sign-in page is (endpoints.public)."""
    return f"public by the project's declaration: {skipped}"


def options_of(options: tuple[RefOptions, ...], ref: str) -> tuple[RefOptions, ...]:
    return tuple(o for o in options if o.ref == ref)


def _condition(gate: OptionGate) -> str:
    if gate.test == "==":
        return f"`{gate.field}` is {gate.literal}"
    if gate.test == "!=":
        return f"`{gate.field}` is not {gate.literal}"
    return f"`{gate.field}` is {'set' if gate.test == 'truthy' else 'unset'}"


def _bound_fields(factory: ir.Function, params: dict[str, int]) -> dict[str, tuple[int, str, str]]:
    """Locals bound to a parameter's field (`const { mode = "strict" } = opts`) -> (index, field,
    default), and the parameters' fields given a default (`opts.auth ??= "required"`), keyed
    `param.field`."""
    found: dict[str, tuple[int, str, str]] = {}
    for stmt in ir.walk_stmts(factory.body):
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        for target in stmt.targets:
            field = _param_field(target, params)
            if field is not None and stmt.op in ("??", "||"):
                found[f"{ir.dotted_name(target)}"] = (*field, literal_text(stmt.value))
            elif field is not None and stmt.op is None:
                read = _with_default(stmt.value, params)
                if read is not None and read[:2] == field:
                    found[f"{ir.dotted_name(target)}"] = read
            elif isinstance(target, ir.Name) and stmt.op is None:
                read = _with_default(stmt.value, params)
                if read is not None:
                    found[target.id] = read
    return found


def _with_default(value: ir.Expr, params: dict[str, int]) -> tuple[int, str, str] | None:
    """`opts.mode` -> (index, "mode", undefined); `opts.mode || "strict"` / `?? "strict"` with its default."""
    field = _param_field(value, params)
    if field is not None:
        return (*field, UNDEFINED)
    if isinstance(value, ir.BoolOp) and value.op == "or" and len(value.values) == 2:
        field = _param_field(value.values[0], params)
        default = literal_text(value.values[1])
        if field is not None and default != UNREAD:
            return (*field, default)
    return None


def _param_field(expr: ir.Expr | None, params: dict[str, int]) -> tuple[int, str] | None:
    if isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Name) and expr.value.id in params:
        return params[expr.value.id], expr.attr
    return None


def _field_test(term: ir.Expr, params: dict[str, int], bound: dict[str, tuple[int, str, str]]) -> OptionGate | None:
    """`opts.auth === "required"`, `mode !== "off"`, `!opts.public`, `opts.secure`: a test of one
    options field, as a gate (the check runs while the term holds)."""
    if isinstance(term, ir.Unary) and term.op == "not":
        inner = _field_test(term.operand, params, bound)
        return OptionGate(inner.index, inner.field, _NEGATED[inner.test], inner.literal, inner.default) \
            if inner is not None else None
    if isinstance(term, ir.Compare) and len(term.ops) == 1 and term.ops[0] in ("==", "!="):
        left, right = term.left, term.comparators[0]
        if literal_text(left) != UNREAD:
            left, right = right, left
        field = _field_of(left, params, bound)
        literal = literal_text(right)
        if field is not None and literal != UNREAD:
            return OptionGate(field[0], field[1], term.ops[0], literal, field[2])
        return None
    field = _field_of(term, params, bound)
    return OptionGate(field[0], field[1], "truthy", "", field[2]) if field is not None else None


def _field_of(expr: ir.Expr, params: dict[str, int],
              bound: dict[str, tuple[int, str, str]]) -> tuple[int, str, str] | None:
    """(parameter index, field, default) of `opts.auth` or of a local bound to it."""
    if isinstance(expr, ir.Name) and expr.id in bound:
        return bound[expr.id]
    field = _param_field(expr, params)
    if field is None:
        return None
    return bound.get(ir.dotted_name(expr) or "", (*field, UNDEFINED))


def _refuses(body: tuple[ir.Stmt, ...]) -> bool:
    """The branch turns the caller away: it throws, or answers 401/403."""
    return any(isinstance(s, ir.Raise) for s in ir.walk_stmts(body)) or any(
        isinstance(node, ir.Const) and node.value in _REFUSAL_CODES for node in _nodes(body))


def _returned(factory: ir.Function, nested: list[ir.Function]) -> list[ir.Function]:
    """The middleware a factory returns (`return (req, res, next) => ...`), with the functions
    nested in it: a middleware's own callbacks are no factory's product."""
    names = {stmt.value.id for stmt in ir.walk_stmts(factory.body)
             if isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Name)}
    roots = [f for f in nested if f.parent == factory.qualname and f.name in names]
    return [f for f in nested if any(f is r or f.qualname.startswith(r.qualname + ".") for r in roots)]


def _asks_within(body: tuple[ir.Stmt, ...], credential: Callable[[ir.Expr], bool]) -> bool:
    """A branch of the block tests the caller's credential: the check the enclosing test gates."""
    return any(isinstance(stmt, ir.If) and any(credential(node) for node in ir.walk_expr(stmt.test))
               for stmt in ir.walk_stmts(body))


def _refuses_in_callback(body: tuple[ir.Stmt, ...], function: ir.Function, nested: list[ir.Function]) -> bool:
    """The branch hands the request to a callback of its own that turns the caller away
    (`getUser(req).then(u => { if (!u) return res.status(401) ... })`): the check runs there. A
    branch that only reads the credential on its way on (`req.user = decode(token); return next()`)
    does not check it."""
    names = {node.id for node in _nodes(body) if isinstance(node, ir.Name)}
    return any(f.name in names and f.qualname.startswith(function.qualname + ".") and _refuses(f.body)
               for f in nested)


def _lets_through(body: tuple[ir.Stmt, ...]) -> bool:
    """`return next()`, `{ next(); return; }`: the branch hands the request on before any check."""
    return bool(body) and isinstance(body[-1], ir.Return) and not _refuses(body)


def _nodes(body: tuple[ir.Stmt, ...]) -> Iterator[ir.Expr]:
    for stmt in ir.walk_stmts(body):
        for root in ir.stmt_exprs(stmt):
            yield from ir.walk_expr(root)
