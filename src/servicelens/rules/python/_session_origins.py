"""Where the `requests` session a call goes through was made: the one statement whose fix covers
every call on that session.

Not a rule (it defines no RULE): missing-timeout (perf_missing_timeout) gives each request on a
session the construction of that session, so that a reader gets one recommendation there, listing
the calls (model.finding.Construction), while each call stays its own finding.

Followed as the mounts are (_session_mounts.py): a local (`s = requests.Session()`,
`with requests.Session() as s`), a field (`self.session`, bound in `__init__` or in the one method
binding it, or in a base class of the module), a module-level name, a factory of the module
(`make_session()`, `self._build_session()`, either side of `given or make_session()`), a
`property` of the class returning one, and a field `__init__` sets to None that one method binds
to a session later; the construction is the `requests.Session()` call itself,
inside the factory when there is one (one fix there covers every session it makes).

Known problems: a session handed in through a parameter has no construction here (it would be
right only when every caller passes the same one), nor has one built in another module, or bound
in a base class defined in another module.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from servicelens import ir
from servicelens.analysis.class_hierarchy import ClassHierarchy
from servicelens.rules.python._session_mounts import SessionMounts, is_property
from servicelens.rules.python.perf_common import PerfContext, is_none, receiver

_MAX_DEPTH = 6


@dataclass(frozen=True, slots=True)
class SessionOrigin:
    """The call that makes a session, the name it is bound to there ("" when it is returned
    straight away) and the function it is in (None at module level)."""
    call: ir.Call
    bound: str
    function: ir.Function | None


def session_origin(call: ir.Call, function: ir.Function | None, ctx: PerfContext, names: SessionMounts,
                   makes_session: Callable[[ir.Call, ir.Function | None], bool]) -> SessionOrigin | None:
    """The construction of the session `call` is sent on (`self.session.get(url)`), or None when
    it is not made in this module. `makes_session(call, function)`: a `requests.Session()` call."""
    session = receiver(call)
    return _origin(session, function, "", ctx, names, makes_session, 0) if session is not None else None


def _origin(expr: ir.Expr, function: ir.Function | None, bound: str, ctx: PerfContext, names: SessionMounts,
            makes_session: Callable[[ir.Call, ir.Function | None], bool], depth: int) -> SessionOrigin | None:
    """The construction `expr` evaluates to, followed through names, fields, factories and properties."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(expr, (ir.BoolOp, ir.IfExp)):
        branches = expr.values if isinstance(expr, ir.BoolOp) else (expr.body, expr.orelse)
        return next((found for branch in branches
                     if (found := _origin(branch, function, bound, ctx, names, makes_session, depth + 1))), None)
    if isinstance(expr, ir.Call):
        if makes_session(expr, function):
            return SessionOrigin(expr, bound, function)
        return next((found for factory in _methods(ir.dotted_name(expr.func) or "", function, ctx)
                     if (found := _returned(factory, ctx, names, makes_session, depth))), None)
    dotted = ir.dotted_name(expr) if isinstance(expr, (ir.Name, ir.Attr)) else None
    if not dotted:
        return None
    for owner in _owners(dotted, function, ctx):
        value = names.value_of(dotted, owner)
        if value is not None and is_none(value[0]) and dotted.startswith("self."):
            return _bound_later(dotted, owner, ctx, names, makes_session, depth)
        if value is not None:
            return _origin(value[0], value[1], dotted, ctx, names, makes_session, depth + 1)
    return next((found for prop in _methods(dotted, function, ctx) if is_property(prop)
                 if (found := _returned(prop, ctx, names, makes_session, depth))), None)


def _bound_later(field: str, function: ir.Function | None, ctx: PerfContext, names: SessionMounts,
                 makes_session: Callable[[ir.Call, ir.Function | None], bool], depth: int) -> SessionOrigin | None:
    """A field `__init__` sets to None and a method of the class binds later (`self.client = None`,
    then `self.client = OAuth2Session(...)` in `setup()`): the one construction the other methods
    make, or None when they make several."""
    lineage = _lineage(function.class_name, ctx) if function is not None and function.class_name else []
    found: dict[int, SessionOrigin] = {}
    for method in ctx.module.functions:
        value = ctx.view(method).assigns.get(field) if method.class_name in lineage else None
        if value is not None and not is_none(value):
            origin = _origin(value, method, field, ctx, names, makes_session, depth + 1)
            if origin is None:
                return None  # bound to something else too: not one object
            found[id(origin.call)] = origin
    return next(iter(found.values())) if len(found) == 1 else None


def _returned(function: ir.Function, ctx: PerfContext, names: SessionMounts,
              makes_session: Callable[[ir.Call, ir.Function | None], bool], depth: int) -> SessionOrigin | None:
    """The construction a factory (or property) returns."""
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Return) and stmt.value is not None:
            found = _origin(stmt.value, function, "", ctx, names, makes_session, depth + 1)
            if found is not None:
                return found
    return None


def _lineage(class_name: str, ctx: PerfContext) -> list[str]:
    """A class and its bases defined in the module (by name), nearest first."""
    hierarchy = ClassHierarchy.of({cls.qualname: tuple(name for base in cls.bases if (name := ir.last_name(base)))
                                   for cls in ctx.module.classes})
    return [key for key, _ in hierarchy.ancestors(class_name)] or [class_name]


def _owners(dotted: str, function: ir.Function | None, ctx: PerfContext) -> list[ir.Function | None]:
    """Where a name's binding is looked for: the function itself, then, for a field, a method of
    each base class of the module (a field `__init__` of the base binds)."""
    owners: list[ir.Function | None] = [function]
    if dotted.startswith("self.") and function is not None and function.class_name:
        for base in _lineage(function.class_name, ctx)[1:]:
            owners += [f for f in ctx.module.functions if f.class_name == base][:1]
    return owners


def _methods(called: str, function: ir.Function | None, ctx: PerfContext) -> list[ir.Function]:
    """The module's functions a call or attribute names: `make_session` (a module function), or
    `self._session` (a method of the caller's class or of a base class of the module)."""
    if called.startswith("self.") and called.count(".") == 1:
        lineage = _lineage(function.class_name, ctx) if function is not None and function.class_name else []
        return [f for base in lineage for f in ctx.module.functions
                if f.class_name == base and f.name == called[5:]]
    return [f for f in ctx.module.functions if not f.class_name and "<locals>" not in f.qualname and f.name == called]


