"""Which lines of a function run once, not on every call: memoised work.

Not a rule. A helper that caches its result (`@functools.cache`, `@lru_cache`,
`@cached_property`) or fills a slot only while it is empty (`if self._git_available is None:
... self._git_available = True`, `if _CLIENT is None: _CLIENT = build()`) pays its cost on the
first call of the process or instance; every later call returns the remembered value. A cost per
request there is the cost of the first request only, so performance rules leave such lines out.
A slot the branch tests but never fills (`if self.client is None: raise ...`) is a guard, not a
memo, and its branch runs every time the slot is empty.

A first-run set-up is paid once per installation: a function that opens by returning when what
it creates already exists (`if await tenants_exists(): return {"errors": ["already set up"]}`,
a check that takes no argument, so it asks whether any exists, not whether the caller's does)
runs the rest of its body until that first record is made, and never after. A check of the
caller's own value (`if email_exists(email): return ...`) is a lookup and runs every time.
"""
from __future__ import annotations

from servicelens import ir
from servicelens.rules.python._common import words

_CACHING_DECORATORS = frozenset({"cache", "lru_cache", "cached_property", "cached", "memoize", "memoized",
                                 "alru_cache", "cache_once"})


def memoised(function: ir.Function) -> bool:
    """The function caches its own result (`@functools.cache`, `@lru_cache(maxsize=None)`)."""
    return any(ir.last_name(d.func if isinstance(d, ir.Call) else d) in _CACHING_DECORATORS
               for d in function.decorators)


def once_spans(statements: tuple[ir.Stmt, ...]) -> tuple[tuple[int, int], ...]:
    """Line spans of the branches that fill an empty slot they test: they run until it is filled.
    `statements`: a function body with its nested blocks (`ir.walk_stmts`, or the file index's
    slice of it)."""
    spans = []
    # a local filled when empty (`if path is None: path = default`) is filled again on every call
    shared = {name for stmt in statements if isinstance(stmt, ir.Global) and not stmt.nonlocal_
              for name in stmt.names}
    for stmt in statements:
        if not isinstance(stmt, ir.If) or not stmt.body:
            continue
        slot = _empty_slot(stmt.test)
        if slot and ("." in slot or slot in shared) and slot in _filled(stmt.body):
            end = stmt.orelse[0].line - 1 if stmt.orelse else stmt.end_line
            spans.append((stmt.body[0].line, max(end, stmt.body[0].line)))
    return tuple(spans)


def runs_once(function: ir.Function, spans: tuple[tuple[int, int], ...], line: int) -> bool:
    return memoised(function) or any(start <= line <= end for start, end in spans) \
        or 0 < first_run_after(function) < line


# words of a check that asks whether the installation is set up already
_SET_UP = frozenset({"exists", "exist", "initialized", "initialised", "installed", "bootstrapped", "setup"})


def first_run_after(function: ir.Function) -> int:
    """The last line of a leading `if <nothing of the kind exists yet>: return` (0 when the function
    has none): what follows it runs only until the installation's first record exists."""
    for stmt in function.body:
        if isinstance(stmt, ir.If):
            if not stmt.orelse and stmt.body and isinstance(stmt.body[-1], (ir.Return, ir.Raise)) \
                    and _asks_set_up(stmt.test):
                return stmt.end_line
            return 0
        if not isinstance(stmt, (ir.ExprStmt, ir.Assign)):
            return 0  # only plain statements (a docstring, a log line) may come before it
    return 0


def _asks_set_up(test: ir.Expr) -> bool:
    test = test.value if isinstance(test, ir.Await) else test
    return isinstance(test, ir.Call) and not test.args and not test.kwargs \
        and bool(_SET_UP & set(words(ir.last_name(test.func) or "")))


def _empty_slot(test: ir.Expr) -> str:
    """`x is None`, `not self._x`, `"k" not in self._cache` -> the slot (`x`, `self._x`, `self._cache`)."""
    if isinstance(test, ir.Unary) and test.op == "not":
        return _slot(test.operand)
    if isinstance(test, ir.Compare) and len(test.ops) == 1:
        right = test.comparators[0]
        if test.ops[0] in ("is", "==") and isinstance(right, ir.Const) and right.value is None:
            return _slot(test.left)
        if test.ops[0] == "not in":
            return _slot(right)
    return ""


def _slot(expr: ir.Expr) -> str:
    """A name (a global when the function declares it so) or an attribute of the instance or
    class (`self._x`, `cls._x`)."""
    if isinstance(expr, ir.Name):
        return expr.id
    if isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Name) and expr.value.id in ("self", "cls"):
        return f"{expr.value.id}.{expr.attr}"
    return ""


def _filled(body: tuple[ir.Stmt, ...]) -> set[str]:
    """Slots the branch assigns (`self._x = ...`, `_CLIENT = ...`, `self._cache[key] = ...`)."""
    found: set[str] = set()
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and stmt.op is None:
            for target in stmt.targets:
                base = target.value if isinstance(target, ir.Subscript) else target
                name = _slot(base)
                if name:
                    found.add(name)
    return found
