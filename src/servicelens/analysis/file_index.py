"""One walk over a lowered module, laid out so every rule can ask for nodes instead of walking.

Rules used to walk the same IR again and again (each with its own `walk_stmts` /
`stmt_exprs` / `walk_expr` loops: millions of generator resumes per review). A `FileIndex`
is built in one traversal per file and answers the same questions from flat arrays:

- every expression node of the file in one pre-order sequence, laid out statement by
  statement in `walk_stmts` order: module body, class bodies, function bodies, then the
  expressions outside any body (decorators, parameter defaults and annotations, return
  annotations, class bases and keywords);
- for every top-level expression of a statement (and every decorator, default, ...), its
  node range, so `walk(expr)` is a slice equal to `tuple(ir.walk_expr(expr))`;
- for every statement, where its own expressions and its nested statements end, so
  `stmt_nodes(stmt)` equals the pre-order of `ir.stmt_exprs(stmt)` and `walk_stmts(block)` /
  `block_nodes(block)` cover a block with its nested blocks (nested defs excluded: they
  are bodies of their own, exactly as `ir.walk_stmts` has it);
- per node kind (`ir.Call`, `ir.Const`, `ir.Attr`, ...), the positions of that kind, so
  `under(expr, ir.Call)` and `block_of_kind(body, ir.Call)` dispatch by kind without an
  `isinstance` per node; and calls by their callee's last name (`calls_named("save", body)`),
  so a rule after a few callees never looks at the other calls;
- per statement kind (`ir.Try`, `ir.For`, ...), the positions of that kind, so `has_kind` /
  `bodies_with` tell which bodies hold a kind a rule inspects (dispatch by kind:
  `rules.base.Inspects`).

It is stated over the IR only, so any language lowered to the IR gets the same index and
the same rules. Nodes not laid out here (made by a rule, e.g. with `dataclasses.replace`)
are walked on the spot with the `ir` helpers: answers never depend on whether a node was
indexed. Keyed by `id()`: the index keeps the module, hence every node, alive.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import groupby
from typing import Iterable, Iterator, Mapping, TypeVar

from servicelens import ir
from servicelens.taint.scope import ModuleScope

N = TypeVar("N")
F = TypeVar("F")
_INDEX_KEY = "file-index"
_NO_STMTS: tuple[ir.Stmt, ...] = ()


@dataclass(frozen=True, slots=True)
class _Kind:
    """The nodes of one type, in layout order, with their positions (ascending)."""

    positions: tuple[int, ...]
    nodes: tuple[ir.Expr, ...]

    def between(self, start: int, end: int) -> tuple[ir.Expr, ...]:
        return self.nodes[bisect_left(self.positions, start):bisect_left(self.positions, end)]


# where one statement lies in the layout, as a plain tuple (one is made per statement):
# (position in `statements`, position after its last nested statement, first node,
#  end of the nodes it evaluates itself, end of its nested statements' nodes too)
_Span = tuple[int, int, int, int, int]
_ORDER, _LAST, _START, _OWN_END, _END = range(5)


@dataclass(frozen=True, slots=True)
class FileIndex:
    """One file's nodes laid out once; every query answers what the matching `ir` walk would
    yield, in the same order, so a rule switches to it without changing what it decides."""

    module: ir.Module
    nodes: tuple[ir.Expr, ...]
    statements: tuple[ir.Stmt, ...]
    # (function or None, statement) for module body, class bodies, then function bodies
    stmts_with_function: tuple[tuple[ir.Function | None, ir.Stmt], ...]
    _tops: Mapping[int, tuple[int, int]]  # id(top-level expression) -> its subtree's node range
    _spans: Mapping[int, _Span]  # id(stmt) -> where it lies
    _kinds: Mapping[type, _Kind]
    _stmt_kinds: Mapping[type, tuple[int, ...]]  # statement type -> its positions in `statements`
    # callee's last name -> those calls; grouped on the first `calls_named` (few files get there)
    _calls_by_name: dict[str, _Kind] = field(default_factory=dict, compare=False, repr=False)

    # ------------------------------------------------------------ expressions

    def walk(self, expr: ir.Expr) -> tuple[ir.Expr, ...]:
        """`expr` and every sub-expression, pre-order: `tuple(ir.walk_expr(expr))`. A slice
        for a statement's top-level expressions; other nodes are walked on the spot."""
        span = self._tops.get(id(expr))
        if span is None:
            return tuple(ir.walk_expr(expr))
        return self.nodes[span[0]:span[1]]

    def under(self, expr: ir.Expr, kind: type[N]) -> tuple[N, ...]:
        """The nodes of type `kind` in `expr`'s subtree (itself included), pre-order."""
        span = self._tops.get(id(expr))
        if span is None:
            return tuple(n for n in ir.walk_expr(expr) if type(n) is kind)  # type: ignore[misc]
        return self._of_kind(kind, span[0], span[1])

    # ------------------------------------------------------------ statements

    def stmt_nodes(self, stmt: ir.Stmt) -> tuple[ir.Expr, ...]:
        """Every node of the expressions `stmt` evaluates itself (not its nested blocks)."""
        span = self._spans.get(id(stmt))
        if span is None:
            return tuple(n for top in ir.stmt_exprs(stmt) for n in ir.walk_expr(top))
        return self.nodes[span[_START]:span[_OWN_END]]

    def stmt_of_kind(self, stmt: ir.Stmt, kind: type[N]) -> tuple[N, ...]:
        """The nodes of type `kind` among `stmt_nodes(stmt)`."""
        span = self._spans.get(id(stmt))
        if span is None:
            return tuple(n for n in self.stmt_nodes(stmt) if type(n) is kind)  # type: ignore[misc]
        return self._of_kind(kind, span[_START], span[_OWN_END])

    def walk_stmts(self, block: tuple[ir.Stmt, ...]) -> tuple[ir.Stmt, ...]:
        """`tuple(ir.walk_stmts(block))`: the block and its nested blocks, pre-order."""
        bounds = self._block_bounds(block)
        if bounds is None:
            return tuple(ir.walk_stmts(block)) if block else _NO_STMTS
        first, last = bounds
        return self.statements[first[_ORDER]:last[_LAST]]

    def block_nodes(self, block: tuple[ir.Stmt, ...]) -> tuple[ir.Expr, ...]:
        """Every expression node of a block and its nested blocks, in walk order."""
        bounds = self._block_bounds(block)
        if bounds is None:
            return tuple(n for s in ir.walk_stmts(block) for t in ir.stmt_exprs(s) for n in ir.walk_expr(t))
        first, last = bounds
        return self.nodes[first[_START]:last[_END]]

    def block_of_kind(self, block: tuple[ir.Stmt, ...], kind: type[N]) -> tuple[N, ...]:
        """The nodes of type `kind` in a block and its nested blocks: `block_of_kind(body,
        ir.Call)` is `rules.base.iter_calls(body)`."""
        bounds = self._block_bounds(block)
        if bounds is None:
            return tuple(n for n in self.block_nodes(block) if type(n) is kind)  # type: ignore[misc]
        first, last = bounds
        return self._of_kind(kind, first[_START], last[_END])

    def has(self, kind: type) -> bool:
        """Does the file hold a node (expression or statement) of type `kind` anywhere?"""
        return kind in self._kinds or kind in self._stmt_kinds

    def has_kind(self, block: tuple[ir.Stmt, ...], kind: type) -> bool:
        """Does the block (nested blocks included, nested defs not) hold an expression or a
        statement of type `kind`?"""
        bounds = self._block_bounds(block)
        if bounds is None:
            return any(type(s) is kind for s in self.walk_stmts(block)) \
                or any(type(n) is kind for n in self.block_nodes(block))
        first, last = bounds
        found = self._kinds.get(kind)
        if found is not None:
            return _any_between(found.positions, first[_START], last[_END])
        orders = self._stmt_kinds.get(kind)
        return orders is not None and _any_between(orders, first[_ORDER], last[_LAST])

    def bodies_with(self, kind: type, bodies: Iterable[tuple[F, tuple[ir.Stmt, ...]]]) \
            -> Iterator[tuple[F, tuple[ir.Stmt, ...]]]:
        """Dispatch by node kind: the (owner, body) pairs of `bodies`, in their order, that hold a
        node of type `kind`, so a rule's per-body work runs only where the nodes it inspects are."""
        return ((owner, body) for owner, body in bodies if self.has_kind(body, kind))

    def calls_named(self, name: str, block: tuple[ir.Stmt, ...] | None = None) -> tuple[ir.Call, ...]:
        """Calls whose callee's last name is `name` (`save` for `obj.save()` and `save()`), in
        walk order: in the whole file, or in `block` and its nested blocks."""
        if not self._calls_by_name:
            self._calls_by_name.update(_by_callee(self._kinds.get(ir.Call)))
            self._calls_by_name.setdefault("", _Kind((), ()))  # grouped, even when the file has no call
        found = self._calls_by_name.get(name)
        if block is None:
            return found.nodes if found is not None else ()  # type: ignore[return-value]
        bounds = self._block_bounds(block)
        if bounds is None:
            return tuple(c for c in self.block_of_kind(block, ir.Call) if callee_last_name(c) == name)
        if found is None:
            return ()
        first, last = bounds
        return found.between(first[_START], last[_END])  # type: ignore[return-value]

    def of_kind(self, kind: type[N]) -> tuple[N, ...]:
        """Every node of type `kind` in the file, bodies first (layout order)."""
        found = self._kinds.get(kind)
        return found.nodes if found is not None else ()  # type: ignore[return-value]

    # ------------------------------------------------------------ internals

    def _of_kind(self, kind: type[N], start: int, end: int) -> tuple[N, ...]:
        found = self._kinds.get(kind)
        return found.between(start, end) if found is not None else ()  # type: ignore[return-value]

    def _block_bounds(self, block: tuple[ir.Stmt, ...]) -> tuple[_Span, _Span] | None:
        """Spans of the block's first and last statements, when the block is laid out as
        one contiguous run (it is, for every block of the module's bodies)."""
        if not block:
            return None
        first, last = self._spans.get(id(block[0])), self._spans.get(id(block[-1]))
        if first is None or last is None or last[_ORDER] < first[_ORDER]:
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


def file_index(module: ir.Module, scope: ModuleScope) -> FileIndex:
    """The module's index, built on first use and shared by every rule through the scope's
    per-file memo (dropped with the file)."""
    index = scope.memo(_INDEX_KEY, lambda: build_index(module))
    return index if index.module is module else build_index(module)


def share_index(scope: ModuleScope, index: FileIndex) -> FileIndex:
    """Hand an index built before the scope existed (the framework facts ask for nodes right
    after lowering) to the rules, so the file is still traversed once."""
    return scope.memo(_INDEX_KEY, lambda: index)


def unindexed() -> FileIndex:
    """An index that lays out nothing: every query walks the nodes it is given with the `ir`
    helpers, so code written against the index also serves a caller that has none."""
    return build_index(_EMPTY_MODULE)


_EMPTY_MODULE = ir.Module("", "", "", (), (), (), (), (), {})


def _any_between(positions: tuple[int, ...], start: int, end: int) -> bool:
    at = bisect_left(positions, start)
    return at < len(positions) and positions[at] < end


def callee_last_name(call: ir.Call) -> str:
    """`save` for `obj.save()`, `a.b.save()` and `save()`; "" for `factory()()` and the like."""
    func = call.func
    if type(func) is ir.Attr:
        return func.attr
    return func.id if type(func) is ir.Name else ""


def _by_callee(calls: _Kind | None) -> dict[str, _Kind]:
    if calls is None:
        return {}
    grouped: dict[str, tuple[list[int], list[ir.Expr]]] = {}
    for at, call in zip(calls.positions, calls.nodes):
        ats, nodes = grouped.setdefault(callee_last_name(call), ([], []))  # type: ignore[arg-type]
        ats.append(at)
        nodes.append(call)
    return {name: _Kind(tuple(ats), tuple(nodes)) for name, (ats, nodes) in grouped.items()}


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
        self.tops: dict[int, tuple[int, int]] = {}
        self.statements: list[ir.Stmt] = []
        self.spans: dict[int, _Span] = {}

    def block(self, body: tuple[ir.Stmt, ...]) -> None:
        for stmt in body:
            order, node_start = len(self.statements), len(self.nodes)
            self.statements.append(stmt)
            for top in ir.stmt_exprs(stmt):
                self.expr(top)
            own_end = len(self.nodes)
            for nested in ir.child_blocks(stmt):
                self.block(nested)
            self.spans[id(stmt)] = (order, len(self.statements), node_start, own_end, len(self.nodes))

    def expr(self, top: ir.Expr) -> None:
        """One top-level expression's subtree, pre-order (the walk itself runs in `ir.walk_expr`)."""
        start = len(self.nodes)
        self.nodes.extend(ir.walk_expr(top))
        self.tops[id(top)] = (start, len(self.nodes))

    def finish(self, module: ir.Module, with_function: tuple[tuple[ir.Function | None, ir.Stmt], ...]) -> FileIndex:
        nodes = tuple(self.nodes)
        type_ids = list(map(id, map(type, nodes)))
        by_type = sorted(range(len(nodes)), key=type_ids.__getitem__)  # stable: positions stay ascending
        kinds: dict[type, _Kind] = {}
        for _, group in groupby(by_type, key=type_ids.__getitem__):
            ats = tuple(group)
            kinds[type(nodes[ats[0]])] = _Kind(ats, tuple(map(nodes.__getitem__, ats)))
        stmt_kinds: dict[type, list[int]] = {}
        for order, stmt in enumerate(self.statements):
            stmt_kinds.setdefault(type(stmt), []).append(order)
        return FileIndex(module, nodes, tuple(self.statements), with_function, self.tops, self.spans, kinds,
                         {kind: tuple(orders) for kind, orders in stmt_kinds.items()})
