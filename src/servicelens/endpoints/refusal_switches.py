"""Parameters that decide whether a method refuses at all: `require` in `authorize(..., require=False)`.

    def authorize_request(self, request, arn, permissions, require=False):
        request.state.authorized = self.authorization.authorize(request.state.entity, arn, permissions)
        if require and not request.state.authorized:
            raise HTTPException(status_code=403, detail="request not authorized")
        return request.state.authorized

Every refusal of the method sits behind `require`: a call passing `require=True` refuses a caller
without the permission, one passing `require=False` (or nothing, the default being false) only
answers whether they have it. A parameter is a switch when each refusal's branch tests it as a
conjunct (`if require and ...`, true to refuse) or its negation (`if not lenient and ...`); one the
tests read in any other way, or that an earlier branch tests, leaves the method's refusals
depending on its arguments in a way the review does not follow (`Switch.polarity` "").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from servicelens import ir
from servicelens.endpoints.blind_refusals import RefusalPath, refusal_paths

ON, OFF, UNREAD = "on", "off", "unread"


@dataclass(frozen=True, slots=True)
class Switch:
    name: str
    index: int  # its position among the method's parameters, `self` left out
    default: str  # its default's literal ("False"), "" when it has none
    polarity: bool | None  # True: refuses when it is true; False: when it is false; None: unread


def refusal_switches(function: ir.Function, refusal: Callable[[ir.Stmt], bool]) -> tuple[Switch, ...]:
    """The parameters whose value every refusal of `function` depends on."""
    params = [p for p in function.params if p.name not in ("self", "cls") and p.kind in ("positional", "keyword")]
    paths = list(refusal_paths(function.body, refusal))
    if not paths or not params:
        return ()
    found = []
    for index, param in enumerate(params):
        polarities = {_polarity(path, param.name) for path in paths}
        if _ABSENT in polarities:
            continue  # some refusal does not depend on it: the method refuses whatever it is
        polarity = polarities.pop() if len(polarities) == 1 else None
        found.append(Switch(param.name, index, _literal(param.default), polarity))  # type: ignore[arg-type]
    return tuple(found)


_ABSENT = "absent"


def _polarity(path: RefusalPath, name: str) -> bool | None | str:
    """How the refusal depends on the value of `name`: True/False as a conjunct of the branch it
    sits in, None tested otherwise (or by an earlier branch), _ABSENT not at all. A parameter only
    looked into (`request.state.authorized`) is what the check reads, not a switch of it."""
    if any(_tests_value(test, name) for test in path.preceding):
        return None
    seen = {polarity for test in path.enclosing for polarity in _conjunct(test, name)}
    if len(seen) == 1:
        return seen.pop()
    return None if seen or any(_tests_value(test, name) for test in path.enclosing) else _ABSENT


def argument_state(switches: tuple[Switch, ...], keywords: dict[str, str], positional: int) -> tuple[str, str]:
    """Whether a call with these arguments (keyword literals, "" for a non-literal; "**" for an
    unpacked mapping) reaches the refusals: (ON | OFF | UNREAD, the deciding switch's name)."""
    for switch in switches:
        given = keywords.get(switch.name)
        if given is None and "**" not in keywords and switch.index >= positional:
            given = switch.default
        if switch.polarity is None or not given:
            return UNREAD, switch.name
        truthy = given not in _FALSE
        if truthy != switch.polarity:
            return OFF, switch.name
    return ON, ""


_FALSE = frozenset({"False", "None", "0", "''", '""'})


def _conjunct(test: ir.Expr, name: str) -> set[bool]:
    """True when `name` is a conjunct of the test (`require and ...`), False when `not name` is."""
    if isinstance(test, ir.Name) and test.id == name:
        return {True}
    if isinstance(test, ir.Unary) and test.op == "not" and isinstance(test.operand, ir.Name) and test.operand.id == name:
        return {False}
    if isinstance(test, ir.BoolOp) and test.op == "and":
        return {polarity for value in test.values for polarity in _conjunct(value, name)}
    return set()


def _tests_value(test: ir.Expr, name: str) -> bool:
    """`name` itself is what the test weighs: a truth value (`if name`, `not name`, `a and name`)
    or an operand of a comparison (`name is None`, `mode == "strict"`)."""
    if isinstance(test, ir.Name):
        return test.id == name
    if isinstance(test, ir.Unary) and test.op == "not":
        return _tests_value(test.operand, name)
    if isinstance(test, ir.BoolOp):
        return any(_tests_value(value, name) for value in test.values)
    if isinstance(test, ir.Compare):  # against a literal: a comparison with the caller's data is the check
        sides = (test.left, *test.comparators)
        return any(isinstance(side, ir.Name) and side.id == name for side in sides) \
            and any(isinstance(side, ir.Const) for side in sides)
    return False


def _literal(value: ir.Expr | None) -> str:
    return repr(value.value) if isinstance(value, ir.Const) and isinstance(value.value, (bool, int, str, type(None))) \
        else ""
