"""Class attributes no request can have written: what `self.<attr>` reads when the class body sets it.

A class body runs once, when its module is imported, before any request exists: `languages =
set(code for code, _ in settings.LANGUAGES)` on a view class is the server's own collection, and
`if lang not in self.languages: raise Http404()` pins `lang` to one of its members, as a module
constant would. An attribute a method also assigns on the instance (`self.languages = ...`) may
hold what that method computed, so it is left to the flow; so is one the body does not set.
"""
from __future__ import annotations

from servicelens import ir
from servicelens.taint.scope import ModuleScope

_MEMO = "class-level-constants"


def class_level_constant(scope: ModuleScope, function: ir.Function | None, expr: ir.Expr) -> bool:
    """Is `expr` `self.<attr>` (or `cls.<attr>`) of an attribute the method's class body sets and no
    method of the class assigns on the instance?"""
    if function is None or not function.class_name or not isinstance(expr, ir.Attr) \
            or not isinstance(expr.value, ir.Name) or expr.value.id not in ("self", "cls"):
        return False
    constants: dict[str, frozenset[str]] = scope.memo(_MEMO, lambda: _constants(scope))
    return expr.attr in constants.get(function.class_name, frozenset())


def _constants(scope: ModuleScope) -> dict[str, frozenset[str]]:
    """class qualname -> attributes its body assigns and its methods never assign on `self`/`cls`."""
    methods = {f.qualname: f for f in scope.module.functions}
    out: dict[str, frozenset[str]] = {}
    for cls in scope.module.classes:
        own = {target.id for stmt in cls.body if isinstance(stmt, ir.Assign) and stmt.value is not None
               for target in stmt.targets if isinstance(target, ir.Name)}
        if not own:
            continue
        reassigned = {target.attr for qualname in cls.methods if qualname in methods
                      for stmt in ir.walk_stmts(methods[qualname].body) if isinstance(stmt, ir.Assign)
                      for target in stmt.targets if isinstance(target, ir.Attr)
                      and isinstance(target.value, ir.Name) and target.value.id in ("self", "cls")}
        out[cls.qualname] = frozenset(own - reassigned)
    return out
