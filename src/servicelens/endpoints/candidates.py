"""Handlers whose route is declared somewhere else: per-file candidates the inventory binds.

  - methods named after an HTTP verb on a flask-restful/restx `Resource`, a Flask
    `MethodView` (flask-smorest) or an aiohttp `web.View`: exactly the verbs the class
    defines, at the path of its `add_resource`/`add_url_rule`/`@ns.route`/`add_view`;
  - aiohttp function handlers (`async def index(request)`, `async def index(self, request)`)
    and Flask functions named by `add_url_rule`: endpoints only once a registration names
    them (`registered=False` until then), so a helper that takes a request is never listed.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Mapping

from servicelens import ir
from servicelens.endpoints.falcon_apps import FALCON_UNDECIDED, responder
from servicelens.endpoints.registrations import HTTP_VERBS, Registration
from servicelens.endpoints.route import RouteFact

AIOHTTP_UNDECIDED = "aiohttp apps usually authenticate in a middleware; not judged"
_RESOURCE_BASES = ("Resource", "MethodView", "MethodResource")
# flask-restful `method_decorators = [auth]`, MethodView / flask-restx `decorators = [login_required]`
_CLASS_DECORATOR_LISTS = ("method_decorators", "decorators")
_RESOURCE_WORD = re.compile(r"(?:^|[a-z0-9_])Resource(?:$|[A-Z_])")
_BASE_DEPTH = 8  # same-module base chains followed this deep (and cycles end)


def resource_route(function: ir.Function, cls: ir.ClassDef | None, frameworks: set[str],
                   auth_name: Callable[[str], bool],
                   classes: Mapping[str, ir.ClassDef] | None = None,
                   view_bases: frozenset[str] = frozenset()) -> RouteFact | None:
    """`class Orders(Resource): def post(self)`: POST, path bound by the inventory. A class
    whose base is a resource class of the same module (`classes`), or a project class view of
    another module (`view_bases`, endpoints.view_bases), is one too."""
    if cls is None or function.name not in HTTP_VERBS:
        return None
    framework = _resource_framework(cls, frameworks, classes or {}, view_bases)
    if framework is None:
        return None
    decorators = [ir.dotted_name(d.func if isinstance(d, ir.Call) else d) or "" for d in function.decorators]
    # the class's list, or flask-restful's per-verb `method_decorators = {"put": [auth]}` for this verb
    decorators += [ir.dotted_name(d.func if isinstance(d, ir.Call) else d) or ""
                   for d in ir.decorators_of_method(cls, function.name)]
    named = next((d for d in decorators if d and auth_name(d.rsplit(".", 1)[-1])), None)
    auth, evidence = ("required", f"@{named}") if named else \
        ("unknown", AIOHTTP_UNDECIDED) if framework == "aiohttp" \
        else ("none", "")
    # the path is the class's, from its decorator or registration: the inventory sets it
    return RouteFact(function.qualname, framework, (function.name.upper(),), "", function.line, auth, evidence)


def serializes_return(cls: ir.ClassDef | None, serializing_bases: frozenset[str] = frozenset()) -> bool:
    """flask-restful/restx `Resource` methods return data the framework serializes to JSON: a
    string they return is never an HTML page. A base named as a resource, or a project class
    deriving from such a `Resource` in another module (`serializing_bases`, endpoints.view_bases)."""
    return cls is not None and any(is_resource_base(name) or name in serializing_bases
                                   for name in ((ir.dotted_name(b) or "").rsplit(".", 1)[-1] for b in cls.bases))


def is_resource_base(name: str) -> bool:
    """A base named as a resource class, `Resource` a word of its CapWords: `OrderResource`, and
    the project's own base of every resource in another module (`ks_flask.ResourceBase`,
    `BaseResource`), which one file cannot follow to `flask_restful.Resource`."""
    return _RESOURCE_WORD.search(name) is not None


def class_decorators(cls: ir.ClassDef) -> list[str]:
    """The decorators a resource class applies to each of its verb methods."""
    found = []
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and stmt.value is not None and any(
                isinstance(t, ir.Name) and t.id in _CLASS_DECORATOR_LISTS for t in stmt.targets):
            elements = stmt.value.elts if isinstance(stmt.value, ir.Seq) else (stmt.value,)
            for element in elements:
                target = element.func if isinstance(element, ir.Call) else element
                found.append(ir.dotted_name(target) or "")
    return [name for name in found if name]


def _resource_framework(cls: ir.ClassDef, frameworks: set[str], classes: Mapping[str, ir.ClassDef],
                        view_bases: frozenset[str] = frozenset(), depth: int = 0) -> str | None:
    for base in cls.bases:
        name = ir.dotted_name(base) or ""
        last = name.rsplit(".", 1)[-1]
        if "flask" in frameworks and (last in _RESOURCE_BASES or is_resource_base(last) or last in view_bases):
            return "flask"
        if "aiohttp" in frameworks and (name in ("web.View", "aiohttp.web.View") or last == "View"):
            return "aiohttp"
        if "starlette" in frameworks and last == "HTTPEndpoint":
            return "starlette"
        parent = classes.get(name)
        if parent is not None and parent is not cls and depth < _BASE_DEPTH:
            found = _resource_framework(parent, frameworks, classes, view_bases, depth + 1)
            if found is not None:
                return found
    return None


def request_param(function: ir.Function, bound: frozenset[str]) -> str:
    """The parameter a registration-bound handler gets the request in: its only one besides
    `self`, when some registration of the project names the function (endpoints.bound_names)."""
    names = [p.name for p in function.params]
    if names[:1] == ["self"] and function.class_name:
        names = names[1:]
    return names[0] if len(names) == 1 and function.name in bound else ""


def aiohttp_function_route(function: ir.Function, frameworks: set[str],
                           bound: frozenset[str] = frozenset()) -> RouteFact | None:
    """`async def index(request)` in an aiohttp module: a handler if some registration names it.
    Under another name (`async def trace(self, req)`), or in a module that imports no framework
    (a handler class registering its own methods: `app.router.add_route("GET", "/flows",
    self.get_all_flows)`), only where a registration binds that name."""
    if not function.is_async or function.parent is not None:
        return None
    if "aiohttp" not in frameworks and (frameworks or function.name not in bound):
        return None
    names = [p.name for p in function.params]
    if names not in (["request"], ["self", "request"]) and not request_param(function, bound):
        return None
    return RouteFact(function.qualname, "aiohttp", ("*",), "", function.line, "unknown",
                     AIOHTTP_UNDECIDED, registered=False)


def starlette_function_route(function: ir.Function, frameworks: set[str],
                             bound: frozenset[str] = frozenset()) -> RouteFact | None:
    """`async def homepage(request)` in a Starlette module: a handler if some `Route(...)` names it
    (`async def item(req)` only where a registration binds that name)."""
    if "starlette" not in frameworks or function.class_name is not None or function.parent is not None:
        return None
    if [p.name for p in function.params] != ["request"] and not request_param(function, bound):
        return None
    return RouteFact(function.qualname, "starlette", ("*",), "", function.line, "none", "", registered=False)


def fastapi_bound_route(function: ir.Function, frameworks: set[str],
                        bound: frozenset[str] = frozenset()) -> RouteFact | None:
    """A function or method of a FastAPI module that some `add_api_route` of the project may name
    (`router.add_api_route("/v1/images", api.create_images)` in another module, or a function the
    registering function defines): a handler once a registration binds it (its methods and path
    come from there)."""
    if "fastapi" not in frameworks or function.name not in bound:
        return None
    return RouteFact(function.qualname, "fastapi", ("*",), "", function.line, "none", "", registered=False)


def registered_function_route(function: ir.Function, module_name: str,
                              registrations: Iterable[Registration]) -> RouteFact | None:
    """A function of this module that a registration of this module names (`add_url_rule`)."""
    if function.class_name is not None or function.parent is not None:
        return None
    key = f"{module_name}.{function.qualname}"
    for registration in registrations:
        if registration.target == key:
            auth, evidence = ("unknown", AIOHTTP_UNDECIDED) if registration.framework == "aiohttp" else ("none", "")
            return RouteFact(function.qualname, registration.framework, registration.methods or ("GET",), "",
                             function.line, auth, evidence, registered=False)
    return None


def flask_function_candidate(function: ir.Function, frameworks: set[str],
                             bound: frozenset[str] = frozenset()) -> RouteFact | None:
    """A public top-level function of a Flask module: an endpoint only if an `add_url_rule` in
    another module names it (the methods come from that registration). A decorated one (`@login_required`)
    only when some registration of the project binds its name (endpoints.bound_names)."""
    if "flask" not in frameworks or function.class_name is not None or function.parent is not None \
            or function.name.startswith("_") or (function.decorators and function.name not in bound):
        return None
    return RouteFact(function.qualname, "flask", ("*",), "", function.line, "none", "", registered=False)


def falcon_responder(function: ir.Function, decorators_auth: Callable[[], tuple[str, str]]) -> RouteFact | None:
    """`def on_get(self, req, resp, item_id)` of a resource class: Falcon's responder for GET at the
    URI template an `add_route` gives the resource's instance (its path is bound elsewhere). A
    suffixed one (`on_get_detail`) answers only where an `add_route(..., suffix="detail")` binds it."""
    found = responder(function.name)
    if found is None or function.class_name is None or len(function.params) < 3 \
            or function.params[0].name != "self":
        return None
    auth, evidence = decorators_auth()
    if auth == "none":
        auth, evidence = "unknown", FALCON_UNDECIDED
    return RouteFact(function.qualname, "falcon", (found[0],), "", function.line, auth, evidence,
                     registered=not found[1])
