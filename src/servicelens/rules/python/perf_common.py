"""Shared IR views for the performance rules (perf_*): one walk per function.

Every perf rule needs the same things about a function: its calls, which loop (if any)
each call runs in, whether it is awaited or deferred in a lambda, and what local names were
assigned. A `PerfContext` is made by a rule's entry point for the module it is given and
passed down explicitly; it computes each function's view on first use and is dropped with
the module, so nothing outlives one file and nothing is shared behind the caller's back.
(Sharing one context across rules needs the caller to make it: see `PerfContext`.)

This module has no `RULE`, so rule discovery loads it but registers nothing.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Iterator, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.rules.python._common import is_test_path
from servicelens.rules.python._project_calls import callee_name, factory_class
from servicelens.taint.scope import ModuleScope
from servicelens.fixcode import strip_comment
from servicelens.fixcode.source import with_keywords


@dataclass(frozen=True, slots=True)
class Loop:
    """A `for`/`while`/comprehension: where it is, what it binds, what it iterates."""

    line: int
    end_line: int
    targets: frozenset[str]
    iter: ir.Expr | None  # None for while loops


@dataclass(frozen=True, slots=True)
class Site:
    """One call with its context in the function."""

    call: ir.Call
    loop: Loop | None  # innermost enclosing loop
    awaited: bool
    deferred: bool  # inside a lambda: runs later, maybe in a thread


@dataclass(frozen=True, slots=True)
class FunctionView:
    sites: tuple[Site, ...]
    loops: tuple[Loop, ...]
    assigns: dict[str, ir.Expr]  # `x` / `self.x` / `with ... as x` -> the last value bound to it
    attrs: tuple[tuple[ir.Attr, Loop | None], ...]  # every attribute access with its loop


# calls that run a generator handed to them to its end, and lazy wrappers that hand it on to
# whatever iterates them (`for i, row in enumerate(rows())`)
_CONSUMERS = frozenset({"list", "tuple", "set", "frozenset", "dict", "sorted", "next", "sum", "any", "all",
                        "max", "min", "join"})
_LAZY_WRAPPERS = frozenset({"enumerate", "zip", "map", "filter", "iter", "reversed", "islice", "chain"})
# asyncio's functions that take a coroutine and schedule or await it: a call passed to one
# (`await asyncio.shield(session.rollback())`, `asyncio.create_task(sync_rows())`) makes a
# coroutine, so it runs on the loop like an awaited call, not as blocking work in place.
_COROUTINE_TAKERS = frozenset({"shield", "wait_for", "gather", "create_task", "ensure_future", "wait",
                               "as_completed", "run_coroutine_threadsafe", "start_soon"})


def iterated_here(view: FunctionView) -> frozenset[int]:
    """ids of the expressions this body iterates itself: a loop's or comprehension's iterable,
    the argument of `list(...)`/`sorted(...)`/`next(...)`..., through lazy wrappers. A generator
    built elsewhere in the body is run by whoever receives it, not here."""
    found: set[int] = set()

    def mark(expr: ir.Expr) -> None:
        found.add(id(expr))
        if isinstance(expr, ir.Call) and ir.last_name(expr.func) in _LAZY_WRAPPERS:
            for arg in expr.args:
                mark(arg)

    for loop in view.loops:
        if loop.iter is not None:
            mark(loop.iter)
    for site in view.sites:
        if ir.last_name(site.call.func) in _CONSUMERS:
            for arg in site.call.args:
                mark(arg)
    return frozenset(found)


class PerfContext:
    """The views of one module's bodies, each computed on first use.

    One per module, shared by every perf rule through `ModuleScope.memo`, so the walks are
    done once per module whatever the number of rules, and dropped with the module.
    """

    __slots__ = ("module", "_views", "_generators", "_index")

    @classmethod
    def shared(cls, module: ir.Module, scope: ModuleScope) -> PerfContext:
        return scope.memo("perf-context", lambda: cls(module, file_index(module, scope)))

    def __init__(self, module: ir.Module, index: FileIndex | None = None) -> None:
        self.module = module
        self._index = index
        self._views: dict[int, FunctionView] = {}  # id(node): nodes stay alive with `module`
        self._generators: dict[int, bool] = {}  # id(function) -> ir.is_generator(function)

    def view(self, node: ir.Function | ir.Module) -> FunctionView:
        found = self._views.get(id(node))
        if found is None:
            found = self._views[id(node)] = _view(node)
        return found

    def is_generator(self, function: ir.Function) -> bool:
        """`ir.is_generator(function)`, asked once per function however many calls ask about it: of
        the file index's few opaque nodes in the body (a `yield` is one), not a walk of the body."""
        found = self._generators.get(id(function))
        if found is None:
            found = self._generators[id(function)] = ir.is_generator(function) if self._index is None else any(
                node.kind == "yield" for node in self._index.block_of_kind(function.body, ir.Opaque))
        return found

    def bodies(self) -> Iterator[tuple[ir.Function | None, FunctionView]]:
        """Module-level code, then every function, each with its view."""
        yield None, self.view(self.module)
        for function in self.module.functions:
            yield function, self.view(function)


def _view(node: ir.Function | ir.Module) -> FunctionView:
    walker = _Walker()
    walker.block(node.body, None)
    return FunctionView(tuple(walker.sites), tuple(walker.loops), walker.assigns, tuple(walker.attrs))


class _Walker:
    def __init__(self) -> None:
        self.sites: list[Site] = []
        self.loops: list[Loop] = []
        self.assigns: dict[str, ir.Expr] = {}
        self.attrs: list[tuple[ir.Attr, Loop | None]] = []

    def block(self, body: tuple[ir.Stmt, ...], loop: Loop | None) -> None:
        for stmt in body:
            self.stmt(stmt, loop)

    def stmt(self, stmt: ir.Stmt, loop: Loop | None) -> None:
        if isinstance(stmt, ir.For):
            self.expr(stmt.iter, loop, False, False)
            inner = Loop(stmt.line, stmt.end_line, frozenset(names_in(stmt.target)), stmt.iter)
            self.loops.append(inner)
            self.block(stmt.body, inner)
            self.block(stmt.orelse, loop)
            return
        if isinstance(stmt, ir.While):
            inner = Loop(stmt.line, stmt.end_line, frozenset(), None)
            self.loops.append(inner)
            self.expr(stmt.test, inner, False, False)
            self.block(stmt.body, inner)
            self.block(stmt.orelse, loop)
            return
        if isinstance(stmt, ir.Assign) and stmt.op is None and stmt.value is not None:
            for target in stmt.targets:
                dotted = ir.dotted_name(target)
                if dotted:
                    previous = self.assigns.get(dotted)
                    # `qs = qs.filter(...)`: the chain continues the earlier value, not itself
                    self.assigns[dotted] = _rebase(stmt.value, dotted, previous) if previous is not None \
                        else stmt.value
        elif isinstance(stmt, ir.With):
            for item in stmt.items:
                dotted = ir.dotted_name(item.target) if item.target is not None else None
                if dotted:
                    self.assigns[dotted] = item.context
        for expr in ir.stmt_exprs(stmt):
            self.expr(expr, loop, False, False)
        for block in ir.child_blocks(stmt):
            self.block(block, loop)

    def expr(self, expr: ir.Expr, loop: Loop | None, awaited: bool, deferred: bool) -> None:
        # by exact type (IR node types have no subclasses); names and constants, most of the
        # nodes, have nothing to record and no children
        kind = type(expr)
        if kind is ir.Name or kind is ir.Const:
            return
        if kind is ir.Call:
            self.sites.append(Site(expr, loop, awaited, deferred))  # type: ignore[arg-type]
            if _takes_coroutines(expr):  # type: ignore[arg-type]
                self.expr(expr.func, loop, False, deferred)  # type: ignore[attr-defined]
                for arg in expr.args:  # type: ignore[attr-defined]
                    self.expr(arg, loop, type(arg) is ir.Call, deferred)
                for kw in expr.kwargs:  # type: ignore[attr-defined]
                    self.expr(kw.value, loop, False, deferred)
                return
        elif kind is ir.Attr:
            self.attrs.append((expr, loop))  # type: ignore[arg-type]
        elif kind is ir.Await:
            self.expr(expr.value, loop, True, deferred)  # type: ignore[attr-defined]
            return
        elif kind is ir.Lambda:
            self.expr(expr.body, loop, False, True)  # type: ignore[attr-defined]
            return
        elif kind is ir.Comprehension:
            self._comprehension(expr, loop, deferred)  # type: ignore[arg-type]
            return
        for child in ir.child_exprs(expr):
            self.expr(child, loop, False, deferred)

    def _comprehension(self, comp: ir.Comprehension, loop: Loop | None, deferred: bool) -> None:
        if comp.iters:
            self.expr(comp.iters[0], loop, False, deferred)
        names = frozenset(n for t in comp.targets for n in names_in(t))
        end = max((getattr(n, "line", comp.line) for n in ir.walk_expr(comp)), default=comp.line)
        inner = Loop(comp.line, end, names, comp.iters[0] if comp.iters else None)
        self.loops.append(inner)
        for rest in comp.iters[1:] + comp.conds + (comp.elt,) + ((comp.value,) if comp.value else ()):
            self.expr(rest, inner, False, deferred)


def _takes_coroutines(call: ir.Call) -> bool:
    """`asyncio.shield(...)`, `asyncio.gather(...)`, `loop.create_task(...)`, `tg.start_soon(...)`."""
    dotted = ir.dotted_name(call.func) or ""
    head, _, last = dotted.rpartition(".")
    if last not in _COROUTINE_TAKERS:
        return False
    return head in ("", "asyncio") or last in ("create_task", "start_soon", "run_coroutine_threadsafe")


def names_in(target: ir.Expr) -> Iterator[str]:
    """Names a loop target binds: `o`, `(k, o)`, `i, (a, b)`."""
    if isinstance(target, ir.Name):
        yield target.id
    elif isinstance(target, ir.Seq):
        for elt in target.elts:
            yield from names_in(elt)
    elif isinstance(target, ir.Starred):
        yield from names_in(target.value)


def call_name(call: ir.Call, scope: ModuleScope, function: ir.Function | None) -> str:
    """Dotted callee through imports (`requests.get`), else its spelling (`session.get`)."""
    raw = ir.dotted_name(call.func) or ""
    return scope.qualify(raw, function, set()) or raw


def local_receiver(call: ir.Call, assigns: Mapping[str, ir.Expr], function: ir.Function | None) -> bool:
    """The callee starts at a name the function binds itself (an assignment, a loop or `with`
    target, a parameter): `requests = spec.get("requests", {})` then `requests.get("cpu")` reads a
    mapping, whatever library a module-qualified spelling of it names."""
    dotted = ir.dotted_name(call.func) or ""
    head, dot, _ = dotted.partition(".")
    return bool(dot) and (head in assigns or function is not None and any(p.name == head for p in function.params))


def method_of(call: ir.Call) -> str:
    return call.func.attr if isinstance(call.func, ir.Attr) else ""


def receiver(call: ir.Call) -> ir.Expr | None:
    return call.func.value if isinstance(call.func, ir.Attr) else None


def has_kwarg(call: ir.Call, *names: str) -> bool:
    """True when any of `names` is passed, or `**kwargs` might carry it."""
    return any(kw.name is None or kw.name in names for kw in call.kwargs)


def is_none(expr: ir.Expr | None) -> bool:
    return isinstance(expr, ir.Const) and expr.value is None


_ONE_OFF = re.compile(r"(?i)(^|/)(migrations|management/commands)/|(random|sample|fake|demo|seed)_?data|populate")


def reviewable(module: ir.Module) -> bool:
    """Test code, hidden tool folders (.semgrep rule tests), migrations and seed-data scripts
    are not request paths; performance findings there are noise."""
    path = module.path
    return not (is_test_path(path) or path.startswith(".") or "/." in path or _ONE_OFF.search(path))


def snippet(module: ir.Module, line: int) -> str:
    return module.line_text(line)


def with_kwarg(module: ir.Module, call: ir.Call, kwarg: str) -> str:
    """The call's source line with `kwarg` added before its closing parenthesis, for fixes
    written against the project's own code; falls back to the line plus a comment."""
    name, _, value = kwarg.partition("=")
    whole = with_keywords("\n".join(module.lines[call.line - 1:(call.end_line or call.line)]),
                          ir.dotted_name(call.func) or "", {name: value}) if 0 < call.line <= len(module.lines) else None
    if whole is not None:  # the statement, however many lines it spans, parsed and rewritten
        return whole + "\n    ...  # body unchanged" if whole.rstrip().endswith(":") else whole
    raw = strip_comment(module.lines[call.line - 1]) if 0 < call.line <= len(module.lines) else ""
    depth, start = 0, call.col
    for index in range(start, len(raw)):
        char = raw[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                inner = raw[start:index].rstrip()
                sep = "" if inner.endswith("(") else ", "
                fixed = (raw[:index].rstrip() + sep + kwarg + raw[index:]).strip()
                return fixed + "\n    ..." if fixed.endswith(":") else fixed
    return f"{raw.strip()}  # add {kwarg}"


# builtins that turn rows into something else (a count, a flag, a new collection of other values)
_NEW_ROWS = frozenset({"len", "bool", "sum", "any", "all", "map", "filter", "max", "min", "str", "repr", "iter",
                       "next", "dict", "zip", "enumerate", "isinstance", "getattr", "print", "type"})


def _rebase(expr: ir.Expr, name: str, previous: ir.Expr) -> ir.Expr:
    """`qs.filter(a=1).order_by("x")` with `qs` bound to `Model.objects.filter(...)`: the same chain
    rooted at the earlier value (method chains only; anything else is kept as written)."""
    if isinstance(expr, (ir.Name, ir.Attr)) and ir.dotted_name(expr) == name:
        return previous
    if isinstance(expr, ir.Attr):
        base = _rebase(expr.value, name, previous)
        return expr if base is expr.value else dataclasses.replace(expr, value=base)
    if isinstance(expr, ir.Call):
        if isinstance(expr.func, ir.Name) and expr.func.id not in _NEW_ROWS and any(
                isinstance(a, (ir.Name, ir.Attr)) and ir.dotted_name(a) == name for a in expr.args):
            # `qs = attach_vote_counts(qs)`: a helper handed the queryset returns it annotated or
            # filtered, the same rows with what the earlier chain already loaded
            return previous
        func = _rebase(expr.func, name, previous)
        return expr if func is expr.func else dataclasses.replace(expr, func=func)
    if isinstance(expr, ir.Await):
        inner = _rebase(expr.value, name, previous)
        return expr if inner is expr.value else dataclasses.replace(expr, value=inner)
    return expr


def project_callee(call: ir.Call, view: FunctionView, scope: ModuleScope, function: ir.Function) -> str | None:
    """`repo.list_for(...)` (a module), `LedgerRepo().entries(...)`, `repo.entries(...)` with
    `repo = LedgerRepo(...)`, `low_stock(account)` imported from a module of the project: the
    qualified name of the function or method called."""
    func = call.func
    if isinstance(func, ir.Name) and func.id not in view.assigns and func.id not in {p.name for p in function.params}:
        qualified = scope.qualify(func.id, function, frozenset())
        return qualified if qualified and "." in qualified and scope.is_project_candidate(qualified) else None
    if not isinstance(func, ir.Attr):
        return None
    receiver = func.value
    if isinstance(receiver, ir.Name) and receiver.id in view.assigns:
        receiver = view.assigns[receiver.id]
    if isinstance(receiver, ir.Call):
        # `LedgerRepo(db).entries(...)`, or a factory of this module that builds one (`_repo(request)`)
        qualified = factory_class(scope, function, receiver)
        if qualified is None:
            built = ir.dotted_name(receiver.func)
            qualified = scope.qualify(built, function, frozenset()) if built else None
        return f"{qualified}.{func.attr}" if qualified else None
    # `self.trips.active(...)` with `self.trips` declared a `TripRepository`, `svc.list(...)` with
    # `svc: TripService`: the declared type names the method (the resolution taint uses)
    injected = receiver is func.value and not (isinstance(receiver, ir.Name) and receiver.id in ("self", "cls"))
    declared = callee_name(call, scope, function) if injected else None
    if declared is not None and declared[1] == 1:
        return declared[0]
    dotted = ir.dotted_name(receiver)
    qualified = scope.qualify(dotted, function, frozenset()) if dotted else None
    return f"{qualified}.{func.attr}" if qualified else None
