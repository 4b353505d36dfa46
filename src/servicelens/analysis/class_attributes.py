"""What a class's attribute holds, when it is an instance of a named class.

`objects = OrderManager()` on a Django model, `OrderQuerySet.as_manager()`,
`OrderManager.from_queryset(OrderQuerySet)()`, or `client = PaymentsClient()` on a service
class: a call through the attribute (`Order.objects.settle(...)`, `self.client.charge(...)`)
runs a method of that class. So does a member the class declares to hold a project class
(`self.positions = positions` from `positions: PositionRepository` in `__init__`), called through
an instance from another module (`svc.positions.history(...)`). The resolver treats the attribute like a class with those bases,
so the call graph and taint reach the method (taint/resolve.py `_inherited`).
"""
from __future__ import annotations

from servicelens import ir
from servicelens.taint.declared import member_classes
from servicelens.taint.scope import ModuleScope

# Django builds a manager from a queryset class: the methods of both answer on the attribute
_MANAGER_FROM_QUERYSET = ("as_manager", "from_queryset")


def attribute_classes(module: ir.Module, scope: ModuleScope) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(`module.Class.attr`, the project-wide dotted classes whose instance it holds): built in the
    class body, or declared a project class (`self.positions = positions` of a typed `__init__`
    parameter: taint.declared.member_classes)."""
    out = [(member, (held,)) for member, held in member_classes(scope)]
    for cls in module.classes:
        for stmt in cls.body:
            if not isinstance(stmt, ir.Assign) or stmt.op is not None or not isinstance(stmt.value, ir.Call):
                continue
            classes = tuple(scope.qualify(name, None, set()) or name for name in _constructed(stmt.value))
            for target in stmt.targets:
                if classes and isinstance(target, ir.Name):
                    out.append((f"{module.module_name}.{cls.qualname}.{target.id}", classes))
    return tuple(out)


def _constructed(call: ir.Call) -> tuple[str, ...]:
    """The dotted names of what `call` makes: `X()` -> X, `Q.as_manager()` -> Q,
    `M.from_queryset(Q)()` -> M, Q."""
    func = call.func
    if isinstance(func, ir.Call) and isinstance(func.func, ir.Attr) and func.func.attr == "from_queryset":
        names = (ir.dotted_name(func.func.value), *(ir.dotted_name(arg) for arg in func.args))
        return tuple(name for name in names if name)
    if isinstance(func, ir.Attr) and func.attr in _MANAGER_FROM_QUERYSET:
        name = ir.dotted_name(func.value)
        return (name,) if name else ()
    name = ir.dotted_name(func)
    return (name,) if name else ()
