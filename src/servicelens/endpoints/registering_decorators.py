"""Project decorators that register the class they decorate, and the API objects bound to an app.

    # endpoints/api/__init__.py
    api = Api()
    api.init_app(api_bp)                        # the API's resources are served by the blueprint
    def resource(*urls, **kwargs):
        def wrapper(api_resource):
            api.add_resource(api_resource, *urls, **kwargs)
            return api_resource
        return wrapper

    # endpoints/api/user.py
    @resource("/v1/user/")
    class User(ApiResource):
        def get(self): ...

A class decorator called with a URL rule is a registration whatever its name (endpoints.
registrations reads it at the class, its router named after the decorator). Here, in the
decorator's own module: the object whose `add_resource` the decorator (or the
closure it returns) hands its class argument to, as a mount edge from that object to the
decorator, so the prefixes above the object (`Api(prefix=...)`, `register_blueprint(bp,
url_prefix="/api")`) reach the class's routes; and `api.init_app(bp)` as an edge from the
blueprint to the API (as `api = Api(bp)` binds it).
"""
from __future__ import annotations

from typing import Mapping

from servicelens import ir
from servicelens.endpoints.principals import qualified_receiver
from servicelens.endpoints.registrations import FLASK_FAMILY, router_prefixes
from servicelens.frameworks.python_handlers import RouterInclude

_REGISTERS = "add_resource"
# `api.init_app(bp)`: an extension object bound to the application or blueprint it is handed
_BINDS = "init_app"
_API = "Api"  # flask-restful's (and flask-restx's) API class, bound to the app or blueprint it is built with


def decorator_mounts(module: ir.Module, imports: Mapping[str, str]) -> tuple[RouterInclude, ...]:
    """One edge per module-level registering decorator and per `init_app` binding, in a module
    of the Flask family."""
    if not {target.split(".")[0] for target in imports.values()} & FLASK_FAMILY:
        return ()
    prefixes = router_prefixes(module)
    found: list[RouterInclude] = []
    for function in module.functions:
        if function.parent is not None or function.class_name is not None:
            continue
        receiver = _registered_on(function, module)
        if receiver is not None:
            found.append(RouterInclude(qualified_receiver(receiver, module, imports),
                                       f"{module.module_name}.{function.qualname}", False, function.line,
                                       prefixes.get(ir.dotted_name(receiver) or "", "")))
    for stmt in ir.walk_stmts(module.body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) and stmt.value.args \
                and ir.last_name(stmt.value.func) == _API and isinstance(stmt.value.args[0], (ir.Name, ir.Attr)):
            # `api = Api(bp, prefix="/v1")` binds the API as `api.init_app(bp)` does
            found.extend(RouterInclude(qualified_receiver(stmt.value.args[0], module, imports),
                                       qualified_receiver(target, module, imports), False, stmt.line)
                         for target in stmt.targets if isinstance(target, ir.Name))
        call = stmt.value if isinstance(stmt, ir.ExprStmt) else None
        if isinstance(call, ir.Call) and isinstance(call.func, ir.Attr) and call.func.attr == _BINDS \
                and len(call.args) == 1 and isinstance(call.func.value, ir.Name) \
                and isinstance(call.args[0], (ir.Name, ir.Attr)):
            parent = qualified_receiver(call.args[0], module, imports)
            child = qualified_receiver(call.func.value, module, imports)
            if parent and child:
                found.append(RouterInclude(parent, child, False, call.line))
    return tuple(found)


def _registered_on(function: ir.Function, module: ir.Module) -> ir.Expr | None:
    """The receiver of the registration a decorator factory's closure (or the decorator itself)
    makes with the decorated class: `api.add_resource(cls, ...)` where `cls` is the closure's
    first parameter."""
    closures = [f for f in module.functions if f.parent == function.qualname] + [function]
    for closure in closures:
        params = [p.name for p in closure.params if p.name not in ("self", "cls")]
        if not params:
            continue
        for call in ir.calls_in_body(closure.body):
            if isinstance(call.func, ir.Attr) and call.func.attr == _REGISTERS and call.args \
                    and isinstance(call.args[0], ir.Name) and call.args[0].id == params[0]:
                return call.func.value
    return None
