"""The language-neutral intermediate representation analyses are written against.

Each language adapter (lang/<language>/lower.py) turns its tree-sitter tree into these
nodes; analyses never look at syntax trees. The IR keeps what dataflow and backend rules
need (calls with receivers and keyword arguments, assignments, branches with conditions,
loops, try/with, awaits, string building, constants) and drops the rest into `Opaque`.

    Module ─┬─ imports: Import*
            ├─ body: Stmt*            (module-level statements)
            ├─ functions: Function*   (every def, methods and nested ones included)
            └─ classes: ClassDef*

Every node carries `line` (1-based) and `col` (0-based) of its start; statements also
carry `end_line`. Nodes are frozen: analyses may share them across threads and cache them.

JavaScript/TypeScript (lang/javascript) map onto the same nodes: a function written inside
an expression (an arrow handler, a `.then` callback) is its own Function named
`<anon@LINE>` (nested: `outer.<locals>.<anon@LINE>`) and a Name of that name at the call;
`const {id} = req.params` is `id = req.params.id`; an object literal is a DictExpr with
constant keys; `this` is `self`; `new X()` a Call; `a?.b` an Attr; `===` / `&&` / `??` are
`==` / `and` / `or`; `export default x` assigns the name `default`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Union

from servicelens.fast_init import fast_frozen_init

# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Name:
    line: int
    col: int
    id: str


@dataclass(frozen=True, slots=True)
class Const:
    """A literal. `value` is the Python value (str, bytes, int, float, bool, None)."""

    line: int
    col: int
    value: object


@dataclass(frozen=True, slots=True)
class Attr:
    line: int
    col: int
    value: Expr
    attr: str


@dataclass(frozen=True, slots=True)
class Subscript:
    line: int
    col: int
    value: Expr
    index: Expr


@dataclass(frozen=True, slots=True)
class Keyword:
    """`name=value`; name is None for `**value`."""

    name: str | None
    value: Expr


@dataclass(frozen=True, slots=True)
class Call:
    line: int
    col: int
    func: Expr
    args: tuple[Expr, ...]
    kwargs: tuple[Keyword, ...]
    end_line: int = 0

    def kwarg(self, name: str) -> Expr | None:
        for kw in self.kwargs:
            if kw.name == name:
                return kw.value
        return None

    def arg(self, position: int, name: str | None = None) -> Expr | None:
        """The argument at `position`, or passed as keyword `name`."""
        if name is not None:
            found = self.kwarg(name)
            if found is not None:
                return found
        if 0 <= position < len(self.args) and not isinstance(self.args[position], Starred):
            return self.args[position]
        return None


@dataclass(frozen=True, slots=True)
class BinOp:
    line: int
    col: int
    op: str  # "+", "%", "*", ...
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class BoolOp:
    line: int
    col: int
    op: str  # "and" | "or"
    values: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Compare:
    line: int
    col: int
    left: Expr
    ops: tuple[str, ...]  # "==", "!=", "<", "in", "not in", "is", "is not", ...
    comparators: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Unary:
    line: int
    col: int
    op: str  # "not", "-", "+", "~"
    operand: Expr


@dataclass(frozen=True, slots=True)
class FormattedString:
    """f-string / template literal: constant parts and interpolated expressions in order."""

    line: int
    col: int
    parts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Seq:
    line: int
    col: int
    kind: str  # "list" | "tuple" | "set"
    elts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class DictExpr:
    line: int
    col: int
    keys: tuple[Expr | None, ...]  # None for `**other`
    values: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class IfExp:
    line: int
    col: int
    test: Expr
    body: Expr
    orelse: Expr


@dataclass(frozen=True, slots=True)
class Lambda:
    line: int
    col: int
    params: tuple[Param, ...]
    body: Expr


@dataclass(frozen=True, slots=True)
class Await:
    line: int
    col: int
    value: Expr


@dataclass(frozen=True, slots=True)
class Comprehension:
    """`[elt for target in iter if cond]` and friends; `value` is set for dict comps."""

    line: int
    col: int
    kind: str  # "list" | "set" | "dict" | "generator"
    elt: Expr
    value: Expr | None
    targets: tuple[Expr, ...]
    iters: tuple[Expr, ...]
    conds: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Starred:
    line: int
    col: int
    value: Expr
    double: bool = False


@dataclass(frozen=True, slots=True)
class Opaque:
    """Syntax the IR does not model; its child expressions are kept so data still flows."""

    line: int
    col: int
    kind: str
    children: tuple[Expr, ...]


Expr = Union[
    Name, Const, Attr, Subscript, Call, BinOp, BoolOp, Compare, Unary, FormattedString,
    Seq, DictExpr, IfExp, Lambda, Await, Comprehension, Starred, Opaque,
]

# ---------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class Assign:
    """`targets = value`; several targets for `a = b = v`; `op` set for `x += v`."""

    line: int
    end_line: int
    targets: tuple[Expr, ...]
    value: Expr | None
    op: str | None = None
    annotation: Expr | None = None


@dataclass(frozen=True, slots=True)
class ExprStmt:
    line: int
    end_line: int
    value: Expr


@dataclass(frozen=True, slots=True)
class Return:
    line: int
    end_line: int
    value: Expr | None


@dataclass(frozen=True, slots=True)
class If:
    line: int
    end_line: int
    test: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class For:
    line: int
    end_line: int
    target: Expr
    iter: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...] = ()
    is_async: bool = False


@dataclass(frozen=True, slots=True)
class While:
    line: int
    end_line: int
    test: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...] = ()


@dataclass(frozen=True, slots=True)
class Handler:
    line: int
    end_line: int
    types: Expr | None  # None for a bare `except:`
    name: str | None
    body: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class Try:
    line: int
    end_line: int
    body: tuple[Stmt, ...]
    handlers: tuple[Handler, ...]
    orelse: tuple[Stmt, ...] = ()
    finalbody: tuple[Stmt, ...] = ()


@dataclass(frozen=True, slots=True)
class WithItem:
    context: Expr
    target: Expr | None


@dataclass(frozen=True, slots=True)
class With:
    line: int
    end_line: int
    items: tuple[WithItem, ...]
    body: tuple[Stmt, ...]
    is_async: bool = False


@dataclass(frozen=True, slots=True)
class Raise:
    line: int
    end_line: int
    exc: Expr | None


@dataclass(frozen=True, slots=True)
class Jump:
    line: int
    end_line: int
    kind: str  # "break" | "continue" | "pass"


@dataclass(frozen=True, slots=True)
class Delete:
    line: int
    end_line: int
    targets: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Global:
    line: int
    end_line: int
    names: tuple[str, ...]
    nonlocal_: bool = False


@dataclass(frozen=True, slots=True)
class Def:
    """A nested function or class definition statement; the definition itself is listed
    in Module.functions / Module.classes, this marks where it happens in the flow."""

    line: int
    end_line: int
    qualname: str
    is_class: bool = False


@dataclass(frozen=True, slots=True)
class ImportStmt:
    """A function-local import (module-level imports are in Module.imports too)."""

    line: int
    end_line: int
    imports: tuple[Import, ...]


Stmt = Union[
    Assign, ExprStmt, Return, If, For, While, Try, With, Raise, Jump, Delete, Global,
    Def, ImportStmt,
]

# ---------------------------------------------------------------- definitions


@dataclass(frozen=True, slots=True)
class Import:
    """`local` is bound to the dotted `target` (`from a.b import c as d` -> d = a.b.c).
    Relative imports are resolved against the module's package when possible."""

    line: int
    local: str
    target: str


@dataclass(frozen=True, slots=True)
class Param:
    line: int
    name: str
    kind: str  # "positional" | "keyword" | "vararg" | "kwarg"
    default: Expr | None = None
    annotation: Expr | None = None
    decorators: tuple[Expr, ...] = ()  # TypeScript parameter decorators (NestJS `@Body()`)


@dataclass(frozen=True, slots=True)
class Function:
    name: str
    qualname: str  # module-relative: "OrderView.post", "outer.<locals>.inner"
    line: int
    end_line: int
    params: tuple[Param, ...]
    decorators: tuple[Expr, ...]
    body: tuple[Stmt, ...]
    is_async: bool = False
    class_name: str | None = None  # enclosing class for methods
    parent: str | None = None  # qualname of the enclosing function for nested defs
    returns: Expr | None = None
    docstring: str | None = None


@dataclass(frozen=True, slots=True)
class ClassDef:
    name: str
    qualname: str
    line: int
    end_line: int
    bases: tuple[Expr, ...]
    keywords: tuple[Keyword, ...]
    decorators: tuple[Expr, ...]
    body: tuple[Stmt, ...]  # class-level statements (attributes, nested Def markers)
    methods: tuple[str, ...]  # qualnames of the methods, in order


@dataclass(frozen=True, slots=True)
class TypeShape:
    """A declared object type (a TypeScript `interface X {...}` or `type X = {...}`): each
    member's path (`controllers.orders` for a nested object type) and the annotation naming
    its type. It carries no flow; it says what a value typed `X` holds."""

    name: str
    line: int
    members: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True, slots=True)
class Module:
    path: str  # relative to the review root
    module_name: str  # dotted, e.g. "payments.views"
    language: str
    imports: tuple[Import, ...]
    body: tuple[Stmt, ...]
    functions: tuple[Function, ...]
    classes: tuple[ClassDef, ...]
    lines: tuple[str, ...]  # source lines, for evidence excerpts
    # each quoted line's stripped text, made once: the facts of every rule and summary that quote
    # a line then share one string (held for every file until the project phase)
    quoted: dict[int, str] = field(compare=False, repr=False)
    shapes: tuple[TypeShape, ...] = ()  # declared object types (TypeScript), by name
    # answers about this module's own nodes that several rules and facts ask alike (keyed by
    # the asker, with `id()`s of nodes the module keeps alive), made once: dropped with the module
    derived: dict[object, object] = field(default_factory=dict, compare=False, repr=False)

    def line_text(self, line: int) -> str:
        text = self.quoted.get(line)
        if text is None:
            text = self.quoted[line] = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        return text


# ---------------------------------------------------------------- walking helpers


def child_exprs(expr: Expr) -> tuple[Expr, ...]:
    """Direct sub-expressions, in source order (dispatch by type: this is the hottest
    function of every walk)."""
    return _CHILDREN[type(expr)](expr)


def _call_children(e: Call) -> tuple[Expr, ...]:
    return (e.func, *e.args, *(kw.value for kw in e.kwargs))


def _dict_children(e: DictExpr) -> tuple[Expr, ...]:
    return (*(k for k in e.keys if k is not None), *e.values)


def _comprehension_children(e: Comprehension) -> tuple[Expr, ...]:
    tail = (e.elt,) if e.value is None else (e.elt, e.value)
    return (*e.iters, *e.targets, *e.conds, *tail)


_NONE: tuple[Expr, ...] = ()
_CHILDREN: dict[type, Callable[[Any], tuple[Expr, ...]]] = {
    Name: lambda e: _NONE, Const: lambda e: _NONE,
    Attr: lambda e: (e.value,), Subscript: lambda e: (e.value, e.index), Call: _call_children,
    BinOp: lambda e: (e.left, e.right), BoolOp: lambda e: e.values,
    Compare: lambda e: (e.left, *e.comparators), Unary: lambda e: (e.operand,),
    FormattedString: lambda e: e.parts, Seq: lambda e: e.elts, DictExpr: _dict_children,
    IfExp: lambda e: (e.test, e.body, e.orelse), Lambda: lambda e: (e.body,),
    Await: lambda e: (e.value,), Starred: lambda e: (e.value,), Comprehension: _comprehension_children,
    Opaque: lambda e: e.children,
}


_LEAVES = (Name, Const)


def _reversed_call_children(e: Call) -> tuple[Expr, ...]:
    return (*(kw.value for kw in reversed(e.kwargs)), *reversed(e.args), e.func)


def _reversed_dict_children(e: DictExpr) -> tuple[Expr, ...]:
    return (*reversed(e.values), *[k for k in reversed(e.keys) if k is not None])


def _reversed_comprehension_children(e: Comprehension) -> tuple[Expr, ...]:
    tail = (e.elt,) if e.value is None else (e.value, e.elt)
    return (*tail, *reversed(e.conds), *reversed(e.targets), *reversed(e.iters))


# child_exprs in reverse order: what a pre-order walk pushes on its stack, without a
# reversed() view per node (walks run millions of times per review)
_REVERSED_CHILDREN: dict[type, Callable[[Any], tuple[Expr, ...]]] = {
    Name: lambda e: _NONE, Const: lambda e: _NONE,
    Attr: lambda e: (e.value,), Subscript: lambda e: (e.index, e.value), Call: _reversed_call_children,
    BinOp: lambda e: (e.right, e.left), BoolOp: lambda e: e.values[::-1],
    Compare: lambda e: (*reversed(e.comparators), e.left), Unary: lambda e: (e.operand,),
    FormattedString: lambda e: e.parts[::-1], Seq: lambda e: e.elts[::-1], DictExpr: _reversed_dict_children,
    IfExp: lambda e: (e.orelse, e.body, e.test), Lambda: lambda e: (e.body,),
    Await: lambda e: (e.value,), Starred: lambda e: (e.value,), Comprehension: _reversed_comprehension_children,
    Opaque: lambda e: e.children[::-1],
}


def walk_expr(expr: Expr) -> Iterator[Expr]:
    """`expr` and every sub-expression, pre-order. Most walks start at a name or a
    constant (rules walk every argument and target), so those skip the stack."""
    if type(expr) in _LEAVES:
        yield expr
        return
    stack = [expr]
    children = _REVERSED_CHILDREN
    pop, push = stack.pop, stack.extend
    while stack:
        node = pop()
        yield node
        push(children[type(node)](node))


def _assign_exprs(stmt: Assign) -> tuple[Expr, ...]:
    return stmt.targets if stmt.value is None else (stmt.value, *stmt.targets)


def _with_exprs(stmt: With) -> tuple[Expr, ...]:
    out: list[Expr] = []
    for item in stmt.items:
        out.append(item.context)
        if item.target is not None:
            out.append(item.target)
    return tuple(out)


_STMT_EXPRS: dict[type, Callable[[Any], tuple[Expr, ...]]] = {
    Assign: _assign_exprs,
    ExprStmt: lambda s: (s.value,),
    Return: lambda s: _NONE if s.value is None else (s.value,),
    If: lambda s: (s.test,), While: lambda s: (s.test,),
    For: lambda s: (s.iter, s.target),
    With: _with_exprs,
    Raise: lambda s: _NONE if s.exc is None else (s.exc,),
    Delete: lambda s: s.targets,
}


def stmt_exprs(stmt: Stmt) -> Iterator[Expr]:
    """The expressions a statement evaluates itself (not those of nested blocks)."""
    exprs = _STMT_EXPRS.get(type(stmt))
    return iter(exprs(stmt) if exprs is not None else _NONE)


def _try_blocks(stmt: Try) -> tuple[tuple[Stmt, ...], ...]:
    return (stmt.body, *(handler.body for handler in stmt.handlers), stmt.orelse, stmt.finalbody)


_NO_BLOCKS: tuple[tuple[Stmt, ...], ...] = ()
_CHILD_BLOCKS: dict[type, Callable[[Any], tuple[tuple[Stmt, ...], ...]]] = {
    If: lambda s: (s.body, s.orelse), For: lambda s: (s.body, s.orelse), While: lambda s: (s.body, s.orelse),
    Try: _try_blocks, With: lambda s: (s.body,),
}


def child_blocks(stmt: Stmt) -> Iterator[tuple[Stmt, ...]]:
    """Nested statement blocks of a compound statement."""
    blocks = _CHILD_BLOCKS.get(type(stmt))
    return iter(blocks(stmt) if blocks is not None else _NO_BLOCKS)


def walk_stmts(body: tuple[Stmt, ...]) -> Iterator[Stmt]:
    """Every statement in `body` and its nested blocks (not nested defs), pre-order."""
    stack = list(reversed(body))
    pop, push = stack.pop, stack.extend
    compound = _CHILD_BLOCKS
    while stack:
        stmt = pop()
        yield stmt
        blocks = compound.get(type(stmt))
        if blocks is not None:
            for block in reversed(blocks(stmt)):
                push(reversed(block))


def names_assigned(body: tuple[Stmt, ...], holds: Callable[[Expr, set[str]], bool]) -> set[str]:
    """Names the statements of `body` (pre-order) assign a value `holds` accepts; `holds` is given the
    names found so far, so a value built from one of them (`digest = hashed.hex()`) counts too."""
    names: set[str] = set()
    for stmt in walk_stmts(body):
        if isinstance(stmt, Assign) and stmt.value is not None and holds(stmt.value, names):
            names.update(t.id for t in stmt.targets if isinstance(t, Name))
    return names


_BODY_STATEMENTS = ("body-statements",)


def body_statements(module: "Module") -> tuple[tuple["Function | None", tuple[Stmt, ...]], ...]:
    """The module body's statements, then each function's (`module.functions` order), each as
    `tuple(walk_stmts(body))`: nested blocks included, nested definitions being bodies of their
    own. Read once per module (`module.derived`): the framework facts that look through every
    statement of a file (instances, route tables, hooks, includes, router dependencies,
    diagnostic switches) share one walk instead of one each."""
    found = module.derived.get(_BODY_STATEMENTS)
    if found is None:
        found = module.derived[_BODY_STATEMENTS] = ((None, tuple(walk_stmts(module.body))),
                                                    *((f, tuple(walk_stmts(f.body))) for f in module.functions))
    return found  # type: ignore[return-value]


def calls_in_body(body: tuple[Stmt, ...]) -> Iterator["Call"]:
    """Every call in `body`'s statements and nested blocks (not nested defs), statement by
    statement: what registration scanners (routes, sub-apps, helpers) look through."""
    for stmt in walk_stmts(body):
        for expr in stmt_exprs(stmt):
            for node in walk_expr(expr):
                if isinstance(node, Call):
                    yield node


def is_generator(function: "Function") -> bool:
    """Whether `function`'s own body yields: calling it then only builds a generator, and none
    of its body runs until something iterates that generator."""
    return any(isinstance(node, Opaque) and node.kind == "yield"
               for stmt in walk_stmts(function.body) for expr in stmt_exprs(stmt) for node in walk_expr(expr))


def listed_decorators(cls: "ClassDef") -> tuple[Expr, ...]:
    """What a class's `decorators = [...]` / `method_decorators = [...]` list wraps every method
    of it with (flask-restful/restx resources and MethodView)."""
    return tuple(e for s in cls.body if isinstance(s, Assign) and s.value is not None
                 and any(isinstance(t, Name) and t.id in ("decorators", "method_decorators") for t in s.targets)
                 for e in (s.value.elts if isinstance(s.value, Seq) else (s.value,)))


def decorators_of_method(cls: "ClassDef", method: str) -> tuple[Expr, ...]:
    """What a class's decorator list wraps its method `method` with: every entry of
    `decorators = [...]` (MethodView, flask-restful, restx), and of flask-restful's per-verb
    `method_decorators = {"delete": [admin_only]}` only the entries listed under that verb."""
    out: list[Expr] = []
    for s in cls.body:
        if not isinstance(s, Assign) or s.value is None or not any(
                isinstance(t, Name) and t.id in ("decorators", "method_decorators") for t in s.targets):
            continue
        if isinstance(s.value, DictExpr):
            for key, value in zip(s.value.keys, s.value.values):
                if isinstance(key, Const) and str(key.value).lower() == method.lower():
                    out.extend(value.elts if isinstance(value, Seq) else (value,))
        else:
            out.extend(s.value.elts if isinstance(s.value, Seq) else (s.value,))
    return tuple(out)


def bool_terms(test: Expr, op: str) -> Iterator[Expr]:
    """`a && (b && c)` with op "and": a, b, c; anything else (`!(a && b)` included) is its own single term."""
    if isinstance(test, BoolOp) and test.op == op:
        for value in test.values:
            yield from bool_terms(value, op)
    else:
        yield test


def dotted_name(expr: Expr) -> str | None:
    """`a.b.c` for Name/Attr chains, else None. Called for nearly every name and callee the
    taint engine and the rules look at, so a bare name is answered without building a list."""
    kind = type(expr)
    if kind is Name:
        return expr.id  # type: ignore[union-attr]
    if kind is not Attr:
        return None
    parts = [expr.attr]  # type: ignore[union-attr]
    node: Expr = expr.value  # type: ignore[union-attr]
    while type(node) is Attr:
        parts.append(node.attr)  # type: ignore[union-attr]
        node = node.value  # type: ignore[union-attr]
    if type(node) is not Name:
        return None
    parts.append(node.id)  # type: ignore[union-attr]
    parts.reverse()
    return ".".join(parts)


def option(options: Expr | None, key: str) -> Expr | None:
    """`{key: value}` of an object/dict literal (an options object); None when `options` is not a
    literal or has no such key."""
    if not isinstance(options, DictExpr):
        return None
    for k, v in zip(options.keys, options.values):
        if isinstance(k, Const) and k.value == key:
            return v
    return None


def last_name(expr: Expr | None) -> str:
    """The last name of a callee or class reference: `User`, `load` in `Schema().load`."""
    if expr is None:
        return ""
    if isinstance(expr, Attr):
        return expr.attr
    return (dotted_name(expr) or "").rsplit(".", 1)[-1]


def assigned_names(stmts: Iterable[Stmt]) -> set[str]:
    """Names bound by assignment, for-loop and with-targets in `stmts`: `a`, `a, (b, *c)`;
    not the containers of `a[i] = ...` or `a.x = ...`."""
    names: set[str] = set()
    for stmt in stmts:
        targets: tuple[Expr, ...] = ()
        if isinstance(stmt, Assign):
            targets = stmt.targets
        elif isinstance(stmt, For):
            targets = (stmt.target,)
        elif isinstance(stmt, With):
            targets = tuple(i.target for i in stmt.items if i.target is not None)
        for target in targets:
            names.update(_bound(target))
    return names


def _bound(target: Expr) -> list[str]:
    if isinstance(target, Name):
        return [target.id]
    if isinstance(target, Seq):
        return [n for e in target.elts for n in _bound(e)]
    if isinstance(target, Starred):
        return _bound(target.value)
    return []


# lowering builds every node through these constructors (about a million on a large project)
for _node_type in (Name, Const, Attr, Subscript, Keyword, Call, BinOp, BoolOp, Compare, Unary, FormattedString,
                   Seq, DictExpr, IfExp, Lambda, Await, Comprehension, Starred, Opaque, Assign, ExprStmt, Return,
                   If, For, While, Handler, Try, WithItem, With, Raise, Jump, Delete, Global, Def, ImportStmt,
                   Import, Param, Function, ClassDef):  # not Module: one per file, and its memo is a default factory
    fast_frozen_init(_node_type)
del _node_type
