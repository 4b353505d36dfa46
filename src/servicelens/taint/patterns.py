"""What a validating regular expression lets through, read from the pattern itself.

`if not ID_RX.match(pid): return error` leaves `pid` a value the pattern matched whole. When every
character the pattern can match is neither a path separator nor a NUL, and the pattern matches
neither `.` nor `..`, such a value is one path component below the directory it is joined to:
it cannot climb out. The pattern is parsed (never matched against the reviewed code's data), so a
class such as `[\\w.-]{4,64}` is judged by what it admits, not by how it is spelled.

A substitution does the same from the other side: `re.sub(r"[^0-9a-zA-Z-]+", "", name)` removes every
character its one class matches, so when the class matches every separator, NUL and `.`, and the
replacement writes none of them back, what is left is one path component (`strips_to_one_component`).

Patterns come from the code as constants: a literal handed to `re.match`, or a name bound to
`re.compile("...")` at module level or earlier in the function.
"""
from __future__ import annotations

import re
import warnings
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Callable, Mapping

from servicelens import ir
from servicelens.taint.scope import ModuleScope

_SEPARATORS = frozenset({"/", "\\", "\x00"})
# categories that contain a separator (their complements of word, digit and space classes do)
_WIDE_CATEGORIES = frozenset({sre.CATEGORY_NOT_WORD, sre.CATEGORY_NOT_DIGIT, sre.CATEGORY_NOT_SPACE,
                              sre.CATEGORY_UNI_NOT_WORD, sre.CATEGORY_UNI_NOT_DIGIT, sre.CATEGORY_UNI_NOT_SPACE,
                              sre.CATEGORY_NOT_LINEBREAK, sre.CATEGORY_UNI_NOT_LINEBREAK})
_REPEATS = frozenset({sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)})
_ENDS = frozenset({sre.AT_END, sre.AT_END_STRING})
_STARTS = frozenset({sre.AT_BEGINNING, sre.AT_BEGINNING_STRING})
_COMPILERS = frozenset({"re.compile", "regex.compile"})
_MATCHERS = {"match": "start", "fullmatch": "full", "search": "none"}
_MULTILINE = frozenset({"M", "MULTILINE"})


def matcher_anchor(method: str) -> str | None:
    """How a pattern method anchors its match: `start` (`match`), `full` (`fullmatch`), `none`
    (`search`); None for any other method."""
    return _MATCHERS.get(method)


def one_path_component(pattern: str, anchor: str) -> bool:
    """Does a value the pattern matched (whole, given how the method anchors it) stay one path
    component: no separator, no NUL, and neither `.` nor `..`?"""
    try:
        parsed = sre_parse.parse(pattern)
        compiled = re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    items = list(parsed)
    # `(?m)`: `^` and `$` anchor lines; only `\A` and `\Z` still anchor the value
    lines = bool(parsed.state.flags & re.MULTILINE)
    starts = anchor in ("start", "full") or bool(items) and _at(items[0], _STARTS if not lines else {sre.AT_BEGINNING_STRING})
    ends = anchor == "full" or bool(items) and _at(items[-1], _ENDS if not lines else {sre.AT_END_STRING})
    if not (starts and ends) or _admits_separator(items):
        return False
    return compiled.fullmatch(".") is None and compiled.fullmatch("..") is None


def module_patterns(scope: ModuleScope) -> Mapping[str, str]:
    """The module's top-level `NAME = re.compile("...")` bindings, found once per module."""
    def qualify(expr: ir.Expr) -> str | None:
        return scope.qualify(ir.dotted_name(expr) or "", None, frozenset())
    return scope.memo("compiled-patterns", lambda: compiled_patterns(scope.module.body, qualify))


def compiled_patterns(statements: tuple[ir.Stmt, ...], qualify: Callable[[ir.Expr], str | None]) -> Mapping[str, str]:
    """Names bound to `re.compile("<constant>")` by these statements (not nested blocks)."""
    found: dict[str, str] = {}
    for stmt in statements:
        pattern = compiled_pattern(stmt, qualify)
        if pattern is not None:
            found[pattern[0]] = pattern[1]
    return found


def compiled_pattern(stmt: ir.Stmt, qualify: Callable[[ir.Expr], str | None]) -> tuple[str, str] | None:
    """`NAME = re.compile("...")` -> (NAME, pattern). Compiled multi-line (`re.M`), its `^` and `$`
    anchor lines, not the value: `abc\n../x` matches `^[a-z]+$`, so it validates nothing."""
    if not (isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name)):
        return None
    value = stmt.value
    if not (isinstance(value, ir.Call) and value.args and isinstance(value.args[0], ir.Const)
            and isinstance(value.args[0].value, str) and qualify(value.func) in _COMPILERS):
        return None
    flags = [*value.args[1:], *(k.value for k in value.kwargs if k.name == "flags")]
    if any(isinstance(n, (ir.Name, ir.Attr)) and ir.last_name(n) in _MULTILINE for f in flags for n in ir.walk_expr(f)):
        return None
    return stmt.targets[0].id, value.args[0].value


def _at(item: tuple[object, object], positions: frozenset[object]) -> bool:
    op, arg = item
    return op is sre.AT and arg in positions


def _admits_separator(items: list[tuple[object, object]]) -> bool:
    return any(_item_admits(op, arg) for op, arg in items)


def _item_admits(op: object, arg: object) -> bool:
    if op is sre.LITERAL:
        return chr(arg) in _SEPARATORS  # type: ignore[arg-type]
    if op is sre.IN:
        return _class_admits(arg)  # type: ignore[arg-type]
    if op is sre.BRANCH:
        return any(_admits_separator(list(branch)) for branch in arg[1])  # type: ignore[index]
    if op is sre.SUBPATTERN:
        return _admits_separator(list(arg[-1]))  # type: ignore[index]
    if op in _REPEATS:
        return _admits_separator(list(arg[2]))  # type: ignore[index]
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT, sre.GROUPREF):
        return False  # anchors and lookarounds consume nothing; a back-reference repeats a checked group
    return True  # `.`, a negated literal, anything not modelled: may match a separator


def _class_admits(members: list[tuple[object, object]]) -> bool:
    if any(op is sre.NEGATE for op, _ in members):
        return True
    for op, arg in members:
        if op is sre.LITERAL and chr(arg) in _SEPARATORS:  # type: ignore[arg-type]
            return True
        if op is sre.RANGE and any(arg[0] <= ord(c) <= arg[1] for c in _SEPARATORS):  # type: ignore[index]
            return True
        if op is sre.CATEGORY and arg in _WIDE_CATEGORIES:
            return True
        if op not in (sre.LITERAL, sre.RANGE, sre.CATEGORY):
            return True
    return False


# what lets a path climb or name another tree: the separators, NUL, and the dot of `.` and `..`
_CLIMBING = frozenset({"/", "\\", "\x00", "."})
_SUBSTITUTERS = frozenset({"re.sub", "regex.sub"})
# what a value stripped to one path component can no longer do; it is still the client's text
ONE_COMPONENT = frozenset({"path-traversal"})


def strips_to_one_component(pattern: str, replacement: str) -> bool:
    """Does `re.sub(pattern, replacement, value)` leave one path component whatever the value: the
    pattern is a single character class (repeated or not) matching every separator, NUL and `.`,
    and the replacement writes none of them (nor a back-reference)? What is left is made of the
    characters the class spares (`[^0-9a-zA-Z-]+` keeps letters, digits and `-`): no separator and
    no `..`. A class that spares the dot (`[^\\w.-]`) leaves `..`; a pattern of several items
    (`\\.\\./`) strips one spelling and leaves `....//` as `../`."""
    if any(c in replacement for c in _CLIMBING):
        return False
    try:
        with warnings.catch_warnings():  # the reviewed code's pattern, not ours: `[[` warns of nested sets
            warnings.simplefilter("ignore")
            items = list(sre_parse.parse(pattern))
            compiled = re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    if len(items) != 1:
        return False
    op, arg = items[0]
    if op in _REPEATS:
        inner = list(arg[2])  # type: ignore[index]
        if len(inner) != 1:
            return False
        op = inner[0][0]
    return op is sre.IN and all(compiled.fullmatch(c) for c in _CLIMBING)


def substitution_pattern(qualified: str | None, args: list[ir.Expr]) -> tuple[str, str] | None:
    """(pattern, replacement) of `re.sub("<pattern>", "<replacement>", value)` written with constants
    and replacing every match (no `count`); None for any other call."""
    if qualified not in _SUBSTITUTERS or len(args) < 3:
        return None
    pattern, replacement = args[0], args[1]
    if isinstance(pattern, ir.Const) and isinstance(pattern.value, str) \
            and isinstance(replacement, ir.Const) and isinstance(replacement.value, str):
        return pattern.value, replacement.value
    return None
