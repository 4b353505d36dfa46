"""One walk over a lowered module, laid out so every rule can ask for nodes instead of walking.

Rules used to walk the same IR again and again (each with its own `walk_stmts` /
`stmt_exprs` / `walk_expr` loops: millions of generator resumes per review). A `FileIndex`
is built in one traversal per file and answers the same questions from flat arrays:

- every expression node of the file in one pre-order sequence, laid out statement by
  statement in `walk_stmts` order: module body, class bodies, function bodies, then the
  expressions outside any body (decorators, parameter defaults and annotations, return
  annotations, class bases and keywords);
- for every node, where its subtree ends, so `walk(expr)` is a slice equal to
  `tuple(ir.walk_expr(expr))`;
- for every statement, where its own expressions and its nested statements end, so
  `stmt_nodes(stmt)` equals the pre-order of `ir.stmt_exprs(stmt)` and `walk_stmts(block)` /
  `block_nodes(block)` cover a block with its nested blocks (nested defs excluded: they
  are bodies of their own, exactly as `ir.walk_stmts` has it);
- per node kind (`ir.Call`, `ir.Const`, `ir.Attr`, ...), the positions of that kind, so
  `under(expr, ir.Call)` and `block_of_kind(body, ir.Call)` dispatch by kind without an
  `isinstance` per node.

It is stated over the IR only, so any language lowered to the IR gets the same index and
the same rules. Nodes not laid out here (made by a rule, e.g. with `dataclasses.replace`)
are walked on the spot with the `ir` helpers: answers never depend on whether a node was
indexed. Keyed by `id()`: the index keeps the module, hence every node, alive.
"""
from __future__ import annotations

from bisect import bisect_left
from itertools import groupby
from dataclasses import dataclass
from typing import Mapping, TypeVar

from servicelens import ir

N = TypeVar("N")
_INDEX_KEY = "file-index"
_NO_NODES: tuple[ir.Expr, ...] = ()
_NO_STMTS: tuple[ir.Stmt, ...] = ()
_LEAVES = (ir.Name, ir.Const)


@dataclass(frozen=True, slots=True)
class _Kind:
    """The nodes of one type, in layout order, with their positions (ascending)."""

    positions: tuple[int, ...]
    nodes: tuple[ir.Expr, ...]

    def between(self, start: int, end: int) -> tuple[ir.Expr, ...]:
        return self.nodes[bisect_left(self.positions, start):bisect_left(self.positions, end)]


@dataclass(frozen=True, slots=True)
class _StmtSpan:
    """Where one statement's nodes and nested statements lie in the layout."""

    order: int  # position in `statements`
    last: int  # position after its last nested statement
    node_start: int
    own_end: int  # end of the expressions the statement evaluates itself
    node_end: int  # end of its nested statements' expressions too


@dataclass(frozen=True, slots=True)
class FileIndex:
    module: ir.Module
    nodes: tuple[ir.Expr, ...]
    statements: tuple[ir.Stmt, ...]
    # (function or None, statement) for module body, class bodies, then function bodies
    stmts_with_function: tuple[tuple[ir.Function | None, ir.Stmt], ...]
    _ends: tuple[int, ...]
    _node_at: Mapping[int, int]  # id(node) -> position in `nodes`
    _stmt_at: Mapping[int, _StmtSpan]  # id(stmt) -> its span
    _kinds: Mapping[type, _Kind]

    # ------------------------------------------------------------ expressions

    def walk(self, expr: ir.Expr) -> tuple[ir.Expr, ...]:
        """`expr` and every sub-expression, pre-order: `tuple(ir.walk_expr(expr))`."""
        at = self._node_at.get(id(expr))
        if at is None:
            return tuple(ir.walk_expr(expr))
        return self.nodes[at:self._ends[at]]

    def under(self, expr: ir.Expr, kind: type[N]) -> tuple[N, ...]:
        """The nodes of type `kind` in `expr`'s subtree (itself included), pre-order."""
        at = self._node_at.get(id(expr))
        if at is None:
            return tuple(n for n in ir.walk_expr(expr) if type(n) is kind)  # type: ignore[misc]
        return self._of_kind(kind, at, self._ends[at])

    def any_under(self, expr: ir.Expr, kind: type) -> bool:
        """Is there a node of type `kind` in `expr`'s subtree?"""
        return bool(self.under(expr, kind))

    # ------------------------------------------------------------ statements

    def stmt_nodes(self, stmt: ir.Stmt) -> tuple[ir.Expr, ...]:
        """Every node of the expressions `stmt` evaluates itself (not its nested blocks)."""
        span = self._stmt_at.get(id(stmt))
        if span is None:
            return tuple(n for top in ir.stmt_exprs(stmt) for n in ir.walk_expr(top))
        return self.nodes[span.node_start:span.own_end]

    def stmt_of_kind(self, stmt: ir.Stmt, kind: type[N]) -> tuple[N, ...]:
        """The nodes of type `kind` among `stmt_nodes(stmt)`."""
        span = self._stmt_at.get(id(stmt))
        if span is None:
            return tuple(n for n in self.stmt_nodes(stmt) if type(n) is kind)  # type: ignore[misc]
        return self._of_kind(kind, span.node_start, span.own_end)

    def walk_stmts(self, block: tuple[ir.Stmt, ...]) -> tuple[ir.Stmt, ...]:
        """`tuple(ir.walk_stmts(block))`: the block and its nested blocks, pre-order."""
        bounds = self._block_bounds(block)
        if bounds is None:
            return tuple(ir.walk_stmts(block)) if block else _NO_STMTS
        first, last = bounds
        return self.statements[first.order:last.last]

    def block_nodes(self, block: tuple[ir.Stmt, ...]) -> tuple[ir.Expr, ...]:
        """Every expression node of a block and its nested blocks, in walk order."""
        bounds = self._block_bounds(block)
        if bounds is None:
            return tuple(n for s in ir.walk_stmts(block) for t in ir.stmt_exprs(s) for n in ir.walk_expr(t))
        first, last = bounds
        return self.nodes[first.node_start:last.node_end]

    def block_of_kind(self, block: tuple[ir.Stmt, ...], kind: type[N]) -> tuple[N, ...]:
        """The nodes of type `kind` in a block and its nested blocks: `block_of_kind(body,
        ir.Call)` is `rules.base.iter_calls(body)`."""
        bounds = self._block_bounds(block)
        if bounds is None:
            return tuple(n for n in self.block_nodes(block) if type(n) is kind)  # type: ignore[misc]
        first, last = bounds
        return self._of_kind(kind, first.node_start, last.node_end)

    def of_kind(self, kind: type[N]) -> tuple[N, ...]:
        """Every node of type `kind` in the file, bodies first (layout order)."""
        found = self._kinds.get(kind)
        return found.nodes if found is not None else ()  # type: ignore[return-value]

    # ------------------------------------------------------------ internals

    def _of_kind(self, kind: type[N], start: int, end: int) -> tuple[N, ...]:
        found = self._kinds.get(kind)
        return found.between(start, end) if found is not None else ()  # type: ignore[return-value]

    def _block_bounds(self, block: tuple[ir.Stmt, ...]) -> tuple[_StmtSpan, _StmtSpan] | None:
        """Spans of the block's first and last statements, when the block is laid out as
        one contiguous run (it is, for every block of the module's bodies)."""
        if not block:
            return None
        first, last = self._stmt_at.get(id(block[0])), self._stmt_at.get(id(block[-1]))
        if first is None or last is None or last.order < first.order:
            return None
        return first, last


def build_index(module: ir.Module) -> FileIndex:
    """The one traversal: every body's statements and expressions, laid out in walk order."""
    builder = _Builder()
    with_function: list[tuple[ir.Function | None, ir.Stmt]] = []
    bodies: list[tuple[ir.Function | None, tuple[ir.Stmt, ...]]] = [(None, module.body)]
    bodies += [(None, cls.body) for cls in module.classes]
    bodies += [(function, function.body) for function in module.functions]
    for function, body in bodies:
        start = len(builder.statements)
        builder.block(body)
        with_function.extend((function, stmt) for stmt in builder.statements[start:])
    for function in module.functions:
        for expr in _function_exprs(function):
            builder.expr(expr)
    for cls in module.classes:
        for expr in (*cls.bases, *(kw.value for kw in cls.keywords), *cls.decorators):
            builder.expr(expr)
    return builder.finish(module, tuple(with_function))


def file_index(module: ir.Module, scope: object) -> FileIndex:
    """The module's index, built on first use and shared by every rule through the scope's
    per-file memo (dropped with the file). `scope` is a `taint.scope.ModuleScope`."""
    index = scope.memo(_INDEX_KEY, lambda: build_index(module))  # type: ignore[attr-defined]
    return index if index.module is module else build_index(module)


def _function_exprs(function: ir.Function) -> list[ir.Expr]:
    out: list[ir.Expr] = list(function.decorators)
    for param in function.params:
        if param.default is not None:
            out.append(param.default)
        if param.annotation is not None:
            out.append(param.annotation)
    if function.returns is not None:
        out.append(function.returns)
    return out


class _Builder:
    """Accumulates the layout; used once by `build_index` and dropped."""

    def __init__(self) -> None:
        self.nodes: list[ir.Expr] = []
        self.ends: list[int] = []
        self.children = dict(ir.reversed_children_table())  # a plain dict: faster lookups than the proxy
        self.statements: list[ir.Stmt] = []
        self.spans: dict[int, _StmtSpan] = {}

    def block(self, body: tuple[ir.Stmt, ...]) -> None:
        for stmt in body:
            order, node_start = len(self.statements), len(self.nodes)
            self.statements.append(stmt)
            for top in ir.stmt_exprs(stmt):
                self.expr(top)
            own_end = len(self.nodes)
            for nested in ir.child_blocks(stmt):
                self.block(nested)
            self.spans[id(stmt)] = _StmtSpan(order, len(self.statements), node_start, own_end, len(self.nodes))

    def expr(self, top: ir.Expr) -> None:
        """Pre-order, as `ir.walk_expr`; an int on the stack marks where a subtree ends."""
        nodes, ends = self.nodes, self.ends
        if type(top) in _LEAVES:
            ends.append(len(nodes) + 1)
            nodes.append(top)
            return
        children = self.children
        stack: list[object] = [top]
        pop, push, append, close = stack.pop, stack.extend, nodes.append, ends.append
        at = len(nodes)
        while stack:
            item = pop()
            if type(item) is int:
                ends[item] = at
                continue
            append(item)  # type: ignore[arg-type]
            below = children[type(item)](item)  # type: ignore[index]
            if below:
                close(0)
                stack.append(at)
                push(below)
            else:
                close(at + 1)
            at += 1

    def finish(self, module: ir.Module, with_function: tuple[tuple[ir.Function | None, ir.Stmt], ...]) -> FileIndex:
        nodes = tuple(self.nodes)
        node_at = dict(zip(map(id, nodes), range(len(nodes))))
        type_ids = list(map(id, map(type, nodes)))
        by_type = sorted(range(len(nodes)), key=type_ids.__getitem__)  # stable: positions stay ascending
        kinds: dict[type, _Kind] = {}
        for _, group in groupby(by_type, key=type_ids.__getitem__):
            ats = tuple(group)
            kinds[type(nodes[ats[0]])] = _Kind(ats, tuple(map(nodes.__getitem__, ats)))
        return FileIndex(module, nodes, tuple(self.statements), with_function, tuple(self.ends), node_at,
                         self.spans, kinds)
