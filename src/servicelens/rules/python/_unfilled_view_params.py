"""Django passes a view only the variables of the URL patterns bound to it, by name.

Not a rule. A view parameter with a default that no URL pattern of the project names
(`def get(self, request, book_id, readthrough_id=None)` served by `create-readthrough/`) always
holds its default, so a lookup keyed by it (`if readthrough_id: get_object_or_404(ReadThrough,
id=readthrough_id)`) never runs on a request. Function views and the handler methods of class-based
views alike (analysis/url_kwargs.py asks the same of taint flows, for function views).

Only Django views, only defaulted parameters (a required one no pattern names is filled some other
way or the view cannot be called), never `pk`/`slug` or a REST framework viewset's (routers name
their lookups where no URLconf text shows them), and never in a project with no URLconf or one
passing a group by position only (`re_path(r"^(\\d+)/$", view)`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from servicelens import ir
from servicelens.frameworks.django_urls import url_patterns
from servicelens.frameworks.url_segments import url_variables
from servicelens.taint.scope import HandlerInfo, ModuleScope

_POSITIONAL_GROUP = re.compile(r"\((?!\?)")
_ROUTER_NAMED = frozenset({"pk", "slug", "id", "uuid", "lookup"})


@dataclass(frozen=True, slots=True)
class RouteVariables:
    """One file's URL patterns: the variables they name, whether it has any, and whether one passes
    a group by position only."""

    names: frozenset[str] = frozenset()
    routes: bool = False
    positional: bool = False


def route_variables(module: ir.Module, scope: ModuleScope) -> RouteVariables:
    if not any(isinstance(s, ir.Assign) and any(isinstance(t, ir.Name) and t.id == "urlpatterns" for t in s.targets)
               for s in module.body):
        return RouteVariables()
    routes = [p.route for p in url_patterns(module, scope.imports)]
    return RouteVariables(frozenset().union(*(url_variables(r) for r in routes)), bool(routes),
                          any(_POSITIONAL_GROUP.search(r) and not url_variables(r) for r in routes))


def routed_names(files: Sequence[RouteVariables]) -> frozenset[str] | None:
    """Every variable the project's URL patterns name; None when that cannot say a parameter is
    never filled (no URLconf read, or a pattern passing groups by position)."""
    if not any(f.routes for f in files) or any(f.positional for f in files):
        return None
    return frozenset().union(*(f.names for f in files))


def defaulted_view_params(function: ir.Function, cls: ir.ClassDef | None, handler: HandlerInfo) -> frozenset[str]:
    """The parameters after `request` of a Django view (a function, or a class-based view's method)
    that have a default: the ones a URL pattern may leave out."""
    if handler.framework != "django" or (cls is not None and any(
            "viewset" in (ir.dotted_name(base) or "").lower() for base in cls.bases)):
        return frozenset()
    params = list(function.params)
    if cls is not None and params[:1] and params[0].name in ("self", "cls"):
        params = params[1:]
    if not params or params[0].name != "request":
        return frozenset()
    return frozenset(p.name for p in params[1:] if p.kind in ("positional", "keyword") and p.default is not None
                     and p.name not in _ROUTER_NAMED)
