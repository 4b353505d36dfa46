"""Methods a handler calls on an object a dependency injects: where the refusal may sit instead.

    async def get_auth(request: Request):                     # dependencies.py
        return request.state.authentication                   # hands an object, refuses nobody

    @router.get("/namespace/{namespace}/")
    async def get_namespace(namespace: str, request: Request, auth=Depends(get_auth)):
        auth.authorize_request(request, namespace, {READ}, require=True)   # may answer 403

A dependency named for auth whose body can refuse nobody is no authentication (endpoints.inventory
`decide_principals`), but the handler may still authorise the caller through the object it was
handed. The object's class is whatever the application stored, which the review cannot follow, so
such a call leaves the route undecided rather than open: unless every method of that name the
project defines refuses nobody, itself or through what it calls (`auth.filter_namespaces(entity,
query)` narrows a listing: it raises nothing).
"""
from __future__ import annotations

from typing import Callable, Iterable, Mapping

from servicelens import ir
from servicelens.endpoints.principals import depends_targets

_SEPARATOR = "\0"


def injected_calls(function: ir.Function, module: ir.Module, imports: Mapping[str, str]) -> tuple[str, ...]:
    """`auth=Depends(dependencies.get_auth)` ... `auth.authorize_request(...)` ->
    ("pkg.dependencies.get_auth\\0auth.authorize_request",): each method the handler calls on a
    parameter a dependency fills, with that dependency's project-wide name."""
    filled: dict[str, tuple[str, ...]] = {}
    for param in function.params:
        targets = tuple(depends_targets(param.default, module, imports)) + \
            tuple(depends_targets(param.annotation, module, imports))
        if targets:
            filled[param.name] = targets
    if not filled:
        return ()
    found: list[str] = []
    for call in ir.calls_in_body(function.body):
        receiver = call.func.value if isinstance(call.func, ir.Attr) else None
        if isinstance(receiver, ir.Name) and receiver.id in filled:
            found.extend(f"{target}{_SEPARATOR}{receiver.id}.{call.func.attr}"  # type: ignore[union-attr]
                         for target in filled[receiver.id])
    return tuple(dict.fromkeys(found))


def calls_on(dependency: str, calls: Iterable[str]) -> list[str]:
    """The calls (`auth.authorize_request`) made on what `dependency` injected."""
    return [call for entry in calls for target, _, call in (entry.partition(_SEPARATOR),) if target == dependency]


def may_refuse_through(calls: Iterable[str], methods: Callable[[str], list[str]],
                       cannot_refuse: Callable[[str], bool]) -> str:
    """The first call that may turn the caller away: a method no project class defines (the
    object is the library's or the application's), or one some project definition of which can
    refuse; "" when every project method of each name refuses nobody."""
    for call in calls:
        defined = methods(call.rsplit(".", 1)[-1])
        if not defined or not all(cannot_refuse(key) for key in defined):
            return call
    return ""
