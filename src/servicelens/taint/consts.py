"""Constant folding over the values the engine computes, with limits so folding a
pathological expression (`"a" * 10**9`) cannot blow up the review."""
from __future__ import annotations

import operator
from typing import Callable

from servicelens.taint.values import UNKNOWN

_MAX_LEN = 10_000
_BINARY: dict[str, Callable[[object, object], object]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "|": operator.or_,
    "&": operator.and_, "^": operator.xor, "<<": operator.lshift, ">>": operator.rshift,
}
_COMPARE: dict[str, Callable[[object, object], object]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge, "in": lambda a, b: a in b,  # type: ignore[operator]
    "not in": lambda a, b: a not in b,  # type: ignore[operator]
    "is": operator.is_, "is not": operator.is_not,
}
_SAFE_TYPES = (int, float, str, bytes, bool, type(None), tuple, frozenset)


def fold_binary(op: str, left: object, right: object) -> object:
    if left is UNKNOWN or right is UNKNOWN or op not in _BINARY:
        return UNKNOWN
    if not isinstance(left, _SAFE_TYPES) or not isinstance(right, _SAFE_TYPES):
        return UNKNOWN
    if op == "**" and isinstance(right, (int, float)) and abs(right) > 64:
        return UNKNOWN
    if op in ("<<",) and isinstance(right, int) and right > 64:
        return UNKNOWN
    if op == "*" and (isinstance(left, (str, bytes, tuple)) or isinstance(right, (str, bytes, tuple))):
        count = right if isinstance(right, int) else left
        if not isinstance(count, int) or count > _MAX_LEN:
            return UNKNOWN
    if op == "%" and isinstance(left, str):
        return _format_percent(left, right)
    try:
        result = _BINARY[op](left, right)
    except Exception:  # servicelens: ignore[swallowed-exception] folding must never fail the review: any error means "not constant"
        return UNKNOWN
    if isinstance(result, (str, bytes, tuple)) and len(result) > _MAX_LEN:
        return UNKNOWN
    return result


def _format_percent(template: str, args: object) -> object:
    try:
        return template % args
    except Exception:  # servicelens: ignore[swallowed-exception] a bad format at runtime is not our concern here
        return UNKNOWN


def fold_compare(op: str, left: object, right: object) -> object:
    if left is UNKNOWN or right is UNKNOWN or op not in _COMPARE:
        return UNKNOWN
    if not isinstance(left, _SAFE_TYPES) or not isinstance(right, _SAFE_TYPES):
        return UNKNOWN
    try:
        return bool(_COMPARE[op](left, right))
    except Exception:  # servicelens: ignore[swallowed-exception] e.g. comparing str with int: unknown, not an error
        return UNKNOWN


def fold_unary(op: str, operand: object) -> object:
    if operand is UNKNOWN:
        return UNKNOWN
    try:
        if op == "not":
            return not operand
        if op == "-" and isinstance(operand, (int, float)):
            return -operand
        if op == "~" and isinstance(operand, int):
            return ~operand
    except Exception:  # servicelens: ignore[swallowed-exception] folding is best effort
        return UNKNOWN
    return UNKNOWN


def truth(value: object) -> bool | None:
    """True/False when the constant's truth is known, None when it is not a constant."""
    if value is UNKNOWN:
        return None
    try:
        return bool(value)
    except Exception:  # servicelens: ignore[swallowed-exception] an object whose __bool__ fails: unknown
        return None
