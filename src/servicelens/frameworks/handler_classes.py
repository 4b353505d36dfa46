"""Routes registered as a path and a handler class whose methods are named after HTTP verbs.

Some frameworks built on Koa or Express route a path to a class rather than a function: the
request's method picks the class's method of that name, and a form's `operation` field picks
`post<Operation>`:

    class InvoiceView extends BaseView {
        async get(accountId) { ... }                   // GET  /accounts/:accountId/invoice
        async post(accountId, amount) { ... }          // POST /accounts/:accountId/invoice
        async postVoid(accountId) { ... }              // POST /accounts/:accountId/invoice, operation=void
    }
    site.mount('invoice', '/accounts/:accountId/invoice', InvoiceView, Rights.BILLING);

A call counts when one argument is a literal path and the next names a class of this module
that has at least one such method (its own or one of a base class of this module); each
method is one route. What the framework checks before the method runs (the permissions handed
to the registration, the method's decorators, its own layers) lives in code the registration
hands over but this module does not see, so the route's authentication is left unknown and its
evidence names those checks.
"""
from __future__ import annotations

from typing import Iterator

from servicelens import ir
from servicelens.endpoints.route import RouteFact

FRAMEWORK = "handler-class"
_VERBS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE"}
# a form operation: `post` followed by the operation's name (`postDelete`)
_OPERATION_VERB = "post"
# Express's and Koa's own registrations, read by frameworks/express.py
_FUNCTION_REGISTRATIONS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "all", "use",
                                     "route", "del"})
_SHOWN_CHECKS = 3


def handler_class_routes(module: ir.Module) -> tuple[RouteFact, ...]:
    """Every route of every path-and-class registration in the module."""
    classes = {c.name: c for c in module.classes}
    if not classes:
        return ()
    methods = _verb_methods(module, classes)
    if not methods:
        return ()
    found: dict[tuple[str, str, str], RouteFact] = {}
    for body in (module.body, *(f.body for f in module.functions)):
        for stmt in ir.walk_stmts(body):
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    if isinstance(node, ir.Call):
                        for route in _registered(node, methods, module):
                            found.setdefault((route.qualname, route.methods[0], route.path), route)
    return tuple(found.values())


def _verb_methods(module: ir.Module, classes: dict[str, ir.ClassDef]) -> dict[str, tuple[ir.Function, ...]]:
    """Class name -> its verb-named methods, those a base class of this module defines included
    (the subclass's own first)."""
    own: dict[str, list[ir.Function]] = {}
    for function in module.functions:
        if function.class_name in classes and _verb(function.name):
            own.setdefault(function.class_name, []).append(function)
    found: dict[str, tuple[ir.Function, ...]] = {}
    for name in classes:
        chain, seen, current = [], set(), name
        while current in classes and current not in seen:
            seen.add(current)
            chain.extend(f for f in own.get(current, ()) if f.name not in {c.name for c in chain})
            bases = classes[current].bases
            current = ir.dotted_name(bases[0]) or "" if bases else ""
        if chain:
            found[name] = tuple(chain)
    return found


def _verb(name: str) -> str:
    """`get` -> GET, `postDelete` -> POST, anything else -> ""."""
    if name in _VERBS:
        return _VERBS[name]
    rest = name[len(_OPERATION_VERB):]
    return _VERBS[_OPERATION_VERB] if name.startswith(_OPERATION_VERB) and rest[:1].isupper() else ""


def _registered(call: ir.Call, methods: dict[str, tuple[ir.Function, ...]], module: ir.Module) -> Iterator[RouteFact]:
    if isinstance(call.func, ir.Attr) and call.func.attr in _FUNCTION_REGISTRATIONS:
        return
    args = call.args
    for index in range(len(args) - 1):
        path, handler = args[index], args[index + 1]
        if not (isinstance(path, ir.Const) and isinstance(path.value, str) and path.value.startswith("/")):
            continue
        if not isinstance(handler, ir.Name) or handler.id not in methods:
            continue
        checks = [text for arg in args[index + 2:] if (text := ir.dotted_name(arg))]
        for function in methods[handler.id]:
            evidence, declared = _evidence(call, checks, function)
            # a permission handed to the registration may be about what the caller may do
            yield RouteFact(function.qualname, FRAMEWORK, (_verb(function.name),), path.value, function.line,
                            "unknown", evidence, unread_check=evidence if declared else "")
        return


def _declares_parameter(decorator: ir.Expr) -> bool:
    return isinstance(decorator, ir.Call) and bool(decorator.args) and isinstance(decorator.args[0], ir.Const) \
        and isinstance(decorator.args[0].value, str)


def _evidence(call: ir.Call, checks: list[str], function: ir.Function) -> tuple[str, bool]:
    """What the route says about its checks, and whether it declares any."""
    registration = ir.dotted_name(call.func) or "a registration call"
    # a decorator call naming a parameter (`@field('amount', Number)`) declares an input, not a check
    decorators = [name for d in function.decorators if not _declares_parameter(d)
                  and (name := ir.dotted_name(d.func if isinstance(d, ir.Call) else d))]
    named = [f"`{c}`" for c in checks[:_SHOWN_CHECKS]] + [f"`@{d}`" for d in decorators[:_SHOWN_CHECKS]]
    if not named:
        return f"registered by `{registration}` with its class; what the framework checks first is outside the review", False
    return f"registered by `{registration}` with its class and {', '.join(named)}, whose checks are outside the review", True
