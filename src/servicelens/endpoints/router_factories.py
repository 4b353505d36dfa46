"""FastAPI routers built by a function of one module and bound by name in others.

A project often builds its routers once, with the authentication every route needs, and
hands them out:

    def get_routers():                                   # routers/base.py
        public = APIRouter()
        app = APIRouter(dependencies=[Depends(JWTAuth())])
        return public, app

    public_app, app = get_routers()                      # routers/orders.py
    @app.post("/orders") ...

Each module records what it can see alone: the routers a function returns, by position,
with the project-wide names of their `dependencies=`; and the module-level names bound to
what a function returns. The inventory joins the two (endpoints.inventory), so a route on
`app` passes `JWTAuth()` first, decided by its body like any dependency.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Mapping

from servicelens import ir
from servicelens.endpoints.principals import depends_targets, qualify
from servicelens.frameworks.router_dependencies import MODULE_SCOPE, scoped_router_dependencies

WHOLE = -1  # the function returns one router, not a tuple of them


@dataclass(frozen=True, slots=True)
class ReturnedRouter:
    """A router a function returns (alone, or at `position` of the tuple it returns)."""

    factory: str  # project-wide name of the function
    position: int
    dependencies: tuple[str, ...]  # project-wide names of its `dependencies=`


@dataclass(frozen=True, slots=True)
class BoundRouter:
    """`public_app, app = get_routers()` at module level: `app` is what the call returns at 1."""

    router: str  # project-wide name of the bound router (module + name)
    factory: str  # project-wide name of the function called
    position: int


def returned_routers(module: ir.Module, imports: Mapping[str, str]) -> tuple[ReturnedRouter, ...]:
    """Routers with dependencies that the module's top-level functions return."""
    return tuple(_returned(module, imports))


def _returned(module: ir.Module, imports: Mapping[str, str]) -> Iterator[ReturnedRouter]:
    scopes = scoped_router_dependencies(module)
    if not scopes:
        return
    for function in module.functions:
        if function.parent is not None or function.class_name is not None:
            continue
        # a top-level function sees its own routers, then the module's
        visible = {**scopes.get(MODULE_SCOPE, {}), **scopes.get(function.qualname, {})}
        if not visible:
            continue
        key = f"{module.module_name}.{function.qualname}"
        for stmt in ir.walk_stmts(function.body):
            if not isinstance(stmt, ir.Return) or stmt.value is None:
                continue
            single = not (isinstance(stmt.value, ir.Seq) and stmt.value.kind == "tuple")
            values = (stmt.value,) if single else stmt.value.elts
            for position, value in enumerate(values):
                if isinstance(value, ir.Name) and value.id in visible:
                    refs = tuple(dict.fromkeys(ref for e in visible[value.id]
                                               for ref in depends_targets(e, module, imports)))
                    if refs:
                        yield ReturnedRouter(key, WHOLE if single else position, refs)


def bound_routers(module: ir.Module, imports: Mapping[str, str]) -> tuple[BoundRouter, ...]:
    """Module-level names bound to what a function returns (`app = build_router()`,
    `public_app, app = get_routers()`) that a route decorator of the module is called on
    (`@app.post(...)`); whether the function returns a router the inventory decides."""
    receivers = {d.func.value.id for f in module.functions for d in f.decorators
                 if isinstance(d, ir.Call) and isinstance(d.func, ir.Attr) and isinstance(d.func.value, ir.Name)}
    if not receivers:
        return ()
    found = []
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or stmt.op or not isinstance(stmt.value, ir.Call):
            continue
        factory = qualify(ir.dotted_name(stmt.value.func) or "", module, imports)
        if not factory:
            continue
        for target in stmt.targets:
            if isinstance(target, ir.Name) and target.id in receivers:
                found.append(BoundRouter(f"{module.module_name}.{target.id}", factory, WHOLE))
            elif isinstance(target, ir.Seq):
                found.extend(BoundRouter(f"{module.module_name}.{elt.id}", factory, position)
                             for position, elt in enumerate(target.elts)
                             if isinstance(elt, ir.Name) and elt.id in receivers)
    return tuple(found)
