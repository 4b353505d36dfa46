"""Statements that can never run, found once per file for every rule and both languages.

A statement after an unconditional `return`, `raise`/`throw`, `continue` or `break` in the same
block never runs; nor does one after a compound statement none of whose ways out reaches it: an
`if`/`else` whose every branch leaves, a `try` whose body (or `else`) and every handler leave, or
whose `finally` leaves itself, a `while True` loop nothing breaks out of; nor one after a call that
never returns (models/vocabulary/never_return.yaml: `sys.exit`, Flask's `abort`, `process.exit`,
and a function of the same module, called by its bare name, whose every path raises or calls such a
function); nor the body of `if False:`/`if 0:` and `while False:`. A finding there describes code
that cannot happen: a missing timeout on a call after a `return` waits for nothing
(analysis/profiles.py holds it back from every profile).

Each judgement errs toward "runs": a handler is assumed to catch whatever its body raises, a
`for` loop's body may run or not, and a `with` whose context manager may swallow an exception
(`contextlib.suppress`, one the module defines, one named for handling errors: never_return.yaml)
goes on to the statement after it whatever its body does. Any other context manager is taken not
to swallow: `with client.stream(text) as response: return response.read()` ends the function. JavaScript's `switch` is lowered to an `if` chain whose cases end in
`break`, so there a branch that breaks also reaches the statement after the `if`, and a labelled
`break` deep in a `while (true)` may leave it. A function or class definition is never marked: a
JavaScript function declaration is hoisted, and a definition's code runs when its callers call it
(analysis/reach.py, analysis/unreferenced.py). Statements a lowering places before the statement
that leaves (a `for (;;)` increment, lowered at the end of the loop body) are not marked either.
A project function called from another module, or through `self`, is not followed: an override
may return.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from collections.abc import Mapping

from servicelens import ir
from servicelens.lang.javascript.modules import imported_name
from servicelens.analysis.request_paths import PathFacts
from servicelens.packaged_yaml import packaged_yaml
from servicelens.taint.summary import FunctionSummary

NEXT, RETURN, RAISE, BREAK, CONTINUE = "next", "return", "raise", "break", "continue"
_LEAVING = frozenset({RETURN, RAISE})
_NOTHING: frozenset[str] = frozenset()
_VERBS = {RETURN: "returns", RAISE: "raises", BREAK: "breaks", CONTINUE: "continues"}
_DO = re.compile(r"\s*(?:[A-Za-z_$][\w$]*\s*:\s*)?do\b")  # `do {` or `label: do {`
# the reach (analysis/reach.py) of a line that can never run
UNREACHABLE = "unreachable"


@dataclass(frozen=True, slots=True)
class Unreachable:
    """Lines of a statement that can never run, and why."""

    line: int
    end_line: int
    why: str


@dataclass(frozen=True, slots=True)
class _Knowledge:
    never_return: Mapping[str, frozenset[str]]  # language family -> dotted names of calls that never return
    swallowing: frozenset[str]  # last names of context managers that may swallow an exception
    swallowing_words: tuple[str, ...]  # a context manager whose lowercased name holds one may too


@lru_cache(maxsize=1)
def _knowledge() -> _Knowledge:
    text = resources.files("servicelens.models").joinpath("vocabulary", "never_return.yaml").read_text("utf-8")
    data = dict(packaged_yaml(text) or {})
    swallowing = data.pop("swallowing_context_managers", None) or {}
    return _Knowledge({language: frozenset(str(name) for name in names or ()) for language, names in data.items()},
                      frozenset(swallowing.get("names") or ()), tuple(swallowing.get("words") or ()))


def unreachable_statements(module: ir.Module) -> tuple[Unreachable, ...]:
    """Every statement of `module` (its top level, class bodies and functions) that can never run."""
    imports = {imp.local: imp.target for imp in module.imports}
    family = "python" if module.language == "python" else "javascript"
    knowledge = _knowledge()
    flow = _Flow(family, imports, knowledge.never_return.get(family, frozenset()),
                 frozenset(f.qualname for f in module.functions) | frozenset(c.qualname for c in module.classes), {},
                 knowledge, module.lines)
    out: list[Unreachable] = []
    try:
        flow = replace(flow, raising=_raising_functions(module, flow))
        flow.block(module.body, out)
        for cls in module.classes:
            flow.block(cls.body, out)
        for function in module.functions:
            flow.block(function.body, out)
    except RecursionError:  # blocks nested hundreds deep (generated code): nothing is concluded
        return ()
    return tuple(sorted(set(out), key=lambda u: (u.line, u.end_line)))


def _raising_functions(module: ir.Module, flow: _Flow) -> dict[str, bool]:
    """Module-level functions, undecorated and not generators, whose every path raises (or calls
    one that does), by qualname, with whether each is async (then only `await f()` raises):
    found again until no more are, since one may raise only through another. A name defined twice
    (`def f` in both branches of an `if`) is not judged."""
    counts = Counter(f.qualname for f in module.functions)
    candidates = [f for f in module.functions if f.class_name is None and f.parent is None and counts[f.qualname] == 1
                  and "." not in f.qualname and not f.decorators and not ir.is_generator(f)]
    raising: dict[str, bool] = {}
    grew = True
    while grew:
        grew = False
        current = replace(flow, raising=raising)
        for function in candidates:
            if function.qualname not in raising and current.block(function.body, None) == {RAISE}:
                raising[function.qualname] = function.is_async
                grew = True
    return raising


@dataclass(frozen=True, slots=True)
class _Flow:
    family: str  # "python" | "javascript"
    imports: Mapping[str, str]
    known: frozenset[str]  # dotted names of library calls that never return
    defined: frozenset[str]  # qualnames the module defines (they shadow a builtin of the same name)
    raising: Mapping[str, bool]  # module functions whose every path raises -> async
    knowledge: _Knowledge
    lines: tuple[str, ...] = ()  # the module's source lines (a JavaScript `do` loop is told by its first)

    def block(self, body: tuple[ir.Stmt, ...], out: list[Unreachable] | None) -> frozenset[str]:
        """How control may leave `body` (NEXT: on to the statement after it), recording in `out`
        the statements of it that can never run."""
        outcomes: set[str] = set()
        left: ir.Stmt | None = None
        why = ""
        for stmt in body:
            if left is not None:
                if out is not None and stmt.line > left.end_line:
                    _mark(stmt, why, out)
                continue
            result = self.statement(stmt, out)
            outcomes |= result - {NEXT}
            if NEXT not in result:
                left, why = stmt, self._why(stmt, result)
        if left is None:
            outcomes.add(NEXT)
        return frozenset(outcomes)

    def statement(self, stmt: ir.Stmt, out: list[Unreachable] | None) -> frozenset[str]:
        kind = type(stmt)
        if kind is ir.Return:
            return frozenset({RETURN})
        if kind is ir.Raise:
            return frozenset({RAISE})
        if kind is ir.Jump:
            return frozenset({stmt.kind}) if stmt.kind in (BREAK, CONTINUE) else frozenset({NEXT})  # type: ignore[union-attr]
        if kind is ir.ExprStmt:
            return frozenset({RAISE}) if self._never_returns(stmt.value) else frozenset({NEXT})  # type: ignore[union-attr]
        if kind is ir.If:
            return self._if(stmt, out)  # type: ignore[arg-type]
        if kind is ir.While:
            return self._while(stmt, out)  # type: ignore[arg-type]
        if kind is ir.For:
            body = self.block(stmt.body, out)  # type: ignore[union-attr]
            return self._loop_exit(body, self.block(stmt.orelse, out) if stmt.orelse else frozenset({NEXT}))  # type: ignore[union-attr]
        if kind is ir.Try:
            return self._try(stmt, out)  # type: ignore[arg-type]
        if kind is ir.With:
            body = self.block(stmt.body, out)  # type: ignore[union-attr]
            return body | {NEXT} if self._may_swallow(stmt) else body  # type: ignore[arg-type]
        return frozenset({NEXT})

    def _if(self, stmt: ir.If, out: list[Unreachable] | None) -> frozenset[str]:
        """An `if` and the `elif`s chained in its `else`, walked in a loop: a chain of hundreds (a
        lowered `switch`, a dispatch on a command's name) is not a recursion hundreds deep."""
        found: set[str] = set()
        current: ir.If | None = stmt
        while current is not None:
            truth = self._constant(current.test)
            rest: tuple[ir.Stmt, ...] = current.orelse
            if truth is False:
                _mark_block(current.body, f"in the `if` at line {current.line}, whose condition is always false", out)
            elif truth is True and self.family == "python":
                # JavaScript's lowering writes `if (true)` around a switch's default case: only Python's is the code's
                _mark_block(rest, f"in the `else` of the `if` at line {current.line}, whose condition is always true",
                            out)
                found |= self.block(current.body, out)
                break
            else:
                found |= self.block(current.body, out)
            current = rest[0] if len(rest) == 1 and type(rest[0]) is ir.If else None
            if current is None:
                found |= self.block(rest, out) if rest else {NEXT}
        if self.family == "javascript" and BREAK in found:
            found.add(NEXT)  # the `break` may end a switch lowered to this `if` chain
        return frozenset(found)

    def _while(self, stmt: ir.While, out: list[Unreachable] | None) -> frozenset[str]:
        truth = self._constant(stmt.test)
        if truth is False and self.family == "javascript" and _DO.match(self.lines[stmt.line - 1] if
                                                                       stmt.line <= len(self.lines) else ""):
            truth = None  # `do { ... } while (false)`, lowered as a `while`: its body runs once
        if truth is False:
            _mark_block(stmt.body, f"in the `while` loop at line {stmt.line}, whose condition is always false", out)
            return self.block(stmt.orelse, out) if stmt.orelse else frozenset({NEXT})
        body = self.block(stmt.body, out)
        if truth is not True:
            return self._loop_exit(body, self.block(stmt.orelse, out) if stmt.orelse else frozenset({NEXT}))
        _mark_block(stmt.orelse, f"in the `else` of the endless loop at line {stmt.line}", out)
        found = body & _LEAVING
        # a labelled `break outer` (JavaScript) may leave this loop from a loop nested in it
        if BREAK in body or (self.family == "javascript" and any(
                isinstance(s, ir.Jump) and s.kind == BREAK for s in ir.walk_stmts(stmt.body))):
            found |= {NEXT}
        return found

    @staticmethod
    def _loop_exit(body: frozenset[str], orelse: frozenset[str]) -> frozenset[str]:
        """A loop that may end by its own test: on after its `else`, or after a `break`."""
        return (body & _LEAVING) | orelse | (frozenset({NEXT}) if BREAK in body else _NOTHING)

    def _try(self, stmt: ir.Try, out: list[Unreachable] | None) -> frozenset[str]:
        body = self.block(stmt.body, out)
        if NEXT in body:
            orelse = self.block(stmt.orelse, out) if stmt.orelse else frozenset({NEXT})
        else:
            orelse = _NOTHING
            _mark_block(stmt.orelse, f"in the `else` of the `try` at line {stmt.line}, whose body always leaves", out)
        found = (body - {NEXT}) | orelse
        for handler in stmt.handlers:  # assumed to catch: any statement of the body may raise
            found |= self.block(handler.body, out)
        if not stmt.finalbody:
            return found
        final = self.block(stmt.finalbody, out)
        return found if NEXT in final else final

    def _may_swallow(self, stmt: ir.With) -> bool:
        """Whether a context manager of `stmt` may swallow what its body raises (any statement of
        it may raise, a `return` computing its value too): then the statement after runs."""
        for item in stmt.items:
            context = item.context.value if type(item.context) is ir.Await else item.context  # type: ignore[union-attr]
            callee = context.func if type(context) is ir.Call else context  # type: ignore[union-attr]
            name = ir.last_name(callee)
            dotted = ir.dotted_name(callee) or ""
            if not name or name in self.knowledge.swallowing or dotted.partition(".")[0] in self.defined \
                    or any(word in name.lower() for word in self.knowledge.swallowing_words):
                return True
        return False

    def _never_returns(self, value: ir.Expr) -> bool:
        awaited = type(value) is ir.Await
        call = value.value if awaited else value  # type: ignore[union-attr]
        if type(call) is not ir.Call:
            return False
        dotted = ir.dotted_name(call.func)  # type: ignore[union-attr]
        if not dotted:
            return False
        qualified = imported_name(call.func, self.imports)  # type: ignore[union-attr]
        head = dotted.partition(".")[0]
        if qualified:
            return qualified in self.known
        if head in self.defined:
            return dotted in self.raising and (awaited or not self.raising[dotted])
        return dotted in self.known  # a builtin or a runtime global (`exit`, `process.exit`)

    def _constant(self, test: ir.Expr) -> bool | None:
        """True/False for a literal condition (`True`, `0`, `false`, `1`); None otherwise. A missing
        condition, lowered as `None`, says nothing."""
        if type(test) is not ir.Const or isinstance(test.value, (str, bytes)) or test.value is None:  # type: ignore[union-attr]
            return None
        value = test.value  # type: ignore[union-attr]
        return bool(value) if isinstance(value, (bool, int, float)) else None

    def _why(self, stmt: ir.Stmt, result: frozenset[str]) -> str:
        kind = type(stmt)
        if kind is ir.Return:
            return f"after the `return` at line {stmt.line}"
        if kind is ir.Raise:
            return f"after the `{'raise' if self.family == 'python' else 'throw'}` at line {stmt.line}"
        if kind is ir.Jump:
            return f"after the `{stmt.kind}` at line {stmt.line}"  # type: ignore[union-attr]
        if kind is ir.ExprStmt:
            value = stmt.value  # type: ignore[union-attr]
            call = value.value if type(value) is ir.Await else value
            return f"after `{ir.dotted_name(call.func)}()` at line {stmt.line}, which never returns"  # type: ignore[union-attr]
        if kind is ir.While:
            return f"after the endless loop at line {stmt.line}, which nothing breaks out of"
        ways = " or ".join(_VERBS[outcome] for outcome in sorted(result))
        if kind is ir.If:
            return f"after the `if` at line {stmt.line}, whose every branch {ways}"
        name = {ir.Try: "try", ir.With: "with", ir.For: "for"}.get(kind, "statement")
        return f"after the `{name}` at line {stmt.line}, which always {ways}"

def _mark(stmt: ir.Stmt, why: str, out: list[Unreachable]) -> None:
    if type(stmt) is not ir.Def:
        out.append(Unreachable(stmt.line, stmt.end_line, why))


def _mark_block(body: tuple[ir.Stmt, ...], why: str, out: list[Unreachable] | None) -> None:
    if out is not None:
        for stmt in body:
            _mark(stmt, why, out)


def in_unreachable(found: tuple[Unreachable, ...], line: int) -> bool:
    return any(u.line <= line <= u.end_line for u in found)


def without_unreachable_calls(summaries: tuple[FunctionSummary, ...],
                              found: tuple[Unreachable, ...]) -> tuple[FunctionSummary, ...]:
    """The file's function summaries without the calls made on lines that can never run: code
    after a handler's `return` does not put what it calls on the handler's request path."""
    if not found:
        return summaries
    return tuple(replace(s, calls=tuple(c for c in s.calls if not in_unreachable(found, c.line)))
                 if any(in_unreachable(found, c.line) for c in s.calls) else s for s in summaries)


def text_that_runs(text: str, found: tuple[Unreachable, ...]) -> str:
    """A Python module's text with each statement that can never run replaced by `pass` (its
    other lines left empty): still a module that parses, in which a name spelled only after a
    `return` is spelled nowhere (analysis/unreferenced.py then judges a function called only from
    there as nothing calls it)."""
    if not found:
        return text
    lines = text.split("\n")
    covered = 0
    for dead in found:  # sorted by line; a range inside an earlier one is already blank
        if dead.line <= covered or dead.end_line > len(lines):
            continue
        first = lines[dead.line - 1]
        lines[dead.line - 1] = first[:len(first) - len(first.lstrip())] + "pass"
        for index in range(dead.line, dead.end_line):
            lines[index] = ""
        covered = dead.end_line
    return "\n".join(lines)


def without_unreachable_steps(paths: PathFacts, found: tuple[Unreachable, ...]) -> PathFacts:
    """The file's part of the request-path view (analysis/request_paths.py) without the project
    calls made on lines that can never run, as `without_unreachable_calls` for the call graph."""
    if not found or not any(in_unreachable(found, step.line) for step in paths.steps):
        return paths
    return replace(paths, steps=tuple(step for step in paths.steps if not in_unreachable(found, step.line)))
