"""Execution paths through a function body, for rules that ask "can these happen together?".

Not a rule (it defines no RULE). `paths()` enumerates, for one statement block, the sets of
statements (by line) that can run in one execution: `if/elif/else` and `match` cases are
alternatives, a `return`/`raise` ends a path, a loop body counts as one path holding all
of its statements (iterations may take different branches), an `except` handler can run
after any prefix of its `try` body, `finally` runs on every path.

Sibling `if` blocks that dispatch on the same subject with incompatible tests are treated
as alternatives too: `x == "a"` then `x == "b"`, `x.startswith("n.")` then
`x.startswith("r.")`, and `"delete" in request.POST` then `"rename" in request.POST` (an
HTML form posts the one submit button that was pressed; only `request.POST`/`GET`/`form`,
not a JSON body, where several keys often arrive together). The subject is assumed not to
change between the two tests.

Only the lines in `interesting` are recorded, so paths that differ only in irrelevant
statements collapse; past `limit` distinct paths the caller gets None and should fall
back to treating the whole body as one path.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from servicelens import ir

_Fact = tuple[str, str, str]  # (subject, "in" | "==" | "prefix", constant)
_FORMS = frozenset({"POST", "GET", "form"})  # submitted HTML forms: one button per submission


@dataclass(frozen=True, slots=True)
class _State:
    lines: frozenset[int]
    open: bool  # False once the path has returned, raised, broken or continued
    facts: frozenset[_Fact]


class _TooMany(Exception):
    pass


def paths(body: tuple[ir.Stmt, ...], interesting: Iterable[int], limit: int = 512) -> list[frozenset[int]] | None:
    """Distinct sets of `interesting` lines that one execution of `body` can run, or None
    when there are more than `limit` of them."""
    walker = _Walker(frozenset(interesting), limit)
    try:
        states = walker.block(body, [_State(frozenset(), True, frozenset())])
    except _TooMany:
        return None
    return list(dict.fromkeys(s.lines for s in states))


class _Walker:
    def __init__(self, interesting: frozenset[int], limit: int) -> None:
        self.interesting = interesting
        self.limit = limit

    def block(self, stmts: tuple[ir.Stmt, ...], states: list[_State]) -> list[_State]:
        for stmt in stmts:
            if not any(s.open for s in states):
                break
            nxt: list[_State] = []
            for state in states:
                nxt.extend(self.stmt(stmt, state) if state.open else (state,))
            states = list(dict.fromkeys(nxt))
            if len(states) > self.limit:
                raise _TooMany
        return states

    def _add(self, state: _State, lines: Iterable[int]) -> _State:
        extra = self.interesting.intersection(lines)
        return _State(state.lines | extra, state.open, state.facts) if extra else state

    def stmt(self, stmt: ir.Stmt, state: _State) -> list[_State]:
        here = self._add(state, (stmt.line,))
        if isinstance(stmt, ir.If):
            facts = _facts(stmt.test)
            taken: list[_State] = []
            if not any(_excludes(f, g) for f in facts for g in here.facts):
                taken = self.block(stmt.body, [_State(here.lines, True, here.facts | facts)])
            return taken + self.block(stmt.orelse, [here])
        if isinstance(stmt, (ir.For, ir.While)):
            inner = [s.line for s in ir.walk_stmts(stmt.body + stmt.orelse)]
            return [self._add(here, inner)]
        if isinstance(stmt, ir.With):
            return self.block(stmt.body, [here])
        if isinstance(stmt, ir.Try):
            return self._try(stmt, here)
        if isinstance(stmt, (ir.Return, ir.Raise)) or (isinstance(stmt, ir.Jump) and stmt.kind != "pass"):
            return [_State(here.lines, False, here.facts)]
        return [here]

    def _try(self, stmt: ir.Try, state: _State) -> list[_State]:
        done = self.block(stmt.body, [state])
        done = [s for s in done if not s.open] + self.block(stmt.orelse, [s for s in done if s.open])
        if stmt.handlers:
            # a handler runs after any prefix of the body: assume all of it ran
            failed = self._add(state, [s.line for s in ir.walk_stmts(stmt.body)])
            for handler in stmt.handlers:
                done += self.block(handler.body, [failed])
        if not stmt.finalbody:
            return done
        out: list[_State] = []
        for s in done:
            after = self.block(stmt.finalbody, [_State(s.lines, True, s.facts)])
            out.extend(a if s.open else _State(a.lines, False, a.facts) for a in after)
        return out


def _facts(test: ir.Expr) -> frozenset[_Fact]:
    """What a true `test` says about a subject: `"k" in req.POST`, `x == "a"`, `x.startswith("n.")`."""
    parts = test.values if isinstance(test, ir.BoolOp) and test.op == "and" else (test,)
    found: set[_Fact] = set()
    for part in parts:
        if isinstance(part, ir.Compare) and len(part.ops) == 1:
            left, right, op = part.left, part.comparators[0], part.ops[0]
            if op == "in" and _string(left) is not None and (_subject(right) or "").rsplit(".", 1)[-1] in _FORMS:
                found.add((_subject(right), "in", _string(left)))  # type: ignore[arg-type]
            elif op == "==":
                for subject, const in ((left, right), (right, left)):
                    if _string(const) is not None and _subject(subject):
                        found.add((_subject(subject), "==", _string(const)))  # type: ignore[arg-type]
        elif isinstance(part, ir.Call) and isinstance(part.func, ir.Attr) and part.func.attr == "startswith" \
                and len(part.args) == 1 and _string(part.args[0]) is not None and _subject(part.func.value):
            found.add((_subject(part.func.value), "prefix", _string(part.args[0])))  # type: ignore[arg-type]
    return frozenset(found)


def _excludes(a: _Fact, b: _Fact) -> bool:
    if a[0] != b[0] or a[1] != b[1] or a[2] == b[2]:
        return False
    if a[1] == "prefix":
        return not (a[2].startswith(b[2]) or b[2].startswith(a[2]))
    return True


def _string(expr: ir.Expr) -> str | None:
    return expr.value if isinstance(expr, ir.Const) and isinstance(expr.value, str) else None


def _subject(expr: ir.Expr) -> str | None:
    """A stable text for `request.POST`, `data["action"]`, `request.GET.get("op")`."""
    if isinstance(expr, ir.Subscript):
        base, key = _subject(expr.value), _string(expr.index)
        return f"{base}[{key!r}]" if base and key is not None else None
    if isinstance(expr, ir.Call):
        base = _subject(expr.func)
        keys = [_string(a) for a in expr.args]
        return f"{base}({', '.join(map(repr, keys))})" if base and None not in keys and not expr.kwargs else None
    return ir.dotted_name(expr)


def tested_missing(test: ir.Expr) -> str | None:
    """The name an `if` tests for being absent: `x` in `if not x:` and in `if x is None:`."""
    if isinstance(test, ir.Unary) and test.op == "not" and isinstance(test.operand, ir.Name):
        return test.operand.id
    if isinstance(test, ir.Compare) and test.ops == ("is",) and isinstance(test.left, ir.Name) \
            and isinstance(test.comparators[0], ir.Const) and test.comparators[0].value is None:
        return test.left.id
    return None
