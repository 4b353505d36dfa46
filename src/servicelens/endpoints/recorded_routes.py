"""Routes a Blueprint subclass serves from methods a project decorator marked with URL rules.

    # website_module.py
    class WebsiteModule(flask.Blueprint):
        def __init__(self, name, import_name, url_prefix=None):
            super().__init__(name, import_name, url_prefix=url_prefix)
            for name in dir(self):                       # the rules the decorator stored
                for rd in getattr(getattr(self, name), "_routing_data", []):
                    self.route(*rd.args, **rd.kwargs)(getattr(self, name))

    def route(*args, **kwargs):                          # records the rule on the function
        def wrap(fn):
            setattr(fn, "_routing_data", [*getattr(fn, "_routing_data", []), (args, kwargs)])
            return fn
        return wrap

    # surveys.py
    class SurveysModule(WebsiteModule):
        def __init__(self, db):
            super().__init__("surveys", __name__, url_prefix="/surveys")

        @route("/skip/<survey_id>", methods=["POST"])    # POST /surveys/skip/<survey_id>
        def skip(self, survey_id): ...

The per-file phase lists such a method as a candidate (`registered=False`) with its rule below the
prefix its class hands to the Blueprint constructor; the project-wide step keeps it when the
decorator is one that records on the function it is given (`recording_decorators`) and the class
descends, through project classes in any module, from Flask's `Blueprint`. Anything else (a class
that is no blueprint, a decorator that does something else with its string) stays unbound and is
dropped with the other unregistered candidates.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from servicelens import ir
from servicelens.analysis.class_hierarchy import ClassHierarchy
from servicelens.endpoints.route import RouteFact

if TYPE_CHECKING:  # the per-file phase imports this module before the facts it fills
    from servicelens.analysis.facts import FileFacts

_BLUEPRINT = "Blueprint"
_FLASK_PACKAGES = frozenset({"flask", "quart"})  # whose Blueprint the subclass's route() comes from


def recorded_route(function: ir.Function, cls: ir.ClassDef | None, prefix: Callable[[], str], frameworks: set[str],
                   decorators_auth: Callable[[], tuple[str, str]],
                   methods_of: Callable[[ir.Call], tuple[str, ...]]) -> RouteFact | None:
    """A method of a class with bases, decorated by a plain function called with a URL rule
    (`@route("/skip/<id>", methods=["POST"])`): a candidate until the inventory knows the class is
    a Blueprint and the decorator records the rule."""
    if cls is None or not cls.bases or not frameworks & _FLASK_PACKAGES or function.parent is not None:
        return None
    for decorator in function.decorators:
        if not isinstance(decorator, ir.Call) or not isinstance(decorator.func, (ir.Name, ir.Attr)):
            continue
        if isinstance(decorator.func, ir.Attr) and ir.dotted_name(decorator.func.value) in (None, "self", "cls"):
            continue
        rule = decorator.arg(0, "rule")
        if not (isinstance(rule, ir.Const) and isinstance(rule.value, str) and rule.value.startswith("/")):
            continue
        auth, evidence = decorators_auth()
        return RouteFact(function.qualname, "flask", methods_of(decorator), prefix().rstrip("/") + rule.value,
                         function.line, auth, evidence, registered=False)
    return None


def constructor_prefix(cls: ir.ClassDef, functions: Iterable[ir.Function]) -> str:
    """The literal `url_prefix` the class's `__init__` hands its base's constructor
    (`super().__init__("surveys", __name__, url_prefix="/surveys")`), "" when none."""
    for function in functions:
        if function.class_name != cls.name or function.name != "__init__" or function.parent is not None:
            continue
        for call in ir.calls_in_body(function.body):
            if isinstance(call.func, ir.Attr) and call.func.attr == "__init__" \
                    and isinstance(value := call.kwarg("url_prefix"), ir.Const) and isinstance(value.value, str):
                return value.value
    return ""


def recording_decorators(module: ir.Module) -> tuple[str, ...]:
    """Module-level functions that store something on the function they decorate and hand it
    back (`setattr(fn, "_routing_data", ...)` or `fn.rules = ...`, then `return fn`), themselves
    or through the closure they return: `module.name` of each."""
    found = []
    for function in module.functions:
        if function.parent is not None or function.class_name is not None:
            continue
        closures = [function, *(f for f in module.functions if f.parent == function.qualname)]
        if any(_records_on_parameter(closure) for closure in closures):
            found.append(f"{module.module_name}.{function.qualname}")
    return tuple(found)


def _records_on_parameter(function: ir.Function) -> bool:
    params = {p.name for p in function.params if p.name not in ("self", "cls")}
    returned = {stmt.value.id for stmt in ir.walk_stmts(function.body)
                if isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Name)} & params
    if not returned:
        return False
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Attr) and isinstance(t.value, ir.Name)
                                               and t.value.id in returned for t in stmt.targets):
            return True
    return any(ir.last_name(call.func) == "setattr" and call.args and isinstance(call.args[0], ir.Name)
               and call.args[0].id in returned for call in ir.calls_in_body(function.body))


def with_recorded_routes(facts: Sequence["FileFacts"], same: Callable[[str, str], bool]) -> list["FileFacts"]:
    """Candidates of `recorded_route` whose class descends from a Flask Blueprint and whose
    decorator records on the function: registered, so they are endpoints. `same` says whether a
    dotted name as written names a project-wide key."""
    recorders = [name for fact in facts for name in fact.recording_decorators]
    if not recorders:
        return list(facts)
    hierarchy = ClassHierarchy.of({key: value for fact in facts for key, value in fact.class_bases})
    blueprints: dict[str, bool] = {}

    def is_blueprint(owner: str) -> bool:
        if owner not in blueprints:
            blueprints[owner] = any(_flask_blueprint(base) for key, _ in hierarchy.ancestors(owner)
                                    for base in hierarchy.bases.get(key, ()))
        return blueprints[owner]

    def recorded(route: RouteFact) -> bool:
        return any(same(ref, name) for ref in route.declared_refs for name in recorders)

    out = []
    for fact in facts:
        routes = tuple(replace(route, registered=True)
                       if not route.registered and route.framework == "flask" and route.path.startswith("/")
                       and "." in route.qualname and recorded(route)
                       and is_blueprint(f"{fact.module_name}.{route.qualname.rsplit('.', 1)[0]}") else route
                       for route in fact.routes)
        out.append(replace(fact, routes=routes) if routes != fact.routes else fact)
    return out


def _flask_blueprint(base: str) -> bool:
    head, _, last = base.rpartition(".")
    return last == _BLUEPRINT and head.split(".")[0] in _FLASK_PACKAGES
