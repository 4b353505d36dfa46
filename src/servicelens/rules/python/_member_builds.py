"""What a class's member holds, by the code that builds it: the implementations a proxy method reaches.

A front object that hands each call on to a member (`def check(self, ...): return self.backend.check(...)`)
does what the member's class does. Which class that is the code says where the member is set: from
a constructor or a factory (`self.state = self.init_app(app)`, whose return is `get_users_handler(config)`,
which returns `DatabaseUsers()` or `LDAPUsers(...)`), or from a constructor parameter, bound where
the front object is built (`authenticator = Authenticator(StoreBackend())`). Followed this way, a
proxy's call lands in the classes its member is built from, never in any method that happens to
share its name.

Not a rule. Per file: `member_builds` (member -> class it is built from here), `member_params` (member
set from a constructor parameter) and `constructions` (a project class built with a project class's
instance as an argument); `member_classes` joins them project-wide.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.taint.scope import ModuleScope

_DEPTH = 3  # returns followed through factories: `self.init_app(...)` -> `get_users_handler(...)` -> `Users()`


@dataclass(frozen=True, slots=True)
class MemberParam:
    """`self.backend = backend` in `Authenticator.__init__(self, backend)`."""
    owner: str  # project-wide class name
    member: str
    position: int  # of the parameter, not counting `self`
    name: str


@dataclass(frozen=True, slots=True)
class Construction:
    """`Authenticator(StoreBackend())`: a project class built with an instance of one as an argument."""
    built: str  # project-wide class name
    position: int  # -1 for a keyword argument
    keyword: str
    held: str  # the argument's project-wide class


def member_builds(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[str, str]]:
    """(`module.Class.member`, project class) for `self.member = <what builds it>` in a method."""
    for function in module.functions:
        if not function.class_name:
            continue
        for stmt in ir.walk_stmts(function.body):
            if not isinstance(stmt, ir.Assign) or stmt.value is None:
                continue
            for target in stmt.targets:
                if isinstance(target, ir.Attr) and _is_self(target.value):
                    for held in built_classes(module, scope, function, stmt.value):
                        yield f"{scope.name}.{function.class_name}.{target.attr}", held


def member_params(module: ir.Module, scope: ModuleScope) -> Iterator[MemberParam]:
    for function in module.functions:
        if function.name != "__init__" or not function.class_name:
            continue
        params = [p.name for p in function.params][1:]
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and stmt.value.id in params:
                for target in stmt.targets:
                    if isinstance(target, ir.Attr) and _is_self(target.value):
                        yield MemberParam(f"{scope.name}.{function.class_name}", target.attr,
                                          params.index(stmt.value.id), stmt.value.id)


def constructions(module: ir.Module, scope: ModuleScope) -> Iterator[Construction]:
    """Every construction of a project class handed an instance of one, at module level or in a function."""
    bodies: list[tuple[ir.Function | None, tuple[ir.Stmt, ...]]] = [(None, module.body)]
    bodies += [(f, f.body) for f in module.functions]
    index = file_index(module, scope)
    for function, body in bodies:
        # each body's calls from the file's one traversal; only a call handed another call's result
        # can be one (the constructor is resolved only for those)
        for node in index.block_of_kind(body, ir.Call):
            if any(type(arg) is ir.Call for arg in node.args) \
                    or any(kw.name and type(kw.value) is ir.Call for kw in node.kwargs):
                yield from _construction(scope, function, node)


def _construction(scope: ModuleScope, function: ir.Function | None, call: ir.Call) -> Iterator[Construction]:
    built = _project_class(scope, function, call)
    if built is None:
        return
    for position, arg in enumerate(call.args):
        if isinstance(arg, ir.Call) and (held := _project_class(scope, function, arg)) is not None:
            yield Construction(built, position, "", held)
    for kw in call.kwargs:
        if kw.name and isinstance(kw.value, ir.Call) and (held := _project_class(scope, function, kw.value)):
            yield Construction(built, -1, kw.name, held)


def member_classes(builds: Iterable[tuple[str, str]], params: Iterable[MemberParam],
                   built: Iterable[Construction]) -> dict[str, frozenset[str]]:
    """Project-wide: `module.Class.member` -> the classes it is built from."""
    found: dict[str, set[str]] = {}
    for member, held in builds:
        found.setdefault(member, set()).add(held)
    by_class: dict[str, list[Construction]] = {}
    for construction in built:
        by_class.setdefault(construction.built, []).append(construction)
    for param in params:
        for construction in by_class.get(param.owner, ()):
            if construction.position == param.position or construction.keyword == param.name:
                found.setdefault(f"{param.owner}.{param.member}", set()).add(construction.held)
    return {member: frozenset(classes) for member, classes in found.items()}


def built_classes(module: ir.Module, scope: ModuleScope, function: ir.Function, value: ir.Expr,
                  depth: int = 0) -> frozenset[str]:
    """The project classes `value` builds: a constructor (`Users()`), or what a method of the class or
    a function of the module returns (each return, and a returned local's assignments, followed)."""
    if isinstance(value, ir.Await):
        value = value.value
    if isinstance(value, ir.Name):
        assigned = [s.value for s in ir.walk_stmts(function.body) if isinstance(s, ir.Assign) and s.value is not None
                    and any(isinstance(t, ir.Name) and t.id == value.id for t in s.targets)]
        return frozenset(c for a in assigned if not _mentions(a, value.id)
                         for c in built_classes(module, scope, function, a, depth))
    if not isinstance(value, ir.Call) or depth > _DEPTH:
        return frozenset()
    held = _project_class(scope, function, value)
    if held is not None:
        return frozenset({held})
    factory = _factory(module, function, value.func)
    if factory is None:
        return frozenset()
    return frozenset(c for stmt in ir.walk_stmts(factory.body) if isinstance(stmt, ir.Return) and stmt.value is not None
                     for c in built_classes(module, scope, factory, stmt.value, depth + 1))


def _factory(module: ir.Module, function: ir.Function, func: ir.Expr) -> ir.Function | None:
    """The function of this module a call names: `get_users_handler(...)`, `self.init_app(...)`."""
    if isinstance(func, ir.Name):
        return next((f for f in module.functions if f.qualname == func.id), None)
    if isinstance(func, ir.Attr) and _is_self(func.value) and function.class_name:
        return next((f for f in module.functions if f.qualname == f"{function.class_name}.{func.attr}"), None)
    return None


def _project_class(scope: ModuleScope, function: ir.Function | None, call: ir.Call) -> str | None:
    name = ir.dotted_name(call.func)
    qualified = scope.qualify(name, function, set()) if name else None
    if qualified is None or not scope.is_project_candidate(qualified):
        return None
    last = qualified.rsplit(".", 1)[-1]
    return qualified if last[:1].isupper() and not last.isupper() else None


def _mentions(expr: ir.Expr, name: str) -> bool:
    return any(isinstance(n, ir.Name) and n.id == name for n in ir.walk_expr(expr))


def _is_self(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Name) and expr.id == "self"
