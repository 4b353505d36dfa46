"""REST framework's default permission as a settings module computes it from the environment.

    REQUIRE_LOGIN = env.bool("REQUIRE_LOGIN", default=False)
    REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",)}
    if not REQUIRE_LOGIN:
        REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = ("rest_framework.permissions.AllowAny",)

The literal dict says IsAuthenticated, but with the variable unset the `if` replaces it: the
deployment that sets nothing serves every view to anyone. The settings module's top-level
statements are read in order with each environment read at its literal default; a switch whose
test cannot be read that way (a value computed from something else, a name assigned in a branch
whose test cannot be read) leaves the default undecided, never guessed.
"""
from __future__ import annotations

from dataclasses import dataclass

from servicelens import ir

_SETTING = "DEFAULT_PERMISSION_CLASSES"
_FALSE_TEXTS = frozenset({"", "0", "false", "no", "off", "f", "n"})
_UNKNOWN = object()  # a value the review cannot read


@dataclass(frozen=True, slots=True)
class DefaultPermissions:
    """What DEFAULT_PERMISSION_CLASSES holds with the environment unset."""

    classes: tuple[ir.Expr, ...] | None  # None: never assigned, or undecided
    switches: tuple[str, ...] = ()  # the variables whose value changed it (evidence)
    undecided: str = ""  # the test the review could not read, when it decided the value


def default_permissions(body: tuple[ir.Stmt, ...]) -> DefaultPermissions:
    """Run the module's top-level assignments and `if`s with every environment read at its default."""
    state = _State({}, None, [], "", False)
    _run(body, state, decided=True)
    if state.undecided:
        return DefaultPermissions(None, (), state.undecided)
    return DefaultPermissions(state.classes, tuple(dict.fromkeys(state.switches)) if state.classes else ())


@dataclass(slots=True)
class _State:
    values: dict[str, object]
    classes: tuple[ir.Expr, ...] | None
    switches: list[str]
    undecided: str
    pending: bool  # assigned under a test the review cannot read


def _run(body: tuple[ir.Stmt, ...], state: _State, decided: bool) -> None:
    for stmt in body:
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            _assign(stmt, state, decided)
        elif isinstance(stmt, ir.If):
            truth = _truth(stmt.test, state.values)
            if truth is None or not decided:
                for branch in (stmt.body, stmt.orelse):
                    _run(branch, state, decided=False)
                if state.pending and not state.undecided:
                    state.undecided = _text(stmt.test)
                continue
            before = state.classes
            _run(stmt.body if truth else stmt.orelse, state, decided=True)
            if state.classes is not before:  # this test decided the value: it is a switch of it
                state.switches.extend(_names(stmt.test))


def _assign(stmt: ir.Assign, state: _State, decided: bool) -> None:
    for target in stmt.targets:
        if isinstance(target, ir.Name):
            if target.id == "REST_FRAMEWORK" and isinstance(stmt.value, ir.DictExpr):
                found = _dict_setting(stmt.value)
                if found is not None:
                    _set(state, found, decided)
            state.values[target.id] = _value(stmt.value) if decided and stmt.op is None else _UNKNOWN
        elif isinstance(target, ir.Subscript) and ir.dotted_name(target.value) == "REST_FRAMEWORK" \
                and isinstance(target.index, ir.Const) and target.index.value == _SETTING:
            _set(state, _elements(stmt.value), decided)


def _set(state: _State, classes: tuple[ir.Expr, ...], decided: bool) -> None:
    if decided:  # a later plain assignment decides what an unread switch above left open
        state.classes, state.undecided, state.pending = classes, "", False
    else:
        state.pending = True


def _dict_setting(value: ir.DictExpr) -> tuple[ir.Expr, ...] | None:
    for key, item in zip(value.keys, value.values):
        if isinstance(key, ir.Const) and key.value == _SETTING:
            return _elements(item)
    return None


def _elements(value: ir.Expr) -> tuple[ir.Expr, ...]:
    return value.elts if isinstance(value, ir.Seq) else (value,)


def _value(expr: ir.Expr) -> object:
    """A literal, or an environment read (`env.bool("X", default=False)`, `os.environ.get("X", "0")`,
    `os.getenv("X")`) at its default; anything else is unknown."""
    if isinstance(expr, ir.Const):
        return expr.value
    if isinstance(expr, ir.Call) and expr.args and isinstance(expr.args[0], ir.Const) \
            and isinstance(expr.args[0].value, str) and expr.args[0].value.isupper() and _reads_environment(expr):
        default = expr.arg(1, "default")
        if default is None:
            return None
        return default.value if isinstance(default, ir.Const) else _UNKNOWN
    return _UNKNOWN


def _reads_environment(call: ir.Call) -> bool:
    """`os.environ.get`, `os.getenv`, `env.bool` / `env(...)` of django-environ, `config(...)` of
    python-decouple: a call named for the environment or its reader."""
    dotted = (ir.dotted_name(call.func) or "").lower()
    return any(word in dotted for word in ("environ", "getenv", "env", "config"))


def _truth(expr: ir.Expr, values: dict[str, object]) -> bool | None:
    if isinstance(expr, ir.Unary) and expr.op == "not":
        inner = _truth(expr.operand, values)
        return None if inner is None else not inner
    value = values.get(expr.id, _UNKNOWN) if isinstance(expr, ir.Name) else \
        expr.value if isinstance(expr, ir.Const) else _UNKNOWN
    if value is _UNKNOWN:
        return None
    if isinstance(value, str):
        return value.strip().lower() not in _FALSE_TEXTS
    return bool(value)


def _names(expr: ir.Expr) -> list[str]:
    return [node.id for node in ir.walk_expr(expr) if isinstance(node, ir.Name)]


def _text(expr: ir.Expr) -> str:
    names = _names(expr)
    return " ".join(names) if names else "a computed test"
