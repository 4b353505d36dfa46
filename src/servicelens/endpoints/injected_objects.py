"""Methods a handler calls on an object a dependency injects: where the refusal may sit instead.

    async def get_auth(request: Request):                     # dependencies.py
        return request.state.authentication                   # hands an object, refuses nobody

    @router.get("/namespace/{namespace}/")
    async def get_namespace(namespace: str, request: Request, auth=Depends(get_auth)):
        auth.authorize_request(request, namespace, {READ}, require=True)   # may answer 403

A dependency named for auth whose body can refuse nobody is no authentication (endpoints.inventory
`decide_principals`), but the handler may still authorise the caller through the object it was
handed. The object's class is the one the handler's parameter is annotated with, the one the
dependency says it returns (`-> Authentication`) or builds (`return Authentication(...)`); when
none says, the methods of that name the project defines stand for it (what the application stored
is one of its classes, or a library's the review cannot read). The call is decided by what those
methods do with the arguments it passes:

  - every definition refuses the caller (a guard, or 401/403) and no argument the call passes turns
    that off (`require=True` where the refusal sits under `if require and ...`), and the handler
    makes the call on every path: the route requires what the method checks;
  - the call leaves the refusal off (`require=False`, or the parameter's false default), or sits
    under a test or loop of the handler: undecided, and the evidence says which;
  - every definition refuses nobody, itself or through what it calls (`auth.filter_namespaces(entity,
    query)` narrows a listing): the route stays open.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.endpoints.injected_call import InjectedCall
from servicelens.endpoints.principals import depends_targets, qualify
from servicelens.endpoints.refusal_switches import OFF, UNREAD, Switch, argument_state
from servicelens.endpoints.returned_class import returned_class


def injected_calls(function: ir.Function, module: ir.Module, imports: Mapping[str, str]) -> tuple[InjectedCall, ...]:
    """Each method the handler calls on a parameter a dependency fills, with that dependency's
    project-wide name and, when the code says it, the object's class."""
    filled: dict[str, tuple[tuple[str, ...], str]] = {}
    for param in function.params:
        targets = tuple(depends_targets(param.default, module, imports)) + \
            tuple(depends_targets(param.annotation, module, imports))
        if targets:
            filled[param.name] = (targets, _type_name(param, targets, module, imports))
    if not filled:
        return ()
    found: list[InjectedCall] = []
    for call, conditional in _calls(function.body, False):
        receiver = call.func.value if isinstance(call.func, ir.Attr) else None
        if isinstance(receiver, ir.Name) and receiver.id in filled:
            targets, type_name = filled[receiver.id]
            keywords = tuple((kw.name or "**", _literal(kw.value)) for kw in call.kwargs)
            found.extend(InjectedCall(target, f"{receiver.id}.{call.func.attr}", type_name, keywords,  # type: ignore[union-attr]
                                      len(call.args), conditional) for target in targets)
    return tuple(dict.fromkeys(found))


def _calls(body: tuple[ir.Stmt, ...], conditional: bool) -> Iterator[tuple[ir.Call, bool]]:
    """Every call of the body, and whether it runs only on some paths (a branch, a loop, an
    `except` block; the test of a branch itself always runs)."""
    for stmt in body:
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call):
                    yield node, conditional
        if isinstance(stmt, ir.Try):
            yield from _calls(stmt.body + stmt.finalbody, conditional)
            for block in (stmt.orelse, *(handler.body for handler in stmt.handlers)):
                yield from _calls(block, True)
        elif isinstance(stmt, ir.With):
            yield from _calls(stmt.body, conditional)
        else:
            for block in ir.child_blocks(stmt):
                yield from _calls(block, True)


def _type_name(param: ir.Param, targets: tuple[str, ...], module: ir.Module, imports: Mapping[str, str]) -> str:
    """The class of what the parameter holds: its annotation (`auth: Authentication = Depends(...)`,
    not `Annotated[...]`), else what a dependency of this module says it returns or builds."""
    annotation = ir.dotted_name(param.annotation) if param.annotation is not None else None
    if annotation and annotation.rsplit(".", 1)[-1][:1].isupper():
        return qualify(annotation, module, imports)
    local = {f"{module.module_name}.{f.qualname}": f for f in module.functions if f.parent is None and not f.class_name}
    for target in targets:
        dependency = local.get(target)
        if dependency is not None and (built := returned_class(dependency)):
            return qualify(built, module, imports)
    return ""


def _literal(value: ir.Expr) -> str:
    return repr(value.value) if isinstance(value, ir.Const) and isinstance(value.value, (bool, int, str)) else ""


def calls_on(dependency: str, calls: Iterable[InjectedCall]) -> list[InjectedCall]:
    """The calls (`auth.authorize_request`) made on what `dependency` injected."""
    return [call for call in calls if call.dependency == dependency]


def may_refuse_through(calls: Iterable[InjectedCall], methods: Callable[[InjectedCall], list[str]],
                       cannot_refuse: Callable[[str], bool]) -> str:
    """The first call that may turn the caller away: a method no project class defines (the
    object is the library's or the application's), or one some project definition of which can
    refuse; "" when every project method of each name refuses nobody."""
    for call in calls:
        defined = methods(call)
        if not defined or not all(cannot_refuse(key) for key in defined):
            return call.call
    return ""


Verdict = tuple[str, str]  # (auth, evidence)


def injected_verdict(call: InjectedCall, defined: list[str], refusal: Callable[[str], str],
                     switches: Callable[[str], tuple[Switch, ...]]) -> Verdict | None:
    """What the call makes of the route when every project definition of its method (`defined`)
    refuses the caller (`refusal`: the evidence, "" when it does not): "required" when the handler
    always makes it with arguments that keep the refusal on, "unknown" saying why when not; None
    when some definition does not refuse or none is known."""
    evidence = [refusal(key) for key in defined]
    if not defined or not all(evidence):
        return None
    shown = f"`{call.call}`"
    for key in defined:
        state, name = argument_state(switches(key), dict(call.keywords), call.positional)
        if state == OFF:
            return "unknown", f"{shown} refuses only when `{name}` says so, and the handler's call leaves it off: " \
                              "it answers whether the caller may, and what the handler does with that is not followed"
        if state == UNREAD:
            return "unknown", f"whether {shown} refuses depends on the `{name}` the handler passes, which the review " \
                              "does not follow"
    if call.conditional:
        return "unknown", f"the handler calls {shown}, which refuses the caller, only on some of its paths"
    owner = defined[0].rsplit(".", 2)[-2:]
    return "required", f"the handler calls {shown} ({'.'.join(owner)}) on what `{call.dependency.rsplit('.', 1)[-1]}` " \
                       f"injects: {evidence[0]}"
